import Continuity
import HTML
import HTTP
import Store

/// The professional page (SPEC §9): who they are, until when, their caseload with its
/// alerts, and (for managers) their figures of the report, explained.
extension WebPages {
    func professionalPage(_ c: PageContext) throws -> HTTPResponse {
        let l = language, f = c.format
        let p = try store.professional(c.param("id"), scope: c.scope)
        try store.auditRead(c.actor, "professional.read")
        let caseload = try allPages { try store.clients(scope: c.scope, teamID: p.teamID, flag: nil, after: $0, limit: 500) }
            .filter { $0.primary == p.id && $0.0.isOpen(asOf: c.today) }.map(\.0).sorted { $0.externalRef < $1.externalRef }
        try store.auditReads(c.actor, "client.list", clients: caseload.map(\.key))
        let open = try allPages {
            try store.alerts(scope: c.scope, teamID: p.teamID, status: .open, after: $0.flatMap { Int64($0) }, limit: 500)
        }
        var figures: GroupFigures?
        if c.readsAlertsAndReports {
            let report = try store.report(teamID: p.teamID, scope: c.scope, asOf: c.today, windowDays: settings.windowDays)
            figures = report.professionals.first { $0.id == p.id }?.figures
            try store.auditRead(c.actor, "report.read")
        }
        let team = try store.team(p.teamID, scope: c.scope)
        let lines = GroupFigureLines(language: l, smallCell: settings.smallCellThreshold, windowDays: settings.windowDays,
                                     facesMax: store.thresholds.changingFacesMax)
        let page = Layout(language: l).page(title: p.name, signedIn: c) {
            element("p", [.class("muted")]) { element("a", [.href("/app/teams/" + p.teamID)]) { l("← Terug naar ", "← Back to ") + team.name } }
            element("h1") { p.name }
            if let end = p.endedOn {
                element("p", [.class("notice")]) {
                    if end < c.today {
                        l("Uit dienst sinds ", "Left on ") + f.date(end) + "."
                    } else {
                        l("Vertrekt op ", "Leaves on ") + f.date(end) + " (" + f.days(end - c.today) + l(" vanaf vandaag)", " from today)") + ". "
                    }
                    if !caseload.isEmpty {
                        l("Regel voor elk van deze \(caseload.count) cliënten een warme overdracht: een gezamenlijk bezoek met de nieuwe regievoerder.",
                          "Arrange a warm handover for each of these \(caseload.count) clients: a joint visit with the new primary.")
                    }
                }
            }
            element("dl", [.class("summary")]) {
                element("dt") { l("Team", "Team") }
                element("dd") { team.name }
                element("dt") { l("Vak", "Discipline") }
                element("dd") { p.discipline }
                element("dt") { l("Dienstverband", "Employment") }
                element("dd") { l.employmentName(p.employment) }
                element("dt") { l("In dienst sinds", "Started on") }
                element("dd") { f.date(p.startedOn) }
                element("dt") { l("Einddatum", "End date") }
                element("dd") { p.endedOn.map(f.date) ?? l("geen", "none") }
            }
            element("h2") { l("Caseload als regievoerder", "Caseload as primary") }
            if caseload.isEmpty {
                element("p") { l("Geen open cliënten als regievoerder.", "No open clients as primary.") }
            } else {
                Components(language: l).clientTable(
                    caption: [.text(caseload.count == 1 ? l("1 open cliënt", "1 open client") : l("\(caseload.count) open cliënten", "\(caseload.count) open clients"))],
                    clients: caseload, flags: { id in Flag.allCases.filter { fl in open.contains { $0.clientKey == id && $0.flag == fl } } },
                    empty: "")
            }
            if c.readsAlertsAndReports {
                element("h2") { l("Cijfers over deze caseload", "Figures of this caseload") }
                if let figures, SmallCells(threshold: settings.smallCellThreshold).isSmall(figures.openCases) {
                    // Every figure of a group this small is suppressed (SPEC §4): one sentence
                    // says so instead of a table of `<5`.
                    element("p") {
                        l("Deze caseload telt minder dan \(settings.smallCellThreshold) open cliënten. Cijfers over zo weinig mensen maken hen herkenbaar, daarom staan ze hier niet; de cliënten zelf staan hierboven.",
                          "This caseload has fewer than \(settings.smallCellThreshold) open clients. Figures about so few people would make them recognisable, so they are not shown; the clients themselves are listed above.")
                    }
                } else if let figures {
                    element("p") {
                        l("Om samen van te leren, niet om af te rekenen. Aantallen onder \(settings.smallCellThreshold) staan er als <\(settings.smallCellThreshold).",
                          "To learn from together, not to judge by. Counts below \(settings.smallCellThreshold) show as <\(settings.smallCellThreshold).")
                    }
                    FigureTableView(language: l).table(caption: p.name, lines: lines.lines(figures))
                } else {
                    element("p") { l("Geen open cliënten als regievoerder, dus geen cijfers.", "No open clients as primary, so no figures.") }
                }
            }
        }
        return html(page)
    }
}

import Continuity
import HTML
import Store

/// The team overview (SPEC §9): who needs attention now, the caseloads, the figures
/// explained, the 12-month trend. `forms` is the signed-in reader; nil renders the report
/// page without forms.
struct OverviewView {
    let language: Language
    let settings: WebSettings
    let facesMax: Int
    let data: TeamOverview
    let forms: PageContext?

    var f: Format { Format(language: language) }

    func body() -> [Markup] {
        let l = language
        return [
            element("h1") { data.title },
            element("p", [.class("lead")]) {
                l("Stand op ", "As of ") + f.date(data.asOf) + l(". Maten over de laatste ", ". Measures over the last ")
                    + "\(settings.windowDays) " + l("dagen.", "days.")
            },
            contents(),
            forWorkers(),
            attention(),
            caseloads(),
            figures(),
            trend(),
        ]
    }

    /// In-page links: a long team page is read by jumping, not scrolling.
    func contents() -> Markup {
        let l = language
        let groups = alertsByClient
        return element("nav", [.class("contents noprint"), Attribute("aria-label", l("Op deze pagina", "On this page"))]) {
            element("ul") {
                if data.alerts != nil {
                    for sev in [3, 2, 1] {
                        let n = groups.filter { severity(of: $0.alerts) == sev }.count
                        if n > 0 {
                            element("li") { element("a", [.href("#urgency-\(sev)")]) { severityLabel(sev) + " (\(n))" } }
                        }
                    }
                }
                element("li") { element("a", [.href("#caseloads")]) { l("Caseloads", "Caseloads") } }
                if data.report != nil {
                    element("li") { element("a", [.href("#figures")]) { l("Cijfers", "Figures") } }
                    element("li") { element("a", [.href("#trend")]) { l("Trend", "Trend") } }
                }
            }
        }
    }

    /// Workers read caseloads, not the team's alerts and report (SPEC §4 roles): say so, so
    /// the page does not look broken.
    func forWorkers() -> Markup {
        guard data.alerts == nil, forms != nil else { return .empty }
        return element("p", [.class("notice")]) {
            language("De signalen en cijfers van het team zijn voor teamleiders. Open een cliënt om diens signalen en tijdlijn te zien.",
                     "The team's alerts and figures are for managers. Open a client to see their alerts and timeline.")
        }
    }

    func severity(of alerts: [Alert]) -> Int { alerts.map { Urgency.severity($0.flag) }.max() ?? 1 }

    func severityExplanation(_ s: Int) -> String {
        switch s {
        case 3: return language("Een deur gaat dicht: een regievoerder vertrekt of ontbreekt, of een verwijzing loopt nergens op uit.",
                                "A door is closing: a primary is leaving or missing, or a referral leads nowhere.")
        case 2: return language("Het contact is stilgevallen of de gezichten wisselen steeds.", "Contact has lapsed or the faces keep changing.")
        default: return language("Een patroon om in het teamoverleg te bespreken.", "A pattern to discuss in the team meeting.")
        }
    }

    func severityLabel(_ s: Int) -> String {
        switch s {
        case 3: return language("Nu handelen", "Act now")
        case 2: return language("Aandacht", "Attention")
        default: return language("Bespreken", "Discuss")
        }
    }

    // MARK: who needs attention now

    /// The open alerts grouped per client, in the order of each client's most urgent alert
    /// (alerts arrive ranked already): one card per person to discuss.
    var alertsByClient: [(client: ClientKey, alerts: [Alert])] {
        var order: [ClientKey] = []
        var groups: [ClientKey: [Alert]] = [:]
        for a in data.alerts ?? [] {
            if groups[a.clientKey] == nil { order.append(a.clientKey) }
            groups[a.clientKey, default: []].append(a)
        }
        return order.map { ($0, groups[$0]!) }
    }

    func attention() -> Markup {
        let l = language
        guard let alerts = data.alerts else { return .empty }
        let groups = alertsByClient
        let urgent = Set(alerts.filter { Urgency.severity($0.flag) == 3 }.map(\.clientKey)).count
        let unseen = alerts.filter { $0.acknowledgedBy == nil }.count
        return element("section", [Attribute("aria-labelledby", "attention")]) {
            element("h2", [.id("attention")]) { l("Wie heeft nu aandacht nodig", "Who needs attention now") }
            if alerts.isEmpty {
                element("p", [.class("notice ok")]) { l("Er staan geen signalen open.", "There are no open alerts.") }
            } else {
                element("p", [.class("notice")]) {
                    l("\(groups.count) cliënten met samen \(alerts.count) open signalen; bij \(urgent) van hen moet nu iets gebeuren. \(unseen) signalen zijn nog door niemand gezien. Bovenaan staat wat niet kan wachten (een regievoerder die vertrekt of ontbreekt, een verwijzing zonder vervolg), daarna wat het langst speelt.",
                      "\(groups.count) clients with \(alerts.count) open alerts between them; \(urgent) of them need action now. \(unseen) alerts have not been seen by anyone yet. On top is what cannot wait (a primary leaving or missing, a referral in limbo), then what has gone on longest.")
                }
                for sev in [3, 2, 1] {
                    let inGroup = groups.filter { severity(of: $0.alerts) == sev }
                    if !inGroup.isEmpty {
                        element("h3", [.id("urgency-\(sev)")]) {
                            severityLabel(sev) + " · " + (inGroup.count == 1 ? l("1 cliënt", "1 client") : l("\(inGroup.count) cliënten", "\(inGroup.count) clients"))
                        }
                        element("p", [.class("muted")]) { severityExplanation(sev) }
                        element("ol", [.class("alerts")]) {
                            for (client, clientAlerts) in inGroup { clientCard(client, clientAlerts) }
                        }
                    }
                }
            }
        }
    }

    func clientCard(_ key: ClientKey, _ alerts: [Alert]) -> Markup {
        let l = language
        let sev = severity(of: alerts)
        let entry = data.clients[key]
        return element("li", [.id(Paths.clientAnchor(key, inTeam: data.teamID)), .class("client-alerts sev-\(sev)")]) {
            element("h4") {
                element("span", [.class("tag sev-\(sev)")]) { severityLabel(sev) }
                element("a", [.href(Paths.client(key))]) { l("Cliënt ", "Client ") + data.clientRef(key) }
            }
            element("p", [.class("meta")]) {
                if let p = data.name(entry?.primary) { l("Regievoerder: ", "Primary: ") + p } else { l("Geen regievoerder", "No primary") }
                if alerts.count > 1 { " · " + l("\(alerts.count) signalen", "\(alerts.count) alerts") }
            }
            element("ul", [.class("signals")]) {
                for a in alerts { alertItem(a) }
            }
            if let advice = data.successors[key] { Components(language: l).successors(advice) }
            let unseen = alerts.filter { $0.acknowledgedBy == nil }
            if unseen.count > 1, let c = forms {
                ackForm(c, alertID: unseen[0].id, also: unseen.dropFirst().map(\.id),
                        summary: l("Alle \(unseen.count) signalen als gezien markeren", "Mark all \(unseen.count) alerts as seen"),
                        hidden: ", " + data.clientRef(key))
            }
        }
    }

    func alertItem(_ a: Alert) -> Markup {
        let l = language
        return element("li", [.id("alert-" + a.id), .class("alert")]) {
            element("h5") { l.flagName(a.flag) }
            element("p", [.class("evidence")]) { a.evidence }
            element("p", [.class("meta")]) {
                l("Speelt sinds ", "Since ") + f.date(data.since(a)) + " (" + f.ago(data.asOf - data.since(a)) + ") · " + l.flagMeaning(a.flag)
            }
            if let by = a.acknowledgedBy {
                element("p", [.class("ack")]) {
                    l("Gezien door ", "Seen by ")
                    element("strong") { by }
                    if let note = a.acknowledgedNote { ": “" + note + "”" }
                }
            }
            if let c = forms {
                ackForm(c, alertID: a.id, also: [],
                        summary: a.acknowledgedBy == nil ? l("Markeer als gezien", "Mark as seen") : l("Nieuwe notitie", "New note"),
                        hidden: ": " + l.flagName(a.flag) + ", " + data.clientRef(a.clientKey))
            }
        }
    }

    /// The acknowledge form behind a disclosure (`POST /app/alerts/{id}/ack`; `also` lists
    /// further alerts of the same client to mark with the same note). Managers only.
    func ackForm(_ c: PageContext, alertID: String, also: [String], summary: String, hidden: String) -> Markup {
        let l = language
        guard c.readsAlertsAndReports else { return .empty }
        let field = "note-" + alertID + (also.isEmpty ? "" : "-all")
        return element("details", [.class("ack-form noprint")]) {
            element("summary") {
                summary
                element("span", [.class("visually-hidden")]) { hidden }
            }
            element("form", [Attribute("method", "post"), Attribute("action", "/app/alerts/" + alertID + "/ack"), .class("inline")]) {
                Layout(language: l).csrfField(c)
                if !also.isEmpty {
                    element("input", [Attribute("type", "hidden"), Attribute("name", "also"), Attribute("value", also.joined(separator: ","))])
                }
                element("div", [.class("field")]) {
                    element("label", [Attribute("for", field)]) { l("Notitie (wat is afgesproken?)", "Note (what was agreed?)") }
                    element("input", [.id(field), Attribute("name", "note"), Attribute("type", "text"),
                                      Attribute("maxlength", "200"), Attribute(flag: "required")])
                }
                element("button", [Attribute("type", "submit")]) { l("Opslaan", "Save") }
            }
        }
    }

    // MARK: caseloads

    func caseloads() -> Markup {
        let l = language
        let (rows, without) = data.caseloads()
        let parts = Components(language: l)
        let flags = { (key: ClientKey) in data.flagsByClient[key] ?? [] }
        let none = l("Geen open cliënten als regievoerder.", "No open clients as primary.")
        return element("section", [Attribute("aria-labelledby", "caseloads")]) {
            element("h2", [.id("caseloads")]) { l("Caseload per hulpverlener", "Caseload per professional") }
            element("p") {
                l("Open cliënten per regievoerder, met hun signalen.", "Open clients per primary professional, with their alerts.")
            }
            for (p, id, clients) in rows {
                parts.clientTable(caption: [
                    element("a", [.href("/app/professionals/" + id)]) { p?.name ?? id },
                    .text(p.map { " · " + $0.discipline + ", " + l.employmentName($0.employment) } ?? ""),
                    .text(p?.endedOn.map { end in
                        end < data.asOf ? " · " + l("uit dienst sinds ", "left on ") + f.date(end) : " · " + l("vertrekt op ", "leaves on ") + f.date(end)
                    } ?? ""),
                    .text(" · " + (clients.count == 1 ? l("1 cliënt", "1 client") : l("\(clients.count) cliënten", "\(clients.count) clients"))),
                ], clients: clients, flags: flags, empty: none)
            }
            if !without.isEmpty {
                parts.clientTable(caption: [.text(l("Zonder regievoerder", "Without a primary professional") + " · \(without.count)")],
                                  clients: without, flags: flags, empty: none)
            }
        }
    }

    // MARK: figures

    func figures() -> Markup {
        let l = language
        guard let report = data.report else { return .empty }
        let lines = GroupFigureLines(language: l, smallCell: settings.smallCellThreshold, windowDays: report.windowDays,
                                     facesMax: facesMax)
        return element("section", [Attribute("aria-labelledby", "figures")]) {
            element("h2", [.id("figures")]) { l("Cijfers van het team", "The team's figures") }
            element("p") {
                l("Om samen van te leren, niet om af te rekenen. Aantallen onder \(settings.smallCellThreshold) staan er als <\(settings.smallCellThreshold), zodat niemand herkenbaar is.",
                  "To learn from together, not to judge by. Counts below \(settings.smallCellThreshold) show as <\(settings.smallCellThreshold), so nobody can be recognised.")
            }
            FigureTableView(language: l).table(caption: l("Het team", "The team"), lines: lines.lines(report.team))
            professionalFigures(report, lines: lines)
        }
    }

    func professionalFigures(_ report: ContinuityReport, lines: GroupFigureLines) -> Markup {
        let l = language
        let keys = ["open_cases", "mean_faces", "mean_coc", "over_faces_threshold_share", "median_days_since_contact", "warm_handover_share"]
        let headers = [l("Open cliënten", "Open cases"), l("Gezichten (gem.)", "Faces (mean)"), l("COC", "COC"),
                       l("Steeds andere gezichten", "Changing faces"), l("Dagen sinds contact (mediaan)", "Days since contact (median)"),
                       l("Warme overdracht", "Warm handover")]
        let rows = report.professionals.map { p in (p.id, data.name(p.id) ?? p.id, lines.lines(p.figures)) }
            .sorted { $0.1 < $1.1 }
        let small = report.professionals.filter { SmallCells(threshold: settings.smallCellThreshold).isSmall($0.figures.openCases) }.count
        let note = small == 0 ? Markup.empty : element("p", [.class("muted")]) {
                l("\(small) van de \(rows.count) regievoerders " + (small == 1 ? "heeft" : "hebben") + " minder dan \(settings.smallCellThreshold) open cliënten: hun cijfers staan er als <\(settings.smallCellThreshold), zodat geen cliënt herkenbaar is.",
                  "\(small) of the \(rows.count) primaries " + (small == 1 ? "has" : "have") + " fewer than \(settings.smallCellThreshold) open clients: their figures show as <\(settings.smallCellThreshold), so no client can be recognised.")
            }
        let table = element("table", [.class("per-professional")]) {
            element("caption") { l("Per regievoerder (de belangrijkste maten; alle maten op de pagina van de hulpverlener)",
                                   "Per primary professional (the main figures; every figure on the professional's page)") }
            Components(language: l).head([l("Hulpverlener", "Professional")] + headers, numeric: Set(1...headers.count))
            element("tbody") {
                for (id, name, figureLines) in rows {
                    element("tr") {
                        element("th", [Attribute("scope", "row")]) { element("a", [.href("/app/professionals/" + id)]) { name } }
                        for k in keys { element("td", [.class("num")]) { figureLines.first { $0.key == k }?.value ?? "–" } }
                    }
                }
            }
        }
        return Markup.join([note, table])
    }

    // MARK: trend

    func trend() -> Markup {
        let l = language
        guard let report = data.report, !report.trend.isEmpty else { return .empty }
        let last = report.trend[report.trend.count - 1].asOf
        let partial = last.adding(days: 1).day != 1
        // Small cells (SPEC §4): a month with too few clients is left out of the chart and shows <5.
        let shown = report.trend.map { SmallCells(threshold: settings.smallCellThreshold).apply($0) }
        let cells = GroupFigureLines(language: l, smallCell: settings.smallCellThreshold, windowDays: report.windowDays, facesMax: facesMax)
        func plotted(_ s: Shown) -> Double? { if case .value(let x) = s { return x } else { return nil } }
        let faces = zip(report.trend, shown).map { (month: $0.asOf, value: plotted($1.meanFaces)) }
        let cocs = zip(report.trend, shown).map { (month: $0.asOf, value: plotted($1.meanCOC)) }
        let facesChart = TrendChart(language: l, id: "trend-faces",
                                    title: l("Gezichten per cliënt (gemiddeld), laatste 12 maanden; lager is beter",
                                             "Faces per client (mean), last 12 months; lower is better"),
                                    axisLabel: l("Gezichten", "Faces"),
                                    ticks: niceTicks(maxValue: faces.compactMap(\.value).max() ?? 0, minimumTop: 4),
                                    tickLabel: { f.decimal($0) }, points: faces, lastIsPartial: partial)
        let cocChart = TrendChart(language: l, id: "trend-coc",
                                  title: l("Continuïteit van zorg (COC, gemiddeld), laatste 12 maanden; hoger is beter",
                                           "Continuity of care (COC, mean), last 12 months; higher is better"),
                                  axisLabel: l("COC", "COC"), ticks: [0, 0.25, 0.5, 0.75, 1],
                                  tickLabel: { f.percent($0) }, points: cocs, lastIsPartial: partial)
        return element("section", [Attribute("aria-labelledby", "trend")]) {
            element("h2", [.id("trend")]) { l("Trend over 12 maanden", "Trend over 12 months") }
            element("p") {
                l("Elke maand de stand op de laatste dag, over de cliënten die toen open waren.",
                  "Each month as of its last day, over the clients open then.")
                if partial { " " + l("De laatste maand loopt nog (stand van vandaag): open rondje, stippellijn.",
                                     "The last month is still running (as of today): hollow dot, dashed line.") }
            }
            element("figure") {
                element("figcaption") { l("Gezichten per cliënt — lager is beter", "Faces per client — lower is better") }
                facesChart.svg()
            }
            element("figure") {
                element("figcaption") { l("Continuïteit van zorg (COC) — hoger is beter", "Continuity of care (COC) — higher is better") }
                cocChart.svg()
            }
            element("table", [.class("trend")]) {
                element("caption") { l("De trend in cijfers", "The trend in numbers") }
                Components(language: l).head([l("Maand", "Month"), l("Gezichten per cliënt (gem.)", "Faces per client (mean)"),
                                               l("COC (gem.)", "COC (mean)")], numeric: [1, 2])
                element("tbody") {
                    for (i, p) in report.trend.enumerated() {
                        element("tr") {
                            element("th", [Attribute("scope", "row")]) {
                                f.shortMonth(p.asOf) + (partial && i == report.trend.count - 1 ? " (" + l("lopend, t/m ", "partial, to ") + f.date(p.asOf) + ")" : "")
                            }
                            element("td", [.class("num")]) { cells.text(shown[i].meanFaces) { f.decimal($0) } }
                            element("td", [.class("num")]) { cells.text(shown[i].meanCOC) { f.percent($0) } }
                        }
                    }
                }
            }
        }
    }
}

/// A table of explained figures: name and meaning, value, which way is better.
struct FigureTableView {
    let language: Language

    func table(caption: String, lines: [FigureLine]) -> Markup {
        let l = language
        return element("table", [.class("figures")]) {
            element("caption") { caption }
            Components(language: l).head([l("Maat", "Figure"), l("Waarde", "Value"), l("Richting", "Which way")], numeric: [1])
            element("tbody") {
                for line in lines {
                    element("tr", [Attribute("data-key", line.key)]) {
                        element("th", [Attribute("scope", "row")]) {
                            line.name
                            element("span", [.class("hint")]) { line.meaning }
                        }
                        element("td", [.class("num")]) { line.value }
                        element("td") { line.better.text(l) }
                    }
                }
            }
        }
    }
}

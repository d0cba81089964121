import Continuity
import HTML
import HTTP
import Store

/// Everything the team overview shows, read through the same store calls as the API's
/// `GET /v1/alerts`, `GET /v1/clients`, `GET /v1/reports/continuity` and the professionals.
struct TeamOverview {
    var title: String
    var teamID: String?
    var asOf: LocalDate
    /// Open alerts, most urgent first; nil when the reader's role may not read alerts.
    var alerts: [Alert]?
    /// Every client of the team(s), by team and id (for references and the caseloads; two
    /// teams may use one id, SPEC §1).
    var clients: [ClientKey: (client: Client, primary: String?)]
    var professionals: [String: Professional]
    /// nil when the reader's role may not read reports.
    var report: ContinuityReport?
    /// Open alerts per client, for the caseload lists (workers see flags through the client list too).
    var flagsByClient: [ClientKey: [Flag]]
    /// The flag's `since` (SPEC §2) per open alert id, from the client's continuity answer.
    var since: [String: LocalDate] = [:]
    /// Successor advice per client whose primary is leaving or missing.
    var successors: [ClientKey: SuccessorAdvice] = [:]

    func since(_ a: Alert) -> LocalDate { since[a.id] ?? a.raisedOn }

    func name(_ professionalID: String?) -> String? {
        guard let id = professionalID else { return nil }
        return professionals[id]?.name ?? id
    }

    func clientRef(_ key: ClientKey) -> String { clients[key]?.client.externalRef ?? key.id }

    /// Open clients grouped by their primary professional as of the report date.
    func caseloads() -> (byProfessional: [(Professional?, String, [Client])], withoutPrimary: [Client]) {
        var groups: [String: [Client]] = [:]
        var without: [Client] = []
        for (_, entry) in clients where entry.client.isOpen(asOf: asOf) {
            if let p = entry.primary { groups[p, default: []].append(entry.client) } else { without.append(entry.client) }
        }
        var ids = Set(groups.keys)
        for p in professionals.values where p.endedOn.map({ $0 >= asOf }) ?? true { ids.insert(p.id) }
        let rows = ids.map { id in (professionals[id], id, (groups[id] ?? []).sorted { $0.externalRef < $1.externalRef }) }
            .sorted { ($0.0?.name ?? $0.1) < ($1.0?.name ?? $1.1) }
        return (rows, without.sorted { $0.externalRef < $1.externalRef })
    }
}

extension WebPages {
    /// Reads the overview of one team (or every team in scope when `teamID` is nil), and
    /// audits the read as the API reads it shows would be audited.
    func loadOverview(teamID: String?, scope: Scope, actor: Actor, alertsAndReport: Bool,
                      report given: ContinuityReport? = nil) throws -> TeamOverview {
        let today = given?.asOf ?? store.today
        var title = language("Alle teams", "All teams")
        var teams: [String] = []
        if let teamID {
            title = try store.team(teamID, scope: scope).name
            teams = [teamID]
        } else if case .team(let t) = scope {
            title = try store.team(t, scope: scope).name
            teams = [t]
        } else {
            teams = try allPages { try store.teams(after: $0, limit: 500) }.map(\.id)
        }
        var professionals: [String: Professional] = [:]
        for t in teams {
            for p in try allPages({ try store.professionals(scope: scope, teamID: t, activeOn: nil, after: $0, limit: 500) }) {
                professionals[p.id] = p
            }
        }

        var clients: [ClientKey: (client: Client, primary: String?)] = [:]
        for (c, p) in try allPages({ try store.clients(scope: scope, teamID: teamID, flag: nil, after: $0, limit: 500) }) {
            clients[c.key] = (c, p)
        }

        let open = try allPages {
            try store.alerts(scope: scope, teamID: teamID, status: .open, after: $0.flatMap { Int64($0) }, limit: 500)
        }
        var flags: [ClientKey: [Flag]] = [:]
        for a in open { flags[a.clientKey, default: []].append(a.flag) }
        for k in flags.keys { flags[k] = Flag.allCases.filter { flags[k]!.contains($0) } }

        let report = alertsAndReport
            ? try given ?? store.report(teamID: teamID, scope: scope, asOf: today, windowDays: settings.windowDays) : nil
        var overview = TeamOverview(title: title, teamID: teamID, asOf: today, alerts: nil, clients: clients,
                                    professionals: professionals, report: report, flagsByClient: flags)
        var continuityRead: [ClientKey] = [], successorsRead: [ClientKey] = []
        if alertsAndReport {
            // Since when each flag holds: the same answer as GET /v1/clients/{id}/continuity.
            for key in Set(open.map(\.clientKey)).sorted() {
                let inTeam = scope.narrowed(to: key.teamID)
                let (_, active) = try store.continuity(clientID: key.id, scope: inTeam, asOf: today, windowDays: settings.windowDays)
                for a in open where a.clientKey == key {
                    if let f = active.first(where: { $0.flag == a.flag }) { overview.since[a.id] = f.since }
                }
                continuityRead.append(key)
                if active.contains(where: { $0.flag == .primaryLeaving || $0.flag == .noPrimary }) {
                    overview.successors[key] = try store.successors(clientID: key.id, scope: inTeam, asOf: today, limit: 3)
                    successorsRead.append(key)
                }
            }
            overview.alerts = Urgency.ordered(open, since: overview.since, clientRef: overview.clientRef)
        }
        // The audit: each client whose record the page lists, and the team-level reads.
        let shown = clients.values.filter { $0.client.isOpen(asOf: today) }.map(\.client.key).sorted()
        try store.auditReads(actor, "client.list", clients: shown)
        try store.auditReads(actor, "continuity.read", clients: continuityRead)
        try store.auditReads(actor, "successors.read", clients: successorsRead)
        try store.auditRead(actor, "professional.list")
        if alertsAndReport {
            try store.auditRead(actor, "alerts.read")
            try store.auditRead(actor, "report.read")
        }
        return overview
    }

    func teamPage(_ c: PageContext) throws -> HTTPResponse {
        let overview = try loadOverview(teamID: c.param("id"), scope: c.scope, actor: c.actor,
                                        alertsAndReport: c.readsAlertsAndReports)
        let view = OverviewView(language: language, settings: settings, facesMax: store.thresholds.changingFacesMax,
                                data: overview, forms: c)
        return html(Layout(language: language).page(title: overview.title, signedIn: c) { view.body() })
    }

    /// The `format=html` report (SPEC §9): the overview without the forms.
    public func reportPage(teamID: String?, scope: Scope, actor: Actor, report: ContinuityReport) throws -> String {
        let overview = try loadOverview(teamID: teamID, scope: scope, actor: actor, alertsAndReport: true, report: report)
        let view = OverviewView(language: language, settings: settings, facesMax: store.thresholds.changingFacesMax,
                                data: overview, forms: nil)
        return Layout(language: language).page(title: overview.title, signedIn: nil) { view.body() }.rendered
    }

    /// `POST /app/alerts/{id}/ack`: the same call as `POST /v1/alerts/{id}/ack`, then back to
    /// the alert on the overview (POST/redirect/GET).
    func acknowledge(_ c: PageContext) throws -> HTTPResponse {
        guard c.readsAlertsAndReports else {
            throw PageError.forbidden(language("Alleen teamleiders markeren signalen als gezien.", "Only managers acknowledge alerts."))
        }
        let form = FormData(body: c.request.body)
        guard let note = form?.trimmed("note"), note.count <= 200 else {
            throw PageError.badRequest(language("Schrijf een korte notitie (hoogstens 200 tekens) en probeer het opnieuw.",
                                                "Write a short note (at most 200 characters) and try again."))
        }
        let alert = try store.acknowledge(alertID: c.param("id"), note: note, scope: c.scope, actor: c.actor)
        // "Mark all of this client's alerts as seen": the same call once per further alert.
        let also = (form?["also"] ?? "").split(separator: ",").map(String.init).filter { $0 != alert.id }
        for id in also { _ = try store.acknowledge(alertID: id, note: note, scope: c.scope, actor: c.actor) }
        return redirect("/app/teams/" + alert.teamID + (also.isEmpty ? "#alert-" + alert.id : "#client-" + alert.clientID))
    }
}

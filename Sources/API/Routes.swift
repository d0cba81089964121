import Continuity
import HTTP
import JSON
import Store

/// The route table of SPEC §4. Roles per route; team scope is enforced by the store.
enum Routes {
    static let readers: Set<Role> = [.worker, .manager, .admin]
    static let writers: Set<Role> = [.worker, .admin]

    static let all: [Route] = [
        Route("GET", "/health", roles: nil, inline: true) { _ in Operations.healthy },
        Route("GET", "/ready", roles: nil, Operations.ready),
        Route("GET", "/metrics", roles: nil) { c in
            guard c.app.settings.metricsOnAPIListener else { throw Problem.notFound }
            return c.text(c.app.metrics.render(), contentType: "text/plain; version=0.0.4")
        },
        Route("GET", "/openapi.json", roles: nil, inline: true) { c in OpenAPI.served.response(to: c.request) },

        Route("POST", "/v1/teams", roles: [.admin], Teams.create),
        Route("GET", "/v1/teams", roles: [.admin], query: ["cursor", "limit"], Teams.list),

        Route("POST", "/v1/professionals", roles: [.admin], Professionals.create),
        Route("GET", "/v1/professionals", roles: readers, query: ["team_id", "active_on", "cursor", "limit"], Professionals.list),
        Route("GET", "/v1/professionals/{id}", roles: readers, Professionals.get),
        Route("PATCH", "/v1/professionals/{id}", roles: [.admin], Professionals.update),

        Route("POST", "/v1/clients", roles: writers, Clients.create),
        Route("GET", "/v1/clients", roles: readers, query: ["team_id", "flag", "external_ref", "cursor", "limit"], Clients.list),
        // `team_id` on every route that looks a client, contact or referral up by id: ids are
        // unique per team (SPEC §1), so a token that sees several teams names the team.
        Route("GET", "/v1/clients/{id}", roles: readers, query: ["team_id"], Clients.get),
        Route("PATCH", "/v1/clients/{id}", roles: [.worker, .manager, .admin], query: ["team_id"], Clients.update),
        Route("DELETE", "/v1/clients/{id}", roles: [.admin], query: ["team_id"], Clients.erase),
        Route("POST", "/v1/clients/{id}/primary", roles: writers, query: ["team_id"], Clients.assignPrimary),
        Route("GET", "/v1/clients/{id}/contacts", roles: readers, query: ["team_id", "cursor", "limit"], Contacts.list),
        Route("GET", "/v1/clients/{id}/referrals", roles: readers, query: ["team_id", "cursor", "limit"], Referrals.list),
        Route("GET", "/v1/clients/{id}/assignments", roles: readers, query: ["team_id", "cursor", "limit"], Clients.assignments),
        Route("GET", "/v1/clients/{id}/continuity", roles: readers, query: ["team_id", "as_of", "window_days"], Clients.continuity),
        Route("GET", "/v1/clients/{id}/successors", roles: readers, query: ["team_id", "as_of", "limit"], SuccessorRoutes.advice),

        Route("POST", "/v1/contacts", roles: writers, query: ["team_id"], Contacts.create),
        Route("GET", "/v1/contacts/{id}", roles: readers, query: ["team_id"], Contacts.get),
        Route("PATCH", "/v1/contacts/{id}", roles: writers, query: ["team_id"], Contacts.correct),
        Route("DELETE", "/v1/contacts/{id}", roles: writers, query: ["team_id"], Contacts.delete),

        Route("POST", "/v1/referrals", roles: writers, query: ["team_id"], Referrals.create),
        Route("PATCH", "/v1/referrals/{id}", roles: writers, query: ["team_id"], Referrals.update),

        Route("GET", "/v1/alerts", roles: [.manager, .admin], query: ["team_id", "status", "cursor", "limit"], Alerts.list),
        Route("POST", "/v1/alerts/{id}/ack", roles: [.manager, .admin], Alerts.acknowledge),
        Route("GET", "/v1/alerts/events", roles: [.exporter, .manager, .admin], query: ["after", "limit", "format", "excel"], Alerts.events),
        Route("GET", "/v1/alerts/events.csv", roles: [.exporter, .manager, .admin], query: ["after", "limit", "excel"], Alerts.eventsCSV),

        Route("GET", "/v1/reports/continuity", roles: [.manager, .admin], query: ["team_id", "as_of", "window_days", "format", "excel"], Reports.continuity),
        Route("GET", "/v1/reports/continuity.csv", roles: [.manager, .admin], query: ["team_id", "as_of", "window_days", "excel"],
              Reports.continuity(as: "csv")),
        Route("GET", "/v1/reports/continuity.html", roles: [.manager, .admin], query: ["team_id", "as_of", "window_days"],
              Reports.continuity(as: "html")),

        Route("GET", "/v1/audit", roles: [.admin], query: ["client_id", "team_id", "after", "limit"], Operations.audit),
    ]
}

/// Parses a JSON object body into a value with every field error collected (400), then
/// rejects unknown fields so typos surface (SPEC §4).
func decode<T>(_ c: Context, _ build: (JSONFields) -> T?) throws -> T {
    let errors = FieldErrors()
    let fields = JSONFields(try c.jsonBody(), errors: errors)
    let value = fields.jsonObject == nil ? nil : build(fields)
    if fields.jsonObject != nil { fields.rejectUnknown() }
    guard errors.isEmpty, let value else { throw Problem.invalid(errors.errors) }
    return value
}

enum Operations {
    /// The liveness answer, the same every time: built once (it is the most frequent request).
    static let healthy = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]),
                                      body: JSON.serialize(["status": "ok"]))

    @Sendable static func ready(_ c: Context) throws -> HTTPResponse {
        do {
            _ = try c.store.lastEventSeq()
            return c.json(["status": "ready"])
        } catch {
            return c.json(["status": "unavailable"], status: 503)
        }
    }

    @Sendable static func audit(_ c: Context) throws -> HTTPResponse {
        let after = try c.queryInt("after", range: 0...Int.max) ?? 0
        let page = try c.store.auditEntries(clientID: try c.queryID("client_id"), teamID: try c.queryID("team_id"), after: Int64(after),
                                            limit: try c.limit)
        return c.list(page.items.map(Encode.audit), next: page.nextCursor)
    }
}

enum Teams {
    @Sendable static func create(_ c: Context) throws -> HTTPResponse {
        let team: Team = try decode(c) { f in
            let id = f.id("id", required: false) ?? Validation.newID("team")
            guard let name = f.text("name") else { return nil }
            return Team(id: id, name: name)
        }
        return c.created(try c.store.createTeam(team, actor: c.actor), Encode.team)
    }

    @Sendable static func list(_ c: Context) throws -> HTTPResponse {
        let page = try c.store.teams(after: try c.cursor(.id), limit: try c.limit)
        return c.list(page.items.map(Encode.team), next: page.nextCursor)
    }
}

enum Professionals {
    @Sendable static func create(_ c: Context) throws -> HTTPResponse {
        let p: Professional = try decode(c) { f in
            let id = f.id("id", required: false) ?? Validation.newID("prof")
            let name = f.text("name"), team = f.id("team_id"), discipline = f.text("discipline")
            let employment = f.enumeration("employment", Employment.self)
            let started = f.date("started_on")
            var ended: LocalDate?
            if case .value(let d) = f.update("ended_on", "must be a date YYYY-MM-DD or null", { LocalDate(iso: $0) }) { ended = d }
            guard let name, let team, let discipline, let employment, let started else { return nil }
            return Professional(id: id, name: name, teamID: team, discipline: discipline, employment: employment,
                                startedOn: started, endedOn: ended)
        }
        try Problem.check([Rules.endedOn(p.endedOn, startedOn: p.startedOn)])
        return c.created(try c.store.createProfessional(p, actor: c.actor), Encode.professional)
    }

    @Sendable static func get(_ c: Context) throws -> HTTPResponse {
        let p = try c.store.professional(c.param("id"), scope: c.scope)
        try c.store.auditRead(c.actor, "professional.read")
        return c.json(Encode.professional(p))
    }

    @Sendable static func update(_ c: Context) throws -> HTTPResponse {
        let endedOn: LocalDate?? = try decode(c) { f in
            switch f.update("ended_on", "must be a date YYYY-MM-DD or null", { LocalDate(iso: $0) }) {
            case .absent:
                f.errors.add(f.pointer("ended_on"), "is required (a date, or null when someone stays after all)")
                return nil
            // The closure returns LocalDate???: a bare .some(nil) would be "absent", not "clear".
            case .null: return LocalDate??.some(nil)
            case .value(let d): return .some(d)
            }
        }
        return c.json(Encode.professional(try c.store.updateProfessional(c.param("id"), endedOn: endedOn, actor: c.actor)))
    }
}

enum Clients {
    @Sendable static func create(_ c: Context) throws -> HTTPResponse {
        let client: Client = try decode(c) { f in
            let id = f.id("id", required: false) ?? Validation.newID("client")
            let ref = f.text("external_ref"), team = f.id("team_id"), opened = f.date("opened_on")
            var closed: LocalDate?
            if case .value(let d) = f.update("closed_on", "must be a date YYYY-MM-DD or null", { LocalDate(iso: $0) }) { closed = d }
            if f.has("primary_professional_id") {
                _ = f.value("primary_professional_id")
                f.errors.add(f.pointer("primary_professional_id"), "is derived: assign with POST /v1/clients/{id}/primary")
            }
            guard let ref, let team, let opened else { return nil }
            return Client(id: id, externalRef: ref, teamID: team, openedOn: opened, closedOn: closed)
        }
        try Problem.check([Rules.closedOn(client.closedOn, openedOn: client.openedOn)])
        let outcome = try c.store.createClient(client, scope: c.scope, actor: c.actor)
        let primary = try c.store.client(client.id, scope: c.scope.narrowed(to: client.teamID)).primary
        return c.created(outcome) { Encode.client($0, primary: primary) }
    }

    @Sendable static func get(_ c: Context) throws -> HTTPResponse {
        let (client, primary) = try c.store.client(c.param("id"), scope: try c.idScope())
        try c.store.auditRead(c.actor, "client.read", client: client.key)
        return c.json(Encode.client(client, primary: primary))
    }

    @Sendable static func update(_ c: Context) throws -> HTTPResponse {
        let (closedOn, teamID): (LocalDate??, String?) = try decode(c) { f in
            var closed: LocalDate??
            switch f.update("closed_on", "must be a date YYYY-MM-DD or null", { LocalDate(iso: $0) }) {
            case .absent: closed = nil
            case .null: closed = .some(nil)
            case .value(let d): closed = .some(d)
            }
            let team = f.id("team_id", required: false)
            if closed == nil && team == nil && f.errors.isEmpty {
                f.errors.add("", "send closed_on and/or team_id")
                return nil
            }
            return (closed, team)
        }
        // The id is looked up in `?team_id=`; the new team is checked against the token's teams.
        let (client, primary) = try c.store.updateClient(c.param("id"), inTeam: try c.queryID("team_id"), closedOn: closedOn,
                                                         teamID: teamID, scope: c.scope,
                                                         role: c.role ?? .worker, actor: c.actor)
        return c.json(Encode.client(client, primary: primary))
    }

    @Sendable static func list(_ c: Context) throws -> HTTPResponse {
        let page = try c.store.clients(scope: c.scope, teamID: try c.queryID("team_id"), flag: try c.queryEnum("flag", Flag.self),
                                       externalRef: try c.queryText("external_ref"), after: try c.cursor(.client), limit: try c.limit)
        // Every client record read is audited (SPEC §4), lists included.
        try c.store.auditReads(c.actor, "client.list", clients: page.items.map { $0.0.key })
        return c.list(page.items.map { Encode.client($0.0, primary: $0.primary) }, next: page.nextCursor)
    }

    @Sendable static func erase(_ c: Context) throws -> HTTPResponse {
        try c.store.erase(clientID: c.param("id"), scope: try c.idScope(), actor: c.actor)
        return HTTPResponse(status: 204)
    }

    @Sendable static func assignPrimary(_ c: Context) throws -> HTTPResponse {
        let clientID = c.param("id")
        let a: PrimaryAssignment = try decode(c) { f in
            var professional: String?
            switch f.update("professional_id", Validation.idDetail + " or null", { Validation.isID($0) ? $0 : nil }) {
            case .absent: f.errors.add(f.pointer("professional_id"), "is required (an id, or null for nobody)")
            case .null: professional = nil
            case .value(let p): professional = p
            }
            let from = f.date("from"), reason = f.enumeration("reason", AssignmentReason.self)
            guard let from, let reason else { return nil }
            return PrimaryAssignment(clientID: clientID, professionalID: professional, from: from, reason: reason)
        }
        return c.created(try c.store.assignPrimary(a, inTeam: try c.queryID("team_id"), scope: c.scope, actor: c.actor), Encode.assignment)
    }

    @Sendable static func continuity(_ c: Context) throws -> HTTPResponse {
        let scope = try c.idScope()
        let (m, flags) = try c.store.continuity(clientID: c.param("id"), scope: scope, asOf: try c.asOf, windowDays: try c.windowDays)
        try c.store.auditRead(c.actor, "continuity.read", clientID: c.param("id"), scope: scope)
        return c.json(Encode.continuity(clientID: c.param("id"), m, flags))
    }
}

enum Contacts {
    @Sendable static func create(_ c: Context) throws -> HTTPResponse {
        let contact: Contact = try decode(c) { f in
            let id = f.id("id", required: false) ?? Validation.newID("contact")
            let client = f.id("client_id")
            let fields = ContactFields(f, required: true)
            guard let client, let lead = fields.lead, let occurred = fields.occurred, let mode = fields.mode, f.errors.isEmpty else {
                return nil
            }
            return Contact(id: id, clientID: client, professionalID: lead, participants: fields.participants ?? [],
                           occurredAt: occurred.instant, occurredAtText: occurred.text, mode: mode, status: fields.status ?? .held,
                           durationMinutes: fields.duration ?? nil)
        }
        return c.created(try c.store.createContact(contact, inTeam: try c.queryID("team_id"), scope: c.scope, actor: c.actor), Encode.contact)
    }

    @Sendable static func list(_ c: Context) throws -> HTTPResponse {
        let cursor = try c.cursor(.contact, ContactCursor.init(text:))
        let scope = try c.idScope()
        let page = try c.store.contacts(clientID: c.param("id"), scope: scope, after: cursor?.text, limit: try c.limit)
        try c.store.auditRead(c.actor, "contacts.read", clientID: c.param("id"), scope: scope)
        return c.list(page.items.map(Encode.contact), next: page.nextCursor)
    }
}

enum Referrals {
    @Sendable static func create(_ c: Context) throws -> HTTPResponse {
        // status_on defaults to referred_on (not today), so a retry on another day is the same body.
        let r: Referral = try decode(c) { f in
            let id = f.id("id", required: false) ?? Validation.newID("ref")
            let client = f.id("client_id"), on = f.date("referred_on"), from = f.id("from_professional_id")
            let to = f.text("to")
            var toProfessional: String?
            if case .value(let p) = f.update("to_professional_id", Validation.idDetail + " or null", { Validation.isID($0) ? $0 : nil }) {
                toProfessional = p
            }
            let warm = f.bool("warm_handover", required: false) ?? false
            let status = f.enumeration("status", ReferralStatus.self, required: false) ?? .open
            let statusOn = f.date("status_on", required: false)
            guard let client, let on, let from, let to else { return nil }
            return Referral(id: id, clientID: client, referredOn: on, fromProfessionalID: from, to: to,
                            toProfessionalID: toProfessional, warmHandover: warm, status: status,
                            statusOn: statusOn ?? on)
        }
        return c.created(try c.store.createReferral(r, inTeam: try c.queryID("team_id"), scope: c.scope, actor: c.actor), Encode.referral)
    }

    @Sendable static func update(_ c: Context) throws -> HTTPResponse {
        let (status, on): (ReferralStatus, LocalDate?) = try decode(c) { f in
            let status = f.enumeration("status", ReferralStatus.self)
            let on = f.date("status_on", required: false)
            guard let status else { return nil }
            return (status, on)
        }
        return c.json(Encode.referral(try c.store.updateReferral(c.param("id"), status: status, statusOn: on, scope: try c.idScope(), actor: c.actor)))
    }
}

enum Alerts {
    @Sendable static func list(_ c: Context) throws -> HTTPResponse {
        let cursor = try c.cursor(.seq, { Int64($0) })
        let page = try c.store.alerts(scope: c.scope, teamID: try c.queryID("team_id"),
                                      status: try c.queryEnum("status", AlertStatusFilter.self) ?? .open,
                                      after: cursor, limit: try c.limit)
        try c.store.auditReads(c.actor, "alert.list", clients: page.items.map(\.clientKey))
        return c.list(page.items.map(Encode.alert), next: page.nextCursor)
    }

    @Sendable static func acknowledge(_ c: Context) throws -> HTTPResponse {
        let note: String = try decode(c) { f in f.text("note") }
        return c.json(Encode.alert(try c.store.acknowledge(alertID: c.param("id"), note: note, scope: c.scope, actor: c.actor)))
    }

    /// NDJSON by default, CSV on request (SPEC §3, §4), in seq order.
    @Sendable static func events(_ c: Context) throws -> HTTPResponse { try events(c, csv: c.wantsCSV) }

    /// CSV as an operation of its own (`/v1/alerts/events.csv`), for client generators.
    @Sendable static func eventsCSV(_ c: Context) throws -> HTTPResponse { try events(c, csv: true) }

    static func events(_ c: Context, csv: Bool) throws -> HTTPResponse {
        let after = try c.queryInt("after", range: 0...Int.max) ?? 0
        let limit = try c.queryInt("limit", range: 1...10_000) ?? 1000
        if let f = c.query["format"], f != "csv", f != "ndjson" {
            throw Problem.invalidParameter("format", "must be one of ndjson, csv")
        }
        let events = try c.store.alertEvents(scope: c.scope, after: Int64(after), limit: limit)
        // An erased client's id must not come back into the audit log through its erased event.
        try c.store.auditReads(c.actor, "alert_events.read", clients: events.filter { $0.event != "erased" }.map { ClientKey(teamID: $0.teamID, id: $0.clientID) })
        var r: HTTPResponse
        if csv {
            r = c.text(EventFormat.csv(events, excelNL: c.query["excel"] == "nl"), contentType: "text/csv; charset=utf-8")
        } else {
            r = HTTPResponse(status: 200, body: EventFormat.ndjson(events))
            r.headers.set("Content-Type", "application/x-ndjson")
        }
        if let last = events.last { r.headers.set("X-Last-Seq", String(last.seq)) }
        return r
    }
}

/// The two wire forms of alert events, shared by the API and `continuity export-alerts`.
public enum EventFormat {
    public static let columns = ["seq", "event", "alert_id", "client_id", "team_id", "flag", "on", "evidence"]

    public static func ndjson(_ events: [AlertEvent]) -> [UInt8] {
        var out: [UInt8] = []
        for e in events {
            out += JSON.serialize(Encode.event(e))
            out.append(10)
        }
        return out
    }

    public static func csv(_ events: [AlertEvent], excelNL: Bool = false, header: Bool = true) -> String {
        var table = CSVTable(columns: header ? columns : [], excelNL: excelNL)
        for e in events {
            table.row([.text(String(e.seq)), .text(e.event), .text(e.alertID ?? ""), .text(e.clientID), .text(e.teamID),
                       .text(e.flag ?? ""), .text(e.on.iso), .text(e.evidence ?? "")])
        }
        return table.text(bom: header)
    }
}

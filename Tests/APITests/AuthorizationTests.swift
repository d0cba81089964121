import API
import Continuity
import JSON
import Store
import Testing

/// SPEC §4 roles and team scope, as one table over every route the router serves. A route
/// added to the router without a row here fails `everyRouteAnswersEveryTokenAsTheTableSays`.
@Suite struct AuthorizationTests {
    enum Target: String, CaseIterable { case own = "A", other = "B" }

    struct Caller: CustomStringConvertible {
        var name: String
        var role: Role
        var team: String?
        var description: String { name }
    }

    static let callers = [
        Caller(name: "worker-A", role: .worker, team: "A"),
        Caller(name: "manager-A", role: .manager, team: "A"),
        Caller(name: "manager-all", role: .manager, team: nil),
        Caller(name: "exporter", role: .exporter, team: nil),
        Caller(name: "admin", role: .admin, team: nil),
    ]

    /// Who may call a route (nil: anyone, no token), its success status, and what a token
    /// bound to team A gets when it addresses team B's resource (nil: the route has no team).
    struct Rule {
        var roles: Set<Role>?
        var success: Int
        var otherTeam: Int?
    }

    static let readers: Set<Role> = [.worker, .manager, .admin]

    /// SPEC §4, written out by hand (not copied from Routes.swift) so the two can disagree.
    static let table: [String: Rule] = [
        "GET /health": Rule(roles: nil, success: 200),
        "GET /ready": Rule(roles: nil, success: 200),
        "GET /metrics": Rule(roles: nil, success: 200),
        "GET /openapi.json": Rule(roles: nil, success: 200),
        "POST /v1/teams": Rule(roles: [.admin], success: 201),
        "GET /v1/teams": Rule(roles: [.admin], success: 200),
        "POST /v1/professionals": Rule(roles: [.admin], success: 201),
        "GET /v1/professionals/{id}": Rule(roles: readers, success: 200, otherTeam: 404),
        "GET /v1/professionals": Rule(roles: readers, success: 200, otherTeam: 200),
        "PATCH /v1/professionals/{id}": Rule(roles: [.admin], success: 200),
        "POST /v1/clients": Rule(roles: [.worker, .admin], success: 201, otherTeam: 422),
        // Lists filter: another team's `team_id` gives an empty list (checked below), not an error.
        "GET /v1/clients": Rule(roles: readers, success: 200, otherTeam: 200),
        "GET /v1/clients/{id}": Rule(roles: readers, success: 200, otherTeam: 404),
        "PATCH /v1/clients/{id}": Rule(roles: readers, success: 200, otherTeam: 404),
        "DELETE /v1/clients/{id}": Rule(roles: [.admin], success: 204),
        "POST /v1/clients/{id}/primary": Rule(roles: [.worker, .admin], success: 201, otherTeam: 404),
        "GET /v1/clients/{id}/contacts": Rule(roles: readers, success: 200, otherTeam: 404),
        "GET /v1/clients/{id}/continuity": Rule(roles: readers, success: 200, otherTeam: 404),
        "GET /v1/clients/{id}/successors": Rule(roles: readers, success: 200, otherTeam: 404),
        "GET /v1/clients/{id}/referrals": Rule(roles: readers, success: 200, otherTeam: 404),
        "GET /v1/clients/{id}/assignments": Rule(roles: readers, success: 200, otherTeam: 404),
        "GET /v1/contacts/{id}": Rule(roles: readers, success: 200, otherTeam: 404),
        "PATCH /v1/contacts/{id}": Rule(roles: [.worker, .admin], success: 200, otherTeam: 404),
        "DELETE /v1/contacts/{id}": Rule(roles: [.worker, .admin], success: 204, otherTeam: 404),
        // A body naming another team's client: the reference does not exist for this token.
        "POST /v1/contacts": Rule(roles: [.worker, .admin], success: 201, otherTeam: 422),
        "POST /v1/referrals": Rule(roles: [.worker, .admin], success: 201, otherTeam: 422),
        "PATCH /v1/referrals/{id}": Rule(roles: [.worker, .admin], success: 200, otherTeam: 404),
        "GET /v1/alerts": Rule(roles: [.manager, .admin], success: 200, otherTeam: 200),
        "POST /v1/alerts/{id}/ack": Rule(roles: [.manager, .admin], success: 200, otherTeam: 404),
        "GET /v1/alerts/events": Rule(roles: [.exporter, .manager, .admin], success: 200, otherTeam: 200),
        "GET /v1/alerts/events.csv": Rule(roles: [.exporter, .manager, .admin], success: 200, otherTeam: 200),
        "GET /v1/reports/continuity": Rule(roles: [.manager, .admin], success: 200, otherTeam: 404),
        "GET /v1/reports/continuity.csv": Rule(roles: [.manager, .admin], success: 200, otherTeam: 404),
        "GET /v1/reports/continuity.html": Rule(roles: [.manager, .admin], success: 200, otherTeam: 404),
        "GET /v1/audit": Rule(roles: [.admin], success: 200),
    ]

    static func expected(_ rule: Rule, _ caller: Caller, _ target: Target) -> Int {
        guard let roles = rule.roles else { return rule.success }
        guard roles.contains(caller.role) else { return 403 }
        if caller.team != nil, target == .other, let other = rule.otherTeam { return other }
        return rule.success
    }

    /// Teams A and B, each with a professional, a client (opened in January with nobody
    /// assigned, so it has open alerts), a contact and a referral; and the five tokens.
    struct World {
        var server: TestServer
        var tokens: [String: String] = [:]
        var alerts: [Target: String] = [:]
    }

    static func makeWorld(_ s: TestServer) throws -> World {
        let actor = Actor.cli("test-setup")
        var world = World(server: s)
        for t in Target.allCases {
            let team = t.rawValue
            _ = try s.store.createTeam(Team(id: team, name: "Team \(team)"), actor: actor)
            _ = try s.store.createProfessional(Professional(id: "p-\(team)", name: "Pro \(team)", teamID: team, discipline: "sw",
                                                            employment: .permanent, startedOn: LocalDate(iso: "2020-01-01")!), actor: actor)
            _ = try s.store.createClient(Client(id: "c-\(team)", externalRef: "ZK-\(team)", teamID: team,
                                                openedOn: LocalDate(iso: "2025-01-06")!), scope: .all, actor: actor)
            _ = try s.store.createContact(Contact(id: "k-\(team)", clientID: "c-\(team)", professionalID: "p-\(team)",
                                                  occurredAt: Instant(rfc3339: "2025-02-03T10:00:00+01:00")!, mode: .phone),
                                          scope: .all, actor: actor)
            _ = try s.store.createReferral(Referral(id: "r-\(team)", clientID: "c-\(team)", referredOn: LocalDate(iso: "2025-02-03")!,
                                                    fromProfessionalID: "p-\(team)", to: "GGZ"), scope: .all, actor: actor)
            let open = try s.store.alerts(scope: .team(team), teamID: nil, status: .open, after: nil, limit: 10).items
            guard let alert = open.first else { throw TestFailure("team \(team) has no open alert") }
            world.alerts[t] = alert.id
        }
        for c in callers { world.tokens[c.name] = try s.token(c.name, c.role, team: c.team) }
        return world
    }

    /// The request that exercises a route for a target team: (target URL, JSON body), nil for
    /// a route this test does not know.
    static func request(_ route: Route, _ target: Target, _ n: Int, _ world: World) throws -> (String, JSONValue?)? {
        let team = target.rawValue
        let client = "c-\(team)", professional = "p-\(team)"
        switch "\(route.method) \(route.pattern)" {
        case "GET /health", "GET /ready", "GET /metrics", "GET /openapi.json", "GET /v1/teams", "GET /v1/alerts/events",
             "GET /v1/alerts/events.csv":
            return (route.pattern, nil)
        case "POST /v1/teams":
            return (route.pattern, ["id": .string("team-\(n)"), "name": "New team"])
        case "POST /v1/professionals":
            return (route.pattern, ["id": .string("p-new-\(n)"), "name": "New", "team_id": .string(team), "discipline": "sw",
                                    "employment": "agency", "started_on": "2025-01-01"])
        case "GET /v1/professionals/{id}":
            return ("/v1/professionals/\(professional)", nil)
        case "PATCH /v1/professionals/{id}":
            return ("/v1/professionals/\(professional)", ["ended_on": .null])
        case "POST /v1/clients":
            return (route.pattern, ["id": .string("c-new-\(n)"), "external_ref": "ZK-NEW", "team_id": .string(team),
                                    "opened_on": "2025-05-01"])
        case "GET /v1/professionals":
            return ("/v1/professionals?team_id=\(team)", nil)
        case "GET /v1/contacts/{id}":
            return ("/v1/contacts/k-\(team)", nil)
        case "PATCH /v1/contacts/{id}":
            return ("/v1/contacts/k-\(team)", ["duration_minutes": .int(n % 60)])
        case "DELETE /v1/contacts/{id}":
            // A contact of its own for each deletion, so the others stay.
            let id = "k-doomed-\(n)"
            _ = try world.server.store.createContact(Contact(id: id, clientID: client, professionalID: professional,
                                                             occurredAt: Instant(rfc3339: "2025-02-04T10:00:00+01:00")!, mode: .phone),
                                                     scope: .all, actor: .cli("test-setup"))
            return ("/v1/contacts/\(id)", nil)
        case "GET /v1/clients":
            return ("/v1/clients?team_id=\(team)", nil)
        case "GET /v1/clients/{id}", "GET /v1/clients/{id}/contacts", "GET /v1/clients/{id}/continuity",
             "GET /v1/clients/{id}/referrals", "GET /v1/clients/{id}/assignments", "GET /v1/clients/{id}/successors":
            return (route.pattern.replacingID(with: client), nil)
        case "PATCH /v1/clients/{id}":
            return ("/v1/clients/\(client)", ["closed_on": .null])
        case "DELETE /v1/clients/{id}":
            // A client of its own for each erasure, so the others stay.
            let id = "c-doomed-\(n)"
            _ = try world.server.store.createClient(Client(id: id, externalRef: "ZK-D", teamID: team,
                                                           openedOn: LocalDate(iso: "2025-05-01")!), scope: .all, actor: .cli("test-setup"))
            return ("/v1/clients/\(id)", nil)
        case "POST /v1/clients/{id}/primary":
            return ("/v1/clients/\(client)/primary", ["professional_id": .string(professional), "from": "2025-05-01", "reason": "start"])
        case "POST /v1/contacts":
            return (route.pattern, ["id": .string("k-new-\(n)"), "client_id": .string(client), "professional_id": .string(professional),
                                    "occurred_at": "2025-05-20T10:00:00+02:00", "mode": "office_visit"])
        case "POST /v1/referrals":
            return (route.pattern, ["id": .string("r-new-\(n)"), "client_id": .string(client), "referred_on": "2025-05-20",
                                    "from_professional_id": .string(professional), "to": "Wmo-loket"])
        case "PATCH /v1/referrals/{id}":
            return ("/v1/referrals/r-\(team)", ["status": "accepted"])
        case "GET /v1/alerts":
            return ("/v1/alerts?status=all&team_id=\(team)", nil)
        case "POST /v1/alerts/{id}/ack":
            return ("/v1/alerts/\(world.alerts[target]!)/ack", ["note": "Seen; calling on Monday"])
        case "GET /v1/reports/continuity", "GET /v1/reports/continuity.csv", "GET /v1/reports/continuity.html":
            return (route.pattern + "?team_id=\(team)", nil)
        case "GET /v1/audit":
            return ("/v1/audit?client_id=\(client)", nil)
        default:
            return nil
        }
    }

    @Test func everyRouteAnswersEveryTokenAsTheTableSays() throws {
        try withServer { s in
            let world = try Self.makeWorld(s)
            let routes = s.app.router.routes
            #expect(Set(routes.map { "\($0.method) \($0.pattern)" }) == Set(Self.table.keys),
                    "the table and the router list the same routes")
            var n = 0, checked = 0
            for route in routes {
                let key = "\(route.method) \(route.pattern)"
                guard let rule = Self.table[key] else {
                    Issue.record("no authorization rule for \(key): add it to the table")
                    continue
                }
                for caller in Self.callers {
                    for target in Target.allCases {
                        n += 1
                        guard let (url, body) = try Self.request(route, target, n, world) else {
                            Issue.record("no request for \(key): add it to request(_:_:_:_:)")
                            continue
                        }
                        let r = try s.request(route.method, url, token: world.tokens[caller.name], json: body)
                        let want = Self.expected(rule, caller, target)
                        if (200..<300).contains(want) {
                            #expect((200..<300).contains(r.status), "\(key) as \(caller) on team \(target.rawValue): want 2xx, got \(r)")
                        } else {
                            #expect(r.status == want, "\(key) as \(caller) on team \(target.rawValue): want \(want), got \(r)")
                        }
                        checked += 1
                        // Lists never show another team's records to a team-bound token.
                        if let team = caller.team, r.status == 200,
                           ["GET /v1/clients", "GET /v1/professionals", "GET /v1/alerts", "GET /v1/alerts/events"].contains(key) {
                            let records = key == "GET /v1/alerts/events" ? ndjsonLines(r.body) : r.items
                            #expect(records.allSatisfy { $0["team_id"]?.stringValue == team }, "\(key) as \(caller) leaks another team")
                            if target == .other && key != "GET /v1/alerts/events" { #expect(records.isEmpty) }
                        }
                    }
                }
            }
            #expect(checked == Self.table.count * Self.callers.count * Target.allCases.count)
        }
    }

    @Test func teamBoundTokensSeeOnlyTheirOwnTeamInListsEventsAndReports() throws {
        try withServer { s in
            let world = try Self.makeWorld(s)
            let managerA = world.tokens["manager-A"]!, managerAll = world.tokens["manager-all"]!
            let workerA = world.tokens["worker-A"]!, exporter = world.tokens["exporter"]!

            let clientsA = try s.expect(s.get("/v1/clients", token: managerA), 200).items
            #expect(clientsA.compactMap { $0["id"]?.stringValue } == ["c-A"])
            let clientsAll = try s.expect(s.get("/v1/clients", token: managerAll), 200).items
            #expect(clientsAll.compactMap { $0["id"]?.stringValue } == ["c-A", "c-B"])
            #expect(try s.expect(s.get("/v1/clients", token: workerA), 200).items.count == 1)

            let eventsA = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: managerA), 200).body)
            #expect(!eventsA.isEmpty)
            #expect(eventsA.allSatisfy { $0["team_id"] == "A" })
            let eventsAll = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: exporter), 200).body)
            #expect(Set(eventsAll.compactMap { $0["team_id"]?.stringValue }) == ["A", "B"])
            #expect(eventsAll.count == 2 * eventsA.count)

            let alertsA = try s.expect(s.get("/v1/alerts?status=all", token: managerA), 200).items
            #expect(!alertsA.isEmpty && alertsA.allSatisfy { $0["team_id"] == "A" })

            // Reports: a manager's own team by default; another team does not exist for them.
            let reportA = try s.expect(s.get("/v1/reports/continuity", token: managerA), 200)
            #expect(reportA.json["team_id"] == "A")
            #expect(reportA.json["team"]?["open_cases"]?.int64Value == 1)
            #expect(try s.get("/v1/reports/continuity?team_id=B", token: managerA).status == 404)
            #expect(try s.get("/v1/reports/continuity?team_id=B", token: managerAll).status == 200)

            // Another team's client is absent, not forbidden: 404 whether or not it exists.
            let hidden = try s.get("/v1/clients/c-B", token: workerA)
            let absent = try s.get("/v1/clients/c-nobody", token: workerA)
            #expect(hidden.status == 404)
            #expect(hidden.json == absent.json)
            // …and reading it wrote no audit row naming it.
            let audit = try s.expect(s.get("/v1/audit?client_id=c-B", token: world.tokens["admin"]!), 200).items
            #expect(!audit.contains { $0["token_name"] == "worker-A" })
        }
    }
}

extension String {
    func replacingID(with id: String) -> String { components(separatedBy: "{id}").joined(separator: id) }
}

@Suite struct ScopeLeakTests {
    /// SPEC §1: ids are unique per team, so another team's contact or referral id is free here
    /// (before, this answered 409 and so told team A that team B held a record with that id).
    @Test func reusingAnotherTeamsContactOrReferralIdCreatesOurOwnAndLeavesTheirsAlone() throws {
        try withServer { s in
            let world = try AuthorizationTests.makeWorld(s)
            let workerA = world.tokens["worker-A"]!, admin = world.tokens["admin"]!
            let before = try s.expect(s.get("/v1/contacts/k-B?team_id=B", token: admin), 200).text
            let contact = try s.post("/v1/contacts", token: workerA, [
                "id": "k-B", "client_id": "c-A", "professional_id": "p-A",
                "occurred_at": "2025-05-20T10:00:00+02:00", "mode": "phone",
            ])
            #expect(contact.status == 201)
            #expect(!contact.text.contains("c-B"), "the answer names team B's client: \(contact)")
            #expect(try s.get("/v1/contacts/k-B", token: workerA).json["client_id"] == .string("c-A"))
            #expect(try s.get("/v1/contacts/k-B?team_id=B", token: admin).text == before)
            // Two teams use the id now: a token that sees both must say which.
            let ambiguous = try s.get("/v1/contacts/k-B", token: admin)
            #expect(ambiguous.status == 409 && ambiguous.text.contains("\"parameter\":\"team_id\""), "\(ambiguous)")
            let referral = try s.post("/v1/referrals", token: workerA, [
                "id": "r-B", "client_id": "c-A", "referred_on": "2025-05-20", "from_professional_id": "p-A", "to": "GGZ",
            ])
            #expect(referral.status == 201)
            #expect(!referral.text.contains("c-B"), "the answer names team B's client: \(referral)")
        }
    }
}

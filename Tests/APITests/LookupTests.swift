import JSON
import Store
import Testing

/// The reads an app needs (SPEC §4), over real HTTP against a real SQLite file: team-scoped
/// (another team's record answers exactly like a missing one), paginated, audited.
@Suite struct LookupTests {
    /// Two teams, each with professionals and a client; returns (admin, worker of t1, worker of t2).
    func twoTeams(_ s: TestServer) throws -> (admin: String, w1: String, w2: String) {
        let admin = try s.token("admin", .admin)
        try s.makeTeam("t1", admin: admin)
        try s.makeTeam("t2", admin: admin)
        try s.makeProfessional("p-a", team: "t1", admin: admin, startedOn: "2020-01-01")
        try s.makeProfessional("p-b", team: "t1", admin: admin, startedOn: "2025-06-10")
        try s.makeProfessional("p-c", team: "t1", admin: admin, startedOn: "2020-01-01")
        try s.makeProfessional("p-x", team: "t2", admin: admin)
        try s.expect(s.patch("/v1/professionals/p-c", token: admin, ["ended_on": "2025-05-31"]), 200)
        let w1 = try s.token("w1", .worker, team: "t1"), w2 = try s.token("w2", .worker, team: "t2")
        try s.makeClient("c1", team: "t1", token: w1, openedOn: "2025-01-06", ref: "ZK-2025-001")
        try s.makeClient("c2", team: "t2", token: w2, openedOn: "2025-01-06", ref: "ZK-2025-001")
        return (admin, w1, w2)
    }

    func ids(_ r: TestResponse) -> [String] { r.items.compactMap { $0["id"]?.stringValue } }

    /// Every item of a list, page by page (`limit` per page) until `next_cursor` is null.
    func allPages(_ s: TestServer, _ path: String, limit: Int, token: String) throws -> [JSONValue] {
        var items: [JSONValue] = [], cursor: String? = nil, pages = 0
        repeat {
            let r = try s.expect(s.get(path + "?limit=\(limit)" + (cursor.map { "&cursor=" + $0 } ?? ""), token: token), 200)
            #expect(r.items.count <= limit)
            items += r.items
            cursor = r.json["next_cursor"]?.stringValue
            pages += 1
        } while cursor != nil && pages < 20
        return items
    }

    func auditActions(_ s: TestServer, admin: String, token name: String) throws -> [String] {
        let entries = try s.expect(s.get("/v1/audit?limit=500", token: admin), 200).items
        return entries.filter { $0["token_name"]?.stringValue == name }.compactMap { $0["action"]?.stringValue }
    }

    @Test func theProfessionalsListShowsOnlyTheWorkersTeam_filteredByTheDayTheyWorked_andPaged() throws {
        try withServer { s in
            let (admin, w1, w2) = try twoTeams(s)
            #expect(ids(try s.expect(s.get("/v1/professionals", token: w1), 200)) == ["p-a", "p-b", "p-c"])
            #expect(ids(try s.expect(s.get("/v1/professionals", token: w2), 200)) == ["p-x"])
            // Another team's id in team_id finds nothing, exactly as an unknown team does.
            let other = try s.expect(s.get("/v1/professionals?team_id=t2", token: w1), 200)
            let unknown = try s.expect(s.get("/v1/professionals?team_id=t9", token: w1), 200)
            #expect(other.json == unknown.json)
            #expect(other.items.isEmpty)
            // Employed on 2 June 2025: p-b starts on the 10th, p-c's last day was 31 May.
            #expect(ids(try s.expect(s.get("/v1/professionals?team_id=t1&active_on=2025-06-02", token: admin), 200)) == ["p-a"])
            #expect(ids(try s.expect(s.get("/v1/professionals?active_on=2025-05-31", token: w1), 200)) == ["p-a", "p-c"])
            // Pages of one, by id, until next_cursor is null.
            let seen = try allPages(s, "/v1/professionals", limit: 1, token: admin).compactMap { $0["id"]?.stringValue }
            #expect(seen == ["p-a", "p-b", "p-c", "p-x"])
            #expect(try s.get("/v1/professionals?active_on=June", token: w1).parameters == ["active_on"])
            #expect(try s.get("/v1/professionals", token: s.token("exp", .exporter)).status == 403)
            #expect(try auditActions(s, admin: admin, token: "w1").contains("professional.list"))
        }
    }

    @Test func aClientIsFoundByItsCaseNumber_withinTheTokensTeamOnly() throws {
        try withServer { s in
            let (admin, w1, _) = try twoTeams(s)
            // Both teams use the same case number; each worker finds their own client only.
            #expect(ids(try s.expect(s.get("/v1/clients?external_ref=ZK-2025-001", token: w1), 200)) == ["c1"])
            #expect(ids(try s.expect(s.get("/v1/clients?external_ref=ZK-2025-001", token: admin), 200)) == ["c1", "c2"])
            #expect(ids(try s.expect(s.get("/v1/clients?external_ref=ZK-2025-001&team_id=t2", token: admin), 200)) == ["c2"])
            #expect(try s.expect(s.get("/v1/clients?external_ref=ZK-0", token: w1), 200).items.isEmpty)
            // Percent-encoded spaces and the like arrive decoded.
            try s.makeClient("c3", team: "t1", token: w1, ref: "ZK 7/B")
            #expect(ids(try s.expect(s.get("/v1/clients?external_ref=ZK%207%2FB", token: w1), 200)) == ["c3"])
            #expect(try s.get("/v1/clients?external_ref=%20", token: w1).parameters == ["external_ref"])
            #expect(try s.get("/v1/clients?external_ref=" + String(repeating: "x", count: 201), token: w1).parameters == ["external_ref"])
        }
    }

    @Test func aClientsReferralsAndPrimaryHistoryArePagedInOrder_andOtherTeamsClientsAnswerLikeMissingOnes() throws {
        try withServer { s in
            let (admin, w1, w2) = try twoTeams(s)
            try s.makeReferral("r-2", client: "c1", from: "p-a", on: "2025-03-01", token: w1)
            try s.makeReferral("r-1", client: "c1", from: "p-a", on: "2025-02-01", token: w1)
            try s.makeReferral("r-3", client: "c1", from: "p-a", on: "2025-03-01", token: w1)
            try s.assignPrimary("c1", "p-a", from: "2025-01-06", token: w1)
            try s.assignPrimary("c1", nil, from: "2025-03-01", token: w1)
            try s.assignPrimary("c1", "p-c", from: "2025-02-01", token: w1)

            let refs = try allPages(s, "/v1/clients/c1/referrals", limit: 2, token: w1).compactMap { $0["id"]?.stringValue }
            #expect(refs == ["r-1", "r-2", "r-3"])
            let first = try s.expect(s.get("/v1/clients/c1/referrals?limit=1", token: w1), 200).items.first
            #expect(first?["to"] == "Schuldhulpverlening")
            #expect(first?["status"] == "open")

            let history = try allPages(s, "/v1/clients/c1/assignments", limit: 2, token: w1)
            #expect(history.map { $0["professional_id"] ?? "missing" } == ["p-a", "p-c", .null])
            #expect(history.map { $0["from"]?.stringValue ?? "" } == ["2025-01-06", "2025-02-01", "2025-03-01"])

            for path in ["/v1/clients/c1/referrals", "/v1/clients/c1/assignments"] {
                let foreign = try s.get(path, token: w2)
                let missing = try s.get("/v1/clients/c-none/" + path.split(separator: "/").last!, token: w2)
                #expect(foreign.status == 404)
                #expect(foreign.json == missing.json)
                #expect(try s.get(path + "?cursor=nonsense", token: w1).parameters == ["cursor"])
            }
            let actions = try auditActions(s, admin: admin, token: "w1")
            #expect(actions.contains("referrals.read"))
            #expect(actions.contains("assignments.read"))
        }
    }

    @Test func oneContactIsReadable_byItsTeamOnly_andTheReadIsAudited() throws {
        try withServer { s in
            let (admin, w1, w2) = try twoTeams(s)
            let made = try s.makeContact("k1", client: "c1", professional: "p-a", at: "2025-05-28T10:00:00+02:00", token: w1)
            let read = try s.expect(s.get("/v1/contacts/k1", token: w1), 200)
            #expect(read.json == made.json)
            let foreign = try s.get("/v1/contacts/k1", token: w2)
            let missing = try s.get("/v1/contacts/k-none", token: w2)
            #expect(foreign.status == 404)
            #expect(foreign.json == missing.json)
            let audit = try s.expect(s.get("/v1/audit?client_id=c1&limit=500", token: admin), 200).items
            #expect(audit.contains { $0["action"] == "contact.read" && $0["token_name"] == "w1" })
            #expect(!audit.contains { $0["action"] == "contact.read" && $0["token_name"] == "w2" })
        }
    }
}

import JSON
import Store
import Testing

/// GET /v1/clients/{id}/successors over real HTTP (SPEC §2, §4).
@Suite struct SuccessorsRouteTests {
    @Test func aLeavingPrimaryGetsAdviceNamingTheColleagueTheClientKnows() throws {
        try withServer(now: "2025-06-02T10:00:00Z") { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeTeam("t2", admin: admin)
            for p in ["p-anna", "p-bram", "p-carla", "p-dirk"] { try s.makeProfessional(p, team: "t1", admin: admin) }
            try s.makeProfessional("p-other", team: "t2", admin: admin)
            let worker = try s.token("worker-1", .worker, team: "t1")
            let outsider = try s.token("worker-2", .worker, team: "t2")

            try s.makeClient("c-1", team: "t1", token: worker, openedOn: "2025-01-06")
            try s.assignPrimary("c-1", "p-anna", from: "2025-01-06", token: worker)
            // Bram met the client twice (once on a joint visit), Carla once.
            try s.makeContact("k-1", client: "c-1", professional: "p-anna", at: "2025-03-03T10:00:00+01:00", token: worker)
            try s.expect(s.post("/v1/contacts", token: worker, [
                "id": "k-2", "client_id": "c-1", "professional_id": "p-anna", "participants": ["p-bram"],
                "occurred_at": "2025-04-14T10:00:00+02:00", "mode": "home_visit"]), 201)
            try s.makeContact("k-3", client: "c-1", professional: "p-bram", at: "2025-05-12T10:00:00+02:00", token: worker)
            try s.makeContact("k-4", client: "c-1", professional: "p-carla", at: "2025-05-26T10:00:00+02:00", token: worker)
            // Dirk is primary of another open case: caseload 1.
            try s.makeClient("c-2", team: "t1", token: worker, openedOn: "2025-01-06")
            try s.assignPrimary("c-2", "p-dirk", from: "2025-01-06", token: worker)

            let before = try s.expect(s.get("/v1/clients/c-1/successors", token: worker), 200).json
            #expect(before["needed"] == false)
            #expect(before["primary_professional_id"] == "p-anna")
            #expect(before["candidates"]?.arrayValue?.compactMap { $0["professional_id"]?.stringValue } == ["p-bram", "p-carla", "p-dirk"])

            // Anna leaves in three weeks: primary_leaving, and its evidence names Bram.
            try s.expect(s.patch("/v1/professionals/p-anna", token: admin, ["ended_on": "2025-06-23"]), 200)
            let advice = try s.expect(s.get("/v1/clients/c-1/successors?limit=2", token: worker), 200).json
            #expect(advice["needed"] == true)
            #expect(advice["as_of"] == "2025-06-02")
            let first = advice["candidates"]?.arrayValue?.first
            #expect(advice["candidates"]?.arrayValue?.count == 2)
            #expect(first?["professional_id"] == "p-bram" && first?["name"] == "Name of p-bram")
            #expect(first?["contacts_with_client"]?.int64Value == 2 && first?["last_contact_on"] == "2025-05-12")
            #expect(first?["open_cases"]?.int64Value == 0)
            #expect(first?["reason"]?.stringValue?.contains("2 contacten") == true, "\(first?["reason"] ?? .null)")
            let dirk = try s.expect(s.get("/v1/clients/c-1/successors?limit=5", token: worker), 200).json["candidates"]?.arrayValue?.last
            #expect(dirk?["professional_id"] == "p-dirk" && dirk?["open_cases"]?.int64Value == 1 && dirk?["last_contact_on"] == .null)

            let flags = try s.expect(s.get("/v1/clients/c-1/continuity", token: worker), 200).json["flags"]?.arrayValue ?? []
            let leaving = flags.first { $0["flag"] == "primary_leaving" }?["evidence"]?.stringValue ?? ""
            #expect(leaving.contains("Name of p-bram (p-bram)"), "\(leaving)")

            // Read like the continuity answer: audited, another team's client does not exist, bad input is 400.
            let audit = try s.expect(s.get("/v1/audit?client_id=c-1&limit=500", token: admin), 200).items
            #expect(audit.contains { $0["action"] == "successors.read" && $0["token_name"] == "worker-1" })
            try s.expect(s.get("/v1/clients/c-1/successors", token: outsider), 404)
            let bad = try s.expect(s.get("/v1/clients/c-1/successors?limit=0", token: worker), 400).json
            #expect(bad["errors"]?.arrayValue?.first?["parameter"] == "limit")
            try s.expect(s.get("/v1/clients/c-1/successors?as_of=2025-13-01", token: worker), 400)
        }
    }
}

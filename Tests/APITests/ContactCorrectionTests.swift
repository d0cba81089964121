import JSON
import Store
import Testing

/// Correcting and deleting logged contacts (SPEC §1, §4) over real HTTP against a real SQLite
/// file: the client is re-evaluated as after a create, the audit names the changed fields,
/// retries change nothing more, and other teams' contacts answer exactly like missing ones.
@Suite struct ContactCorrectionTests {
    /// Team t1 with professionals p1…p4, a client c1 (opened 2025-05-01, primary p1) with one
    /// contact led by each of p1…p4 (so `changing_faces`: 4 faces > 3), and team t2 with a worker.
    func world(_ s: TestServer) throws -> (admin: String, worker: String, other: String) {
        let admin = try s.token("admin", .admin)
        try s.makeTeam("t1", admin: admin)
        try s.makeTeam("t2", admin: admin)
        for p in ["p1", "p2", "p3", "p4"] { try s.makeProfessional(p, team: "t1", admin: admin) }
        let worker = try s.token("w1", .worker, team: "t1"), other = try s.token("w2", .worker, team: "t2")
        try s.makeClient("c1", team: "t1", token: worker, openedOn: "2025-05-01")
        try s.assignPrimary("c1", "p1", from: "2025-05-01", token: worker)
        for (i, p) in ["p1", "p2", "p3", "p4"].enumerated() {
            try s.makeContact("k\(i + 1)", client: "c1", professional: p, at: "2025-05-2\(i + 1)T10:00:00+02:00", token: worker)
        }
        return (admin, worker, other)
    }

    func events(_ s: TestServer, admin: String) throws -> [JSONValue] {
        ndjsonLines(try s.expect(s.get("/v1/alerts/events?after=0", token: admin), 200).body)
    }

    func audit(_ s: TestServer, admin: String) throws -> [String] {
        try s.expect(s.get("/v1/audit?client_id=c1&limit=500", token: admin), 200).items.compactMap { $0["action"]?.stringValue }
    }

    @Test func correctingTheLeadToAKnownFaceResolvesChangingFaces_andARetryChangesNothingMore() throws {
        try withServer { s in
            let (admin, worker, _) = try world(s)
            #expect(try s.openFlags(of: "c1", admin: admin).contains("changing_faces"))
            let before = try events(s, admin: admin)

            // The visit logged for p4 was p1's: three faces now.
            let fixed = try s.expect(s.patch("/v1/contacts/k4", token: worker, ["professional_id": "p1", "mode": "office_visit"]), 200)
            #expect(fixed.json["professional_id"] == "p1")
            #expect(fixed.json["mode"] == "office_visit")
            #expect(fixed.json["occurred_at"] == "2025-05-24T10:00:00+02:00", "fields not sent stay as stored")
            #expect(try s.expect(s.get("/v1/contacts/k4", token: worker), 200).json == fixed.json)
            #expect(!(try s.openFlags(of: "c1", admin: admin).contains("changing_faces")))
            let after = try events(s, admin: admin)
            let new = after.dropFirst(before.count)
            #expect(new.map { $0["event"] } == ["resolved"])
            #expect(new.first?["flag"] == "changing_faces")
            let continuity = try s.expect(s.get("/v1/clients/c1/continuity", token: worker), 200).json
            #expect(continuity["faces"]?.int64Value == 3)

            // The same PATCH again (a retry): the same answer, no event, the audit says nothing changed.
            let retry = try s.expect(s.patch("/v1/contacts/k4", token: worker, ["professional_id": "p1", "mode": "office_visit"]), 200)
            #expect(retry.json == fixed.json)
            #expect(try events(s, admin: admin).count == after.count)
            let actions = try audit(s, admin: admin)
            #expect(actions.contains("contact.correct:professional_id,mode"))
            #expect(actions.contains("contact.correct:none"))
            // Values are never in the audit, only field names.
            #expect(!actions.contains { $0.contains("p1") || $0.contains("office_visit") })
        }
    }

    @Test func timeStatusAndDurationAreCorrectable_andNullClearsTheDuration() throws {
        try withServer { s in
            let (_, worker, _) = try world(s)
            try s.expect(s.patch("/v1/contacts/k2", token: worker, ["duration_minutes": 45, "participants": ["p3"]]), 200)
            let r = try s.expect(s.patch("/v1/contacts/k2", token: worker, [
                "occurred_at": "2025-05-29T19:30:00+02:00", "status": "no_show", "duration_minutes": .null,
            ]), 200)
            #expect(r.json["occurred_at"] == "2025-05-29T19:30:00+02:00")
            #expect(r.json["status"] == "no_show")
            #expect(r.json["duration_minutes"] == .null)
            #expect(r.json["participants"] == ["p3"])
            // The list follows the corrected time: k2 is now the last contact.
            let list = try s.expect(s.get("/v1/clients/c1/contacts", token: worker), 200).items
            #expect(list.compactMap { $0["id"]?.stringValue } == ["k1", "k3", "k4", "k2"])
            let c = try s.expect(s.get("/v1/clients/c1/continuity", token: worker), 200).json
            #expect(c["no_show_rate"]?.doubleValue == 0.25)
        }
    }

    @Test func aBadCorrectionIsRefusedAtItsField_andChangesNothing() throws {
        try withServer { s in
            let (admin, worker, other) = try world(s)
            try s.expect(s.patch("/v1/contacts/k2", token: worker, ["participants": ["p3"]]), 200)
            let stored = try s.expect(s.get("/v1/contacts/k2", token: worker), 200).json
            let eventsBefore = try events(s, admin: admin).count

            let cases: [(JSONValue, Int, [String])] = [
                ([:], 400, [""]),
                (["mode": "carrier_pigeon"], 400, ["/mode"]),
                (["client_id": "c2"], 400, ["/client_id"]),
                (["id": "k9"], 400, ["/id"]),
                (["participants": ["p3", "p3"]], 400, ["/participants/1"]),
                (["duration_minutes": 2000], 400, ["/duration_minutes"]),
                (["occurred_at": "yesterday"], 400, ["/occurred_at"]),
                (["mode": "phone", "colour": "red"], 400, ["/colour"]),
                // Rules across fields (JSON Schema cannot state them) are 422, within the body…
                (["professional_id": "p2", "participants": ["p2"]], 422, ["/participants/0"]),
                // …and against what is stored: the lead becomes one of the stored participants.
                (["professional_id": "p3"], 422, ["/professional_id"]),
                (["participants": ["p2"]], 422, ["/participants/0"]),
                (["occurred_at": "2025-04-30T10:00:00+02:00"], 422, ["/occurred_at"]),
                (["professional_id": "p-nobody"], 422, ["/professional_id"]),
            ]
            for (body, status, pointers) in cases {
                let r = try s.patch("/v1/contacts/k2", token: worker, body)
                #expect(r.status == status, "\(body): \(r)")
                #expect(r.pointers == pointers, "\(body): \(r)")
            }
            let text = try s.request("PATCH", "/v1/contacts/k2", token: worker, headers: [("Content-Type", "text/plain")],
                                     body: Array("mode=phone".utf8))
            #expect(text.status == 415)
            // Another team's contact answers exactly like a missing one, and is not changed.
            let foreign = try s.patch("/v1/contacts/k2", token: other, ["mode": "phone"])
            let missing = try s.patch("/v1/contacts/k-none", token: other, ["mode": "phone"])
            #expect(foreign.status == 404)
            #expect(foreign.json == missing.json)
            #expect(try s.get("/v1/contacts/k2", token: worker).json == stored)
            #expect(try events(s, admin: admin).count == eventsBefore)
            #expect(!(try audit(s, admin: admin).contains { $0.hasPrefix("contact.correct") && $0 != "contact.correct:participants" }))
        }
    }

    @Test func deletingAContactReEvaluatesTheClient_aRetryAnswersAlike_andTheIdCannotComeBack() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeTeam("t2", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            let worker = try s.token("w1", .worker, team: "t1"), other = try s.token("w2", .worker, team: "t2")
            // Opened in March; the only contact, on 28 May, keeps long_gap away.
            try s.makeClient("c1", team: "t1", token: worker, openedOn: "2025-03-03")
            try s.assignPrimary("c1", "p1", from: "2025-03-03", token: worker)
            try s.makeContact("k1", client: "c1", professional: "p1", at: "2025-05-28T10:00:00+02:00", token: worker)
            #expect(!(try s.openFlags(of: "c1", admin: admin).contains("long_gap")))

            // Another team cannot delete it, and is answered as for an id that never existed.
            let foreign = try s.request("DELETE", "/v1/contacts/k1", token: other)
            let missing = try s.request("DELETE", "/v1/contacts/k-none", token: other)
            #expect(foreign.status == 404)
            #expect(foreign.json == missing.json)

            let gone = try s.request("DELETE", "/v1/contacts/k1", token: worker)
            #expect(gone.status == 204)
            #expect(gone.body.isEmpty)
            #expect(try s.get("/v1/contacts/k1", token: worker).status == 404)
            #expect(try s.openFlags(of: "c1", admin: admin).contains("long_gap"), "logged in error: the gap was never closed")
            let raised = ndjsonLines(try s.expect(s.get("/v1/alerts/events?after=0", token: admin), 200).body)
            #expect(raised.contains { $0["event"] == "raised" && $0["flag"] == "long_gap" })

            // A retry answers as the first DELETE did; for the other team the retried id is still missing.
            #expect(try s.request("DELETE", "/v1/contacts/k1", token: worker).status == 204)
            let foreignRetry = try s.request("DELETE", "/v1/contacts/k1", token: other)
            #expect(foreignRetry.status == 404)
            #expect(foreignRetry.json == missing.json)
            // A late retry of the create does not bring it back.
            let recreate = try s.post("/v1/contacts", token: worker, [
                "id": "k1", "client_id": "c1", "professional_id": "p1", "occurred_at": "2025-05-28T10:00:00+02:00", "mode": "home_visit",
            ])
            #expect(recreate.status == 409)
            #expect(try s.get("/v1/contacts/k1", token: worker).status == 404)
            let actions = try s.expect(s.get("/v1/audit?client_id=c1&limit=500", token: admin), 200).items.compactMap { $0["action"]?.stringValue }
            #expect(actions.filter { $0 == "contact.delete" }.count == 2)

            // Erasing the client takes the deleted id's record with it.
            try s.expect(s.request("DELETE", "/v1/clients/c1", token: admin), 204)
            let left = try s.store.database.read { db in try db.query("SELECT count(*) FROM deleted_contacts").first?.int64(0) }
            #expect(left == 0)
        }
    }
}

/// A body its JSON Schema accepts is never refused as malformed: rules across fields answer 422.
@Suite struct CrossFieldRuleTests {
    @Test func anEndBeforeItsStart_orTheLeadAmongTheParticipants_isUnprocessable_notMalformed() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin)
            let professional = try s.post("/v1/professionals", token: admin, [
                "name": "X", "team_id": "t1", "discipline": "sw", "employment": "agency",
                "started_on": "2025-03-01", "ended_on": "2025-02-01",
            ])
            #expect(professional.status == 422)
            #expect(professional.pointers == ["/ended_on"])
            let client = try s.post("/v1/clients", token: admin, [
                "external_ref": "ZK-9", "team_id": "t1", "opened_on": "2025-03-01", "closed_on": "2025-02-01",
            ])
            #expect(client.status == 422)
            #expect(client.pointers == ["/closed_on"])
            let contact = try s.post("/v1/contacts", token: admin, [
                "client_id": "c1", "professional_id": "p1", "participants": ["p1"],
                "occurred_at": "2025-05-28T10:00:00+02:00", "mode": "phone",
            ])
            #expect(contact.status == 422)
            #expect(contact.pointers == ["/participants/0"])
            // Malformed stays 400: a participant listed twice breaks the schema's uniqueItems.
            let twice = try s.post("/v1/contacts", token: admin, [
                "client_id": "c1", "professional_id": "p1", "participants": ["p2", "p2"],
                "occurred_at": "2025-05-28T10:00:00+02:00", "mode": "phone",
            ])
            #expect(twice.status == 400)
            #expect(twice.pointers == ["/participants/1"])
        }
    }
}

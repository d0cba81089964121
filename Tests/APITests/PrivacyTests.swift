import Continuity
import Glibc
import JSON
import SQLite
import Store
import Testing

/// SPEC §4: every read of a client's data is audited with the token's name; the audit is
/// append-only; erasure leaves no trace of the client in the database files.
@Suite struct PrivacyTests {
    @Test func readingAClientItsContactsAndItsContinuityEachAppendAnAuditRowWithTheTokenName() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            let worker = try s.token("jan.worker", .worker, team: "t1")
            try s.makeClient("c1", team: "t1", token: worker)
            try s.makeContact("k1", client: "c1", professional: "p1", at: "2025-05-21T10:00:00+02:00", token: worker)

            func auditOfC1() throws -> [JSONValue] {
                try s.expect(s.get("/v1/audit?client_id=c1&limit=500", token: admin), 200).items
            }
            let before = try auditOfC1()
            #expect(before.map { $0["action"] } == ["client.create", "contact.create"])
            #expect(before.allSatisfy { $0["token_name"] == "jan.worker" })

            try s.expect(s.get("/v1/clients/c1", token: worker, headers: [("X-Request-Id", "req-read-1")]), 200)
            try s.expect(s.get("/v1/clients/c1/contacts", token: worker), 200)
            try s.expect(s.get("/v1/clients/c1/continuity", token: worker), 200)
            let after = try auditOfC1()
            let reads = Array(after.dropFirst(before.count))
            #expect(reads.map { $0["action"] } == ["client.read", "contacts.read", "continuity.read"])
            #expect(reads.allSatisfy { $0["token_name"] == "jan.worker" && $0["client_id"] == "c1" })
            #expect(reads.first?["request_id"] == "req-read-1")
            let seqs = after.compactMap { $0["seq"]?.int64Value }
            #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 })
            // A failed read (404) of another id is not a read of c1.
            _ = try s.get("/v1/clients/c-other", token: worker)
            #expect(try auditOfC1().count == after.count)
        }
    }

    @Test func theAuditTableRefusesUpdatesAndDeletesFromAnyConnection() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin)
            let conn = try Connection(path: s.databasePath)
            defer { conn.close() }
            let count = { try conn.queryOne("SELECT COUNT(*) FROM audit")?.int(0) ?? -1 }
            let rows = try count()
            #expect(rows == 2)
            #expect(throws: (any Error).self) { try conn.run("UPDATE audit SET token_name = 'someone else'") }
            #expect(throws: (any Error).self) { try conn.run("DELETE FROM audit") }
            #expect(throws: (any Error).self) { try conn.run("DELETE FROM audit WHERE client_id = 'c1'") }
            #expect(try count() == rows)
            #expect(try conn.queryOne("SELECT COUNT(*) FROM audit WHERE token_name = 'admin'")?.int(0) == rows)
        }
    }

    @Test func erasureLeavesNoTraceOfTheClientInTheDatabaseFiles() throws {
        let server = try TestServer()
        defer { server.stop() }
        let s = server
        let ref = "ZK-ERASE-ME-123456", id = "client-erase-q7x"
        let admin = try s.token("admin", .admin)
        let worker = try s.token("w1", .worker, team: "t1", creatingTeamWith: admin)
        let manager = try s.token("m1", .manager, team: "t1")
        try s.makeProfessional("p1", team: "t1", admin: admin)
        try s.makeProfessional("p2", team: "t1", admin: admin)
        try s.makeClient(id, team: "t1", token: worker, openedOn: "2025-01-06", ref: ref)
        try s.makeClient("c-stays", team: "t1", token: worker, openedOn: "2025-01-06", ref: "ZK-STAYS-000001")
        try s.makeContact("k1", client: id, professional: "p1", at: "2025-01-08T10:00:00+01:00", token: worker)
        try s.makeContact("k2", client: id, professional: "p2", at: "2025-02-08T10:00:00+01:00", mode: "phone", token: worker)
        try s.makeReferral("r1", client: id, from: "p1", on: "2025-02-10", token: worker)
        try s.expect(s.get("/v1/clients/\(id)", token: worker), 200)
        try s.expect(s.get("/v1/clients/\(id)/continuity", token: worker), 200)
        let open = try s.openFlags(of: id, admin: admin)
        #expect(open.contains("no_primary") && open.contains("long_gap") && open.contains("referral_limbo"))
        let alert = try s.expect(s.get("/v1/alerts", token: manager), 200).items.first { $0["client_id"]?.stringValue == id }
        try s.expect(s.post("/v1/alerts/\(alert?["id"]?.stringValue ?? "?")/ack", token: manager, ["note": .string("Called \(ref)")]), 200)
        let eventsBefore = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: admin), 200).body)
        #expect(eventsBefore.contains { $0["client_id"]?.stringValue == id })

        #expect(try s.request("DELETE", "/v1/clients/\(id)", token: worker).status == 403)
        let erased = try s.request("DELETE", "/v1/clients/\(id)", token: admin)
        #expect(erased.status == 204)
        #expect(erased.body.isEmpty)
        // Already while serving (a kill -9 now must not leave it behind either): the WAL was
        // checkpointed and the freed pages zeroed.
        for name in s.filesInFolder() {
            let holdsRef = (readAll(s.folder + "/" + name) ?? []).containsBytes(Array(ref.utf8))
            #expect(!holdsRef, "\(name) still holds the external_ref right after the erasure")
        }
        #expect(try s.get("/v1/clients/\(id)", token: admin).status == 404)
        #expect(try s.request("DELETE", "/v1/clients/\(id)", token: admin).status == 404)
        #expect(try s.get("/v1/clients/\(id)/contacts", token: admin).status == 404)
        let events = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: admin), 200).body)
        // SPEC §3: the client's events are gone; one `erased` event tells consumers to forget it.
        #expect(events.filter { $0["client_id"]?.stringValue == id }.map { $0["event"] } == ["erased"])
        #expect(try s.expect(s.get("/v1/alerts?status=all", token: admin), 200).items.allSatisfy { $0["client_id"]?.stringValue != id })

        // The audit keeps that an erasure happened, and nothing naming the client.
        var audit: [JSONValue] = []
        var after = 0
        while true {
            let page = try s.expect(s.get("/v1/audit?limit=500&after=\(after)", token: admin), 200)
            audit += page.items
            guard let next = page.json["next_cursor"]?.stringValue, let n = Int(next) else { break }
            after = n
        }
        #expect(audit.filter { $0["action"] == "client.erase" }.count == 1)
        #expect(audit.first { $0["action"] == "client.erase" }?["client_id"] == .null)
        #expect(!audit.contains { $0["client_id"]?.stringValue == id })
        #expect(audit.contains { $0["client_id"]?.stringValue == "c-stays" })

        // No export consumer is registered: the erased event goes after 30 days, at the daily run.
        let later = try #require(LocalDate(iso: "2025-07-03"))
        try s.store.evaluateAll(asOf: later)
        #expect(!ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: admin), 200).body).contains { $0["client_id"]?.stringValue == id })

        // Close the database, then look at the raw bytes of every file SQLite left.
        s.stopServer()
        let files = s.filesInFolder()
        #expect(files.contains("c.sqlite"))
        for name in files {
            let bytes = readAll(s.folder + "/" + name) ?? []
            let holdsRef = bytes.containsBytes(Array(ref.utf8)), holdsID = bytes.containsBytes(Array(id.utf8))
            #expect(!holdsRef, "\(name) still holds the external_ref")
            #expect(!holdsID, "\(name) still holds the client id")
        }
        // The client that stays is still there (the search above would find a surviving row).
        let main = readAll(s.databasePath) ?? []
        let wal = readAll(s.databasePath + "-wal") ?? []
        let stays = main.containsBytes(Array("ZK-STAYS-000001".utf8)) || wal.containsBytes(Array("ZK-STAYS-000001".utf8))
        #expect(stays)
    }
}

extension TestServer {
    /// A worker token for `team`, creating the team first.
    func token(_ name: String, _ role: Role, team: String, creatingTeamWith admin: String) throws -> String {
        try makeTeam(team, admin: admin)
        return try token(name, role, team: team)
    }
}

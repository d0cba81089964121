import API
import Foundation
import Glibc
import JSON
import Store
import Testing

/// SPEC §1, §4: teams are tenants. Refused access leaves a trace, failed authentication is
/// slowed down per address, every read of personal data is audited, names and files are safe.
@Suite struct TenantTests {
    @Test func idsDotAndDotDotAreRefusedLikeAnyMalformedId() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            for id in [".", ".."] {
                let r = try s.expect(s.post("/v1/teams", token: admin, ["id": .string(id), "name": "x"]), 400)
                #expect(r.json["errors"]?[0]?["pointer"] == "/id")
            }
            try s.expect(s.post("/v1/teams", token: admin, ["id": "a.b", "name": "x"]), 201)
            try s.expect(s.post("/v1/teams", token: admin, ["id": "...", "name": "x"]), 201)
        }
    }

    @Test func twoAuthorizationHeadersAre400EvenWhenBothAreValid() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            let r = try s.request("GET", "/v1/teams", headers: [("Authorization", "Bearer " + admin),
                                                              ("Authorization", "Bearer " + admin)])
            #expect(r.status == 400)
            try s.expect(s.get("/v1/teams", token: admin), 200)
        }
    }

    @Test func failedAuthenticationIsSlowedDownPerAddressAndLoggedWithReasonAndRequestId() throws {
        try withServer(configure: { $0.authFailedPerMinute = 3 }) { s in
            let admin = try s.token("admin", .admin)
            for i in 0..<3 {
                let r = try s.request("GET", "/v1/teams", headers: [("Authorization", "Bearer wrong-\(i)"),
                                                                  ("X-Request-Id", "probe-\(i)")])
                #expect(r.status == 401)
            }
            let slowed = try s.get("/v1/teams", token: "wrong-again")
            #expect(slowed.status == 429)
            #expect(Int(slowed.header("Retry-After") ?? "") ?? 0 >= 1)
            // While slowed down, the address is refused before any token is looked at.
            #expect(try s.get("/v1/teams", token: admin).status == 429)
            let lines = s.logs.all.filter { $0.contains("security: authentication failed") }
            #expect(lines.count == 3)
            #expect(s.logs.all.filter { $0.contains("security: authentication refused while slowed down") }.count == 2)
            #expect(lines[0].contains("request_id=probe-0") && lines[0].contains("reason=unknown or revoked token"))
            #expect(lines.allSatisfy { $0.contains("route=/v1/teams") && !$0.contains("wrong-") })
        }
    }

    @Test func forbiddenAndScopedNotFoundAreSecurityEventsWithTheTokenNameAndOnlyAHashOfTheId() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeTeam("t2", admin: admin)
            try s.makeClient("c-of-t2", team: "t2", token: admin)
            let worker = try s.token("probing.worker", .worker, team: "t1")
            try s.expect(s.get("/v1/clients/c-of-t2", token: worker), 404)
            try s.expect(s.get("/v1/audit", token: worker), 403)
            let lines = s.logs.all.filter { $0.contains("security: access refused") }
            #expect(lines.count == 2)
            #expect(lines.allSatisfy { $0.contains("token=probing.worker") && !$0.contains("c-of-t2") })
            #expect(lines[0].contains("status=404") && lines[0].contains("route=/v1/clients/{id}"))
            #expect(lines[0].contains("probed_sha256=") && !lines[0].contains("probed_sha256= "))
            #expect(lines[1].contains("status=403") && lines[1].contains("route=/v1/audit"))
        }
    }

    @Test func alertsEventsReportsAndProfessionalsReadsAreAudited() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-01-01")
            // No contact since the case opened: long_gap and no_primary are raised at once.
            try s.expect(s.post("/v1/clients/c1/primary", token: admin, ["professional_id": "p1", "from": "2025-01-01", "reason": "start"]), 201)
            let manager = try s.token("manager.noord", .manager, team: "t1")
            let exporter = try s.token("dashboard", .exporter)
            let alerts = try s.expect(s.get("/v1/alerts", token: manager), 200).items
            #expect(!alerts.isEmpty)
            try s.expect(s.get("/v1/alerts/events", token: exporter), 200)
            try s.expect(s.get("/v1/alerts/events?format=csv", token: exporter), 200)
            try s.expect(s.get("/v1/reports/continuity?format=csv", token: manager), 200)
            try s.expect(s.get("/v1/professionals/p1", token: manager), 200)
            let audit = try s.expect(s.get("/v1/audit?limit=500", token: admin), 200).items
            func actions(_ token: String) -> [String] {
                audit.filter { $0["token_name"]?.stringValue == token }.compactMap { $0["action"]?.stringValue }
            }
            #expect(actions("manager.noord") == ["alert.list", "report.read:t1:csv", "professional.read"])
            #expect(actions("dashboard") == ["alert_events.read", "alert_events.read"])
            #expect(audit.filter { $0["action"] == "alert.list" }.allSatisfy { $0["client_id"] == "c1" })
        }
    }

    @Test func tokenNamesWithControlCharactersOrReservedForTheServiceAreRefused() throws {
        try withServer { s in
            for bad in ["", "line\nbreak", "tab\there", "esc\u{1B}[31m", "cli", "CLI", "anonymous", " padded"] {
                #expect(throws: StoreError.self) { _ = try s.store.createToken(name: bad, role: .admin, teamID: nil) }
            }
            #expect(try s.store.tokens().isEmpty)
            _ = try s.store.createToken(name: "Anna de Vries (teamleider)", role: .admin, teamID: nil)
            #expect(try s.store.tokens().map(\.name) == ["Anna de Vries (teamleider)"])
        }
    }

    @Test func theDatabaseAndItsWalAndShmAreReadableByTheOwnerOnly() throws {
        let old = umask(0o022)
        defer { umask(old) }
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            for suffix in ["", "-wal", "-shm"] {
                var st = stat()
                #expect(stat(s.databasePath + suffix, &st) == 0, "\(suffix) exists")
                #expect(st.st_mode & 0o777 == 0o600, "c.sqlite\(suffix) is \(String(st.st_mode & 0o777, radix: 8))")
            }
        }
    }

    @Test func aOneClientTeamsCsvAndHtmlReportsShowNoneOfThatClientsFiguresWhileJsonStaysExact() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-01-01")
            try s.expect(s.post("/v1/clients/c1/primary", token: admin, ["professional_id": "p1", "from": "2025-01-01", "reason": "start"]), 201)
            try s.makeContact("k1", client: "c1", professional: "p1", at: "2025-05-21T10:00:00+02:00", token: admin)
            let manager = try s.token("manager", .manager, team: "t1")
            let csv = try s.expect(s.get("/v1/reports/continuity?format=csv", token: manager), 200).text
            let rows = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            for row in rows where row[0] == "team" || row[0] == "professional" {
                #expect(row.dropFirst(2).allSatisfy { $0 == "\"<5\"" || $0 == "<5" }, "\(row)")
            }
            // The trend's means are over one client too.
            for row in rows where row[0] == "trend" { #expect(row[3] == "" || row[3].contains("<5"), "\(row)") }
            let json = try s.expect(s.get("/v1/reports/continuity", token: manager), 200).json
            #expect(json["team"]?["open_cases"] == 1)
            #expect(json["team"]?["mean_faces"] == 1)
        }
    }

    @Test func erasureReplacesTheClientsEventsInTheFeedWithOneErasedEventAndLeavesNoAuditTrace() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeClient("c-gone", team: "t1", token: admin, openedOn: "2025-01-01")
            let exporter = try s.token("dashboard", .exporter)
            let before = try s.expect(s.get("/v1/alerts/events", token: exporter), 200).text
            #expect(before.contains("\"raised\"") && before.contains("c-gone"))
            try s.expect(s.request("DELETE", "/v1/clients/c-gone", token: admin), 204)
            let lines = try s.expect(s.get("/v1/alerts/events", token: exporter), 200).text.split(separator: "\n")
            #expect(lines.count == 1)
            let e = try? JSON.parse(Array(lines[0].utf8))
            #expect(e?["event"] == "erased" && e?["client_id"] == "c-gone" && e?["team_id"] == "t1")
            #expect(e?["alert_id"] == .null && e?["flag"] == .null && e?["evidence"] == .null && e?["on"] == "2025-06-02")
            let csv = try s.expect(s.get("/v1/alerts/events?format=csv", token: exporter), 200).text
            #expect(csv.hasSuffix(",erased,,c-gone,t1,,2025-06-02,\r\n"), "\(csv)")
            // Reading the erased event does not write the erased client's id into the audit again.
            let audit = try s.expect(s.get("/v1/audit?limit=500", token: admin), 200).text
            #expect(!audit.contains("c-gone"))
        }
    }

    /// SPEC §1: another team's client or professional is answered exactly like an unknown id.
    @Test func everyReferenceToAnotherTeamsRecordIsAnsweredLikeAnUnknownId() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeTeam("t2", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeProfessional("p-b", team: "t2", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin)
            try s.makeClient("c-b", team: "t2", token: admin)
            try s.makeReferral("r1", client: "c1", from: "p1", on: "2025-05-25", token: admin)
            let worker = try s.token("worker", .worker, team: "t1")
            // (route, body with ID standing for the probed id)
            let probes: [(String, String, String)] = [
                ("POST", "/v1/contacts", #"{"client_id":"ID","professional_id":"p1","occurred_at":"2025-05-21T10:00:00+02:00","mode":"phone"}"#),
                ("POST", "/v1/contacts", #"{"client_id":"c1","professional_id":"ID","occurred_at":"2025-05-21T10:00:00+02:00","mode":"phone"}"#),
                ("POST", "/v1/contacts", #"{"client_id":"c1","professional_id":"p1","participants":["ID"],"occurred_at":"2025-05-21T10:00:00+02:00","mode":"phone"}"#),
                ("POST", "/v1/referrals", #"{"client_id":"ID","referred_on":"2025-05-25","from_professional_id":"p1","to":"x"}"#),
                ("POST", "/v1/referrals", #"{"client_id":"c1","referred_on":"2025-05-25","from_professional_id":"ID","to":"x"}"#),
                ("POST", "/v1/referrals", #"{"client_id":"c1","referred_on":"2025-05-25","from_professional_id":"p1","to":"x","to_professional_id":"ID"}"#),
                ("POST", "/v1/clients/c1/primary", #"{"professional_id":"ID","from":"2025-05-25","reason":"turnover"}"#),
                ("POST", "/v1/clients/ID/primary", #"{"professional_id":"p1","from":"2025-05-25","reason":"turnover"}"#),
                ("GET", "/v1/clients/ID", ""), ("GET", "/v1/clients/ID/continuity", ""), ("GET", "/v1/professionals/ID", ""),
                ("PATCH", "/v1/referrals/ID", #"{"status":"accepted"}"#),
            ]
            let others = ["c-b", "p-b", "r-b"]
            try s.makeReferral("r-b", client: "c-b", from: "p-b", on: "2025-05-25", token: admin)
            for (method, route, body) in probes {
                func probe(_ id: String) throws -> (Int, String) {
                    let target = route.replacingOccurrences(of: "ID", with: id)
                    let b = body.replacingOccurrences(of: "ID", with: id)
                    let r = try s.request(method, target, token: worker, headers: b.isEmpty ? [] : [("Content-Type", "application/json")],
                                          body: b.isEmpty ? nil : Array(b.utf8))
                    return (r.status, r.text.replacingOccurrences(of: id, with: "ID"))
                }
                let other = others.first { route.contains("referrals/ID") ? $0 == "r-b" : (body.contains("professional_id\":\"ID") || body.contains("[\"ID\"]") || route.contains("professionals/ID") ? $0 == "p-b" : $0 == "c-b") }!
                let a = try probe(other), b = try probe("zz-unknown")
                #expect(a.0 == b.0 && a.1 == b.1, "\(method) \(route) \(body): another team's \(other) → \(a), unknown → \(b)")
                #expect([404, 422].contains(a.0), "\(method) \(route): \(a.0)")
            }
        }
    }
}

import JSON
import Store
import Glibc
import Synchronization
import Testing

/// End-to-end flows over real HTTP against a real SQLite file (SPEC §1–§4).
@Suite struct FlowTests {
    @Test func theWalkThroughFromTeamToContinuityShowsOneContactOneFaceAndFullUPC() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            let team = try s.makeTeam("t-north", "Wijkteam Noord", admin: admin)
            #expect(team.json == ["id": "t-north", "name": "Wijkteam Noord"])
            let anna = try s.makeProfessional("p-anna", team: "t-north", admin: admin)
            #expect(anna.json["ended_on"] == .null)
            #expect(anna.json["employment"] == "permanent")
            let worker = try s.token("worker-north", .worker, team: "t-north")

            let client = try s.makeClient("c-1", team: "t-north", token: worker, openedOn: "2025-05-20")
            #expect(client.json["primary_professional_id"] == .null)
            #expect(client.json["closed_on"] == .null)
            let assignment = try s.assignPrimary("c-1", "p-anna", from: "2025-05-20", token: worker)
            #expect(assignment.json["professional_id"] == "p-anna")
            let contact = try s.makeContact("k-1", client: "c-1", professional: "p-anna", at: "2025-05-28T10:00:00+02:00", token: worker)
            #expect(contact.json["status"] == "held")
            #expect(contact.json["participants"] == [])
            #expect(contact.json["occurred_at"] == "2025-05-28T10:00:00+02:00")

            let read = try s.expect(s.get("/v1/clients/c-1", token: worker), 200)
            #expect(read.json["primary_professional_id"] == "p-anna")

            let c = try s.expect(s.get("/v1/clients/c-1/continuity", token: worker), 200).json
            #expect(c["contacts"]?.int64Value == 1)
            #expect(c["faces"]?.int64Value == 1)
            #expect(c["upc"]?.doubleValue == 1)
            #expect(c["coc"] == .null)          // n < 2
            #expect(c["secon"] == .null)
            #expect(c["primary_share"]?.doubleValue == 1)
            #expect(c["primary_professional_id"] == "p-anna")
            #expect(c["as_of"] == "2025-06-02")
            #expect(c["window_days"]?.int64Value == 90)
            #expect(c["days_since_contact"]?.int64Value == 5)
            #expect(c["faces_detail"] == [["professional_id": "p-anna", "name": "Name of p-anna", "contacts": 1]])
            #expect(c["lifetime_faces"]?.int64Value == 1)
            #expect(c.flagNames.isEmpty, "a fresh, well-kept case has no flags: \(c.flagNames)")

            // A case opened in January with nobody assigned and no contact: the flags are there.
            try s.makeClient("c-2", team: "t-north", token: worker, openedOn: "2025-01-06")
            let neglected = try s.expect(s.get("/v1/clients/c-2/continuity", token: worker), 200).json
            #expect(neglected.flagNames == ["no_primary", "long_gap", "no_face_to_face"])
            // Opened 2025-01-06, asked on 2025-06-02: 147 days. Each flag holds from the day after
            // its threshold (no_primary 14 days of grace, long_gap 30, no_face_to_face 60).
            let flags = Dictionary(uniqueKeysWithValues: (neglected["flags"]?.arrayValue ?? []).map {
                ($0["flag"]?.stringValue ?? "", (since: $0["since"]?.stringValue, evidence: $0["evidence"]?.stringValue ?? ""))
            })
            #expect(flags["no_primary"]?.since == "2025-01-21")
            #expect(flags["long_gap"]?.since == "2025-02-06")
            #expect(flags["no_face_to_face"]?.since == "2025-03-08")
            #expect(flags["long_gap"]?.evidence == "Al 147 dagen geen contact (geen contact sinds de zaak op 6 januari 2025 werd geopend)")
            #expect(flags["no_face_to_face"]?.evidence
                    == "Al 147 dagen geen persoonlijk contact (geen sinds de zaak op 6 januari 2025 werd geopend)")
            #expect(flags["no_primary"]?.evidence.hasPrefix("Al 147 dagen geen actieve regievoerder (sinds 6 januari 2025)") == true)
            // The successor it names: the team's only professional, with the one case they hold.
            #expect(flags["no_primary"]?.evidence.hasSuffix("Name of p-anna (p-anna) heeft de minste lopende zaken (1)") == true)
            #expect(try s.openFlags(of: "c-2", admin: admin) == ["no_primary", "long_gap", "no_face_to_face"])
            #expect(try s.openFlags(of: "c-1", admin: admin).isEmpty)
            // as_of and window_days are honoured.
            let earlier = try s.expect(s.get("/v1/clients/c-1/continuity?as_of=2025-05-27&window_days=30", token: worker), 200).json
            #expect(earlier["contacts"]?.int64Value == 0)
            #expect(earlier["upc"] == .null)
            #expect(earlier["window_days"]?.int64Value == 30)
        }
    }

    @Test func repeatingACreateWithTheSameBodyReturnsTheStoredRecordAndADifferentBodyIsAConflict() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            let body: JSONValue = ["id": "c-idem", "external_ref": "ZK-77", "team_id": "t1", "opened_on": "2025-05-01"]
            let first = try s.post("/v1/clients", token: admin, body)
            let second = try s.post("/v1/clients", token: admin, body)
            #expect(first.status == 201)
            #expect(second.status == 200)
            #expect(first.json == second.json)
            let different = try s.post("/v1/clients", token: admin,
                                       ["id": "c-idem", "external_ref": "ZK-78", "team_id": "t1", "opened_on": "2025-05-01"])
            #expect(different.status == 409)
            #expect(different.header("Content-Type") == "application/problem+json")
            #expect(different.json["status"]?.int64Value == 409)

            let contact: JSONValue = ["id": "k-idem", "client_id": "c-idem", "professional_id": "p1",
                                      "occurred_at": "2025-05-05T09:00:00+02:00", "mode": "phone"]
            #expect(try s.post("/v1/contacts", token: admin, contact).status == 201)
            let retry = try s.post("/v1/contacts", token: admin, contact)
            #expect(retry.status == 200)
            #expect(retry.json["mode"] == "phone")
            var changed = contact.objectValue!
            changed["mode"] = "video"
            #expect(try s.post("/v1/contacts", token: admin, .object(changed)).status == 409)
            // The retry stored nothing twice.
            let list = try s.expect(s.get("/v1/clients/c-idem/contacts", token: admin), 200)
            #expect(list.items.count == 1)
            #expect(try s.post("/v1/teams", token: admin, ["id": "t1", "name": "Team t1"]).status == 200)
            #expect(try s.post("/v1/teams", token: admin, ["id": "t1", "name": "Other"]).status == 409)
        }
    }

    @Test func invalidInputIsAnsweredWithEveryPointerInOneProblem() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)

            let bad = try s.post("/v1/professionals", token: admin, [
                "name": 7, "team_id": "no spaces allowed", "employment": "boss", "started_on": "2025-02-30", "colour": "red",
            ])
            #expect(bad.status == 400)
            #expect(bad.header("Content-Type") == "application/problem+json")
            #expect(bad.json["type"] == "https://continuity.example/problems/invalid-input")
            #expect(bad.json["title"] == "Invalid request")
            #expect(bad.json["detail"] == "6 fields are invalid")
            #expect(bad.json["status"]?.int64Value == 400)
            #expect(Set(bad.pointers) == ["/name", "/team_id", "/discipline", "/employment", "/started_on", "/colour"])

            let unknown = try s.post("/v1/teams", token: admin, ["id": "t2", "name": "Two", "nmae": "typo"])
            #expect(unknown.status == 400)
            #expect(unknown.pointers == ["/nmae"])

            let badDate = try s.post("/v1/clients", token: admin,
                                     ["external_ref": "ZK-1", "team_id": "t1", "opened_on": "2025-6-1"])
            #expect(badDate.status == 400)
            #expect(badDate.pointers == ["/opened_on"])

            let noTeam = try s.post("/v1/clients", token: admin,
                                    ["external_ref": "ZK-1", "team_id": "t-nope", "opened_on": "2025-06-01"])
            #expect(noTeam.status == 422)
            #expect(noTeam.pointers == ["/team_id"])

            try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-05-01")
            let noProfessional = try s.post("/v1/contacts", token: admin, [
                "client_id": "c1", "professional_id": "p-nope", "occurred_at": "2025-05-10T10:00:00+02:00", "mode": "phone",
            ])
            #expect(noProfessional.status == 422)
            #expect(noProfessional.pointers == ["/professional_id"])

            let early = try s.post("/v1/contacts", token: admin, [
                "client_id": "c1", "professional_id": "p1", "occurred_at": "2025-04-30T23:30:00+02:00", "mode": "phone",
            ])
            #expect(early.status == 422)
            #expect(early.pointers == ["/occurred_at"])
            // 23:30 UTC on 30 April is already 1 May in Amsterdam: the local date counts.
            let lateUTC = try s.post("/v1/contacts", token: admin, [
                "client_id": "c1", "professional_id": "p1", "occurred_at": "2025-04-30T23:30:00Z", "mode": "phone",
            ])
            #expect(lateUTC.status == 201)

            let malformed = try s.request("POST", "/v1/teams", token: admin, headers: [("Content-Type", "application/json")],
                                          body: Array(#"{"id": "t3", "name": }"#.utf8))
            #expect(malformed.status == 400)
            let notJSON = try s.request("POST", "/v1/teams", token: admin, headers: [("Content-Type", "text/plain")],
                                        body: Array("id=t3".utf8))
            #expect(notJSON.status == 415)
            let badQuery = try s.get("/v1/clients?limit=0", token: admin)
            #expect(badQuery.status == 400)
            #expect(badQuery.parameters == ["limit"])
        }
    }

    @Test func patchingAProfessionalsEndDateRaisesPrimaryLeavingAndClearingItResolvesIt() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-05-20")
            try s.assignPrimary("c1", "p1", from: "2025-05-20", token: admin)
            try s.makeContact("k1", client: "c1", professional: "p1", at: "2025-05-30T10:00:00+02:00", token: admin)
            #expect(try s.openFlags(of: "c1", admin: admin).isEmpty)

            let ended = try s.expect(s.patch("/v1/professionals/p1", token: admin, ["ended_on": "2025-06-20"]), 200)
            #expect(ended.json["ended_on"] == "2025-06-20")
            #expect(try s.expect(s.get("/v1/professionals/p1", token: admin), 200).json["ended_on"] == "2025-06-20")
            #expect(try s.openFlags(of: "c1", admin: admin) == ["primary_leaving"])

            let stays = try s.expect(s.patch("/v1/professionals/p1", token: admin, ["ended_on": .null]), 200)
            #expect(stays.json["ended_on"] == .null)
            #expect(try s.openFlags(of: "c1", admin: admin).isEmpty)

            #expect(try s.patch("/v1/professionals/p1", token: admin, ["ended_on": "2019-01-01"]).status == 422)
            #expect(try s.patch("/v1/professionals/p1", token: admin, [:]).status == 400)
            #expect(try s.patch("/v1/professionals/p-nope", token: admin, ["ended_on": "2025-07-01"]).status == 404)
        }
    }

    @Test func closingAClientResolvesItsOpenAlerts() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            let worker = try s.token("w1", .worker, team: "t1")
            try s.makeClient("c1", team: "t1", token: worker, openedOn: "2025-01-06")
            #expect(try s.openFlags(of: "c1", admin: admin) == ["no_primary", "long_gap", "no_face_to_face"])

            #expect(try s.patch("/v1/clients/c1", token: worker, ["closed_on": "2024-12-31"]).status == 422)
            let closed = try s.expect(s.patch("/v1/clients/c1", token: worker, ["closed_on": "2025-06-02"]), 200)
            #expect(closed.json["closed_on"] == "2025-06-02")
            #expect(try s.openFlags(of: "c1", admin: admin).isEmpty)
            let resolved = try s.expect(s.get("/v1/alerts?status=resolved", token: admin), 200).items
            #expect(resolved.count == 3)
            #expect(resolved.allSatisfy { $0["resolved_on"] == "2025-06-02" })
            // A worker may not move a client between teams.
            try s.makeTeam("t2", admin: admin)
            #expect(try s.patch("/v1/clients/c1", token: worker, ["team_id": "t2"]).status == 403)
            // Reopening raises them again.
            try s.expect(s.patch("/v1/clients/c1", token: worker, ["closed_on": .null]), 200)
            #expect(try s.openFlags(of: "c1", admin: admin) == ["no_primary", "long_gap", "no_face_to_face"])
        }
    }

    @Test func aReferralsStatusIsChangedByPatch() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            let worker = try s.token("w1", .worker, team: "t1")
            try s.makeClient("c1", team: "t1", token: worker)
            let created = try s.makeReferral("r1", client: "c1", from: "p1", on: "2025-05-30", token: worker)
            #expect(created.json["status"] == "open")
            #expect(created.json["status_on"] == "2025-05-30")
            #expect(created.json["warm_handover"] == false)

            let accepted = try s.expect(s.patch("/v1/referrals/r1", token: worker, ["status": "accepted"]), 200)
            #expect(accepted.json["status"] == "accepted")
            #expect(accepted.json["status_on"] == "2025-06-02")
            let completed = try s.expect(s.patch("/v1/referrals/r1", token: worker,
                                                 ["status": "completed", "status_on": "2025-06-01"]), 200)
            #expect(completed.json["status"] == "completed")
            #expect(completed.json["status_on"] == "2025-06-01")

            let bad = try s.patch("/v1/referrals/r1", token: worker, ["status": "lost"])
            #expect(bad.status == 400)
            #expect(bad.pointers == ["/status"])
            #expect(try s.patch("/v1/referrals/r1", token: worker, ["status": "open", "status_on": "2025-05-01"]).status == 422)
            #expect(try s.patch("/v1/referrals/r-nope", token: worker, ["status": "open"]).status == 404)
        }
    }

    @Test func cursorPaginationWalksEveryClientAndContactOnceAndEndsWithANullCursor() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            let ids = ["c-a", "c-b", "c-c", "c-d", "c-e"]
            for id in ids { try s.makeClient(id, team: "t1", token: admin) }
            // Created out of time order, with two at the same instant (ties broken by id).
            let times = ["2025-05-25T10:00:00+02:00", "2025-05-21T10:00:00+02:00", "2025-05-23T10:00:00+02:00",
                         "2025-05-23T10:00:00+02:00", "2025-05-22T08:00:00Z"]
            for (i, t) in times.enumerated() {
                try s.makeContact("k\(5 - i)", client: "c-a", professional: "p1", at: t, token: admin)
            }

            func walk(_ path: String) throws -> (ids: [String], pages: Int) {
                var seen: [String] = [], cursor: String?, pages = 0
                repeat {
                    let target = path + "?limit=2" + (cursor.map { "&cursor=" + percentEncoded($0) } ?? "")
                    let page = try s.expect(s.get(target, token: admin), 200)
                    #expect(page.items.count <= 2)
                    seen += page.items.compactMap { $0["id"]?.stringValue }
                    pages += 1
                    #expect(page.json["next_cursor"] != nil, "next_cursor is always present")
                    cursor = page.json["next_cursor"]?.stringValue
                } while cursor != nil && pages < 20
                return (seen, pages)
            }

            let clients = try walk("/v1/clients")
            #expect(clients.ids == ids)
            #expect(clients.pages == 3)
            let contacts = try walk("/v1/clients/c-a/contacts")
            #expect(contacts.ids == ["k4", "k1", "k2", "k3", "k5"])
            #expect(Set(contacts.ids).count == 5)
            #expect(try s.get("/v1/clients/c-a/contacts?cursor=nonsense", token: admin).status == 400)
        }
    }

    @Test func alertEventsHaveStrictlyIncreasingSeqAndComeAsNDJSONOrCSV() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            let exporter = try s.token("export-cron", .exporter)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-01-06")   // raises 3
            try s.assignPrimary("c1", "p1", from: "2025-06-01", token: admin)          // resolves no_primary
            try s.makeContact("k1", client: "c1", professional: "p1", at: "2025-06-01T11:00:00+02:00", token: admin) // resolves 2

            let nd = try s.expect(s.get("/v1/alerts/events", token: exporter), 200)
            #expect(nd.header("Content-Type") == "application/x-ndjson")
            let events = ndjsonLines(nd.body)
            #expect(events.count == 6)
            #expect(nd.body.last == 10)
            let seqs = events.compactMap { $0["seq"]?.int64Value }
            #expect(seqs.count == events.count)
            #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 }, "seq strictly increases: \(seqs)")
            #expect(events.filter { $0["event"] == "raised" }.count == 3)
            #expect(events.filter { $0["event"] == "resolved" }.count == 3)
            #expect(events.first?.objectValue?.keys == ["seq", "event", "alert_id", "client_id", "team_id", "flag", "on", "evidence"])
            #expect(nd.header("X-Last-Seq") == String(seqs.last ?? -1))
            // A resolve names the alert it resolves.
            for resolved in events where resolved["event"] == "resolved" {
                #expect(events.contains { $0["event"] == "raised" && $0["alert_id"] == resolved["alert_id"] })
            }

            let after = try s.expect(s.get("/v1/alerts/events?after=\(seqs[2])", token: exporter), 200)
            #expect(ndjsonLines(after.body).compactMap { $0["seq"]?.int64Value } == Array(seqs[3...]))
            let limited = try s.expect(s.get("/v1/alerts/events?limit=2", token: exporter), 200)
            #expect(ndjsonLines(limited.body).count == 2)

            let csv = try s.expect(s.get("/v1/alerts/events", token: exporter, headers: [("Accept", "text/csv")]), 200)
            #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: csv.body.dropFirst(3), as: UTF8.self)
            #expect(text.hasSuffix("\r\n"))
            let rows = text.components(separatedBy: "\r\n").dropLast()
            #expect(rows.first == "seq,event,alert_id,client_id,team_id,flag,on,evidence")
            #expect(rows.count == 7)
            #expect(!text.replacingCRLF.contains("\n"), "every line ends in CRLF")
            #expect(rows.dropFirst().first?.hasPrefix("\(seqs[0]),raised,") == true)

            let nl = try s.expect(s.get("/v1/alerts/events?format=csv&excel=nl", token: exporter), 200)
            let nlText = String(decoding: nl.body.dropFirst(3), as: UTF8.self)
            #expect(Array(nl.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(nlText.hasPrefix("seq;event;alert_id;client_id;team_id;flag;on;evidence\r\n"))
            #expect(try s.get("/v1/alerts/events?format=xml", token: exporter).status == 400)
        }
    }

    @Test func theContinuityReportComesAsJSONAndAsCSVWithSmallCellsSuppressed() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            let manager = try s.token("m1", .manager, team: "t1")
            for id in ["c1", "c2"] {
                try s.makeClient(id, team: "t1", token: admin, openedOn: "2025-05-01")
                try s.assignPrimary(id, "p1", from: "2025-05-01", token: admin)
                try s.makeContact("k-\(id)", client: id, professional: "p1", at: "2025-05-20T10:00:00+02:00", token: admin)
            }
            let json = try s.expect(s.get("/v1/reports/continuity", token: manager), 200)
            #expect(json.header("Content-Type") == "application/json")
            #expect(json.json["team_id"] == "t1")
            #expect(json.json["as_of"] == "2025-06-02")
            #expect(json.json["team"]?["open_cases"]?.int64Value == 2)
            #expect(json.json["team"]?["mean_faces"]?.doubleValue == 1)
            #expect(json.json["team"]?["mean_upc"]?.doubleValue == 1)
            #expect(json.json["professionals"]?.arrayValue?.first?["professional_id"] == "p1")
            #expect((json.json["trend"]?.arrayValue?.count ?? 0) >= 12)

            let csv = try s.expect(s.get("/v1/reports/continuity?format=csv", token: manager), 200)
            #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = String(decoding: csv.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines[0].hasPrefix("group,id,open_cases,"))
            #expect(lines[1].hasPrefix("team,t1,<5,"), "2 open cases are shown as <5: \(lines[1])")
            let nl = try s.expect(s.get("/v1/reports/continuity?format=csv&excel=nl", token: manager), 200)
            #expect(String(decoding: nl.body.dropFirst(3), as: UTF8.self).hasPrefix("group;id;open_cases;"))
            let html = try s.expect(s.get("/v1/reports/continuity?format=html", token: manager), 200)
            #expect(html.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(html.text.contains("&lt;5"))
            #expect(try s.get("/v1/reports/continuity?format=pdf", token: manager).status == 400)
        }
    }
}

extension String {
    var replacingCRLF: String { components(separatedBy: "\r\n").joined(separator: "") }
}

/// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
func percentEncoded(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.append(Character(Unicode.Scalar(b)))
        default:
            let hex = Array("0123456789ABCDEF")
            out += "%" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
        }
    }
    return out
}

/// Limits of SPEC §1 and the filters and moves of SPEC §4.
@Suite struct RulesAndFiltersTests {
    @Test func textsOver200CharactersIdsOver64AndRepeatedQueryParametersAreRejected() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            let long = String(repeating: "é", count: 201)
            let tooLong = try s.post("/v1/clients", token: admin,
                                     ["id": .string(String(repeating: "x", count: 65)), "external_ref": .string(long),
                                      "team_id": "t1", "opened_on": "2025-05-01"])
            #expect(tooLong.status == 400)
            #expect(Set(tooLong.pointers) == ["/id", "/external_ref"])
            let exactly = try s.post("/v1/clients", token: admin,
                                     ["id": .string(String(repeating: "x", count: 64)), "external_ref": .string(String(long.dropLast())),
                                      "team_id": "t1", "opened_on": "2025-05-01"])
            #expect(exactly.status == 201)
            #expect(try s.post("/v1/teams", token: admin, ["id": "bad/id", "name": "X"]).pointers == ["/id"])
            #expect(try s.post("/v1/teams", token: admin, ["name": "   "]).pointers == ["/name"])
            let twice = try s.get("/v1/clients?limit=1&limit=2", token: admin)
            #expect(twice.status == 400)
            #expect(twice.parameters == ["limit"])
            #expect(try s.post("/v1/teams", token: admin, ["a", "b"]).status == 400)
        }
    }

    @Test func theFlagFilterListsOnlyClientsWithThatFlagActive() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeClient("c-new", team: "t1", token: admin, openedOn: "2025-05-30")
            try s.makeClient("c-old", team: "t1", token: admin, openedOn: "2025-01-06")
            let gap = try s.expect(s.get("/v1/clients?flag=long_gap", token: admin), 200).items
            #expect(gap.compactMap { $0["id"]?.stringValue } == ["c-old"])
            #expect(try s.get("/v1/clients?flag=sad", token: admin).parameters == ["flag"])
            #expect(try s.expect(s.get("/v1/clients?flag=changing_faces", token: admin), 200).items.isEmpty)
        }
    }

    @Test func aManagerMovesAClientToAnotherTeamAndItsOpenAlertsGoAlong() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("A", admin: admin)
            try s.makeTeam("B", admin: admin)
            let managerAll = try s.token("m-all", .manager)
            let managerA = try s.token("m-A", .manager, team: "A")
            let workerA = try s.token("w-A", .worker, team: "A")
            let workerB = try s.token("w-B", .worker, team: "B")
            try s.makeClient("c1", team: "A", token: workerA, openedOn: "2025-01-06")
            #expect(try s.patch("/v1/clients/c1", token: managerA, ["team_id": "B"]).status == 422, "B does not exist for manager A")
            let moved = try s.expect(s.patch("/v1/clients/c1", token: managerAll, ["team_id": "B"]), 200)
            #expect(moved.json["team_id"] == "B")
            #expect(try s.get("/v1/clients/c1", token: workerA).status == 404)
            #expect(try s.get("/v1/clients/c1", token: workerB).status == 200)
            let alerts = try s.expect(s.get("/v1/alerts?team_id=B", token: managerAll), 200).items
            #expect(alerts.count == 3)
            #expect(try s.expect(s.get("/v1/alerts", token: managerA), 200).items.isEmpty)
        }
    }

    @Test func concurrentWritesOverHTTPAreAllCommittedAndAnswered() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-01-06")
            let port = s.port
            let statuses = Mutex<[Int]>([])
            var threads: [pthread_t] = []
            for t in 0..<8 {
                threads.append(startThread {
                    for i in 0..<10 {
                        let body = JSON.serialize([
                            "id": .string("k-\(t)-\(i)"), "client_id": "c1", "professional_id": "p1",
                            "occurred_at": .string("2025-05-\(10 + i)T\(10 + t):00:00+02:00"), "mode": "phone",
                        ])
                        let r = try? RawHTTP.send(port: port, method: "POST", target: "/v1/contacts",
                                                  headers: [("Authorization", "Bearer " + admin), ("Content-Type", "application/json")],
                                                  body: body)
                        statuses.withLock { $0.append(r?.status ?? -1) }
                    }
                })
            }
            for t in threads { pthread_join(t, nil) }
            #expect(statuses.withLock { $0 } == [Int](repeating: 201, count: 80))
            var count = 0, cursor: String?
            repeat {
                let page = try s.expect(s.get("/v1/clients/c1/contacts?limit=500" + (cursor.map { "&cursor=" + percentEncoded($0) } ?? ""),
                                              token: admin), 200)
                count += page.items.count
                cursor = page.json["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(count == 80)
            // Alerts are consistent afterwards: exactly one open alert per flag.
            let open = try s.expect(s.get("/v1/alerts?team_id=t1", token: admin), 200).items.compactMap { $0["flag"]?.stringValue }
            #expect(open.count == Set(open).count)
        }
    }
}

@Suite struct AlertListTests {
    @Test func alertsPageByCursorAndAnAcknowledgementRecordsWhoAndIsAudited() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            let manager = try s.token("mia.manager", .manager, team: "t1")
            try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-01-06")
            try s.makeClient("c2", team: "t1", token: admin, openedOn: "2025-01-06")
            var ids: [String] = [], cursor: String?, pages = 0
            repeat {
                let page = try s.expect(s.get("/v1/alerts?limit=4" + (cursor.map { "&cursor=" + $0 } ?? ""), token: manager), 200)
                ids += page.items.compactMap { $0["id"]?.stringValue }
                cursor = page.json["next_cursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 10
            #expect(ids.count == 6)
            #expect(Set(ids).count == 6)
            #expect(pages == 2)
            #expect(try s.get("/v1/alerts?cursor=abc", token: manager).status == 400)
            #expect(try s.get("/v1/alerts?status=closed", token: manager).parameters == ["status"])

            let acked = try s.expect(s.post("/v1/alerts/\(ids[0])/ack", token: manager, ["note": "Huisbezoek gepland"]), 200)
            #expect(acked.json["acknowledged_by"] == "mia.manager")
            #expect(acked.json["acknowledged_note"] == "Huisbezoek gepland")
            #expect(try s.post("/v1/alerts/\(ids[0])/ack", token: manager, [:]).pointers == ["/note"])
            #expect(try s.post("/v1/alerts/al-999999/ack", token: manager, ["note": "x"]).status == 404)
            let audit = try s.expect(s.get("/v1/audit?limit=500", token: admin), 200).items
            #expect(audit.contains { $0["action"] == "alert.ack" && $0["token_name"] == "mia.manager" })
            // The audit pages too: `next_cursor` is the last seq, passed back as `after`.
            let first = try s.expect(s.get("/v1/audit?limit=2", token: admin), 200)
            #expect(first.items.count == 2)
            let next = first.json["next_cursor"]?.stringValue ?? "?"
            let second = try s.expect(s.get("/v1/audit?limit=2&after=\(next)", token: admin), 200)
            #expect(second.items.first?["seq"]?.int64Value == (first.items.last?["seq"]?.int64Value).map { $0 + 1 })
        }
    }
}

import Continuity
import Glibc
import JSON
import Store
import Testing

/// Issue 10 point 1 (SPEC §1 "Teams are tenants"): client, contact and referral ids are unique
/// per team. A create whose id only another team uses answers as if that record did not exist;
/// by-id routes resolve ids in the token's team, or in `?team_id=` for a token that sees every
/// team (409 naming `team_id` when the id is used in several teams); moves refuse collisions; audit,
/// erasure and events know the team.
@Suite struct TeamScopedIdsTests {
    // MARK: point 1, 2: creates with an id only another team uses

    @Test func aCreateWhoseIdOnlyAnotherTeamUsesIs201AndStoresTheRecordInTheOwnTeam() throws {
        try withServer { s in
            let w = try Tenants(s)
            // Team t2 holds client c-x with contact k-x and referral r-x.
            try s.makeClient("c-x", team: "t2", token: w.w2, ref: "ZK-t2")
            try s.makeContact("k-x", client: "c-x", professional: "p2", at: "2025-05-21T10:00:00+02:00", token: w.w2)
            try s.makeReferral("r-x", client: "c-x", from: "p2", on: "2025-05-22", token: w.w2)
            try s.makeClient("c1", team: "t1", token: w.w1)

            // The same ids in t1: created (201), the stored t1 record in the body.
            let client = try s.makeClient("c-x", team: "t1", token: w.w1, ref: "ZK-t1").json
            #expect(client["id"] == "c-x" && client["team_id"] == "t1" && client["external_ref"] == "ZK-t1")
            let contactBody = Tenants.contact("k-x", client: "c1", professional: "p1", at: "2025-05-23T09:00:00+02:00", mode: "phone")
            let contact = try s.expect(call(s, "POST", "/v1/contacts", w.w1, contactBody), 201).json
            #expect(contact["id"] == "k-x" && contact["client_id"] == "c1" && contact["professional_id"] == "p1" && contact["mode"] == "phone")
            let referralBody = Tenants.referral("r-x", client: "c1", from: "p1", on: "2025-05-24", to: "Wijkteam Zuid")
            let referral = try s.expect(call(s, "POST", "/v1/referrals", w.w1, referralBody), 201).json
            #expect(referral["id"] == "r-x" && referral["client_id"] == "c1" && referral["to"] == "Wijkteam Zuid")

            // The same id and body again in t1: 200 with the stored record; a different body: 409.
            let clientBody = #"{"id":"c-x","external_ref":"ZK-t1","team_id":"t1","opened_on":"2025-05-20"}"#
            #expect(try s.expect(call(s, "POST", "/v1/clients", w.w1, clientBody), 200).json == client)
            try s.expect(call(s, "POST", "/v1/clients", w.w1, clientBody.replacingOccurrences(of: "ZK-t1", with: "ZK-other")), 409)
            #expect(try s.expect(call(s, "POST", "/v1/contacts", w.w1, contactBody), 200).json == contact)
            try s.expect(call(s, "POST", "/v1/contacts", w.w1, contactBody.replacingOccurrences(of: "phone", with: "video")), 409)
            #expect(try s.expect(call(s, "POST", "/v1/referrals", w.w1, referralBody), 200).json == referral)
            try s.expect(call(s, "POST", "/v1/referrals", w.w1, referralBody.replacingOccurrences(of: "Wijkteam Zuid", with: "GGD")), 409)

            // Each team reads its own record under the shared id.
            #expect(try s.expect(s.get("/v1/clients/c-x", token: w.w1), 200).json["external_ref"] == "ZK-t1")
            #expect(try s.expect(s.get("/v1/clients/c-x", token: w.w2), 200).json["external_ref"] == "ZK-t2")
            let k1 = try s.expect(s.get("/v1/contacts/k-x", token: w.w1), 200).json
            let k2 = try s.expect(s.get("/v1/contacts/k-x", token: w.w2), 200).json
            #expect(k1["client_id"] == "c1" && k1["mode"] == "phone")
            #expect(k2["client_id"] == "c-x" && k2["professional_id"] == "p2" && k2["mode"] == "home_visit")
            #expect(try s.expect(s.get("/v1/clients/c-x/referrals", token: w.w2), 200).items.compactMap { $0["id"]?.stringValue } == ["r-x"])
            #expect(try s.expect(s.get("/v1/clients/c-x/referrals", token: w.w1), 200).items.isEmpty)
            #expect(try s.expect(s.get("/v1/clients/c1/referrals", token: w.w1), 200).items.compactMap { $0["to"]?.stringValue } == ["Wijkteam Zuid"])
            // t2's retry of its own create still answers 200 with its own record.
            let t2Retry = #"{"id":"c-x","external_ref":"ZK-t2","team_id":"t2","opened_on":"2025-05-20"}"#
            #expect(try s.expect(call(s, "POST", "/v1/clients", w.w2, t2Retry), 200).json["external_ref"] == "ZK-t2")
        }
    }

    @Test func teamAndProfessionalIdsStayGlobalAndAlertIdsAreServerMadeAndGlobal() throws {
        try withServer { s in
            let w = try Tenants(s)
            // Teams and professionals are created by admins, who see every team: one id space.
            try s.expect(s.post("/v1/teams", token: w.admin, ["id": "t2", "name": "Another name"]), 409)
            try s.expect(s.post("/v1/professionals", token: w.admin, [
                "id": "p2", "name": "Someone else", "team_id": "t1", "discipline": "x",
                "employment": "permanent", "started_on": "2020-01-01",
            ]), 409)
            #expect(try s.expect(s.get("/v1/professionals/p2", token: w.admin), 200).json["team_id"] == "t2")
            // Two clients c-1 (t1, t2) opened long ago without contacts both raise alerts.
            try s.makeClient("c-1", team: "t1", token: w.w1, openedOn: "2025-01-01")
            try s.makeClient("c-1", team: "t2", token: w.w2, openedOn: "2025-01-01")
            let alerts = try s.expect(s.get("/v1/alerts?status=all&limit=500", token: w.admin), 200).items
            let ids = alerts.compactMap { $0["id"]?.stringValue }
            #expect(Set(ids).count == ids.count && ids.count >= 4, "\(ids)")
            #expect(ids.allSatisfy { $0.hasPrefix("al-") && Int($0.dropFirst(3)) != nil }, "\(ids)")
            #expect(Set(alerts.filter { $0["client_id"] == "c-1" }.compactMap { $0["team_id"]?.stringValue }) == ["t1", "t2"])
        }
    }

    // MARK: A. the probe table: another team's id vs nobody's id, byte for byte

    /// The same request sequence against two fresh servers: in one, team t2 holds client `c-x`,
    /// contact `k-x` and referral `r-x`; in the other t2 holds the same records under other ids.
    /// Every answer to t1's worker (and t1's manager) must be byte-identical, headers included
    /// (except Date and X-Request-Id), and no body may carry the request id.
    @Test func everyCreateAndReferenceAnswersTheSameWhetherAnotherTeamUsesTheIdOrNobodyDoes() throws {
        let withOthers = try Self.probeRun(t2UsesProbedIds: true)
        let without = try Self.probeRun(t2UsesProbedIds: false)
        #expect(withOthers.count == without.count && withOthers.count == Self.probes.count)
        for (i, (a, b)) in zip(withOthers, without).enumerated() {
            let p = Self.probes[i]
            let label = "#\(i) \(p.method) \(p.target) \(p.body ?? "")"
            #expect(a.status == b.status, "\(label): t2 uses the id → \(a.status), nobody → \(b.status)")
            let sameBytes = a.body == b.body
            #expect(sameBytes, "\(label):\n t2 uses the id → \(a.text)\n nobody → \(b.text)")
            #expect(a.headers == b.headers, "\(label): \(a.headers) vs \(b.headers)")
            #expect(!a.requestIDInBody && !b.requestIDInBody, "\(label): the body quotes the request id")
            #expect(!a.text.contains("t2") && !a.text.contains("ZK-secret"), "\(label): \(a.text)")
            if let expected = p.status { #expect(b.status == expected, "\(label): \(b.text)") }
        }
    }

    struct Probe {
        var method: String, target: String, body: String?, status: Int?, manager = false
    }

    struct ProbeAnswer {
        var status: Int
        var headers: [String]
        var body: [UInt8]
        var requestIDInBody: Bool
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static let contactCX = #"{"client_id":"c-x","professional_id":"p1","occurred_at":"2025-05-26T10:00:00+02:00","mode":"phone","id":"k-new1"}"#
    static let contactKX = #"{"id":"k-x","client_id":"c1","professional_id":"p1","occurred_at":"2025-05-27T10:00:00+02:00","mode":"home_visit"}"#
    static let referralCX = #"{"id":"r-new1","client_id":"c-x","referred_on":"2025-05-26","from_professional_id":"p1","to":"GGD"}"#
    static let referralRX = #"{"id":"r-x","client_id":"c1","referred_on":"2025-05-27","from_professional_id":"p1","to":"GGD"}"#
    static let clientCX = #"{"id":"c-x","external_ref":"ZK-mine","team_id":"t1","opened_on":"2025-05-20"}"#
    static let primaryBody = #"{"professional_id":"p1","from":"2025-05-28","reason":"turnover"}"#

    static let probes: [Probe] = [
        // References to the probed ids before t1 has them.
        Probe(method: "GET", target: "/v1/clients/c-x", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x?team_id=t1", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x?team_id=t2", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x/contacts", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x/referrals", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x/assignments", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x/continuity", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x/successors", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x/successors?team_id=t2", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/clients/c-x", body: nil, status: 404, manager: true),
        Probe(method: "GET", target: "/v1/clients/c-x/contacts?team_id=t2", body: nil, status: 404, manager: true),
        Probe(method: "GET", target: "/v1/clients?external_ref=ZK-secret", body: nil, status: 200),
        Probe(method: "PATCH", target: "/v1/clients/c-x", body: #"{"closed_on":"2025-06-01"}"#, status: 404),
        Probe(method: "DELETE", target: "/v1/clients/c-x", body: nil, status: 403),
        Probe(method: "POST", target: "/v1/clients/c-x/primary", body: primaryBody, status: 404),
        Probe(method: "POST", target: "/v1/clients/c-x/primary?team_id=t2", body: primaryBody, status: 404),
        Probe(method: "GET", target: "/v1/contacts/k-x", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/contacts/k-x?team_id=t2", body: nil, status: 404),
        Probe(method: "PATCH", target: "/v1/contacts/k-x", body: #"{"mode":"video"}"#, status: 404),
        Probe(method: "DELETE", target: "/v1/contacts/k-x", body: nil, status: 404),
        Probe(method: "PATCH", target: "/v1/referrals/r-x", body: #"{"status":"accepted"}"#, status: 404),
        Probe(method: "PATCH", target: "/v1/referrals/r-x?team_id=t2", body: #"{"status":"accepted"}"#, status: 404),
        Probe(method: "DELETE", target: "/v1/contacts/k-del", body: nil, status: 404),
        Probe(method: "GET", target: "/v1/contacts/k-del", body: nil, status: 404),
        Probe(method: "POST", target: "/v1/contacts", body: contactCX, status: 422),
        Probe(method: "POST", target: "/v1/contacts?team_id=t2", body: contactCX, status: 422),
        Probe(method: "POST", target: "/v1/referrals", body: referralCX, status: 422),
        Probe(method: "POST", target: "/v1/referrals?team_id=t2", body: referralCX, status: 422),
        // Creates with the probed ids: created, retried, conflicting.
        Probe(method: "POST", target: "/v1/clients", body: clientCX, status: 201),
        Probe(method: "POST", target: "/v1/clients", body: clientCX, status: 200),
        Probe(method: "POST", target: "/v1/clients", body: clientCX.replacingOccurrences(of: "ZK-mine", with: "ZK-other"), status: 409),
        Probe(method: "POST", target: "/v1/contacts", body: contactKX, status: 201),
        Probe(method: "POST", target: "/v1/contacts", body: contactKX, status: 200),
        Probe(method: "POST", target: "/v1/contacts", body: contactKX.replacingOccurrences(of: "home_visit", with: "letter"), status: 409),
        Probe(method: "POST", target: "/v1/contacts", body: contactKX.replacingOccurrences(of: "k-x", with: "k-del"), status: 201),
        Probe(method: "POST", target: "/v1/referrals", body: referralRX, status: 201),
        Probe(method: "POST", target: "/v1/referrals", body: referralRX, status: 200),
        Probe(method: "POST", target: "/v1/referrals", body: referralRX.replacingOccurrences(of: "GGD", with: "Schuldhulp"), status: 409),
        // Now the ids are t1's own: they resolve in t1, never in t2.
        Probe(method: "GET", target: "/v1/clients/c-x", body: nil, status: 200),
        Probe(method: "GET", target: "/v1/clients/c-x?team_id=t1", body: nil, status: 200),
        Probe(method: "GET", target: "/v1/clients/c-x?team_id=t2", body: nil, status: 404),
        Probe(method: "POST", target: "/v1/clients/c-x/primary", body: primaryBody, status: 201),
        Probe(method: "POST", target: "/v1/contacts", body: contactCX, status: 201),
        Probe(method: "POST", target: "/v1/referrals", body: referralCX, status: 201),
        Probe(method: "GET", target: "/v1/clients/c-x/contacts", body: nil, status: 200),
        Probe(method: "GET", target: "/v1/clients/c-x/referrals", body: nil, status: 200),
        Probe(method: "GET", target: "/v1/clients/c-x/assignments", body: nil, status: 200),
        Probe(method: "GET", target: "/v1/clients/c-x/continuity", body: nil, status: 200),
        Probe(method: "GET", target: "/v1/clients/c-x/successors", body: nil, status: 200),
        Probe(method: "GET", target: "/v1/clients/c-x", body: nil, status: 200, manager: true),
        Probe(method: "GET", target: "/v1/contacts/k-x", body: nil, status: 200),
        Probe(method: "PATCH", target: "/v1/contacts/k-x", body: #"{"mode":"video"}"#, status: 200),
        Probe(method: "PATCH", target: "/v1/referrals/r-x", body: #"{"status":"accepted"}"#, status: 200),
        Probe(method: "PATCH", target: "/v1/clients/c-x", body: #"{"closed_on":"2025-06-01"}"#, status: 200),
        Probe(method: "DELETE", target: "/v1/contacts/k-x", body: nil, status: 204),
        Probe(method: "DELETE", target: "/v1/contacts/k-x", body: nil, status: nil),
        Probe(method: "POST", target: "/v1/contacts", body: contactKX, status: nil),
        Probe(method: "GET", target: "/v1/clients/c1/contacts", body: nil, status: 200),
        Probe(method: "GET", target: "/v1/clients?limit=50", body: nil, status: 200),
    ]

    static func probeRun(t2UsesProbedIds: Bool) throws -> [ProbeAnswer] {
        try withServer { s in
            let w = try Tenants(s)
            let m1 = try s.token("manager.t1", .manager, team: "t1")
            try s.makeClient("c1", team: "t1", token: w.w1)
            try s.assignPrimary("c1", "p1", from: "2025-05-20", token: w.w1)
            // t2's records: the probed ids, or the same records under ids nobody probes.
            let (client, contact, referral) = t2UsesProbedIds ? ("c-x", "k-x", "r-x") : ("c-y", "k-y", "r-y")
            try s.makeClient(client, team: "t2", token: w.w2, ref: "ZK-secret")
            try s.assignPrimary(client, "p2", from: "2025-05-20", token: w.w2)
            try s.makeContact(contact, client: client, professional: "p2", at: "2025-05-21T10:00:00+02:00", token: w.w2)
            try s.makeReferral(referral, client: client, from: "p2", on: "2025-05-22", token: w.w2)
            // A contact t2 deleted: its id stays taken in t2 only.
            let deleted = t2UsesProbedIds ? "k-del" : "k-dely"
            try s.makeContact(deleted, client: client, professional: "p2", at: "2025-05-23T10:00:00+02:00", token: w.w2)
            try s.expect(s.request("DELETE", "/v1/contacts/\(deleted)", token: w.w2), 204)
            var answers: [ProbeAnswer] = []
            for (i, p) in probes.enumerated() {
                let requestID = "probe-\(t2UsesProbedIds ? "a" : "b")-\(i)"
                let r = try call(s, p.method, p.target, p.manager ? m1 : w.w1, p.body, requestID: requestID)
                let headers = r.headers.filter { !["date", "x-request-id"].contains($0.0.lowercased()) }
                    .map { "\($0.0.lowercased()): \($0.1)" }.sorted()
                answers.append(ProbeAnswer(status: r.status, headers: headers, body: r.body,
                                           requestIDInBody: r.body.containsBytes(Array(requestID.utf8))))
            }
            // t2's records are untouched by all of it.
            let mine = try s.expect(s.get("/v1/clients/\(client)", token: w.w2), 200).json
            #expect(mine["team_id"] == "t2" && mine["external_ref"] == "ZK-secret" && mine["closed_on"] == .null)
            let k = try s.expect(s.get("/v1/contacts/\(contact)", token: w.w2), 200).json
            #expect(k["client_id"] == .string(client) && k["mode"] == "home_visit")
            let refs = try s.expect(s.get("/v1/clients/\(client)/referrals", token: w.w2), 200).items
            #expect(refs.count == 1 && refs.first?["status"] == "open")
            #expect(try s.expect(s.get("/v1/clients/\(client)/assignments", token: w.w2), 200).items
                .compactMap { $0["professional_id"]?.stringValue } == ["p2"])
            return answers
        }
    }

    // MARK: B. the issue's scan

    @Test func scanningContactIdsOfAnotherTeamsClientCreatesEveryOneAndLeavesTheirsAlone() throws {
        try withServer { s in
            let w = try Tenants(s)
            try s.makeClient("c-000005", team: "t2", token: w.w2, openedOn: "2025-01-01")
            try s.makeClient("c-own", team: "t1", token: w.w1, openedOn: "2025-01-01")
            func id(_ n: Int) -> String { "c-000005-" + String(String(n + 10000).dropFirst()) }
            func at(_ n: Int, day: Int) -> String {
                "2025-03-\(day < 10 ? "0" : "")\(day)T\(8 + n / 60 < 10 ? "0" : "")\(8 + n / 60):\(n % 60 < 10 ? "0" : "")\(n % 60):00+01:00"
            }
            for n in 1...66 { try s.makeContact(id(n), client: "c-000005", professional: "p2", at: at(n, day: 3), token: w.w2) }
            let theirs = try s.expect(s.get("/v1/clients/c-000005/contacts?limit=500", token: w.w2), 200).text

            var statuses: [Int: Int] = [:]
            for n in 1...199 {
                let r = try call(s, "POST", "/v1/contacts", w.w1,
                                 Tenants.contact(id(n), client: "c-own", professional: "p1", at: at(n, day: 10), mode: "office_visit"))
                statuses[r.status, default: 0] += 1
                if r.status == 201 {
                    #expect(r.json["id"] == .string(id(n)) && r.json["client_id"] == "c-own" && r.json["professional_id"] == "p1")
                }
            }
            #expect(statuses == [201: 199], "\(statuses)")
            let mine = try s.expect(s.get("/v1/clients/c-own/contacts?limit=500", token: w.w1), 200).items
            #expect(mine.compactMap { $0["id"]?.stringValue }.sorted() == (1...199).map(id))
            // t2's 66 contacts are exactly as before, each still t2's.
            #expect(try s.expect(s.get("/v1/clients/c-000005/contacts?limit=500", token: w.w2), 200).text == theirs)
            let after = try s.expect(s.get("/v1/clients/c-000005/contacts?limit=500", token: w.w2), 200).items
            #expect(after.count == 66)
            #expect(after.allSatisfy { $0["professional_id"] == "p2" && $0["mode"] == "home_visit" })
            let k = try s.expect(s.get("/v1/contacts/\(id(66))", token: w.w2), 200).json
            #expect(k["client_id"] == "c-000005" && k["occurred_at"] == .string(at(66, day: 3)))
        }
    }

    // MARK: C. tokens that see every team: ambiguity and ?team_id=

    @Test func anIdUsedInSeveralTeamsNeedsTeamIdForTokensThatSeeEveryTeam() throws {
        try withServer { s in
            let w = try Tenants(s)
            let everyTeam = try s.token("manager.all", .manager)
            try w.sameIdsInTwoTeams()

            let reads = ["/v1/clients/c-1", "/v1/clients/c-1/contacts", "/v1/clients/c-1/referrals",
                         "/v1/clients/c-1/assignments", "/v1/clients/c-1/continuity", "/v1/clients/c-1/successors",
                         "/v1/contacts/k-1"]
            for token in [w.admin, everyTeam] {
                for route in reads {
                    let r = try call(s, "GET", route, token)
                    expectAmbiguous(r, route)
                    let sep = route.contains("?") ? "&" : "?"
                    let in1 = try s.expect(call(s, "GET", route + sep + "team_id=t1", token), 200)
                    let in2 = try s.expect(call(s, "GET", route + sep + "team_id=t2", token), 200)
                    #expect(in1.body != in2.body, "\(route): t1 and t2 answer alike")
                    // A team that exists but has no such id, and a team that does not exist: 404.
                    try s.expect(call(s, "GET", route + sep + "team_id=t3", token), 404)
                    try s.expect(call(s, "GET", route + sep + "team_id=no-such-team", token), 404)
                }
                // Each ?team_id= answer is that team's record.
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-1?team_id=t2", token), 200).json["external_ref"] == "ZK-c1-t2")
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-1?team_id=t1", token), 200).json["team_id"] == "t1")
                #expect(try s.expect(call(s, "GET", "/v1/contacts/k-1?team_id=t2", token), 200).json["professional_id"] == "p2")
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-1/contacts?team_id=t1", token), 200).items.count == 2)
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-1/contacts?team_id=t2", token), 200).items.count == 1)
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-1/referrals?team_id=t2", token), 200).items
                    .compactMap { $0["from_professional_id"]?.stringValue } == ["p2"])
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-1/assignments?team_id=t1", token), 200).items
                    .compactMap { $0["professional_id"]?.stringValue } == ["p1"])
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-1/continuity?team_id=t2", token), 200).json["primary_professional_id"] == "p2")
                // An id used in one team only resolves there without ?team_id=.
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-only2", token), 200).json["team_id"] == "t2")
                #expect(try s.expect(call(s, "GET", "/v1/contacts/k-only2", token), 200).json["client_id"] == "c-only2")
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-only2/contacts", token), 200).items.count == 1)
                try s.expect(call(s, "GET", "/v1/clients/c-only2?team_id=t1", token), 404)
                try s.expect(call(s, "GET", "/v1/clients/nobody", token), 404)
            }
        }
    }

    @Test func ambiguousWritesByAnAdminAre409AndChangeNothingWhileTeamIdDirectsThem() throws {
        try withServer { s in
            let w = try Tenants(s)
            let everyTeam = try s.token("manager.all", .manager)
            try w.sameIdsInTwoTeams()
            let before1 = try s.expect(s.get("/v1/clients/c-1/contacts", token: w.w1), 200).body
            let before2 = try s.expect(s.get("/v1/clients/c-1/contacts", token: w.w2), 200).body
            let referrals1 = try s.expect(s.get("/v1/clients/c-1/referrals", token: w.w1), 200).body
            let referrals2 = try s.expect(s.get("/v1/clients/c-1/referrals", token: w.w2), 200).body
            let assignments1 = try s.expect(s.get("/v1/clients/c-1/assignments", token: w.w1), 200).body
            let client1 = try s.expect(s.get("/v1/clients/c-1", token: w.w1), 200).body
            let client2 = try s.expect(s.get("/v1/clients/c-1", token: w.w2), 200).body

            let newContact = Tenants.contact("k-new", client: "c-1", professional: "p1", at: "2025-05-30T10:00:00+02:00", mode: "phone")
            let newReferral = Tenants.referral("r-new", client: "c-1", from: "p1", on: "2025-05-30", to: "GGD")
            let writes: [(String, String, String?, String)] = [
                ("PATCH", "/v1/clients/c-1", #"{"closed_on":"2025-06-01"}"#, w.admin),
                ("PATCH", "/v1/clients/c-1", #"{"closed_on":"2025-06-01"}"#, everyTeam),
                ("PATCH", "/v1/clients/c-1", #"{"team_id":"t3"}"#, everyTeam),
                ("DELETE", "/v1/clients/c-1", nil, w.admin),
                ("POST", "/v1/clients/c-1/primary", #"{"professional_id":"p1","from":"2025-05-30","reason":"turnover"}"#, w.admin),
                ("PATCH", "/v1/contacts/k-1", #"{"mode":"letter"}"#, w.admin),
                ("DELETE", "/v1/contacts/k-1", nil, w.admin),
                ("PATCH", "/v1/referrals/r-1", #"{"status":"declined"}"#, w.admin),
                ("POST", "/v1/contacts", newContact, w.admin),
                ("POST", "/v1/referrals", newReferral, w.admin),
            ]
            for (method, target, body, token) in writes {
                expectAmbiguous(try call(s, method, target, token, body), "\(method) \(target)")
            }
            // Nothing changed in either team.
            #expect(try s.get("/v1/clients/c-1/contacts", token: w.w1).body == before1)
            #expect(try s.get("/v1/clients/c-1/contacts", token: w.w2).body == before2)
            #expect(try s.get("/v1/clients/c-1/referrals", token: w.w1).body == referrals1)
            #expect(try s.get("/v1/clients/c-1/referrals", token: w.w2).body == referrals2)
            #expect(try s.get("/v1/clients/c-1/assignments", token: w.w1).body == assignments1)
            #expect(try s.get("/v1/clients/c-1", token: w.w1).body == client1)
            #expect(try s.get("/v1/clients/c-1", token: w.w2).body == client2)

            // With ?team_id= each write lands in that team only.
            let closed = try s.expect(call(s, "PATCH", "/v1/clients/c-1?team_id=t2", everyTeam, #"{"closed_on":"2025-06-01"}"#), 200).json
            #expect(closed["team_id"] == "t2" && closed["closed_on"] == "2025-06-01")
            #expect(try s.get("/v1/clients/c-1", token: w.w1).body == client1)
            let patched = try s.expect(call(s, "PATCH", "/v1/contacts/k-1?team_id=t2", w.admin, #"{"mode":"letter"}"#), 200).json
            #expect(patched["mode"] == "letter" && patched["client_id"] == "c-1")
            #expect(try s.expect(s.get("/v1/contacts/k-1", token: w.w1), 200).json["mode"] == "home_visit")
            #expect(try s.expect(s.get("/v1/contacts/k-1", token: w.w2), 200).json["mode"] == "letter")
            try s.expect(call(s, "PATCH", "/v1/referrals/r-1?team_id=t1", w.admin, #"{"status":"declined"}"#), 200)
            #expect(try s.get("/v1/clients/c-1/referrals", token: w.w1).items.first?["status"] == "declined")
            #expect(try s.get("/v1/clients/c-1/referrals", token: w.w2).body == referrals2)
            try s.expect(call(s, "POST", "/v1/clients/c-1/primary?team_id=t1", w.admin,
                              #"{"professional_id":null,"from":"2025-05-30","reason":"leave"}"#), 201)
            #expect(try s.get("/v1/clients/c-1/assignments", token: w.w1).items.count == 2)
            #expect(try s.get("/v1/clients/c-1/assignments", token: w.w2).items.count == 1)
            let created = try s.expect(call(s, "POST", "/v1/contacts?team_id=t2", w.admin,
                                            newContact.replacingOccurrences(of: "\"p1\"", with: "\"p2\"")), 201).json
            #expect(created["client_id"] == "c-1" && created["professional_id"] == "p2")
            #expect(try s.get("/v1/clients/c-1/contacts", token: w.w2).items.compactMap { $0["id"]?.stringValue }.sorted() == ["k-1", "k-new"])
            #expect(try s.get("/v1/clients/c-1/contacts", token: w.w1).body == before1)
            try s.expect(call(s, "POST", "/v1/referrals?team_id=t1", w.admin, newReferral), 201)
            #expect(try s.get("/v1/clients/c-1/referrals", token: w.w1).items.count == 2)
            #expect(try s.get("/v1/clients/c-1/referrals", token: w.w2).body == referrals2)
            try s.expect(call(s, "DELETE", "/v1/contacts/k-1?team_id=t1", w.admin), 204)
            try s.expect(s.get("/v1/contacts/k-1", token: w.w1), 404)
            #expect(try s.expect(s.get("/v1/contacts/k-1", token: w.w2), 200).json["mode"] == "letter")
            // Once k-1 is left in t2 only, an admin reaches it without ?team_id=.
            #expect(try s.expect(call(s, "GET", "/v1/contacts/k-1", w.admin), 200).json["mode"] == "letter")
        }
    }

    @Test func aTeamBoundTokenResolvesInItsOwnTeamAndAnotherTeamIdFindsNothingLikeAnUnknownId() throws {
        try withServer { s in
            let w = try Tenants(s)
            let m1 = try s.token("manager.t1", .manager, team: "t1")
            try w.sameIdsInTwoTeams()
            // (route, the same route naming an unknown id instead)
            let reads: [(String, String)] = [
                ("/v1/clients/c-1", "/v1/clients/zz-none"), ("/v1/clients/c-1/contacts", "/v1/clients/zz-none/contacts"),
                ("/v1/clients/c-1/referrals", "/v1/clients/zz-none/referrals"),
                ("/v1/clients/c-1/assignments", "/v1/clients/zz-none/assignments"),
                ("/v1/clients/c-1/continuity", "/v1/clients/zz-none/continuity"),
                ("/v1/clients/c-1/successors", "/v1/clients/zz-none/successors"),
                ("/v1/contacts/k-1", "/v1/contacts/zz-none"),
                ("/v1/clients/c-only2", "/v1/clients/zz-none"), ("/v1/contacts/k-only2", "/v1/contacts/zz-none"),
            ]
            for token in [w.w1, m1] {
                for (route, unknown) in reads {
                    let plain = try call(s, "GET", route, token)
                    let own = try call(s, "GET", route + "?team_id=t1", token)
                    #expect(own.status == plain.status && own.body == plain.body, "\(route)?team_id=t1: \(own) vs \(plain)")
                    let nothing = try s.expect(call(s, "GET", unknown, token), 404)
                    for other in ["t2", "t3", "no-such-team"] {
                        let r = try call(s, "GET", route + "?team_id=" + other, token)
                        #expect(r.status == 404 && r.body == nothing.body, "\(route)?team_id=\(other): \(r)")
                        let u = try call(s, "GET", unknown + "?team_id=" + other, token)
                        #expect(u.status == 404 && u.body == nothing.body, "\(unknown)?team_id=\(other): \(u)")
                    }
                }
                #expect(try s.expect(call(s, "GET", "/v1/clients/c-1", token), 200).json["external_ref"] == "ZK-c1-t1")
            }
            // Writes by t1's worker: ?team_id=t2 finds nothing, exactly like an unknown id.
            let writes: [(String, String, String?, String)] = [
                ("PATCH", "/v1/clients/c-1", #"{"closed_on":"2025-06-01"}"#, "/v1/clients/zz-none"),
                ("POST", "/v1/clients/c-1/primary", #"{"professional_id":"p1","from":"2025-05-30","reason":"turnover"}"#, "/v1/clients/zz-none/primary"),
                ("PATCH", "/v1/contacts/k-1", #"{"mode":"letter"}"#, "/v1/contacts/zz-none"),
                ("DELETE", "/v1/contacts/k-1", nil, "/v1/contacts/zz-none"),
                ("PATCH", "/v1/referrals/r-1", #"{"status":"declined"}"#, "/v1/referrals/zz-none"),
            ]
            for (method, route, body, unknown) in writes {
                let nothing = try s.expect(call(s, method, unknown, w.w1, body), 404)
                for other in ["t2", "no-such-team"] {
                    let r = try call(s, method, route + "?team_id=" + other, w.w1, body)
                    #expect(r.status == 404 && r.body == nothing.body, "\(method) \(route)?team_id=\(other): \(r)")
                }
            }
            // Creates naming a client: 422 on /client_id, as for an unknown client.
            for (path, body) in [
                ("/v1/contacts", Tenants.contact("k-new", client: "CLIENT", professional: "p1", at: "2025-05-30T10:00:00+02:00", mode: "phone")),
                ("/v1/referrals", Tenants.referral("r-new", client: "CLIENT", from: "p1", on: "2025-05-30", to: "GGD")),
            ] {
                let unknown = try s.expect(call(s, "POST", path, w.w1, body.replacingOccurrences(of: "CLIENT", with: "zz-none")), 422)
                #expect(unknown.pointers == ["/client_id"])
                for (client, team) in [("c-1", "t2"), ("c-1", "no-such-team"), ("c-only2", "t2"), ("c-only2", "t1")] {
                    let r = try call(s, "POST", path + "?team_id=" + team, w.w1, body.replacingOccurrences(of: "CLIENT", with: client))
                    #expect(r.status == 422 && r.pointers == ["/client_id"], "\(path)?team_id=\(team) \(client): \(r)")
                    #expect(r.text.replacingOccurrences(of: client, with: "zz-none") == unknown.text, "\(path)?team_id=\(team) \(client): \(r)")
                }
                try s.expect(call(s, "POST", path + "?team_id=t1", w.w1, body.replacingOccurrences(of: "CLIENT", with: "c-1")), 201)
            }
            // Nothing of t2's changed.
            #expect(try s.expect(s.get("/v1/clients/c-1", token: w.w2), 200).json["closed_on"] == .null)
            #expect(try s.expect(s.get("/v1/contacts/k-1", token: w.w2), 200).json["mode"] == "home_visit")
            #expect(try s.get("/v1/clients/c-1/contacts", token: w.w2).items.count == 1)
            #expect(try s.get("/v1/clients/c-1/referrals", token: w.w2).items.first?["status"] == "open")
            #expect(try s.get("/v1/clients/c-1/assignments", token: w.w2).items.count == 1)
        }
    }

    /// A token that sees every team lists clients that share an id: page by page, each once.
    @Test func pagingThroughClientsThatShareAnIdReturnsEachClientExactlyOnce() throws {
        try withServer { s in
            let w = try Tenants(s)
            let everyTeam = try s.token("manager.all", .manager)
            for (id, team, token) in [("c-a", "t1", w.w1), ("c-a", "t2", w.w2), ("c-a", "t3", w.w3), ("c-b", "t2", w.w2),
                                      ("c-c", "t1", w.w1), ("c-c", "t3", w.w3)] {
                try s.makeClient(id, team: team, token: token)
            }
            let expected = ["c-a t1", "c-a t2", "c-a t3", "c-b t2", "c-c t1", "c-c t3"]
            for token in [w.admin, everyTeam] {
                for limit in [1, 2, 4] {
                    var seen: [String] = []
                    var cursor: String?
                    var pages = 0
                    repeat {
                        let target = "/v1/clients?limit=\(limit)" + (cursor.map { "&cursor=" + $0 } ?? "")
                        let page = try s.expect(s.get(target, token: token), 200)
                        seen += page.items.map { "\($0["id"]?.stringValue ?? "?") \($0["team_id"]?.stringValue ?? "?")" }
                        cursor = page.json["next_cursor"]?.stringValue
                        pages += 1
                    } while cursor != nil && pages < 20
                    #expect(seen.sorted() == expected, "limit \(limit): \(seen)")
                }
            }
            // A team's worker lists its own only.
            #expect(try s.get("/v1/clients", token: w.w3).items.compactMap { $0["id"]?.stringValue } == ["c-a", "c-c"])
        }
    }

    // MARK: D. moving a client between teams

    @Test func aMoveIntoATeamThatUsesTheClientsIdIs409AndChangesNothing() throws {
        try withServer { s in
            let w = try Tenants(s)
            try w.sameIdsInTwoTeams()
            let everyTeam = try s.token("manager.all", .manager)
            let before = try w.snapshot(client: "c-1", team: w.w1), before2 = try w.snapshot(client: "c-1", team: w.w2)
            for token in [w.admin, everyTeam] {
                let r = try s.expect(call(s, "PATCH", "/v1/clients/c-1?team_id=t1", token, #"{"team_id":"t2"}"#), 409)
                #expect(r.header("Content-Type") == "application/problem+json")
            }
            #expect(try w.snapshot(client: "c-1", team: w.w1) == before)
            #expect(try w.snapshot(client: "c-1", team: w.w2) == before2)
            #expect(try s.get("/v1/contacts/k-1", token: w.w2).json["professional_id"] == "p2")
            #expect(try s.expect(call(s, "GET", "/v1/clients/c-1?team_id=t1", w.admin), 200).json["team_id"] == "t1")
        }
    }

    @Test func aMoveIntoATeamThatUsesOneOfItsContactOrReferralIdsIs409AndChangesNothing() throws {
        try withServer { s in
            let w = try Tenants(s)
            let everyTeam = try s.token("manager.all", .manager)
            // t1's c-n has contact k-shared; t2's c-other has a contact k-shared too.
            try s.makeClient("c-n", team: "t1", token: w.w1)
            try s.makeContact("k-own", client: "c-n", professional: "p1", at: "2025-05-21T10:00:00+02:00", token: w.w1)
            try s.makeContact("k-shared", client: "c-n", professional: "p1", at: "2025-05-22T10:00:00+02:00", token: w.w1)
            try s.makeClient("c-other", team: "t2", token: w.w2)
            try s.makeContact("k-shared", client: "c-other", professional: "p2", at: "2025-05-23T10:00:00+02:00", token: w.w2)
            // t1's c-r has referral r-shared; t2's c-other has a referral r-shared too.
            try s.makeClient("c-r", team: "t1", token: w.w1)
            try s.makeReferral("r-own", client: "c-r", from: "p1", on: "2025-05-21", token: w.w1)
            try s.makeReferral("r-shared", client: "c-r", from: "p1", on: "2025-05-22", token: w.w1)
            try s.makeReferral("r-shared", client: "c-other", from: "p2", on: "2025-05-23", token: w.w2)
            let beforeN = try w.snapshot(client: "c-n"), beforeR = try w.snapshot(client: "c-r")
            let beforeOther = try w.snapshot(client: "c-other")
            for token in [w.admin, everyTeam] {
                try s.expect(call(s, "PATCH", "/v1/clients/c-n", token, #"{"team_id":"t2"}"#), 409)
                try s.expect(call(s, "PATCH", "/v1/clients/c-r", token, #"{"team_id":"t2"}"#), 409)
                // Closing and moving at once: refused as a whole, so not closed either.
                try s.expect(call(s, "PATCH", "/v1/clients/c-n", token, #"{"team_id":"t2","closed_on":"2025-06-01"}"#), 409)
            }
            #expect(try w.snapshot(client: "c-n") == beforeN)
            #expect(try w.snapshot(client: "c-r") == beforeR)
            #expect(try w.snapshot(client: "c-other") == beforeOther)
            #expect(try s.expect(s.get("/v1/contacts/k-shared", token: w.w1), 200).json["client_id"] == "c-n")
            #expect(try s.expect(s.get("/v1/contacts/k-shared", token: w.w2), 200).json["client_id"] == "c-other")
            try s.expect(s.get("/v1/clients/c-n", token: w.w2), 404)
            try s.expect(s.get("/v1/contacts/k-own", token: w.w2), 404)
            // Into a team without those ids the same move is fine.
            #expect(try s.expect(call(s, "PATCH", "/v1/clients/c-n", w.admin, #"{"team_id":"t3"}"#), 200).json["team_id"] == "t3")
            #expect(try s.expect(s.get("/v1/contacts/k-shared", token: w.w3), 200).json["client_id"] == "c-n")
        }
    }

    @Test func aMoveWithoutCollisionTakesContactsReferralsAssignmentsAndAlertsAlong() throws {
        try withServer { s in
            let w = try Tenants(s)
            let m3 = try s.token("manager.t3", .manager, team: "t3")
            try s.makeClient("c-move", team: "t1", token: w.w1, openedOn: "2025-01-01")
            try s.assignPrimary("c-move", "p1", from: "2025-01-01", token: w.w1)
            try s.makeContact("k-mv1", client: "c-move", professional: "p1", at: "2025-01-10T10:00:00+01:00", token: w.w1)
            try s.makeContact("k-mv2", client: "c-move", professional: "p1", at: "2025-01-20T10:00:00+01:00", mode: "phone", token: w.w1)
            try s.makeReferral("r-mv1", client: "c-move", from: "p1", on: "2025-01-15", token: w.w1)
            // t2 uses one of the contact ids for a record of its own: no collision with t3.
            try s.makeClient("c-t2", team: "t2", token: w.w2, ref: "ZK-t2")
            try s.makeContact("k-mv1", client: "c-t2", professional: "p2", at: "2025-05-21T10:00:00+02:00", token: w.w2)
            let openBefore = try s.expect(s.get("/v1/alerts?team_id=t1&status=open&limit=500", token: w.admin), 200).items
                .filter { $0["client_id"] == "c-move" }
            #expect(!openBefore.isEmpty, "c-move has open alerts (long gap since January)")
            let before = try w.snapshot(client: "c-move")

            let moved = try s.expect(call(s, "PATCH", "/v1/clients/c-move", w.admin, #"{"team_id":"t3"}"#), 200).json
            #expect(moved["id"] == "c-move" && moved["team_id"] == "t3" && moved["external_ref"] == "ZK-c-move")
            // t3's worker sees it all; t1's worker sees nothing of it any more.
            let c = try s.expect(s.get("/v1/clients/c-move", token: w.w3), 200).json
            #expect(c["team_id"] == "t3" && c["opened_on"] == "2025-01-01" && c["primary_professional_id"] == "p1")
            #expect(try s.expect(s.get("/v1/clients/c-move/contacts", token: w.w3), 200).items
                .compactMap { $0["id"]?.stringValue }.sorted() == ["k-mv1", "k-mv2"])
            #expect(try s.expect(s.get("/v1/contacts/k-mv2", token: w.w3), 200).json["mode"] == "phone")
            #expect(try s.expect(s.get("/v1/clients/c-move/referrals", token: w.w3), 200).items
                .compactMap { $0["id"]?.stringValue } == ["r-mv1"])
            #expect(try s.expect(s.get("/v1/clients/c-move/assignments", token: w.w3), 200).items
                .compactMap { $0["professional_id"]?.stringValue } == ["p1"])
            #expect(try s.get("/v1/clients/c-move/contacts", token: w.w3).text == before.contacts)
            #expect(try s.get("/v1/clients/c-move/referrals", token: w.w3).text == before.referrals)
            try s.expect(s.get("/v1/clients/c-move/contacts", token: w.w1), 404)
            try s.expect(s.get("/v1/contacts/k-mv2", token: w.w1), 404)
            try s.expect(s.get("/v1/clients/c-move", token: w.w1), 404)
            try s.expect(call(s, "PATCH", "/v1/referrals/r-mv1", w.w1, #"{"status":"accepted"}"#), 404)
            // The alerts went along: t3's manager sees them with team t3, t1 has none of c-move left.
            let alerts3 = try s.expect(s.get("/v1/alerts?status=open&limit=500", token: m3), 200).items
            #expect(Set(alerts3.filter { $0["client_id"] == "c-move" }.compactMap { $0["id"]?.stringValue })
                    == Set(openBefore.compactMap { $0["id"]?.stringValue }))
            #expect(alerts3.allSatisfy { $0["team_id"] == "t3" })
            let alerts1 = try s.expect(s.get("/v1/alerts?team_id=t1&status=all&limit=500", token: w.admin), 200).items
            #expect(alerts1.filter { $0["client_id"] == "c-move" }.isEmpty, "\(alerts1)")
            // t2's k-mv1 is untouched.
            #expect(try s.expect(s.get("/v1/contacts/k-mv1", token: w.w2), 200).json["client_id"] == "c-t2")
            try s.expect(s.get("/v1/clients/c-move", token: w.w2), 404)
        }
    }

    /// A client whose id several teams use can only be named with `?team_id=`: that names where
    /// the client is, the body's `team_id` where it goes.
    @Test func aClientWhoseIdSeveralTeamsUseIsMovedByNamingItsTeamInTheQuery() throws {
        try withServer { s in
            let w = try Tenants(s)
            let everyTeam = try s.token("manager.all", .manager)
            try w.sameIdsInTwoTeams()
            let t2Before = try w.snapshot(client: "c-1", team: w.w2)
            let t1Before = try w.snapshot(client: "c-1", team: w.w1)
            let moved = try s.expect(call(s, "PATCH", "/v1/clients/c-1?team_id=t1", w.admin, #"{"team_id":"t3"}"#), 200).json
            #expect(moved["team_id"] == "t3" && moved["external_ref"] == "ZK-c1-t1")
            #expect(try s.get("/v1/clients/c-1/contacts?limit=500", token: w.w3).text == t1Before.contacts)
            try s.expect(s.get("/v1/clients/c-1", token: w.w1), 404)
            #expect(try w.snapshot(client: "c-1", team: w.w2) == t2Before)
            // t3 uses c-1 now: moving t2's c-1 there collides (409) and changes nothing.
            try s.expect(call(s, "PATCH", "/v1/clients/c-1?team_id=t2", everyTeam, #"{"team_id":"t3"}"#), 409)
            #expect(try w.snapshot(client: "c-1", team: w.w2) == t2Before)
            // A ?team_id= that only repeats where a unique id is changes nothing either.
            #expect(try s.expect(call(s, "PATCH", "/v1/clients/c-only2?team_id=t2", everyTeam, #"{"team_id":"t1"}"#), 200)
                .json["team_id"] == "t1")
            #expect(try s.expect(s.get("/v1/contacts/k-only2", token: w.w1), 200).json["client_id"] == "c-only2")
        }
    }

    // MARK: E. audit, erasure, events, the daily run

    /// The daily run evaluates in batches: each team's c-1 on its own history, exactly as the
    /// client's continuity answer sees it on that day.
    @Test func theDailyRunEvaluatesEachOfTwoSameIdClientsOnItsOwnHistory() throws {
        try withServer { s in
            let w = try Tenants(s)
            for i in 1...6 { try s.makeProfessional("p1-\(i)", team: "t1", admin: w.admin) }
            try s.makeClient("c-1", team: "t1", token: w.w1, openedOn: "2025-01-01")
            try s.makeClient("c-1", team: "t2", token: w.w2, openedOn: "2025-01-01")
            try s.assignPrimary("c-1", "p1-1", from: "2025-01-01", token: w.w1)
            try s.assignPrimary("c-1", "p2", from: "2025-01-01", token: w.w2)
            // Six faces for t1's c-1, one for t2's, under the same contact ids.
            for i in 1...6 {
                try s.makeContact("k-\(i)", client: "c-1", professional: "p1-\(i)", at: "2025-05-1\(i)T10:00:00+02:00", token: w.w1)
                try s.makeContact("k-\(i)", client: "c-1", professional: "p2", at: "2025-05-1\(i)T11:00:00+02:00", token: w.w2)
            }
            var seen: [String: Set<String>] = [:]
            for asOf in ["2025-06-02", "2025-07-20", "2025-10-01"] {
                try s.store.evaluateAll(asOf: LocalDate(iso: asOf)!, batchSize: 2)
                let open = try s.expect(s.get("/v1/alerts?status=open&limit=500", token: w.admin), 200).items
                for (team, token) in [("t1", w.w1), ("t2", w.w2)] {
                    let active = try s.expect(s.get("/v1/clients/c-1/continuity?as_of=\(asOf)", token: token), 200).json.flagNames
                    let alerts = Set(open.filter { $0["client_id"] == "c-1" && $0["team_id"] == .string(team) }.compactMap { $0["flag"]?.stringValue })
                    #expect(alerts == active, "\(team) as of \(asOf): open alerts \(alerts), active flags \(active)")
                    seen[team + " " + asOf] = alerts
                }
            }
            #expect(seen["t1 2025-06-02"]?.contains("changing_faces") == true, "\(seen)")
            #expect(seen.filter { $0.key.hasPrefix("t2") }.allSatisfy { !$0.value.contains("changing_faces") }, "\(seen)")
            #expect(seen["t1 2025-10-01"]?.contains("long_gap") == true && seen["t2 2025-10-01"]?.contains("long_gap") == true, "\(seen)")
        }
    }

    @Test func auditEntriesCarryTheClientsTeamAndTeamIdFilters() throws {
        try withServer { s in
            let w = try Tenants(s)
            try s.makeClient("c-1", team: "t1", token: w.w1)
            try s.makeClient("c-1", team: "t2", token: w.w2)
            try s.expect(s.get("/v1/clients/c-1", token: w.w1), 200)
            try s.expect(s.get("/v1/clients/c-1", token: w.w2), 200)
            try s.expect(s.get("/v1/clients/c-1/contacts", token: w.w2), 200)
            try s.expect(s.get("/v1/professionals/p1", token: w.w1), 200)

            let all = try s.expect(s.get("/v1/audit?limit=500", token: w.admin), 200).items
            #expect(all.allSatisfy { $0.objectValue?["team_id"] != nil }, "every entry has a team_id member")
            let aboutNoClient = all.filter { $0["client_id"] == .null }
            #expect(!aboutNoClient.isEmpty && aboutNoClient.allSatisfy { $0["team_id"] == .null })
            #expect(all.contains { $0["action"] == "professional.read" && $0["team_id"] == .null })

            let c1 = try s.expect(s.get("/v1/audit?client_id=c-1&limit=500", token: w.admin), 200).items
            func reads(_ items: [JSONValue], _ token: String) -> [JSONValue] {
                items.filter { $0["token_name"] == .string(token) && $0["action"] == "client.read" }
            }
            #expect(reads(c1, "worker.t1").compactMap { $0["team_id"]?.stringValue } == ["t1"])
            #expect(reads(c1, "worker.t2").compactMap { $0["team_id"]?.stringValue } == ["t2"])

            let only2 = try s.expect(s.get("/v1/audit?client_id=c-1&team_id=t2&limit=500", token: w.admin), 200).items
            #expect(!only2.isEmpty && only2.allSatisfy { $0["team_id"] == "t2" && $0["client_id"] == "c-1" })
            let actions2 = Set(only2.compactMap { $0["action"]?.stringValue })
            #expect(actions2.isSuperset(of: ["client.read", "contacts.read"]), "\(actions2)")
            #expect(reads(only2, "worker.t1").isEmpty)
            #expect(only2.count == c1.filter { $0["team_id"] == "t2" }.count)

            let team1 = try s.expect(s.get("/v1/audit?team_id=t1&limit=500", token: w.admin), 200).items
            #expect(!team1.isEmpty && team1.allSatisfy { $0["team_id"] == "t1" })
            #expect(team1.count == all.filter { $0["team_id"] == "t1" }.count)
            // after= pages within the filter.
            let firstSeq = only2.first?["seq"]?.int64Value ?? 0
            let rest = try s.expect(s.get("/v1/audit?client_id=c-1&team_id=t2&after=\(firstSeq)&limit=500", token: w.admin), 200).items
            #expect(rest.count == only2.count - 1 && rest.allSatisfy { $0["team_id"] == "t2" })
            try s.expect(s.get("/v1/audit?team_id=t1", token: w.w1), 403)
        }
    }

    @Test func erasingOneOfTwoSameIdClientsLeavesTheOtherTeamsClientAndContactsAlone() throws {
        try withServer { s in
            let w = try Tenants(s)
            let exporter = try s.token("dashboard", .exporter)
            try s.makeClient("c-1", team: "t1", token: w.w1, openedOn: "2025-01-01")
            try s.makeContact("k-1", client: "c-1", professional: "p1", at: "2025-01-10T10:00:00+01:00", token: w.w1)
            try s.makeClient("c-1", team: "t2", token: w.w2, openedOn: "2025-01-01", ref: "ZK-stays")
            try s.makeContact("k-1", client: "c-1", professional: "p2", at: "2025-01-11T10:00:00+01:00", token: w.w2)
            try s.makeReferral("r-1", client: "c-1", from: "p2", on: "2025-01-12", token: w.w2)
            // Each team deleted a contact k-del of its c-1: the id stays taken in t2.
            for (token, professional) in [(w.w1, "p1"), (w.w2, "p2")] {
                try s.makeContact("k-del", client: "c-1", professional: professional, at: "2025-01-13T10:00:00+01:00", token: token)
                try s.expect(s.request("DELETE", "/v1/contacts/k-del", token: token), 204)
            }
            let t2Before = try w.snapshot(client: "c-1", team: w.w2)
            try s.expect(s.get("/v1/clients/c-1", token: w.w1), 200)
            let audit2 = try s.expect(s.get("/v1/audit?client_id=c-1&team_id=t2&limit=500", token: w.admin), 200).items
            #expect(audit2.count >= 5, "\(audit2)")
            let raised2 = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: exporter), 200).body)
                .filter { $0["team_id"] == "t2" && $0["client_id"] == "c-1" }
            #expect(!raised2.isEmpty)

            // Without ?team_id= the admin's erasure is ambiguous: 409, nothing erased.
            expectAmbiguous(try call(s, "DELETE", "/v1/clients/c-1", w.admin), "DELETE /v1/clients/c-1")
            try s.expect(s.get("/v1/clients/c-1", token: w.w1), 200)
            try s.expect(call(s, "DELETE", "/v1/clients/c-1?team_id=t1", w.admin), 204)

            try s.expect(s.get("/v1/clients/c-1", token: w.w1), 404)
            try s.expect(s.get("/v1/contacts/k-1", token: w.w1), 404)
            #expect(try w.snapshot(client: "c-1", team: w.w2) == t2Before)
            #expect(try s.expect(s.get("/v1/clients/c-1", token: w.w2), 200).json["external_ref"] == "ZK-stays")
            #expect(try s.expect(s.get("/v1/contacts/k-1", token: w.w2), 200).json["professional_id"] == "p2")
            // t2's deleted contact id is still taken (a retried DELETE answers alike, a create is refused).
            try s.expect(s.request("DELETE", "/v1/contacts/k-del", token: w.w2), 204)
            try s.expect(call(s, "POST", "/v1/contacts", w.w2,
                              Tenants.contact("k-del", client: "c-1", professional: "p2", at: "2025-01-13T10:00:00+01:00", mode: "home_visit")), 409)
            // The audit of t2's c-1 is all still there; of t1's c-1 nothing is left.
            let audit2After = try s.expect(s.get("/v1/audit?client_id=c-1&team_id=t2&limit=500", token: w.admin), 200).items
            #expect(Array(audit2After.prefix(audit2.count)) == audit2)
            #expect(try s.expect(s.get("/v1/audit?client_id=c-1&team_id=t1&limit=500", token: w.admin), 200).items.isEmpty)
            // The admin now finds the remaining c-1 without ?team_id=.
            #expect(try s.expect(call(s, "GET", "/v1/clients/c-1", w.admin), 200).json["team_id"] == "t2")
            // The feed: t2's events stay as they were; t1's are replaced by one erased event for t1.
            let events = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: exporter), 200).body)
            #expect(events.filter { $0["team_id"] == "t2" && $0["client_id"] == "c-1" } == raised2)
            let t1Events = events.filter { $0["team_id"] == "t1" }
            #expect(t1Events.count == 1 && t1Events.first?["event"] == "erased" && t1Events.first?["client_id"] == "c-1", "\(t1Events)")
            #expect(!events.contains { $0["event"] == "erased" && $0["team_id"] == "t2" })
            // t2's alerts are still open.
            let open = try s.expect(s.get("/v1/alerts?status=open&limit=500", token: w.admin), 200).items
            #expect(!open.filter { $0["client_id"] == "c-1" && $0["team_id"] == "t2" }.isEmpty)
            #expect(open.filter { $0["team_id"] == "t1" }.isEmpty)
        }
    }

    @Test func purgeErasesOnlyTheClosedOneOfTwoSameIdClients() throws {
        try withServer { s in
            let w = try Tenants(s)
            try s.makeClient("c-1", team: "t1", token: w.w1, openedOn: "2025-01-01")
            try s.makeContact("k-1", client: "c-1", professional: "p1", at: "2025-01-10T10:00:00+01:00", token: w.w1)
            try s.expect(call(s, "PATCH", "/v1/clients/c-1", w.w1, #"{"closed_on":"2025-02-01"}"#), 200)
            try s.makeClient("c-1", team: "t2", token: w.w2, openedOn: "2025-01-01")
            try s.makeContact("k-1", client: "c-1", professional: "p2", at: "2025-01-11T10:00:00+01:00", token: w.w2)
            let t2Before = try w.snapshot(client: "c-1", team: w.w2)
            let audit2 = try s.expect(s.get("/v1/audit?client_id=c-1&team_id=t2&limit=500", token: w.admin), 200).items
            #expect(try s.store.purge(closedBefore: LocalDate(iso: "2025-03-01")!, actor: .cli("purge")) == 1)
            try s.expect(s.get("/v1/clients/c-1", token: w.w1), 404)
            try s.expect(s.get("/v1/contacts/k-1", token: w.w1), 404)
            #expect(try w.snapshot(client: "c-1", team: w.w2) == t2Before)
            let audit2After = try s.expect(s.get("/v1/audit?client_id=c-1&team_id=t2&limit=500", token: w.admin), 200).items
            #expect(Array(audit2After.prefix(audit2.count)) == audit2 && !audit2.isEmpty)
            #expect(try s.expect(s.get("/v1/audit?client_id=c-1&team_id=t1&limit=500", token: w.admin), 200).items.isEmpty)
        }
    }

    @Test func eventsOfTwoSameIdClientsInTwoTeamsAreTellApartByTeamId() throws {
        try withServer { s in
            let w = try Tenants(s)
            let exporter = try s.token("dashboard", .exporter)
            try s.makeClient("c-1", team: "t1", token: w.w1, openedOn: "2025-01-01")
            try s.makeClient("c-1", team: "t2", token: w.w2, openedOn: "2025-01-01")
            let events = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: exporter), 200).body)
            let raised = events.filter { $0["event"] == "raised" && $0["client_id"] == "c-1" }
            let byTeam = Dictionary(grouping: raised) { $0["team_id"]?.stringValue ?? "?" }
            #expect(Set(byTeam.keys) == ["t1", "t2"], "\(raised)")
            let flags1 = Set(byTeam["t1", default: []].compactMap { $0["flag"]?.stringValue })
            let flags2 = Set(byTeam["t2", default: []].compactMap { $0["flag"]?.stringValue })
            #expect(flags1 == flags2 && flags1.contains("long_gap"), "\(flags1) \(flags2)")
            let alertIDs1 = Set(byTeam["t1", default: []].compactMap { $0["alert_id"]?.stringValue })
            let alertIDs2 = Set(byTeam["t2", default: []].compactMap { $0["alert_id"]?.stringValue })
            #expect(alertIDs1.isDisjoint(with: alertIDs2) && alertIDs1.count == flags1.count)
            // Each event's alert is that team's alert.
            let alerts = try s.expect(s.get("/v1/alerts?status=all&limit=500", token: w.admin), 200).items
            for e in raised {
                let a = alerts.first { $0["id"] == e["alert_id"] }
                #expect(a?["team_id"] == e["team_id"] && a?["client_id"] == "c-1", "\(e)")
            }
            // CSV: the same rows with team_id in its column.
            let csv = try s.expect(s.get("/v1/alerts/events?format=csv", token: exporter), 200).text
            let rows = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let c1Rows = rows.filter { $0.count > 4 && $0[3] == "c-1" && $0[1] == "raised" }
            #expect(Set(c1Rows.map { $0[4] }) == ["t1", "t2"] && c1Rows.count == raised.count, "\(csv)")
        }
    }
}

// MARK: - helpers

/// Teams t1, t2, t3 with professionals p1, p2, p3 and a worker token for each team.
struct Tenants {
    let s: TestServer
    let admin: String, w1: String, w2: String, w3: String

    init(_ s: TestServer) throws {
        self.s = s
        admin = try s.token("admin", .admin)
        for t in ["t1", "t2", "t3"] { try s.makeTeam(t, admin: admin) }
        try s.makeProfessional("p1", team: "t1", admin: admin)
        try s.makeProfessional("p2", team: "t2", admin: admin)
        try s.makeProfessional("p3", team: "t3", admin: admin)
        w1 = try s.token("worker.t1", .worker, team: "t1")
        w2 = try s.token("worker.t2", .worker, team: "t2")
        w3 = try s.token("worker.t3", .worker, team: "t3")
    }

    /// c-1 in t1 (contacts k-1, k-1b; referral r-1; primary p1) and in t2 (contact k-1;
    /// referral r-1; primary p2); c-only2 with k-only2 and r-only2 in t2 only.
    func sameIdsInTwoTeams() throws {
        try s.makeClient("c-1", team: "t1", token: w1, ref: "ZK-c1-t1")
        try s.assignPrimary("c-1", "p1", from: "2025-05-20", token: w1)
        try s.makeContact("k-1", client: "c-1", professional: "p1", at: "2025-05-21T10:00:00+02:00", token: w1)
        try s.makeContact("k-1b", client: "c-1", professional: "p1", at: "2025-05-22T10:00:00+02:00", mode: "phone", token: w1)
        try s.makeReferral("r-1", client: "c-1", from: "p1", on: "2025-05-23", token: w1)
        try s.makeClient("c-1", team: "t2", token: w2, ref: "ZK-c1-t2")
        try s.assignPrimary("c-1", "p2", from: "2025-05-20", token: w2)
        try s.makeContact("k-1", client: "c-1", professional: "p2", at: "2025-05-24T10:00:00+02:00", token: w2)
        try s.makeReferral("r-1", client: "c-1", from: "p2", on: "2025-05-25", token: w2)
        try s.makeClient("c-only2", team: "t2", token: w2)
        try s.makeContact("k-only2", client: "c-only2", professional: "p2", at: "2025-05-24T11:00:00+02:00", token: w2)
        try s.makeReferral("r-only2", client: "c-only2", from: "p2", on: "2025-05-25", token: w2)
    }

    struct Snapshot: Equatable {
        var client: String, contacts: String, referrals: String, assignments: String
    }

    /// Everything a team's worker reads about one client (the first worker that sees it, or `team`).
    func snapshot(client id: String, team: String? = nil) throws -> Snapshot {
        var found = team
        if found == nil {
            for t in [w1, w2, w3] where found == nil {
                if try s.get("/v1/clients/\(id)", token: t).status == 200 { found = t }
            }
        }
        guard let token = found else { throw TestFailure("no team sees \(id)") }
        func read(_ path: String) throws -> String { try s.expect(s.get(path, token: token), 200).text }
        return Snapshot(client: try read("/v1/clients/\(id)"), contacts: try read("/v1/clients/\(id)/contacts?limit=500"),
                        referrals: try read("/v1/clients/\(id)/referrals?limit=500"),
                        assignments: try read("/v1/clients/\(id)/assignments?limit=500"))
    }

    static func contact(_ id: String, client: String, professional: String, at: String, mode: String) -> String {
        #"{"id":"\#(id)","client_id":"\#(client)","professional_id":"\#(professional)","occurred_at":"\#(at)","mode":"\#(mode)"}"#
    }

    static func referral(_ id: String, client: String, from: String, on: String, to: String) -> String {
        #"{"id":"\#(id)","client_id":"\#(client)","referred_on":"\#(on)","from_professional_id":"\#(from)","to":"\#(to)"}"#
    }
}

/// One request with a raw JSON body (or none).
func call(_ s: TestServer, _ method: String, _ target: String, _ token: String, _ body: String? = nil,
          requestID: String? = nil) throws -> TestResponse {
    var headers: [(String, String)] = body == nil ? [] : [("Content-Type", "application/json")]
    if let requestID { headers.append(("X-Request-Id", requestID)) }
    return try s.request(method, target, token: token, headers: headers, body: body.map { Array($0.utf8) })
}

/// 409 problem+json naming the query parameter `team_id` (the stored state, two teams using
/// the id, makes the request ambiguous).
func expectAmbiguous(_ r: TestResponse, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == 409, "\(label): \(r)", sourceLocation: sourceLocation)
    #expect(r.header("Content-Type") == "application/problem+json", "\(label)", sourceLocation: sourceLocation)
    #expect(r.parameters == ["team_id"], "\(label): \(r)", sourceLocation: sourceLocation)
    #expect(r.pointers.isEmpty, "\(label): \(r)", sourceLocation: sourceLocation)
    let detail = r.json["errors"]?[0]?["detail"]?.stringValue ?? ""
    #expect(!detail.isEmpty, "\(label): \(r)", sourceLocation: sourceLocation)
}

import Continuity
import JSON
import Store
import Testing

/// Second-opinion review of ids unique per team (issue 10 point 1): failing tests for defects.
@Suite struct ReviewFindingsTests {
    /// A retried DELETE /v1/contacts/{id} by a token that sees every team (no ?team_id=): the
    /// first DELETE removed t1's contact k-d; meanwhile t2 logged its own contact k-d. The retry
    /// must answer like the first (204) without touching t2's contact, or refuse as ambiguous
    /// (409 naming team_id). It deletes t2's live contact instead.
    @Test func reviewRetriedDeleteByAllTeamsTokenMustNotDeleteAnotherTeamsContact() throws {
        try withServer { s in
            let w = try Tenants(s)
            try s.makeClient("c1", team: "t1", token: w.w1)
            try s.makeContact("k-d", client: "c1", professional: "p1", at: "2025-05-21T10:00:00+02:00", token: w.w1)
            // The admin deletes t1's k-d (the only k-d so far: no team needed).
            try s.expect(call(s, "DELETE", "/v1/contacts/k-d", w.admin), 204)
            // t2 logs its own k-d.
            try s.makeClient("c2", team: "t2", token: w.w2)
            try s.makeContact("k-d", client: "c2", professional: "p2", at: "2025-05-22T10:00:00+02:00", token: w.w2)
            // The admin's DELETE is retried (a timeout, a double click).
            let retry = try call(s, "DELETE", "/v1/contacts/k-d", w.admin)
            #expect(retry.status == 204 || retry.status == 409, "\(retry)")
            // t2's contact must still be there.
            let t2 = try call(s, "GET", "/v1/contacts/k-d", w.w2)
            #expect(t2.status == 200, "t2's live contact k-d was deleted by a retry of t1's deletion: \(t2)")
        }
    }

    /// An erased client's `erased` event tells export consumers of its team to delete what they
    /// hold (SPEC §3, README "Erasure reaches every consumer"). When the team later gives the
    /// freed id to a new client and that client is moved to another team, the move relabels the
    /// *earlier, erased* client's `erased` event with the new team too (Records.move updates every
    /// alert_events row of (team, id)): the feed then says "erased" for the wrong team.
    @Test func reviewMovingAClientMustNotRelabelAnEarlierErasedClientsErasedEvent() throws {
        try withServer { s in
            let w = try Tenants(s)
            let exporter = try s.token("dashboard", .exporter)
            let exporterT1 = try s.token("dashboard.t1", .exporter, team: "t1")
            // t1's first c-e (opened long ago: raises alerts, so a consumer holds its events).
            try s.makeClient("c-e", team: "t1", token: w.w1, openedOn: "2025-01-01")
            try s.expect(call(s, "DELETE", "/v1/clients/c-e?team_id=t1", w.admin), 204)
            let before = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: exporter), 200).body)
            let erased = before.filter { $0["event"] == "erased" && $0["client_id"] == "c-e" }
            #expect(erased.count == 1 && erased.first?["team_id"] == "t1", "\(erased)")
            // t1 reuses the freed id for someone else, who is then moved to t2.
            try s.makeClient("c-e", team: "t1", token: w.w1, ref: "ZK-other-person")
            try s.expect(call(s, "PATCH", "/v1/clients/c-e?team_id=t1", w.admin, #"{"team_id":"t2"}"#), 200)
            let after = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: exporter), 200).body)
            let erasedAfter = after.filter { $0["event"] == "erased" && $0["client_id"] == "c-e" }
            #expect(erasedAfter.count == 1 && erasedAfter.first?["team_id"] == "t1",
                    "the first c-e was t1's: its erased event must still name t1: \(erasedAfter)")
            // A consumer of t1's feed only (a team-bound exporter) no longer learns of the erasure.
            let t1Feed = ndjsonLines(try s.expect(s.get("/v1/alerts/events", token: exporterT1), 200).body)
            #expect(t1Feed.contains { $0["event"] == "erased" && $0["client_id"] == "c-e" }, "t1's feed lost the erased event: \(t1Feed)")
        }
    }

    /// README "References do not reveal other teams": a token of all teams (an admin's) may name
    /// any professional. Naming the client's team with ?team_id= (required when two teams use the
    /// client's id) narrows the scope to `.team(t1)`, and `requireProfessional` then refuses
    /// another team's professional: the same request answers 201 without ?team_id= and 422 with it.
    @Test func reviewAnAdminNamingTheTeamKeepsTheRightToNameAnyProfessional() throws {
        try withServer { s in
            let w = try Tenants(s)
            try s.makeClient("c1", team: "t1", token: w.w1)
            let without = try call(s, "POST", "/v1/contacts", w.admin,
                                   Tenants.contact("k-a", client: "c1", professional: "p2", at: "2025-05-21T10:00:00+02:00", mode: "phone"))
            let with = try call(s, "POST", "/v1/contacts?team_id=t1", w.admin,
                                Tenants.contact("k-b", client: "c1", professional: "p2", at: "2025-05-21T11:00:00+02:00", mode: "phone"))
            #expect(without.status == 201, "\(without)")
            #expect(with.status == without.status, "with ?team_id=t1: \(with)")
        }
    }

    /// ClientListCursor says "a bare id, as earlier versions gave, starts at that id's first
    /// team", but CursorForm.client only accepts `id~team`: a cursor handed out before the
    /// upgrade is 400, and the bare-id branch is dead code.
    @Test func reviewAClientCursorOfAnEarlierVersionIsAccepted() throws {
        try withServer { s in
            let w = try Tenants(s)
            try s.makeClient("c1", team: "t1", token: w.w1)
            try s.makeClient("c2", team: "t1", token: w.w1)
            let r = try call(s, "GET", "/v1/clients?cursor=c1", w.w1)
            #expect(r.status == 200, "\(r)")
        }
    }
}

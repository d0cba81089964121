import JSON
import Store
import Testing
@testable import API

/// Unknown query parameters are 400 with `{"parameter", "detail"}` in `errors` on every route
/// (SPEC §4), so `?team=` for `?team_id=` or `?limti=` never silently widens an answer.
@Suite struct QueryParameterTests {
    static func target(_ route: Route, query: String) -> String {
        route.pattern.replacingID(with: "x1") + "?" + query
    }

    @Test func everyRouteRejectsAParameterItDoesNotDeclare_andNamesIt() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            for route in Routes.all {
                let r = try s.request(route.method, Self.target(route, query: "limti=1"), token: admin)
                #expect(r.status == 400, "\(route.method) \(route.pattern): \(r)")
                #expect(r.header("Content-Type") == "application/problem+json")
                #expect(r.parameters == ["limti"], "\(route.method) \(route.pattern): \(r)")
                #expect(r.pointers.isEmpty)
            }
        }
    }

    @Test func aTypoInAReportsTeamParameterIsRefused_notAnsweredWithEveryTeam() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeTeam("t2", admin: admin)
            let manager = try s.token("manager", .manager)
            let typo = try s.get("/v1/reports/continuity?team=t1", token: manager)
            #expect(typo.status == 400)
            #expect(typo.parameters == ["team"])
            let detail = typo.json["errors"]?[0]?["detail"]?.stringValue ?? ""
            #expect(detail.contains("team_id"), "the detail names what the route does take: \(detail)")
            // Two typos: both named, in the order given; the declared one is not.
            let two = try s.get("/v1/clients?limti=1&team_id=t1&curser=x", token: admin)
            #expect(two.parameters == ["limti", "curser"])
            // The right names work.
            #expect(try s.get("/v1/reports/continuity?team_id=t1", token: manager).status == 200)
            #expect(try s.get("/health?probe=1").parameters == ["probe"])
        }
    }

    @Test func everyParameterARouteDeclaresIsAccepted() throws {
        // A declared parameter with a bad value is refused for its value, never as unknown.
        try withServer { s in
            let admin = try s.token("admin", .admin)
            for route in Routes.all where !route.query.isEmpty {
                let query = route.query.map { $0 + "=%00" }.joined(separator: "&")
                let r = try s.request(route.method, Self.target(route, query: query), token: admin)
                let details = (r.json["errors"]?.arrayValue ?? []).compactMap { $0["detail"]?.stringValue }
                #expect(details.filter { $0.hasPrefix("is not a parameter") }.isEmpty, "\(route.pattern): \(r)")
            }
        }
    }
}

import API
import Config
import JSON
import Testing

/// Browser apps on other origins (SPEC §4, `[server] cors_origins`), over real HTTP: preflight
/// answered for the allowed origins only, their answers readable, `Authorization` allowed,
/// credentials never.
@Suite struct CORSTests {
    static let app = "https://app.wijkteam.example"

    /// `[server] cors_origins` as the configuration file gives it.
    static func settings(_ origins: [String]) -> (inout Settings) -> Void {
        { $0.serverCorsOrigins = origins.joined(separator: ",") }
    }

    static func preflight(_ s: TestServer, _ path: String, origin: String, method: String = "GET") throws -> TestResponse {
        try s.request("OPTIONS", path, headers: [("Origin", origin), ("Access-Control-Request-Method", method),
                                                 ("Access-Control-Request-Headers", "authorization, content-type")])
    }

    @Test func anAllowedOriginsPreflightIsAnsweredWithoutAToken_andAllowsAuthorizationButNoCredentials() throws {
        try withServer(configure: Self.settings([Self.app, "http://localhost:5173"])) { s in
            let r = try Self.preflight(s, "/v1/contacts/k1", origin: Self.app, method: "PATCH")
            #expect(r.status == 204)
            #expect(r.header("Access-Control-Allow-Origin") == Self.app)
            let methods = Set((r.header("Access-Control-Allow-Methods") ?? "").split(separator: ",").map { String($0).trimmingSpaces })
            #expect(methods == ["GET", "HEAD", "PATCH", "DELETE"])
            let headers = (r.header("Access-Control-Allow-Headers") ?? "").lowercased()
            #expect(headers.contains("authorization") && headers.contains("content-type"))
            #expect(r.header("Access-Control-Allow-Credentials") == nil)
            #expect(r.header("Vary")?.contains("Origin") == true)
            #expect(Int(r.header("Access-Control-Max-Age") ?? "") != nil)
            // Origins compare as browsers serialise them; the port is part of the origin.
            #expect(try Self.preflight(s, "/v1/clients", origin: "http://localhost:5173").status == 204)
            #expect(try Self.preflight(s, "/v1/clients", origin: "http://localhost:5174").status == 403)
        }
    }

    @Test func theAllowedOriginCanReadAnswers_otherOriginsGetNoCORSHeaders() throws {
        try withServer(configure: Self.settings([Self.app])) { s in
            let admin = try s.token("admin", .admin)
            let ok = try s.request("GET", "/v1/teams", token: admin, headers: [("Origin", Self.app)])
            #expect(ok.status == 200)
            #expect(ok.header("Access-Control-Allow-Origin") == Self.app)
            #expect(ok.header("Access-Control-Expose-Headers")?.contains("X-Request-Id") == true)
            #expect(ok.header("Access-Control-Allow-Credentials") == nil)
            // Errors are readable too, so the app can show the problem.
            let bad = try s.request("GET", "/v1/teams?limti=1", token: admin, headers: [("Origin", Self.app)])
            #expect(bad.status == 400)
            #expect(bad.header("Access-Control-Allow-Origin") == Self.app)

            let evil = "https://evil.example"
            let other = try s.request("GET", "/v1/teams", token: admin, headers: [("Origin", evil)])
            #expect(other.header("Access-Control-Allow-Origin") == nil)
            #expect(other.header("Vary")?.contains("Origin") == true)
            let refused = try Self.preflight(s, "/v1/teams", origin: evil)
            #expect(refused.status == 403)
            #expect(refused.header("Access-Control-Allow-Origin") == nil)
            #expect(refused.header("Access-Control-Allow-Methods") == nil)
            // A path that does not exist is not advertised.
            #expect(try Self.preflight(s, "/v1/nothing", origin: Self.app).status == 404)
        }
    }

    @Test func withNoOriginsConfigured_noCORSHeaderIsEverSent() throws {
        try withServer(configure: Self.settings([])) { s in
            let admin = try s.token("admin", .admin)
            let r = try s.request("GET", "/v1/teams", token: admin, headers: [("Origin", Self.app)])
            #expect(r.status == 200)
            #expect(!r.headers.contains { $0.0.lowercased().hasPrefix("access-control-") })
            let pre = try Self.preflight(s, "/v1/teams", origin: Self.app)
            #expect(pre.status == 405)
            #expect(!pre.headers.contains { $0.0.lowercased().hasPrefix("access-control-") })
        }
    }
}

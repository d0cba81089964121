import API
import Continuity
import JSON
import Store
import Testing

/// HTTP conventions of SPEC §4 and §7 seen from a client: status codes, headers, compression,
/// authentication, rate limits, metrics and the OpenAPI document.
@Suite struct ProtocolTests {
    @Test func unknownPathsAre404AndWrongMethodsAre405WithAllow() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            let missing = try s.get("/v1/nothing-here", token: admin)
            #expect(missing.status == 404)
            #expect(missing.header("Content-Type") == "application/problem+json")
            #expect(missing.json["status"]?.int64Value == 404)
            #expect(try s.get("/v1/teams/", token: admin).status == 404)

            let wrong = try s.request("DELETE", "/v1/teams", token: admin)
            #expect(wrong.status == 405)
            let allow = Set((wrong.header("Allow") ?? "").split(separator: ",").map { String($0).trimmingSpaces })
            #expect(allow == ["GET", "HEAD", "POST"])
            let put = try s.request("PUT", "/v1/clients/c1", token: admin, json: [:])
            #expect(put.status == 405)
            #expect(Set((put.header("Allow") ?? "").split(separator: ",").map { String($0).trimmingSpaces })
                    == ["GET", "HEAD", "PATCH", "DELETE"])
        }
    }

    @Test func headIsAnsweredLikeGetWithoutABody() throws {
        try withServer { s in
            let get = try s.get("/health")
            let head = try s.request("HEAD", "/health")
            #expect(get.status == 200)
            #expect(get.json == ["status": "ok"])
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.extraBytes == 0, "no body bytes after the head of a HEAD response")
            #expect(head.header("Content-Length") == String(get.body.count))
            #expect(try s.get("/ready").status == 200)
        }
    }

    @Test func bodiesOver1KiBAreGzippedWhenTheClientAcceptsIt() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            for i in 0..<12 { try s.makeClient("client-\(i)", team: "t1", token: admin) }
            let plain = try s.expect(s.get("/v1/clients", token: admin), 200)
            #expect(plain.body.count > 1024)
            #expect(plain.header("Content-Encoding") == nil)

            let zipped = try s.expect(s.get("/v1/clients", token: admin, headers: [("Accept-Encoding", "gzip")]), 200)
            #expect(zipped.header("Content-Encoding") == "gzip")
            #expect(Array(zipped.body.prefix(2)) == [0x1F, 0x8B])
            #expect(zipped.body.count < plain.body.count)
            #expect(zipped.header("Vary")?.lowercased().contains("accept-encoding") == true)
            // The gzip trailer's ISIZE is the length of the uncompressed body (RFC 1952 §2.3.1).
            let t = zipped.body.suffix(4).map(UInt32.init)
            #expect(Int(t[0] | t[1] << 8 | t[2] << 16 | t[3] << 24) == plain.body.count)

            let openapi = try s.expect(s.get("/openapi.json", headers: [("Accept-Encoding", "gzip, deflate")]), 200)
            #expect(openapi.header("Content-Encoding") == "gzip")
            #expect(Array(openapi.body.prefix(2)) == [0x1F, 0x8B])

            let small = try s.expect(s.get("/health", headers: [("Accept-Encoding", "gzip")]), 200)
            #expect(small.header("Content-Encoding") == nil)
            #expect(small.json == ["status": "ok"])
        }
    }

    @Test func v1AnswersAreNotCachedAndNotSniffed() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            for r in [try s.get("/v1/teams", token: admin), try s.get("/v1/teams"), try s.get("/v1/nothing", token: admin)] {
                #expect(r.header("Cache-Control") == "no-store", "\(r.status)")
                #expect(r.header("X-Content-Type-Options") == "nosniff", "\(r.status)")
                #expect(r.header("X-Request-Id")?.isEmpty == false)
            }
            let traced = try s.get("/v1/teams", token: admin, headers: [("X-Request-Id", "trace-42")])
            #expect(traced.header("X-Request-Id") == "trace-42")
        }
    }

    @Test func aMissingOrUnknownTokenIs401WithABearerChallenge() throws {
        try withServer { s in
            _ = try s.token("admin", .admin)
            let cases: [[(String, String)]] = [
                [],
                [("Authorization", "Bearer ct_not-a-real-token")],
                [("Authorization", "Basic YWRtaW46YWRtaW4=")],
                [("Authorization", "Bearer ")],
            ]
            for headers in cases {
                let r = try s.get("/v1/teams", headers: headers)
                #expect(r.status == 401, "\(headers)")
                #expect(r.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                #expect(r.header("Content-Type") == "application/problem+json")
            }
            let revoked = try s.token("gone", .admin)
            #expect(try s.store.revokeToken("gone"))
            #expect(try s.get("/v1/teams", token: revoked).status == 401)
        }
    }

    @Test func aTokenOverItsRateLimitGets429WithRetryAfter() throws {
        try withServer(configure: { $0.authRateLimitPerMinute = 6; $0.authRateLimitBurst = 3 }) { s in
            let busy = try s.token("busy", .admin)
            let calm = try s.token("calm", .admin)
            for _ in 0..<3 { #expect(try s.get("/v1/teams", token: busy).status == 200) }
            let limited = try s.get("/v1/teams", token: busy)
            #expect(limited.status == 429)
            #expect(limited.header("Content-Type") == "application/problem+json")
            let wait = Int(limited.header("Retry-After") ?? "")
            #expect(wait != nil && wait! >= 1 && wait! <= 10)
            #expect(try s.get("/v1/teams", token: calm).status == 200, "another token has its own bucket")
            #expect(try s.get("/health").status == 200, "open endpoints are not limited")
        }
    }

    @Test func metricsCountRequestsByRoute() throws {
        try withServer { s in
            _ = try s.get("/health")
            _ = try s.get("/v1/teams")
            let m = try s.expect(s.get("/metrics"), 200)
            #expect(m.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(m.text.contains("# TYPE continuity_http_requests_total counter"))
            #expect(m.text.contains(#"continuity_http_requests_total{route="/health",method="GET",status="200"} 1"#))
            #expect(m.text.contains(#"continuity_http_requests_total{route="/v1/teams",method="GET",status="401"} 1"#))
            #expect(m.text.contains("continuity_http_request_duration_seconds_bucket"))
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryRouteOfTheRouter() throws {
        try withServer { s in
            let r = try s.expect(s.get("/openapi.json"), 200)
            #expect(r.header("Content-Type") == "application/json")
            let doc = try JSON.parse(r.body)
            #expect(doc["openapi"]?.stringValue?.hasPrefix("3.1") == true)
            guard let paths = doc["paths"]?.objectValue else {
                Issue.record("no paths object")
                return
            }
            for route in s.app.router.routes {
                #expect(paths[route.pattern]?[route.method.lowercased()] != nil, "\(route.method) \(route.pattern) is not in openapi.json")
            }
            // And nothing documented that the router does not serve.
            let served = Set(s.app.router.routes.map { "\($0.method) \($0.pattern)" })
            for (path, item) in paths {
                for (method, _) in item.objectValue ?? JSONObject()
                where ["get", "post", "put", "patch", "delete"].contains(method) {
                    #expect(served.contains("\(method.uppercased()) \(path)"), "\(method) \(path) is documented but not served")
                }
            }
        }
    }
}

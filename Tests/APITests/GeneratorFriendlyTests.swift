import JSON
import Testing
@testable import API

/// What client generators (openapi-python-client) need of the document (issue 11), and the
/// operations that give the CSV and HTML forms one response media type each.
@Suite struct GeneratorFriendlyTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "options", "head", "trace"]

    @Test func everyRequestBodyHasOneMediaType_applicationJSON_andEverySuccessAtMostOne() throws {
        let paths = try #require(OpenAPI.document["paths"]?.objectValue)
        for (path, item) in paths {
            for (method, op) in item.objectValue ?? [:] where Self.methods.contains(method) {
                if let content = op["requestBody"]?["content"]?.objectValue {
                    #expect(content.keys.sorted() == ["application/json"], "\(method) \(path)")
                }
                // The report and the events keep their documented `format=` (SPEC §4); every
                // other operation answers one media type.
                guard path != "/v1/reports/continuity", path != "/v1/alerts/events" else { continue }
                for (status, response) in op["responses"]?.objectValue ?? [:] where status.hasPrefix("2") {
                    #expect((response["content"]?.objectValue?.keys.count ?? 0) <= 1, "\(method) \(path) \(status)")
                }
            }
        }
    }

    @Test func noSchemaIsNamedClient_whichWouldShadowTheGeneratedHTTPClientClass() throws {
        let schemas = try #require(OpenAPI.document["components"]?["schemas"]?.objectValue)
        #expect(schemas["Client"] == nil)
        #expect(schemas["ClientRecord"] != nil)
    }

    @Test func theCSVAndHTMLOperationsAnswerWhatFormatGives_withTheirOneMediaType() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            try s.makeTeam("t1", admin: admin)
            try s.makeProfessional("p1", team: "t1", admin: admin)
            try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-01-06")
            try s.assignPrimary("c1", "p1", from: "2025-01-06", token: admin)
            let pairs = [
                ("/v1/reports/continuity.csv?team_id=t1&excel=nl", "/v1/reports/continuity?team_id=t1&excel=nl&format=csv", "text/csv"),
                ("/v1/reports/continuity.html?team_id=t1", "/v1/reports/continuity?team_id=t1&format=html", "text/html"),
                ("/v1/alerts/events.csv?after=0", "/v1/alerts/events?after=0&format=csv", "text/csv"),
            ]
            for (own, format, type) in pairs {
                let a = try s.expect(s.get(own, token: admin), 200), b = try s.expect(s.get(format, token: admin), 200)
                #expect(a.body == b.body, "\(own)")
                #expect(a.body.count > 20)
                #expect(a.header("Content-Type")?.hasPrefix(type) == true)
            }
            // Their own parameters only: `format` belongs to the operations that choose.
            #expect(try s.get("/v1/reports/continuity.csv?format=json", token: admin).parameters == ["format"])
            #expect(try s.get("/v1/alerts/events.csv?format=ndjson", token: admin).parameters == ["format"])
        }
    }
}

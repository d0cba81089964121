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

    @Test func eachCursorFormIsThePatternTheDocumentGives() throws {
        let schemas = try #require(OpenAPI.document["components"]?["schemas"]?.objectValue)
        for form in CursorForm.allCases {
            #expect(schemas[form.schemaName]?["pattern"]?.stringValue == form.pattern, "\(form)")
        }
    }

    /// The documented cursor pattern of an operation (through its parameter's `$ref`s).
    static func documentedCursorPattern(_ path: String) -> String? {
        let doc = OpenAPI.document
        for p in doc["paths"]?[path]?["get"]?["parameters"]?.arrayValue ?? [] {
            guard let ref = p["$ref"]?.stringValue, let name = ref.split(separator: "/").last,
                  let param = doc["components"]?["parameters"]?[String(name)], param["name"] == "cursor",
                  let schema = param["schema"]?["$ref"]?.stringValue?.split(separator: "/").last else { continue }
            return doc["components"]?["schemas"]?[String(schema)]?["pattern"]?.stringValue
        }
        return nil
    }

    @Test func everyListHandsOutCursorsOfItsDocumentedForm_andRefusesAnyOther() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            for t in ["t1", "t2"] { try s.makeTeam(t, admin: admin) }
            for p in ["p1", "p2"] { try s.makeProfessional(p, team: "t1", admin: admin) }
            for c in ["c1", "c2"] { try s.makeClient(c, team: "t1", token: admin, openedOn: "2025-01-06") }
            try s.makeContact("k1", client: "c1", professional: "p1", at: "2025-05-01T10:00:00+02:00", token: admin)
            try s.makeContact("k2", client: "c1", professional: "p2", at: "2025-05-02T10:00:00+02:00", token: admin)
            try s.makeReferral("r1", client: "c1", from: "p1", on: "2025-05-01", token: admin)
            try s.makeReferral("r2", client: "c1", from: "p1", on: "2025-05-02", token: admin)
            try s.assignPrimary("c1", "p1", from: "2025-01-06", token: admin)
            try s.assignPrimary("c1", "p2", from: "2025-03-01", token: admin)
            let lists = ["/v1/teams", "/v1/professionals", "/v1/clients", "/v1/clients/{id}/contacts",
                         "/v1/clients/{id}/referrals", "/v1/clients/{id}/assignments", "/v1/alerts"]
            #expect(Set(lists) == Set(Routes.all.filter { $0.query.contains("cursor") }.map(\.pattern)))
            for path in lists {
                let url = path.replacingID(with: "c1")
                let pattern = try #require(Self.documentedCursorPattern(path), "\(path)")
                let regex = try Regex(pattern)
                let first = try s.expect(s.get(url + "?limit=1" + (path == "/v1/alerts" ? "&status=all" : ""), token: admin), 200)
                let next = try #require(first.json["next_cursor"]?.stringValue, "\(path) has a second page")
                #expect(next.wholeMatch(of: regex) != nil, "\(path): \(next) is not of the form \(pattern)")
                let second = try s.expect(s.get(url + "?limit=1&cursor=" + next + (path == "/v1/alerts" ? "&status=all" : ""),
                                                token: admin), 200)
                #expect(second.items.count == 1)
                #expect(second.items != first.items)
                for bad in ["x~y", "1~2", "!", "-0"] where bad.wholeMatch(of: regex) == nil {
                    #expect(try s.get(url + "?cursor=" + bad, token: admin).parameters == ["cursor"], "\(path) \(bad)")
                }
            }
        }
    }
}


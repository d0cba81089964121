import JSON
import Testing
@testable import API

/// The document served at /openapi.json is the one in openapi/openapi.json (embedded by
/// scripts/embed-openapi): editing one without the other fails here.
struct OpenAPIDocumentTests {
    @Test func embeddedDocument_equalsTheFileInTheRepository() throws {
        let bytes = try #require(readAll(packageRoot + "/openapi/openapi.json"))
        let file = try JSON.parse(bytes)
        #expect(file == OpenAPI.document, "run scripts/embed-openapi after editing openapi/openapi.json")
    }

    @Test func document_isOpenAPI31_withEveryRoute() throws {
        let doc = OpenAPI.document
        #expect(doc["openapi"]?.stringValue?.hasPrefix("3.1") == true)
        let paths = try #require(doc["paths"]?.objectValue)
        for route in Routes.all {
            let operation = paths[route.pattern]?[route.method.lowercased()]
            #expect(operation != nil, "\(route.method) \(route.pattern) is not in the OpenAPI document")
        }
    }

    /// Each operation documents exactly the query parameters its route declares (and so
    /// accepts): the document cannot promise a parameter the server refuses, or hide one.
    @Test func everyOperationDocumentsExactlyTheQueryParametersItsRouteDeclares() throws {
        let doc = OpenAPI.document
        let shared = doc["components"]?["parameters"]
        for route in Routes.all {
            let operation = doc["paths"]?[route.pattern]?[route.method.lowercased()]
            var documented: [String] = []
            for p in operation?["parameters"]?.arrayValue ?? [] {
                var p = p
                if let ref = p["$ref"]?.stringValue, let name = ref.split(separator: "/").last {
                    p = shared?[String(name)] ?? .null
                }
                if p["in"] == "query", let name = p["name"]?.stringValue { documented.append(name) }
            }
            #expect(documented.sorted() == route.query.sorted(), "\(route.method) \(route.pattern)")
        }
    }
}

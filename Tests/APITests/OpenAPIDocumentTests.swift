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
}

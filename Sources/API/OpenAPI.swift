import HTTP
import JSON

/// The OpenAPI 3.1 description served at `/openapi.json` (SPEC §4), embedded at build time
/// from `openapi/openapi.json` by `scripts/embed-openapi`.
public enum OpenAPI {
    /// Parsed once; the embedded text is checked by the tests, so a failure here is a build bug.
    public static let document: JSONValue = {
        do { return try JSON.parse(text) } catch { fatalError("embedded OpenAPI document is not JSON: \(error)") }
    }()

    /// What `/openapi.json` answers: serialised and gzipped once, at `Application.init`, never
    /// per request on the event loop.
    public static let served = PrebuiltResponse(body: JSON.serialize(document), contentType: "application/json")
}

import API
import HTTP
import JSON
import Testing

/// `/openapi.json` is built once (plain and gzipped, each with a strong ETag) and revalidated
/// with `If-None-Match` (RFC 9110 §13.1.2): a client that has it gets 304 and no body.
@Suite struct OpenAPIServingTests {
    @Test func theDocumentCarriesAnETag_andIfNoneMatchWithItIs304() throws {
        try withServer { s in
            let full = try s.expect(s.get("/openapi.json"), 200)
            #expect(full.body == JSON.serialize(OpenAPI.document))
            let tag = try #require(full.header("ETag"))
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count > 2)
            #expect(full.header("Cache-Control") == "no-cache")
            #expect(full.header("Vary") == "Accept-Encoding")

            for condition in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
                let cached = try s.get("/openapi.json", headers: [("If-None-Match", condition)])
                #expect(cached.status == 304, "If-None-Match: \(condition)")
                #expect(cached.body.isEmpty && cached.extraBytes == 0)
                #expect(cached.header("ETag") == tag)
            }
            let stale = try s.get("/openapi.json", headers: [("If-None-Match", "\"other\"")])
            #expect(stale.status == 200)
            #expect(stale.body == full.body)
        }
    }

    /// No per-request work that grows with the document: every answer shares the bytes built
    /// at start (the same storage), plain and gzipped alike.
    @Test func everyAnswer_sharesTheBytesBuiltOnce() throws {
        func address(_ request: HTTPRequest) -> UnsafePointer<UInt8>? {
            OpenAPI.served.response(to: request).body.withUnsafeBufferPointer { $0.baseAddress }
        }
        let plain = HTTPRequest(method: "GET", target: "/openapi.json")
        let zipped = HTTPRequest(method: "GET", target: "/openapi.json", headers: HTTPHeaders([("Accept-Encoding", "gzip")]))
        #expect(address(plain) != nil && address(plain) == address(plain))
        #expect(address(zipped) != nil && address(zipped) == address(zipped))
        #expect(address(plain) != address(zipped))
    }

    @Test func theGzippedDocument_hasItsOwnETag_andUnzipsToThePlainOne() throws {
        try withServer { s in
            let plain = try s.expect(s.get("/openapi.json"), 200)
            let zipped = try s.expect(s.get("/openapi.json", headers: [("Accept-Encoding", "gzip")]), 200)
            #expect(zipped.header("Content-Encoding") == "gzip")
            #expect(Gzip.decompress(zipped.body) == plain.body)
            let zippedTag = try #require(zipped.header("ETag"))
            #expect(zippedTag != plain.header("ETag"))
            // The plain representation's tag does not validate the gzipped one, and vice versa.
            let other = try s.get("/openapi.json", headers: [("Accept-Encoding", "gzip"),
                                                             ("If-None-Match", plain.header("ETag") ?? "")])
            #expect(other.status == 200)
            let same = try s.get("/openapi.json", headers: [("Accept-Encoding", "gzip"), ("If-None-Match", zippedTag)])
            #expect(same.status == 304)
            let head = try s.request("HEAD", "/openapi.json")
            #expect(head.status == 200 && head.body.isEmpty && head.extraBytes == 0)
            #expect(head.header("Content-Length") == String(plain.body.count))
        }
    }
}

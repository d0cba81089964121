/// A body built once at start (the OpenAPI document): stored plain and gzipped, each with its
/// strong ETag, so answering it costs the same small work whatever its size: no serialising,
/// no compressing, no copying per request.
public struct PrebuiltResponse: Sendable {
    public let contentType: String
    let plain: [UInt8]
    let gzipped: [UInt8]?
    let plainTag: String
    let gzippedTag: String

    public init(body: [UInt8], contentType: String) {
        self.contentType = contentType
        plain = body
        gzipped = Gzip.compress(body)
        // RFC 9110 §8.8.3: representations differing in content coding get different strong tags.
        let digest = Self.fnv1a64(body)
        plainTag = "\"\(digest)\""
        gzippedTag = "\"\(digest)-gzip\""
    }

    /// 200 with the representation the client accepts, or 304 when `If-None-Match` names it.
    public func response(to request: HTTPRequest) -> HTTPResponse {
        let zipped = gzipped != nil && Gzip.isAccepted(by: request.headers["Accept-Encoding"])
        let tag = zipped ? gzippedTag : plainTag
        var headers = HTTPHeaders([("ETag", tag), ("Vary", "Accept-Encoding"), ("Cache-Control", "no-cache")])
        if Self.ifNoneMatch(request.headers.values("If-None-Match"), matches: tag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers.set("Content-Type", contentType)
        if zipped, let gzipped {
            headers.set("Content-Encoding", "gzip")
            return HTTPResponse(status: 200, headers: headers, body: gzipped)
        }
        return HTTPResponse(status: 200, headers: headers, body: plain)
    }

    /// If-None-Match = "*" / #entity-tag, compared weakly (RFC 9110 §13.1.2): `W/` is ignored.
    static func ifNoneMatch(_ values: [String], matches tag: String) -> Bool {
        for value in values {
            for item in value.split(separator: ",") {
                var candidate = Substring(String(item).trimmingOWS)
                if candidate == "*" { return true }
                if candidate.hasPrefix("W/") { candidate = candidate.dropFirst(2) }
                if candidate == tag { return true }
            }
        }
        return false
    }

    /// FNV-1a, 64 bits, in hex: enough to tell versions of one document apart (not a MAC).
    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

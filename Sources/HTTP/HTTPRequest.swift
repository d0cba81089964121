/// One parsed request as the application handler sees it.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The raw request-target as sent.
    public var target: String
    /// The target up to `?` (absolute-form reduced to its path); NOT percent-decoded.
    public var path: String
    /// The raw text after `?`, nil if there is none.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The body, de-chunked.
    public var body: [UInt8]
    /// Peer address as `host:port`.
    public var remoteAddress: String

    public init(method: String, target: String, version: HTTPVersion = .http11,
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String = "") {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        (self.path, self.query) = HTTPRequest.split(target: target)
    }

    /// Splits a request-target (RFC 9112 §3.2) into path and query. Absolute-form
    /// (`http://host:port/p?q`) is reduced to its path; an empty path becomes `/`.
    static func split(target: String) -> (path: String, query: String?) {
        // Origin-form, by far the most common, without intermediate copies.
        if target.utf8.first == UInt8(ascii: "/") {
            guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target, nil) }
            return (String(target[..<mark]), String(target[target.utf8.index(after: mark)...]))
        }
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let schemeEnd = rest.firstRange(of: "://") {
            rest = rest[schemeEnd.upperBound...]
            if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                rest = rest[slash...]
            } else {
                rest = ""
            }
        }
        var path: Substring
        var query: String?
        if let mark = rest.firstIndex(of: "?") {
            path = rest[..<mark]
            query = String(rest[rest.index(after: mark)...])
        } else {
            path = rest
        }
        if path.isEmpty && target != "*" { path = "/" }
        return (String(path), query)
    }
}

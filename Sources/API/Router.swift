import HTTP
import Store

/// One endpoint: method, path pattern with `{param}` segments, who may call it, handler.
public struct Route: Sendable {
    enum Segment: Sendable, Equatable { case literal(String), parameter(String) }

    public let method: String
    public let pattern: String
    /// nil: anyone, no token needed (health, ready, metrics, openapi).
    public let roles: Set<Role>?
    /// Needs no database and never blocks: answered on the HTTP event-loop thread.
    public let inline: Bool
    /// The query parameters this route reads, declared once: anything else is a 400 (SPEC §4:
    /// typos surface), and the OpenAPI tests hold each operation's parameters to this list.
    public let query: [String]
    let segments: [Segment]
    let handler: @Sendable (Context) throws -> HTTPResponse

    init(_ method: String, _ pattern: String, roles: Set<Role>?, inline: Bool = false, query: [String] = [],
         _ handler: @escaping @Sendable (Context) throws -> HTTPResponse) {
        self.inline = inline
        self.query = query
        self.method = method
        self.pattern = pattern
        self.roles = roles
        self.handler = handler
        segments = pattern.split(separator: "/").map { s in
            s.hasPrefix("{") && s.hasSuffix("}") ? .parameter(String(s.dropFirst().dropLast())) : .literal(String(s))
        }
    }

    /// One error for each query parameter this route does not declare, in the order given.
    func undeclaredParameters(_ names: [String]) -> [ParameterError] {
        names.filter { !query.contains($0) }.map { name in
            ParameterError(name: name, detail: query.isEmpty
                ? "is not a parameter of this route (it takes none)"
                : "is not a parameter of this route (it takes " + query.joined(separator: ", ") + ")")
        }
    }

    /// Path parameters if `path` (percent-decoded segments) matches, else nil.
    func match(_ parts: [String]) -> [String: String]? {
        guard parts.count == segments.count else { return nil }
        var params: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let l): if l != part { return nil }
            case .parameter(let name): params[name] = part
            }
        }
        return params
    }
}

public enum RouteMatch {
    case found(Route, [String: String])
    /// The path exists but not for this method: 405 with `Allow` (RFC 9110 §15.5.6).
    case methodNotAllowed(allow: [String])
    case notFound
}

public struct Router: Sendable {
    public let routes: [Route]

    public func match(method: String, path: String) -> RouteMatch {
        guard let parts = Router.split(path) else { return .notFound }
        var allow: [String] = []
        for route in routes {
            guard let params = route.match(parts) else { continue }
            // HEAD is answered by the GET route; the server drops the body (RFC 9110 §9.3.2).
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route, params)
            }
            allow.append(route.method)
            if route.method == "GET" { allow.append("HEAD") }
        }
        return allow.isEmpty ? .notFound : .methodNotAllowed(allow: allow)
    }

    /// Splits a path into percent-decoded segments; nil for malformed escapes or empty segments
    /// (a trailing slash names a different resource).
    static func split(_ path: String) -> [String]? {
        guard path.hasPrefix("/") else { return nil }
        if path == "/" { return [] }
        var parts: [String] = []
        let escaped = path.utf8.contains(UInt8(ascii: "%"))
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard !raw.isEmpty else { return nil }
            if !escaped {
                parts.append(String(raw))
            } else {
                guard let decoded = percentDecode(raw) else { return nil }
                parts.append(decoded)
            }
        }
        return parts
    }
}

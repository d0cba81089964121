import HTTP

/// Cross-origin calls from browser apps served elsewhere (SPEC §4, `[server] cors_origins`),
/// following the CORS protocol of the Fetch standard (fetch.spec.whatwg.org/#http-cors-protocol):
/// only the listed origins get `Access-Control-*` headers; a preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) is answered without a token; `Authorization` may be sent;
/// credentials (cookies) are never allowed, so the web pages' session cookie cannot ride along.
struct CORSPolicy: Sendable {
    /// Lower-cased serialized origins, e.g. `https://app.example.nl` or `http://localhost:5173`.
    let origins: Set<String>

    /// The request headers a browser app may send.
    static let allowedHeaders = "Authorization, Content-Type, Accept, X-Request-Id"
    /// The response headers a browser app may read besides the CORS-safelisted ones.
    static let exposedHeaders = "X-Request-Id, X-Last-Seq, Retry-After, WWW-Authenticate, Allow"
    /// How long a browser may cache a preflight answer, in seconds.
    static let maxAge = "600"

    init(origins: [String]) { self.origins = Set(origins.map { $0.lowercased() }) }

    var isEnabled: Bool { !origins.isEmpty }

    /// The request's `Origin` if it is one of the allowed origins.
    func allowedOrigin(_ request: HTTPRequest) -> String? {
        guard let origin = request.headers["Origin"], origins.contains(origin.lowercased()) else { return nil }
        return origin
    }

    static func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == "OPTIONS" && request.headers["Origin"] != nil && request.headers["Access-Control-Request-Method"] != nil
    }

    /// The answer to a preflight: 204 with the path's methods for an allowed origin; 403 for
    /// any other origin and 404 for a path that does not exist (without CORS headers, so the
    /// browser refuses the call).
    func preflight(_ request: HTTPRequest, _ match: RouteMatch) throws -> HTTPResponse {
        guard let origin = allowedOrigin(request) else {
            throw Problem(403, "Forbidden", "This origin may not call the API; an administrator lists allowed origins in [server] cors_origins")
        }
        let methods: [String]
        switch match {
        case .notFound: throw Problem.notFound
        case .methodNotAllowed(let allow): methods = allow
        case .found(let route, _): methods = [route.method]
        }
        var r = HTTPResponse(status: 204)
        r.headers.set("Access-Control-Allow-Origin", origin)
        r.headers.set("Access-Control-Allow-Methods", methods.joined(separator: ", "))
        r.headers.set("Access-Control-Allow-Headers", CORSPolicy.allowedHeaders)
        r.headers.set("Access-Control-Max-Age", CORSPolicy.maxAge)
        return r
    }

    /// Headers on every answer: which origin may read it (when allowed), and that the answer
    /// depends on `Origin`, so no cache serves one origin's answer to another.
    func decorate(_ response: inout HTTPResponse, for request: HTTPRequest) {
        guard isEnabled else { return }
        response.headers.add("Vary", "Origin")
        guard let origin = allowedOrigin(request), !CORSPolicy.isPreflight(request) else { return }
        response.headers.set("Access-Control-Allow-Origin", origin)
        response.headers.set("Access-Control-Expose-Headers", CORSPolicy.exposedHeaders)
    }
}

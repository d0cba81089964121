import Continuity
import Glibc
import POSIX
import HTTP
import Hashing
import JSON
import Log
import Logging
import Store
import Synchronization
import Web

public struct APISettings: Sendable {
    public var windowDays = 90
    public var smallCellThreshold = 5
    public var rateLimitPerMinute = 600
    public var rateLimitBurst = 120
    /// Failed authentications allowed per remote address and minute (also the burst).
    public var failedAuthPerMinute = 20
    /// The pages under /app/ (SPEC §9).
    public var web = WebSettings()
    /// False when /metrics has a listener of its own ([metrics] port): the API's answers 404.
    public var metricsOnAPIListener = true
    /// `[server] cors_origins`: browser apps on these origins may call the API (none by default).
    public var corsOrigins: [String] = []
    public init() {}
}

/// The HTTP application: routes a request, authenticates it, runs its handler, maps errors to
/// problem+json and writes one access-log line (SPEC §7: method, route, status, duration,
/// request id; never bodies or tokens).
public final class Application: Sendable {
    public let store: Store
    public let settings: APISettings
    let logger: Logger
    let limiter: RateLimiter
    /// Failed authentications per remote address (SPEC §4: repeated failures are slowed down).
    let failedAuth: RateLimiter
    public let metrics: Metrics
    public let router: Router
    /// The pages under `/app/` (SPEC §9): same store, roles, scope and audit as the API.
    public let pages: WebPages
    let cors: CORSPolicy

    public init(store: Store, settings: APISettings, logger: Logger, metrics: Metrics = Metrics()) {
        self.store = store
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        limiter = RateLimiter(perMinute: settings.rateLimitPerMinute, burst: settings.rateLimitBurst)
        failedAuth = RateLimiter(perMinute: settings.failedAuthPerMinute, burst: settings.failedAuthPerMinute)
        router = Router(routes: Routes.all)
        var web = settings.web
        web.windowDays = settings.windowDays
        web.smallCellThreshold = settings.smallCellThreshold
        pages = WebPages(store: store, settings: web, logger: logger, failedSignIns: failedAuth)
        _ = OpenAPI.served  // built now, not by the first request on the event loop
        cors = CORSPolicy(origins: settings.corsOrigins)
    }

    /// The answer for routes that need no database (health, the OpenAPI document), for the
    /// server to give on its event-loop thread; nil sends the request to a worker.
    /// Inline routes have literal paths and are compared as text, so a request for any other
    /// route costs the event loop no route matching (a worker matches it).
    public func handleInline(_ request: HTTPRequest) -> HTTPResponse? {
        let method = request.method == "HEAD" ? "GET" : request.method
        guard let route = router.routes.first(where: {
            $0.inline && $0.pattern == request.path && $0.method == method && !$0.pattern.contains("{")
        }) else { return nil }
        return handle(request, .found(route, [:]))
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        if WebPages.owns(request.path) { return handlePage(request) }
        return handle(request, router.match(method: request.method, path: request.path))
    }

    /// `/app/…`: the pages answer for themselves (sessions, not bearer tokens); the access
    /// log line and metrics are the same as for the API.
    func handlePage(_ request: HTTPRequest) -> HTTPResponse {
        let start = monotonicSeconds()
        let requestID = Application.requestID(request)
        let (route, response) = pages.handle(request, requestID: requestID)
        return finish(request, response, route: route, requestID: requestID, start: start)
    }

    /// `Expect: 100-continue` (RFC 9110 §10.1.1), on a worker, before the body is sent: the
    /// answer `handle` gives without reading a body (no route, wrong method, no or unknown
    /// token, a role not allowed), or nil to ask for the body. The token is looked up without
    /// counting against its rate limit; `handle` counts the request once, with its body.
    public func answerBeforeBody(_ request: HTTPRequest) -> HTTPResponse? {
        if WebPages.owns(request.path) { return nil }  // the pages check their sessions themselves
        let match = router.match(method: request.method, path: request.path)
        guard case .found(let route, _) = match else { return handle(request, match) }
        guard let roles = route.roles else { return nil }
        if let secret = Application.bearerSecret(request), let principal = try? store.authenticate(secret: secret),
           roles.contains(principal.role) {
            return nil
        }
        // The refusal, logged and counted once, as for any request; the body never reached us.
        return handle(request, match)
    }

    /// The token of `Authorization: Bearer <token>` (RFC 6750 §2.1); nil if absent, repeated or malformed.
    static func bearerSecret(_ request: HTTPRequest) -> String? {
        let headers = request.headers.values("Authorization")
        guard headers.count == 1 else { return nil }
        let parts = headers[0].split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    func handle(_ request: HTTPRequest, _ match: RouteMatch) -> HTTPResponse {
        let start = monotonicSeconds()
        let requestID = Application.requestID(request)
        var routeName = "unmatched"
        var response: HTTPResponse
        var principal: Principal?
        do {
            response = try respond(request, match, requestID: requestID, routeName: &routeName, principal: &principal)
        } catch let p as Problem {
            response = p.response()
        } catch let e as StoreError {
            response = Problem.from(e).response()
        } catch {
            // Never echo internals to the client; the log gets what locates the fault.
            var metadata = Application.diagnostics(of: error)
            metadata["request_id"] = "\(requestID)"
            logger.error("internal error", metadata: metadata)
            response = Problem(500, "Internal error", "Something went wrong; quote request id \(requestID)").response()
        }
        if case .found(let route, let params) = match, route.roles != nil, [403, 404].contains(response.status) {
            logRefusal(response.status, route: routeName, principal: principal, requestID: requestID,
                       probed: params.values.sorted() + [request.query ?? ""].filter { !$0.isEmpty })
        }
        if request.path.hasPrefix("/v1/") {
            response.headers.set("Cache-Control", "no-store")
        }
        cors.decorate(&response, for: request)
        return finish(request, response, route: routeName, requestID: requestID, start: start, principal: principal)
    }

    /// Headers every answer carries, the metrics, and the access-log line (SPEC §7).
    func finish(_ request: HTTPRequest, _ response: HTTPResponse, route: String, requestID: String, start: Double,
                principal: Principal? = nil) -> HTTPResponse {
        var response = response
        response.headers.set("X-Request-Id", requestID)
        response.headers.set("X-Content-Type-Options", "nosniff")
        cors.decorate(&response, for: request)
        let seconds = monotonicSeconds() - start
        metrics.record(route: route, method: request.method, status: response.status, seconds: seconds)
        logger.info("request", metadata: Application.requestLine(request, route, response.status, seconds,
                                                                   requestID, principal))
        return response
    }

    /// The access-log line's fields (SPEC §7): numbers as numbers, so JSON logs compare them;
    /// the token's name says who asked, never the token itself.
    static func requestLine(_ request: HTTPRequest, _ route: String, _ status: Int, _ seconds: Double,
                            _ requestID: String, _ principal: Principal?) -> Logger.Metadata {
        var line: Logger.Metadata = [
            "method": "\(request.method)", "route": "\(route)", "status": .stringConvertible(status),
            "duration_ms": .stringConvertible((seconds * 10_000).rounded() / 10), "request_id": "\(requestID)",
        ]
        if let principal { line["token"] = "\(principal.name)" }
        return line
    }

    /// The answer of the route `match` found (or a CORS preflight's), before the headers every
    /// answer gets; errors become problem+json in `handle`.
    func respond(_ request: HTTPRequest, _ match: RouteMatch, requestID: String, routeName: inout String,
                 principal: inout Principal?) throws -> HTTPResponse {
        if cors.isEnabled && CORSPolicy.isPreflight(request) {
            if case .found(let route, _) = match { routeName = route.pattern }
            return try cors.preflight(request, match)
        }
        switch match {
        case .notFound:
            throw Problem.notFound
        case .methodNotAllowed(let allow):
            throw Problem(405, "Method not allowed", "\(request.method) is not allowed here",
                          headers: [("Allow", allow.joined(separator: ", "))])
        case .found(let route, let params):
            routeName = route.pattern
            principal = try authenticate(request, route: route, requestID: requestID)
            if let roles = route.roles, let role = principal?.role, !roles.contains(role) { throw Problem.forbidden }
            let (query, order) = try Application.parseQuery(request.query)
            let undeclared = route.undeclaredParameters(order)
            if !undeclared.isEmpty { throw Problem.invalidParameters(undeclared) }
            let context = Context(request: request, params: params, query: query, requestID: requestID,
                                  principal: principal, app: self)
            return try route.handler(context)
        }
    }

    /// Bearer token (RFC 6750) for every route with roles; 401 without or with an unknown one,
    /// 403 when the role may not call the route, 429 over the rate limit.
    /// Failed authentication is a security event (reason, route, remote address, request id)
    /// and is limited per remote address: after a burst, 429 with `Retry-After` (SPEC §4).
    func authenticate(_ request: HTTPRequest, route: Route, requestID: String) throws -> Principal? {
        guard route.roles != nil else { return nil }
        let remote = request.remoteHost
        func refuse(_ reason: String, _ detail: String) -> Problem {
            logger.notice("security: authentication failed", metadata: [
                "reason": "\(reason)", "route": "\(route.pattern)", "remote": "\(request.remoteAddress)",
                "request_id": "\(requestID)"])
            if let wait = failedAuth.take(remote) {
                return Problem(429, "Too many requests", "Too many failed authentications from this address; wait",
                               headers: [("Retry-After", String(wait))])
            }
            return Problem.unauthorized(detail)
        }
        if let wait = failedAuth.wait(remote) {
            logger.notice("security: authentication refused while slowed down", metadata: [
                "route": "\(route.pattern)", "remote": "\(request.remoteAddress)", "request_id": "\(requestID)"])
            throw Problem(429, "Too many requests", "Too many failed authentications from this address; wait",
                          headers: [("Retry-After", String(wait))])
        }
        let headers = request.headers.values("Authorization")
        // Two Authorization fields: which one counts is ambiguous, so neither does.
        guard headers.count <= 1 else { throw Problem(400, "Invalid request", "Send one Authorization header, not \(headers.count)") }
        guard !headers.isEmpty else { throw refuse("missing", "Send Authorization: Bearer <token>") }
        guard let secret = Application.bearerSecret(request) else {
            throw refuse("malformed", "Send Authorization: Bearer <token>")
        }
        guard let principal = try store.authenticate(secret: secret) else {
            throw refuse("unknown or revoked token", "The token is unknown or revoked")
        }
        if let wait = limiter.take(principal.name) {
            throw Problem(429, "Too many requests", "Slow down: this token's rate limit is reached",
                          headers: [("Retry-After", String(wait))])
        }
        return principal
    }

    /// A refused access (403, or 404 on a route that needs a token: possibly another team's
    /// record) is a security event with the token name; probed ids are logged only as a
    /// SHA-256 prefix, so the log shows probing without holding the ids (SPEC §4).
    func logRefusal(_ status: Int, route: String, principal: Principal?, requestID: String, probed: [String]) {
        let digest = probed.isEmpty ? "" : Application.idDigest(probed.joined(separator: "\u{1F}"))
        logger.notice("security: access refused", metadata: [
            "status": "\(status)", "route": "\(route)", "token": "\(principal?.name ?? "")",
            "request_id": "\(requestID)", "probed_sha256": "\(digest)"])
    }

    /// The first 12 hex digits of the SHA-256 of an id: enough to see repeats, not to read it.
    static func idDigest(_ text: String) -> String {
        String(SHA256.hex(SHA256.hash(text)).prefix(12))
    }

    /// Decodes `a=1&b=2` into values and the names in the order given; a parameter given
    /// twice or a bad escape is a 400.
    static func parseQuery(_ query: String?) throws -> ([String: String], order: [String]) {
        guard let query, !query.isEmpty else { return ([:], []) }
        var out: [String: String] = [:]
        var order: [String] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = percentDecode(kv[0], plusIsSpace: true) else {
                throw Problem.invalidParameter(String(kv[0]), "contains a malformed percent-escape")
            }
            guard let value = percentDecode(kv.count > 1 ? kv[1] : "", plusIsSpace: true) else {
                throw Problem.invalidParameter(key, "has a value with a malformed percent-escape")
            }
            guard out[key] == nil else { throw Problem.invalidParameter(key, "is given more than once") }
            out[key] = value
            order.append(key)
        }
        return (out, order)
    }

    /// A caller's `X-Request-Id` if it is short and plain, else a new random one.
    static func requestID(_ request: HTTPRequest) -> String {
        if let given = request.headers["X-Request-Id"], Validation.isID(given) { return given }
        return RequestIDs.next()
    }

    /// What a 500's log line says about its cause: for a `Diagnosable` error (SQLite's extended
    /// result code and SQL text, never bound values; a row that did not decode) its fields,
    /// for anything else only its type.
    static func diagnostics(of error: any Error) -> Logger.Metadata {
        var m: Logger.Metadata = ["error_type": "\(type(of: error))"]
        for (k, v) in (error as? Diagnosable)?.diagnostics ?? [:] { m[k] = "\(v)" }
        return m
    }
}

/// Request ids: a random prefix per process and a counter, unique without a system call per
/// request (they correlate log lines; they are not secrets).
enum RequestIDs {
    static let prefix = Base64URL.encode(SecureRandom.bytes(6))
    static let counter = Atomic<UInt64>(0)

    static func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + "-" + String(n, radix: 36)
    }
}


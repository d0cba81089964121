import Continuity
import Glibc
import HTTP
import Hashing
import JSON
import Logging
import Store
import Synchronization

public struct APISettings: Sendable {
    public var windowDays = 90
    public var smallCellThreshold = 5
    public var rateLimitPerMinute = 600
    public var rateLimitBurst = 120
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
    public let metrics: Metrics
    public let router: Router
    let cors: CORSPolicy

    public init(store: Store, settings: APISettings, logger: Logger, metrics: Metrics = Metrics()) {
        self.store = store
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        limiter = RateLimiter(perMinute: settings.rateLimitPerMinute, burst: settings.rateLimitBurst)
        router = Router(routes: Routes.all)
        cors = CORSPolicy(origins: settings.corsOrigins)
    }

    /// The answer for routes that need no database (health, the OpenAPI document), for the
    /// server to give on its event-loop thread; nil sends the request to a worker.
    public func handleInline(_ request: HTTPRequest) -> HTTPResponse? {
        let match = router.match(method: request.method, path: request.path)
        guard case .found(let route, _) = match, route.inline else { return nil }
        return handle(request, match)
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        handle(request, router.match(method: request.method, path: request.path))
    }

    func handle(_ request: HTTPRequest, _ match: RouteMatch) -> HTTPResponse {
        let start = Application.monotonicSeconds()
        let requestID = Application.requestID(request)
        var routeName = "unmatched"
        var response: HTTPResponse
        do {
            response = try respond(request, match, requestID: requestID, routeName: &routeName)
        } catch let p as Problem {
            response = p.response()
        } catch let e as StoreError {
            response = Problem.from(e).response()
        } catch {
            // Never echo internals (SQL errors can carry personal data): log the type only.
            logger.error("internal error", metadata: ["request_id": "\(requestID)", "error_type": "\(type(of: error))"])
            response = Problem(500, "Internal error", "Something went wrong; quote request id \(requestID)").response()
        }
        response.headers.set("X-Request-Id", requestID)
        if request.path.hasPrefix("/v1/") {
            response.headers.set("Cache-Control", "no-store")
        }
        response.headers.set("X-Content-Type-Options", "nosniff")
        cors.decorate(&response, for: request)
        let seconds = Application.monotonicSeconds() - start
        metrics.record(route: routeName, method: request.method, status: response.status, seconds: seconds)
        logger.info("request", metadata: [
            "method": "\(request.method)", "route": "\(routeName)", "status": "\(response.status)",
            "duration_ms": "\(Int(seconds * 1_000_000) / 1000).\(Int(seconds * 1_000_000) % 1000 / 100)",
            "request_id": "\(requestID)",
        ])
        return response
    }

    /// The answer of the route `match` found (or a CORS preflight's), before the headers every
    /// answer gets; errors become problem+json in `handle`.
    func respond(_ request: HTTPRequest, _ match: RouteMatch, requestID: String, routeName: inout String) throws -> HTTPResponse {
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
            let principal = try authenticate(request, route: route)
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
    func authenticate(_ request: HTTPRequest, route: Route) throws -> Principal? {
        guard let roles = route.roles else { return nil }
        guard let header = request.headers["Authorization"] else { throw Problem.unauthorized("Send Authorization: Bearer <token>") }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw Problem.unauthorized("Send Authorization: Bearer <token>")
        }
        guard let principal = try store.authenticate(secret: String(parts[1])) else {
            logger.notice("authentication failed", metadata: ["remote": "\(request.remoteAddress)"])
            throw Problem.unauthorized("The token is unknown or revoked")
        }
        if let wait = limiter.take(principal.name) {
            throw Problem(429, "Too many requests", "Slow down: this token's rate limit is reached",
                          headers: [("Retry-After", String(wait))])
        }
        guard roles.contains(principal.role) else { throw Problem.forbidden }
        return principal
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

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
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

/// Token bucket per token name: `burst` requests at once, refilled at `perMinute`.
final class RateLimiter: Sendable {
    private let perSecond: Double
    private let burst: Double
    private let buckets = Mutex<[String: (tokens: Double, at: Double)]>([:])

    init(perMinute: Int, burst: Int) {
        perSecond = Double(perMinute) / 60
        self.burst = Double(max(burst, 1))
    }

    /// nil if allowed, else seconds to wait.
    func take(_ key: String) -> Int? {
        guard perSecond > 0 else { return nil }
        let now = Application.monotonicSeconds()
        return buckets.withLock { b in
            var bucket = b[key] ?? (burst, now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * perSecond)
            bucket.at = now
            defer { b[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return Int(((1 - bucket.tokens) / perSecond).rounded(.up))
        }
    }
}

import HTTP
import JSON
import Store

/// An error that knows its HTTP answer (RFC 9457 problem+json, SPEC §4 conventions).
public struct Problem: Error, Sendable {
    public var status: Int
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    /// Mistakes in query parameters: `{"parameter": ..., "detail": ...}` in `errors` (SPEC §4).
    public var parameterErrors: [ParameterError] = []
    public var headers: [(String, String)]

    public init(_ status: Int, _ title: String, _ detail: String, errors: [FieldError] = [], headers: [(String, String)] = []) {
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public static func invalid(_ errors: [FieldError], status: Int = 400) -> Problem {
        Problem(status, status == 422 ? "Unprocessable content" : "Invalid request",
                errors.count == 1 ? "1 field is invalid" : "\(errors.count) fields are invalid", errors: errors)
    }
    public static func invalid(_ pointer: String, _ detail: String, status: Int = 400) -> Problem {
        invalid([FieldError(pointer: pointer, detail: detail)], status: status)
    }
    public static func invalidParameters(_ errors: [ParameterError]) -> Problem {
        var p = Problem(400, "Invalid request", errors.count == 1 ? "1 query parameter is invalid" : "\(errors.count) query parameters are invalid")
        p.parameterErrors = errors
        return p
    }
    public static func invalidParameter(_ name: String, _ detail: String) -> Problem {
        invalidParameters([ParameterError(name: name, detail: detail)])
    }
    public static let notFound = Problem(404, "Not found", "No such resource (or not visible to this token)")
    public static func unauthorized(_ detail: String) -> Problem {
        Problem(401, "Unauthorized", detail, headers: [("WWW-Authenticate", "Bearer realm=\"continuity\"")])
    }
    public static let forbidden = Problem(403, "Forbidden", "This token's role may not do this")

    /// Maps storage outcomes to answers; anything unknown stays an internal error (500).
    static func from(_ error: StoreError) -> Problem {
        switch error {
        case .notFound: return .notFound
        case .conflict(let d): return Problem(409, "Conflict", d)
        case .invalidReference(let v), .rejected(let v):
            return .invalid(v.pointer, v.detail, status: 422)
        case .forbidden(let d): return Problem(403, "Forbidden", d)
        case .ambiguous(let d):
            // 409, not 400: the same request was fine until a second team used the id; it is
            // the stored state that makes it ambiguous. `errors` names what resolves it.
            var p = Problem(409, "Conflict", d + " (team_id=)")
            p.parameterErrors = [ParameterError(name: "team_id", detail: "name the team: the id is used in more than one team")]
            return p
        case .unavailable(let d): return Problem(503, "Service unavailable", d, headers: [("Retry-After", "1")])
        }
    }

    var json: JSONValue {
        var o = JSONObject()
        o["type"] = .string(status == 400 || status == 422 ? "https://continuity.example/problems/invalid-input" : "about:blank")
        o["title"] = .string(title)
        o["status"] = .int(status)
        o["detail"] = .string(detail)
        if !errors.isEmpty || !parameterErrors.isEmpty {
            o["errors"] = .array(errors.map { ["pointer": .string($0.pointer), "detail": .string($0.detail)] }
                                 + parameterErrors.map { ["parameter": .string($0.name), "detail": .string($0.detail)] })
        }
        return .object(o)
    }

    func response() -> HTTPResponse {
        var r = HTTPResponse(status: status, body: JSON.serialize(json))
        r.headers.set("Content-Type", "application/problem+json")
        for (n, v) in headers { r.headers.add(n, v) }
        return r
    }
}

/// One mistake in the query string: which parameter, and what is wrong with it.
public struct ParameterError: Sendable, Equatable {
    public let name: String
    public let detail: String
    public init(name: String, detail: String) { self.name = name; self.detail = detail }
}

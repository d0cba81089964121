import Continuity
import HTTP
import JSON
import Store

/// Everything a handler needs about one request: the request, its route parameters and
/// query, the authenticated principal, the request id, and the application's services.
public final class Context: @unchecked Sendable {
    public let request: HTTPRequest
    public let params: [String: String]
    public let query: [String: String]
    public let requestID: String
    public let principal: Principal?
    let app: Application

    init(request: HTTPRequest, params: [String: String], query: [String: String], requestID: String,
         principal: Principal?, app: Application) {
        self.request = request
        self.params = params
        self.query = query
        self.requestID = requestID
        self.principal = principal
        self.app = app
    }

    var store: Store { app.store }
    var scope: Scope { principal?.scope ?? .team("") }
    var actor: Actor { Actor(tokenName: principal?.name ?? "anonymous", requestID: requestID) }
    var role: Role? { principal?.role }

    func param(_ name: String) -> String { params[name] ?? "" }

    /// The request body as a JSON value: 415 unless JSON, 400 with the byte offset if malformed.
    func jsonBody() throws -> JSONValue {
        let type = request.headers["Content-Type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") || type.hasPrefix("application/merge-patch+json") || type.isEmpty else {
            throw Problem(415, "Unsupported media type", "send the body as application/json")
        }
        guard !request.body.isEmpty else { throw Problem.invalid("", "a JSON body is required") }
        switch Result(catching: { () throws(JSONSyntaxError) -> JSONValue in try JSON.parse(request.body) }) {
        case .success(let value): return value
        case .failure(let e): throw Problem(400, "Malformed JSON", e.description)
        }
    }

    // MARK: query parameters (each validated; bad values are 400 with a pointer to the parameter)

    func queryDate(_ name: String) throws -> LocalDate? {
        guard let s = query[name] else { return nil }
        guard let d = LocalDate(iso: s) else { throw Problem.invalidParameter(name, "must be a date YYYY-MM-DD") }
        return d
    }

    func queryInt(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let s = query[name] else { return nil }
        guard let v = Int(s), range.contains(v) else {
            throw Problem.invalidParameter(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    func queryID(_ name: String) throws -> String? {
        guard let s = query[name] else { return nil }
        guard Validation.isID(s) else { throw Problem.invalidParameter(name, Validation.idDetail) }
        return s
    }

    /// Free text (SPEC §1: at most 200 characters, not blank), e.g. a case number.
    func queryText(_ name: String) throws -> String? {
        guard let s = query[name] else { return nil }
        if let problem = Rules.freeTextProblem(s) { throw Problem.invalidParameter(name, problem) }
        return s
    }

    func queryEnum<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        guard let s = query[name] else { return nil }
        guard let v = E(rawValue: s) else {
            throw Problem.invalidParameter(name, "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }

    /// Where the ids of this request are looked up: the token's teams, limited to `team_id`
    /// when given (ids are unique per team, SPEC §1; a token that sees several teams names the
    /// team where an id is ambiguous). Another team than the token's own finds nothing.
    func idScope() throws -> Scope { scope.narrowed(to: try queryID("team_id")) }

    var limit: Int { get throws { try queryInt("limit", range: 1...500) ?? 50 } }

    /// The `cursor` parameter if it has the form this list hands out; 400 otherwise.
    func cursor(_ form: CursorForm) throws -> String? {
        guard let text = query["cursor"] else { return nil }
        guard form.matches(text) else { throw Problem.invalidParameter("cursor", "is not a cursor this service handed out") }
        return text
    }

    /// A keyset cursor of `form`, parsed by `key`; 400 for anything else.
    func cursor<Key>(_ form: CursorForm, _ key: (String) -> Key?) throws -> Key? {
        guard let text = try cursor(form) else { return nil }
        guard let k = key(text) else { throw Problem.invalidParameter("cursor", "is not a cursor this service handed out") }
        return k
    }

    /// The local date D of a request: `as_of` or today in the configured zone.
    var asOf: LocalDate { get throws { try queryDate("as_of") ?? store.today } }

    var windowDays: Int { get throws { try queryInt("window_days", range: 1...3660) ?? app.settings.windowDays } }

    // MARK: responses

    func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        var r = HTTPResponse(status: status, body: JSON.serialize(value))
        r.headers.set("Content-Type", "application/json")
        return r
    }

    func list(_ items: [JSONValue], next: String?) -> HTTPResponse {
        json(["items": .array(items), "next_cursor": .optional(next)])
    }

    func created<T>(_ outcome: CreateOutcome<T>, _ encode: (T) -> JSONValue) -> HTTPResponse {
        switch outcome {
        case .created(let v): return json(encode(v), status: 201)
        case .existing(let v): return json(encode(v), status: 200)
        }
    }

    /// Wants CSV: `?format=csv` or an Accept header preferring text/csv.
    var wantsCSV: Bool {
        if let f = query["format"] { return f == "csv" }
        return request.headers["Accept"]?.lowercased().contains("text/csv") ?? false
    }

    func text(_ body: String, contentType: String) -> HTTPResponse {
        var r = HTTPResponse(status: 200, body: Array(body.utf8))
        r.headers.set("Content-Type", contentType)
        return r
    }
}

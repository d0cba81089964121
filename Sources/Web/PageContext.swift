import Continuity
import HTTP
import Hashing
import Store

/// One page request after sign-in: who asks, their session's CSRF token, the route's
/// parameters and the page language.
struct PageContext {
    let request: HTTPRequest
    let requestID: String
    let principal: Principal
    let sessionID: String
    let params: [String: String]
    let language: Language
    let today: LocalDate
    /// The store's clock when the request came in.
    let now: Instant

    var scope: Scope { principal.scope }
    /// Where an id in the path is looked up: the team `?team_id=` names, within the scope (ids
    /// are unique per team, SPEC §1; links to a client always carry its team).
    var idScope: Scope { scope.narrowed(to: FormData(Substring(request.query ?? ""))?["team_id"]) }
    var actor: Actor { Actor(tokenName: principal.name, requestID: requestID) }
    var csrf: String { Session.csrfToken(for: sessionID) }
    var format: Format { Format(language: language) }
    func param(_ name: String) -> String { params[name] ?? "" }

    /// Managers and admins read alerts and reports (SPEC §4 roles).
    var readsAlertsAndReports: Bool { principal.role == .manager || principal.role == .admin }
    /// Workers and admins log contacts (SPEC §4 roles).
    var writesContacts: Bool { principal.role == .worker || principal.role == .admin }
}

/// Why a page cannot be shown; each becomes a page with its status.
enum PageError: Error {
    case notFound
    case forbidden(String)
    case badRequest(String)
    case signInRequired
}

/// An error raised while a signed-in person's page ran: the error page logs who it was.
struct SignedInError: Error {
    let error: Error
    let tokenName: String
}

enum Session {
    static let cookie = "continuity_session"
    static let loginCookie = "continuity_login"

    /// The CSRF token of a session: derived from its secret id, so it needs no storage and
    /// cannot be known without the HttpOnly cookie (OWASP "synchronizer token").
    static func csrfToken(for sessionID: String) -> String {
        Base64URL.encode(SHA256.hash("csrf:" + sessionID))
    }

    static func matches(_ a: String?, _ b: String) -> Bool {
        guard let a else { return false }
        return constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }

    static func setCookie(_ name: String, _ value: String, path: String, maxAge: Int, secure: Bool) -> String {
        var c = "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
        if secure { c += "; Secure" }
        return c
    }
}

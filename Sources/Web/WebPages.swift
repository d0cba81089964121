import Continuity
import HTML
import HTTP
import Hashing
import Logging
import Store
import Synchronization

/// The pages for managers and team leads under `/app/` (SPEC §9), served by the same
/// server as the JSON API. They read and write through the same store calls as the API's
/// handlers, with the same roles, team scope and audit; only the translation differs
/// (forms and HTML instead of JSON).
public final class WebPages: Sendable {
    let store: Store
    let settings: WebSettings
    let logger: Logger
    /// Failed authentications per remote address, shared with the API (SPEC §4): guessing at
    /// the sign-in form and at the API's bearer tokens fill the same bucket.
    let failedSignIns: RateLimiter

    public init(store: Store, settings: WebSettings, logger: Logger, failedSignIns: RateLimiter) {
        self.failedSignIns = failedSignIns
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    /// `[reports] language`, as the engine writes evidence in it.
    var language: Language { store.settings.language }

    /// The pages' Content-Security-Policy, for the report page the API serves.
    public static var contentSecurityPolicy: String { Security.contentSecurityPolicy }

    /// Whether a path belongs to the pages.
    public static func owns(_ path: String) -> Bool { path == "/app" || path.hasPrefix("/app/") }

    /// Answers one request under `/app/`; returns the route pattern for logs and metrics.
    public func handle(_ request: HTTPRequest, requestID: String) -> (route: String, response: HTTPResponse) {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let method = request.method == "HEAD" ? "GET" : request.method
        var route = "/app/*"
        var response: HTTPResponse
        do {
            switch (method, parts.dropFirst().first, parts.count) {
            case ("GET", nil, 1):
                route = "/app/"
                response = try withSession(request, requestID) { c in self.home(c) }
            case ("GET", "static", 3) where parts[2] == Stylesheet.file:
                route = "/app/static/app.css"
                response = Stylesheet.response()
            case ("GET", "login", 2):
                route = "/app/login"
                response = loginPage(request, error: nil, status: 200)
            case ("POST", "login", 2):
                route = "/app/login"
                response = try login(request, requestID: requestID)
            case ("POST", "logout", 2):
                route = "/app/logout"
                response = try logout(request)
            case ("GET", "teams", 3):
                route = "/app/teams/{id}"
                response = try withSession(request, requestID, ["id": parts[2]]) { c in try self.teamPage(c) }
            case ("POST", "alerts", 4) where parts[3] == "ack":
                route = "/app/alerts/{id}/ack"
                response = try withSession(request, requestID, ["id": parts[2]], post: true) { c in try self.acknowledge(c) }
            case ("GET", "clients", 3):
                route = "/app/clients/{id}"
                response = try withSession(request, requestID, ["id": parts[2]]) { c in try self.clientPage(c, form: nil) }
            case ("POST", "clients", 4) where parts[3] == "contacts":
                route = "/app/clients/{id}/contacts"
                response = try withSession(request, requestID, ["id": parts[2]], post: true) { c in try self.logContact(c) }
            case ("GET", "professionals", 3):
                route = "/app/professionals/{id}"
                response = try withSession(request, requestID, ["id": parts[2]]) { c in try self.professionalPage(c) }
            default:
                throw PageError.notFound
            }
        } catch {
            response = errorPage(error, request: request, requestID: requestID, route: route)
        }
        response.headers.set("Cache-Control", "no-store")
        Security.addHeaders(&response)
        return (route, response)
    }

    /// Runs a page for a signed-in person; a POST must carry the session's CSRF token and,
    /// when the browser sends one, this server's own Origin.
    func withSession(_ request: HTTPRequest, _ requestID: String, _ params: [String: String] = [:], post: Bool = false,
                     _ page: (PageContext) throws -> HTTPResponse) throws -> HTTPResponse {
        guard let sessionID = Cookies.value(Session.cookie, in: request.headers["Cookie"]),
              let principal = try store.sessionPrincipal(sessionID: sessionID) else {
            throw PageError.signInRequired
        }
        let c = PageContext(request: request, requestID: requestID, principal: principal, sessionID: sessionID,
                            params: params, language: language, today: store.today, now: store.now())
        if post {
            try Security.checkOrigin(request)
            guard let form = FormData(body: request.body), Session.matches(form["csrf"], c.csrf) else {
                throw PageError.forbidden(language("Het formulier is verlopen of kwam niet van deze site. Open de pagina opnieuw en probeer het nog eens.",
                                                   "The form has expired or did not come from this site. Open the page again and retry."))
            }
        }
        guard principal.role != .exporter else {
            throw SignedInError(error: PageError.forbidden(language("Met een export-token kunt u deze pagina's niet openen.",
                                                                    "An exporter token cannot open these pages.")),
                                tokenName: principal.name)
        }
        do {
            return try page(c)
        } catch {
            throw SignedInError(error: error, tokenName: principal.name)
        }
    }

    /// `/app/`: a team's own overview, or the list of teams for whoever sees several.
    func home(_ c: PageContext) -> HTTPResponse {
        if let team = c.principal.teamID { return redirect("/app/teams/" + team) }
        let teams = (try? store.teams(after: nil, limit: 500).items) ?? []
        let l = language
        return html(Layout(language: l).page(title: l("Teams", "Teams"), signedIn: c) {
            element("h1") { l("Teams", "Teams") }
            element("ul", [.class("plain")]) {
                for t in teams {
                    element("li") { element("a", [.href("/app/teams/" + t.id)]) { t.name } }
                }
            }
        })
    }

    // MARK: responses

    func html(_ m: Markup, status: Int = 200) -> HTTPResponse {
        var r = HTTPResponse(status: status, body: Array(m.rendered.utf8))
        r.headers.set("Content-Type", "text/html; charset=utf-8")
        return r
    }

    /// POST/redirect/GET: 303 See Other (RFC 9110 §15.4.4).
    func redirect(_ location: String, cookies: [String] = []) -> HTTPResponse {
        var r = HTTPResponse(status: 303)
        r.headers.set("Location", location)
        for c in cookies { r.headers.add("Set-Cookie", c) }
        return r
    }

    func errorPage(_ error: Error, request: HTTPRequest, requestID: String, route: String) -> HTTPResponse {
        let l = language
        // Refused access is a security event with the token's name (SPEC §4), never the probed id.
        var token = "-"
        var error = error
        if let signedIn = error as? SignedInError { token = signedIn.tokenName; error = signedIn.error }
        let (status, title, text): (Int, String, String)
        switch error {
        case PageError.signInRequired:
            let next = request.method == "GET" ? "?next=" + FormData.encode(request.path) : ""
            return redirect("/app/login" + next)
        case PageError.notFound, StoreError.notFound:
            logger.notice("page not found", metadata: ["route": "\(route)", "token": "\(token)", "request_id": "\(requestID)"])
            (status, title, text) = (404, l("Niet gevonden", "Not found"),
                                     l("Deze pagina bestaat niet, of u heeft er geen toegang toe.",
                                       "This page does not exist, or you have no access to it."))
        case PageError.forbidden(let why):
            logger.notice("page refused", metadata: ["route": "\(route)", "token": "\(token)", "request_id": "\(requestID)"])
            (status, title, text) = (403, l("Niet toegestaan", "Not allowed"), why)
        case PageError.badRequest(let why):
            (status, title, text) = (400, l("Onjuist verzoek", "Bad request"), why)
        case StoreError.ambiguous:
            (status, title, text) = (400, l("Welk team?", "Which team?"),
                                     l("Dit nummer hoort bij cliënten van meer dan één team. Open de cliënt vanuit de pagina van het team.",
                                       "This id belongs to clients of more than one team. Open the client from the team's page."))
        case StoreError.unavailable:
            (status, title, text) = (503, l("Even niet beschikbaar", "Unavailable"),
                                     l("De database is even bezet. Probeer het zo opnieuw.", "The database is busy. Try again shortly."))
        default:
            logger.error("page failed", metadata: ["route": "\(route)", "token": "\(token)", "request_id": "\(requestID)",
                                                   "error_type": "\(type(of: error))"])
            (status, title, text) = (500, l("Er ging iets mis", "Something went wrong"),
                                     l("Noem dit nummer als u hulp vraagt: ", "Quote this number when you ask for help: ") + requestID)
        }
        return html(Layout(language: l).page(title: title, signedIn: nil) {
            element("h1") { title }
            element("p") { text }
            element("p") { element("a", [.href("/app/")]) { l("Naar het begin", "Back to the start") } }
        }, status: status)
    }
}

/// Response headers of every page (SPEC §9: Content-Security-Policy) and the Origin check.
enum Security {
    /// No script at all, styles only from our own stylesheet, forms only to ourselves, never
    /// framed (clickjacking).
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func addHeaders(_ r: inout HTTPResponse) {
        r.headers.set("Content-Security-Policy", contentSecurityPolicy)
        r.headers.set("X-Frame-Options", "DENY")
        r.headers.set("Referrer-Policy", "same-origin")
    }

    /// A browser's POST carries `Origin`; another site's is refused (OWASP CSRF cheat sheet,
    /// "verifying origin with standard headers"), on top of the token and SameSite=Strict.
    static func checkOrigin(_ request: HTTPRequest) throws {
        guard let origin = request.headers["Origin"], origin != "null" else { return }
        guard let host = request.headers["Host"] else { throw PageError.forbidden("Origin") }
        let bare = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
        if bare != host { throw PageError.forbidden("Origin") }
    }
}


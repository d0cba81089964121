import HTML
import HTTP
import Hashing
import Store

/// Sign-in and sign-out (SPEC §9): a token pasted once becomes a session cookie.
extension WebPages {
    func loginPage(_ request: HTTPRequest, error: String?, status: Int) -> HTTPResponse {
        let l = language
        // Login CSRF: a random value in a cookie and in the form must match (double submit);
        // there is no session yet to derive a token from.
        let nonce = Cookies.value(Session.loginCookie, in: request.headers["Cookie"]).flatMap { $0.utf8.count == 22 ? $0 : nil }
            ?? Base64URL.encode(SecureRandom.bytes(16))
        let next = Self.safeNext(FormData(Substring(request.query ?? ""))?["next"] ?? FormData(body: request.body)?["next"])
        var r = html(Layout(language: l).page(title: l("Inloggen", "Sign in"), signedIn: nil) {
            element("h1") { l("Inloggen", "Sign in") }
            element("p") {
                l("Plak hier het token dat u van de beheerder kreeg. U hoeft dit maar één keer per werkdag te doen: daarna blijft u ingelogd tot u uitlogt of tot de sessie na ",
                  "Paste the token your administrator gave you. You only do this once per working day: you then stay signed in until you sign out or the session ends after ")
                + "\(settings.sessionHours) " + l("uur afloopt.", "hours.")
            }
            if let error {
                element("div", [.class("error-summary"), Attribute("role", "alert")]) {
                    element("h2") { l("Inloggen lukte niet", "Sign-in failed") }
                    element("p") { element("a", [.href("#token")]) { error } }
                }
            }
            element("form", [Attribute("method", "post"), Attribute("action", "/app/login"), .class("stack")]) {
                element("input", [Attribute("type", "hidden"), Attribute("name", "csrf"), Attribute("value", nonce)])
                element("input", [Attribute("type", "hidden"), Attribute("name", "next"), Attribute("value", next)])
                element("div", [.class(error == nil ? "field" : "field invalid")]) {
                    element("label", [Attribute("for", "token")]) { l("Token", "Token") }
                    if let error { element("p", [.class("field-error"), .id("token-error")]) { error } }
                    element("input", [.id("token"), Attribute("name", "token"), Attribute("type", "password"),
                                      Attribute("autocomplete", "off"), Attribute("spellcheck", "false"),
                                      Attribute(flag: "required")]
                                     + (error == nil ? [] : [Attribute("aria-describedby", "token-error"), Attribute("aria-invalid", "true")]))
                }
                element("button", [Attribute("type", "submit")]) { l("Inloggen", "Sign in") }
            }
        }, status: status)
        r.headers.add("Set-Cookie", Session.setCookie(Session.loginCookie, nonce, path: "/app/login", maxAge: 3600,
                                                      secure: settings.secureCookies))
        return r
    }

    func login(_ request: HTTPRequest, requestID: String) throws -> HTTPResponse {
        let l = language
        try Security.checkOrigin(request)
        let address = request.remoteHost
        guard let form = FormData(body: request.body) else { throw PageError.badRequest(l("Het formulier was onleesbaar.", "The form could not be read.")) }
        guard Session.matches(form["csrf"], Cookies.value(Session.loginCookie, in: request.headers["Cookie"]) ?? "\u{0}") else {
            return loginPage(request, error: l("Het formulier was verlopen. Probeer het opnieuw.", "The form had expired. Please try again."),
                             status: 403)
        }
        if let wait = failedSignIns.wait(address) {
            logger.notice("security: sign-in refused while slowed down", metadata: ["remote": "\(address)", "request_id": "\(requestID)"])
            var r = loginPage(request, error: l("Te veel mislukte pogingen. Wacht even en probeer het opnieuw.",
                                                "Too many failed attempts. Wait a moment and try again."), status: 429)
            r.headers.set("Retry-After", String(wait))
            return r
        }
        guard let token = form.trimmed("token"), token.utf8.count <= 200,
              let (sessionID, principal) = try store.createSession(secret: token, hours: settings.sessionHours) else {
            _ = failedSignIns.take(address)
            logger.notice("security: sign-in failed", metadata: ["remote": "\(address)", "request_id": "\(requestID)", "reason": "unknown or revoked token"])
            return loginPage(request, error: l("Dit token is onbekend of ingetrokken.", "This token is unknown or revoked."), status: 401)
        }
        logger.info("signed in", metadata: ["token": "\(principal.name)", "request_id": "\(requestID)"])
        return redirect(Self.safeNext(form["next"]), cookies: [
            Session.setCookie(Session.cookie, sessionID, path: "/app", maxAge: settings.sessionHours * 3600, secure: settings.secureCookies),
            Session.setCookie(Session.loginCookie, "", path: "/app/login", maxAge: 0, secure: settings.secureCookies),
        ])
    }

    /// Sign-out ends the session in the database (a copied cookie is then worthless too).
    func logout(_ request: HTTPRequest) throws -> HTTPResponse {
        if let sessionID = Cookies.value(Session.cookie, in: request.headers["Cookie"]) {
            try Security.checkOrigin(request)
            guard let form = FormData(body: request.body), Session.matches(form["csrf"], Session.csrfToken(for: sessionID)) else {
                throw PageError.forbidden(language("Het formulier kwam niet van deze site.", "The form did not come from this site."))
            }
            try store.endSession(sessionID: sessionID)
        }
        return redirect("/app/login", cookies: [
            Session.setCookie(Session.cookie, "", path: "/app", maxAge: 0, secure: settings.secureCookies),
        ])
    }

    /// Only our own pages are a place to return to after sign-in (no open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/app/"), !next.hasPrefix("/app/login"),
              next.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "\\") }), !next.contains("//") else { return "/app/" }
        return next
    }

}

import API
import HTML
import HTTP
import JSON
import Store
import Testing

/// A browser's part of a conversation with the pages: it keeps the cookies it is given and
/// sends forms as a browser does (urlencoded, with its Origin).
final class PageBrowser {
    let server: TestServer
    var cookies: [String: String] = [:]
    var lastSetCookies: [String] = []

    init(_ server: TestServer) { self.server = server }

    private var cookieHeader: [(String, String)] {
        cookies.isEmpty ? [] : [("Cookie", cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))]
    }

    private func keep(_ r: TestResponse) {
        lastSetCookies = r.headers.filter { $0.0.lowercased() == "set-cookie" }.map(\.1)
        for c in lastSetCookies {
            let first = c.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let (name, value) = (String(first[0]), first.count > 1 ? String(first[1]) : "")
            if c.contains("Max-Age=0") || value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    func get(_ path: String) throws -> TestResponse {
        let r = try server.get(path, headers: cookieHeader)
        keep(r)
        return r
    }

    func post(_ path: String, _ fields: [(String, String)], origin: String? = nil) throws -> TestResponse {
        let body = fields.map { percentEncoded($0.0) + "=" + percentEncoded($0.1) }.joined(separator: "&")
        let r = try server.request("POST", path, headers: cookieHeader + [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Origin", origin ?? "http://127.0.0.1:\(server.port)"),
        ], body: Array(body.utf8))
        keep(r)
        return r
    }

    /// The value of the first hidden `csrf` field of a page.
    static func csrf(in page: String) -> String? {
        guard let r = page.firstRange(of: "name=\"csrf\" value=\"") else { return nil }
        let rest = page[r.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Signs in with a token through the login form; returns the answer to the form post.
    @discardableResult
    func signIn(_ token: String, next: String = "/app/") throws -> TestResponse {
        let form = try get("/app/login")
        return try post("/app/login", [("csrf", PageBrowser.csrf(in: form.text) ?? ""), ("token", token), ("next", next)])
    }
}

@Suite struct WebPagesTests {
    /// A team with one client whose case opened without a primary: by 2 June `no_primary` and
    /// `long_gap` are active (opened 2025-05-01, no contact).
    func setUp(_ s: TestServer) throws -> (admin: String, manager: String) {
        let admin = try s.token("admin", .admin)
        try s.makeTeam("t1", "Wijkteam <Noord>", admin: admin)
        try s.makeTeam("t2", admin: admin)
        try s.makeProfessional("p1", team: "t1", admin: admin)
        try s.makeProfessional("p2", team: "t2", admin: admin)
        try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-05-01", ref: "ZK-2025-000123")
        try s.makeClient("c2", team: "t2", token: admin, openedOn: "2025-05-01", ref: "ZK-2025-000999")
        return (admin, try s.token("manager-noord", .manager, team: "t1"))
    }

    @Test func signingIn_givesAnHttpOnlyStrictSessionCookie_andTheOverviewListsAlertsWithTheirEvidence() throws {
        try withServer { s in
            let (admin, manager) = try setUp(s)
            let b = PageBrowser(s)
            let login = try b.signIn(manager)
            #expect(login.status == 303)
            #expect(login.header("Location") == "/app/")
            let session = try #require(b.lastSetCookies.first { $0.hasPrefix("continuity_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/app"))
            #expect(session.contains("Max-Age=36000"), "10 hours by default: \(session)")
            #expect(!session.contains("Secure"), "Secure only when [server] secure_cookies is on")

            let home = try b.get("/app/")
            #expect(home.status == 303 && home.header("Location") == "/app/teams/t1")
            let page = try b.get("/app/teams/t1")
            #expect(page.status == 200)
            #expect(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            #expect(page.text.contains("<html lang=\"nl\">"))
            #expect(page.text.contains("Wijkteam &lt;Noord&gt;"), "the team's name is escaped")
            let alerts = try s.expect(s.get("/v1/alerts?team_id=t1", token: admin), 200).items
            #expect(alerts.count == 2)
            for a in alerts {
                let evidence = try #require(a["evidence"]?.stringValue)
                #expect(page.text.contains(Escape.text(evidence)), "evidence shown: \(evidence)")
                #expect(page.text.contains("id=\"alert-\(a["id"]?.stringValue ?? "")\""))
            }
            #expect(page.text.contains("ZK-2025-000123"))
            #expect(!page.text.contains("ZK-2025-000999"), "another team's client is not on the page")
            #expect(page.text.contains("Geen regievoerder"))
        }
    }

    @Test func aWrongToken_isRefused_andGivesNoSession() throws {
        try withServer { s in
            _ = try setUp(s)
            let b = PageBrowser(s)
            let r = try b.signIn("ct_not-a-token")
            #expect(r.status == 401)
            #expect(b.cookies["continuity_session"] == nil)
            #expect(r.text.contains("onbekend of ingetrokken"))
            let page = try b.get("/app/teams/t1")
            #expect(page.status == 303 && page.header("Location") == "/app/login?next=/app/teams/t1")
        }
    }

    @Test func anotherTeamsPages_areNotFound_forAWorkerAndAManagerOfThisTeam() throws {
        try withServer { s in
            let (_, manager) = try setUp(s)
            let worker = try s.token("worker-noord", .worker, team: "t1")
            for token in [manager, worker] {
                let b = PageBrowser(s)
                try b.signIn(token)
                #expect(try b.get("/app/teams/t1").status == 200)
                #expect(try b.get("/app/teams/t2").status == 404)
                #expect(try b.get("/app/teams/no-such-team").status == 404)
                #expect(try b.get("/app/clients/c2").status == 404)
                #expect(try b.get("/app/professionals/p2").status == 404)
            }
        }
    }

    @Test func aWorker_seesTheCaseloads_butNotTheAlertsNorTheFigures() throws {
        try withServer { s in
            _ = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(try s.token("worker-noord", .worker, team: "t1"))
            let page = try b.get("/app/teams/t1")
            #expect(page.status == 200)
            #expect(page.text.contains("ZK-2025-000123"))
            #expect(!page.text.contains("Wie heeft nu aandacht nodig"))
            #expect(!page.text.contains("Cijfers van het team"))
            #expect(page.text.contains("De signalen en cijfers van het team zijn voor teamleiders."))
        }
    }

    @Test func acknowledgingThroughTheForm_isStored_audited_andRedirectsBack() throws {
        try withServer { s in
            let (admin, manager) = try setUp(s)
            let alertID = try #require(try s.expect(s.get("/v1/alerts?team_id=t1", token: admin), 200).items.first?["id"]?.stringValue)
            let b = PageBrowser(s)
            try b.signIn(manager)
            let page = try b.get("/app/teams/t1")
            let csrf = try #require(PageBrowser.csrf(in: page.text))

            // Without the CSRF token, or from another site: refused, nothing stored.
            #expect(try b.post("/app/alerts/\(alertID)/ack", [("note", "x")]).status == 403)
            #expect(try b.post("/app/alerts/\(alertID)/ack", [("csrf", csrf), ("note", "x")], origin: "https://evil.example").status == 403)
            #expect(try s.get("/v1/alerts?team_id=t1", token: admin).items.allSatisfy { $0["acknowledged_by"] == .null })

            let r = try b.post("/app/alerts/\(alertID)/ack", [("csrf", csrf), ("note", "Besproken in teamoverleg; Anna belt maandag")])
            #expect(r.status == 303)
            #expect(r.header("Location") == "/app/teams/t1#alert-\(alertID)")
            let stored = try s.get("/v1/alerts?team_id=t1", token: admin).items.first { $0["id"]?.stringValue == alertID }
            #expect(stored?["acknowledged_by"]?.stringValue == "manager-noord")
            #expect(stored?["acknowledged_note"]?.stringValue == "Besproken in teamoverleg; Anna belt maandag")
            let audit = try s.get("/v1/audit?client_id=c1", token: admin).items
            #expect(audit.contains { $0["action"]?.stringValue == "alert.ack" && $0["token_name"]?.stringValue == "manager-noord" })
            let after = try b.get("/app/teams/t1")
            #expect(after.text.contains("Besproken in teamoverleg; Anna belt maandag"))
        }
    }

    @Test func allOfAClientsAlerts_canBeMarkedSeenWithOneNote() throws {
        try withServer { s in
            let (admin, manager) = try setUp(s)
            let ids = try s.expect(s.get("/v1/alerts?team_id=t1", token: admin), 200).items.compactMap { $0["id"]?.stringValue }
            #expect(ids.count == 2)
            let b = PageBrowser(s)
            try b.signIn(manager)
            let page = try b.get("/app/teams/t1")
            #expect(page.text.contains("Alle 2 signalen als gezien markeren"))
            let r = try b.post("/app/alerts/\(ids[0])/ack", [("csrf", PageBrowser.csrf(in: page.text) ?? ""), ("also", ids[1]),
                                                             ("note", "Besproken; Anna gaat langs")])
            #expect(r.status == 303 && r.header("Location") == "/app/teams/t1#client-c1")
            let stored = try s.get("/v1/alerts?team_id=t1", token: admin).items
            #expect(stored.allSatisfy { $0["acknowledged_by"]?.stringValue == "manager-noord" && $0["acknowledged_note"]?.stringValue == "Besproken; Anna gaat langs" })
        }
    }

    @Test func withLanguageEn_thePagesAreInEnglish() throws {
        try withServer(configure: { $0.reportsLanguage = "en" }) { s in
            let (_, manager) = try setUp(s)
            let b = PageBrowser(s)
            #expect(try b.get("/app/login").text.contains("<html lang=\"en\">"))
            try b.signIn(manager)
            let page = try b.get("/app/teams/t1")
            #expect(page.text.contains("<html lang=\"en\">"))
            #expect(page.text.contains("Who needs attention now"))
            #expect(page.text.contains("No primary professional"))
            #expect(!page.text.contains("Wie heeft nu aandacht nodig"))
        }
    }

    @Test func everyPageRead_isAudited_withTheTokensName() throws {
        try withServer { s in
            let (admin, manager) = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(manager)
            _ = try b.get("/app/teams/t1")
            let audit = try s.get("/v1/audit", token: admin).items.filter { $0["token_name"]?.stringValue == "manager-noord" }
            let actions = Set(audit.map { ($0["action"]?.stringValue ?? "") + "@" + ($0["client_id"]?.stringValue ?? "-") })
            #expect(actions.contains("client.list@c1"))
            #expect(actions.contains("continuity.read@c1"))
            #expect(actions.contains("report.read@-"))
            #expect(!actions.contains { $0.hasSuffix("@c2") })
        }
    }

    @Test func signingOut_endsTheSession_evenForACopiedCookie() throws {
        try withServer { s in
            let (_, manager) = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(manager)
            let copied = b.cookies
            let page = try b.get("/app/teams/t1")
            let out = try b.post("/app/logout", [("csrf", PageBrowser.csrf(in: page.text) ?? "")])
            #expect(out.status == 303 && out.header("Location") == "/app/login")
            #expect(b.cookies["continuity_session"] == nil)
            b.cookies = copied
            #expect(try b.get("/app/teams/t1").status == 303, "the old session id no longer signs in")
        }
    }

    @Test func revokingTheToken_endsItsSessions() throws {
        try withServer { s in
            let (_, manager) = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(manager)
            #expect(try b.get("/app/teams/t1").status == 200)
            #expect(try s.store.revokeToken("manager-noord"))
            #expect(try b.get("/app/teams/t1").status == 303)
        }
    }

    @Test func aSession_expiresAfterTheConfiguredHours_andSecureCookiesAreMarked() throws {
        try withServer(configure: { $0.webSessionHours = 2; $0.serverSecureCookies = true }) { s in
            let (_, manager) = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(manager)
            let cookie = try #require(b.lastSetCookies.first { $0.hasPrefix("continuity_session=") })
            #expect(cookie.contains("Max-Age=7200") && cookie.contains("Secure"))
            s.clock.set("2025-06-02T11:59:00Z")
            #expect(try b.get("/app/teams/t1").status == 200)
            s.clock.set("2025-06-02T12:00:01Z")
            #expect(try b.get("/app/teams/t1").status == 303)
        }
    }

    @Test func theReportAsHTML_forAllTeams_coversEveryTeamInScope() throws {
        try withServer { s in
            _ = try setUp(s)
            let all = try s.token("manager-all", .manager)
            let r = try s.expect(s.get("/v1/reports/continuity?format=html", token: all), 200)
            #expect(r.text.contains("<h1>Alle teams</h1>"))
            #expect(r.text.contains("ZK-2025-000123") && r.text.contains("ZK-2025-000999"))
            let one = try s.expect(s.get("/v1/reports/continuity?format=html&team_id=t2", token: all), 200)
            #expect(one.text.contains("ZK-2025-000999") && !one.text.contains("ZK-2025-000123"))
        }
    }

    @Test func theReportAsHTML_isTheOverviewWithoutForms() throws {
        try withServer { s in
            let (_, manager) = try setUp(s)
            let r = try s.expect(s.get("/v1/reports/continuity?format=html", token: manager), 200)
            #expect(r.text.contains("Wie heeft nu aandacht nodig"))
            #expect(r.text.contains("Cijfers van het team"))
            #expect(r.text.contains("<svg"))
            #expect(!r.text.contains("<form"), "no forms, not even sign-out")
        }
    }
}

@Suite struct ClientAndProfessionalPageTests {
    /// Team t1 with p1 (primary of c1) and p2; c1 has contacts over the past 14 months, one a
    /// no-show; today is 2 June 2025.
    func setUp(_ s: TestServer) throws -> (admin: String, worker: String, manager: String) {
        let admin = try s.token("admin", .admin)
        try s.makeTeam("t1", "Wijkteam Noord", admin: admin)
        try s.makeTeam("t2", admin: admin)
        try s.makeProfessional("p1", team: "t1", admin: admin)
        try s.makeProfessional("p2", team: "t1", admin: admin)
        try s.makeProfessional("p9", team: "t2", admin: admin)
        try s.makeClient("c1", team: "t1", token: admin, openedOn: "2024-01-10", ref: "ZK-2024-000042")
        try s.assignPrimary("c1", "p1", from: "2024-01-10", token: admin)
        try s.makeContact("k-old", client: "c1", professional: "p1", at: "2024-03-01T10:00:00+01:00", token: admin)
        try s.makeContact("k1", client: "c1", professional: "p1", at: "2024-08-01T10:00:00+02:00", token: admin)
        try s.makeContact("k2", client: "c1", professional: "p2", at: "2025-01-15T10:00:00+01:00", mode: "phone", token: admin)
        try s.makeContact("k3", client: "c1", professional: "p1", at: "2025-05-20T10:00:00+02:00", mode: "office_visit", token: admin)
        try s.expect(s.post("/v1/contacts", token: admin, [
            "id": "k4", "client_id": "c1", "professional_id": "p2", "occurred_at": "2025-05-27T10:00:00+02:00",
            "mode": "home_visit", "status": "no_show",
        ]), 201)
        try s.makeReferral("r1", client: "c1", from: "p1", on: "2025-02-01", token: admin)
        return (admin, try s.token("worker-noord", .worker, team: "t1"), try s.token("manager-noord", .manager, team: "t1"))
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func theClientPage_showsOneMarkPerContactOfTheLast12Months_theMeasures_andTheHistory() throws {
        try withServer { s in
            let (admin, _, manager) = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(manager)
            let page = try b.get("/app/clients/c1")
            #expect(page.status == 200)
            // 2024-08-01 onwards lies in [2024-06-03, 2025-06-02]; the March 2024 visit does not.
            #expect(count("<g class=\"mark\"", in: page.text) == 4)
            #expect(!page.text.contains("data-contact=\"k-old\""))
            #expect(page.text.contains("data-contact=\"k4\" data-mode=\"home_visit\""))
            #expect(page.text.contains("niet verschenen"))
            for key in ["contacts", "faces", "upc", "coc", "secon", "mmci", "known_face_share", "primary_share",
                        "days_since_contact", "days_since_face_to_face", "referrals", "outside_office_hours_share", "no_show_rate"] {
                #expect(page.text.contains("data-key=\"\(key)\""), "measure \(key) explained")
            }
            #expect(page.text.contains("Name of p1"))
            #expect(page.text.contains("Schuldhulpverlening"))
            #expect(!page.text.contains("<form method=\"post\" action=\"/app/clients/c1/contacts\""), "managers do not log contacts (API roles)")
            let audit = try s.get("/v1/audit?client_id=c1", token: admin).items.filter { $0["token_name"]?.stringValue == "manager-noord" }
            let actions = Set(audit.compactMap { $0["action"]?.stringValue })
            #expect(actions.isSuperset(of: ["client.read", "continuity.read", "contacts.read", "assignments.read", "referrals.read"]))
        }
    }

    @Test func aWorkerLogsAContactThroughTheForm_onceEvenWhenSentTwice() throws {
        try withServer { s in
            let (admin, worker, _) = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(worker)
            let page = try b.get("/app/clients/c1")
            let csrf = try #require(PageBrowser.csrf(in: page.text))
            let form = [("csrf", csrf), ("contact_id", "k-web-1"), ("professional_id", "p2"), ("date", "2025-06-02"),
                        ("time", "09:15"), ("mode", "home_visit"), ("status", "held"), ("duration_minutes", "45"), ("participant", "p1")]
            let r = try b.post("/app/clients/c1/contacts", form)
            #expect(r.status == 303)
            #expect(r.header("Location") == "/app/clients/c1?team_id=t1&logged=k-web-1#contacts")
            #expect(try b.post("/app/clients/c1/contacts", form).status == 303, "the same form again is the same contact")
            let stored = try s.expect(s.get("/v1/clients/c1/contacts?limit=500", token: admin), 200).items
            #expect(stored.filter { $0["id"]?.stringValue == "k-web-1" }.count == 1)
            let k = try #require(stored.first { $0["id"]?.stringValue == "k-web-1" })
            #expect(k["occurred_at"]?.stringValue == "2025-06-02T09:15:00+02:00")
            #expect(k["participants"]?.arrayValue?.first?.stringValue == "p1")
            #expect(k["duration_minutes"]?.int64Value == 45)
            let audit = try s.get("/v1/audit?client_id=c1", token: admin).items
            #expect(audit.contains { $0["action"]?.stringValue == "contact.create" && $0["token_name"]?.stringValue == "worker-noord" })
            let after = try b.get("/app/clients/c1?logged=k-web-1")
            #expect(after.text.contains("Het contact is vastgelegd."))
            #expect(count("<g class=\"mark\"", in: after.text) == 5)
        }
    }

    @Test func aWrongForm_isShownAgainWithTheMessagesBesideTheFields_andStoresNothing() throws {
        try withServer { s in
            let (admin, worker, _) = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(worker)
            let csrf = try #require(PageBrowser.csrf(in: try b.get("/app/clients/c1").text))
            let before = try s.get("/v1/clients/c1/contacts?limit=500", token: admin).items.count
            let r = try b.post("/app/clients/c1/contacts", [("csrf", csrf), ("professional_id", "p1"), ("date", "2025-06-09"),
                                                            ("time", "25:00"), ("mode", ""), ("participant", "p1")])
            #expect(r.status == 422)
            #expect(r.text.contains("Een contact kan niet in de toekomst liggen."))
            #expect(r.text.contains("Vul een tijd in"))
            #expect(r.text.contains("Kies de soort contact."))
            #expect(r.text.contains("Dit is al wie het contact had."))
            #expect(r.text.contains("id=\"e-mode\"") && r.text.contains("aria-describedby=\"e-mode\""))
            let before2023 = try b.post("/app/clients/c1/contacts", [("csrf", csrf), ("professional_id", "p9"), ("date", "2023-06-01"),
                                                                     ("time", "10:00"), ("mode", "phone")])
            #expect(before2023.status == 422, "a professional of another team, or a date before the case opened")
            #expect(try s.get("/v1/clients/c1/contacts?limit=500", token: admin).items.count == before)
            let manager = PageBrowser(s)
            try manager.signIn(try s.token("manager-2", .manager, team: "t1"))
            let mcsrf = try #require(PageBrowser.csrf(in: try manager.get("/app/clients/c1").text))
            #expect(try manager.post("/app/clients/c1/contacts", [("csrf", mcsrf), ("professional_id", "p1"), ("date", "2025-06-01"),
                                                                  ("time", "10:00"), ("mode", "phone")]).status == 403)
        }
    }

    @Test func theProfessionalPage_showsTheCaseloadAndTheirFigures() throws {
        try withServer { s in
            let (admin, _, manager) = try setUp(s)
            let b = PageBrowser(s)
            try b.signIn(manager)
            let page = try b.get("/app/professionals/p1")
            #expect(page.status == 200)
            #expect(page.text.contains("<h1>Name of p1</h1>"))
            #expect(page.text.contains("ZK-2024-000042"))
            // One open case: below the small-cell threshold, one sentence instead of a table of <5.
            #expect(!page.text.contains("data-key=\"mean_coc\""))
            #expect(page.text.contains("minder dan 5 open cliënten"))
            let team = try b.get("/app/teams/t1")
            #expect(team.text.contains("1 van de 1 regievoerders heeft minder dan 5 open cliënten"), "why the per-professional figures show <5")
            // Five open cases: the figures are shown.
            for i in 2...5 {
                try s.makeClient("c-extra-\(i)", team: "t1", token: admin, openedOn: "2024-01-01")
                try s.expect(s.post("/v1/clients/c-extra-\(i)/primary", token: admin,
                                    ["professional_id": "p1", "from": "2024-01-01", "reason": "start"]), 201)
            }
            let five = try b.get("/app/professionals/p1")
            #expect(five.text.contains("data-key=\"mean_coc\""))
            #expect(!five.text.contains("minder dan 5 open cliënten"))
            #expect(try b.get("/app/professionals/p9").status == 404)
        }
    }
}

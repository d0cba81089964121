import Continuity
import HTML
import Store

/// The frame of every page: language, viewport, the stylesheet, a skip link, who is signed
/// in with a sign-out button (SPEC §9: on every page), and the main content.
struct Layout {
    let language: Language

    func page(title: String, signedIn: PageContext?, @MarkupBuilder main: () -> [Markup]) -> Markup {
        let l = language
        return document(lang: l.rawValue, head: {
            element("meta", [Attribute("charset", "utf-8")])
            element("meta", [Attribute("name", "viewport"), Attribute("content", "width=device-width, initial-scale=1")])
            element("title") { title + " · " + l("Continuïteit", "Continuity") }
            element("link", [Attribute("rel", "stylesheet"), .href(Stylesheet.path)])
        }, body: {
            element("a", [.class("skip"), .href("#main")]) { l("Naar de inhoud", "Skip to content") }
            element("header", [.class("site")]) {
                element("div", [.class("wrap bar")]) {
                    element("a", [.class("brand"), .href("/app/")]) { l("Continuïteit", "Continuity") }
                    if let c = signedIn {
                        element("span", [.class("who")]) {
                            l("Ingelogd als ", "Signed in as ")
                            element("strong") { c.principal.name }
                            " (" + roleName(c.principal.role) + ")"
                        }
                        element("form", [Attribute("method", "post"), Attribute("action", "/app/logout"), .class("signout")]) {
                            csrfField(c)
                            element("button", [Attribute("type", "submit")]) { l("Uitloggen", "Sign out") }
                        }
                    }
                }
            }
            element("main", [.id("main"), .class("wrap")], main)
        })
    }

    func roleName(_ r: Role) -> String {
        switch r {
        case .worker: return language("hulpverlener", "worker")
        case .manager: return language("teamleider", "manager")
        case .exporter: return language("export", "exporter")
        case .admin: return language("beheerder", "admin")
        }
    }

    func csrfField(_ c: PageContext) -> Markup {
        element("input", [Attribute("type", "hidden"), Attribute("name", "csrf"), Attribute("value", c.csrf)])
    }
}

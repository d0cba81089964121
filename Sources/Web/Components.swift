import Continuity
import HTML

/// Pieces several pages share.
struct Components {
    let language: Language
    var f: Format { Format(language: language) }

    /// A table head of column headings; numeric columns are right-aligned.
    func head(_ columns: [String], numeric: Set<Int> = []) -> Markup {
        element("thead") {
            element("tr") {
                for (i, c) in columns.enumerated() {
                    element("th", [Attribute("scope", "col")] + (numeric.contains(i) ? [.class("num")] : [])) { c }
                }
            }
        }
    }

    func flagList(_ flags: [Flag]) -> Markup {
        if flags.isEmpty { return element("span", [.class("none")]) { language("geen signalen", "no alerts") } }
        return element("ul", [.class("flags")]) {
            for fl in flags { element("li") { language.flagName(fl) } }
        }
    }

    /// Clients with their open-case date and alerts, each linked to their page.
    func clientTable(caption: [Markup], clients: [Client], flags: (ClientKey) -> [Flag], empty: String) -> Markup {
        let l = language
        return element("table", [.class("caseload")]) {
            element("caption") { caption }
            head([l("Cliënt (zaaknummer)", "Client (case number)"), l("In zorg sinds", "Open since"), l("Signalen", "Alerts")])
            element("tbody") {
                if clients.isEmpty {
                    element("tr") { element("td", [Attribute("colspan", "3"), .class("none")]) { empty } }
                }
                for client in clients {
                    element("tr") {
                        element("td") { element("a", [.href(Paths.client(client.key))]) { client.externalRef } }
                        element("td") { f.date(client.openedOn) }
                        element("td") { flagList(flags(client.key)) }
                    }
                }
            }
        }
    }

    /// Successor advice (SPEC §2): who could take over as primary without a new face.
    func successors(_ advice: SuccessorAdvice) -> Markup {
        let l = language
        return element("div", [.class("successors")]) {
            element("p") {
                element("strong") { l("Wie kan het overnemen? ", "Who could take over? ") }
                l("Kies bij voorkeur iemand die de cliënt al kent, en regel een warme overdracht: een gezamenlijk bezoek met de huidige of vorige regievoerder.",
                  "Prefer someone the client already knows, and arrange a warm handover: a joint visit with the current or previous primary.")
            }
            if advice.candidates.isEmpty {
                element("p") { l("Er is niemand in het team die lang genoeg blijft.", "Nobody in the team stays long enough.") }
            } else {
                element("ol") {
                    for c in advice.candidates {
                        element("li") {
                            element("a", [.href("/app/professionals/" + c.professionalID)]) { c.name }
                            " — " + c.reason(l)
                        }
                    }
                }
            }
        }
    }
}

/// Addresses of the pages about one client. A client is its team and id (ids are unique per
/// team, SPEC §1), so every link names both.
enum Paths {
    static func client(_ key: ClientKey) -> String { "/app/clients/" + key.id + "?team_id=" + key.teamID }

    static func clientContacts(_ key: ClientKey) -> String { "/app/clients/" + key.id + "/contacts?team_id=" + key.teamID }

    /// The anchor of a client's card: on one team's page the id alone (as links from elsewhere
    /// use it), on a page of several teams with the team in front.
    static func clientAnchor(_ key: ClientKey, inTeam team: String?) -> String {
        // `~` is in no id, so two teams' anchors never meet.
        team == nil ? "client-" + key.teamID + "~" + key.id : "client-" + key.id
    }
}

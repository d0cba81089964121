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
    func clientTable(caption: [Markup], clients: [Client], flags: (String) -> [Flag], empty: String) -> Markup {
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
                        element("td") { element("a", [.href("/app/clients/" + client.id)]) { client.externalRef } }
                        element("td") { f.date(client.openedOn) }
                        element("td") { flagList(flags(client.id)) }
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

import Continuity
import HTML
import Store

/// The team overview (SPEC §9): who needs attention now, the caseloads, the figures
/// explained, the 12-month trend. `forms` is the signed-in reader; nil renders the report
/// page without forms.
struct OverviewView {
    let language: Language
    let settings: WebSettings
    let facesMax: Int
    let data: TeamOverview
    let forms: PageContext?

    var f: Format { Format(language: language) }

    func body() -> [Markup] {
        let l = language
        return [
            element("h1") { data.title },
            element("p", [.class("lead")]) {
                l("Stand op ", "As of ") + f.date(data.asOf) + l(". Maten over de laatste ", ". Measures over the last ")
                    + "\(settings.windowDays) " + l("dagen.", "days.")
            },
            attention(),
            caseloads(),
            figures(),
            trend(),
        ]
    }

    func severityLabel(_ s: Int) -> String {
        switch s {
        case 3: return language("Nu handelen", "Act now")
        case 2: return language("Aandacht", "Attention")
        default: return language("Bespreken", "Discuss")
        }
    }

    // MARK: who needs attention now

    func attention() -> Markup {
        let l = language
        guard let alerts = data.alerts else { return .empty }
        let urgent = alerts.filter { Urgency.severity($0.flag) == 3 }.count
        let unseen = alerts.filter { $0.acknowledgedBy == nil }.count
        return element("section", [Attribute("aria-labelledby", "attention")]) {
            element("h2", [.id("attention")]) { l("Wie heeft nu aandacht nodig", "Who needs attention now") }
            if alerts.isEmpty {
                element("p", [.class("notice ok")]) { l("Er staan geen signalen open.", "There are no open alerts.") }
            } else {
                element("p", [.class("notice")]) {
                    l("\(alerts.count) open signalen, waarvan \(urgent) om handelen vragen; \(unseen) nog door niemand gezien. Het meest dringende staat bovenaan: eerst wat niet kan wachten (een regievoerder die vertrekt of ontbreekt, een verwijzing zonder vervolg), dan het oudste.",
                      "\(alerts.count) open alerts, \(urgent) of which call for action; \(unseen) not yet seen by anyone. Most urgent first: what cannot wait (a primary leaving or missing, a referral in limbo), then the oldest.")
                }
                element("ol", [.class("alerts")]) {
                    for a in alerts { alertItem(a) }
                }
            }
        }
    }

    func alertItem(_ a: Alert) -> Markup {
        let l = language
        let sev = Urgency.severity(a.flag)
        let entry = data.clients[a.clientID]
        return element("li", [.id("alert-" + a.id), .class("alert sev-\(sev)")]) {
            element("h3") {
                element("span", [.class("tag sev-\(sev)")]) { severityLabel(sev) }
                element("a", [.href("/app/clients/" + a.clientID)]) { data.clientRef(a.clientID) }
                " — " + l.flagName(a.flag)
            }
            element("p", [.class("evidence")]) { a.evidence }
            element("p", [.class("meta")]) {
                l("Speelt sinds ", "Since ") + f.date(data.since(a)) + " (" + f.ago(data.asOf - data.since(a)) + ")"
                if let p = data.name(entry?.primary) { " · " + l("Regievoerder: ", "Primary: ") + p } else { " · " + l("Geen regievoerder", "No primary") }
                " · " + l.flagMeaning(a.flag)
            }
            if let by = a.acknowledgedBy {
                element("p", [.class("ack")]) {
                    l("Gezien door ", "Seen by ")
                    element("strong") { by }
                    if let note = a.acknowledgedNote { ": “" + note + "”" }
                }
            }
            if let c = forms, c.readsAlertsAndReports {
                element("details", [.class("ack-form noprint")]) {
                element("summary") { a.acknowledgedBy == nil ? l("Markeer als gezien", "Mark as seen") : l("Nieuwe notitie", "New note") }
                element("form", [Attribute("method", "post"), Attribute("action", "/app/alerts/" + a.id + "/ack"), .class("inline")]) {
                    Layout(language: l).csrfField(c)
                    element("div", [.class("field")]) {
                        element("label", [Attribute("for", "note-" + a.id)]) {
                            a.acknowledgedBy == nil ? l("Notitie (wat is afgesproken?)", "Note (what was agreed?)")
                                                    : l("Nieuwe notitie", "New note")
                        }
                        element("input", [.id("note-" + a.id), Attribute("name", "note"), Attribute("type", "text"),
                                          Attribute("maxlength", "200"), Attribute(flag: "required")])
                    }
                    element("button", [Attribute("type", "submit")]) { l("Opslaan", "Save") }
                }
                }
            }
        }
    }

    // MARK: caseloads

    func flagList(_ clientID: String) -> Markup {
        let flags = data.flagsByClient[clientID] ?? []
        if flags.isEmpty { return element("span", [.class("none")]) { language("geen signalen", "no alerts") } }
        return element("ul", [.class("flags")]) {
            for fl in flags { element("li") { language.flagName(fl) } }
        }
    }

    func caseloads() -> Markup {
        let l = language
        let (rows, without) = data.caseloads()
        return element("section", [Attribute("aria-labelledby", "caseloads")]) {
            element("h2", [.id("caseloads")]) { l("Caseload per hulpverlener", "Caseload per professional") }
            element("p") {
                l("Open cliënten per regievoerder, met hun signalen.", "Open clients per primary professional, with their alerts.")
            }
            for (p, id, clients) in rows {
                element("table", [.class("caseload")]) {
                    element("caption") {
                        element("a", [.href("/app/professionals/" + id)]) { p?.name ?? id }
                        if let p {
                            " · " + p.discipline + ", " + l.employmentName(p.employment)
                            if let end = p.endedOn {
                                end < data.asOf ? " · " + l("uit dienst sinds ", "left on ") + f.date(end)
                                                : " · " + l("vertrekt op ", "leaves on ") + f.date(end)
                            }
                        }
                        " · " + (clients.count == 1 ? l("1 cliënt", "1 client") : l("\(clients.count) cliënten", "\(clients.count) clients"))
                    }
                    element("thead") {
                        element("tr") {
                            element("th", [Attribute("scope", "col")]) { l("Cliënt (zaaknummer)", "Client (case number)") }
                            element("th", [Attribute("scope", "col")]) { l("In zorg sinds", "Open since") }
                            element("th", [Attribute("scope", "col")]) { l("Signalen", "Alerts") }
                        }
                    }
                    element("tbody") {
                        if clients.isEmpty {
                            element("tr") { element("td", [Attribute("colspan", "3"), .class("none")]) { l("Geen open cliënten als regievoerder.", "No open clients as primary.") } }
                        }
                        for client in clients { clientRow(client) }
                    }
                }
            }
            if !without.isEmpty {
                element("table", [.class("caseload")]) {
                    element("caption") { l("Zonder regievoerder", "Without a primary professional") + " · \(without.count)" }
                    element("thead") {
                        element("tr") {
                            element("th", [Attribute("scope", "col")]) { l("Cliënt (zaaknummer)", "Client (case number)") }
                            element("th", [Attribute("scope", "col")]) { l("In zorg sinds", "Open since") }
                            element("th", [Attribute("scope", "col")]) { l("Signalen", "Alerts") }
                        }
                    }
                    element("tbody") { for client in without { clientRow(client) } }
                }
            }
        }
    }

    func clientRow(_ client: Client) -> Markup {
        element("tr") {
            element("td") { element("a", [.href("/app/clients/" + client.id)]) { client.externalRef } }
            element("td") { f.date(client.openedOn) }
            element("td") { flagList(client.id) }
        }
    }

    // MARK: figures

    func figures() -> Markup {
        let l = language
        guard let report = data.report else { return .empty }
        let lines = GroupFigureLines(language: l, smallCell: settings.smallCellThreshold, windowDays: report.windowDays,
                                     facesMax: facesMax)
        return element("section", [Attribute("aria-labelledby", "figures")]) {
            element("h2", [.id("figures")]) { l("Cijfers van het team", "The team's figures") }
            element("p") {
                l("Om samen van te leren, niet om af te rekenen. Aantallen onder \(settings.smallCellThreshold) staan er als <\(settings.smallCellThreshold), zodat niemand herkenbaar is.",
                  "To learn from together, not to judge by. Counts below \(settings.smallCellThreshold) show as <\(settings.smallCellThreshold), so nobody can be recognised.")
            }
            FigureTableView(language: l).table(caption: l("Het team", "The team"), lines: lines.lines(report.team))
            professionalFigures(report, lines: lines)
        }
    }

    func professionalFigures(_ report: ContinuityReport, lines: GroupFigureLines) -> Markup {
        let l = language
        let keys = ["open_cases", "mean_faces", "mean_coc", "over_faces_threshold_share", "median_days_since_contact", "warm_handover_share"]
        let headers = [l("Open cliënten", "Open cases"), l("Gezichten (gem.)", "Faces (mean)"), l("COC", "COC"),
                       l("Steeds andere gezichten", "Changing faces"), l("Dagen sinds contact (mediaan)", "Days since contact (median)"),
                       l("Warme overdracht", "Warm handover")]
        let rows = report.professionals.map { p in (p.id, data.name(p.id) ?? p.id, lines.lines(p.figures)) }
            .sorted { $0.1 < $1.1 }
        return element("table", [.class("per-professional")]) {
            element("caption") { l("Per regievoerder (de belangrijkste maten; alle maten op de pagina van de hulpverlener)",
                                   "Per primary professional (the main figures; every figure on the professional's page)") }
            element("thead") {
                element("tr") {
                    element("th", [Attribute("scope", "col")]) { l("Hulpverlener", "Professional") }
                    for h in headers { element("th", [Attribute("scope", "col"), .class("num")]) { h } }
                }
            }
            element("tbody") {
                for (id, name, figureLines) in rows {
                    element("tr") {
                        element("th", [Attribute("scope", "row")]) { element("a", [.href("/app/professionals/" + id)]) { name } }
                        for k in keys { element("td", [.class("num")]) { figureLines.first { $0.key == k }?.value ?? "–" } }
                    }
                }
            }
        }
    }

    // MARK: trend

    func trend() -> Markup {
        let l = language
        guard let report = data.report, !report.trend.isEmpty else { return .empty }
        let last = report.trend[report.trend.count - 1].asOf
        let partial = last.adding(days: 1).day != 1
        let faces = report.trend.map { (month: $0.asOf, value: $0.meanFaces) }
        let cocs = report.trend.map { (month: $0.asOf, value: $0.meanCOC) }
        let facesChart = TrendChart(language: l, id: "trend-faces",
                                    title: l("Gezichten per cliënt (gemiddeld), laatste 12 maanden; lager is beter",
                                             "Faces per client (mean), last 12 months; lower is better"),
                                    axisLabel: l("Gezichten", "Faces"),
                                    ticks: niceTicks(maxValue: faces.compactMap(\.value).max() ?? 0, minimumTop: 4),
                                    tickLabel: { f.decimal($0) }, points: faces, lastIsPartial: partial)
        let cocChart = TrendChart(language: l, id: "trend-coc",
                                  title: l("Continuïteit van zorg (COC, gemiddeld), laatste 12 maanden; hoger is beter",
                                           "Continuity of care (COC, mean), last 12 months; higher is better"),
                                  axisLabel: l("COC", "COC"), ticks: [0, 0.25, 0.5, 0.75, 1],
                                  tickLabel: { f.percent($0) }, points: cocs, lastIsPartial: partial)
        return element("section", [Attribute("aria-labelledby", "trend")]) {
            element("h2", [.id("trend")]) { l("Trend over 12 maanden", "Trend over 12 months") }
            element("p") {
                l("Elke maand de stand op de laatste dag, over de cliënten die toen open waren.",
                  "Each month as of its last day, over the clients open then.")
                if partial { " " + l("De laatste maand loopt nog (stand van vandaag): open rondje, stippellijn.",
                                     "The last month is still running (as of today): hollow dot, dashed line.") }
            }
            element("figure") {
                element("figcaption") { l("Gezichten per cliënt — lager is beter", "Faces per client — lower is better") }
                facesChart.svg()
            }
            element("figure") {
                element("figcaption") { l("Continuïteit van zorg (COC) — hoger is beter", "Continuity of care (COC) — higher is better") }
                cocChart.svg()
            }
            element("table", [.class("trend")]) {
                element("caption") { l("De trend in cijfers", "The trend in numbers") }
                element("thead") {
                    element("tr") {
                        element("th", [Attribute("scope", "col")]) { l("Maand", "Month") }
                        element("th", [Attribute("scope", "col"), .class("num")]) { l("Gezichten per cliënt (gem.)", "Faces per client (mean)") }
                        element("th", [Attribute("scope", "col"), .class("num")]) { l("COC (gem.)", "COC (mean)") }
                    }
                }
                element("tbody") {
                    for (i, p) in report.trend.enumerated() {
                        element("tr") {
                            element("th", [Attribute("scope", "row")]) {
                                f.shortMonth(p.asOf) + (partial && i == report.trend.count - 1 ? " (" + l("lopend, t/m ", "partial, to ") + f.date(p.asOf) + ")" : "")
                            }
                            element("td", [.class("num")]) { f.decimal(p.meanFaces) }
                            element("td", [.class("num")]) { f.percent(p.meanCOC) }
                        }
                    }
                }
            }
        }
    }
}

/// A table of explained figures: name and meaning, value, which way is better.
struct FigureTableView {
    let language: Language

    func table(caption: String, lines: [FigureLine]) -> Markup {
        let l = language
        return element("table", [.class("figures")]) {
            element("caption") { caption }
            element("thead") {
                element("tr") {
                    element("th", [Attribute("scope", "col")]) { l("Maat", "Figure") }
                    element("th", [Attribute("scope", "col"), .class("num")]) { l("Waarde", "Value") }
                    element("th", [Attribute("scope", "col")]) { l("Richting", "Which way") }
                }
            }
            element("tbody") {
                for line in lines {
                    element("tr", [Attribute("data-key", line.key)]) {
                        element("th", [Attribute("scope", "row")]) {
                            line.name
                            element("span", [.class("hint")]) { line.meaning }
                        }
                        element("td", [.class("num")]) { line.value }
                        element("td") { line.better.text(l) }
                    }
                }
            }
        }
    }
}

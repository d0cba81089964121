import Continuity
import HTML

/// The client page (SPEC §9): the client's story on one screen.
struct ClientView {
    let language: Language
    let story: ClientStory
    let today: LocalDate
    let zone: TimeZoneRules
    let context: PageContext
    let form: ContactForm
    let logged: Bool

    var f: Format { Format(language: language) }

    func body() -> [Markup] {
        let l = language
        let c = story.client
        return [
            element("p", [.class("muted")]) {
                element("a", [.href("/app/teams/" + c.teamID)]) { l("← Terug naar het team", "← Back to the team") }
            },
            element("h1") { l("Cliënt ", "Client ") + c.externalRef },
            summary(),
            flags(),
            timeline(),
            measures(),
            assignments(),
            referrals(),
            contactForm(),
        ]
    }

    func summary() -> Markup {
        let l = language
        let c = story.client
        let primary = story.primary.flatMap { story.professionals[$0] }
        return element("dl", [.class("summary")]) {
            element("dt") { l("Zaaknummer", "Case number") }
            element("dd") { c.externalRef }
            element("dt") { l("In zorg sinds", "Open since") }
            element("dd") { f.date(c.openedOn) }
            if let closed = c.closedOn {
                element("dt") { l("Gesloten op", "Closed on") }
                element("dd") { f.date(closed) }
            }
            element("dt") { l("Regievoerder", "Primary professional") }
            element("dd") {
                if let p = primary {
                    element("a", [.href("/app/professionals/" + p.id)]) { p.name }
                    if let end = p.endedOn {
                        end < today ? " — " + l("uit dienst sinds ", "left on ") + f.date(end)
                                    : " — " + l("vertrekt op ", "leaves on ") + f.date(end)
                    }
                } else {
                    element("strong") { l("niemand", "nobody") }
                }
            }
            element("dt") { l("Gezichten in de laatste 90 dagen", "Faces in the last 90 days") }
            element("dd") {
                if story.measures.facesDetail.isEmpty { l("geen", "none") }
                Markup.join(story.measures.facesDetail.map { fc in
                    Markup.text(story.name(fc.professionalID) + " (" + (fc.contacts == 1 ? l("1 contact", "1 contact") : l("\(fc.contacts) contacten", "\(fc.contacts) contacts")) + ")")
                }, separator: .literal(", "))
            }
        }
    }

    func flags() -> Markup {
        let l = language
        return element("section", [Attribute("aria-labelledby", "signals")]) {
            element("h2", [.id("signals")]) { l("Signalen", "Alerts") }
            if story.flags.isEmpty {
                element("p", [.class("notice ok")]) { l("Er speelt nu geen signaal.", "No alert holds now.") }
            } else {
                element("ol", [.class("alerts")]) {
                    for fl in story.flags.sorted(by: { Urgency.severity($0.flag) > Urgency.severity($1.flag) }) {
                        let sev = Urgency.severity(fl.flag)
                        element("li", [.class("alert sev-\(sev)")]) {
                            element("h3") { l.flagName(fl.flag) }
                            element("p", [.class("evidence")]) { fl.evidence }
                            element("p", [.class("meta")]) {
                                l("Speelt sinds ", "Since ") + f.date(fl.since) + " (" + f.ago(today - fl.since) + ") · " + l.flagMeaning(fl.flag)
                            }
                            if fl.flag == .primaryLeaving || fl.flag == .noPrimary, let advice = story.successors {
                                Components(language: l).successors(advice)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The contacts of the last 12 months, [D − 364, D].
    var yearContacts: [(contact: Contact, date: LocalDate)] {
        let from = today.adding(days: -364)
        return story.contacts.map { ($0, zone.localDate(of: $0.occurredAt)) }.filter { $0.1 >= from && $0.1 <= today }
    }

    /// The primary of each day of the window, as runs of days (SPEC §2's rule, from the domain).
    var primaryPeriods: [(from: LocalDate, through: LocalDate, professionalID: String?)] {
        let prepared = PreparedHistory(ClientHistory(client: story.client, assignments: story.assignments), settings: MeasureSettings(zone: zone))
        var out: [(from: LocalDate, through: LocalDate, professionalID: String?)] = []
        var day = max(today.adding(days: -364), story.client.openedOn)
        while day <= today {
            let p = prepared.primaryProfessionalID(asOf: day)
            if let last = out.last, last.professionalID == p, last.through == day.adding(days: -1) {
                out[out.count - 1].through = day
            } else {
                out.append((day, day, p))
            }
            day = day.adding(days: 1)
        }
        return out
    }

    func timeline() -> Markup {
        let l = language
        let contacts = yearContacts
        let t = Timeline(language: l, from: today.adding(days: -364), through: today, contacts: contacts,
                         primaryPeriods: primaryPeriods, name: story.name)
        return element("section", [Attribute("aria-labelledby", "contacts")]) {
            element("h2", [.id("contacts")]) { l("Het afgelopen jaar in één beeld", "The past year at a glance") }
            if logged {
                element("p", [.class("notice ok"), Attribute("role", "status")]) { l("Het contact is vastgelegd.", "The contact was logged.") }
            }
            element("p") {
                l("Elk contact is een teken op de rij van de hulpverlener die het had. Springen de tekens van rij naar rij, dan zag de cliënt steeds een ander gezicht. De balk bovenaan is de regievoerder.",
                  "Each contact is a mark on the row of the professional who held it. When the marks jump from row to row, the client kept seeing a different face. The bar on top is the primary professional.")
            }
            element("figure") {
                t.svg()
                t.legend()
            }
            element("details", [.class("print-open")]) {
                element("summary") { l("De \(contacts.count) contacten als lijst", "The \(contacts.count) contacts as a list") }
                element("table") {
                    element("caption") { l("Contacten van de laatste 12 maanden", "Contacts of the last 12 months") }
                    Components(language: l).head([l("Datum", "Date"), l("Hulpverlener", "Professional"), l("Soort", "Kind"),
                                                   l("Vond plaats?", "Held?")])
                    element("tbody") {
                        for (c, d) in contacts.reversed() {
                            element("tr") {
                                element("td") { f.date(d) }
                                element("td") {
                                    story.name(c.professionalID)
                                    if !c.participants.isEmpty { l(" samen met ", " with ") + c.participants.map(story.name).joined(separator: ", ") }
                                }
                                element("td") { l.modeName(c.mode) }
                                element("td") { l.statusName(c.status) }
                            }
                        }
                    }
                }
            }
        }
    }

    func measures() -> Markup {
        let l = language
        return element("section", [Attribute("aria-labelledby", "measures")]) {
            element("h2", [.id("measures")]) { l("De maten uitgelegd", "The measures explained") }
            element("p") {
                l("Over de laatste \(story.measures.windowDays) dagen tot en met vandaag. Een streepje betekent: (nog) te weinig contacten om dit te berekenen.",
                  "Over the last \(story.measures.windowDays) days up to today. A dash means: too few contacts to compute this (yet).")
            }
            FigureTableView(language: l).table(caption: l("Continuïteit van deze cliënt", "This client's continuity"),
                                               lines: ClientMeasureLines(language: l).lines(story.measures))
        }
    }

    func assignments() -> Markup {
        let l = language
        return element("section", [Attribute("aria-labelledby", "primaries")]) {
            element("h2", [.id("primaries")]) { l("Regievoerders door de tijd", "Primary professionals over time") }
            if story.assignments.isEmpty {
                element("p") { l("Er is nooit een regievoerder toegewezen.", "No primary professional was ever assigned.") }
            } else {
                element("table") {
                    element("caption") { l("Toewijzingen, oudste eerst", "Assignments, oldest first") }
                    Components(language: l).head([l("Vanaf", "From"), l("Regievoerder", "Primary"), l("Reden", "Reason")])
                    element("tbody") {
                        for a in story.assignments {
                            element("tr") {
                                element("td") { f.date(a.from) }
                                element("td") { a.professionalID.map(story.name) ?? l("niemand", "nobody") }
                                element("td") { l.reasonName(a.reason) }
                            }
                        }
                    }
                }
            }
        }
    }

    func referrals() -> Markup {
        let l = language
        return element("section", [Attribute("aria-labelledby", "referrals")]) {
            element("h2", [.id("referrals")]) { l("Verwijzingen", "Referrals") }
            if story.referrals.isEmpty {
                element("p") { l("Geen verwijzingen.", "No referrals.") }
            } else {
                element("table") {
                    element("caption") { l("Verwijzingen, oudste eerst", "Referrals, oldest first") }
                    Components(language: l).head([l("Verwezen op", "Referred on"), l("Naar", "To"), l("Door", "By"),
                                                   l("Warme overdracht", "Warm handover"), l("Stand", "Status")])
                    element("tbody") {
                        for r in story.referrals {
                            element("tr") {
                                element("td") { f.date(r.referredOn) }
                                element("td") { r.to + (r.toProfessionalID.map { " (" + story.name($0) + ")" } ?? "") }
                                element("td") { story.name(r.fromProfessionalID) }
                                element("td") { r.warmHandover ? l("ja", "yes") : l("nee", "no") }
                                element("td") { l.referralStatusName(r.status) + l(" sinds ", " since ") + f.date(r.statusOn) }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: the log-a-contact form

    func contactForm() -> Markup {
        let l = language
        guard context.writesContacts, story.client.isOpen(asOf: today) else { return .empty }
        let active = story.professionals.values.filter { $0.startedOn <= today && ($0.endedOn.map { $0 >= today } ?? true) }
            .sorted { $0.name < $1.name }
        let v = form.values
        let now = zone.local(context.now)
        return element("section", [Attribute("aria-labelledby", "log"), .class("noprint")]) {
            element("h2", [.id("log")]) { l("Contact vastleggen", "Log a contact") }
            if !form.errors.isEmpty {
                element("div", [.class("error-summary"), Attribute("role", "alert"), Attribute("tabindex", "-1")]) {
                    element("h3") { l("Het contact is nog niet vastgelegd", "The contact was not logged yet") }
                    element("ul") {
                        for e in form.errors { element("li") { element("a", [.href("#f-" + e.field)]) { e.message } } }
                    }
                }
            }
            element("form", [Attribute("method", "post"), Attribute("action", Paths.clientContacts(story.client.key)),
                             Attribute("novalidate", "")]) {
                Layout(language: l).csrfField(context)
                element("input", [Attribute("type", "hidden"), Attribute("name", "contact_id"),
                                  Attribute("value", v["contact_id"] ?? WebPages.newContactID())])
                select("professional_id", l("Wie had het contact?", "Who held the contact?"), selected: v["professional_id"],
                       options: [("", l("Kies…", "Choose…"))] + active.map { ($0.id, $0.name) })
                element("div", [.class("grid")]) {
                    input("date", l("Datum", "Date"), type: "date", value: v["date"] ?? today.iso)
                    input("time", l("Tijd", "Time"), type: "time",
                          value: v["time"] ?? (LocalDate.pad(now.secondOfDay / 3600, 2) + ":" + LocalDate.pad(now.secondOfDay / 60 % 60, 2)))
                    input("duration_minutes", l("Duur in minuten (mag leeg)", "Minutes (optional)"), type: "number", value: v["duration_minutes"] ?? "")
                }
                element("div", [.class("grid")]) {
                    select("mode", l("Soort contact", "Kind of contact"), selected: v["mode"],
                           options: [("", l("Kies…", "Choose…"))] + ContactMode.allCases.map { ($0.rawValue, l.modeName($0)) })
                    select("status", l("Vond het plaats?", "Did it take place?"), selected: v["status"] ?? "held",
                           options: ContactStatus.allCases.map { ($0.rawValue, l.statusName($0)) })
                }
                select("participant", l("Samen met (bijvoorbeeld bij een warme overdracht; mag leeg)", "Together with (e.g. a warm handover; optional)"),
                       selected: v["participant"], options: [("", l("niemand", "nobody"))] + active.map { ($0.id, $0.name) })
                element("button", [Attribute("type", "submit")]) { l("Contact vastleggen", "Log contact") }
            }
        }
    }

    func fieldClass(_ name: String) -> String { form.error(name) == nil ? "field" : "field invalid" }

    func errorAttributes(_ name: String) -> [Attribute] {
        form.error(name) == nil ? [] : [Attribute("aria-describedby", "e-" + name), Attribute("aria-invalid", "true")]
    }

    func input(_ name: String, _ label: String, type: String, value: String) -> Markup {
        element("div", [.class(fieldClass(name))]) {
            element("label", [Attribute("for", "f-" + name)]) { label }
            if let e = form.error(name) { element("p", [.class("field-error"), .id("e-" + name)]) { e } }
            element("input", [.id("f-" + name), Attribute("name", name), Attribute("type", type), Attribute("value", value)]
                             + (type == "number" ? [Attribute("min", "0"), Attribute("max", "1440")] : []) + errorAttributes(name))
        }
    }

    func select(_ name: String, _ label: String, selected: String?, options: [(String, String)]) -> Markup {
        element("div", [.class(fieldClass(name))]) {
            element("label", [Attribute("for", "f-" + name)]) { label }
            if let e = form.error(name) { element("p", [.class("field-error"), .id("e-" + name)]) { e } }
            element("select", [.id("f-" + name), Attribute("name", name)] + errorAttributes(name)) {
                for (value, text) in options {
                    element("option", [Attribute("value", value)] + (value == (selected ?? "") ? [Attribute(flag: "selected")] : [])) { text }
                }
            }
        }
    }
}


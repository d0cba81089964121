import Continuity
import HTML
import HTTP
import Hashing
import Store

/// What was typed into the log-a-contact form, and what is wrong with it (shown beside each
/// field, GOV.UK "error message" pattern), when it is shown again after a failed post.
struct ContactForm {
    var values: [String: String] = [:]
    var errors: [(field: String, message: String)] = []

    func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
}

/// Everything the client page shows, read through the calls behind `GET /v1/clients/{id}`,
/// `/continuity`, `/contacts`, `/assignments`, `/referrals` and `/v1/professionals`.
struct ClientStory {
    var client: Client
    var primary: String?
    var measures: ContinuityMeasures
    var flags: [ActiveFlag]
    var contacts: [Contact]
    var assignments: [PrimaryAssignment]
    var referrals: [Referral]
    var professionals: [String: Professional]
    /// Successor advice, when a handover is due (`no_primary` or `primary_leaving`).
    var successors: SuccessorAdvice?

    func name(_ id: String) -> String { professionals[id]?.name ?? id }
}

extension WebPages {
    func loadStory(_ c: PageContext) throws -> ClientStory {
        let id = c.param("id")
        let (client, primary) = try store.client(id, scope: c.idScope)
        // Everything else in the client's own team (the id may be used by other teams too).
        let scope = c.scope.narrowed(to: client.teamID)
        let (measures, flags) = try store.continuity(clientID: id, scope: scope, asOf: c.today, windowDays: settings.windowDays)
        let contacts = try allPages { try store.contacts(clientID: id, scope: scope, after: $0, limit: 500) }
        let assignments = try allPages {
            try store.assignments(clientID: id, scope: scope, after: $0.flatMap(AssignmentCursor.init(text:)), limit: 500)
        }
        let referrals = try allPages {
            try store.referrals(clientID: id, scope: scope, after: $0.flatMap(ReferralCursor.init(text:)), limit: 500)
        }
        var professionals: [String: Professional] = [:]
        for p in try allPages({ try store.professionals(scope: c.scope, teamID: client.teamID, activeOn: nil, after: $0, limit: 500) }) {
            professionals[p.id] = p
        }
        // Audited as the API reads it shows would be (SPEC §9).
        for action in ["client.read", "continuity.read", "contacts.read", "assignments.read", "referrals.read"] {
            try store.auditRead(c.actor, action, client: client.key)
        }
        try store.auditRead(c.actor, "professional.list")
        var advice: SuccessorAdvice?
        if flags.contains(where: { $0.flag == .primaryLeaving || $0.flag == .noPrimary }) {
            advice = try store.successors(clientID: id, scope: scope, asOf: c.today, limit: 3)
            try store.auditRead(c.actor, "successors.read", client: client.key)
        }
        return ClientStory(client: client, primary: primary, measures: measures, flags: flags, contacts: contacts,
                           assignments: assignments, referrals: referrals, professionals: professionals, successors: advice)
    }

    func clientPage(_ c: PageContext, form: ContactForm?) throws -> HTTPResponse {
        let story = try loadStory(c)
        let view = ClientView(language: language, story: story, today: c.today, zone: store.settings.zone,
                              context: c, form: form ?? ContactForm(), logged: FormData(Substring(c.request.query ?? ""))?["logged"] != nil)
        return html(Layout(language: language).page(title: story.client.externalRef, signedIn: c) { view.body() },
                    status: form == nil ? 200 : 422)
    }

    /// `POST /app/clients/{id}/contacts`: the form becomes the same `createContact` call as
    /// `POST /v1/contacts`; a refused one is shown again with the message beside the field.
    func logContact(_ c: PageContext) throws -> HTTPResponse {
        let l = language
        guard c.writesContacts else {
            throw PageError.forbidden(l("Alleen hulpverleners leggen contacten vast.", "Only workers log contacts."))
        }
        let clientID = c.param("id")
        let client = try store.client(clientID, scope: c.idScope).0
        let data = FormData(body: c.request.body) ?? FormData()
        var form = ContactForm(values: data.values)
        let lead = data.trimmed("professional_id")
        if lead == nil { form.errors.append(("professional_id", l("Kies wie het contact had.", "Choose who held the contact."))) }
        let date = data.trimmed("date").flatMap { LocalDate(iso: $0) }
        if date == nil { form.errors.append(("date", l("Vul een datum in, bijvoorbeeld 2026-11-28.", "Enter a date, e.g. 2026-11-28."))) }
        if let date, date > c.today {
            form.errors.append(("date", l("Een contact kan niet in de toekomst liggen.", "A contact cannot lie in the future.")))
        }
        let minutes = data.trimmed("time").flatMap(LocalTime.minutes)
        if minutes == nil { form.errors.append(("time", l("Vul een tijd in, bijvoorbeeld 14:05.", "Enter a time, e.g. 14:05."))) }
        let mode = data.trimmed("mode").flatMap(ContactMode.init(rawValue:))
        if mode == nil { form.errors.append(("mode", l("Kies de soort contact.", "Choose the kind of contact."))) }
        let status = data.trimmed("status").flatMap(ContactStatus.init(rawValue:)) ?? .held
        var duration: Int?
        if let d = data.trimmed("duration_minutes") {
            duration = Int(d).flatMap { Rules.durationMinutes.contains($0) ? $0 : nil }
            if duration == nil { form.errors.append(("duration_minutes", l("Vul een aantal minuten in, van 0 tot 1440.", "Enter minutes from 0 to 1440."))) }
        }
        let participants = data.trimmed("participant").map { [$0] } ?? []
        for v in Rules.participants(participants, lead: lead) {
            form.errors.append(("participant", v.detail == "is the lead professional already"
                                ? l("Dit is al wie het contact had.", "This is already the one who held the contact.") : v.detail))
        }
        let id = data.trimmed("contact_id").flatMap { Rules.isID($0) ? $0 : nil } ?? Self.newContactID()
        guard form.errors.isEmpty, let lead, let date, let minutes, let mode else {
            return try clientPage(c, form: form)
        }
        let (instant, text) = LocalTime.instant(date, minuteOfDay: minutes, zone: store.settings.zone)
        let contact = Contact(id: id, clientID: clientID, professionalID: lead, participants: participants, occurredAt: instant,
                              occurredAtText: text, mode: mode, status: status, durationMinutes: duration)
        do {
            _ = try store.createContact(contact, inTeam: client.teamID, scope: c.scope, actor: c.actor)
        } catch StoreError.rejected(let v), StoreError.invalidReference(let v) {
            let field = v.field, detail = v.detail
            let formField = ["occurred_at": "date", "participants": "participant"][field] ?? field
            let message = field == "occurred_at"
                ? l("Deze datum ligt vóór de start van de casus (\(Format(language: l).date(client.openedOn))).",
                    "This date lies before the case opened.") : detail
            form.errors.append((formField, message))
            return try clientPage(c, form: form)
        } catch StoreError.conflict {
            form.errors.append(("professional_id", l("Dit formulier is al eerder verstuurd met andere gegevens. Open de pagina opnieuw.",
                                                     "This form was sent before with other data. Open the page again.")))
            return try clientPage(c, form: form)
        }
        return redirect(Paths.client(client.key) + "&logged=" + id + "#contacts")
    }

    /// A new contact's id, made when the form is shown: sending the same form twice (a double
    /// click, the back button) is then the same create, stored once (SPEC §1 retries).
    static func newContactID() -> String { "contact-" + Base64URL.encode(SecureRandom.bytes(12)) }
}

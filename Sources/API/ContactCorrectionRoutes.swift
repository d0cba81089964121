import Continuity
import HTTP
import JSON
import Store

/// The fields of a contact a create sets and a correction may change (SPEC §1), read from a
/// body by one set of rules: a create needs the lead, the time and the mode; a correction
/// any of them. Absent fields are nil; `duration_minutes: null` is `.some(nil)`.
struct ContactFields {
    var lead: String?
    var participants: [String]?
    var occurred: (instant: Instant, text: String)?
    var mode: ContactMode?
    var status: ContactStatus?
    var duration: Int??

    init(_ f: JSONFields, required: Bool) {
        lead = f.id("professional_id", required: required)
        participants = f.stringArray("participants", required: false, maxCount: Rules.maxParticipants, maxLength: 64)
        // Their form here (ids, at most 20, none twice); whether the lead is among them is a
        // rule across fields, checked with the stored contact by the store (422).
        if let participants { f.check(Rules.participants(participants, lead: nil)) }
        occurred = f.instant("occurred_at", required: required).map { (instant: $0.0, text: $0.1) }
        mode = f.enumeration("mode", ContactMode.self, required: required)
        status = f.enumeration("status", ContactStatus.self, required: false)
        // Optional and nullable: null means "not recorded".
        if f.value("duration_minutes")?.isNull == true {
            duration = .some(nil)
        } else if let minutes = f.int("duration_minutes", required: false, range: Rules.durationMinutes) {
            duration = .some(minutes)
        }
    }
}

extension Contacts {
    /// PATCH /v1/contacts/{id}: merge semantics (absent leaves a field, null clears the
    /// duration); the client is re-evaluated as after a create.
    @Sendable static func correct(_ c: Context) throws -> HTTPResponse {
        let correction: ContactCorrection = try decode(c) { f in
            for key in ["id", "client_id"] where f.has(key) {
                _ = f.value(key)
                f.errors.add(f.pointer(key), "cannot be corrected: delete the contact and log it again")
            }
            let fields = ContactFields(f, required: false)
            guard f.errors.isEmpty else { return nil }
            let correction = ContactCorrection(professionalID: fields.lead, participants: fields.participants,
                                               occurredAt: fields.occurred, mode: fields.mode, status: fields.status,
                                               durationMinutes: fields.duration)
            if correction.isEmpty {
                f.errors.add("", "send at least one of professional_id, participants, occurred_at, mode, status, duration_minutes")
                return nil
            }
            return correction
        }
        return c.json(Encode.contact(try c.store.correctContact(c.param("id"), correction, inTeam: try c.queryID("team_id"), scope: c.scope, actor: c.actor)))
    }

    /// DELETE /v1/contacts/{id}: a contact logged in error; a retry answers 204 again.
    @Sendable static func delete(_ c: Context) throws -> HTTPResponse {
        try c.store.deleteContact(c.param("id"), inTeam: try c.queryID("team_id"), scope: c.scope, actor: c.actor)
        return HTTPResponse(status: 204)
    }
}

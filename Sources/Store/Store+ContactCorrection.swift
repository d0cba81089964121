import Continuity
import Repository
import SQLite

// Corrections of logged contacts (SPEC §1 "contact correction"): PATCH fixes the lead, the
// participants, the time, the mode, the status or the duration; DELETE removes a contact
// logged in error. Both re-evaluate the client as a create does (alerts raised or resolved,
// events written), are audited with the changed fields named (never their values), and are
// safe to retry.

/// What a correction changes; nil leaves a field as stored.
public struct ContactCorrection: Sendable, Equatable {
    public var professionalID: String?
    public var participants: [String]?
    /// The instant and the text as sent (kept to return it unchanged).
    public var occurredAt: (instant: Instant, text: String)?
    public var mode: ContactMode?
    public var status: ContactStatus?
    /// nil: leave; .some(nil): clear ("not recorded"); .some(n): set.
    public var durationMinutes: Int??

    public init(professionalID: String? = nil, participants: [String]? = nil, occurredAt: (instant: Instant, text: String)? = nil,
                mode: ContactMode? = nil, status: ContactStatus? = nil, durationMinutes: Int?? = nil) {
        self.professionalID = professionalID
        self.participants = participants
        self.occurredAt = occurredAt
        self.mode = mode
        self.status = status
        self.durationMinutes = durationMinutes
    }

    public static func == (a: ContactCorrection, b: ContactCorrection) -> Bool {
        a.professionalID == b.professionalID && a.participants == b.participants && a.occurredAt?.text == b.occurredAt?.text
            && a.mode == b.mode && a.status == b.status && a.durationMinutes == b.durationMinutes
    }

    public var isEmpty: Bool { self == ContactCorrection() }

    /// The contact with this correction applied.
    public func applied(to c: Contact) -> Contact {
        var out = c
        if let professionalID { out.professionalID = professionalID }
        if let participants { out.participants = participants }
        if let occurredAt {
            out.occurredAt = occurredAt.instant
            out.occurredAtText = occurredAt.text
        }
        if let mode { out.mode = mode }
        if let status { out.status = status }
        if let durationMinutes { out.durationMinutes = durationMinutes }
        return out
    }

    /// The SPEC §1 names of the fields whose stored values differ between two versions.
    public static func changedFields(_ old: Contact, _ new: Contact) -> [String] {
        [("professional_id", old.professionalID != new.professionalID), ("participants", old.participants != new.participants),
         ("occurred_at", old.occurredAtText != new.occurredAtText || old.occurredAt != new.occurredAt),
         ("mode", old.mode != new.mode), ("status", old.status != new.status),
         ("duration_minutes", old.durationMinutes != new.durationMinutes)]
            .filter(\.1).map(\.0)
    }
}

extension Store {
    /// Applies a correction to a contact of a client the caller may see (404 otherwise) and
    /// returns the contact as stored. Sending the same correction again changes nothing more.
    public func correctContact(_ id: String, _ correction: ContactCorrection, inTeam: String? = nil, scope: Scope,
                               actor: Actor) throws -> Contact {
        let at = now(), today = self.today
        return try database.write { db in
            guard let (team, live, _) = try self.contactID(db, id, scope: scope.narrowed(to: inTeam)), let old = live,
                  let client = try Records.client(db, ClientKey(teamID: team, id: old.clientID)) else { throw StoreError.notFound }
            let new = correction.applied(to: old)
            // The lead and the participants are checked together; when only one of them is sent,
            // a clash with the stored other one is named at the field that was sent.
            if let v = Rules.participants(new.participants, lead: new.professionalID).first {
                if correction.participants == nil {
                    throw StoreError.rejected(field: "professional_id",
                                              detail: "is one of this contact's participants: correct participants in the same request")
                }
                throw StoreError.violated(v)
            }
            try self.checkContactReferences(db, new, client: client, scope: scope)
            let changed = ContactCorrection.changedFields(old, new)
            if !changed.isEmpty {
                try Records.update(db, new, team: team)
                try self.reevaluate(db, client: client.key, asOf: today)
            }
            try Store.audit(db, actor, "contact.correct:" + (changed.isEmpty ? "none" : changed.joined(separator: ",")),
                            client: client.key, at: at)
            return new
        }
    }

    /// Removes a contact logged in error. Its id stays taken (`deleted_contacts`), so a retried
    /// DELETE answers as the first one did and a late retry of its create cannot bring it back.
    public func deleteContact(_ id: String, inTeam: String? = nil, scope: Scope, actor: Actor) throws {
        let at = now(), today = self.today
        try database.write { db in
            guard let (team, live, deletedClient) = try self.contactID(db, id, scope: scope.narrowed(to: inTeam)) else {
                throw StoreError.notFound
            }
            if let c = live {
                let client = ClientKey(teamID: team, id: c.clientID)
                try Records.delete(db, contact: c, team: team)
                try self.reevaluate(db, client: client, asOf: today)
                try Store.audit(db, actor, "contact.delete", client: client, at: at)
                return
            }
            // Already deleted: a retry, answered alike.
            guard let clientID = deletedClient else { throw StoreError.notFound }
            try Store.audit(db, actor, "contact.delete", client: ClientKey(teamID: team, id: clientID), at: at)
        }
    }

    /// The team whose contact `id` names in the caller's scope, and the contact, or the client
    /// of the deleted one; nil if none. In one team: two primary-key seeks, whatever other teams hold. For
    /// a token of every team a deleted id counts as used: an id live in one team and deleted in
    /// another is ambiguous (a retried DELETE must never reach another team's later contact).
    func contactID(_ db: Connection, _ id: String, scope: Scope) throws -> (team: String, contact: Contact?, deletedClient: String?)? {
        let live = try Records.contacts(db, id: id, team: scope.teamID)
        let deleted = try Records.deletedContacts(db, id: id, team: scope.teamID)
        let teams = Set(live.map(\.team)).union(deleted.map(\.team))
        guard try Store.one(Array(teams), "contact", id) != nil, let team = teams.first else { return nil }
        return (team, live.first { $0.team == team }?.contact, deleted.first { $0.team == team }?.clientID)
    }

    /// A create may not reuse the id of a contact deleted in its team (a late retry would undo
    /// the deletion); another team's deleted ids are no concern of this create.
    func refuseDeletedContactID(_ db: Connection, _ c: Contact, team: String) throws {
        guard try !Records.deletedContacts(db, id: c.id, team: team).isEmpty else { return }
        throw StoreError.conflict("a contact with this id was deleted: log it again under a new id")
    }

    /// The lead is not among the participants, the professionals a contact names exist, and it
    /// lies within its client's case (SPEC §1): the checks a create and a correction share.
    func checkContactReferences(_ db: Connection, _ c: Contact, client: Client, scope: Scope) throws {
        if let v = Rules.participants(c.participants, lead: c.professionalID).first { throw StoreError.violated(v) }
        try requireProfessional(db, c.professionalID, field: "professional_id", for: client, scope: scope)
        for (i, p) in c.participants.enumerated() {
            try requireProfessional(db, p, field: "participants/\(i)", for: client, scope: scope)
        }
        if let v = Rules.contactInCase(occurredAt: c.occurredAt, caseOpenedOn: client.openedOn, zone: settings.zone) {
            throw StoreError.violated(v)
        }
    }
}

import Continuity
import Repository
import SQLite

// Creates, updates and lookups of the entities of SPEC §1 (teams, professionals, clients,
// primary assignments, contacts, referrals). Every write re-evaluates the clients it touches
// in the same transaction (SPEC §3) and appends to the audit log (SPEC §4).

extension Store {
    /// Stores `new` unless a record with its id exists: the same body is a safe retry (200),
    /// a different one a conflict (409) (SPEC §1).
    func createOnce<T: Equatable & Sendable>(_ db: Connection, existing: T?, new: T, kind: String,
                                             insert: () throws -> Void) throws -> CreateOutcome<T> {
        if let existing {
            guard existing == new else { throw StoreError.conflict("a \(kind) with this id exists with a different body") }
            return .existing(existing)
        }
        try insert()
        return .created(new)
    }

    /// A team that exists and the caller may see; another team is answered as a missing one.
    func requireTeam(_ db: Connection, _ id: String, field: String = "team_id", scope: Scope = .all) throws {
        guard scope.allows(team: id), try Records.team(db, id) != nil else {
            throw StoreError.invalidReference(field: field, detail: "no team with id '\(id)'")
        }
    }

    /// A professional a record of `client` may name: one of the client's team (SPEC §1; a token
    /// that sees every team, as admins do, may name any). Another team's professional is
    /// answered exactly like an unknown id, after the same one lookup (no existence oracle).
    func requireProfessional(_ db: Connection, _ id: String, field: String, for client: Client, scope: Scope) throws {
        guard let p = try Records.professional(db, id), scope == .all || p.teamID == client.teamID else {
            throw StoreError.invalidReference(field: field, detail: "no professional with id '\(id)'")
        }
    }

    /// A client the caller may see, or an invalid reference (other teams' clients do not exist for them).
    func requireClient(_ db: Connection, _ id: String, scope: Scope, field: String = "client_id") throws -> Client {
        guard let c = try Records.client(db, id), scope.allows(team: c.teamID) else {
            throw StoreError.invalidReference(field: field, detail: "no client with id '\(id)'")
        }
        return c
    }

    /// A create whose id is taken by a record of a client the caller may not see: answer about
    /// the client the caller named (unknown: 422) or else a plain conflict, never naming the
    /// other team's client (SPEC §4: other teams' records do not exist for this token).
    func requireVisibleOwner(_ db: Connection, existingClient: String, requestedClient: String, scope: Scope,
                             kind: String) throws {
        if let owner = try Records.client(db, existingClient), scope.allows(team: owner.teamID) { return }
        _ = try requireClient(db, requestedClient, scope: scope)
        throw StoreError.conflict("a \(kind) with this id exists with a different body")
    }

    /// A client the caller may see, addressed by the URL: 404 otherwise.
    func visibleClient(_ db: Connection, _ id: String, scope: Scope) throws -> Client {
        guard let c = try Records.client(db, id), scope.allows(team: c.teamID) else { throw StoreError.notFound }
        return c
    }

    // MARK: teams

    public func createTeam(_ t: Team, actor: Actor) throws -> CreateOutcome<Team> {
        let at = now()
        return try database.write { db in
            let outcome = try self.createOnce(db, existing: try Records.team(db, t.id), new: t, kind: "team") {
                try Records.insert(db, t)
            }
            try Store.audit(db, actor, "team.create", client: nil, at: at)
            return outcome
        }
    }

    public func teams(after cursor: String?, limit: Int) throws -> Page<Team> {
        try database.read { db in
            let teams = try Records.teams(db, after: cursor ?? "", limit: limit + 1)
            return Store.page(teams, limit: limit) { $0.id }
        }
    }

    static func page<T>(_ items: [T], limit: Int, cursor: (T) -> String) -> Page<T> {
        if items.count > limit {
            let kept = Array(items.prefix(limit))
            return Page(items: kept, nextCursor: cursor(kept[kept.count - 1]))
        }
        return Page(items: items, nextCursor: nil)
    }

    // MARK: professionals

    public func createProfessional(_ p: Professional, actor: Actor) throws -> CreateOutcome<Professional> {
        let at = now()
        return try database.write { db in
            let existing = try Records.professional(db, p.id)
            if existing == nil { try self.requireTeam(db, p.teamID) }
            let outcome = try self.createOnce(db, existing: existing, new: p, kind: "professional") {
                try Records.insert(db, p)
            }
            try Store.audit(db, actor, "professional.create", client: nil, at: at)
            return outcome
        }
    }

    public func professional(_ id: String, scope: Scope) throws -> Professional {
        try database.read { db in
            guard let p = try Records.professional(db, id), scope.allows(team: p.teamID) else { throw StoreError.notFound }
            return p
        }
    }

    /// Sets or clears `ended_on` (SPEC §4) and re-evaluates every client this professional is
    /// or was primary for (`primary_leaving`, `no_primary` depend on it).
    public func updateProfessional(_ id: String, endedOn: LocalDate??, actor: Actor) throws -> Professional {
        let at = now(), today = self.today
        return try database.write { db in
            guard var p = try Records.professional(db, id) else { throw StoreError.notFound }
            if let endedOn {
                if let v = Rules.endedOn(endedOn ?? nil, startedOn: p.startedOn) { throw StoreError.violated(v) }
                p.endedOn = endedOn
                try Records.setEndedOn(db, professional: id, endedOn ?? nil)
            }
            try Store.audit(db, actor, "professional.update", client: nil, at: at)
            for clientID in try Records.clientsAssigned(db, to: id) {
                try self.reevaluate(db, clientID: clientID, asOf: today)
            }
            return p
        }
    }

    // MARK: clients

    /// A worker creates clients of their own team only; other teams do not exist for them.
    public func createClient(_ c: Client, scope: Scope, actor: Actor) throws -> CreateOutcome<Client> {
        let at = now(), today = self.today
        guard scope.allows(team: c.teamID) else { throw StoreError.invalidReference(field: "team_id", detail: "no team with id '\(c.teamID)'") }
        return try database.write { db in
            let existing = try Records.client(db, c.id)
            if existing == nil { try self.requireTeam(db, c.teamID) }
            let outcome = try self.createOnce(db, existing: existing, new: c, kind: "client") {
                try Records.insert(db, c)
                try self.reevaluate(db, clientID: c.id, asOf: today)
            }
            try Store.audit(db, actor, "client.create", client: c.id, at: at)
            return outcome
        }
    }

    public func client(_ id: String, scope: Scope) throws -> (Client, primary: String?) {
        let today = self.today
        return try database.read { db in
            let c = try self.visibleClient(db, id, scope: scope)
            return (c, Store.primary(of: try Records.assignments(db, client: id), asOf: today))
        }
    }

    /// The professional of the latest assignment with from ≤ D (SPEC §2), nil if none or to nobody.
    static func primary(of assignments: [PrimaryAssignment], asOf d: LocalDate) -> String? {
        assignments.filter { $0.from <= d }.max { ($0.from, $0.sequence) < ($1.from, $1.sequence) }?.professionalID
    }

    /// Closes or reopens (`closed_on`) and moves (`team_id`) a client (SPEC §4). Only managers
    /// and admins move clients, and only to a team they may see.
    public func updateClient(_ id: String, closedOn: LocalDate??, teamID: String?, scope: Scope, role: Role,
                             actor: Actor) throws -> (Client, primary: String?) {
        let at = now(), today = self.today
        if teamID != nil, role == .worker { throw StoreError.forbidden("Only managers and admins move clients between teams") }
        if let teamID, !scope.allows(team: teamID) {
            throw StoreError.invalidReference(field: "team_id", detail: "no team with id '\(teamID)'")
        }
        return try database.write { db in
            var c = try self.visibleClient(db, id, scope: scope)
            if let closedOn {
                if let v = Rules.closedOn(closedOn ?? nil, openedOn: c.openedOn) { throw StoreError.violated(v) }
                c.closedOn = closedOn
                try Records.setClosedOn(db, client: id, closedOn ?? nil)
            }
            if let teamID, teamID != c.teamID {
                try self.requireTeam(db, teamID)
                c.teamID = teamID
                // The client's alerts and their history go with them: the old team no longer
                // sees anything of this client (SPEC §4).
                try Records.move(db, client: id, to: teamID)
            }
            try self.reevaluate(db, clientID: id, asOf: today)
            try Store.audit(db, actor, "client.update", client: id, at: at)
            return (c, Store.primary(of: try Records.assignments(db, client: id), asOf: today))
        }
    }

    /// Clients of the caller's scope, optionally of one team, with one active flag, and with one
    /// municipality case number, by id.
    public func clients(scope: Scope, teamID: String?, flag: Flag?, externalRef: String? = nil, after cursor: String?,
                        limit: Int) throws -> Page<(Client, primary: String?)> {
        let today = self.today
        return try database.read { db in
            let clients = try Records.clients(db, team: scope.teamID, teamID: teamID, flag: flag, externalRef: externalRef,
                                              after: cursor ?? "", limit: limit + 1)
            let page = Store.page(clients, limit: limit) { $0.id }
            return Page(items: try page.items.map { ($0, Store.primary(of: try Records.assignments(db, client: $0.id), asOf: today)) },
                        nextCursor: page.nextCursor)
        }
    }

    // MARK: primary assignments

    /// Appends a primary assignment; repeating a stored one exactly is a safe retry.
    public func assignPrimary(_ a: PrimaryAssignment, scope: Scope, actor: Actor) throws -> CreateOutcome<PrimaryAssignment> {
        let at = now(), today = self.today
        return try database.write { db in
            let client = try self.visibleClient(db, a.clientID, scope: scope)
            if let p = a.professionalID { try self.requireProfessional(db, p, field: "professional_id", for: client, scope: scope) }
            // The same (professional, from, reason) again is a retry of a stored fact, even if a
            // correction came in between: appending it would silently undo the correction.
            if let same = try Records.assignments(db, client: a.clientID).first(where: {
                $0.professionalID == a.professionalID && $0.from == a.from && $0.reason == a.reason
            }) {
                return .existing(same)
            }
            var stored = a
            stored.sequence = try Records.insert(db, a)
            try self.reevaluate(db, clientID: a.clientID, asOf: today)
            try Store.audit(db, actor, "primary.assign", client: a.clientID, at: at)
            return .created(stored)
        }
    }

    // MARK: contacts

    public func createContact(_ c: Contact, scope: Scope, actor: Actor) throws -> CreateOutcome<Contact> {
        let at = now(), today = self.today
        return try database.write { db in
            if let existing = try Records.contact(db, c.id) {
                try self.requireVisibleOwner(db, existingClient: existing.clientID, requestedClient: c.clientID,
                                             scope: scope, kind: "contact")
                return try self.createOnce(db, existing: existing, new: c, kind: "contact") {}
            }
            try self.refuseDeletedContactID(db, c, scope: scope)
            let client = try self.requireClient(db, c.clientID, scope: scope)
            try self.checkContactReferences(db, c, client: client, scope: scope)
            try Records.insert(db, c)
            try self.reevaluate(db, clientID: c.clientID, asOf: today)
            try Store.audit(db, actor, "contact.create", client: c.clientID, at: at)
            return .created(c)
        }
    }

    /// A client's contacts in `occurred_at` order (ties by id), keyset-paginated.
    public func contacts(clientID: String, scope: Scope, after cursor: String?, limit: Int) throws -> Page<Contact> {
        let key = cursor.flatMap(ContactCursor.init(text:)) ?? ContactCursor(seconds: Int64.min, nanos: 0, id: "")
        return try database.read { db in
            _ = try self.visibleClient(db, clientID, scope: scope)
            let contacts = try Records.contacts(db, client: clientID, after: (key.seconds, key.nanos, key.id), limit: limit + 1)
            return Store.page(contacts, limit: limit) {
                ContactCursor(seconds: $0.occurredAt.epochSeconds, nanos: $0.occurredAt.nanoseconds, id: $0.id).text
            }
        }
    }

    // MARK: referrals

    public func createReferral(_ r: Referral, scope: Scope, actor: Actor) throws -> CreateOutcome<Referral> {
        let at = now(), today = self.today
        return try database.write { db in
            if let existing = try Records.referral(db, r.id) {
                try self.requireVisibleOwner(db, existingClient: existing.clientID, requestedClient: r.clientID,
                                             scope: scope, kind: "referral")
                return try self.createOnce(db, existing: existing, new: r, kind: "referral") {}
            }
            let client = try self.requireClient(db, r.clientID, scope: scope)
            try self.requireProfessional(db, r.fromProfessionalID, field: "from_professional_id", for: client, scope: scope)
            if let to = r.toProfessionalID { try self.requireProfessional(db, to, field: "to_professional_id", for: client, scope: scope) }
            if let v = Rules.referredOn(r.referredOn, caseOpenedOn: client.openedOn) ?? Rules.statusOn(r.statusOn, referredOn: r.referredOn) {
                throw StoreError.violated(v)
            }
            try Records.insert(db, r)
            try self.reevaluate(db, clientID: r.clientID, asOf: today)
            try Store.audit(db, actor, "referral.create", client: r.clientID, at: at)
            return .created(r)
        }
    }

    /// Changes a referral's status (SPEC §4); `status_on` defaults to today.
    public func updateReferral(_ id: String, status: ReferralStatus, statusOn: LocalDate?, scope: Scope, actor: Actor) throws -> Referral {
        let at = now(), today = self.today
        return try database.write { db in
            guard var r = try Records.referral(db, id, team: scope.teamID) else { throw StoreError.notFound }
            let on = statusOn ?? today
            if let v = Rules.statusOn(on, referredOn: r.referredOn) { throw StoreError.violated(v) }
            r.status = status
            r.statusOn = on
            try Records.setStatus(db, referral: id, status, on: on)
            try self.reevaluate(db, clientID: r.clientID, asOf: today)
            try Store.audit(db, actor, "referral.update", client: r.clientID, at: at)
            return r
        }
    }
}

/// Position in a client's contact list: (occurred_s, occurred_ns, id), as opaque text.
public struct ContactCursor: Sendable {
    var seconds: Int64
    var nanos: Int32
    var id: String

    init(seconds: Int64, nanos: Int32, id: String) { self.seconds = seconds; self.nanos = nanos; self.id = id }

    public init?(text: String) {
        let parts = text.split(separator: "~", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let s = Int64(parts[0]), let n = Int32(parts[1]) else { return nil }
        self.init(seconds: s, nanos: n, id: String(parts[2]))
    }

    public var text: String { "\(seconds)~\(nanos)~\(id)" }
}

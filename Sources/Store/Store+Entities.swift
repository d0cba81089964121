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

    /// The one record an id names in the caller's scope (one team; every team for a token that
    /// sees them all, where an id used by several teams is ambiguous: SPEC §1).
    static func one<T>(_ matches: [T], _ kind: String, _ id: String) throws -> T? {
        guard matches.count < 2 else {
            throw StoreError.ambiguous("'\(id)' is the id of a \(kind) in more than one team; name the team")
        }
        return matches.first
    }

    /// A client the caller may see, or an invalid reference (other teams' clients do not exist
    /// for them: the lookup is in the caller's teams only, one index seek either way).
    func requireClient(_ db: Connection, _ id: String, scope: Scope, field: String = "client_id") throws -> Client {
        guard let c = try Store.one(Records.clients(db, id: id, team: scope.teamID), "client", id) else {
            throw StoreError.invalidReference(field: field, detail: "no client with id '\(id)'")
        }
        return c
    }

    /// A client the caller may see, addressed by the URL: 404 otherwise.
    func visibleClient(_ db: Connection, _ id: String, scope: Scope) throws -> Client {
        guard let c = try Store.one(Records.clients(db, id: id, team: scope.teamID), "client", id) else { throw StoreError.notFound }
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
            for client in try Records.clientsAssigned(db, to: id) {
                try self.reevaluate(db, client: client, asOf: today)
            }
            return p
        }
    }

    // MARK: clients

    /// A worker creates clients of their own team only; other teams do not exist for them. The
    /// id is unique in the client's team: another team's client with the same id is no conflict
    /// (SPEC §1: a create answers as if other teams' records did not exist).
    public func createClient(_ c: Client, scope: Scope, actor: Actor) throws -> CreateOutcome<Client> {
        let at = now(), today = self.today
        guard scope.allows(team: c.teamID) else { throw StoreError.invalidReference(field: "team_id", detail: "no team with id '\(c.teamID)'") }
        return try database.write { db in
            let existing = try Records.client(db, c.key)
            if existing == nil { try self.requireTeam(db, c.teamID) }
            let outcome = try self.createOnce(db, existing: existing, new: c, kind: "client") {
                try Records.insert(db, c)
                try self.reevaluate(db, client: c.key, asOf: today)
            }
            try Store.audit(db, actor, "client.create", client: c.key, at: at)
            return outcome
        }
    }

    public func client(_ id: String, scope: Scope) throws -> (Client, primary: String?) {
        let today = self.today
        return try database.read { db in
            let c = try self.visibleClient(db, id, scope: scope)
            return (c, Store.primary(of: try Records.assignments(db, client: c.key), asOf: today))
        }
    }

    /// The professional of the latest assignment with from ≤ D (SPEC §2), nil if none or to nobody.
    static func primary(of assignments: [PrimaryAssignment], asOf d: LocalDate) -> String? {
        assignments.filter { $0.from <= d }.max { ($0.from, $0.sequence) < ($1.from, $1.sequence) }?.professionalID
    }

    /// Closes or reopens (`closed_on`) and moves (`team_id`) a client (SPEC §4). Only managers
    /// and admins move clients, and only to a team they may see. `inTeam`: the team the id is
    /// looked up in (`?team_id=`); the target team is checked against the caller's whole scope.
    public func updateClient(_ id: String, inTeam: String? = nil, closedOn: LocalDate??, teamID: String?, scope: Scope, role: Role,
                             actor: Actor) throws -> (Client, primary: String?) {
        let at = now(), today = self.today
        if teamID != nil, role == .worker { throw StoreError.forbidden("Only managers and admins move clients between teams") }
        if let teamID, !scope.allows(team: teamID) {
            throw StoreError.invalidReference(field: "team_id", detail: "no team with id '\(teamID)'")
        }
        return try database.write { db in
            var c = try self.visibleClient(db, id, scope: scope.narrowed(to: inTeam))
            if let closedOn {
                if let v = Rules.closedOn(closedOn ?? nil, openedOn: c.openedOn) { throw StoreError.violated(v) }
                c.closedOn = closedOn
                try Records.setClosedOn(db, client: c.key, closedOn ?? nil)
            }
            if let teamID, teamID != c.teamID {
                try self.requireTeam(db, teamID)
                // Ids are unique per team: the client's own and its records' must be free there.
                // Only a caller who sees both teams gets here, so this names nothing hidden.
                let taken = try Records.idsTaken(db, movingClient: c.key, to: teamID)
                if !taken.isEmpty {
                    let list = taken.prefix(10).map { "\($0.kind) '\($0.id)'" }.joined(separator: ", ")
                    throw StoreError.conflict("team '\(teamID)' already uses the id of \(list)\(taken.count > 10 ? " and \(taken.count - 10) more" : "")")
                }
                // The client's records, alerts and their history go with them: the old team no
                // longer sees anything of this client (SPEC §4).
                try Records.move(db, client: c.key, to: teamID)
                c.teamID = teamID
            }
            try self.reevaluate(db, client: c.key, asOf: today)
            try Store.audit(db, actor, "client.update", client: c.key, at: at)
            return (c, Store.primary(of: try Records.assignments(db, client: c.key), asOf: today))
        }
    }

    /// Clients of the caller's scope, optionally of one team, with one active flag, and with one
    /// municipality case number, by id (and team: two teams may use one id).
    public func clients(scope: Scope, teamID: String?, flag: Flag?, externalRef: String? = nil, after cursor: String?,
                        limit: Int) throws -> Page<(Client, primary: String?)> {
        let today = self.today
        return try database.read { db in
            let clients = try Records.clients(db, team: scope.teamID, teamID: teamID, flag: flag, externalRef: externalRef,
                                              after: ClientListCursor(text: cursor).key, limit: limit + 1)
            let page = Store.page(clients, limit: limit) { ClientListCursor(after: $0).text }
            return Page(items: try page.items.map { ($0, Store.primary(of: try Records.assignments(db, client: $0.key), asOf: today)) },
                        nextCursor: page.nextCursor)
        }
    }

    // MARK: primary assignments

    /// Appends a primary assignment; repeating a stored one exactly is a safe retry.
    /// `inTeam` (`?team_id=`) says where the client's id is looked up; the professionals a
    /// record names are checked against the caller's whole scope (an admin may name any).
    public func assignPrimary(_ a: PrimaryAssignment, inTeam: String? = nil, scope: Scope, actor: Actor) throws -> CreateOutcome<PrimaryAssignment> {
        let at = now(), today = self.today
        return try database.write { db in
            let client = try self.visibleClient(db, a.clientID, scope: scope.narrowed(to: inTeam))
            if let p = a.professionalID { try self.requireProfessional(db, p, field: "professional_id", for: client, scope: scope) }
            // The same (professional, from, reason) again is a retry of a stored fact, even if a
            // correction came in between: appending it would silently undo the correction.
            if let same = try Records.assignments(db, client: client.key).first(where: {
                $0.professionalID == a.professionalID && $0.from == a.from && $0.reason == a.reason
            }) {
                return .existing(same)
            }
            var stored = a
            stored.sequence = try Records.insert(db, a, team: client.teamID)
            try self.reevaluate(db, client: client.key, asOf: today)
            try Store.audit(db, actor, "primary.assign", client: client.key, at: at)
            return .created(stored)
        }
    }

    // MARK: contacts

    public func createContact(_ c: Contact, inTeam: String? = nil, scope: Scope, actor: Actor) throws -> CreateOutcome<Contact> {
        let at = now(), today = self.today
        return try database.write { db in
            // The contact's id is unique in its client's team (SPEC §1): the client is found
            // first, in the caller's teams, and only that team's contacts can be a conflict.
            let client = try self.requireClient(db, c.clientID, scope: scope.narrowed(to: inTeam))
            if let existing = try Records.contact(db, team: client.teamID, id: c.id) {
                return try self.createOnce(db, existing: existing, new: c, kind: "contact") {}
            }
            try self.refuseDeletedContactID(db, c, team: client.teamID)
            try self.checkContactReferences(db, c, client: client, scope: scope)
            try Records.insert(db, c, team: client.teamID)
            try self.reevaluate(db, client: client.key, asOf: today)
            try Store.audit(db, actor, "contact.create", client: client.key, at: at)
            return .created(c)
        }
    }

    /// A client's contacts in `occurred_at` order (ties by id), keyset-paginated.
    public func contacts(clientID: String, scope: Scope, after cursor: String?, limit: Int) throws -> Page<Contact> {
        let key = cursor.flatMap(ContactCursor.init(text:)) ?? ContactCursor(seconds: Int64.min, nanos: 0, id: "")
        return try database.read { db in
            let client = try self.visibleClient(db, clientID, scope: scope)
            let contacts = try Records.contacts(db, client: client.key, after: (key.seconds, key.nanos, key.id), limit: limit + 1)
            return Store.page(contacts, limit: limit) {
                ContactCursor(seconds: $0.occurredAt.epochSeconds, nanos: $0.occurredAt.nanoseconds, id: $0.id).text
            }
        }
    }

    // MARK: referrals

    public func createReferral(_ r: Referral, inTeam: String? = nil, scope: Scope, actor: Actor) throws -> CreateOutcome<Referral> {
        let at = now(), today = self.today
        return try database.write { db in
            let client = try self.requireClient(db, r.clientID, scope: scope.narrowed(to: inTeam))
            if let existing = try Records.referral(db, team: client.teamID, id: r.id) {
                return try self.createOnce(db, existing: existing, new: r, kind: "referral") {}
            }
            try self.requireProfessional(db, r.fromProfessionalID, field: "from_professional_id", for: client, scope: scope)
            if let to = r.toProfessionalID { try self.requireProfessional(db, to, field: "to_professional_id", for: client, scope: scope) }
            if let v = Rules.referredOn(r.referredOn, caseOpenedOn: client.openedOn) ?? Rules.statusOn(r.statusOn, referredOn: r.referredOn) {
                throw StoreError.violated(v)
            }
            try Records.insert(db, r, team: client.teamID)
            try self.reevaluate(db, client: client.key, asOf: today)
            try Store.audit(db, actor, "referral.create", client: client.key, at: at)
            return .created(r)
        }
    }

    /// Changes a referral's status (SPEC §4); `status_on` defaults to today.
    public func updateReferral(_ id: String, status: ReferralStatus, statusOn: LocalDate?, scope: Scope, actor: Actor) throws -> Referral {
        let at = now(), today = self.today
        return try database.write { db in
            // One scoped query: another team's referral and an unknown id cost the same.
            guard let (team, found) = try Store.one(Records.referrals(db, id: id, team: scope.teamID), "referral", id) else {
                throw StoreError.notFound
            }
            var r = found
            let on = statusOn ?? today
            if let v = Rules.statusOn(on, referredOn: r.referredOn) { throw StoreError.violated(v) }
            r.status = status
            r.statusOn = on
            try Records.setStatus(db, referral: id, team: team, status, on: on)
            let client = ClientKey(teamID: team, id: r.clientID)
            try self.reevaluate(db, client: client, asOf: today)
            try Store.audit(db, actor, "referral.update", client: client, at: at)
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

/// Position in a list of clients of several teams: (id, team), as opaque text `id~team`
/// (`~` is in neither an id nor a team id). A bare id, as earlier versions gave, starts at that
/// id's first team.
public struct ClientListCursor: Sendable {
    var key: ClientKey

    init(after c: Client) { key = c.key }

    init(text: String?) {
        let parts = (text ?? "").split(separator: "~", maxSplits: 1, omittingEmptySubsequences: false)
        key = ClientKey(teamID: parts.count == 2 ? String(parts[1]) : "", id: String(parts[0]))
    }

    var text: String { key.id + "~" + key.teamID }
}

import Continuity
import Repository
import SQLite

// The reads an app needs besides the records it created (SPEC §4): the team's professionals,
// a client's referrals and primary-assignment history, one contact. Team scope as everywhere:
// another team's record answers exactly as a missing one.

extension Store {
    /// Professionals of the caller's scope by id, optionally of one team and employed on one
    /// date (`started_on` ≤ D and `ended_on` null or ≥ D: the last working day counts).
    public func professionals(scope: Scope, teamID: String?, activeOn: LocalDate?, after cursor: String?,
                              limit: Int) throws -> Page<Professional> {
        try database.read { db in
            let professionals = try Records.professionals(db, team: scope.teamID, teamID: teamID, activeOn: activeOn,
                                                          after: cursor ?? "", limit: limit + 1)
            return Store.page(professionals, limit: limit) { $0.id }
        }
    }

    /// A client's referrals by `referred_on`, ties by id, keyset-paginated.
    public func referrals(clientID: String, scope: Scope, after cursor: ReferralCursor?, limit: Int) throws -> Page<Referral> {
        let key = cursor ?? ReferralCursor(referredOn: "", id: "")
        return try clientPage(clientID, scope: scope, limit: limit, {
            try Records.referrals($0, client: $1, after: (key.referredOn, key.id), limit: limit + 1)
        }) {
            ReferralCursor(referredOn: $0.referredOn.iso, id: $0.id).text
        }
    }

    /// A client's primary assignments in the order they take effect (`from`, then the order
    /// they were made), keyset-paginated.
    public func assignments(clientID: String, scope: Scope, after cursor: AssignmentCursor?, limit: Int) throws
        -> Page<PrimaryAssignment> {
        let key = cursor ?? AssignmentCursor(from: "", sequence: 0)
        return try clientPage(clientID, scope: scope, limit: limit, {
            try Records.assignments($0, client: $1, after: (key.from, key.sequence), limit: limit + 1)
        }) {
            AssignmentCursor(from: $0.from.iso, sequence: $0.sequence).text
        }
    }

    /// One page of a visible client's rows: `fetch` reads one row more than a page, to know
    /// whether another page follows.
    private func clientPage<T>(_ clientID: String, scope: Scope, limit: Int, _ fetch: (Connection, ClientKey) throws -> [T],
                               cursor: (T) -> String) throws -> Page<T> {
        try database.read { db in
            let client = try self.visibleClient(db, clientID, scope: scope)
            return Store.page(try fetch(db, client.key), limit: limit, cursor: cursor)
        }
    }

    /// One contact of a client in the caller's scope (one scoped query), with its client; 404 otherwise.
    public func contact(_ id: String, scope: Scope) throws -> (client: ClientKey, contact: Contact) {
        try database.read { db in
            guard let (team, c) = try Store.one(Records.contacts(db, id: id, team: scope.teamID), "contact", id) else {
                throw StoreError.notFound
            }
            return (ClientKey(teamID: team, id: c.clientID), c)
        }
    }

    /// Records a read of personal data that concerns no single client (the professionals).
    public func auditRead(_ actor: Actor, _ action: String) throws {
        let at = now()
        try database.write { db in try Store.audit(db, actor, action, client: nil, at: at) }
    }
}

/// Position in a client's referral list: (referred_on, id), as opaque text.
public struct ReferralCursor: Sendable {
    var referredOn: String
    var id: String

    init(referredOn: String, id: String) { self.referredOn = referredOn; self.id = id }

    public init?(text: String) {
        let parts = text.split(separator: "~", maxSplits: 1, omittingEmptySubsequences: false)
        // The date is compared as text, so any YYYY-MM-DD shape is a position in the list.
        guard parts.count == 2, parts[0].utf8.count == 10 else { return nil }
        self.init(referredOn: String(parts[0]), id: String(parts[1]))
    }

    public var text: String { "\(referredOn)~\(id)" }
}

/// Position in a client's assignment history: (from, seq), as opaque text.
public struct AssignmentCursor: Sendable {
    var from: String
    var sequence: Int64

    init(from: String, sequence: Int64) { self.from = from; self.sequence = sequence }

    public init?(text: String) {
        let parts = text.split(separator: "~", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 10, let s = Int64(parts[1]) else { return nil }
        self.init(from: String(parts[0]), sequence: s)
    }

    public var text: String { "\(from)~\(sequence)" }
}

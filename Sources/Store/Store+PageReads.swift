import Continuity
import SQLite

// Reads the web pages need that the JSON API did not have yet (SPEC §9): a team, its
// professionals, a client's primary-assignment history and referrals. Team scope as everywhere:
// another team's record answers notFound.

extension Store {
    public func team(_ id: String, scope: Scope) throws -> Team {
        guard scope.allows(team: id) else { throw StoreError.notFound }
        return try database.read { db in
            guard let t = try Records.team(db, id) else { throw StoreError.notFound }
            return t
        }
    }

    /// Every professional of a team, by name (former ones too: the report names them).
    public func professionals(teamID: String, scope: Scope) throws -> [Professional] {
        guard scope.allows(team: teamID) else { throw StoreError.notFound }
        return try database.read { db in
            try db.query("SELECT \(Columns.professional) FROM professionals WHERE team_id = ? ORDER BY name, id",
                         [.text(teamID)]).map(Professional.init(row:))
        }
    }

    /// The client's primary assignments, oldest first.
    public func assignments(clientID: String, scope: Scope) throws -> [PrimaryAssignment] {
        try database.read { db in
            _ = try self.visibleClient(db, clientID, scope: scope)
            return try Records.assignments(db, client: clientID)
        }
    }

    /// The client's referrals, oldest first.
    public func referrals(clientID: String, scope: Scope) throws -> [Referral] {
        try database.read { db in
            _ = try self.visibleClient(db, clientID, scope: scope)
            return try db.query("SELECT \(Columns.referral) FROM referrals WHERE client_id = ? ORDER BY referred_on, id",
                                [.text(clientID)]).map(Referral.init(row:))
        }
    }

    /// Records one page read as the API reads it shows (SPEC §9), in one commit: each action
    /// for the client (or without one, for team-level reads such as a report).
    public func auditRead(_ actor: Actor, actions: [String], client: String?) throws {
        guard !actions.isEmpty else { return }
        let at = now()
        try database.write { db in
            for action in actions { try Store.audit(db, actor, action, client: client, at: at) }
        }
    }
}

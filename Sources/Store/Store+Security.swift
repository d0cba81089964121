import Continuity
import Hashing
import SQLite

public enum Role: String, CaseIterable, Sendable { case worker, manager, exporter, admin }

/// An authenticated token (SPEC §4). `teamID` nil means all teams (managers, exporters, admins).
public struct Principal: Sendable, Equatable {
    public var name: String
    public var role: Role
    public var teamID: String?
    public init(name: String, role: Role, teamID: String?) { self.name = name; self.role = role; self.teamID = teamID }
    public var scope: Scope { teamID.map(Scope.team) ?? .all }
}

public struct TokenInfo: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: Role
    public var teamID: String?
    public var createdAt: String
    public var revokedAt: String?
}

/// Token names appear in the audit log and in security log lines, so they must be printable
/// and must not pass for the service itself.
public enum TokenName {
    /// Names the service writes into the audit log for its own actions.
    public static let reserved: Set<String> = ["cli", "anonymous", "system", "daily-run"]

    /// Why `name` cannot be a token's name, or nil if it can.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty || name.unicodeScalars.count > 64 { return "must be 1–64 characters" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "must not contain control characters"
        }
        if name.first == " " || name.last == " " { return "must not begin or end with a space" }
        if reserved.contains(name.lowercased()) { return "'\(name)' is reserved for the service's own entries in the audit log" }
        return nil
    }
}

extension Store {
    /// Creates a token; returns the secret, shown once. Only its SHA-256 is stored (SPEC §4).
    public func createToken(name: String, role: Role, teamID: String?) throws -> (TokenInfo, secret: String) {
        if let problem = TokenName.problem(name) { throw StoreError.rejected(field: "name", detail: problem) }
        let secret = "ct_" + Base64URL.encode(SecureRandom.bytes(32))
        let id = "tok-" + Base64URL.encode(SecureRandom.bytes(6))
        let at = now().rfc3339UTC
        try database.write { db in
            if let teamID { try self.requireTeam(db, teamID, field: "team") }
            if try db.queryOne("SELECT 1 FROM tokens WHERE name = ?", [.text(name)]) != nil {
                throw StoreError.conflict("a token named '\(name)' exists")
            }
            try db.run("INSERT INTO tokens (id, name, role, team_id, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [.text(id), .text(name), .text(role.rawValue), .optional(teamID),
                        .blob(SHA256.hash(secret)), .text(at)])
        }
        return (TokenInfo(id: id, name: name, role: role, teamID: teamID, createdAt: at, revokedAt: nil), secret)
    }

    public func tokens() throws -> [TokenInfo] {
        try database.read { db in
            try db.fetchAll("tokens", "SELECT id, name, role, team_id, created_at, revoked_at FROM tokens ORDER BY created_at, name") {
                TokenInfo(id: try $0.text("id"), name: try $0.text("name"), role: try $0.enumeration("role", Role.self),
                          teamID: try $0.optionalText("team_id"), createdAt: try $0.text("created_at"),
                          revokedAt: try $0.optionalText("revoked_at"))
            }
        }
    }

    /// Revokes by name or id; false if no such live token.
    public func revokeToken(_ nameOrID: String) throws -> Bool {
        let at = now().rfc3339UTC
        return try database.write { db in
            try db.run("UPDATE tokens SET revoked_at = ? WHERE (name = ?2 OR id = ?2) AND revoked_at IS NULL",
                       [.text(at), .text(nameOrID)])
            return db.changes > 0
        }
    }

    /// The principal of a presented secret, nil if unknown or revoked. The lookup is by hash,
    /// and the stored hash is compared again in constant time.
    public func authenticate(secret: String) throws -> Principal? {
        let hash = SHA256.hash(secret)
        return try database.read { db in
            try db.fetchOne("tokens", key: "name", "SELECT name, role, team_id, hash FROM tokens WHERE hash = ? AND revoked_at IS NULL",
                            [.blob(hash)]) { r -> Principal? in
                guard case .blob(let stored) = try r.value("hash"), constantTimeEquals(stored, hash) else { return nil }
                return Principal(name: try r.text("name"), role: try r.enumeration("role", Role.self), teamID: try r.optionalText("team_id"))
            } ?? nil
        }
    }

    // MARK: erasure and retention (SPEC §4, §5)

    /// Removes a client and everything about them; the audit keeps only that an erasure
    /// happened. Then checkpoints the WAL so no page of theirs stays on disk
    /// (secure_delete zeroes freed content: sqlite.org/pragma.html#pragma_secure_delete).
    public func erase(clientID: String, actor: Actor) throws {
        let at = now()
        let today = self.today
        try database.write { db in
            guard let client = try Records.client(db, clientID) else { throw StoreError.notFound }
            try Store.eraseRows(db, client, on: today)
            try Store.audit(db, actor, "client.erase", client: nil, at: at)
        }
        database.scrubAfterErasure()
    }

    /// Deletes every row about the client and appends its `erased` event, so export consumers
    /// delete what they hold too (SPEC §3; AVG art. 17(2), 19).
    static func eraseRows(_ db: Connection, _ client: Client, on today: LocalDate) throws {
        let v: SQLiteValue = .text(client.id)
        try db.run("DELETE FROM contacts WHERE client_id = ?", [v])
        try db.run("DELETE FROM referrals WHERE client_id = ?", [v])
        try db.run("DELETE FROM primary_assignments WHERE client_id = ?", [v])
        try db.run("DELETE FROM alerts WHERE client_id = ?", [v])
        try db.run("DELETE FROM alert_events WHERE client_id = ?", [v])
        try Store.appendErasedEvent(db, client: client, on: today)
        try db.run("INSERT INTO erasure_in_progress (client_id) VALUES (?)", [v])
        try db.run("DELETE FROM audit WHERE client_id = ?", [v])
        try db.run("DELETE FROM erasure_in_progress WHERE client_id = ?", [v])
        try db.run("DELETE FROM clients WHERE id = ?", [v])
    }

    /// Retention: erases every client closed before D. Returns how many.
    public func purge(closedBefore d: LocalDate, actor: Actor, progress: (Int, Int) -> Void = { _, _ in }) throws -> Int {
        let at = now(), today = self.today
        let ids: [String] = try database.read { db in
            try db.fetchAll("clients", "SELECT id FROM clients WHERE closed_on IS NOT NULL AND closed_on < ? ORDER BY id",
                            [.text(d.iso)]) { try $0.text("id") }
        }
        var i = 0, erased = 0
        while i < ids.count {
            let chunk = Array(ids[i..<min(i + 200, ids.count)])
            erased += try database.write { db in
                // Re-checked inside the write: a case reopened since the list was read stays.
                var n = 0
                for id in chunk {
                    guard let c = try Records.client(db, id), let closed = c.closedOn, closed < d else { continue }
                    try Store.eraseRows(db, c, on: today)
                    n += 1
                }
                if n > 0 { try Store.audit(db, actor, "client.purge:\(n)", client: nil, at: at) }
                return n
            }
            i += 200
            progress(min(i, ids.count), ids.count)
        }
        if erased > 0 { database.scrubAfterErasure() }
        return erased
    }

}

import Continuity
import SQLite

// Tokens, web sessions and erasure (SPEC §4, §9). Secrets are never stored: only their SHA-256.

extension Records {
    public static func tokenExists(_ db: Connection, name: String) throws -> Bool {
        try db.queryOne("SELECT 1 FROM tokens WHERE name = ?", [.text(name)]) != nil
    }

    public static func insertToken(_ db: Connection, _ t: TokenInfo, hash: [UInt8]) throws {
        try db.run("INSERT INTO tokens (id, name, role, team_id, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(t.id), .text(t.name), .text(t.role.rawValue), .optional(t.teamID), .blob(hash), .text(t.createdAt)])
    }

    public static func tokens(_ db: Connection) throws -> [TokenInfo] {
        try db.fetchAll("tokens", "SELECT id, name, role, team_id, created_at, revoked_at FROM tokens ORDER BY created_at, name") {
            TokenInfo(id: try $0.text("id"), name: try $0.text("name"), role: try $0.enumeration("role", Role.self),
                      teamID: try $0.optionalText("team_id"), createdAt: try $0.text("created_at"),
                      revokedAt: try $0.optionalText("revoked_at"))
        }
    }

    /// Revokes a live token by name or id; false if there is none.
    public static func revokeToken(_ db: Connection, _ nameOrID: String, at: Instant) throws -> Bool {
        try db.run("UPDATE tokens SET revoked_at = ? WHERE (name = ?2 OR id = ?2) AND revoked_at IS NULL",
                   [.text(at.rfc3339UTC), .text(nameOrID)])
        return db.changes > 0
    }

    /// The live token with this hash and its stored hash (for the caller's constant-time compare).
    public static func liveToken(_ db: Connection, hash: [UInt8]) throws -> (Principal, storedHash: [UInt8])? {
        try db.fetchOne("tokens", key: "name", "SELECT name, role, team_id, hash FROM tokens WHERE hash = ? AND revoked_at IS NULL",
                        [.blob(hash)]) { r in
            guard case .blob(let stored) = try r.value("hash") else { throw r.error("hash", "does not hold a blob") }
            return (Principal(name: try r.text("name"), role: try r.enumeration("role", Role.self), teamID: try r.optionalText("team_id")),
                    stored)
        }
    }

    // MARK: web sessions

    /// Drops expired sessions, then stores one for the live token named `tokenName`; false if
    /// that token was revoked meanwhile.
    public static func insertSession(_ db: Connection, hash: [UInt8], tokenName: String, createdAt: Instant,
                                     expiresAt seconds: Int64) throws -> Bool {
        try db.run("DELETE FROM web_sessions WHERE expires_s <= ?", [.integer(createdAt.epochSeconds)])
        // By name (unique): the token may have been revoked since it was authenticated.
        try db.run("""
            INSERT INTO web_sessions (id_hash, token_id, created_at, expires_s)
            SELECT ?, id, ?, ? FROM tokens WHERE name = ? AND revoked_at IS NULL
            """, [.blob(hash), .text(createdAt.rfc3339UTC), .integer(seconds), .text(tokenName)])
        return db.changes == 1
    }

    /// The principal of a live, unexpired session with this hash, and the stored hash.
    public static func session(_ db: Connection, hash: [UInt8], now seconds: Int64) throws -> (Principal, storedHash: [UInt8])? {
        try db.fetchOne("web_sessions", key: "name", """
            SELECT t.name, t.role, t.team_id, s.id_hash FROM web_sessions s JOIN tokens t ON t.id = s.token_id
            WHERE s.id_hash = ? AND s.expires_s > ? AND t.revoked_at IS NULL
            """, [.blob(hash), .integer(seconds)]) { r in
            guard case .blob(let stored) = try r.value("id_hash") else { throw r.error("id_hash", "does not hold a blob") }
            return (Principal(name: try r.text("name"), role: try r.enumeration("role", Role.self), teamID: try r.optionalText("team_id")),
                    stored)
        }
    }

    public static func deleteSession(_ db: Connection, hash: [UInt8]) throws {
        try db.run("DELETE FROM web_sessions WHERE id_hash = ?", [.blob(hash)])
    }

    // MARK: erasure

    /// Deletes a client and every row about them; the audit triggers allow deleting a client's
    /// audit rows only while `erasure_in_progress` names them. Then appends the client's
    /// `erased` event, so export consumers delete what they hold too (SPEC §3; AVG art. 17(2), 19).
    public static func eraseRows(_ db: Connection, _ client: Client, on today: LocalDate) throws {
        let v = client.key.values
        try db.run("DELETE FROM contacts WHERE \(Columns.ofClient)", v)
        try db.run("DELETE FROM referrals WHERE \(Columns.ofClient)", v)
        try db.run("DELETE FROM primary_assignments WHERE \(Columns.ofClient)", v)
        try db.run("DELETE FROM alerts WHERE \(Columns.ofClient)", v)
        try db.run("DELETE FROM alert_events WHERE \(Columns.ofClient)", v)
        try appendErasedEvent(db, client: client, on: today)
        try db.run("INSERT INTO erasure_in_progress (team_id, client_id) VALUES (?, ?)", v)
        try db.run("DELETE FROM audit WHERE \(Columns.ofClient)", v)
        try db.run("DELETE FROM erasure_in_progress WHERE \(Columns.ofClient)", v)
        try db.run("DELETE FROM clients WHERE team_id = ? AND id = ?", v)
    }

    /// Clients closed before D, by team and id.
    public static func clientsClosed(_ db: Connection, before d: LocalDate) throws -> [ClientKey] {
        try db.fetchAll("clients", "SELECT team_id, id FROM clients WHERE closed_on IS NOT NULL AND closed_on < ? ORDER BY team_id, id",
                        [.text(d.iso)]) { ClientKey(teamID: try $0.text("team_id"), id: try $0.text("id")) }
    }
}

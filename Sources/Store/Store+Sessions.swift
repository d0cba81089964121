import Continuity
import Hashing
import SQLite

// Web sign-in sessions (SPEC §9): a token pasted once becomes a session; the cookie holds a
// random id, the table only its SHA-256 (migration 0004).

extension Store {
    /// Starts a session for a presented token secret; nil if the token is unknown or revoked.
    /// Returns the session id for the cookie (shown only here) and who it signs in.
    public func createSession(secret: String, hours: Int) throws -> (sessionID: String, principal: Principal)? {
        guard let principal = try authenticate(secret: secret) else { return nil }
        let sessionID = Base64URL.encode(SecureRandom.bytes(32))
        let now = self.now()
        let expires = now.epochSeconds + Int64(max(hours, 1)) * 3600
        let stored: Bool = try database.write { db in
            try db.run("DELETE FROM web_sessions WHERE expires_s <= ?", [.integer(now.epochSeconds)])
            // By name (unique): the token may have been revoked since authenticate read it.
            try db.run("""
                INSERT INTO web_sessions (id_hash, token_id, created_at, expires_s)
                SELECT ?, id, ?, ? FROM tokens WHERE name = ? AND revoked_at IS NULL
                """, [.blob(SHA256.hash(sessionID)), .text(now.rfc3339UTC), .integer(expires), .text(principal.name)])
            return db.changes == 1
        }
        return stored ? (sessionID, principal) : nil
    }

    /// Who a session signs in: nil when it is unknown, expired, or its token was revoked.
    public func sessionPrincipal(sessionID: String) throws -> Principal? {
        let hash = SHA256.hash(sessionID)
        let now = self.now().epochSeconds
        return try database.read { db in
            guard let row = try db.queryOne("""
                SELECT t.name, t.role, t.team_id, s.id_hash FROM web_sessions s JOIN tokens t ON t.id = s.token_id
                WHERE s.id_hash = ? AND s.expires_s > ? AND t.revoked_at IS NULL
                """, [.blob(hash), .integer(now)]),
                  case .blob(let stored) = row[3], constantTimeEquals(stored, hash),
                  let role = Role(rawValue: row.string(1)) else { return nil }
            return Principal(name: row.string(0), role: role, teamID: row.optionalString(2))
        }
    }

    /// Sign-out: the session is gone at once.
    public func endSession(sessionID: String) throws {
        try database.write { db in
            try db.run("DELETE FROM web_sessions WHERE id_hash = ?", [.blob(SHA256.hash(sessionID))])
        }
    }
}

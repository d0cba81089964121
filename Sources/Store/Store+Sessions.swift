import Continuity
import Hashing
import Repository
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
            try Records.insertSession(db, hash: SHA256.hash(sessionID), tokenName: principal.name, createdAt: now, expiresAt: expires)
        }
        return stored ? (sessionID, principal) : nil
    }

    /// Who a session signs in: nil when it is unknown, expired, or its token was revoked.
    public func sessionPrincipal(sessionID: String) throws -> Principal? {
        let hash = SHA256.hash(sessionID)
        let now = self.now().epochSeconds
        return try database.read { db in
            guard let (principal, stored) = try Records.session(db, hash: hash, now: now), constantTimeEquals(stored, hash) else { return nil }
            return principal
        }
    }

    /// Sign-out: the session is gone at once.
    public func endSession(sessionID: String) throws {
        try database.write { db in
            try Records.deleteSession(db, hash: SHA256.hash(sessionID))
        }
    }
}

import Continuity
import Hashing
import Repository
import SQLite

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
        let info = TokenInfo(id: id, name: name, role: role, teamID: teamID, createdAt: now().rfc3339UTC, revokedAt: nil)
        try database.write { db in
            if let teamID { try self.requireTeam(db, teamID, field: "team") }
            if try Records.tokenExists(db, name: name) { throw StoreError.conflict("a token named '\(name)' exists") }
            try Records.insertToken(db, info, hash: SHA256.hash(secret))
        }
        return (info, secret)
    }

    public func tokens() throws -> [TokenInfo] {
        try database.read { db in
            try Records.tokens(db)
        }
    }

    /// Revokes by name or id; false if no such live token.
    public func revokeToken(_ nameOrID: String) throws -> Bool {
        let at = now()
        return try database.write { db in try Records.revokeToken(db, nameOrID, at: at) }
    }

    /// The principal of a presented secret, nil if unknown or revoked. The lookup is by hash,
    /// and the stored hash is compared again in constant time.
    public func authenticate(secret: String) throws -> Principal? {
        let hash = SHA256.hash(secret)
        return try database.read { db in
            guard let (principal, stored) = try Records.liveToken(db, hash: hash), constantTimeEquals(stored, hash) else { return nil }
            return principal
        }
    }

    // MARK: erasure and retention (SPEC §4, §5)

    /// Removes a client and everything about them; the audit keeps only that an erasure
    /// happened. Then checkpoints the WAL so no page of theirs stays on disk
    /// (secure_delete zeroes freed content: sqlite.org/pragma.html#pragma_secure_delete).
    /// `scope`: where the id is looked up (an admin names the team when two teams use the id).
    public func erase(clientID: String, scope: Scope, actor: Actor) throws {
        let at = now(), today = self.today
        try database.write { db in
            let client = try self.visibleClient(db, clientID, scope: scope)
            try Records.eraseRows(db, client, on: today)
            try Store.audit(db, actor, "client.erase", client: nil, at: at)
        }
        database.scrubAfterErasure()
    }

    /// Retention: erases every client closed before D. Returns how many.
    public func purge(closedBefore d: LocalDate, actor: Actor, progress: (Int, Int) -> Void = { _, _ in }) throws -> Int {
        let at = now(), today = self.today
        let ids: [ClientKey] = try database.read { db in
            try Records.clientsClosed(db, before: d)
        }
        var i = 0, erased = 0
        while i < ids.count {
            let chunk = Array(ids[i..<min(i + 200, ids.count)])
            erased += try database.write { db in
                // Re-checked inside the write: a case reopened since the list was read stays.
                var n = 0
                for id in chunk {
                    guard let c = try Records.client(db, id), let closed = c.closedOn, closed < d else { continue }
                    try Records.eraseRows(db, c, on: today)
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

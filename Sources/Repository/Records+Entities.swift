import Continuity
import SQLite

// Lists and updates of the entities of SPEC §1. `team` arguments limit a query to one team
// (nil: every team); scope is decided by the caller, the store.

extension Records {
    /// Teams with id after `cursor`, by id; `limit` rows at most.
    public static func teams(_ db: Connection, after cursor: String, limit: Int) throws -> [Team] {
        try db.fetchAll("teams", "SELECT \(Columns.team) FROM teams WHERE id > ? ORDER BY id LIMIT ?",
                        [.text(cursor), .integer(Int64(limit))], Team.init)
    }

    public static func setEndedOn(_ db: Connection, professional id: String, _ endedOn: LocalDate?) throws {
        try db.run("UPDATE professionals SET ended_on = ? WHERE id = ?", [text(endedOn), .text(id)])
    }

    /// Clients this professional is or was primary for.
    public static func clientsAssigned(_ db: Connection, to professionalID: String) throws -> [String] {
        try db.fetchAll("primary_assignments", key: "client_id",
                        "SELECT DISTINCT client_id FROM primary_assignments WHERE professional_id = ?",
                        [.text(professionalID)]) { try $0.text("client_id") }
    }

    public static func setClosedOn(_ db: Connection, client id: String, _ closedOn: LocalDate?) throws {
        try db.run("UPDATE clients SET closed_on = ? WHERE id = ?", [text(closedOn), .text(id)])
    }

    /// Moves a client, and its alerts and their history with it, to another team.
    public static func move(_ db: Connection, client id: String, to teamID: String) throws {
        try db.run("UPDATE clients SET team_id = ? WHERE id = ?", [.text(teamID), .text(id)])
        try db.run("UPDATE alerts SET team_id = ? WHERE client_id = ?", [.text(teamID), .text(id)])
        try db.run("UPDATE alert_events SET team_id = ? WHERE client_id = ?", [.text(teamID), .text(id)])
    }

    /// Clients with id after `cursor`, of `team` and `teamID` when given, with `flag` active when
    /// given, with this `externalRef` when given; by id.
    public static func clients(_ db: Connection, team: String?, teamID: String?, flag: Flag?, externalRef: String?,
                               after cursor: String, limit: Int) throws -> [Client] {
        try db.fetchAll("clients", """
            SELECT \(Columns.client) FROM clients c
            WHERE c.id > ?1 AND (?2 IS NULL OR c.team_id = ?2) AND (?3 IS NULL OR c.team_id = ?3)
              AND (?4 IS NULL OR EXISTS (SELECT 1 FROM alerts a WHERE a.client_id = c.id AND a.flag = ?4 AND a.resolved_on IS NULL))
              AND (?6 IS NULL OR c.external_ref = ?6)
            ORDER BY c.id LIMIT ?5
            """, [.text(cursor), .optional(team), .optional(teamID), .optional(flag?.rawValue), .integer(Int64(limit)),
                  .optional(externalRef)], Client.init)
    }

    /// A client's contacts after (seconds, nanoseconds, id), in `occurred_at` order.
    public static func contacts(_ db: Connection, client id: String, after key: (seconds: Int64, nanos: Int32, id: String),
                                limit: Int) throws -> [Contact] {
        try db.fetchAll("contacts", """
            SELECT \(Columns.contact) FROM contacts WHERE client_id = ?1
              AND (occurred_s, occurred_ns, id) > (?2, ?3, ?4)
            ORDER BY occurred_s, occurred_ns, id LIMIT ?5
            """, [.text(id), .integer(key.seconds), .integer(Int64(key.nanos)), .text(key.id), .integer(Int64(limit))], Contact.init)
    }

    public static func setStatus(_ db: Connection, referral id: String, _ status: ReferralStatus, on: LocalDate) throws {
        try db.run("UPDATE referrals SET status = ?, status_on = ? WHERE id = ?", [.text(status.rawValue), .text(on.iso), .text(id)])
    }

    /// Professionals with id after `cursor`, of `team` and `teamID` when given, employed on
    /// `activeOn` when given (started_on ≤ D, ended_on null or ≥ D).
    public static func professionals(_ db: Connection, team: String?, teamID: String?, activeOn: LocalDate?,
                                     after cursor: String, limit: Int) throws -> [Professional] {
        try db.fetchAll("professionals", """
            SELECT \(Columns.professional) FROM professionals
            WHERE id > ?1 AND (?2 IS NULL OR team_id = ?2) AND (?3 IS NULL OR team_id = ?3)
              AND (?4 IS NULL OR (started_on <= ?4 AND (ended_on IS NULL OR ended_on >= ?4)))
            ORDER BY id LIMIT ?5
            """, [.text(cursor), .optional(team), .optional(teamID), .optional(activeOn?.iso), .integer(Int64(limit))],
            Professional.init)
    }

    /// A client's referrals after (referred_on, id).
    public static func referrals(_ db: Connection, client id: String, after key: (referredOn: String, id: String),
                                 limit: Int) throws -> [Referral] {
        try db.fetchAll("referrals", """
            SELECT \(Columns.referral) FROM referrals WHERE client_id = ?1 AND (referred_on, id) > (?2, ?3)
            ORDER BY referred_on, id LIMIT ?4
            """, [.text(id), .text(key.referredOn), .text(key.id), .integer(Int64(limit))], Referral.init)
    }

    /// A client's primary assignments after (from, seq), in the order they take effect.
    public static func assignments(_ db: Connection, client id: String, after key: (from: String, sequence: Int64),
                                   limit: Int) throws -> [PrimaryAssignment] {
        try db.fetchAll("primary_assignments", key: "seq", """
            SELECT \(Columns.assignment) FROM primary_assignments WHERE client_id = ?1 AND (from_date, seq) > (?2, ?3)
            ORDER BY from_date, seq LIMIT ?4
            """, [.text(id), .text(key.from), .integer(key.sequence), .integer(Int64(limit))], PrimaryAssignment.init)
    }

    /// Clients of `team` and `teamID` when given that were open at some time from `earliest` to `d`.
    public static func clientsOpen(_ db: Connection, team: String?, teamID: String?, between earliest: LocalDate,
                                   and d: LocalDate) throws -> [Client] {
        try db.fetchAll("clients", """
            SELECT \(Columns.client) FROM clients
            WHERE (?1 IS NULL OR team_id = ?1) AND (?2 IS NULL OR team_id = ?2)
              AND opened_on <= ?3 AND (closed_on IS NULL OR closed_on >= ?4)
            ORDER BY id
            """, [.optional(teamID), .optional(team), .text(d.iso), .text(earliest.iso)], Client.init)
    }

    /// True when no client is stored yet.
    public static func hasNoClients(_ db: Connection) throws -> Bool {
        try db.queryOne("SELECT 1 FROM clients LIMIT 1") == nil
    }

    /// Removes a contact and keeps its id taken (`deleted_contacts`).
    public static func delete(_ db: Connection, contact c: Contact) throws {
        try db.run("DELETE FROM contacts WHERE id = ?", [.text(c.id)])
        try db.run("INSERT OR REPLACE INTO deleted_contacts (id, client_id) VALUES (?, ?)", [.text(c.id), .text(c.clientID)])
    }

    /// The client of a deleted contact's id, nil if the id was never deleted.
    public static func deletedContactClient(_ db: Connection, _ id: String) throws -> String? {
        try db.fetchOne("deleted_contacts", "SELECT id, client_id FROM deleted_contacts WHERE id = ?", [.text(id)]) { try $0.text("client_id") }
    }

    /// Rewrites a contact's correctable columns (SPEC §1); its id and client stay.
    public static func update(_ db: Connection, _ c: Contact) throws {
        try db.run("""
            UPDATE contacts SET professional_id = ?, participants = ?, occurred_s = ?, occurred_ns = ?, occurred_at = ?,
              mode = ?, status = ?, duration_minutes = ? WHERE id = ?
            """, [.text(c.professionalID), .text(c.participants.joined(separator: ",")),
                  .integer(c.occurredAt.epochSeconds), .integer(Int64(c.occurredAt.nanoseconds)), .text(c.occurredAtText),
                  .text(c.mode.rawValue), .text(c.status.rawValue), .int(c.durationMinutes), .text(c.id)])
    }

    // MARK: the audit log

    public static func appendAudit(_ db: Connection, at: Instant, tokenName: String, action: String, clientID: String?,
                                   requestID: String) throws {
        try db.run("INSERT INTO audit (at, token_name, action, client_id, request_id) VALUES (?, ?, ?, ?, ?)",
                   [.text(at.rfc3339UTC), .text(tokenName), .text(action), .optional(clientID), .text(requestID)])
    }

    /// Audit entries after `seq`, of one client when given, in order.
    public static func auditEntries(_ db: Connection, clientID: String?, after seq: Int64, limit: Int) throws -> [AuditEntry] {
        try db.fetchAll("audit", key: "seq", """
            SELECT seq, at, token_name, action, client_id, request_id FROM audit
            WHERE seq > ? AND (?2 IS NULL OR client_id = ?2) ORDER BY seq LIMIT ?
            """, [.integer(seq), .optional(clientID), .integer(Int64(limit))]) {
            AuditEntry(seq: try $0.int64("seq"), at: try $0.text("at"), tokenName: try $0.text("token_name"),
                       action: try $0.text("action"), clientID: try $0.optionalText("client_id"), requestID: try $0.text("request_id"))
        }
    }
}

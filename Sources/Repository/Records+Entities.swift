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
    public static func clientsAssigned(_ db: Connection, to professionalID: String) throws -> [ClientKey] {
        try db.fetchAll("primary_assignments", key: "client_id",
                        "SELECT DISTINCT team_id, client_id FROM primary_assignments WHERE professional_id = ?",
                        [.text(professionalID)]) { ClientKey(teamID: try $0.text("team_id"), id: try $0.text("client_id")) }
    }

    public static func setClosedOn(_ db: Connection, client key: ClientKey, _ closedOn: LocalDate?) throws {
        try db.run("UPDATE clients SET closed_on = ? WHERE team_id = ? AND id = ?", [text(closedOn)] + key.values)
    }

    /// The ids the client's records would take in `teamID` that a record of that team holds
    /// already: the client's own, its contacts' (and deleted contacts') and its referrals'.
    /// Ids are unique per team, so a move needs every one of them free there.
    public static func idsTaken(_ db: Connection, movingClient key: ClientKey, to teamID: String) throws -> [(kind: String, id: String)] {
        try db.fetchAll("clients", key: "id", """
            SELECT 'client' AS kind, id FROM clients WHERE team_id = ?3 AND id = ?2
            UNION ALL SELECT 'contact', k.id FROM contacts k JOIN contacts o ON o.team_id = ?3 AND o.id = k.id
                WHERE k.team_id = ?1 AND k.client_id = ?2
            UNION ALL SELECT 'contact', k.id FROM contacts k JOIN deleted_contacts o ON o.team_id = ?3 AND o.id = k.id
                WHERE k.team_id = ?1 AND k.client_id = ?2
            UNION ALL SELECT 'contact', d.id FROM deleted_contacts d JOIN contacts o ON o.team_id = ?3 AND o.id = d.id
                WHERE d.team_id = ?1 AND d.client_id = ?2
            UNION ALL SELECT 'contact', d.id FROM deleted_contacts d JOIN deleted_contacts o ON o.team_id = ?3 AND o.id = d.id
                WHERE d.team_id = ?1 AND d.client_id = ?2
            UNION ALL SELECT 'referral', r.id FROM referrals r JOIN referrals o ON o.team_id = ?3 AND o.id = r.id
                WHERE r.team_id = ?1 AND r.client_id = ?2
            ORDER BY 1, 2
            """, key.values + [.text(teamID)]) { (try $0.text("kind"), try $0.text("id")) }
    }

    /// Moves a client, and every record of theirs with it, to another team: contacts,
    /// referrals, assignments, alerts, first faces and deleted contact ids by their foreign keys
    /// (ON UPDATE CASCADE), the event history and the audit here. The caller checked
    /// `idsTaken` first.
    public static func move(_ db: Connection, client key: ClientKey, to teamID: String) throws {
        let to: SQLiteValue = .text(teamID)
        try db.run("UPDATE clients SET team_id = ? WHERE team_id = ? AND id = ?", [to] + key.values)
        // Not an `erased` event of an earlier client that had this id in this team: that one
        // tells this team's consumers to delete what they hold, and stays this team's.
        try db.run("UPDATE alert_events SET team_id = ? WHERE \(Columns.ofClient) AND event <> 'erased'", [to] + key.values)
        // The audit is append-only; a move may relabel its client's rows only while it names
        // the client in move_in_progress (migration 0007).
        try db.run("INSERT INTO move_in_progress (team_id, client_id, to_team_id) VALUES (?, ?, ?)", key.values + [to])
        try db.run("UPDATE audit SET team_id = ? WHERE \(Columns.ofClient)", [to] + key.values)
        try db.run("DELETE FROM move_in_progress WHERE team_id = ? AND client_id = ?", key.values)
    }

    /// Clients after `cursor` in (id, team) order, of `team` and `teamID` when given, with `flag`
    /// active when given, with this `externalRef` when given. One team's are a range of the
    /// primary key (team_id, id), sought rather than filtered out of every team's.
    public static func clients(_ db: Connection, team: String?, teamID: String?, flag: Flag?, externalRef: String?,
                               after cursor: ClientKey, limit: Int) throws -> [Client] {
        if let team, let teamID, team != teamID { return [] }
        let one = team ?? teamID
        // A case number is looked up in its index (migration 0006), whatever the team.
        let where_ = (externalRef == nil ? "" : "c.external_ref = ?5 AND ") + (one == nil ? "" : "c.team_id = ?2 AND ")
        return try db.fetchAll("clients", """
            SELECT \(Columns.client) FROM clients c
            WHERE \(where_)c.id >= ?1 AND (c.id, c.team_id) > (?1, ?6)
              AND (?3 IS NULL OR EXISTS (SELECT 1 FROM alerts a WHERE a.team_id = c.team_id AND a.client_id = c.id AND a.flag = ?3
                                         AND a.resolved_on IS NULL))
              AND (?5 IS NULL OR c.external_ref = ?5)
            ORDER BY c.id, c.team_id LIMIT ?4
            """, [.text(cursor.id), .optional(one), .optional(flag?.rawValue), .integer(Int64(limit)),
                  .optional(externalRef), .text(cursor.teamID)], Client.init)
    }

    /// A client's contacts after (seconds, nanoseconds, id), in `occurred_at` order.
    public static func contacts(_ db: Connection, client: ClientKey, after key: (seconds: Int64, nanos: Int32, id: String),
                                limit: Int) throws -> [Contact] {
        try db.fetchAll("contacts", """
            SELECT \(Columns.contact) FROM contacts WHERE team_id = ?6 AND client_id = ?1
              AND (occurred_s, occurred_ns, id) > (?2, ?3, ?4)
            ORDER BY occurred_s, occurred_ns, id LIMIT ?5
            """, [.text(client.id), .integer(key.seconds), .integer(Int64(key.nanos)), .text(key.id), .integer(Int64(limit)),
                  .text(client.teamID)], Contact.init)
    }

    public static func setStatus(_ db: Connection, referral id: String, team: String, _ status: ReferralStatus, on: LocalDate) throws {
        try db.run("UPDATE referrals SET status = ?, status_on = ? WHERE team_id = ? AND id = ?",
                   [.text(status.rawValue), .text(on.iso), .text(team), .text(id)])
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
    public static func referrals(_ db: Connection, client: ClientKey, after key: (referredOn: String, id: String),
                                 limit: Int) throws -> [Referral] {
        try db.fetchAll("referrals", """
            SELECT \(Columns.referral) FROM referrals WHERE team_id = ?5 AND client_id = ?1 AND (referred_on, id) > (?2, ?3)
            ORDER BY referred_on, id LIMIT ?4
            """, [.text(client.id), .text(key.referredOn), .text(key.id), .integer(Int64(limit)), .text(client.teamID)], Referral.init)
    }

    /// A client's primary assignments after (from, seq), in the order they take effect.
    public static func assignments(_ db: Connection, client: ClientKey, after key: (from: String, sequence: Int64),
                                   limit: Int) throws -> [PrimaryAssignment] {
        try db.fetchAll("primary_assignments", key: "seq", """
            SELECT \(Columns.assignment) FROM primary_assignments WHERE team_id = ?5 AND client_id = ?1 AND (from_date, seq) > (?2, ?3)
            ORDER BY from_date, seq LIMIT ?4
            """, [.text(client.id), .text(key.from), .integer(key.sequence), .integer(Int64(limit)), .text(client.teamID)],
            PrimaryAssignment.init)
    }

    /// Clients of `team` and `teamID` when given that were open at some time from `earliest` to `d`.
    /// One team's clients are a range of the primary key (team_id, id): sought, not scanned.
    public static func clientsOpen(_ db: Connection, team: String?, teamID: String?, between earliest: LocalDate,
                                   and d: LocalDate) throws -> [Client] {
        let open = "opened_on <= ?1 AND (closed_on IS NULL OR closed_on >= ?2)"
        let dates: [SQLiteValue] = [.text(d.iso), .text(earliest.iso)]
        switch (team, teamID) {
        case (nil, nil):
            return try db.fetchAll("clients", "SELECT \(Columns.client) FROM clients WHERE \(open) ORDER BY id, team_id", dates, Client.init)
        case (let a?, let b?) where a != b:
            return []
        case (let one?, _), (nil, let one?):
            return try db.fetchAll("clients", "SELECT \(Columns.client) FROM clients WHERE team_id = ?3 AND \(open) ORDER BY id",
                                   dates + [.text(one)], Client.init)
        }
    }

    /// True when no client is stored yet.
    public static func hasNoClients(_ db: Connection) throws -> Bool {
        try db.queryOne("SELECT 1 FROM clients LIMIT 1") == nil
    }

    /// Removes a contact of a client of `team` and keeps its id taken there (`deleted_contacts`).
    public static func delete(_ db: Connection, contact c: Contact, team: String) throws {
        try db.run("DELETE FROM contacts WHERE team_id = ? AND id = ?", [.text(team), .text(c.id)])
        try db.run("INSERT OR REPLACE INTO deleted_contacts (team_id, id, client_id) VALUES (?, ?, ?)",
                   [.text(team), .text(c.id), .text(c.clientID)])
    }

    /// Rewrites a contact's correctable columns (SPEC §1); its id and client stay.
    public static func update(_ db: Connection, _ c: Contact, team: String) throws {
        try db.run("""
            UPDATE contacts SET professional_id = ?, participants = ?, occurred_s = ?, occurred_ns = ?, occurred_at = ?,
              mode = ?, status = ?, duration_minutes = ? WHERE team_id = ? AND id = ?
            """, [.text(c.professionalID), .text(c.participants.joined(separator: ",")),
                  .integer(c.occurredAt.epochSeconds), .integer(Int64(c.occurredAt.nanoseconds)), .text(c.occurredAtText),
                  .text(c.mode.rawValue), .text(c.status.rawValue), .int(c.durationMinutes), .text(team), .text(c.id)])
    }

    // MARK: the audit log

    public static func appendAudit(_ db: Connection, at: Instant, tokenName: String, action: String, client: ClientKey?,
                                   requestID: String) throws {
        try db.run("INSERT INTO audit (at, token_name, action, team_id, client_id, request_id) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(at.rfc3339UTC), .text(tokenName), .text(action), .optional(client?.teamID), .optional(client?.id),
                    .text(requestID)])
    }

    /// Audit entries after `seq`, of clients with this id when given, of this team's client when
    /// `teamID` is given too, in order.
    public static func auditEntries(_ db: Connection, clientID: String?, teamID: String?, after seq: Int64,
                                    limit: Int) throws -> [AuditEntry] {
        try db.fetchAll("audit", key: "seq", """
            SELECT seq, at, token_name, action, team_id, client_id, request_id FROM audit
            WHERE seq > ?1 AND (?2 IS NULL OR client_id = ?2) AND (?4 IS NULL OR team_id = ?4) ORDER BY seq LIMIT ?3
            """, [.integer(seq), .optional(clientID), .integer(Int64(limit)), .optional(teamID)]) {
            AuditEntry(seq: try $0.int64("seq"), at: try $0.text("at"), tokenName: try $0.text("token_name"),
                       action: try $0.text("action"), teamID: try $0.optionalText("team_id"),
                       clientID: try $0.optionalText("client_id"), requestID: try $0.text("request_id"))
        }
    }
}

import Continuity
import SQLite

// Alerts, their event stream, evaluation runs and export cursors (SPEC §3, §5).

extension Records {
    public static func openAlerts(_ db: Connection, client key: ClientKey) throws -> [Alert] {
        try db.fetchAll("alerts", "SELECT \(Columns.alert) FROM alerts WHERE \(Columns.ofClient) AND resolved_on IS NULL",
                        key.values, Alert.init)
    }

    /// A new open alert and its "raised" event; the alert's id is `al-<seq of the event>`.
    public static func raise(_ db: Connection, _ flag: Flag, client: Client, on d: LocalDate, evidence: String) throws {
        let seq = try appendEvent(db, "raised", alertID: nil, client: client, flag: flag, on: d, evidence: evidence)
        let id = "al-\(seq)"
        try db.run("UPDATE alert_events SET alert_id = ? WHERE seq = ?", [.text(id), .integer(seq)])
        try db.run("""
            INSERT INTO alerts (id, seq, client_id, team_id, flag, raised_on, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(id), .integer(seq), .text(client.id), .text(client.teamID), .text(flag.rawValue),
                  .text(d.iso), .text(evidence)])
    }

    /// Resolves an open alert with a "resolved" event.
    public static func resolve(_ db: Connection, _ alert: Alert, client: Client, on d: LocalDate, evidence: String) throws {
        let seq = try appendEvent(db, "resolved", alertID: alert.id, client: client, flag: alert.flag, on: d, evidence: evidence)
        try db.run("UPDATE alerts SET resolved_on = ?, seq = ? WHERE id = ?", [.text(d.iso), .integer(seq), .text(alert.id)])
    }

    static func appendEvent(_ db: Connection, _ event: String, alertID: String?, client: Client, flag: Flag,
                            on d: LocalDate, evidence: String) throws -> Int64 {
        try db.run("""
            INSERT INTO alert_events (event, alert_id, client_id, team_id, flag, on_date, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(event), .text(alertID ?? ""), .text(client.id), .text(client.teamID), .text(flag.rawValue),
                  .text(d.iso), .text(evidence)])
        return db.lastInsertRowID
    }

    /// Clients open after D, and every client with an open alert, by team and id.
    public static func clientsToEvaluate(_ db: Connection, asOf d: LocalDate) throws -> [ClientKey] {
        try db.fetchAll("clients", """
            SELECT team_id, id FROM clients WHERE closed_on IS NULL OR closed_on > ?1
            UNION SELECT team_id, client_id FROM alerts WHERE resolved_on IS NULL
            ORDER BY 1, 2
            """, [.text(d.iso)]) { ClientKey(teamID: try $0.text("team_id"), id: try $0.text("id")) }
    }

    public static func recordEvaluationRun(_ db: Connection, asOf d: LocalDate, finishedAt: Instant, clients: Int, events: Int,
                                           failures: Int) throws {
        try db.run("INSERT INTO evaluation_runs (as_of, finished_at, clients, events, failures) VALUES (?, ?, ?, ?, ?)",
                   [.text(d.iso), .text(finishedAt.rfc3339UTC), .integer(Int64(clients)), .integer(Int64(events)),
                    .integer(Int64(failures))])
    }

    public static func lastEvaluation(_ db: Connection) throws -> LocalDate? {
        try db.fetchOne("evaluation_runs", key: "as_of", "SELECT MAX(as_of) AS as_of FROM evaluation_runs") {
            try $0.optionalDate("as_of")
        } ?? nil
    }

    public static func openAlertCount(_ db: Connection) throws -> Int {
        try db.fetchOne("alerts", key: "n", "SELECT COUNT(*) AS n FROM alerts WHERE resolved_on IS NULL") { try $0.int("n") } ?? 0
    }

    public static func lastEventSeq(_ db: Connection) throws -> Int64 {
        try db.fetchOne("alert_events", key: "seq", "SELECT COALESCE(MAX(seq), 0) AS seq FROM alert_events") { try $0.int64("seq") } ?? 0
    }

    /// Alerts after rowid `cursor`, of `team` and `teamID` when given, by status; with their rowids.
    public static func alerts(_ db: Connection, team: String?, teamID: String?, status: AlertStatusFilter, after cursor: Int64,
                              limit: Int) throws -> [(rowid: Int64, alert: Alert)] {
        try db.fetchAll("alerts", """
            SELECT rowid AS alert_rowid, \(Columns.alert) FROM alerts
            WHERE rowid > ?1 AND (?2 IS NULL OR team_id = ?2) AND (?3 IS NULL OR team_id = ?3)
              AND (?4 = 'all' OR (?4 = 'open' AND resolved_on IS NULL) OR (?4 = 'resolved' AND resolved_on IS NOT NULL))
            ORDER BY rowid LIMIT ?5
            """, [.integer(cursor), .optional(team), .optional(teamID), .text(status.rawValue), .integer(Int64(limit))]) {
            (rowid: try $0.int64("alert_rowid"), alert: try Alert($0))
        }
    }

    public static func acknowledge(_ db: Connection, alert id: String, by tokenName: String, note: String) throws {
        try db.run("UPDATE alerts SET acknowledged_by = ?, acknowledged_note = ? WHERE id = ?", [.text(tokenName), .text(note), .text(id)])
    }

    /// Events after `seq`, of `team` when given, in seq order.
    public static func alertEvents(_ db: Connection, team: String?, after seq: Int64, limit: Int) throws -> [AlertEvent] {
        try db.fetchAll("alert_events", key: "seq", """
            SELECT seq, event, alert_id, client_id, team_id, flag, on_date, evidence FROM alert_events
            WHERE seq > ?1 AND (?2 IS NULL OR team_id = ?2) ORDER BY seq LIMIT ?3
            """, [.integer(seq), .optional(team), .integer(Int64(limit))]) {
            AlertEvent(seq: try $0.int64("seq"), event: try $0.text("event"), alertID: try $0.optionalText("alert_id"),
                       clientID: try $0.text("client_id"), teamID: try $0.text("team_id"), flag: try $0.optionalText("flag"),
                       on: try $0.date("on_date"), evidence: try $0.optionalText("evidence"))
        }
    }

    /// Appends the `erased` event of a client whose events were just deleted (SPEC §3).
    public static func appendErasedEvent(_ db: Connection, client: Client, on d: LocalDate) throws {
        try db.run("INSERT INTO alert_events (event, client_id, team_id, on_date) VALUES ('erased', ?, ?, ?)",
                   [.text(client.id), .text(client.teamID), .text(d.iso)])
    }

    /// Removes the `erased` events every registered export consumer has passed (a pending
    /// export has not passed what it holds: its file may still be lost), and those dated before
    /// `cutoff`. Returns how many went.
    public static func pruneErasedEvents(_ db: Connection, before cutoff: LocalDate) throws -> Int {
        try db.run("""
            DELETE FROM alert_events WHERE event = 'erased' AND (on_date < ?1
               OR seq <= (SELECT MIN(COALESCE(pending_from, last_seq)) FROM export_cursors))
            """, [.text(cutoff.iso)])
        return db.changes
    }

    // MARK: export cursors

    public static func exportState(_ db: Connection, consumer: String) throws -> ExportState? {
        try db.fetchOne("export_cursors", key: "consumer",
                        "SELECT consumer, last_seq, pending_from, pending_tmp, pending_out FROM export_cursors WHERE consumer = ?",
                        [.text(consumer)]) {
            ExportState(lastSeq: try $0.int64("last_seq"), pendingFrom: try $0.optionalInt64("pending_from"),
                        pendingTmp: try $0.optionalText("pending_tmp"), pendingOut: try $0.optionalText("pending_out"))
        }
    }

    /// Moves the cursor to `to`, remembering `from` and the files of the pending export.
    public static func setPendingExport(_ db: Connection, consumer: String, from: Int64, to: Int64, tmp: String, out: String) throws {
        try db.run("""
            INSERT INTO export_cursors (consumer, last_seq, pending_from, pending_tmp, pending_out) VALUES (?1, ?2, ?5, ?3, ?4)
            ON CONFLICT(consumer) DO UPDATE SET last_seq = ?2, pending_from = ?5, pending_tmp = ?3, pending_out = ?4
            """, [.text(consumer), .integer(to), .text(tmp), .text(out), .integer(from)])
    }

    public static func clearPendingExport(_ db: Connection, consumer: String) throws {
        try db.run("UPDATE export_cursors SET pending_from = NULL, pending_tmp = NULL, pending_out = NULL WHERE consumer = ?",
                   [.text(consumer)])
    }

    /// The cursor goes back to where the pending export started.
    public static func rewindPendingExport(_ db: Connection, consumer: String) throws {
        try db.run("""
            UPDATE export_cursors SET last_seq = pending_from, pending_from = NULL, pending_tmp = NULL, pending_out = NULL
            WHERE consumer = ? AND pending_from IS NOT NULL
            """, [.text(consumer)])
    }
}

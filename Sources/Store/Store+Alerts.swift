import Continuity
import SQLite

/// One raise or resolve, or an erasure (SPEC §3), in `seq` order. An `erased` event has no
/// alert, flag or evidence: it tells consumers to delete what they hold about the client.
public struct AlertEvent: Sendable, Equatable {
    public var seq: Int64
    public var event: String      // "raised" | "resolved" | "erased"
    public var alertID: String?
    public var clientID: String
    public var teamID: String
    public var flag: String?
    public var on: LocalDate
    public var evidence: String?
}

public enum AlertStatusFilter: String, CaseIterable, Sendable { case open, resolved, all }

extension Store {
    /// Re-evaluates one client's flags as of D and raises/resolves alerts to match (SPEC §3:
    /// one open alert per client and flag; every change is an event with a new seq).
    /// Runs inside the caller's write transaction.
    ///
    /// An alert keeps the evidence of its raise: it is the sentence its `raised` event carried
    /// and the one a manager acknowledged, so it is never rewritten while the alert is open,
    /// and its `resolved` event repeats it. What holds today (days counted on, another face) is
    /// in the continuity answer's `flags`.
    func reevaluate(_ db: Connection, clientID: String, asOf d: LocalDate) throws {
        guard let client = try Records.client(db, clientID) else { return }
        var prepared: PreparedHistory?
        var active: [Flag] = []
        if client.closedOn.map({ $0 > d }) ?? true {
            let p = PreparedHistory(try Records.history(db, client: client), settings: settings)
            active = p.activeFlags(asOf: d, thresholds: thresholds)
            prepared = p
        }
        let open = try db.fetchAll("alerts", "SELECT \(Columns.alert) FROM alerts WHERE client_id = ? AND resolved_on IS NULL",
                                   [.text(clientID)], Alert.init)
        for flag in active where !open.contains(where: { $0.flag == flag }) {
            guard let prepared else { break }
            let evidence = prepared.evidence(of: flag, asOf: d, thresholds: thresholds,
                                             pool: try poolIfNeeded(db, prepared, asOf: d)) ?? ""
            let seq = try Store.appendEvent(db, "raised", alertID: nil, client: client, flag: flag, on: d, evidence: evidence)
            let id = "al-\(seq)"
            try db.run("UPDATE alert_events SET alert_id = ? WHERE seq = ?", [.text(id), .integer(seq)])
            try db.run("""
                INSERT INTO alerts (id, seq, client_id, team_id, flag, raised_on, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(id), .integer(seq), .text(client.id), .text(client.teamID), .text(flag.rawValue),
                      .text(d.iso), .text(evidence)])
        }
        for alert in open where !active.contains(alert.flag) {
            let seq = try Store.appendEvent(db, "resolved", alertID: alert.id, client: client, flag: alert.flag, on: d,
                                            evidence: alert.evidence)
            try db.run("UPDATE alerts SET resolved_on = ?, seq = ? WHERE id = ?", [.text(d.iso), .integer(seq), .text(alert.id)])
        }
    }

    static func appendEvent(_ db: Connection, _ event: String, alertID: String?, client: Client, flag: Flag,
                            on d: LocalDate, evidence: String) throws -> Int64 {
        try db.run("""
            INSERT INTO alert_events (event, alert_id, client_id, team_id, flag, on_date, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(event), .text(alertID ?? ""), .text(client.id), .text(client.teamID), .text(flag.rawValue),
                  .text(d.iso), .text(evidence)])
        return db.lastInsertRowID
    }

    /// Re-evaluates every open client, and every client that still has an open alert, as of D
    /// (the daily run and `continuity evaluate`). Commits in batches so writers are not held
    /// up; a batch that fails is retried client by client, so one bad record cannot stop the
    /// rest. Records the run. Returns (clients evaluated, events written, clients that failed).
    @discardableResult
    public func evaluateAll(asOf d: LocalDate, batchSize: Int = 500,
                            progress: (Int, Int) -> Void = { _, _ in }) throws -> (clients: Int, events: Int, failures: Int) {
        let ids: [String] = try database.read { db in
            try db.fetchAll("clients", """
                SELECT id FROM clients WHERE closed_on IS NULL OR closed_on > ?1
                UNION SELECT client_id FROM alerts WHERE resolved_on IS NULL
                ORDER BY 1
                """, [.text(d.iso)]) { try $0.text("id") }
        }
        let before = try lastEventSeq()
        var failures = 0
        var i = 0
        while i < ids.count {
            let chunk = Array(ids[i..<min(i + batchSize, ids.count)])
            do {
                try database.write { db in
                    for id in chunk { try self.reevaluate(db, clientID: id, asOf: d) }
                }
            } catch {
                for id in chunk {
                    do { try database.write { db in try self.reevaluate(db, clientID: id, asOf: d) } } catch { failures += 1 }
                }
            }
            i += batchSize
            progress(min(i, ids.count), ids.count)
        }
        let events = Int(try lastEventSeq() - before)
        let at = now()
        let pruned = try database.write { db in
            let pruned = try Store.pruneErasedEvents(db, today: d)
            try db.run("INSERT INTO evaluation_runs (as_of, finished_at, clients, events, failures) VALUES (?, ?, ?, ?, ?)",
                       [.text(d.iso), .text(at.rfc3339UTC), .integer(Int64(ids.count)), .integer(Int64(events)),
                        .integer(Int64(failures))])
            return pruned
        }
        if pruned > 0 { database.scrubAfterErasure() }
        return (ids.count, events, failures)
    }

    /// The latest date every open client was re-evaluated for, if ever.
    public func lastEvaluation() throws -> LocalDate? {
        try database.read { db in
            try db.fetchOne("evaluation_runs", key: "as_of", "SELECT MAX(as_of) AS as_of FROM evaluation_runs") {
                try $0.optionalDate("as_of")
            } ?? nil
        }
    }

    /// Alerts not yet resolved, all teams (the `/metrics` gauge).
    public func openAlertCount() throws -> Int {
        try database.read { db in
            try db.fetchOne("alerts", key: "n", "SELECT COUNT(*) AS n FROM alerts WHERE resolved_on IS NULL") { try $0.int("n") } ?? 0
        }
    }

    public func lastEventSeq() throws -> Int64 {
        try database.read { db in
            try db.fetchOne("alert_events", key: "seq", "SELECT COALESCE(MAX(seq), 0) AS seq FROM alert_events") { try $0.int64("seq") } ?? 0
        }
    }

    public func alerts(scope: Scope, teamID: String?, status: AlertStatusFilter, after cursor: Int64?, limit: Int) throws -> Page<Alert> {
        try database.read { db in
            let pairs = try db.fetchAll("alerts", """
                SELECT rowid AS alert_rowid, \(Columns.alert) FROM alerts
                WHERE rowid > ?1 AND (?2 IS NULL OR team_id = ?2) AND (?3 IS NULL OR team_id = ?3)
                  AND (?4 = 'all' OR (?4 = 'open' AND resolved_on IS NULL) OR (?4 = 'resolved' AND resolved_on IS NOT NULL))
                ORDER BY rowid LIMIT ?5
                """, [.integer(cursor ?? 0), scope.teamFilter, .optional(teamID), .text(status.rawValue), .integer(Int64(limit + 1))]) {
                (rowid: try $0.int64("alert_rowid"), alert: try Alert($0))
            }
            let page = Store.page(pairs, limit: limit) { String($0.rowid) }
            return Page(items: page.items.map(\.alert), nextCursor: page.nextCursor)
        }
    }

    /// Records who acknowledged an alert and their note (SPEC §4).
    public func acknowledge(alertID: String, note: String, scope: Scope, actor: Actor) throws -> Alert {
        let at = now()
        return try database.write { db in
            guard var alert = try Records.alert(db, alertID), scope.allows(team: alert.teamID) else { throw StoreError.notFound }
            alert.acknowledgedBy = actor.tokenName
            alert.acknowledgedNote = note
            try db.run("UPDATE alerts SET acknowledged_by = ?, acknowledged_note = ? WHERE id = ?",
                       [.text(actor.tokenName), .text(note), .text(alertID)])
            try Store.audit(db, actor, "alert.ack", client: alert.clientID, at: at)
            return alert
        }
    }

    public func alertEvents(scope: Scope, after: Int64, limit: Int) throws -> [AlertEvent] {
        try database.read { db in try Store.alertEvents(db, scope: scope, after: after, limit: limit) }
    }

    static func alertEvents(_ db: Connection, scope: Scope, after: Int64, limit: Int) throws -> [AlertEvent] {
        try db.fetchAll("alert_events", key: "seq", """
            SELECT seq, event, alert_id, client_id, team_id, flag, on_date, evidence FROM alert_events
            WHERE seq > ?1 AND (?2 IS NULL OR team_id = ?2) ORDER BY seq LIMIT ?3
            """, [.integer(after), scope.teamFilter, .integer(Int64(limit))]) {
            AlertEvent(seq: try $0.int64("seq"), event: try $0.text("event"), alertID: try $0.optionalText("alert_id"),
                       clientID: try $0.text("client_id"), teamID: try $0.text("team_id"), flag: try $0.optionalText("flag"),
                       on: try $0.date("on_date"), evidence: try $0.optionalText("evidence"))
        }
    }

    // MARK: export cursors (continuity export-alerts)

    public struct ExportState: Sendable, Equatable {
        public var lastSeq: Int64
        /// Where the cursor stood before the pending export.
        public var pendingFrom: Int64?
        /// A finished temporary file waiting to be renamed to `pendingOut` (a run was killed).
        public var pendingTmp: String?
        public var pendingOut: String?
    }

    public func exportState(consumer: String) throws -> ExportState {
        try database.read { db in
            try db.fetchOne("export_cursors", key: "consumer",
                            "SELECT consumer, last_seq, pending_from, pending_tmp, pending_out FROM export_cursors WHERE consumer = ?",
                            [.text(consumer)]) {
                ExportState(lastSeq: try $0.int64("last_seq"), pendingFrom: try $0.optionalInt64("pending_from"),
                            pendingTmp: try $0.optionalText("pending_tmp"), pendingOut: try $0.optionalText("pending_out"))
            } ?? ExportState(lastSeq: 0)
        }
    }

    /// Moves the cursor to `to` and records the temporary file that holds (from, to]; only if
    /// the cursor is still at `from` (a run that lost a race changes nothing: false).
    public func beginExport(consumer: String, from: Int64, to: Int64, tmp: String, out: String) throws -> Bool {
        try database.write { db in
            let current = try db.fetchOne("export_cursors", key: "consumer",
                                          "SELECT consumer, last_seq, pending_tmp FROM export_cursors WHERE consumer = ?", [.text(consumer)]) {
                (lastSeq: try $0.int64("last_seq"), pendingTmp: try $0.optionalText("pending_tmp"))
            }
            guard (current?.lastSeq ?? 0) == from, current?.pendingTmp == nil else { return false }
            try db.run("""
                INSERT INTO export_cursors (consumer, last_seq, pending_from, pending_tmp, pending_out) VALUES (?1, ?2, ?5, ?3, ?4)
                ON CONFLICT(consumer) DO UPDATE SET last_seq = ?2, pending_from = ?5, pending_tmp = ?3, pending_out = ?4
                """, [.text(consumer), .integer(to), .text(tmp), .text(out), .integer(from)])
            return true
        }
    }

    /// The file is in place: forget the pending record, and drop the erased events every
    /// consumer has now passed.
    public func finishExport(consumer: String) throws {
        let today = self.today
        let pruned = try database.write { db in
            try db.run("UPDATE export_cursors SET pending_from = NULL, pending_tmp = NULL, pending_out = NULL WHERE consumer = ?",
                       [.text(consumer)])
            return try Store.pruneErasedEvents(db, today: today)
        }
        // The erased event named the client: its bytes leave the files as the client's did.
        if pruned > 0 { database.scrubAfterErasure() }
    }

    /// How long an `erased` event stays for readers of the feed who are not registered
    /// consumers (SPEC §3).
    public static let erasedEventDays = 30

    /// Appends the `erased` event of a client whose events were just deleted (SPEC §3).
    static func appendErasedEvent(_ db: Connection, client: Client, on d: LocalDate) throws {
        try db.run("INSERT INTO alert_events (event, client_id, team_id, on_date) VALUES ('erased', ?, ?, ?)",
                   [.text(client.id), .text(client.teamID), .text(d.iso)])
    }

    /// Removes the `erased` events every registered export consumer has passed (a pending
    /// export has not passed what it holds: its file may still be lost), and those older than
    /// 30 days. With no consumer registered only the 30 days apply. Returns how many went.
    @discardableResult
    static func pruneErasedEvents(_ db: Connection, today: LocalDate) throws -> Int {
        try db.run("""
            DELETE FROM alert_events WHERE event = 'erased' AND (on_date < ?1
               OR seq <= (SELECT MIN(COALESCE(pending_from, last_seq)) FROM export_cursors))
            """, [.text(today.adding(days: -erasedEventDays).iso)])
        return db.changes
    }

    /// The pending export's file was lost before it reached its place (neither the temporary
    /// file nor the output exists): move the cursor back so those events are exported again.
    /// A duplicate can be recognised by its seq; a skipped event could never be recovered.
    public func abandonExport(consumer: String) throws {
        try database.write { db in
            try db.run("""
                UPDATE export_cursors SET last_seq = pending_from, pending_from = NULL, pending_tmp = NULL, pending_out = NULL
                WHERE consumer = ? AND pending_from IS NOT NULL
                """, [.text(consumer)])
        }
    }
}

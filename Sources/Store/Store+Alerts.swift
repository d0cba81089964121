import Continuity
import Repository
import SQLite

extension Store {
    /// Re-evaluates one client's flags as of D and raises/resolves alerts to match (SPEC §3:
    /// one open alert per client and flag; every change is an event with a new seq).
    /// Runs inside the caller's write transaction.
    ///
    /// An alert keeps the evidence of its raise: it is the sentence its `raised` event carried
    /// and the one a manager acknowledged, so it is never rewritten while the alert is open,
    /// and its `resolved` event repeats it. What holds today (days counted on, another face) is
    /// in the continuity answer's `flags`.
    func reevaluate(_ db: Connection, client key: ClientKey, asOf d: LocalDate) throws {
        guard let client = try Records.client(db, key) else { return }
        try reevaluate(db, client: client, asOf: d, directory: nil)
    }

    /// `directory`: every professional, when the caller has loaded them once for many clients.
    func reevaluate(_ db: Connection, client: Client, asOf d: LocalDate, directory: [String: Professional]?) throws {
        var active: [Flag] = []
        if client.closedOn.map({ $0 > d }) ?? true {
            active = try flagHistory(db, client: client, asOf: d, directory: directory).activeFlags(asOf: d, thresholds: thresholds)
        }
        let open = try Records.openAlerts(db, client: client.key)
        var full: PreparedHistory?
        for flag in active where !open.contains(where: { $0.flag == flag }) {
            // A raise writes a sentence with names and every referral: only now are they loaded.
            let named = try full ?? flagHistory(db, client: client, asOf: d, directory: directory, lean: false)
            full = named
            let evidence = named.evidence(of: flag, asOf: d, thresholds: thresholds,
                                          pool: try poolIfNeeded(db, named, asOf: d)) ?? ""
            try Records.raise(db, flag, client: client, on: d, evidence: evidence)
        }
        for alert in open where !active.contains(alert.flag) {
            try Records.resolve(db, alert, client: client, on: d, evidence: alert.evidence)
        }
    }

    /// Re-evaluates every open client, and every client that still has an open alert, as of D
    /// (the daily run and `continuity evaluate`). Commits in batches so writers are not held
    /// up; a batch that fails is retried client by client, so one bad record cannot stop the
    /// rest. Records the run. Returns (clients evaluated, events written, clients that failed).
    @discardableResult
    public func evaluateAll(asOf d: LocalDate, batchSize: Int = 500,
                            progress: (Int, Int) -> Void = { _, _ in }) throws -> (clients: Int, events: Int, failures: Int) {
        // The clients and every professional once, not per client (issue 12: the daily run
        // costs a few index seeks per client).
        let (clients, directory) = try database.read { db in
            (try Records.clientRowsToEvaluate(db, asOf: d), try Records.allProfessionals(db))
        }
        let ids = clients.map(\.key)
        let before = try lastEventSeq()
        var failures = 0
        var i = 0
        while i < ids.count {
            let chunk = Array(ids[i..<min(i + batchSize, ids.count)])
            let chunkClients = clients[i..<min(i + batchSize, ids.count)]
            do {
                try database.write { db in try self.reevaluateBatch(db, chunkClients, asOf: d, directory: directory) }
            } catch {
                for id in chunk {
                    do { try database.write { db in try self.reevaluate(db, client: id, asOf: d) } } catch { failures += 1 }
                }
            }
            i += batchSize
            progress(min(i, ids.count), ids.count)
        }
        let events = Int(try lastEventSeq() - before)
        let at = now()
        let pruned = try database.write { db in
            let pruned = try Store.pruneErasedEvents(db, today: d)
            try Records.recordEvaluationRun(db, asOf: d, finishedAt: at, clients: ids.count, events: events, failures: failures)
            return pruned
        }
        if pruned > 0 { database.scrubAfterErasure() }
        return (ids.count, events, failures)
    }

    /// The latest date every open client was re-evaluated for, if ever.
    public func lastEvaluation() throws -> LocalDate? {
        try database.read { db in
            try Records.lastEvaluation(db)
        }
    }

    /// Alerts not yet resolved, all teams (the `/metrics` gauge).
    public func openAlertCount() throws -> Int {
        try database.read { db in
            try Records.openAlertCount(db)
        }
    }

    public func lastEventSeq() throws -> Int64 {
        try database.read { db in
            try Records.lastEventSeq(db)
        }
    }

    public func alerts(scope: Scope, teamID: String?, status: AlertStatusFilter, after cursor: Int64?, limit: Int) throws -> Page<Alert> {
        try database.read { db in
            let pairs = try Records.alerts(db, team: scope.teamID, teamID: teamID, status: status, after: cursor ?? 0, limit: limit + 1)
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
            try Records.acknowledge(db, alert: alertID, by: actor.tokenName, note: note)
            try Store.audit(db, actor, "alert.ack", client: alert.clientKey, at: at)
            return alert
        }
    }

    public func alertEvents(scope: Scope, after: Int64, limit: Int) throws -> [AlertEvent] {
        try database.read { db in try Records.alertEvents(db, team: scope.teamID, after: after, limit: limit) }
    }

    // MARK: export cursors (continuity export-alerts)

    public func exportState(consumer: String) throws -> ExportState {
        try database.read { db in
            try Records.exportState(db, consumer: consumer) ?? ExportState(lastSeq: 0)
        }
    }

    /// Moves the cursor to `to` and records the temporary file that holds (from, to]; only if
    /// the cursor is still at `from` (a run that lost a race changes nothing: false).
    public func beginExport(consumer: String, from: Int64, to: Int64, tmp: String, out: String) throws -> Bool {
        try database.write { db in
            let current = try Records.exportState(db, consumer: consumer)
            guard (current?.lastSeq ?? 0) == from, current?.pendingTmp == nil else { return false }
            try Records.setPendingExport(db, consumer: consumer, from: from, to: to, tmp: tmp, out: out)
            return true
        }
    }

    /// The file is in place: forget the pending record, and drop the erased events every
    /// consumer has now passed.
    public func finishExport(consumer: String) throws {
        let today = self.today
        let pruned = try database.write { db in
            try Records.clearPendingExport(db, consumer: consumer)
            return try Store.pruneErasedEvents(db, today: today)
        }
        // The erased event named the client: its bytes leave the files as the client's did.
        if pruned > 0 { database.scrubAfterErasure() }
    }

    /// How long an `erased` event stays for readers of the feed who are not registered
    /// consumers (SPEC §3).
    public static let erasedEventDays = 30

    /// Removes the `erased` events every registered export consumer has passed, and those
    /// older than 30 days. With no consumer registered only the 30 days apply.
    @discardableResult
    static func pruneErasedEvents(_ db: Connection, today: LocalDate) throws -> Int {
        try Records.pruneErasedEvents(db, before: today.adding(days: -erasedEventDays))
    }

    /// The pending export's file was lost before it reached its place (neither the temporary
    /// file nor the output exists): move the cursor back so those events are exported again.
    /// A duplicate can be recognised by its seq; a skipped event could never be recovered.
    public func abandonExport(consumer: String) throws {
        try database.write { db in
            try Records.rewindPendingExport(db, consumer: consumer)
        }
    }
}

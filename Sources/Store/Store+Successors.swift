import Continuity
import Repository
import SQLite

extension Store {
    /// Successor advice for one client as of D (SPEC §2).
    public func successors(clientID: String, scope: Scope, asOf d: LocalDate, limit: Int) throws -> SuccessorAdvice {
        try database.read { db in
            let client = try self.visibleClient(db, clientID, scope: scope)
            let windows = HistoryWindows.successors(asOf: d, thresholds: thresholds)
            let prepared = PreparedHistory(try HistoryQueries.recent(db, client: client, windows: windows, zone: settings.zone,
                                                                     firstSeen: false), settings: settings)
            return prepared.successorAdvice(asOf: d, pool: try SuccessorQueries.pool(db, teamID: client.teamID, asOf: d),
                                            thresholds: thresholds, limit: limit)
        }
    }
}

extension Store {
    /// The pool the `no_primary` / `primary_leaving` evidence needs to name a successor; nil
    /// (no queries) when neither flag holds as of D.
    func poolIfNeeded(_ db: Connection, _ prepared: PreparedHistory, asOf d: LocalDate) throws -> SuccessorPool? {
        guard prepared.needsSuccessor(asOf: d, thresholds: thresholds) else { return nil }
        return try SuccessorQueries.pool(db, teamID: prepared.history.client.teamID, asOf: d)
    }
}

import Continuity
import Repository
import SQLite

extension Store {
    /// A client's measures and active flags as of D (SPEC §2).
    public func continuity(clientID: String, scope: Scope, asOf d: LocalDate, windowDays: Int) throws
        -> (ContinuityMeasures, [ActiveFlag]) {
        try database.read { db in
            let client = try self.visibleClient(db, clientID, scope: scope)
            // Sorted once for both the measures and the flags.
            let prepared = PreparedHistory(try Records.history(db, client: client), settings: settings)
            let pool = try self.poolIfNeeded(db, prepared, asOf: d)
            return (prepared.measures(asOf: d, windowDays: windowDays), prepared.flags(asOf: d, thresholds: thresholds, pool: pool))
        }
    }

    /// The report of SPEC §4 over the clients of one team (or every team in scope) that were
    /// open at some point of the 12 months the trend covers.
    public func report(teamID: String?, scope: Scope, asOf d: LocalDate, windowDays: Int) throws -> ContinuityReport {
        if let teamID, !scope.allows(team: teamID) { throw StoreError.notFound }
        let earliest = d.adding(months: -12).firstOfMonth
        return try database.read { db in
            if let teamID, try Records.team(db, teamID) == nil { throw StoreError.notFound }
            // Only the windows the report reads, plus each client's summary (issue 12).
            let windows = HistoryWindows.report(asOf: d, windowDays: windowDays, thresholds: thresholds)
            let clients = try Records.clientsOpen(db, team: scope.teamID, teamID: teamID, between: earliest, and: d)
            let histories = try ReportQueries.load(db, clients: clients, windows: windows, zone: settings.zone,
                                                   between: earliest, and: d)
            return ContinuityReport.build(clients: histories, asOf: d, windowDays: windowDays,
                                          thresholds: thresholds, settings: settings)
        }
    }
}

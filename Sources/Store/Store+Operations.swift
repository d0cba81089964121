import Continuity
import Repository
import SQLite

/// The figures `/metrics` reads at each scrape (SPEC §10): the latest re-evaluation of every
/// open client (the daily run or `continuity evaluate`) and how far each export consumer is
/// behind the alert events.
public struct OperationalFigures: Sendable, Equatable {
    public var alertsOpen = 0
    /// The latest run: when it finished (seconds since the epoch), clients, events, failures.
    public var lastRunFinished: Double?
    public var lastRunClients = 0
    public var lastRunEvents = 0
    public var lastRunFailures = 0
    public var alertEvents = 0
    /// Consumer name -> alert events after its cursor.
    public var exportBehind: [String: Int] = [:]
    public init() {}
}

extension Store {
    public func operationalFigures() throws -> OperationalFigures {
        try database.read { db in
            var f = OperationalFigures()
            f.alertsOpen = try Records.openAlertCount(db)
            if let run = try Records.latestEvaluationRun(db) {
                f.lastRunFinished = Double(run.finishedAt.epochSeconds) + Double(run.finishedAt.nanoseconds) / 1e9
                f.lastRunClients = run.clients
                f.lastRunEvents = run.events
                f.lastRunFailures = run.failures
            }
            f.alertEvents = Int(try Records.lastEventSeq(db))
            for cursor in try Records.exportCursors(db) {
                f.exportBehind[cursor.consumer] = max(0, f.alertEvents - Int(cursor.lastSeq))
            }
            return f
        }
    }
}

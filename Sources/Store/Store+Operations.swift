import Continuity
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
            f.alertsOpen = try db.queryOne("SELECT COUNT(*) FROM alerts WHERE resolved_on IS NULL")?.int(0) ?? 0
            if let run = try db.queryOne("SELECT finished_at, clients, events, failures FROM evaluation_runs ORDER BY seq DESC LIMIT 1") {
                f.lastRunFinished = Instant(rfc3339: run.string(0)).map { Double($0.epochSeconds) + Double($0.nanoseconds) / 1e9 }
                f.lastRunClients = run.int(1)
                f.lastRunEvents = run.int(2)
                f.lastRunFailures = run.int(3)
            }
            f.alertEvents = try db.queryOne("SELECT COALESCE(MAX(seq), 0) FROM alert_events")?.int(0) ?? 0
            for row in try db.query("SELECT consumer, last_seq FROM export_cursors ORDER BY consumer") {
                f.exportBehind[row.string(0)] = max(0, f.alertEvents - row.int(1))
            }
            return f
        }
    }
}

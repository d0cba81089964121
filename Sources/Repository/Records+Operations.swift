import Continuity
import SQLite

// What `/metrics` reads (SPEC §10): the latest evaluation run and the export cursors.

extension Records {
    /// The latest evaluation run: when it finished, clients, events, failures.
    public static func latestEvaluationRun(_ db: Connection) throws
        -> (finishedAt: Instant, clients: Int, events: Int, failures: Int)? {
        try db.fetchOne("evaluation_runs", key: "seq",
                        "SELECT seq, finished_at, clients, events, failures FROM evaluation_runs ORDER BY seq DESC LIMIT 1") {
            (finishedAt: try $0.text("finished_at", as: "an RFC 3339 timestamp", Instant.init(rfc3339:)),
             clients: try $0.int("clients"), events: try $0.int("events"), failures: try $0.int("failures"))
        }
    }

    /// Each export consumer's cursor (the last event seq it has), by name.
    public static func exportCursors(_ db: Connection) throws -> [(consumer: String, lastSeq: Int64)] {
        try db.fetchAll("export_cursors", key: "consumer", "SELECT consumer, last_seq FROM export_cursors ORDER BY consumer") {
            (consumer: try $0.text("consumer"), lastSeq: try $0.int64("last_seq"))
        }
    }
}

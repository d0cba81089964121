import API
import JSON
import Logging
import SQLite
import Store
import Synchronization
import Testing

/// Log lines kept in memory, to read what a 500 logged.
final class CapturedLog: Sendable {
    struct Line: Sendable { var level: Logger.Level; var message: String; var metadata: [String: String] }
    private let lines = Mutex<[Line]>([])
    var all: [Line] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "captured") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let m = (event.metadata ?? [:]).mapValues { "\($0)" }
            log.lines.withLock { $0.append(Line(level: event.level, message: "\(event.message)", metadata: m)) }
        }
    }
}

/// A row that does not decode is an error the log locates (table, column, row; SQLite's code and
/// SQL), and a 500 to the client that names nothing of it — never a plausible wrong answer.
@Suite struct CorruptRowTests {
    @Test func aCorruptDateIsA500WhoseLogLineNamesTableColumnRowAndRequestID() throws {
        let log = CapturedLog()
        let s = try TestServer(logger: log.logger)
        defer { s.stop() }
        let admin = try s.token("admin", .admin)
        try s.makeTeam("t1", admin: admin)
        try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-05-01")
        // Damage the stored row behind the service's back (opened_on has no CHECK constraint).
        let raw = try Connection(path: s.databasePath)
        try raw.run("UPDATE clients SET opened_on = 'gisteren' WHERE id = 'c1'")
        raw.close()

        let r = try s.request("GET", "/v1/clients/c1", token: admin, headers: [("X-Request-Id", "req-corrupt-1")])
        #expect(r.status == 500)
        #expect(!r.text.contains("opened_on") && !r.text.contains("gisteren"))
        #expect(r.text.contains("req-corrupt-1"))
        let line = try #require(log.all.first { $0.message == "internal error" })
        #expect(line.level == .error)
        #expect(line.metadata["request_id"] == "req-corrupt-1")
        #expect(line.metadata["table"] == "clients")
        #expect(line.metadata["column"] == "opened_on")
        #expect(line.metadata["row"] == "c1")
        #expect(line.metadata["problem"] == "is not a date YYYY-MM-DD")
        #expect(!line.metadata.values.contains { $0.contains("gisteren") })
    }

    @Test func aSQLiteErrorLogsItsExtendedCodeAndSQLButNoBoundValue() throws {
        let log = CapturedLog()
        let s = try TestServer(logger: log.logger)
        defer { s.stop() }
        let admin = try s.token("admin", .admin)
        let raw = try Connection(path: s.databasePath)
        try raw.execute("DROP TABLE teams")
        raw.close()

        let r = try s.request("GET", "/v1/teams?cursor=secret-cursor-value", token: admin, headers: [("X-Request-Id", "req-sql-1")])
        #expect(r.status == 500)
        let line = try #require(log.all.first { $0.message == "internal error" })
        #expect(line.metadata["request_id"] == "req-sql-1")
        #expect(line.metadata["sqlite_code"] == "1")   // SQLITE_ERROR: no such table
        #expect(line.metadata["sqlite_message"] == "no such table: teams")
        #expect(line.metadata["sql"]?.hasPrefix("SELECT id, name FROM teams WHERE id > ?") == true)
        #expect(!line.metadata.values.contains { $0.contains("secret-cursor-value") })
    }
}

import Foundation
import Glibc
import SQLite
import Testing

/// The built-in daily run (SPEC §3): a server started after the day's run time re-evaluates
/// every open client at once when the database has no run for today, and records it.
struct DailyRunTests {
    @Test func serverStartedAfterTheRunTime_catchesUpAndRecordsTheRun() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--clients", "30", "--seed", "4"]).status == 0)
        // The demo evaluated as of today already; forget that run so the server must catch up.
        do {
            let c = try Connection(path: cli.database)
            try c.execute("DELETE FROM evaluation_runs")
            c.close()
        }
        let server = Process()
        server.executableURL = try CLI.binary
        server.arguments = ["serve"]
        server.currentDirectoryURL = CLI.packageRoot
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CONTINUITY_") }
        env["CONTINUITY_DATABASE_PATH"] = cli.database
        env["CONTINUITY_SERVER_PORT"] = "0"
        env["CONTINUITY_LOG_LEVEL"] = "error"
        env["CONTINUITY_ALERTS_DAILY_RUN"] = "00:00"   // always past, whatever the hour of the test
        server.environment = env
        try server.run()
        var runs = 0
        let deadline = Date().addingTimeInterval(10)
        while runs == 0, Date() < deadline {
            usleep(100_000)
            let c = try Connection(path: cli.database, options: { var o = ConnectionOptions(); o.readOnly = true; return o }())
            runs = try c.queryOne("SELECT COUNT(*) FROM evaluation_runs")?.int(0) ?? 0
            c.close()
        }
        server.terminate()   // SIGTERM: drain and exit 0
        server.waitUntilExit()
        #expect(runs == 1)
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        let c = try Connection(path: cli.database)
        defer { c.close() }
        let row = try #require(try c.queryOne("SELECT clients, failures FROM evaluation_runs"))
        #expect(row.int(0) > 0)
        #expect(row.int(1) == 0)
    }
}

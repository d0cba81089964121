import Foundation
import Glibc
import Testing

/// Issue 14 as an operator meets it: the binary runs from any directory (the migrations are
/// embedded), creates nothing before its configuration is known good, and logs for machines.
struct OperatorTests {
    @Test func binaryRunsFromAnyDirectory_withItsEmbeddedMigrations() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let elsewhere = cli.folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let migrate = try cli.run(["migrate"], in: elsewhere)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(migrate.stdout.contains("applied 0001_initial.sql"))
        let list = try cli.run(["token", "list"], in: elsewhere)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(try cli.run(["migrate"], in: elsewhere).stdout.contains("nothing to apply"))
        // It used the configured database, and made nothing in the directory it ran from.
        #expect(FileManager.default.fileExists(atPath: cli.database))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test(arguments: [
        (["migrate"], ["CONTINUITY_SERVER_PORT": "eighty"]),
        (["serve"], ["CONTINUITY_TIME_ZONE": "Mars/Olympus_Mons"]),
        (["migrate", "--config", "missing.conf"], [:]),
        (["demo", "--clients", "5"], ["CONTINUITY_DATABASE_MIGRATIONS": "no-such-directory"]),
    ] as [([String], [String: String])])
    func badConfiguration_exits78_andCreatesNothing(args: [String], environment: [String: String]) throws {
        let cli = try CLI()
        defer { cli.remove() }
        var env: [String: String?] = ["CONTINUITY_DATABASE_PATH": nil]   // the default, ./data/continuity.sqlite
        for (k, v) in environment { env[k] = v }
        let r = try cli.run(args, environment: env, in: cli.folder)
        #expect(r.status == 78, "\(r.stderr)")
        #expect(!r.stderr.isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    /// SPEC §7 logs: the access line in JSON has numbers as numbers and names the token, and
    /// the token itself appears nowhere in the log.
    @Test func jsonRequestLog_carriesNumbersAndTheTokenName_neverTheToken() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let secret = try cli.token("ops-admin")
        let server = try LiveServer(database: cli.database)
        defer { server.stop() }
        #expect(server.request("GET", "/v1/teams", token: secret)?.status == 200)
        #expect(server.request("GET", "/v1/teams")?.status == 401)
        #expect(server.stop() == 0)
        let lines = server.logLines().filter { $0["msg"] as? String == "request" }
        #expect(lines.count == 2)
        let ok = try #require(lines.first { ($0["status"] as? NSNumber)?.intValue == 200 })
        #expect(ok["token"] as? String == "ops-admin")
        #expect(ok["route"] as? String == "/v1/teams")
        #expect(ok["duration_ms"] is NSNumber && !(ok["duration_ms"] is String))
        let refused = try #require(lines.first { ($0["status"] as? NSNumber)?.intValue == 401 })
        #expect(refused["token"] == nil)
        #expect(!server.stderr.contains(secret))
        #expect(server.stderr.contains(#""status":200"#))
    }
}

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

/// SPEC §5: every command answers --help with its own usage; --version; usage errors are 64;
/// long commands show progress on a terminal and nothing in a pipe.
struct CommandLineTests {
    static let commands = ["serve", "migrate", "token create", "token list", "token revoke", "evaluate", "export-alerts",
                           "import contacts", "report", "demo", "purge", "backup", "healthcheck"]

    @Test(arguments: commands)
    func everyCommandAnswersHelp_withItsOwnUsage(command: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let r = try cli.run(command.split(separator: " ").map(String.init) + ["--help"], in: cli.folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("usage: continuity \(command)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).isEmpty, "--help touches nothing")
    }

    @Test func versionAndUsageErrors() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let version = try cli.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("continuity "))
        let extra = try cli.run(["migrate", "extra-arg"])
        #expect(extra.status == 64 && extra.stderr.contains("unexpected argument 'extra-arg'"))
        let typo = try cli.run(["purg", "--closed-before", "2020-01-01"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean 'purge'?"))
        #expect(!FileManager.default.fileExists(atPath: cli.database), "a usage error opens no database")
    }

    @Test func demoShowsProgressOnATerminal_andNothingInAPipe() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let piped = try cli.run(["demo", "--clients", "300"])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("\r") && !piped.stderr.contains("demo:"))

        // script(1) gives the command a terminal; its output comes back through our pipe.
        let other = try CLI()
        defer { other.remove() }
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script))
        let binary = try CLI.binary.path
        let r = try other.run([script, "-qec", "\(binary) demo --clients 3000", "/dev/null"], executable: URL(fileURLWithPath: script))
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("demo: ") && r.stdout.contains("clients generated") && r.stdout.contains("\r"))
        #expect(r.stdout.contains("demo municipality loaded"))
    }
}

/// SPEC §10 metrics, scraped from the real server: HELP on every metric, counters in
/// `_total`, process metrics and build info; `[metrics] port` moves /metrics to its own listener.
struct MetricsTests {
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(fd, $0, length) == 0, getsockname(fd, $0, &length) == 0 else { throw CLIError("bind") }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func metricsOnTheirOwnListener_withHelpOnEveryMetric_andProcessAndBuildInfo() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let secret = try cli.token("metrics-test")
        let own = try Self.freePort()
        let server = try LiveServer(database: cli.database, environment: ["CONTINUITY_METRICS_PORT": "\(own)"])
        defer { server.stop() }
        #expect(server.request("GET", "/v1/teams", token: secret)?.status == 200)
        #expect(server.request("GET", "/metrics")?.status == 404, "the API's listener keeps /metrics to itself")
        var scraped: LiveServer.Response?
        for _ in 0..<50 where scraped == nil {
            scraped = server.request("GET", "/metrics", port: own)
            if scraped == nil { usleep(50_000) }
        }
        let text = try #require(scraped).body
        #expect(server.request("GET", "/v1/teams", port: own)?.status == 404)

        var types: [String: String] = [:]
        var helps = Set<String>()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            if parts.count >= 4, parts[0] == "#", parts[1] == "TYPE" { types[parts[2]] = parts[3] }
            if parts.count >= 4, parts[0] == "#", parts[1] == "HELP", !parts[3].isEmpty { helps.insert(parts[2]) }
        }
        #expect(!types.isEmpty)
        for (name, type) in types {
            #expect(helps.contains(name), "\(name) has no HELP")
            #expect((type == "counter") == name.hasSuffix("_total"), "\(name) is a \(type)")
        }
        for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
                     "process_start_time_seconds", "continuity_writes_committed_total", "continuity_http_requests_total",
                     "continuity_evaluation_last_run_timestamp_seconds", "continuity_erasure_scrub_pending"] {
            #expect(types[name] != nil, "\(name) is missing")
        }
        #expect(text.contains(#"continuity_build_info{version=""#))
        #expect(text.contains(#"continuity_http_requests_total{route="/v1/teams",method="GET",status="200"} 1"#))
        let rss = text.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
        #expect((rss.flatMap { Double($0.split(separator: " ")[1]) } ?? 0) > 1_000_000)
    }
}

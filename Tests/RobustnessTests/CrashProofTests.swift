import Foundation
import Glibc
import SQLite
import Synchronization
import Testing

/// The built `continuity` executable run as a child process on a temporary database.
final class ServerProcess {
    static var executable: String { packageRoot + "/.build/debug/continuity" }

    let directory: String
    let port: Int
    var databasePath: String { directory + "/c.sqlite" }
    var logPath: String { directory + "/serve.log" }
    private var process: Process?

    init() throws {
        directory = NSTemporaryDirectory() + "continuity-crash-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = freePort()
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CONTINUITY_DATABASE_PATH"] = databasePath
        env["CONTINUITY_DATABASE_MIGRATIONS"] = packageRoot + "/migrations"
        env["CONTINUITY_SERVER_PORT"] = String(port)
        env["CONTINUITY_LOG_LEVEL"] = "error"
        env["CONTINUITY_TIME_ZONE"] = "UTC"
        // One admin token drives 16 writers: lift its rate limit, and keep the daily run quiet.
        env["CONTINUITY_AUTH_RATE_LIMIT_PER_MINUTE"] = "1000000"
        env["CONTINUITY_AUTH_RATE_LIMIT_BURST"] = "1000000"
        env["CONTINUITY_ALERTS_DAILY_RUN_ENABLED"] = "false"
        return env
    }

    private func makeProcess(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        return process
    }

    /// `continuity token create --name admin --role admin`: the token is the last stdout line.
    func createAdminToken() throws -> String {
        let process = makeProcess(["token", "create", "--name", "admin", "--role", "admin"])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard process.terminationStatus == 0, let last = lines.last, !last.isEmpty else {
            throw CrashTestError("token create failed (exit \(process.terminationStatus)): \(lines)")
        }
        return String(last)
    }

    /// `continuity serve`; returns once GET /health answers 200.
    func start() throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = makeProcess(["serve"])
        let log = FileHandle(forWritingAtPath: logPath)
        log?.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = monotonicNow() + 10
        while monotonicNow() < deadline {
            if let client = try? WireClient(port: port, receiveTimeoutSeconds: 1),
               client.request("GET", "/health")?.status == 200 {
                return
            }
            guard process.isRunning else { break }
            usleep(10_000)
        }
        throw CrashTestError("serve did not answer /health (running: \(process.isRunning)); log: \(logTail())")
    }

    /// kill -9, then reap.
    func killHard() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM, then wait up to `seconds`; the exit status, or nil if it had to be killed.
    func terminate(within seconds: Double) -> Int32? {
        guard let process else { return nil }
        kill(process.processIdentifier, SIGTERM)
        let deadline = monotonicNow() + seconds
        while process.isRunning && monotonicNow() < deadline { usleep(10_000) }
        if process.isRunning {
            killHard()
            return nil
        }
        process.waitUntilExit()
        self.process = nil
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }

    func logTail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}

struct CrashTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A contact as the writer sent it, to compare with what survived.
struct SentContact: Equatable, Sendable {
    var id: String
    var occurredAt: String
    var mode: String
    var professionalID: String
}

extension RobustnessTests {
    @Suite struct CrashProof {
        static let iterations = Int(ProcessInfo.processInfo.environment["CRASH_ITERATIONS"] ?? "") ?? 10
        static let writers = 16

        @Test(.timeLimit(.minutes(10)))
        func everyAcknowledgedContactSurvivesKillNine_andTheDatabaseStaysIntact() throws {
            try #require(FileManager.default.isExecutableFile(atPath: ServerProcess.executable),
                         "\(ServerProcess.executable) is missing: run `swift build` (or `swift test`, which builds it) first")
            var totalAcknowledged = 0
            for iteration in 1...Self.iterations {
                let started = monotonicNow()
                let killAfter = Int.random(in: 200...1500)
                let acknowledged = try runOnce(killAfterMilliseconds: killAfter, iteration: iteration)
                totalAcknowledged += acknowledged
                print("crash iteration \(iteration)/\(Self.iterations): killed after \(killAfter) ms, "
                      + "\(acknowledged) acknowledged contacts verified, "
                      + "\(Int((monotonicNow() - started) * 1000)) ms")
            }
            #expect(totalAcknowledged > 0, "no write was ever acknowledged: the test proved nothing")
        }

        /// One run: write, kill -9, restart, verify. Returns the number of acknowledged contacts.
        func runOnce(killAfterMilliseconds: Int, iteration: Int) throws -> Int {
            let server = try ServerProcess()
            let token = try server.createAdminToken()
            try server.start()
            let auth = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
            try Self.createClient(port: server.port, auth: auth)
            let acked = Self.writeContacts(port: server.port, auth: auth) {
                usleep(UInt32(killAfterMilliseconds) * 1000)
                server.killHard()
            }

            // Restart on the same file (the server recovers the WAL itself) and read back.
            try server.start()
            let stored = try Self.storedContacts(port: server.port, auth: auth)
            var missing: [String] = [], changed: [String] = []
            for sent in acked {
                guard let found = stored[sent.id] else { missing.append(sent.id); continue }
                if found != sent { changed.append(sent.id) }
            }
            #expect(missing.isEmpty, "iteration \(iteration) (kill after \(killAfterMilliseconds) ms): \(missing.count) of \(acked.count) acknowledged contacts lost, e.g. \(missing.prefix(5))")
            #expect(changed.isEmpty, "iteration \(iteration): \(changed.count) acknowledged contacts changed, e.g. \(changed.prefix(5))")
            #expect(stored.count >= acked.count)

            // Kill again, then check the file as SQLite sees it.
            server.killHard()
            let db = try Connection(path: server.databasePath)
            defer { db.close() }
            let integrity = try db.query("PRAGMA integrity_check").map { $0.string(0) }
            #expect(integrity == ["ok"], "iteration \(iteration): integrity_check says \(integrity)")
            let rows = try db.queryOne("SELECT COUNT(*) FROM contacts")?.int(0) ?? -1
            #expect(rows == stored.count, "the file holds \(rows) contacts, the restarted server listed \(stored.count)")
            return acked.count
        }

        /// SPEC §7: SIGTERM stops accepting, finishes requests in flight, closes the database and
        /// exits 0, with every acknowledged write kept, even while sixteen writers are busy.
        @Test(.timeLimit(.minutes(1)))
        func sigtermUnderLoad_exitsZero_andKeepsEveryAcknowledgedContact() throws {
            try #require(FileManager.default.isExecutableFile(atPath: ServerProcess.executable),
                         "\(ServerProcess.executable) is missing: run `swift build` first")
            let server = try ServerProcess()
            let token = try server.createAdminToken()
            try server.start()
            let auth = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
            try Self.createClient(port: server.port, auth: auth)
            var status: Int32?
            let acked = Self.writeContacts(port: server.port, auth: auth) {
                usleep(400_000)
                status = server.terminate(within: 10)
            }
            #expect(status == 0, "serve exited with \(String(describing: status)) after SIGTERM; log: \(server.logTail())")
            #expect(!acked.isEmpty)
            // A clean stop checkpoints and removes the WAL (the database was closed).
            #expect(!FileManager.default.fileExists(atPath: server.databasePath + "-wal"))
            let db = try Connection(path: server.databasePath)
            defer { db.close() }
            #expect(try db.query("PRAGMA integrity_check").map { $0.string(0) } == ["ok"])
            var missing = 0
            for sent in acked {
                let row = try db.queryOne("SELECT occurred_at, mode, professional_id FROM contacts WHERE id = ?", [.text(sent.id)])
                if row?.string(0) != sent.occurredAt || row?.string(1) != sent.mode || row?.string(2) != sent.professionalID {
                    missing += 1
                }
            }
            #expect(missing == 0, "\(missing) of \(acked.count) acknowledged contacts missing or changed")
        }

        static func createClient(port: Int, auth: [(String, String)]) throws {
            let setup = try WireClient(port: port)
            for (path, body) in [
                ("/v1/teams", #"{"id":"team-a","name":"Team A"}"#),
                ("/v1/professionals", #"{"id":"prof-a","name":"P A","team_id":"team-a","discipline":"social work","employment":"permanent","started_on":"2020-01-01"}"#),
                ("/v1/clients", #"{"id":"client-a","external_ref":"R-1","team_id":"team-a","opened_on":"2020-01-01"}"#),
            ] {
                let response = setup.request("POST", path, headers: auth, body: body)
                try #require(response?.status == 201, "POST \(path): \(response?.status ?? -1) \(response?.text ?? "")")
            }
        }

        /// 16 writers post contacts as fast as they can, each on its own keep-alive connection,
        /// while `interrupt` runs (it kills or stops the server); the contacts answered 2xx.
        static func writeContacts(port: Int, auth: [(String, String)], interrupt: () -> Void) -> [SentContact] {
            let stop = Atomic<Bool>(false)
            let acknowledged = Mutex<[SentContact]>([])
            let writers = BackgroundThread {
                runThreads(Self.writers) { thread in
                    guard let client = try? WireClient(port: port) else { return }
                    var mine: [SentContact] = []
                    var n = 0
                    while !stop.load(ordering: .relaxed) {
                        let sent = SentContact(
                            id: "w\(thread)-\(n)",
                            occurredAt: "2026-\(pad(1 + n % 11))-\(pad(1 + n % 28))T\(pad(8 + thread % 10)):\(pad(n % 60)):\(pad(thread))+01:00",
                            mode: "home_visit", professionalID: "prof-a")
                        let body = #"{"id":"\#(sent.id)","client_id":"client-a","professional_id":"prof-a","occurred_at":"\#(sent.occurredAt)","mode":"home_visit"}"#
                        guard let response = client.request("POST", "/v1/contacts", headers: auth, body: body) else { break }
                        if (200..<300).contains(response.status) { mine.append(sent) }
                        n += 1
                    }
                    acknowledged.withLock { $0.append(contentsOf: mine) }
                }
            }
            interrupt()
            stop.store(true, ordering: .relaxed)
            writers.join()
            return acknowledged.withLock { $0 }
        }

        /// Every contact of client-a as the server lists them, by id (pages of 500).
        static func storedContacts(port: Int, auth: [(String, String)]) throws -> [String: SentContact] {
            let reader = try WireClient(port: port)
            var stored: [String: SentContact] = [:]
            var cursor: String?
            repeat {
                let target = "/v1/clients/client-a/contacts?limit=500" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try #require(reader.request("GET", target, headers: auth))
                try #require(response.status == 200, "GET \(target): \(response.status) \(response.text)")
                let page = try #require(jsonObject(response.body))
                for item in page["items"] as? [[String: Any]] ?? [] {
                    let id = item["id"] as? String ?? ""
                    stored[id] = SentContact(id: id, occurredAt: item["occurred_at"] as? String ?? "",
                                             mode: item["mode"] as? String ?? "",
                                             professionalID: item["professional_id"] as? String ?? "")
                }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            return stored
        }

        static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    }
}

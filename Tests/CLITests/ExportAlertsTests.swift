import Foundation
import Glibc
import SQLite
import Testing

/// `continuity export-alerts` (SPEC §5): killed at any step, later runs neither repeat nor skip
/// an event; two overlapping runs cannot both export.
@Suite(.serialized)
struct ExportAlertsTests {
    /// seq values in an NDJSON export file.
    static func seqs(in path: String) throws -> [Int] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (obj["seq"] as! NSNumber).intValue
        }
    }

    static func allSeqs(_ db: String) throws -> [Int] {
        let c = try Connection(path: db)
        defer { c.close() }
        return try c.query("SELECT seq FROM alert_events ORDER BY seq").map { $0.int(0) }
    }

    @Test(arguments: ["export-after-write", "export-after-begin", "export-after-rename"])
    func runKilledHalfway_nothingExportedTwice_nothingSkipped(fault: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let demo = try cli.run(["demo", "--clients", "40", "--seed", "3"])
        #expect(demo.status == 0, "\(demo.stderr)")
        var files: [String] = []
        func out(_ n: Int) -> String { cli.folder.appendingPathComponent("alerts-\(n).ndjson").path }

        // 1. A run killed at the fault point.
        let killed = try cli.run(["export-alerts", "--consumer", "cron", "--out", out(1)], environment: ["CTY_FAULT": fault])
        #expect(killed.reason == .uncaughtSignal && killed.status == SIGKILL, "the fault point was not reached: \(killed.stderr)")

        // 2. More events arrive (flags change as time passes).
        let later = try cli.run(["evaluate", "--as-of", "2030-01-01"])
        #expect(later.status == 0, "\(later.stderr)")

        // 3. Normal runs until nothing is left.
        let second = try cli.run(["export-alerts", "--consumer", "cron", "--out", out(2)])
        #expect(second.status == 0, "\(second.stderr)")
        let third = try cli.run(["export-alerts", "--consumer", "cron", "--out", out(3)])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")

        for n in 1...3 where FileManager.default.fileExists(atPath: out(n)) { files.append(out(n)) }
        let exported = try files.flatMap { try Self.seqs(in: $0) }
        let all = try Self.allSeqs(cli.database)
        #expect(!all.isEmpty)
        #expect(exported.sorted() == all, "exported \(exported.count) events for \(all.count) stored")
        #expect(Set(exported).count == exported.count, "an event was exported twice")
        // No temporary file is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// The temporary file of a run killed after moving the cursor is lost (a tmp cleaner, a
    /// power cut): the next run moves the cursor back instead of skipping those events.
    @Test func lostTemporaryFile_ofAKilledRun_isExportedAgain_notSkipped() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--clients", "30", "--seed", "9"]).status == 0)
        let first = cli.folder.appendingPathComponent("first.ndjson").path
        let killed = try cli.run(["export-alerts", "--consumer", "cron", "--out", first], environment: ["CTY_FAULT": "export-after-begin"])
        #expect(killed.reason == .uncaughtSignal)
        for name in try FileManager.default.contentsOfDirectory(atPath: cli.folder.path) where name.contains(".tmp-") {
            try FileManager.default.removeItem(atPath: cli.folder.appendingPathComponent(name).path)
        }
        let second = cli.folder.appendingPathComponent("second.ndjson").path
        let r = try cli.run(["export-alerts", "--consumer", "cron", "--out", second])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: first))
        #expect(try Self.seqs(in: second) == Self.allSeqs(cli.database))
    }

    @Test func overlappingRun_exitsTemporaryFailure_andExportsNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--clients", "20", "--seed", "5"]).status == 0)
        let lockPath = cli.database + ".export-cron.lock"
        let fd = open(lockPath, O_CREAT | O_RDWR, 0o600)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let blocked = try cli.run(["export-alerts", "--consumer", "cron", "--out", cli.folder.appendingPathComponent("x.ndjson").path])
        #expect(blocked.status == 75, "\(blocked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("x.ndjson").path))
        close(fd)
        let ok = try cli.run(["export-alerts", "--consumer", "cron", "--out", cli.folder.appendingPathComponent("x.ndjson").path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(Int(ok.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0)
    }

    @Test func existingOutputFile_isNeverOverwritten() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--clients", "20", "--seed", "5"]).status == 0)
        let path = cli.folder.appendingPathComponent("keep.ndjson").path
        try "unread\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try cli.run(["export-alerts", "--consumer", "cron", "--out", path])
        #expect(r.status == 73)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "unread\n")
    }

    @Test func csvAndGzipFormats_areWritten() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--clients", "20", "--seed", "5"]).status == 0)
        let csv = cli.folder.appendingPathComponent("a.csv").path
        #expect(try cli.run(["export-alerts", "--consumer", "csv", "--out", csv, "--format", "csv"]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: csv))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("seq,event,alert_id,client_id,team_id,flag,on,evidence\r\n"))
        let gz = cli.folder.appendingPathComponent("a.ndjson.gz").path
        #expect(try cli.run(["export-alerts", "--consumer", "gz", "--out", gz, "--gzip"]).status == 0)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: gz)).prefix(2)) == [0x1F, 0x8B])
    }
}

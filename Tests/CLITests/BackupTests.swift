import Foundation
import Glibc
import SQLite
import Testing

/// `continuity backup FILE` (SPEC §5, §10) while the real server takes writes, then the
/// README's restore: every write acknowledged before the backup began is in the restored
/// database, which the server serves.
struct BackupTests {
    @Test func backupUnderWriteLoad_restores_everyWriteAcknowledgedBeforeItBegan() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let secret = try cli.token("backup-test")
        let server = try LiveServer(database: cli.database)
        defer { server.stop() }
        #expect(server.request("POST", "/v1/teams", token: secret, json: #"{"id":"t1","name":"Wijkteam"}"#)?.status == 201)

        let acked = Acknowledged()
        let stop = Atomic(false)
        let writers = (0..<4).map { n in
            Thread {
                var i = 0
                while !stop.value {
                    i += 1
                    let id = "w\(n)-\(i)"
                    let body = #"{"id":"\#(id)","external_ref":"R-\#(id)","team_id":"t1","opened_on":"2026-01-01"}"#
                    if server.request("POST", "/v1/clients", token: secret, json: body)?.status == 201 { acked.add(id) }
                }
            }
        }
        writers.forEach { $0.start() }
        while acked.count < 200 { usleep(20_000) }
        let beforeBackup = acked.snapshot()
        let file = cli.folder.appendingPathComponent("backups/c-backup.sqlite").path
        try FileManager.default.createDirectory(atPath: cli.folder.appendingPathComponent("backups").path, withIntermediateDirectories: true)
        let backup = try cli.run(["backup", file])
        let duringBackup = acked.count - beforeBackup.count
        stop.value = true
        while writers.contains(where: { !$0.isFinished }) { usleep(10_000) }
        #expect(server.stop() == 0)

        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("backed up \(cli.database) to \(file)"))
        #expect(backup.stdout.contains("integrity_check ok"))
        #expect(!backup.stderr.contains("\r"), "no progress line in a pipe")
        var info = stat()
        #expect(stat(file, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.folder.appendingPathComponent("backups").path)
        #expect(leftovers == ["c-backup.sqlite"], "no temporary file or journal left: \(leftovers)")
        #expect(duringBackup >= 0)

        // Restore as the README says: server stopped, copy over the database, drop -wal/-shm, start.
        let restored = try CLI()
        defer { restored.remove() }
        try FileManager.default.copyItem(atPath: file, toPath: restored.database)
        let again = try LiveServer(database: restored.database)
        defer { again.stop() }
        var present = Set<String>()
        var cursor: String?
        repeat {
            let page = try #require(again.request("GET", "/v1/clients?limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""), token: secret))
            #expect(page.status == 200)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
            for item in json["items"] as? [[String: Any]] ?? [] { present.insert(item["id"] as? String ?? "") }
            cursor = json["next_cursor"] as? String
        } while cursor != nil
        let missing = beforeBackup.subtracting(present)
        #expect(missing.isEmpty, "\(missing.count) of \(beforeBackup.count) writes acknowledged before the backup are missing")
        #expect(present.count <= acked.count)
        #expect(again.stop() == 0)
        let check = try Connection(path: restored.database)
        defer { check.close() }
        #expect(try check.integrityCheck() == "ok")
    }

    @Test func backupWithoutADatabase_exits66_andWritesNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let file = cli.folder.appendingPathComponent("b.sqlite").path
        let r = try cli.run(["backup", file])
        #expect(r.status == 66, "\(r.stderr)")
        #expect(r.stderr.contains("no database at"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).isEmpty)
    }

    @Test func backupOntoTheDatabaseItself_isRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(["migrate"]).status == 0)
        let r = try cli.run(["backup", cli.database])
        #expect(r.status == 64)
        #expect(try Connection(path: cli.database).integrityCheck() == "ok")
    }
}

final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<String>()
    func add(_ id: String) { lock.withLock { _ = ids.insert(id) } }
    var count: Int { lock.withLock { ids.count } }
    func snapshot() -> Set<String> { lock.withLock { ids } }
}

final class Atomic<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

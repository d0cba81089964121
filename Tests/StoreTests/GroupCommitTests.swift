import Continuity
import Foundation
import Glibc
import SQLite
import Store
import Testing

let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("migrations").path

func temporaryDatabase() throws -> (path: String, folder: URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return (folder.appendingPathComponent("c.sqlite").path, folder)
}

final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]
    func set(_ k: String, _ v: String) { lock.lock(); values[k] = v; lock.unlock() }
    subscript(_ k: String) -> String? { lock.lock(); defer { lock.unlock() }; return values[k] }
}

@Suite(.serialized)
struct GroupCommitTests {
    /// SQLITE_FULL rolls back the whole transaction, not only the failing job's savepoint
    /// (sqlite.org/lang_transaction.html). The other jobs of the batch must then be run again
    /// and acknowledged only once committed: none may be on disk but answered as failed, or
    /// answered as committed but gone.
    @Test func aJobThatRollsBackTheWholeTransaction_failsAlone_andTheOthersCommit() throws {
        let (path, folder) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = StoreOptions(path: path, migrationsDirectory: migrations)
        options.busyTimeoutMilliseconds = 200
        let db = try Database(options: options)
        defer { db.close() }
        try db.write { c in try c.execute("CREATE TABLE x(id TEXT PRIMARY KEY, v BLOB)") }
        let outcomes = Outcomes()
        var threads: [Thread] = []
        func submit(_ name: String, _ body: @escaping @Sendable (Connection) throws -> Void) {
            let t = Thread {
                do { try db.write(body); outcomes.set(name, "ok") } catch { outcomes.set(name, "error") }
            }
            t.start()
            threads.append(t)
        }
        // Holds the writer while A, B and C queue up, so they form one batch; then caps the
        // file so that B's big row hits SQLITE_FULL.
        submit("hold") { c in
            usleep(400_000)
            let pages = try c.queryOne("PRAGMA page_count")!.int(0)
            try c.execute("PRAGMA max_page_count=\(pages + 2)")
        }
        usleep(100_000)
        submit("A") { c in try c.run("INSERT INTO x VALUES ('a', NULL)") }
        usleep(30_000)
        submit("B") { c in try c.run("INSERT INTO x VALUES ('b', zeroblob(1000000))") }
        usleep(30_000)
        submit("C") { c in try c.run("INSERT INTO x VALUES ('c', NULL)") }
        let deadline = Date().addingTimeInterval(10)
        while ["hold", "A", "B", "C"].contains(where: { outcomes[$0] == nil }), Date() < deadline { usleep(20_000) }
        try db.write { c in try c.execute("PRAGMA max_page_count=1073741823") }
        let rows = try db.read { c in try c.query("SELECT id FROM x ORDER BY id").map { $0.string(0) } }
        #expect(outcomes["A"] == "ok")
        #expect(outcomes["B"] == "error")
        #expect(outcomes["C"] == "ok")
        #expect(rows == ["a", "c"])
        #expect(db.committedWrites == 5) // create table, hold, A, C, page limit back
    }

    /// An erasure is answered once committed, even while an old read snapshot holds up the
    /// WAL checkpoint; the scrub follows as soon as the reader is gone.
    @Test func erasure_isNotHeldUpByAReader_andTheWALIsScrubbedAfterwards() throws {
        let (path, folder) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = StoreOptions(path: path, migrationsDirectory: migrations)
        options.busyTimeoutMilliseconds = 300
        let db = try Database(options: options)
        defer { db.close() }
        let store = Store(database: db, thresholds: FlagThresholds(), settings: MeasureSettings(),
                          now: { Instant(epochSeconds: 1_780_000_000) })
        let actor = Actor(tokenName: "t", requestID: "r")
        _ = try store.createTeam(Team(id: "A", name: "Wijkteam A"), actor: actor)
        _ = try store.createClient(Client(id: "c1", externalRef: "ZK-SCRUB-0001", teamID: "A",
                                          openedOn: LocalDate(iso: "2026-01-01")!), scope: .all, actor: actor)
        let reading = Outcomes()
        let reader = Thread {
            _ = try? db.read { c in
                _ = try c.query("SELECT * FROM clients")
                reading.set("started", "yes")
                usleep(1_200_000)
            }
            reading.set("done", "yes")
        }
        reader.start()
        while reading["started"] == nil { usleep(10_000) }
        try store.erase(clientID: "c1", scope: .all, actor: actor)
        #expect(try db.read { c in try c.queryOne("SELECT 1 FROM clients WHERE id = 'c1'") } == nil)
        #expect(db.isScrubPending, "the reader should have held the checkpoint up")
        let deadline = Date().addingTimeInterval(8)
        while db.isScrubPending, Date() < deadline { usleep(50_000) }
        #expect(!db.isScrubPending)
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data("ZK-SCRUB-0001".utf8)) == nil)
    }
}

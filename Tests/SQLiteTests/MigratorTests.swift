import TestSupport
import Testing
import Glibc
import Hashing
@testable import SQLite

private let teams = "CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
private let clients = """
    CREATE TABLE client (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES team(id));
    CREATE INDEX client_team ON client(team_id);

    """
private let flags = "ALTER TABLE client ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;\n"

/// A migrations directory inside `dir` holding `files` (name -> content).
private func makeMigrationsDirectory(in dir: String, _ files: [(String, String)]) -> String {
    let migrations = dir + "/migrations"
    #expect(mkdir(migrations, 0o755) == 0)
    for (name, text) in files { writeFile(migrations + "/" + name, text) }
    return migrations
}

private func tableNames(_ db: Connection) throws -> [String] {
    try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map { $0.string(0) }
}

@Test func load_readsSortsAndChecksumsTheFiles() throws {
    try withTemporaryDirectory { dir in
        let path = makeMigrationsDirectory(in: dir, [
            ("0010_flags.sql", flags), ("0001_teams.sql", teams), ("0002_clients-and-index.sql", clients),
            ("README.md", "not a migration"), (".0003_hidden.sql", "garbage"),
        ])
        #expect(mkdir(path + "/9999_subdir.sql", 0o755) == 0)   // a directory is skipped
        let migrations = try Migrator.load(directory: path)
        #expect(migrations.map(\.version) == [1, 2, 10])
        #expect(migrations.map(\.name) == ["teams", "clients-and-index", "flags"])
        #expect(migrations[0].sql == teams)
        #expect(migrations[0].checksum == SHA256.hex(SHA256.hash(Array(teams.utf8))))
        #expect(migrations[0].checksum.count == 64)
        #expect(migrations[0] == Migration(version: 1, name: "teams", sql: teams))
        // A trailing slash on the directory is fine.
        #expect(try Migrator.load(directory: path + "/") == migrations)
    }
}

@Test(arguments: [
    "init.sql", "0001.sql", "0001-init.sql", "0001_.sql", "_init.sql", "abc_init.sql",
    "0001_in it.sql", "0001_init.sql.sql", "0001_ïnit.sql", "1234567890_too_long.sql", "x0001_init.sql",
])
func load_rejectsABadFileName(fileName: String) throws {
    try withTemporaryDirectory { dir in
        let path = makeMigrationsDirectory(in: dir, [("0001_teams.sql", teams), (fileName, "SELECT 1;")])
        #expect {
            _ = try Migrator.load(directory: path)
        } throws: { error in
            guard case MigrationError.badFileName(let name) = error else { return false }
            return name == fileName
        }
    }
}

@Test func load_rejectsTwoFilesWithTheSameVersion() throws {
    try withTemporaryDirectory { dir in
        let path = makeMigrationsDirectory(in: dir, [("0001_teams.sql", teams), ("1_other.sql", clients)])
        #expect {
            _ = try Migrator.load(directory: path)
        } throws: { error in
            guard case MigrationError.duplicateVersion(1) = error else { return false }
            return true
        }
    }
}

@Test func load_ofAMissingDirectory_isUnreadable() throws {
    try withTemporaryDirectory { dir in
        #expect {
            _ = try Migrator.load(directory: dir + "/nope")
        } throws: { error in
            guard case MigrationError.unreadableDirectory(let detail) = error else { return false }
            return detail.contains("nope")
        }
    }
}

@Test func migrate_appliesInOrder_andASecondRunAppliesNothing() throws {
    try withTemporaryDirectory { dir in
        let path = makeMigrationsDirectory(in: dir, [
            ("0001_teams.sql", teams), ("0002_clients.sql", clients), ("0003_flags.sql", flags),
        ])
        let migrations = try Migrator.load(directory: path)
        let db = try makeConnection(in: dir)
        #expect(try Migrator.applied(db).isEmpty)

        let first = try Migrator.migrate(db, migrations)
        #expect(first.map(\.version) == [1, 2, 3])
        #expect(try tableNames(db) == ["client", "schema_migrations", "team"])
        // 0003 ran after 0002: the column it adds exists.
        try db.run("INSERT INTO team(name) VALUES ('North')")
        try db.run("INSERT INTO client(team_id, flagged) VALUES (1, 1)")

        let applied = try Migrator.applied(db)
        #expect(applied.map(\.version) == [1, 2, 3])
        #expect(applied.map(\.name) == ["teams", "clients", "flags"])
        #expect(applied.map(\.checksum) == migrations.map(\.checksum))

        #expect(try Migrator.migrate(db, migrations).isEmpty)
        let reopened = try makeConnection(in: dir)
        #expect(try Migrator.migrate(reopened, try Migrator.load(directory: path)).isEmpty)
    }
}

@Test func migrate_appliesOnlyTheNewOnes_whenAFileIsAdded() throws {
    try withTemporaryDirectory { dir in
        let path = makeMigrationsDirectory(in: dir, [("0001_teams.sql", teams)])
        let db = try makeConnection(in: dir)
        #expect(try Migrator.migrate(db, Migrator.load(directory: path)).map(\.version) == [1])
        writeFile(path + "/0002_clients.sql", clients)
        #expect(try Migrator.migrate(db, Migrator.load(directory: path)).map(\.name) == ["clients"])
    }
}

@Test func migrate_withAnAppliedFileEdited_refusesWithEdited() throws {
    try withTemporaryDirectory { dir in
        let path = makeMigrationsDirectory(in: dir, [("0001_teams.sql", teams), ("0002_clients.sql", clients)])
        let db = try makeConnection(in: dir)
        _ = try Migrator.migrate(db, Migrator.load(directory: path))
        writeFile(path + "/0002_clients.sql", clients + "-- a harmless-looking comment\n")
        writeFile(path + "/0003_flags.sql", flags)
        #expect {
            _ = try Migrator.migrate(db, Migrator.load(directory: path))
        } throws: { error in
            guard case MigrationError.edited(version: 2, name: "clients") = error else { return false }
            return true
        }
        // Nothing pending was applied after the refusal.
        #expect(try Migrator.applied(db).map(\.version) == [1, 2])
    }
}

@Test func migrate_withAnAppliedMigrationMissing_refusesWithUnknownApplied() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        let all = [Migration(version: 1, name: "teams", sql: teams), Migration(version: 2, name: "clients", sql: clients)]
        _ = try Migrator.migrate(db, all)
        #expect {
            _ = try Migrator.migrate(db, [all[0]])
        } throws: { error in
            guard case MigrationError.unknownApplied(version: 2) = error else { return false }
            return true
        }
    }
}

@Test func migrate_aFailingMigration_leavesNoBookkeepingRowAndNoPartialSchema() throws {
    try withTemporaryDirectory { dir in
        let path = makeMigrationsDirectory(in: dir, [
            ("0001_teams.sql", teams),
            // The first statement succeeds, the second fails: the table must not remain.
            ("0002_broken.sql", "CREATE TABLE half_done (x);\nINSERT INTO no_such_table VALUES (1);\n"),
            ("0003_flags.sql", "CREATE TABLE later (x);\n"),
        ])
        let db = try makeConnection(in: dir)
        #expect {
            _ = try Migrator.migrate(db, Migrator.load(directory: path))
        } throws: { error in
            guard case MigrationError.failed(version: 2, name: "broken", let cause) = error else { return false }
            return cause.message.contains("no such table") && String(describing: error).contains("broken")
        }
        #expect(!db.isInTransaction)
        #expect(try Migrator.applied(db).map(\.version) == [1])
        #expect(try tableNames(db) == ["schema_migrations", "team"])

        // Fixing the file lets the next run continue from version 2.
        writeFile(path + "/0002_broken.sql", "CREATE TABLE half_done (x);\n")
        #expect(try Migrator.migrate(db, Migrator.load(directory: path)).map(\.version) == [2, 3])
    }
}

@Test func migrate_aMigrationThatCommitsOnItsOwn_isReportedAsFailed() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        let sneaky = Migration(version: 1, name: "sneaky", sql: "CREATE TABLE a(x); COMMIT;")
        #expect(throws: MigrationError.self) { _ = try Migrator.migrate(db, [sneaky]) }
        #expect(try Migrator.applied(db).isEmpty)
    }
}

@Test func migrate_rejectsDuplicateVersionsPassedInCode() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        let twins = [Migration(version: 4, name: "a", sql: teams), Migration(version: 4, name: "b", sql: clients)]
        #expect {
            _ = try Migrator.migrate(db, twins)
        } throws: { error in
            guard case MigrationError.duplicateVersion(4) = error else { return false }
            return true
        }
    }
}

@Test func migrate_recordsAppliedAtAsRFC3339UTC() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        _ = try Migrator.migrate(db, [Migration(version: 1, name: "teams", sql: teams)])
        let appliedAt = try #require(try db.queryOne("SELECT applied_at FROM schema_migrations")?.string(0))
        let bytes = Array(appliedAt.utf8)
        #expect(bytes.count == 20)
        #expect(appliedAt.hasSuffix("Z"))
        #expect(bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-") && bytes[10] == UInt8(ascii: "T"))
        #expect(bytes[13] == UInt8(ascii: ":") && bytes[16] == UInt8(ascii: ":"))
        // SQLite agrees it is a valid date-time within a minute of now.
        let skew = try db.queryOne("SELECT abs(strftime('%s','now') - strftime('%s', ?))", [.text(appliedAt)])
        #expect(skew?.isNull(0) == false)
        #expect((skew?.int(0) ?? 999) < 60)
    }
}

extension Row {
    fileprivate func isNull(_ i: Int) -> Bool { self[i] == .null }
}

@Test(arguments: [
    (Int64(0), "1970-01-01T00:00:00Z"),
    (-1, "1969-12-31T23:59:59Z"),
    (951_782_400, "2000-02-29T00:00:00Z"),
    (1_709_251_199, "2024-02-29T23:59:59Z"),
    (1_709_251_200, "2024-03-01T00:00:00Z"),
    (4_107_542_400, "2100-03-01T00:00:00Z"),
    (253_402_300_799, "9999-12-31T23:59:59Z"),
    (-62_135_596_800, "0001-01-01T00:00:00Z"),
])
func rfc3339_formatsKnownInstants(seconds: Int64, expected: String) {
    #expect(Migrator.rfc3339UTC(secondsSinceEpoch: seconds) == expected)
}

@Test func twoConnectionsMigratingTogether_applyEachMigrationExactlyOnce() async throws {
    try await withTemporaryDirectory { dir in
        let path = dir + "/shared.sqlite"
        let migrations = (1...12).map { Migration(version: $0, name: "t\($0)", sql: "CREATE TABLE t\($0) (x);") }
        let results = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    // Each task opens its own connection: a Connection is used by one thread.
                    let db = try Connection(path: path)
                    return try Migrator.migrate(db, migrations).map(\.version)
                }
            }
            var all: [[Int]] = []
            for try await applied in group { all.append(applied) }
            return all
        }
        #expect(results.count == 2)
        #expect(results.flatMap { $0 }.sorted() == Array(1...12))
        let db = try Connection(path: path)
        #expect(try Migrator.applied(db).map(\.version) == Array(1...12))
        #expect(try Migrator.migrate(db, migrations).isEmpty)
    }
}

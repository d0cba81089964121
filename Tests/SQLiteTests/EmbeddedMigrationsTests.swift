import Hashing
import TestSupport
import Testing
@testable import SQLite

/// The binary applies `Migrator.embedded`; migrations/ is the source. These fail when someone
/// edits or adds a migration file without running scripts/embed-migrations.
struct EmbeddedMigrationsTests {
    static let folder = String(#filePath.split(separator: "/", omittingEmptySubsequences: false)
        .dropLast(3).joined(separator: "/")) + "/migrations"

    @Test func embeddedCopy_equalsTheMigrationsFolder() throws {
        let files = try Migrator.load(directory: Self.folder)
        #expect(!files.isEmpty)
        #expect(Migrator.embedded.map(\.version) == files.map(\.version),
                "migrations/ and the embedded copy differ in versions: run scripts/embed-migrations")
        for (embedded, file) in zip(Migrator.embedded, files) {
            #expect(embedded == file, "migration \(file.version) (\(file.name)) differs from its embedded copy: run scripts/embed-migrations")
        }
    }

    @Test func embeddedChecksums_areThoseOfTheirText() {
        for m in Migrator.embedded {
            #expect(m.checksum == SHA256.hex(SHA256.hash(m.sql)), "migration \(m.version)")
        }
    }

    @Test func embeddedMigrations_migrateAFreshDatabase() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/fresh.sqlite")
            defer { db.close() }
            let applied = try Migrator.migrate(db, Migrator.embedded)
            #expect(applied.map(\.version) == Migrator.embedded.map(\.version))
            #expect(try Migrator.migrate(db, Migrator.embedded).isEmpty)
        }
    }
}

import CSQLite
import Hashing
import POSIX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One schema migration, from a file named `NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    /// From NNNN in NNNN_name.sql.
    public let version: Int
    /// The "name" part of NNNN_name.sql.
    public let name: String
    public let sql: String
    /// Lowercase hex SHA-256 of the file bytes.
    public let checksum: String

    public init(version: Int, name: String, sql: String, checksum: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = checksum
    }

    /// A migration defined in code; the checksum is that of the SQL's UTF-8 bytes, the
    /// same as for a file with that content.
    public init(version: Int, name: String, sql: String) {
        self.init(version: version, name: name, sql: sql, checksum: SHA256.hex(SHA256.hash(sql)))
    }
}

public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The directory (or a file in it) could not be read; the text says which and why.
    case unreadableDirectory(String)
    /// Not NNNN_name.sql.
    case badFileName(String)
    case duplicateVersion(Int)
    /// An applied migration's file changed: refuse to start rather than run on a schema
    /// that no longer matches its history.
    case edited(version: Int, name: String)
    /// The database has a migration the directory lacks (e.g. an older build).
    case unknownApplied(version: Int)
    case failed(version: Int, name: String, SQLiteError)

    public var description: String {
        switch self {
        case .unreadableDirectory(let detail):
            return "cannot read migrations: \(detail)"
        case .badFileName(let name):
            return "bad migration file name \"\(name)\": expected NNNN_name.sql (digits, underscore, letters/digits/_/-)"
        case .duplicateVersion(let version):
            return "two migrations have version \(version)"
        case .edited(let version, let name):
            return "migration \(version) (\(name)) was edited after it was applied: its checksum changed"
        case .unknownApplied(let version):
            return "the database has migration \(version) applied, but no such migration file exists"
        case .failed(let version, let name, let error):
            return "migration \(version) (\(name)) failed and was rolled back: \(error)"
        }
    }
}

public enum Migrator {
    static let createBookkeeping = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """

    /// Reads `NNNN_name.sql` files (opendir/readdir, open/read), sorted by version.
    /// Dot-files, sub-directories and files not ending in `.sql` (a README) are ignored;
    /// a `.sql` file with any other name is rejected, so a typo cannot be skipped silently.
    public static func load(directory: String) throws -> [Migration] {
        guard let dir = opendir(directory) else {
            throw MigrationError.unreadableDirectory("\(directory): \(errnoText())")
        }
        defer { closedir(dir) }
        var migrations: [Migration] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw MigrationError.unreadableDirectory("\(directory): \(errnoText())") }
                break
            }
            let fileName = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if fileName.hasPrefix(".") || !fileName.hasSuffix(".sql") { continue }
            let filePath = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
            guard isRegularFile(filePath) else { continue }
            guard let (version, name) = parseFileName(fileName) else {
                throw MigrationError.badFileName(fileName)
            }
            let bytes = try readFile(filePath)
            migrations.append(Migration(version: version, name: name,
                                        sql: String(decoding: bytes, as: UTF8.self),
                                        checksum: SHA256.hex(SHA256.hash(bytes))))
        }
        try checkUniqueVersions(migrations)
        return migrations.sorted { $0.version < $1.version }
    }

    /// `NNNN_name.sql` -> (NNNN, name): one to nine digits, an underscore, then a name of
    /// ASCII letters, digits, `_` or `-`.
    static func parseFileName(_ fileName: String) -> (Int, String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.utf8.dropLast(4)
        guard let underscore = stem.firstIndex(of: UInt8(ascii: "_")) else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard (1...9).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard !name.isEmpty, name.allSatisfy({ byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }) else { return nil }
        let version = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (version, String(decoding: name, as: UTF8.self))
    }

    private static func checkUniqueVersions(_ migrations: [Migration]) throws {
        var seen = Set<Int>()
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            guard seen.insert(migration.version).inserted else {
                throw MigrationError.duplicateVersion(migration.version)
            }
        }
    }

    /// Creates `schema_migrations` if missing; verifies every applied migration's checksum
    /// (`.edited` if changed, `.unknownApplied` if missing); applies each pending migration
    /// in its OWN immediate transaction together with its bookkeeping row; returns the ones
    /// applied now, in order.
    ///
    /// Safe against another process migrating the same file at the same time: each
    /// transaction re-checks whether its version was applied meanwhile. Migration files must
    /// not contain BEGIN/COMMIT of their own.
    public static func migrate(_ db: Connection, _ migrations: [Migration]) throws -> [Migration] {
        try checkUniqueVersions(migrations)
        let ordered = migrations.sorted { $0.version < $1.version }
        let byVersion = Dictionary(uniqueKeysWithValues: ordered.map { ($0.version, $0) })

        try db.execute(createBookkeeping)
        for applied in try applied(db) {
            guard let migration = byVersion[applied.version] else {
                throw MigrationError.unknownApplied(version: applied.version)
            }
            guard migration.checksum == applied.checksum else {
                throw MigrationError.edited(version: migration.version, name: migration.name)
            }
        }

        var appliedNow: [Migration] = []
        for migration in ordered {
            let didApply: Bool
            do {
                didApply = try db.transaction(.immediate) { () throws -> Bool in
                    // Another connection may have applied it since we looked.
                    if let row = try db.queryOne("SELECT checksum FROM schema_migrations WHERE version = ?",
                                                 [.integer(Int64(migration.version))]) {
                        guard row.string(0) == migration.checksum else {
                            throw MigrationError.edited(version: migration.version, name: migration.name)
                        }
                        return false
                    }
                    try db.execute(migration.sql)
                    guard db.isInTransaction else {
                        throw SQLiteError.misuse("the migration ended the transaction itself; remove BEGIN/COMMIT from the file")
                    }
                    try db.run("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                               [.integer(Int64(migration.version)), .text(migration.name),
                                .text(migration.checksum), .text(rfc3339UTCNow())])
                    return true
                }
            } catch let error as SQLiteError {
                throw MigrationError.failed(version: migration.version, name: migration.name, error)
            }
            if didApply { appliedNow.append(migration) }
        }
        return appliedNow
    }

    /// The bookkeeping rows, by version; empty if `schema_migrations` does not exist yet.
    public static func applied(_ db: Connection) throws -> [(version: Int, name: String, checksum: String)] {
        let exists = try db.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        guard exists != nil else { return [] }
        return try db.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version").map {
            (version: $0.int(0), name: $0.string(1), checksum: $0.string(2))
        }
    }

    // MARK: - Files

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        do {
            guard let bytes = try readWholeFile(path) else { throw SystemCallError("open \(path)", errno: ENOENT) }
            return bytes
        } catch let e as SystemCallError {
            throw MigrationError.unreadableDirectory("\(path): \(String(cString: strerror(e.errno)))")
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    // MARK: - Time

    /// The current UTC time as RFC 3339 text, e.g. "2025-03-07T14:05:09Z".
    static func rfc3339UTCNow() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return rfc3339UTC(secondsSinceEpoch: Int64(now.tv_sec))
    }

    /// RFC 3339 §5.6 `date-time` in UTC with a "Z" offset.
    static func rfc3339UTC(secondsSinceEpoch: Int64) -> String {
        let days = floorDiv(secondsSinceEpoch, 86_400)
        let secondOfDay = secondsSinceEpoch - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let digits = String(v)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Proleptic Gregorian (year, month, day) of a day count from 1970-01-01. Counts from
    /// 0000-03-01 so the leap day falls at the end of each 400-year era's years.
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSinceEpoch + 719_468                 // days from 0000-03-01
        let era = floorDiv(shifted, 146_097)                   // 400-year eras
        let dayOfEra = shifted - era * 146_097                 // [0, 146096]
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)   // from March 1st
        let monthFromMarch = (5 * dayOfYear + 2) / 153         // [0, 11], 0 = March
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `Connection.backup(into:)` copied.
public struct BackupSummary: Sendable, Equatable {
    public let pages: Int
    public let pageSize: Int
    public var bytes: Int { pages * pageSize }
}

extension Connection {
    /// Copies this connection's database into the (new or empty) file at `path` with SQLite's
    /// online backup API (c3ref/backup_finish.html), `pagesPerStep` pages at a time, calling
    /// `progress(copied, total)` after each step.
    ///
    /// All steps read one snapshot: the read transaction opened here stays open until the last
    /// step, so writes by other connections neither restart the copy nor appear in it, and in
    /// WAL mode they are not held up (wal.html §2.2: readers do not block writers). The copy is
    /// left in rollback-journal mode, one self-contained file.
    public func backup(into path: String, pagesPerStep: Int32 = 1024,
                       progress: (Int, Int) -> Void = { _, _ in }) throws -> BackupSummary {
        let source = try rawSourceHandle()
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let destination = handle else {
            let error = SQLiteError.make(rc, db: handle, sql: nil)
            sqlite3_close_v2(handle)
            throw SQLiteError(code: error.code, message: "cannot open \(path): \(error.message)")
        }
        defer { sqlite3_close_v2(destination) }

        try transaction(.deferred) {
            // A read transaction starts at its first read (lang_transaction.html).
            _ = try queryOne("SELECT count(*) FROM sqlite_schema")
            guard let backup = sqlite3_backup_init(destination, "main", source, "main") else {
                throw SQLiteError.make(sqlite3_errcode(destination), db: destination, sql: nil)
            }
            var stepResult = SQLITE_OK
            repeat {
                stepResult = sqlite3_backup_step(backup, pagesPerStep)
                let total = Int(sqlite3_backup_pagecount(backup))
                progress(total - Int(sqlite3_backup_remaining(backup)), total)
            } while stepResult == SQLITE_OK
            let finish = sqlite3_backup_finish(backup)
            guard stepResult == SQLITE_DONE, finish == SQLITE_OK else {
                throw SQLiteError.make(stepResult == SQLITE_DONE ? finish : stepResult, db: destination, sql: nil)
            }
        }
        // The copied header says WAL; a backup file is better one file on its own.
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(destination, "PRAGMA journal_mode=DELETE", nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "journal_mode=DELETE failed"
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(destination), message: text, sql: "PRAGMA journal_mode=DELETE")
        }
        let pageSize = try queryOne("PRAGMA page_size")?.int(0) ?? 4096
        let pages = try Connection(path: path, options: { var o = ConnectionOptions(); o.readOnly = true; return o }())
        defer { pages.close() }
        return BackupSummary(pages: try pages.queryOne("PRAGMA page_count")?.int(0) ?? 0, pageSize: pageSize)
    }

    private func rawSourceHandle() throws -> OpaquePointer {
        guard let db = rawHandle else { throw SQLiteError.misuse("connection is closed") }
        return db
    }

    /// `PRAGMA integrity_check`: "ok", or the problems it found (pragma.html#pragma_integrity_check).
    public func integrityCheck() throws -> String {
        try query("PRAGMA integrity_check").map { $0.string(0) }.joined(separator: "; ")
    }
}

import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PRAGMA synchronous levels (sqlite.org/pragma.html#pragma_synchronous).
public enum Synchronous: String, Sendable {
    case off = "OFF", normal = "NORMAL", full = "FULL", extra = "EXTRA"
}

public struct ConnectionOptions: Sendable {
    public var readOnly = false
    public var busyTimeoutMilliseconds: Int32 = 5000
    /// FULL by default: "In WAL mode when synchronous is NORMAL, ... a transaction committed
    /// in WAL mode ... might roll back following a power loss" (pragma.html#pragma_synchronous),
    /// and SPEC §7 promises that an acknowledged write is on disk.
    public var synchronous: Synchronous = .full
    /// PRAGMA secure_delete=ON: "SQLite overwrites deleted content with zeros", so erasure
    /// leaves no bytes behind in the main file (the WAL still needs a checkpoint).
    public var secureDelete = true
    public init() {}
}

/// One sqlite3* handle. Not Sendable: use it from one thread at a time (the owner decides).
public final class Connection {
    public let path: String
    private var db: OpaquePointer?
    private var statementCache: [String: Statement] = [:]
    private var savepointCounter = 0

    /// Creates the database file readable by its owner only (0600), whatever the umask, if it
    /// does not exist yet. SQLite gives the -wal and -shm files the database file's permissions
    /// (os_unix.c, findCreateFileMode), so they are 0600 too (SPEC §10).
    static func createPrivately(_ path: String) throws {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd >= 0 {
            // fchmod: the umask may have taken bits off, never added; 0600 is what we want.
            guard fchmod(fd, 0o600) == 0 else {
                let e = errno
                closeDescriptor(fd)
                throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot set 0600 on \(path): \(String(cString: strerror(e)))", sql: nil)
            }
            closeDescriptor(fd)
        } else if errno != EEXIST {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot create \(path): \(String(cString: strerror(errno)))", sql: nil)
        }
    }

    /// Opens (creating if needed) the database at `path`, in WAL mode with foreign keys on.
    /// Creates missing parent directories, so `./data/continuity.sqlite` works on a fresh clone.
    public init(path: String, options: ConnectionOptions = ConnectionOptions()) throws {
        self.path = path
        let inMemory = path.isEmpty || path == ":memory:"
        if !inMemory && !options.readOnly {
            try Self.createParentDirectories(of: path)
            try Self.createPrivately(path)
        }

        // NOMUTEX: the owner guarantees one thread at a time (c3ref/open.html).
        var flags = SQLITE_OPEN_NOMUTEX
        flags |= options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let error = SQLiteError.make(rc, db: handle, sql: nil)
            // "Whether or not an error occurs when it is opened, resources associated with
            // the database connection handle should be released by passing it to sqlite3_close()".
            sqlite3_close_v2(handle)
            throw SQLiteError(code: error.code, message: "cannot open \(path): \(error.message)", sql: nil)
        }
        db = handle
        do {
            try configure(options: options, inMemory: inMemory)
        } catch {
            close()
            throw error
        }
    }

    private func configure(options: ConnectionOptions, inMemory: Bool) throws {
        guard let db else { return }
        sqlite3_extended_result_codes(db, 1)
        // Reject "double-quoted string literals" so a misspelt column name is an error, not a
        // string (quirks.html §8); DEFENSIVE forbids writes that could corrupt the file.
        _ = continuity_sqlite3_db_config_int(db, SQLITE_DBCONFIG_DQS_DML, 0)
        _ = continuity_sqlite3_db_config_int(db, SQLITE_DBCONFIG_DQS_DDL, 0)
        _ = continuity_sqlite3_db_config_int(db, SQLITE_DBCONFIG_DEFENSIVE, 1)

        if !options.readOnly && !inMemory {
            // journal_mode answers the mode now in effect; anything but "wal" means WAL
            // could not be enabled (wal.html §3.3: "returns the string 'wal'" on success).
            let sql = "PRAGMA journal_mode=WAL"
            // Switching a new file to WAL needs an exclusive lock. With a busy handler, two
            // connections opening the same new file at once could each hold a shared lock while
            // waiting for the other (one migrating, one switching) until both time out. So the
            // switch does not wait inside SQLite: a busy answer releases the locks, and it is
            // tried again after 10 ms, for up to the busy timeout.
            sqlite3_busy_timeout(db, 0)
            var mode: String?
            var waited: Int32 = 0
            while true {
                do {
                    mode = try queryOne(sql)?.optionalString(0)?.lowercased()
                    break
                } catch let e as SQLiteError where e.isBusy && waited < options.busyTimeoutMilliseconds {
                    usleep(10_000)
                    waited += 10
                }
            }
            guard mode == "wal" else {
                throw SQLiteError(code: SQLITE_ERROR, message: "journal_mode=WAL refused (mode is \(mode ?? "unknown"))", sql: sql)
            }
        }
        sqlite3_busy_timeout(db, options.busyTimeoutMilliseconds)
        try execute("PRAGMA foreign_keys=ON")
        try execute("PRAGMA synchronous=\(options.synchronous.rawValue)")
        try execute("PRAGMA secure_delete=\(options.secureDelete ? "ON" : "OFF")")
    }

    deinit {
        close()
    }

    /// The raw sqlite3* for calls this wrapper lacks; nil once closed.
    public var rawHandle: OpaquePointer? { db }

    private func handle(sql: String? = nil) throws -> OpaquePointer {
        guard let db else { throw SQLiteError.misuse("connection is closed", sql: sql) }
        return db
    }

    /// Finalizes cached statements and closes. Idempotent. Statements still held by the
    /// caller keep the handle alive as a "zombie" until they go (c3ref/close.html, close_v2).
    public func close() {
        guard let db else { return }
        for statement in statementCache.values { statement.finalize() }
        statementCache.removeAll()
        sqlite3_close_v2(db)
        self.db = nil
    }

    /// Runs one or more statements without arguments (sqlite3_exec).
    public func execute(_ sql: String) throws {
        let db = try handle(sql: sql)
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errorMessage)
        guard rc == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: sqlite3_extended_errcode(db), message: message, sql: sql)
        }
    }

    /// A new, uncached statement; finalized when released.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(db: handle(sql: sql), sql: sql)
    }

    /// The statement cached for this exact SQL text (prepared on first use), reset with
    /// bindings cleared. If that statement is busy in a streaming read, a fresh one is
    /// returned instead.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let cached = statementCache[sql] {
            if cached.isInUse { return try prepare(sql) }
            cached.resetAndClearBindings()
            return cached
        }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs one statement with arguments, stepping it to completion.
    public func run(_ sql: String, _ args: [SQLiteValue] = []) throws {
        let statement = try cachedStatement(sql)
        defer { statement.resetAndClearBindings() }
        try statement.bind(args)
        while try statement.step() {}
    }

    /// All rows of one statement.
    public func query(_ sql: String, _ args: [SQLiteValue] = []) throws -> [Row] {
        let statement = try cachedStatement(sql)
        defer { statement.resetAndClearBindings() }
        try statement.bind(args)
        var rows: [Row] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// The first row, or nil. The statement is reset after the first row.
    public func queryOne(_ sql: String, _ args: [SQLiteValue] = []) throws -> Row? {
        let statement = try cachedStatement(sql)
        defer { statement.resetAndClearBindings() }
        try statement.bind(args)
        return try statement.step() ? statement.row() : nil
    }

    /// Streams rows to `body` without building arrays: for big scans. The cursor is valid
    /// only during the call. Errors thrown by `body` stop the scan and are rethrown.
    public func forEachRow(_ sql: String, _ args: [SQLiteValue] = [], _ body: (borrowing RowCursor) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        statement.isInUse = true
        defer {
            statement.isInUse = false
            statement.resetAndClearBindings()
        }
        try statement.bind(args)
        let cursor = RowCursor(statement: statement)
        while try statement.step() {
            try body(cursor)
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int {
        guard let db else { return 0 }
        return Int(sqlite3_changes64(db))
    }

    public var lastInsertRowID: Int64 {
        guard let db else { return 0 }
        return sqlite3_last_insert_rowid(db)
    }

    /// "Autocommit mode is disabled by a BEGIN statement" (c3ref/get_autocommit.html).
    public var isInTransaction: Bool {
        guard let db else { return false }
        return sqlite3_get_autocommit(db) == 0
    }

    public enum TransactionKind: String, Sendable {
        case deferred = "DEFERRED", immediate = "IMMEDIATE", exclusive = "EXCLUSIVE"
    }

    /// BEGIN kind; body; COMMIT. Any error from body or COMMIT -> ROLLBACK and rethrow the
    /// first error. IMMEDIATE by default: it takes the write lock up front, so the busy
    /// timeout applies at BEGIN instead of failing a read-to-write upgrade later with
    /// SQLITE_BUSY (lang_transaction.html).
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
        do {
            let result = try body()
            try execute("COMMIT TRANSACTION")
            return result
        } catch {
            rollbackIgnoringErrors()
            throw error
        }
    }

    /// "Some errors cause an automatic rollback" (lang_transaction.html), so ROLLBACK only if
    /// a transaction is still open; its own error would hide the first one, so it is dropped.
    private func rollbackIgnoringErrors() {
        guard isInTransaction else { return }
        try? execute("ROLLBACK TRANSACTION")
    }

    /// SAVEPOINT name; body; RELEASE. Error -> ROLLBACK TO + RELEASE, rethrow. Nestable;
    /// outside a transaction it behaves as BEGIN DEFERRED ... COMMIT (lang_savepoint.html).
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointCounter += 1
        let name = "continuity_sp\(savepointCounter)"
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE SAVEPOINT \(name)")
            return result
        } catch {
            // "ROLLBACK TO ... does not cancel the transaction": RELEASE pops the savepoint.
            if isInTransaction {
                try? execute("ROLLBACK TRANSACTION TO SAVEPOINT \(name)")
                try? execute("RELEASE SAVEPOINT \(name)")
            }
            throw error
        }
    }

    /// Copies the WAL into the database. TRUNCATE also empties the WAL file, so erased rows'
    /// old page images do not linger there (wal.html §4, c3ref/wal_checkpoint_v2.html).
    public func checkpoint(truncate: Bool = true) throws {
        let db = try handle()
        let mode = truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE
        var logFrames: Int32 = 0
        var checkpointed: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(db, nil, mode, &logFrames, &checkpointed)
        guard rc == SQLITE_OK else {
            throw SQLiteError.make(rc, db: db, sql: truncate ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(PASSIVE)")
        }
    }

    /// mkdir -p of the directory part of `path`.
    static func createParentDirectories(of path: String) throws {
        guard let slash = path.lastIndex(of: "/") else { return }
        let parent = String(path[..<slash])
        guard !parent.isEmpty else { return }
        var prefix = parent.hasPrefix("/") ? "/" : ""
        for component in parent.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if component != "." && component != ".." {
                // 0750: the database holds personal data.
                if mkdir(prefix, 0o750) != 0 && errno != EEXIST {
                    let code = errno
                    throw SQLiteError(code: SQLITE_CANTOPEN,
                                      message: "cannot create directory \(prefix): \(String(cString: strerror(code)))",
                                      sql: nil)
                }
            }
            prefix += "/"
        }
    }
}

/// `close(2)` under a name that Connection's own `close()` does not shadow.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

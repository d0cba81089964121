import Continuity
import Glibc
import SQLite

public struct StoreOptions: Sendable {
    public var path: String
    public var migrationsDirectory: String
    /// Applied instead of the files in `migrationsDirectory` when set (the binary passes
    /// `Migrator.embedded`, so it runs from any directory).
    public var migrations: [Migration]?
    public var synchronous: Synchronous = .full
    public var busyTimeoutMilliseconds: Int32 = 5000
    /// Commit the waiting writes of many requests in one transaction (a savepoint each).
    public var groupCommit = true
    public var maxBatch = 256
    public init(path: String, migrationsDirectory: String) {
        self.path = path
        self.migrationsDirectory = migrationsDirectory
    }
}

/// The one place that owns SQLite connections. Writes go through a single writer thread that
/// commits waiting requests together (group commit): each caller is answered only after the
/// transaction holding its write committed (SPEC §7: a 2xx on a write means committed). A
/// failing write rolls back only its own savepoint. Reads use a pool of read-only
/// connections; in WAL mode they never wait for the writer (sqlite.org/wal.html).
public final class Database: @unchecked Sendable {
    public let options: StoreOptions
    private let monitor = Monitor()
    private var queue: [WriteJob] = []
    private var stopping = false
    private var writerThread: pthread_t?
    private var readers: [Connection] = []
    private let writer: Connection
    private var writeCount = 0
    /// Writes committed since start, for metrics.
    public var committedWrites: Int { monitor.locked { writeCount } }
    /// Called after each commit with the batch size (metrics).
    public var onCommit: (@Sendable (Int) -> Void)?

    /// Opens the database, applies pending migrations, starts the writer thread.
    public init(options: StoreOptions) throws {
        self.options = options
        // Migrations first: nothing is created on disk unless they are readable and well formed.
        let migrations = try options.migrations ?? Migrator.load(directory: options.migrationsDirectory)
        writer = try Connection(path: options.path, options: Database.connectionOptions(options, readOnly: false))
        appliedMigrations = try Migrator.migrate(writer, migrations)
        writerThread = startThread { [unowned self] in self.writerLoop() }
    }

    /// Migrations applied when this database was opened (for `continuity migrate`).
    public let appliedMigrations: [Migration]

    static func connectionOptions(_ o: StoreOptions, readOnly: Bool) -> ConnectionOptions {
        var c = ConnectionOptions()
        c.readOnly = readOnly
        c.busyTimeoutMilliseconds = o.busyTimeoutMilliseconds
        c.synchronous = o.synchronous
        c.secureDelete = true
        return c
    }

    deinit { close() }

    /// Finishes queued writes, stops the writer thread, closes every connection.
    public func close() {
        let thread: pthread_t? = monitor.locked {
            if stopping { return nil }
            stopping = true
            monitor.broadcast()
            return writerThread
        }
        guard let thread else { return }
        pthread_join(thread, nil)
        if scrubPending { try? writer.checkpoint(truncate: true) }
        monitor.locked {
            for r in readers { r.close() }
            readers.removeAll()
        }
        writer.close()
    }

    // MARK: reads

    /// Runs `body` on a read-only connection inside one read transaction (a consistent snapshot).
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let conn: Connection = try monitor.locked {
            if stopping { throw StoreError.unavailable("the database is closing") }
            if let c = readers.popLast() { return c }
            let reader = try Connection(path: options.path, options: Database.connectionOptions(options, readOnly: true))
            // A small page cache per reader (SQLite's default is 2 MB each, times one reader per
            // worker): the OS page cache holds the hot pages for all of them.
            try reader.execute("PRAGMA cache_size = -256")
            return reader

        }
        defer { monitor.locked { if stopping { conn.close() } else { readers.append(conn) } } }
        return try conn.transaction(.deferred) { try body(conn) }
    }

    // MARK: writes

    /// Runs `body` in the writer's transaction (inside its own savepoint) and returns after the
    /// transaction committed. An error thrown by `body` undoes only `body`'s work.
    public func write<T>(_ body: @escaping (Connection) throws -> T) throws -> T {
        try submit(bare: false, body)
    }

    private func submit<T>(bare: Bool, _ body: @escaping (Connection) throws -> T) throws -> T {
        var result: T?
        let job = WriteJob(bare: bare) { conn in result = try body(conn) }
        try monitor.locked {
            if stopping { throw StoreError.unavailable("the database is closing") }
            queue.append(job)
            // Wake the writer only (it waits on the monitor's own condition); this caller
            // then sleeps on its job's condition, so a commit wakes just its own callers.
            monitor.signal()
            while !job.finished { monitor.wait(on: job.done) }
        }
        if let error = job.error { throw error }
        return result!
    }

    private func writerLoop() {
        while true {
            let batch: [WriteJob] = monitor.locked {
                while queue.isEmpty && !stopping {
                    if scrubPending {
                        // Retry the erasure scrub when idle; a reader's old snapshot may have
                        // held it up.
                        if !monitor.wait(seconds: 1) && queue.isEmpty { return [] }
                    } else {
                        monitor.wait()
                    }
                }
                var n = options.groupCommit ? min(queue.count, options.maxBatch) : min(queue.count, 1)
                // A job that must run outside a transaction (the checkpoint after an erasure) runs alone.
                if let bare = queue.prefix(n).firstIndex(where: { $0.bare }) { n = bare == 0 ? 1 : bare }
                let b = Array(queue.prefix(n))
                queue.removeFirst(n)
                return b
            }
            if batch.isEmpty {
                if monitor.locked({ stopping }) { return } // stopping and nothing left
                scrubIfPending()
                continue
            }
            if batch.count == 1, batch[0].bare {
                do { try batch[0].work(writer) } catch { batch[0].error = error }
            } else {
                commit(batch)
            }
            let ok = batch.filter { $0.error == nil }.count
            let committed = ok > 0
            monitor.locked {
                writeCount += ok
                for job in batch {
                    job.finished = true
                    job.done.signal()
                }
            }
            if committed { onCommit?(ok) }
            scrubIfPending()
        }
    }

    /// One transaction for the batch, a savepoint per job. A job's own error undoes only its
    /// savepoint. Some errors (SQLITE_FULL, IOERR, NOMEM, INTERRUPT) roll back the whole
    /// transaction (sqlite.org/lang_transaction.html, "Response To Errors Within A
    /// Transaction"): then the other jobs' work is gone too, so they run again in a new
    /// transaction without the job that failed; a later SAVEPOINT must never open a
    /// transaction of its own and commit outside the batch.
    private func commit(_ batch: [WriteJob]) {
        var pending = batch
        while !pending.isEmpty {
            var breaker: WriteJob?
            do {
                try writer.transaction(.immediate) {
                    for job in pending {
                        guard writer.isInTransaction else { throw StoreError.unavailable("transaction rolled back") }
                        do {
                            try writer.savepoint { try job.work(writer) }
                        } catch {
                            job.error = error
                            if !writer.isInTransaction {
                                breaker = job
                                throw error
                            }
                        }
                    }
                }
                return
            } catch {
                guard let breaker else {
                    // BEGIN or COMMIT failed: nothing of the batch is on disk.
                    for job in pending where job.error == nil { job.error = error }
                    if let e = error as? SQLiteError, e.isBusy {
                        for job in pending where (job.error as? SQLiteError)?.isBusy == true {
                            job.error = StoreError.unavailable("the database is busy; try again")
                        }
                    }
                    return
                }
                // Run the innocent jobs again; the ones that failed on their own keep their error.
                pending = pending.filter { $0 !== breaker && $0.error == nil }
            }
        }
    }

    private var scrubPending = false

    /// After an erasure: copy the WAL's zeroed pages into the main file and truncate the WAL,
    /// so erased bytes survive in neither file (secure_delete zeroes freed content,
    /// sqlite.org/pragma.html#pragma_secure_delete). A reader on an older snapshot can hold
    /// the checkpoint up: then the writer retries when idle, and at close.
    public func scrubAfterErasure() {
        // Tried at once on the writer thread (outside a transaction); if a reader holds it up,
        // it stays pending and is retried when the writer is idle.
        _ = try? submit(bare: true) { [self] _ in
            monitor.locked { scrubPending = true }
            scrubIfPending()
        }
    }

    /// True while an erasure's pages may still be in the WAL.
    public var isScrubPending: Bool { monitor.locked { scrubPending } }

    /// Writer thread only.
    private func scrubIfPending() {
        guard monitor.locked({ scrubPending }) else { return }
        do {
            // Wait briefly for readers, not the full busy timeout: writes queue behind us.
            try writer.execute("PRAGMA busy_timeout = 200")
            defer { try? writer.execute("PRAGMA busy_timeout = \(options.busyTimeoutMilliseconds)") }
            try writer.checkpoint(truncate: true)
            monitor.locked { scrubPending = false }
        } catch {
            // Stays pending; retried when idle.
        }
    }
}

final class WriteJob: @unchecked Sendable {
    let work: (Connection) throws -> Void
    let bare: Bool
    var error: (any Error)?
    var finished = false
    let done = Condition()
    init(bare: Bool, _ work: @escaping (Connection) throws -> Void) { self.bare = bare; self.work = work }
}

public enum StoreError: Error, Sendable, Equatable {
    case notFound
    /// The id exists with a different body (SPEC §1: 409).
    case conflict(String)
    /// A referenced id does not exist: (JSON field name, detail) (422).
    case invalidReference(field: String, detail: String)
    /// A rule of the domain refuses the write: (field, detail) (422).
    case rejected(field: String, detail: String)
    case unavailable(String)

    /// A rule of SPEC §1 refuses the write (422 at the field).
    static func violated(_ v: RuleViolation) -> StoreError {
        .rejected(field: v.field + (v.index.map { "/\($0)" } ?? ""), detail: v.detail)
    }
}

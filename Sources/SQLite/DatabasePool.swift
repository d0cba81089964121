import Glibc
import POSIX

public struct DatabasePoolOptions: Sendable {
    public var path: String
    public var migrationsDirectory: String
    /// Applied instead of the files in `migrationsDirectory` when set (the binary passes
    /// `Migrator.embedded`, so it runs from any directory).
    public var migrations: [Migration]?
    public var synchronous: Synchronous = .full
    public var busyTimeoutMilliseconds: Int32 = 5000
    /// Commit the waiting writes of many callers in one transaction (a savepoint each).
    public var groupCommit = true
    /// Writes in one transaction at most. Each caller waits for its commit, so a batch never
    /// holds more writes than there are threads writing at once (the HTTP worker threads).
    public var maxBatch = 16
    public init(path: String, migrationsDirectory: String) {
        self.path = path
        self.migrationsDirectory = migrationsDirectory
    }
}

/// What a pool refuses with instead of running the work.
public enum DatabasePoolError: Error, Sendable, Equatable {
    /// `close()` was called.
    case closing
    /// The writer lock stayed taken past the busy timeout: try again later.
    case busy
    /// A batch's transaction was rolled back under a job (SQLITE_FULL, IOERR, …); used inside.
    case rolledBack
}

/// The one place that owns SQLite connections (as GRDB's `DatabasePool`). Writes go through a single writer thread that
/// commits waiting requests together (group commit): each caller is answered only after the
/// transaction holding its write committed (SPEC §7: a 2xx on a write means committed). A
/// failing write rolls back only its own savepoint. Reads use a pool of read-only
/// connections; in WAL mode they never wait for the writer (sqlite.org/wal.html).
public final class DatabasePool: @unchecked Sendable {
    public let options: DatabasePoolOptions
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
    public var onCommit: (@Sendable (Int) -> Void)? {
        get { monitor.locked { commitObserver } }
        set { monitor.locked { commitObserver = newValue } }
    }
    private var commitObserver: (@Sendable (Int) -> Void)?

    /// Opens the database, applies pending migrations, starts the writer thread.
    public init(options: DatabasePoolOptions) throws {
        self.options = options
        // Migrations first: nothing is created on disk unless they are readable and well formed.
        let migrations = try options.migrations ?? Migrator.load(directory: options.migrationsDirectory)
        writer = try Connection(path: options.path, options: DatabasePool.connectionOptions(options, readOnly: false))
        appliedMigrations = try Migrator.migrate(writer, migrations)
        writerThread = try spawnThread { [unowned self] in self.writerLoop() }
    }

    /// Migrations applied when this database was opened (for `continuity migrate`).
    public let appliedMigrations: [Migration]

    static func connectionOptions(_ o: DatabasePoolOptions, readOnly: Bool) -> ConnectionOptions {
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
        joinThread(thread)
        if scrubPending {
            // A last try, waiting at most a second (Litestream's read lock would never let go).
            try? writer.execute("PRAGMA busy_timeout = 1000")
            try? writer.checkpoint(truncate: true)
        }
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
            if stopping { throw DatabasePoolError.closing }
            if let c = readers.popLast() { return c }
            let reader = try Connection(path: options.path, options: DatabasePool.connectionOptions(options, readOnly: true))
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
            if stopping { throw DatabasePoolError.closing }
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
                        // Retry the erasure scrub when it is due; a reader's old snapshot (or
                        // Litestream's read transaction) may have held it up.
                        let due = nextScrubAttempt - monotonicSeconds()
                        if due <= 0 || (!monitor.wait(seconds: due) && queue.isEmpty) { return [] }
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
                        guard writer.isInTransaction else { throw DatabasePoolError.rolledBack }
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
                            job.error = DatabasePoolError.busy
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
    /// Monotonic time of the next scrub attempt, and the pause after a failed one (doubling
    /// from 1 s up to 10 s). Writer thread and monitor only.
    private var nextScrubAttempt = 0.0
    private var scrubBackoff = 1.0

    /// After an erasure: copy the WAL's zeroed pages into the main file and truncate the WAL,
    /// so erased bytes survive in neither file (secure_delete zeroes freed content,
    /// sqlite.org/pragma.html#pragma_secure_delete). A reader on an older snapshot can hold
    /// the checkpoint up, and Litestream holds a read transaction at all times except during
    /// its own checkpoints: then the scrub stays pending and is retried, never waiting, at
    /// growing intervals (README "Erasure and replication").
    public func scrubAfterErasure() {
        // Tried at once on the writer thread (outside a transaction).
        _ = try? submit(bare: true) { [self] _ in
            monitor.locked {
                scrubPending = true
                nextScrubAttempt = 0
                scrubBackoff = 1
            }
            scrubIfPending()
        }
    }

    /// Makes the writer try the pending scrub now instead of after its backoff (when
    /// Litestream has just stepped aside).
    public func retryScrubNow() {
        monitor.locked {
            nextScrubAttempt = 0
            monitor.signal()
        }
    }

    /// True while an erasure's pages may still be in the WAL.
    public var isScrubPending: Bool { monitor.locked { scrubPending } }

    /// Writer thread only. A TRUNCATE checkpoint holds the write lock while it waits for
    /// readers (c3ref/wal_checkpoint_v2.html), so waiting here would stall every write queued
    /// behind it; it therefore never waits (busy timeout 0) and, when refused, is tried again
    /// after the backoff: a failed try costs microseconds, not the writes of 200 ms.
    private func scrubIfPending() {
        let due: Bool = monitor.locked { scrubPending && monotonicSeconds() >= nextScrubAttempt }
        guard due else { return }
        do {
            try writer.execute("PRAGMA busy_timeout = 0")
            defer { try? writer.execute("PRAGMA busy_timeout = \(options.busyTimeoutMilliseconds)") }
            try writer.checkpoint(truncate: true)
            monitor.locked { scrubPending = false }
        } catch {
            monitor.locked {
                nextScrubAttempt = monotonicSeconds() + scrubBackoff
                scrubBackoff = min(scrubBackoff * 2, 10)
            }
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


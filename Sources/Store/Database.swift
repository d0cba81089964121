import Continuity
import Glibc
import SQLite

public struct StoreOptions: Sendable {
    public var path: String
    public var migrationsDirectory: String
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
    private var batchCount = 0
    private var writeCount = 0
    /// Committed transactions and writes since start, for metrics and the benchmark.
    public var committedBatches: Int { monitor.locked { batchCount } }
    public var committedWrites: Int { monitor.locked { writeCount } }
    /// Called after each commit with the batch size (metrics).
    public var onCommit: (@Sendable (Int) -> Void)?

    /// Opens the database, applies pending migrations, starts the writer thread.
    public init(options: StoreOptions) throws {
        self.options = options
        writer = try Connection(path: options.path, options: Database.connectionOptions(options, readOnly: false))
        let migrations = try Migrator.load(directory: options.migrationsDirectory)
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
            if let c = readers.popLast() { return c }
            return try Connection(path: options.path, options: Database.connectionOptions(options, readOnly: true))
        }
        defer { monitor.locked { readers.append(conn) } }
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
            monitor.broadcast()
            while !job.finished { monitor.wait() }
        }
        if let error = job.error { throw error }
        return result!
    }

    private func writerLoop() {
        while true {
            let batch: [WriteJob] = monitor.locked {
                while queue.isEmpty && !stopping { monitor.wait() }
                var n = options.groupCommit ? min(queue.count, options.maxBatch) : min(queue.count, 1)
                // A job that must run outside a transaction (VACUUM) runs alone.
                if let bare = queue.prefix(n).firstIndex(where: { $0.bare }) { n = bare == 0 ? 1 : bare }
                let b = Array(queue.prefix(n))
                queue.removeFirst(n)
                return b
            }
            if batch.isEmpty { return } // stopping and nothing left
            if batch.count == 1, batch[0].bare {
                do { try batch[0].work(writer) } catch { batch[0].error = error }
            } else { do {
                try writer.transaction(.immediate) {
                    for job in batch {
                        do { try writer.savepoint { try job.work(writer) } } catch { job.error = error }
                    }
                }
            } catch {
                // BEGIN or COMMIT failed: nothing of the batch is on disk.
                for job in batch where job.error == nil { job.error = error }
            } }
            let ok = batch.filter { $0.error == nil }.count
            monitor.locked {
                batchCount += 1
                writeCount += ok
                for job in batch { job.finished = true }
                monitor.broadcast()
            }
            onCommit?(batch.count)
        }
    }

    /// Runs `body` on the writer thread alone and outside any transaction: for VACUUM and
    /// checkpoints after an erasure (sqlite.org/lang_vacuum.html: not inside a transaction).
    public func writeWithoutTransaction<T>(_ body: @escaping (Connection) throws -> T) throws -> T {
        try submit(bare: true, body)
    }
}

final class WriteJob: @unchecked Sendable {
    let work: (Connection) throws -> Void
    let bare: Bool
    var error: (any Error)?
    var finished = false
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
}

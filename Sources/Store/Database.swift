import Repository
import SQLite

public typealias StoreOptions = DatabasePoolOptions

/// The store's handle on the SQLite pool (one group-commit writer, a pool of readers): the
/// same reads and writes, with the pool's refusals answered as `StoreError.unavailable`
/// (503 and Retry-After at the API).
public final class Database: Sendable {
    public let pool: DatabasePool

    /// Opens the database, applies pending migrations, starts the writer thread.
    public init(options: StoreOptions) throws { pool = try DatabasePool(options: options) }

    public var options: StoreOptions { pool.options }
    /// Migrations applied when this database was opened (for `continuity migrate`).
    public var appliedMigrations: [Migration] { pool.appliedMigrations }
    /// Writes committed since start, for metrics.
    public var committedWrites: Int { pool.committedWrites }
    /// True while an erasure's pages may still be in the WAL.
    public var isScrubPending: Bool { pool.isScrubPending }

    /// Called after each commit with the batch size (metrics).
    public var onCommit: (@Sendable (Int) -> Void)? {
        get { pool.onCommit }
        set { pool.onCommit = newValue }
    }

    public func close() { pool.close() }
    public func scrubAfterErasure() { pool.scrubAfterErasure() }
    /// Try a pending scrub now (Litestream has just stepped aside).
    public func retryScrubNow() { pool.retryScrubNow() }

    /// Runs `body` on a read-only connection inside one read transaction (a consistent snapshot).
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try Database.mapped { try pool.read(body) }
    }

    /// Runs `body` in the writer's transaction (inside its own savepoint) and returns after the
    /// transaction committed (SPEC §7: a 2xx on a write means committed).
    public func write<T>(_ body: @escaping (Connection) throws -> T) throws -> T {
        try Database.mapped { try pool.write(body) }
    }

    private static func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DatabasePoolError {
            switch e {
            case .closing: throw StoreError.unavailable("the database is closing")
            case .busy, .rolledBack: throw StoreError.unavailable("the database is busy; try again")
            }
        }
    }
}

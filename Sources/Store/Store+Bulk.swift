import Continuity
import Repository
import SQLite

extension Store {
    /// True when no client is stored yet (demo data goes only into an empty database).
    public func isEmpty() throws -> Bool {
        try database.read { db in try Records.hasNoClients(db) }
    }

    /// Loads generated records in one transaction, without re-evaluation or audit (the caller
    /// runs `evaluateAll` afterwards). For `continuity demo` and benchmarks.
    public func load(_ records: [DemoRecord]) throws {
        try database.write { db in
            for r in records {
                switch r {
                case .team(let t): try Records.insert(db, t)
                case .professional(let p): try Records.insert(db, p)
                case .client(let c): try Records.insert(db, c)
                case .assignment(let a): _ = try Records.insert(db, a)
                case .contact(let c): try Records.insert(db, c)
                case .referral(let r): try Records.insert(db, r)
                }
            }
        }
    }
}

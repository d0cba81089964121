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
            // A record of a client goes into that client's team (ids are unique per team); the
            // generator names every client before its records.
            var teamOf: [String: String] = [:]
            func team(_ client: String) throws -> String {
                if let t = teamOf[client] { return t }
                // Named in an earlier load (the generator's ids are unique across teams).
                guard let c = try Store.one(Records.clients(db, id: client, team: nil), "client", client) else {
                    throw StoreError.invalidReference(field: "client_id", detail: "no client with id '\(client)'")
                }
                teamOf[client] = c.teamID
                return c.teamID
            }
            for r in records {
                switch r {
                case .team(let t): try Records.insert(db, t)
                case .professional(let p): try Records.insert(db, p)
                case .client(let c):
                    try Records.insert(db, c)
                    teamOf[c.id] = c.teamID
                case .assignment(let a): _ = try Records.insert(db, a, team: try team(a.clientID))
                case .contact(let c): try Records.insert(db, c, team: try team(c.clientID))
                case .referral(let r): try Records.insert(db, r, team: try team(r.clientID))
                }
            }
        }
    }
}

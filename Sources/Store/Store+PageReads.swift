import Continuity
import Repository
import SQLite

// A read the web pages need that the JSON API has no route for (SPEC §9): one team by id,
// for the overview's heading. Team scope as everywhere: another team answers notFound.

extension Store {
    public func team(_ id: String, scope: Scope) throws -> Team {
        guard scope.allows(team: id) else { throw StoreError.notFound }
        return try database.read { db in
            guard let t = try Records.team(db, id) else { throw StoreError.notFound }
            return t
        }
    }
}

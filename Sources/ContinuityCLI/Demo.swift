import App
import Continuity
import Glibc
import Store

extension Commands {
    /// `continuity demo`: a synthetic municipality so a newcomer sees a living system at once
    /// (SPEC §5), then the alerts of today.
    static func demo(_ a: Arguments) throws -> Int32 {
        guard let clients = Int(a["clients"] ?? "400"), clients >= 1, clients <= 1_000_000 else {
            throw UsageError("--clients must be a number from 1 to 1000000")
        }
        guard let seed = UInt64(a["seed"] ?? "1") else { throw UsageError("--seed must be a whole number") }
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        guard try store.isEmpty() else {
            printError("the database at \(env.settings.databasePath) already holds clients; demo data goes only into an empty one")
            return Exit.dataError
        }
        let today = store.today
        var batch: [DemoRecord] = []
        batch.reserveCapacity(20_000)
        var counts = (teams: 0, professionals: 0, clients: 0, contacts: 0, referrals: 0)
        var teams: [Team] = []
        let progress = Progress("demo")
        try DemoMunicipality(clients: clients, seed: seed, today: today).generate { record in
            switch record {
            case .team(let t):
                counts.teams += 1
                teams.append(t)
            case .professional: counts.professionals += 1
            case .client:
                counts.clients += 1
                progress.update(counts.clients, of: clients, unit: "clients generated")
            case .contact: counts.contacts += 1
            case .referral: counts.referrals += 1
            case .assignment: break
            }
            batch.append(record)
            if batch.count >= 20_000 {
                try store.load(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try store.load(batch)
        let (_, events, _) = try store.evaluateAll(asOf: today) { done, total in
            progress.update(done, of: total, unit: "clients evaluated")
        }
        progress.finish()
        print("demo municipality loaded into \(env.settings.databasePath): \(counts.teams) teams, \(counts.professionals) professionals, \(counts.clients) clients, \(counts.contacts) contacts, \(counts.referrals) referrals; \(events) alerts raised as of \(today.iso)")
        // The ids a newcomer needs next (`--team`, `team_id=`, `token create --team`).
        print("teams: " + teams.map { "\($0.id) (\($0.name))" }.joined(separator: ", "))
        return Exit.ok
    }
}

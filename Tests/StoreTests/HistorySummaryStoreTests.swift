import Continuity
import Repository
import Foundation
import SQLite
import Store
import Testing

/// Issue 12 on a real SQLite file: the triggers keep `client_faces` equal to the first held
/// contact of each professional through creates, corrections and deletes; and what the store
/// computes from the recent windows plus that summary equals what the whole history gives.
@Suite struct HistorySummaryStoreTests {
    /// Knuth's MMIX linear congruential generator: seeded, so a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    @Test(arguments: [1, 2] as [UInt64])
    func theSummaryFollowsEveryChangeAndGivesTheWholeHistorysAnswers(seed: UInt64) throws {
        let (path, folder) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(options: StoreOptions(path: path, migrationsDirectory: migrations))
        defer { db.close() }
        let today = LocalDate(iso: "2026-06-30")!
        let store = Store(database: db, thresholds: FlagThresholds(), settings: MeasureSettings(), now: { Instant(rfc3339: "2026-06-30T12:00:00Z")! })
        let actor = Actor(tokenName: "t", requestID: "r")
        var rng = Generator(state: seed)
        _ = try store.createTeam(Team(id: "A", name: "Wijkteam A"), actor: actor)
        let people = ["p1", "P1", "p_2", "p3", "p4", "p5"]   // case and '_' matter
        for p in people {
            _ = try store.createProfessional(Professional(id: p, name: "Naam \(p)", teamID: "A", discipline: "sw", employment: .temporary,
                                                          startedOn: LocalDate(iso: "2020-01-01")!,
                                                          endedOn: p == "p4" ? LocalDate(iso: "2026-07-20")! : nil), actor: actor)
        }
        let clients = ["c1", "c2", "c3"]
        for c in clients {
            _ = try store.createClient(Client(id: c, externalRef: "ZK-\(c)", teamID: "A", openedOn: LocalDate(iso: "2024-01-01")!), scope: .all, actor: actor)
            _ = try store.assignPrimary(PrimaryAssignment(clientID: c, professionalID: people.randomElement(using: &rng)!,
                                                          from: LocalDate(iso: "2024-01-01")!, reason: .start), scope: .all, actor: actor)
        }
        func randomInstant() -> Instant {
            Instant(epochSeconds: Int64(LocalDate(iso: "2024-01-02")!.daysSinceEpoch) * 86_400 + Int64.random(in: 0..<(910 * 86_400), using: &rng))
        }
        // Referrals: bursts (referral_chain) and open ones after the last contact (referral_limbo).
        for i in 0..<30 {
            let on = LocalDate(iso: "2025-06-01")!.adding(days: Int.random(in: 0...420, using: &rng))
            _ = try store.createReferral(Referral(id: "r\(i)", clientID: clients.randomElement(using: &rng)!, referredOn: on,
                                                  fromProfessionalID: "p1", to: "GGD",
                                                  status: Bool.random(using: &rng) ? .open : .completed, statusOn: on),
                                         scope: .all, actor: actor)
        }
        var ids: [String] = []
        for i in 0..<150 {
            let roll = Int.random(in: 0..<10, using: &rng)
            if roll < 6 || ids.isEmpty {
                let lead = people.randomElement(using: &rng)!
                let others = people.filter { $0 != lead }.shuffled(using: &rng).prefix(Int.random(in: 0...2, using: &rng))
                let id = "k\(i)"
                _ = try store.createContact(Contact(id: id, clientID: clients.randomElement(using: &rng)!, professionalID: lead,
                                                    participants: Array(others), occurredAt: randomInstant(),
                                                    mode: ContactMode.allCases.randomElement(using: &rng)!,
                                                    status: [.held, .held, .noShow].randomElement(using: &rng)!),
                                            scope: .all, actor: actor)
                ids.append(id)
            } else if roll < 9 {
                let id = ids.randomElement(using: &rng)!
                var fix = ContactCorrection()
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: fix.occurredAt = (randomInstant(), "corrected")
                case 1: fix.status = ContactStatus.allCases.randomElement(using: &rng)!
                case 2: fix.participants = []
                default:
                    let stored = try store.contact(id, scope: .all).contact
                    fix.professionalID = people.filter { !stored.participants.contains($0) }.randomElement(using: &rng)!
                }
                _ = try store.correctContact(id, fix, scope: .all, actor: actor)
            } else {
                let id = ids.remove(at: Int.random(in: 0..<ids.count, using: &rng))
                try store.deleteContact(id, scope: .all, actor: actor)
            }
        }

        try store.evaluateAll(asOf: today)
        for c in clients {
            let (full, stored) = try db.read { conn -> (ClientHistory, [String: Instant]) in
                let client = try Records.clients(conn, id: c, team: nil).first!
                var faces: [String: Instant] = [:]
                for row in try conn.query("SELECT professional_id, first_s, first_ns FROM client_faces WHERE client_id = ?", [.text(c)]) {
                    faces[row.string(0)] = Instant(epochSeconds: row.int64(1), nanoseconds: Int32(row.int(2)))
                }
                return (try Records.history(conn, client: client), faces)
            }
            var expected: [String: Instant] = [:]
            for k in full.contacts where k.status == .held {
                for p in [k.professionalID] + k.participants where expected[p].map({ k.occurredAt < $0 }) ?? true { expected[p] = k.occurredAt }
            }
            #expect(stored == expected, "client_faces of \(c)")

            let prepared = PreparedHistory(full, settings: MeasureSettings())
            let open = try store.alerts(scope: .all, teamID: nil, status: .open, after: nil, limit: 100).items
                .filter { $0.clientID == c }.map(\.flag)
            #expect(Set(open) == Set(prepared.activeFlags(asOf: today, thresholds: FlagThresholds())), "open alerts of \(c)")
        }
        let histories = try db.read { conn in try clients.map { try Records.history(conn, client: try Records.clients(conn, id: $0, team: nil).first!) } }
        for w in [30, 90, 400] {
            #expect(try store.report(teamID: "A", scope: .all, asOf: today, windowDays: w)
                    == ContinuityReport.build(clients: histories, asOf: today, windowDays: w, thresholds: FlagThresholds(),
                                              settings: MeasureSettings()), "report over \(w) days")
        }

        // The daily run's batches, on days where flags come and go (gaps grow, windows move, p4 leaves).
        for later in [20, 45, 200] {
            let day = today.adding(days: later)
            try store.evaluateAll(asOf: day, batchSize: 2)
            let open = try store.alerts(scope: .all, teamID: nil, status: .open, after: nil, limit: 100).items
            for (c, h) in zip(clients, histories) {
                #expect(Set(open.filter { $0.clientID == c }.map(\.flag))
                        == Set(PreparedHistory(h, settings: MeasureSettings()).activeFlags(asOf: day, thresholds: FlagThresholds())),
                        "open alerts of \(c) as of \(day)")
            }
        }

        // Erasing a client takes its summary rows along.
        try store.erase(clientID: "c1", scope: .all, actor: actor)
        #expect(try db.read { try $0.queryOne("SELECT COUNT(*) FROM client_faces WHERE client_id = 'c1'")?.int(0) } == 0)
    }
}

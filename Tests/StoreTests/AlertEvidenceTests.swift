import Continuity
import Foundation
import SQLite
import Store
import Testing

/// SPEC §3 alerts: evidence in Dutch by default; an open alert keeps the evidence of its
/// raise (no silent rewrite while the facts move on); the resolve repeats it.
@Suite struct AlertEvidenceTests {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value = Instant(rfc3339: "2026-03-01T09:00:00Z")!
        func set(_ text: String) { lock.lock(); value = Instant(rfc3339: text)!; lock.unlock() }
        func now() -> Instant { lock.lock(); defer { lock.unlock() }; return value }
    }

    @Test func anOpenAlertKeepsItsRaisedEvidenceAndTheResolveRepeatsIt() throws {
        let (path, folder) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(options: StoreOptions(path: path, migrationsDirectory: migrations))
        defer { db.close() }
        let clock = Clock()
        let store = Store(database: db, thresholds: FlagThresholds(), settings: MeasureSettings(), now: { clock.now() })
        let actor = Actor(tokenName: "t", requestID: "r")
        _ = try store.createTeam(Team(id: "A", name: "Wijkteam A"), actor: actor)
        _ = try store.createProfessional(Professional(id: "p1", name: "Anna de Vries", teamID: "A", discipline: "sw",
                                                      employment: .permanent, startedOn: LocalDate(iso: "2020-01-01")!), actor: actor)
        _ = try store.createClient(Client(id: "c1", externalRef: "ZK-1", teamID: "A", openedOn: LocalDate(iso: "2026-01-01")!), scope: .all, actor: actor)

        try store.evaluateAll(asOf: LocalDate(iso: "2026-03-01")!)
        func events() throws -> [AlertEvent] { try store.alertEvents(scope: .all, after: 0, limit: 100) }
        let raised = try #require(try events().first { $0.flag == "long_gap" && $0.event == "raised" })
        #expect(raised.evidence == "Al 59 dagen geen contact (geen contact sinds de zaak op 1 januari 2026 werd geopend)")

        // Nine days on the gap is longer, but the open alert still shows what was raised.
        try store.evaluateAll(asOf: LocalDate(iso: "2026-03-10")!)
        let open = try store.alerts(scope: .all, teamID: nil, status: .open, after: nil, limit: 50).items
        #expect(open.first { $0.flag == .longGap }?.evidence == raised.evidence)
        #expect(try events().count == 3, "no event for evidence that merely moved on")
        // The continuity answer has today's sentence.
        let (_, flags) = try store.continuity(clientID: "c1", scope: .all, asOf: LocalDate(iso: "2026-03-10")!, windowDays: 90)
        #expect(flags.first { $0.flag == .longGap }?.evidence.hasPrefix("Al 68 dagen geen contact") == true)

        // A home visit ends the gap: the resolve carries the raise's evidence, word for word.
        clock.set("2026-03-12T10:00:00Z")
        _ = try store.createContact(Contact(id: "k1", clientID: "c1", professionalID: "p1",
                                            occurredAt: Instant(rfc3339: "2026-03-12T09:00:00Z")!, mode: .homeVisit),
                                    scope: .all, actor: actor)
        let resolved = try #require(try events().first { $0.flag == "long_gap" && $0.event == "resolved" })
        #expect(resolved.evidence == raised.evidence)
        #expect(resolved.alertID == raised.alertID)
    }
}

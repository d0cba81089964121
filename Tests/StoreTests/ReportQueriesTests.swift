import Continuity
import Foundation
import Repository
import SQLite
import Store
import Testing

/// The report loads every client of a team in a few statements (`ReportQueries`); what it loads
/// must be exactly what the per-client load (`HistoryQueries.recent`) gives, for every client of
/// every team of a generated municipality, on several dates and windows, or a report figure
/// would differ from the client's own answer.
@Suite struct ReportQueriesTests {
    @Test func theTeamLoadEqualsThePerClientLoadForEveryClient() throws {
        let (path, folder) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(options: StoreOptions(path: path, migrationsDirectory: migrations))
        defer { db.close() }
        let today = LocalDate(iso: "2026-06-30")!
        let settings = MeasureSettings(zone: .utc)
        let store = Store(database: db, thresholds: FlagThresholds(), settings: settings, now: { Instant(rfc3339: "2026-06-30T12:00:00Z")! })
        var records: [DemoRecord] = []
        DemoMunicipality(clients: 240, seed: 7, today: today).generate { records.append($0) }
        try store.load(records)

        var compared = 0, withOlderOpenReferrals = 0, withLastHeld = 0
        for (d, w) in [(today, 90), (today.adding(days: -200), 30), (today.adding(days: 40), 400)] {
            let windows = HistoryWindows.report(asOf: d, windowDays: w, thresholds: FlagThresholds())
            let earliest = d.adding(months: -12).firstOfMonth
            try db.read { conn in
                let clients = try Records.clientsOpen(conn, team: nil, teamID: nil, between: earliest, and: d)
                #expect(Set(clients.map(\.teamID)).count >= 3, "several teams")
                let batch = try ReportQueries.load(conn, clients: clients, windows: windows, zone: settings.zone, between: earliest, and: d)
                #expect(batch.count == clients.count)
                for (client, b) in zip(clients, batch) {
                    let one = try HistoryQueries.recent(conn, client: client, windows: windows, zone: settings.zone, firstSeen: true, names: false)
                    #expect(b.client == one.client)
                    #expect(b.contacts == one.contacts, "contacts of \(client.key)")
                    #expect(b.referrals == one.referrals, "referrals of \(client.key) as of \(d)")
                    #expect(b.assignments == one.assignments, "assignments of \(client.key)")
                    #expect(b.professionals == one.professionals, "professionals of \(client.key)")
                    #expect(b.summary == one.summary, "summary of \(client.key) as of \(d)")
                    compared += 1
                    if one.referrals.contains(where: { $0.referredOn < windows.referralsFrom }) { withOlderOpenReferrals += 1 }
                    if one.summary?.lastHeldBefore != nil { withLastHeld += 1 }
                }
            }
        }
        // The comparison covered the interesting cases, not only empty histories.
        #expect(compared > 300)
        #expect(withLastHeld > 50)
        #expect(withOlderOpenReferrals > 0)
    }
}

import Testing
@testable import Continuity

/// Issue 12: a re-evaluation, a report or successor advice loads only the recent windows plus a
/// summary. On every random history, that gives exactly what the whole history gives.
@Suite struct HistorySummaryTests {
    static let t = FlagThresholds()
    static let pool = SuccessorPool(
        professionals: (0..<9).map { Professional(id: "Q\($0)", name: "Naam Q\($0)", teamID: "T1", discipline: "x",
                                                  employment: .permanent, startedOn: day("2020-01-01")) },
        openCases: ["Q1": 3, "Q2": 1, "Q5": 7])

    static func histories(seed: UInt64) -> [(ClientHistory, LocalDate)] {
        var rng = SplitMix64(seed: seed)
        return (0..<60).map { i in
            let h = i % 2 == 0 ? randomTurbulentHistory(&rng) : randomRichHistory(&rng)
            return (h, h.client.openedOn.adding(days: Int.random(in: -10...400, using: &rng)))
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func flagsAndEvidenceFromTheRecentWindowsEqualThoseOfTheWholeHistory(seed: UInt64) {
        var raised = 0
        for (h, d) in Self.histories(seed: seed) {
            let settings = MeasureSettings(zone: amsterdam)
            let full = PreparedHistory(h, settings: settings)
            for successors in [false, true] {
                let part = PreparedHistory(h.summarized(.flags(asOf: d, thresholds: Self.t, successors: successors), zone: amsterdam),
                                           settings: settings)
                let flags = full.activeFlags(asOf: d, thresholds: Self.t)
                #expect(part.activeFlags(asOf: d, thresholds: Self.t) == flags)
                // What a re-evaluation loads first: a sample of the referral window decides the same flags.
                let sampled = PreparedHistory(h.summarized(.flags(asOf: d, thresholds: Self.t, successors: successors), zone: amsterdam,
                                                           referralSample: Self.t.referralChainMax + 1,
                                                           limboThrough: HistoryWindows.limboThrough(asOf: d, thresholds: Self.t), asOf: d),
                                             settings: settings)
                #expect(sampled.activeFlags(asOf: d, thresholds: Self.t) == flags)
                for f in flags {
                    raised += 1
                    let pool = successors ? Self.pool : nil
                    #expect(part.evidence(of: f, asOf: d, thresholds: Self.t, pool: pool)
                            == full.evidence(of: f, asOf: d, thresholds: Self.t, pool: pool))
                }
            }
            let part = PreparedHistory(h.summarized(.successors(asOf: d, thresholds: Self.t), zone: amsterdam), settings: settings)
            #expect(part.successorAdvice(asOf: d, pool: Self.pool, thresholds: Self.t, limit: 9)
                    == full.successorAdvice(asOf: d, pool: Self.pool, thresholds: Self.t, limit: 9))
        }
        #expect(raised > 50, "too few flags to compare: \(raised)")
    }

    @Test(arguments: [(4, 90), (5, 30), (6, 365)] as [(UInt64, Int)])
    func aReportFromTheRecentWindowsEqualsThatOfTheWholeHistory(seed: UInt64, window: Int) {
        let pairs = Self.histories(seed: seed)
        let d = day("2026-06-30")
        let settings = MeasureSettings(zone: amsterdam)
        let full = ContinuityReport.build(prepared: pairs.map { PreparedHistory($0.0, settings: settings) },
                                          asOf: d, windowDays: window, thresholds: Self.t)
        let windows = HistoryWindows.report(asOf: d, windowDays: window, thresholds: Self.t)
        let part = ContinuityReport.build(prepared: pairs.map { PreparedHistory($0.0.summarized(windows, zone: amsterdam), settings: settings) },
                                          asOf: d, windowDays: window, thresholds: Self.t)
        #expect(part == full)
        #expect(full.team.openCases > 10)
    }

    @Test(arguments: [7, 8] as [UInt64])
    func theTrendsFacesAndCOCAreThoseOfTheFullMeasures(seed: UInt64) {
        for (h, d) in Self.histories(seed: seed) {
            let p = PreparedHistory(h, settings: MeasureSettings(zone: amsterdam))
            for w in [1, 30, 90, 365] {
                let m = p.measures(asOf: d, windowDays: w)
                let quick = p.facesAndCOC(asOf: d, windowDays: w)
                #expect(quick.faces == m.faces && quick.coc == m.coc)
            }
        }
    }

    @Test func measuresUseTheSummaryForKnownFacesLifetimeFacesAndTheLastContacts() {
        // P1 met the client in 2020, P2 in 2024 by phone; the recent window has P1 and P3.
        let h = history(opened: "2020-01-01", contacts: [
            contact("a", "P1", "2020-02-01"), contact("b", "P2", "2024-05-01", mode: .phone),
            contact("c", "P1", "2026-06-10"), contact("d", "P3", "2026-06-20", mode: .phone),
        ])
        let d = day("2026-06-30")
        let part = h.summarized(HistoryWindows(contactsFrom: day("2026-04-01"), referralsFrom: day("2026-01-01")), zone: .utc)
        #expect(part.contacts.map(\.id) == ["c", "d"])
        let m = PreparedHistory(part, settings: MeasureSettings()).measures(asOf: d, windowDays: 90)
        #expect(m == PreparedHistory(h, settings: MeasureSettings()).measures(asOf: d, windowDays: 90))
        #expect(m.knownFaceShare == 0.5 && m.lifetimeFaces == 3 && m.daysSinceFaceToFace == 20)
        let earlier = PreparedHistory(part, settings: MeasureSettings()).measures(asOf: day("2026-06-09"), windowDays: 60)
        #expect(earlier.daysSinceContact == day("2026-06-09") - day("2024-05-01") && earlier.daysSinceFaceToFace == day("2026-06-09") - day("2020-02-01"))
        #expect(earlier.lifetimeFaces == 2)
    }
}

/// A zone whose clocks go back across midnight (summer time ends at 00:30 local, back to 23:30):
/// local dates then do not follow the order of instants, and windows must still be exact.
@Suite struct BackwardsMidnightTests {
    @Test func windowsAreExactWhenLocalDatesGoBack() throws {
        let zone = try TimeZoneRules(name: "back", posixTZ: "XST-1XDT,M3.5.0/2,M10.5.0/0:30")
        // 2026-10-25 00:30 XDT (22:30Z on the 24th) becomes 2026-10-24 23:30 XST.
        let first = Instant(rfc3339: "2026-10-24T22:10:00Z")!   // 00:10 XDT on the 25th
        let second = Instant(rfc3339: "2026-10-24T22:40:00Z")!  // 23:40 XST on the 24th
        #expect(zone.localDate(of: first) == day("2026-10-25") && zone.localDate(of: second) == day("2026-10-24"))
        let h = history(opened: "2026-01-01", contacts: [
            Contact(id: "a", clientID: "C1", professionalID: "P1", occurredAt: first, mode: .homeVisit),
            Contact(id: "b", clientID: "C1", professionalID: "P2", occurredAt: second, mode: .homeVisit),
        ])
        let p = PreparedHistory(h, settings: MeasureSettings(zone: zone))
        #expect(!p.datesAscending)
        // As of the 24th, over one day: only b (P2) is in the window.
        let m = p.measures(asOf: day("2026-10-24"), windowDays: 1)
        #expect(m.contacts == 1 && m.facesDetail.map(\.professionalID) == ["P2"])
        #expect(p.facesAndCOC(asOf: day("2026-10-24"), windowDays: 1).faces == 1)
        #expect(p.measures(asOf: day("2026-10-25"), windowDays: 2).secon == 0)   // a then b, in occurred_at order
    }
}

import Testing
@testable import Continuity

/// D = 2026-06-30, W = 90 (window 2026-04-02 … 2026-06-30), UTC, all contacts at 10:00Z.
@Suite struct ContinuityReportTests {
    // A: primary P1. Held: P1 04-10 (Fri, home), P1 05-10 (Sun, phone), P2+P1 06-01 (Mon, office);
    //    a no-show on 06-10. faces 2; leads P1 P1 P2: upc 2/3, coc 1/3, secon 1/2; 29 days since.
    static let a = history(id: "A", opened: "2026-01-01", contacts: [
        contact("a1", "P1", "2026-04-10"), contact("a2", "P1", "2026-05-10", mode: .phone),
        contact("a3", "P2", "2026-06-01", mode: .officeVisit, participants: ["P1"]),
        contact("a4", "P1", "2026-06-10", status: .noShow),
    ], assignments: [assign("P1", "2026-01-01")])
    // B: primary P2, then P1 from 05-01 after a joint visit on 04-15 (warm handover).
    //    Held: P2+P1 04-15, P1 05-05, P3 05-06, P4 05-07 (phone). faces 4 → changing_faces;
    //    leads all different: upc 1/4, coc 0, secon 0; 54 days since → long_gap.
    static let b = history(id: "B", opened: "2026-01-01", contacts: [
        contact("b1", "P2", "2026-04-15", participants: ["P1"]), contact("b2", "P1", "2026-05-05"),
        contact("b3", "P3", "2026-05-06"), contact("b4", "P4", "2026-05-07", mode: .phone),
    ], assignments: [assign("P2", "2026-01-01", seq: 1), assign("P1", "2026-05-01", seq: 2)])
    // C: opened 06-01, nobody assigned, no contacts → no_primary; 29 days since opening.
    static let c = history(id: "C", opened: "2026-06-01")
    // E: primary P3, then P2 from 06-10 with no joint contact (cold handover).
    //    Held: P3 06-05 (Fri, outreach), P2 06-20 (Sat, home). upc 1/2, coc 0, secon 0; 10 days since.
    static let e = history(id: "E", opened: "2025-01-01", contacts: [
        contact("e1", "P3", "2026-06-05", mode: .outreach), contact("e2", "P2", "2026-06-20"),
    ], assignments: [assign("P3", "2025-01-01", seq: 1), assign("P2", "2026-06-10", seq: 2)],
       referrals: [referral("r1", "2026-05-01", status: .accepted)])
    // Closed on 03-01: not in the report as of D, but in the trend before then.
    static let closed = history(id: "X", opened: "2025-01-01", closed: "2026-03-01",
                                contacts: [contact("x1", "P9", "2025-07-15")],
                                assignments: [assign("P9", "2025-01-01")])

    static let report = ContinuityReport.build(clients: [a, b, c, e, closed], asOf: day("2026-06-30"), windowDays: 90,
                                               thresholds: FlagThresholds(), settings: MeasureSettings())

    @Test func teamFiguresAggregateTheOpenClients() {
        let t = Self.report.team
        #expect(t.openCases == 4)
        #expect(t.meanFaces == 2)                          // (2 + 4 + 0 + 2) / 4
        #expect(t.medianFaces == 2)                        // 0 2 2 4
        #expect(t.overFacesThresholdShare == 0.25)         // B
        #expect(approx(t.meanUPC, 17.0 / 36.0))            // (2/3 + 1/4 + 1/2) / 3
        #expect(approx(t.meanCOC, 1.0 / 9.0))              // (1/3 + 0 + 0) / 3
        #expect(approx(t.meanSECON, 1.0 / 6.0))            // (1/2 + 0 + 0) / 3
        #expect(t.medianDaysSinceContact == 29)            // 10 29 29 54
        #expect(t.faceToFaceShare == 7.0 / 9.0)            // 9 held; phone a2, phone b4 are not
        #expect(t.outsideOfficeHoursShare == 2.0 / 9.0)    // a2 Sunday, e2 Saturday
        #expect(t.noShowRate == 1.0 / 10.0)                // a4
        #expect(t.referrals == 1)
        #expect(t.primaryChanges == 2)                     // B on 05-01, E on 06-10
        #expect(t.warmHandoverShare == 0.5)                // B only
    }

    @Test func flagSharesListEveryFlag() {
        let shares = Self.report.team.flagShares
        #expect(shares.count == Flag.allCases.count)
        #expect(shares[.changingFaces] == 0.25 && shares[.longGap] == 0.25 && shares[.noPrimary] == 0.25)
        #expect(shares[.primaryTurnover] == 0 && shares[.referralLimbo] == 0 && shares[.noFaceToFace] == 0)
    }

    @Test func professionalsGroupClientsByTheirPrimaryAsOfD() {
        let ps = Self.report.professionals
        #expect(ps.map(\.id) == ["P1", "P2"])              // C has no primary: team only
        let p1 = ps[0].figures
        #expect(p1.openCases == 2 && p1.meanFaces == 3 && p1.medianFaces == 3)
        #expect(p1.primaryChanges == 1 && p1.warmHandoverShare == 1)
        #expect(p1.flagShares[.changingFaces] == 0.5)
        let p2 = ps[1].figures
        #expect(p2.openCases == 1 && p2.warmHandoverShare == 0 && p2.referrals == 1)
    }

    @Test func trendHasTwelveMonthEndsEndingAtD() {
        let trend = Self.report.trend
        #expect(trend.map(\.month) == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
                                       "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"])
        #expect(trend.map(\.asOf.iso) == ["2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31",
                                          "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"])
        // 2025-07-31: open are E (0 faces) and X (P9 on 07-15): 0.5. No client has 2 contacts: no COC.
        #expect(trend[0].meanFaces == 0.5 && trend[0].meanCOC == nil)
        // 2026-04-30 (window 01-31 … 04-30): A 1 face, B 2, E 0; X closed, C not yet open.
        #expect(trend[9].meanFaces == 1 && trend[9].meanCOC == nil)
        #expect(trend[11].meanFaces == Self.report.team.meanFaces)
        #expect(approx(trend[11].meanCOC, 1.0 / 9.0))
    }

    @Test func anEmptyGroupHasNullMeansAndZeroShares() {
        let r = ContinuityReport.build(clients: [], asOf: day("2026-06-30"), windowDays: 90,
                                       thresholds: FlagThresholds(), settings: MeasureSettings())
        #expect(r.team.openCases == 0 && r.team.meanFaces == nil && r.team.medianFaces == nil)
        #expect(r.team.faceToFaceShare == nil && r.team.noShowRate == nil && r.team.warmHandoverShare == nil)
        #expect(r.team.flagShares.values.allSatisfy { $0 == 0 } && r.team.flagShares.count == 8)
        #expect(r.professionals.isEmpty && r.trend.count == 12)
    }

    @Test func warmHandoverNeedsBothAtOneHeldContactInThe30DaysUpToTheChange() {
        func share(_ jointOn: String, status: ContactStatus = .held) -> Double? {
            let h = history(opened: "2026-01-01", contacts: [contact("j", "P1", jointOn, status: status, participants: ["P2"])],
                            assignments: [assign("P1", "2026-01-01"), assign("P2", "2026-06-01")])
            return ContinuityReport.build(clients: [h], asOf: day("2026-06-30"), windowDays: 90,
                                          thresholds: FlagThresholds(), settings: MeasureSettings()).team.warmHandoverShare
        }
        #expect(share("2026-05-03") == 1)      // F − 29: in
        #expect(share("2026-05-02") == 0)      // F − 30: out
        #expect(share("2026-06-01") == 1)      // on F
        #expect(share("2026-06-02") == 0)      // after F
        #expect(share("2026-05-20", status: .noShow) == 0)
    }

    /// SPEC §4: the share over the faces threshold counts faces in the report's window, not the
    /// flag's 90 days. Each row: report window → share of {A, B, C, E} with faces > 3.
    /// B has 4 faces from 04-15 to 05-07 (all within the last 90 days); E has P3 + P2 in June
    /// and P5, P6 on 2026-03-01 (inside 180 days, outside 90).
    @Test(arguments: [(90, 0.25), (30, 0.0), (180, 0.5), (60, 0.0)] as [(Int, Double)])
    func overFacesThresholdShareCountsFacesInTheReportWindow(window: Int, share: Double) {
        let e = history(id: "E", opened: "2025-01-01", contacts: Self.e.contacts + [
            contact("e0", "P5", "2026-03-01", participants: ["P6"]),
        ], assignments: Self.e.assignments)
        let r = ContinuityReport.build(clients: [Self.a, Self.b, Self.c, e], asOf: day("2026-06-30"), windowDays: window,
                                       thresholds: FlagThresholds(), settings: MeasureSettings())
        #expect(r.team.overFacesThresholdShare == share, "window \(window)")
        // The flag itself keeps its own 90 days whatever the report window.
        #expect(r.team.flagShares[.changingFaces] == 0.25, "window \(window)")
    }

    @Test func lifetimeFacesMeanAndMedianAreNotWindowed() {
        // A: P1, P2; B: P1..P4; C: none; E: P2, P3 — plus X's P9 does not count (closed).
        let t = Self.report.team
        #expect(t.meanLifetimeFaces == 2)        // (2 + 4 + 0 + 2) / 4
        #expect(t.medianLifetimeFaces == 2)
        let old = history(id: "O", opened: "2020-01-01", contacts: [
            contact("o1", "P7", "2021-01-01"), contact("o2", "P8", "2022-01-01"), contact("o3", "P9", "2026-05-01"),
        ])
        let r = ContinuityReport.build(clients: [old], asOf: day("2026-06-30"), windowDays: 30,
                                       thresholds: FlagThresholds(), settings: MeasureSettings())
        #expect(r.team.meanFaces == 0 && r.team.meanLifetimeFaces == 3 && r.team.medianLifetimeFaces == 3)
    }

    @Test func medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        #expect(Stats.median([4, 1, 3, 2]) == 2.5)
        #expect(Stats.median([5]) == 5 && Stats.median([]) == nil)
    }
}

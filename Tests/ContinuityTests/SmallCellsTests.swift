import Testing
@testable import Continuity

/// SPEC §4: a count below the threshold, and every figure derived from it, leave the team as `<5`.
@Suite struct SmallCellsTests {
    let cells = SmallCells(threshold: 5)

    func group(openCases: Int, flagged: Int = 0, upcDefined: Int? = nil, held: Int = 100, faceToFace: Int = 60,
               noShows: Int = 0, changes: Int = 0, warm: Int = 0) -> GroupFigures {
        var shares: [Flag: Double] = [:]
        for f in Flag.allCases { shares[f] = 0 }
        shares[.primaryTurnover] = openCases == 0 ? 0 : Double(flagged) / Double(openCases)
        var g = GroupFigures(openCases: openCases, meanFaces: 2.5, medianFaces: 2, overFacesThresholdShare: 0,
                             meanUPC: 0.8, meanCOC: 0.6, meanSECON: 0.7, flagShares: shares, medianDaysSinceContact: 9,
                             faceToFaceShare: Double(faceToFace) / Double(held), outsideOfficeHoursShare: 0,
                             noShowRate: Double(noShows) / Double(noShows + held), referrals: 7, primaryChanges: changes,
                             warmHandoverShare: changes == 0 ? nil : Double(warm) / Double(changes),
                             meanLifetimeFaces: 4, medianLifetimeFaces: 4)
        var flags: [Flag: Int] = [:]
        for f in Flag.allCases { flags[f] = 0 }
        flags[.primaryTurnover] = flagged
        g.counts = GroupCounts(overFacesThreshold: 0, flags: flags, upcDefined: upcDefined ?? openCases,
                               cocDefined: openCases, seconDefined: openCases, heldContacts: held,
                               faceToFaceContacts: faceToFace, outsideOfficeHoursContacts: 0, noShowContacts: noShows,
                               warmHandovers: warm)
        return g
    }

    @Test func aShareOfOneClientInThirtyTwoIsSuppressedAndZeroIsShown() {
        let f = cells.apply(group(openCases: 32, flagged: 1))
        #expect(f.flagShares[.primaryTurnover] == .suppressed)
        #expect(f.flagShares[.longGap] == .value(0))
        #expect(f.openCases == .value(32))
        #expect(f.meanFaces == .value(2.5))
        #expect(cells.apply(group(openCases: 32, flagged: 5)).flagShares[.primaryTurnover] == .value(5.0 / 32))
        #expect(cells.apply(group(openCases: 32, flagged: 4)).flagShares[.primaryTurnover] == .suppressed)
    }

    @Test func aGroupOfFewerOpenCasesThanTheThresholdShowsNoneOfItsFigures() {
        for n in 1...4 {
            let f = cells.apply(group(openCases: n))
            #expect(f.openCases == .suppressed)
            for v in [f.meanFaces, f.medianFaces, f.meanUPC, f.meanCOC, f.meanSECON, f.medianDaysSinceContact,
                      f.faceToFaceShare, f.noShowRate, f.referrals, f.primaryChanges, f.meanLifetimeFaces,
                      f.medianLifetimeFaces, f.warmHandoverShare, f.overFacesThresholdShare] {
                #expect(v == .suppressed)
            }
            #expect(f.flagShares.values.allSatisfy { $0 == .suppressed })
        }
        #expect(cells.apply(group(openCases: 5)).openCases == .value(5))
    }

    @Test func aMeanOverFewerDefinedClientsAndContactSharesWithSmallNumeratorsAreSuppressed() {
        let f = cells.apply(group(openCases: 20, upcDefined: 3, held: 40, faceToFace: 38, noShows: 2, changes: 6, warm: 1))
        #expect(f.meanUPC == .suppressed)
        #expect(f.meanCOC == .value(0.6))
        #expect(f.faceToFaceShare == .value(38.0 / 40))
        #expect(f.noShowRate == .suppressed)
        #expect(f.warmHandoverShare == .suppressed)
        #expect(f.primaryChanges == .value(6))
    }

    @Test func aTrendPointOverFewClientsIsSuppressed() {
        var p = TrendPoint(month: "2026-05", asOf: LocalDate(iso: "2026-05-31")!, meanFaces: 2, meanCOC: 0.5)
        p.clients = 3
        p.cocClients = 2
        #expect(cells.apply(p) == (.suppressed, .suppressed))
        p.clients = 12
        p.cocClients = 4
        #expect(cells.apply(p) == (.value(2), .suppressed))
    }

    @Test func theReportCarriesTheCountsItsFiguresAreMadeOf() {
        // The fixture report of ContinuityReportTests, built from histories, not by hand.
        let t = ContinuityReportTests.report.team
        #expect(t.counts.heldContacts == 9)
        #expect(t.counts.faceToFaceContacts == 7)
        #expect(t.counts.outsideOfficeHoursContacts == 2)
        #expect(t.counts.noShowContacts == 1)
        #expect(t.counts.overFacesThreshold == 1)
        #expect(t.counts.upcDefined == 3 && t.counts.cocDefined == 3 && t.counts.seconDefined == 3)
        #expect(t.counts.flags[.changingFaces] == 1)
        #expect(t.counts.flags.allSatisfy { flag, n in t.flagShares[flag] == Double(n) / Double(t.openCases) })
        #expect(ContinuityReportTests.report.trend.last?.clients == 4)
        // Four open cases: below the threshold, so nothing of the team leaves it.
        #expect(cells.apply(t).openCases == .suppressed)
        #expect(SmallCells(threshold: 4).apply(t).openCases == .value(4))
        #expect(SmallCells(threshold: 4).apply(t).noShowRate == .suppressed)
    }
}

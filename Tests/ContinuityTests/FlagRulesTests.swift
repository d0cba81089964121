import Testing
@testable import Continuity

/// Contacts led by `leads[i]` on `dates[i]`.
func contacts(_ pairs: [(String, String)], mode: ContactMode = .homeVisit) -> [Contact] {
    pairs.enumerated().map { contact("c\($0.offset)", $0.element.0, $0.element.1, mode: mode) }
}

@Suite struct ChangingFacesTests {
    // D = 2026-06-30: the 90-day window is 2026-04-02 … 2026-06-30.
    static let four = history(opened: "2026-01-01", contacts: contacts([
        ("P1", "2026-04-02"), ("P2", "2026-05-01"), ("P3", "2026-05-02"), ("P4", "2026-05-03"), ("P2", "2026-06-30"),
    ]))

    @Test func fourFacesIn90DaysIsActiveWithEvidenceAndSince() {
        let f = flag(.changingFaces, Self.four, "2026-06-30")
        #expect(f?.evidence == "4 different professionals in the last 90 days: P2, P1, P3 and P4")
        // Holds on X iff 05-03 ≤ X (fourth face) and X − 89 ≤ 04-02 (P1 still in).
        #expect(f?.since == day("2026-05-03"))
    }

    @Test func theFirstFaceLeavingTheWindowEndsTheFlag() {
        #expect(flag(.changingFaces, Self.four, "2026-07-01") == nil)   // 04-02 is D − 90
    }

    @Test func threeFacesIsAtTheThresholdAndNotActive() {
        let h = history(contacts: contacts([("P1", "2026-04-02"), ("P2", "2026-05-01"), ("P3", "2026-05-02"), ("P4", "2026-04-01")]))
        #expect(flag(.changingFaces, h, "2026-06-30") == nil)
    }

    @Test func participantsAreFacesToo() {
        let h = history(contacts: [contact("a", "P1", "2026-06-01", participants: ["P2", "P3", "P4"])])
        #expect(flag(.changingFaces, h, "2026-06-30")?.since == day("2026-06-01"))
    }

    @Test func sinceIsExactEvenWhenTheFlagHeldLongerThanOneWindow() {
        // Leads rotate P1…P5 every 20 days from 2025-01-01: from the fourth face (2025-03-02)
        // on, every 90-day window holds at least four of them.
        var list: [(String, String)] = []
        var d = day("2025-01-01"), i = 0
        while d <= day("2026-06-30") { list.append(("P\(i % 5 + 1)", d.iso)); d = d.adding(days: 20); i += 1 }
        let h = history(opened: "2024-12-01", contacts: contacts(list))
        #expect(flag(.changingFaces, h, "2026-06-30")?.since == day("2025-03-02"))
    }

    @Test func sinceIsNeverBeforeTheCaseOpened() {
        let h = history(opened: "2026-05-02", contacts: contacts([("P1", "2026-04-10"), ("P2", "2026-04-11"), ("P3", "2026-04-12"), ("P4", "2026-04-13")]))
        #expect(flag(.changingFaces, h, "2026-06-30")?.since == day("2026-05-02"))
    }

    @Test func thresholdsAreConfigurable() {
        var t = FlagThresholds()
        t.changingFacesMax = 4
        #expect(flag(.changingFaces, Self.four, "2026-06-30", thresholds: t) == nil)
        t.changingFacesMax = 1
        t.changingFacesWindowDays = 30   // 06-01 … 06-30 holds only P2
        #expect(flag(.changingFaces, Self.four, "2026-06-30", thresholds: t) == nil)
        t.changingFacesWindowDays = 60   // 05-02 … 06-30: P3, P4, P2
        #expect(flag(.changingFaces, Self.four, "2026-06-30", thresholds: t)?.evidence
                == "3 different professionals in the last 60 days: P2, P3 and P4")
    }
}

@Suite struct PrimaryTurnoverTests {
    @Test func twoChangesInAYearAreActive() {
        let h = history(opened: "2025-01-01", assignments: [assign("P1", "2025-01-01"), assign("P2", "2026-01-10"), assign("P3", "2026-06-01")])
        let f = flag(.primaryTurnover, h, "2026-06-30")
        #expect(f?.evidence == "The primary professional changed 2 times in the last 365 days: from P1 to P2 on 10 January 2026 and from P2 to P3 on 1 June 2026")
        #expect(f?.since == day("2026-06-01"))
        #expect(flag(.primaryTurnover, h, "2026-05-31") == nil)
        #expect(flag(.primaryTurnover, h, "2027-01-09") != nil)   // 2026-01-10 = D − 364
        #expect(flag(.primaryTurnover, h, "2027-01-10") == nil)   // D − 365
    }

    @Test(arguments: [("2025-07-01", true), ("2025-06-30", false)])
    func windowEdgeIsDMinus364(firstChange: String, active: Bool) {
        let h = history(opened: "2025-01-01", assignments: [assign("P1", "2025-01-01"), assign("P2", firstChange), assign("P3", "2026-06-01")])
        #expect((flag(.primaryTurnover, h, "2026-06-30") != nil) == active)
    }

    @Test func aChangeFromNobodyDoesNotCountButAChangeToNobodyDoes() {
        let base = [assign("P1", "2025-01-01"), assign(nil, "2026-02-01"), assign("P2", "2026-03-01")]
        #expect(flag(.primaryTurnover, history(opened: "2025-01-01", assignments: base), "2026-06-30") == nil)
        let more = base + [assign("P3", "2026-05-01")]
        let f = flag(.primaryTurnover, history(opened: "2025-01-01", assignments: more), "2026-06-30")
        #expect(f?.evidence == "The primary professional changed 2 times in the last 365 days: from P1 to nobody on 1 February 2026 and from P2 to P3 on 1 May 2026")
    }

    @Test func reassigningTheSamePersonIsNoChange() {
        let h = history(opened: "2025-01-01", assignments: [assign("P1", "2025-01-01"), assign("P2", "2026-02-01"), assign("P2", "2026-04-01", reason: .other)])
        #expect(flag(.primaryTurnover, h, "2026-06-30") == nil)
    }

    @Test func aSameDayCorrectionIsOneChange() {
        // Only the higher sequence of 2026-03-01 was ever in force: P1 → P3 is one change.
        let h = history(opened: "2025-01-01", assignments: [assign("P1", "2025-01-01", seq: 1), assign("P2", "2026-03-01", seq: 2), assign("P3", "2026-03-01", seq: 3)])
        #expect(flag(.primaryTurnover, h, "2026-06-30") == nil)
    }

    @Test func assignmentsAfterDAreIgnored() {
        let h = history(opened: "2025-01-01", assignments: [assign("P1", "2025-01-01"), assign("P2", "2026-06-01"), assign("P3", "2026-07-01")])
        #expect(flag(.primaryTurnover, h, "2026-06-30") == nil)
    }
}

@Suite struct NoPrimaryTests {
    @Test func neverAssignedCountsFromOpening() {
        let h = history(opened: "2026-06-01")
        #expect(flag(.noPrimary, h, "2026-06-15") == nil)                 // 14 days
        let f = flag(.noPrimary, h, "2026-06-16")                          // 15 days
        #expect(f?.since == day("2026-06-16"))
        #expect(f?.evidence == "No active primary professional for 15 days (since 1 June 2026): nobody has been assigned since the case opened on 1 June 2026")
    }

    @Test func anAssignmentToNobodyCountsFromItsDate() {
        let h = history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01"), assign(nil, "2026-05-01")])
        #expect(flag(.noPrimary, h, "2026-05-15") == nil)
        let f = flag(.noPrimary, h, "2026-05-16")
        #expect(f?.since == day("2026-05-16"))
        #expect(f?.evidence == "No active primary professional for 15 days (since 1 May 2026): the assignment of 1 May 2026 is to nobody")
    }

    @Test func anEndedPrimaryCountsFromTheDayAfterEndedOn() {
        let h = history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01")],
                        professionals: [professional("P1", ended: "2026-05-10")])
        #expect(flag(.noPrimary, h, "2026-05-10") == nil)                 // still employed on D
        #expect(flag(.noPrimary, h, "2026-05-25") == nil)                 // missing since 05-11: 14 days
        let f = flag(.noPrimary, h, "2026-05-26")
        #expect(f?.since == day("2026-05-26"))
        #expect(f?.evidence == "No active primary professional for 15 days (since 11 May 2026): primary professional Name P1 (P1) left on 10 May 2026")
    }

    @Test func missingSinceIsNeverBeforeOpening() {
        let h = history(opened: "2026-05-01", assignments: [assign(nil, "2026-04-01")])
        #expect(flag(.noPrimary, h, "2026-05-15") == nil)
        #expect(flag(.noPrimary, h, "2026-05-16")?.since == day("2026-05-16"))
    }

    @Test func anAssignmentToNobody_countsFromItsFrom_asSPECSays() {
        // P1 left on 04-30, nobody recorded from 05-10: SPEC §3 counts from the `from` of the
        // assignment to null (05-10), so the flag starts on 05-25, not 05-16.
        let h = history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01"), assign(nil, "2026-05-10")],
                        professionals: [professional("P1", ended: "2026-04-30")])
        #expect(flag(.noPrimary, h, "2026-05-16") == nil)
        #expect(flag(.noPrimary, h, "2026-05-24") == nil)                 // 14 days
        #expect(flag(.noPrimary, h, "2026-05-25")?.since == day("2026-05-25"))
        #expect(flag(.noPrimary, h, "2026-05-25")?.evidence
                == "No active primary professional for 15 days (since 10 May 2026): the assignment of 10 May 2026 is to nobody")
        // A first assignment to nobody after opening: the later of opened_on and its from.
        let late = history(opened: "2026-05-01", assignments: [assign(nil, "2026-05-05")])
        #expect(flag(.noPrimary, late, "2026-05-19") == nil)
        #expect(flag(.noPrimary, late, "2026-05-20")?.since == day("2026-05-20"))
    }

    @Test func aNewPrimaryEndsTheFlag() {
        let h = history(opened: "2026-01-01", assignments: [assign(nil, "2026-01-01"), assign("P2", "2026-06-01")])
        #expect(flag(.noPrimary, h, "2026-05-31") != nil)
        #expect(flag(.noPrimary, h, "2026-06-01") == nil)
    }

    @Test func assigningSomeoneWhoHadAlreadyLeft_countsFromTheDayAfterTheirEndedOn() {
        let h = history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01"), assign("P2", "2026-03-01")],
                        professionals: [professional("P1", ended: "2026-02-10"), professional("P2", ended: "2026-02-20")])
        // Until 02-28 the primary is P1, gone from 02-11; from 03-01 it is P2, gone from 02-21.
        #expect(flag(.noPrimary, h, "2026-02-25") == nil)                 // 14 days
        #expect(flag(.noPrimary, h, "2026-02-26")?.since == day("2026-02-26"))
        #expect(flag(.noPrimary, h, "2026-03-07") == nil)                 // 14 days since 02-21
        #expect(flag(.noPrimary, h, "2026-03-08")?.since == day("2026-03-08"))
    }
}

@Suite struct PrimaryLeavingTests {
    static let h = history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01")],
                           professionals: [professional("P1", ended: "2026-07-30")])

    @Test(arguments: [("2026-06-29", nil), ("2026-06-30", "in 30 days"), ("2026-07-29", "in 1 day"),
                      ("2026-07-30", "today"), ("2026-07-31", nil)] as [(String, String?)])
    func activeFromThirtyDaysBeforeEndedOnUpToIt(asOf: String, when: String?) {
        let f = flag(.primaryLeaving, Self.h, asOf)
        #expect(f?.evidence == when.map { "Primary professional Name P1 (P1) leaves on 30 July 2026, \($0)" })
        if f != nil { #expect(f?.since == day("2026-06-30")) }
    }

    @Test func sinceIsTheAssignmentDateIfLater() {
        let late = history(opened: "2026-01-01", assignments: [assign("P2", "2026-01-01"), assign("P1", "2026-07-15")],
                           professionals: [professional("P1", ended: "2026-07-30")])
        #expect(flag(.primaryLeaving, late, "2026-07-20")?.since == day("2026-07-15"))
        // A re-assignment of the same person does not move it.
        let again = history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01"), assign("P1", "2026-07-15", reason: .other)],
                            professionals: [professional("P1", ended: "2026-07-30")])
        #expect(flag(.primaryLeaving, again, "2026-07-20")?.since == day("2026-06-30"))
    }

    @Test func aNonPrimaryLeavingOrNoEndDateIsNoFlag() {
        let h = history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01")],
                        professionals: [professional("P1"), professional("P2", ended: "2026-07-10")])
        #expect(flag(.primaryLeaving, h, "2026-07-01") == nil)
    }
}

@Suite struct ReferralTests {
    // D = 2026-06-30: the 180-day window is 2026-01-02 … 2026-06-30.
    @Test func threeReferralsIn180DaysAreAChain() {
        let h = history(opened: "2025-06-01", referrals: [
            referral("r1", "2026-01-02", status: .completed), referral("r2", "2026-03-01", to: "GGD", status: .declined),
            referral("r3", "2026-06-01", to: "Schuldhulp", status: .accepted),
        ])
        let f = flag(.referralChain, h, "2026-06-30")
        #expect(f?.evidence == "3 referrals in the last 180 days: to Wijkteam Noord on 2 January 2026, to GGD on 1 March 2026 and to Schuldhulp on 1 June 2026")
        #expect(f?.since == day("2026-06-01"))
        #expect(flag(.referralChain, h, "2026-07-01") == nil)              // 01-02 is now D − 180
    }

    @Test func twoReferralsAreNotAChain() {
        let h = history(opened: "2025-06-01", referrals: [referral("r1", "2026-01-01"), referral("r2", "2026-03-01"), referral("r3", "2026-06-01")])
        #expect(flag(.referralChain, h, "2026-06-30") == nil)
    }

    @Test func anOpenReferralWithoutContactFor15DaysIsInLimbo() {
        let h = history(opened: "2026-01-01", contacts: [
            contact("a", "P1", "2026-06-01T15:00:00Z"),               // same day as the referral: does not count
            contact("b", "P1", "2026-06-05", status: .noShow),        // not held
        ], referrals: [referral("r1", "2026-06-01", to: "GGD")])
        #expect(flag(.referralLimbo, h, "2026-06-15") == nil)          // 14 days
        let f = flag(.referralLimbo, h, "2026-06-16")
        #expect(f?.since == day("2026-06-16"))
        #expect(f?.evidence == "The referral to GGD on 1 June 2026 has been open for 15 days with no contact since")
    }

    @Test func aHeldContactAfterTheReferralEndsTheLimbo() {
        let h = history(opened: "2026-01-01", contacts: [contact("a", "P1", "2026-06-02", mode: .phone)],
                        referrals: [referral("r1", "2026-06-01")])
        #expect(flag(.referralLimbo, h, "2026-06-30") == nil)
        // …but not a contact after D.
        #expect(flag(.referralLimbo, h, "2026-06-01") == nil)
        let later = history(opened: "2026-01-01", contacts: [contact("a", "P1", "2026-07-02")], referrals: [referral("r1", "2026-06-01")])
        #expect(flag(.referralLimbo, later, "2026-06-30") != nil)
    }

    @Test func theLocalDateOfTheContactDecides() {
        // 2026-06-01T22:30Z is 06-02 00:30 in Amsterdam: after the referral date there, not in UTC.
        let h = history(opened: "2026-01-01", contacts: [contact("a", "P1", "2026-06-01T22:30:00Z")],
                        referrals: [referral("r1", "2026-06-01")])
        #expect(flags(h, "2026-06-30", zone: amsterdam).contains { $0.flag == .referralLimbo } == false)
        #expect(flags(h, "2026-06-30", zone: .utc).contains { $0.flag == .referralLimbo })
    }

    @Test func onlyOpenReferralsCanBeInLimboAndSinceIsTheEarliest() {
        let h = history(opened: "2026-01-01", referrals: [
            referral("r1", "2026-05-01", status: .accepted), referral("r2", "2026-05-10", to: "GGD"), referral("r3", "2026-06-01", to: "Schuldhulp"),
        ])
        let f = flag(.referralLimbo, h, "2026-06-20")
        #expect(f?.since == day("2026-05-25"))
        #expect(f?.evidence == "2 referrals open with no contact since they were made: to GGD on 10 May 2026 (41 days) and to Schuldhulp on 1 June 2026 (19 days)")
    }
}

@Suite struct GapTests {
    @Test func longGapAfterThirtyDays() {
        let h = history(opened: "2026-01-01", contacts: [contact("a", "P1", "2026-05-31", mode: .phone),
                                                         contact("b", "P1", "2026-06-20", status: .noShow)])
        #expect(flag(.longGap, h, "2026-06-30") == nil)                   // 30 days
        let f = flag(.longGap, h, "2026-07-01")                            // 31 days
        #expect(f?.evidence == "No contact for 31 days (last held contact on 31 May 2026)")
        #expect(f?.since == day("2026-07-01"))
    }

    @Test func longGapWithoutAnyContactCountsFromOpening() {
        let h = history(opened: "2026-06-01")
        #expect(flag(.longGap, h, "2026-07-01") == nil)
        let f = flag(.longGap, h, "2026-07-02")
        #expect(f?.evidence == "No contact for 31 days (no held contact since the case opened on 1 June 2026)")
        #expect(f?.since == day("2026-07-02"))
    }

    @Test func noFaceToFaceAfterSixtyDaysWhateverElseHappened() {
        let h = history(opened: "2026-01-01", contacts: [contact("a", "P1", "2026-05-01", mode: .officeVisit),
                                                         contact("b", "P1", "2026-06-25", mode: .video)])
        #expect(flag(.noFaceToFace, h, "2026-06-30") == nil)              // 60 days
        let f = flag(.noFaceToFace, h, "2026-07-01")
        #expect(f?.evidence == "No face-to-face contact for 61 days (last home visit, office visit or outreach on 1 May 2026)")
        #expect(f?.since == day("2026-07-01"))
        #expect(flag(.longGap, h, "2026-07-01") == nil)
    }
}

@Suite struct FlagEvaluationTests {
    @Test func closedClientsHaveNoFlags() {
        let h = history(opened: "2026-01-01", closed: "2026-06-30")
        #expect(flags(h, "2026-06-30").isEmpty)                            // closed_on = D
        #expect(flags(h, "2026-07-15").isEmpty)
        #expect(!flags(h, "2026-06-29").isEmpty)                           // closed_on after D: open
    }

    @Test func aCaseNotYetOpenedHasNoFlags() {
        #expect(flags(history(opened: "2026-08-01"), "2026-07-01").isEmpty)
    }

    @Test func flagsComeInSpecOrder() {
        let h = history(opened: "2026-01-01", contacts: [contact("a", "P1", "2026-02-01", mode: .phone)],
                        referrals: [referral("r", "2026-03-01")])
        #expect(flags(h, "2026-06-30").map(\.flag) == [.noPrimary, .referralLimbo, .longGap, .noFaceToFace])
    }

    @Test func everyDefaultThresholdIsSpecs() {
        let t = FlagThresholds()
        #expect([t.changingFacesWindowDays, t.changingFacesMax, t.primaryTurnoverWindowDays, t.primaryTurnoverMinChanges,
                 t.noPrimaryGraceDays, t.primaryLeavingDays, t.referralChainWindowDays, t.referralChainMax,
                 t.referralLimboDays, t.longGapDays, t.noFaceToFaceDays, t.warmHandoverDays]
                == [90, 3, 365, 2, 14, 30, 180, 2, 14, 30, 60, 30])
    }

    @Test func aWellServedClientHasNoFlags() {
        let h = history(opened: "2026-01-01", contacts: contacts([("P1", "2026-06-01"), ("P1", "2026-06-20")]),
                        assignments: [assign("P1", "2026-01-01")], professionals: [professional("P1")])
        #expect(flags(h, "2026-06-30").isEmpty)
    }
}

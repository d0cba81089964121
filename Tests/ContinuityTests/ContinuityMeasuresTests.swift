import Testing
@testable import Continuity

@Suite struct ContinuityMeasuresTests {
    /// D = 2026-03-31, W = 31: the window is 2026-03-01 … 2026-03-31 (UTC).
    /// Held in the window, in order (weekday, lead):
    ///   c1 Mon 03-02 09:00 P1 home_visit      c4 Sat 03-14 10:00 P1 video
    ///   c2 Wed 03-04 10:00 P1 phone           c5 Fri 03-20 08:29:59 P3 home_visit (+P1)
    ///   c3 Tue 03-10 18:00 P2 office_visit    c6 Tue 03-31 16:59:59 P1 message
    /// n = 6; n_P1 = 4, n_P2 = 1, n_P3 = 1; M = 3.
    static let scenario = history(
        opened: "2025-12-01",
        contacts: [
            contact("c0", "P2", "2026-02-27"),                                    // before the window
            contact("cx", "P9", "2026-02-28T23:30:00Z"),                          // 02-28 in UTC: out
            contact("c1", "P1", "2026-03-02T09:00:00Z"),
            contact("c2", "P1", "2026-03-04T10:00:00Z", mode: .phone),
            contact("c3", "P2", "2026-03-10T18:00:00Z", mode: .officeVisit),
            contact("c4", "P1", "2026-03-14T10:00:00Z", mode: .video),
            contact("c5", "P3", "2026-03-20T08:29:59Z", participants: ["P1"]),
            contact("c6", "P1", "2026-03-31T16:59:59Z", mode: .message),
            contact("n1", "P2", "2026-03-25", status: .noShow),
            contact("x1", "P2", "2026-03-26", status: .cancelled),
            contact("f1", "P4", "2026-04-01"),                                    // after D: ignored
        ],
        assignments: [assign("P2", "2026-01-01", seq: 1), assign("P1", "2026-03-15", seq: 2)],
        referrals: [referral("R1", "2026-03-01"), referral("R2", "2026-02-28"), referral("R3", "2026-04-01")])

    @Test func everyMeasureOfTheHandWorkedScenario() {
        let m = measures(Self.scenario, "2026-03-31", window: 31)
        #expect(m.asOf == day("2026-03-31") && m.windowDays == 31)
        #expect(m.contacts == 6)
        #expect(m.faces == 3)                                   // P1, P2, P3
        #expect(m.upc == 4.0 / 6.0)                             // max n_j / n = 4/6
        #expect(m.coc == 12.0 / 30.0)                           // (16+1+1−6)/(6·5)
        #expect(m.secon == 1.0 / 5.0)                           // P1P1 P1P2 P2P1 P1P3 P3P1: 1 of 5
        #expect(m.mmci == 31.0 / 51.0)                          // (1−3/6.1)/(1−1/6.1) = (61−30)/(61−10)
        // Known: c2, c3 (P2 seen 02-27), c4, c6; not c1 (P1 first seen that day), c5 (P3 new).
        #expect(m.knownFaceShare == 4.0 / 6.0)
        #expect(m.primaryProfessionalID == "P1")
        #expect(m.primaryShare == 4.0 / 6.0)                    // c1 c2 c4 c6 led by P1
        #expect(m.daysSinceContact == 0)                        // c6 on D
        #expect(m.daysSinceFaceToFace == 11)                    // c5 on 03-20
        #expect(m.referrals == 1)                               // R1 only
        #expect(m.outsideOfficeHoursShare == 3.0 / 6.0)         // c3 18:00, c4 Saturday, c5 08:29:59
        #expect(m.noShowRate == 1.0 / 7.0)                      // 1 / (1 + 6); cancelled not counted
        #expect(m.facesDetail == [FaceCount(professionalID: "P1", contacts: 5),
                                  FaceCount(professionalID: "P2", contacts: 1),
                                  FaceCount(professionalID: "P3", contacts: 1)])
    }

    @Test func anEmptyHistoryHasCountsAndNullIndices() {
        let m = measures(history(opened: "2026-01-01"), "2026-03-31")
        #expect(m.contacts == 0 && m.faces == 0 && m.referrals == 0 && m.facesDetail.isEmpty)
        #expect(m.upc == nil && m.coc == nil && m.secon == nil && m.mmci == nil)
        #expect(m.knownFaceShare == nil && m.primaryShare == nil)
        #expect(m.outsideOfficeHoursShare == nil && m.noShowRate == nil)
        #expect(m.primaryProfessionalID == nil)
        #expect(m.daysSinceContact == 89 && m.daysSinceFaceToFace == 89)   // D − opened_on
    }

    @Test func oneContactDefinesUPCAndMMCIButNotCOCOrSECON() {
        let m = measures(history(contacts: [contact("a", "P1", "2026-03-10")]), "2026-03-31")
        #expect(m.upc == 1 && m.mmci == 1)
        #expect(m.coc == nil && m.secon == nil)
    }

    @Test(arguments: [
        ("2026-03-01", 1), // D − W + 1: in
        ("2026-02-28", 0), // D − W: out
        ("2026-03-31", 1), // D: in
        ("2026-04-01", 0), // after D: out
    ])
    func windowEdges(date: String, expected: Int) {
        let h = history(contacts: [contact("a", "P1", date + "T12:00:00Z")])
        #expect(measures(h, "2026-03-31", window: 31).contacts == expected)
    }

    @Test func contactsAfterDAreIgnoredEverywhere() {
        let h = history(opened: "2026-01-01",
                        contacts: [contact("a", "P1", "2026-04-01"), contact("b", "P2", "2026-04-02", status: .noShow)])
        let m = measures(h, "2026-03-31")
        #expect(m.contacts == 0 && m.noShowRate == nil && m.daysSinceContact == 89)
    }

    @Test func localMidnightInAmsterdamDecidesTheDate() {
        // 2026-01-14T23:30Z is 2026-01-15 00:30 in Amsterdam (winter, UTC+1).
        let h = history(contacts: [contact("a", "P1", "2026-01-14T23:30:00Z")])
        #expect(measures(h, "2026-01-14", window: 1, zone: amsterdam).contacts == 0)
        #expect(measures(h, "2026-01-15", window: 1, zone: amsterdam).contacts == 1)
        #expect(measures(h, "2026-01-14", window: 1, zone: .utc).contacts == 1)
        #expect(measures(h, "2026-01-15", window: 1, zone: amsterdam).daysSinceContact == 0)
        // Summer (UTC+2): 22:00Z is already the next day, 21:59:59Z is not.
        let s = history(contacts: [contact("a", "P1", "2026-07-14T22:00:00Z"), contact("b", "P1", "2026-07-14T21:59:59Z")])
        #expect(measures(s, "2026-07-14", window: 1, zone: amsterdam).contacts == 1)
        #expect(measures(s, "2026-07-15", window: 1, zone: amsterdam).contacts == 1)
    }

    @Test func officeHoursUseLocalTimeNotTheTimestampOffset() {
        // 07:30Z in summer is 09:30 in Amsterdam (inside); 15:30Z is 17:30 (outside).
        let h = history(contacts: [
            Contact(id: "a", clientID: "C1", professionalID: "P1",
                    occurredAt: Instant(rfc3339: "2026-07-14T03:30:00-04:00")!, mode: .homeVisit),
            contact("b", "P1", "2026-07-14T15:30:00Z"),
        ])
        #expect(measures(h, "2026-07-14", zone: amsterdam).outsideOfficeHoursShare == 0.5)
        #expect(measures(h, "2026-07-14", zone: .utc).outsideOfficeHoursShare == 0.5)   // 07:30Z out, 15:30Z in
    }

    @Test func contactsOnTheDaylightSavingDayCountOnThatLocalDate() {
        // 2026-03-29 (spring forward): 00:30 CET = 03-28T23:30Z; 23:30 CEST = 03-29T21:30Z.
        // 2026-10-25 (fall back): 00:30 CEST = 10-24T22:30Z; 23:30 CET = 10-25T22:30Z.
        let h = history(contacts: [
            contact("a", "P1", "2026-03-28T23:30:00Z"), contact("b", "P2", "2026-03-29T21:30:00Z"),
            contact("c", "P3", "2026-10-24T22:30:00Z"), contact("d", "P4", "2026-10-25T22:30:00Z"),
        ])
        #expect(measures(h, "2026-03-29", window: 1, zone: amsterdam).faces == 2)
        #expect(measures(h, "2026-10-25", window: 1, zone: amsterdam).faces == 2)
        #expect(measures(h, "2026-10-24", window: 1, zone: amsterdam).faces == 0)
    }

    @Test func tiesInOccurredAtAreBrokenById() {
        // Same instant: "a" (P1) comes before "b" (P2), then "c" (P2): P1 P2 P2 → secon 1/2.
        // Ordered b, a, c it would be P2 P1 P2 → 0.
        let h = history(contacts: [
            contact("c", "P2", "2026-03-10T12:00:00Z"),
            contact("b", "P2", "2026-03-10T09:00:00Z"),
            contact("a", "P1", "2026-03-10T09:00:00Z"),
        ])
        #expect(measures(h, "2026-03-31").secon == 0.5)
        let swapped = history(contacts: [
            contact("c", "P2", "2026-03-10T12:00:00Z"),
            contact("a", "P2", "2026-03-10T09:00:00Z"),
            contact("b", "P1", "2026-03-10T09:00:00Z"),
        ])
        #expect(measures(swapped, "2026-03-31").secon == 0)
    }

    @Test func orderingUsesTheInstantNotTheWrittenLocalTime() {
        // 10:00+02:00 (08:00Z) is before 09:00Z although "10" > "09".
        let h = history(contacts: [
            Contact(id: "z", clientID: "C1", professionalID: "P1", occurredAt: Instant(rfc3339: "2026-03-10T10:00:00+02:00")!, mode: .phone),
            contact("y", "P2", "2026-03-10T09:00:00Z"),
            contact("x", "P2", "2026-03-10T11:00:00Z"),
        ])
        #expect(measures(h, "2026-03-31").secon == 0.5) // P1 P2 P2
    }

    @Test func jointVisitParticipantsAreFacesButNotLeads() {
        let h = history(contacts: [
            contact("a", "P1", "2026-03-02", participants: ["P2", "P3", "P1", "P2"]),
            contact("b", "P1", "2026-03-03"),
        ])
        let m = measures(h, "2026-03-31")
        #expect(m.faces == 3)
        #expect(m.upc == 1 && m.coc == 1 && m.mmci == 1 && m.secon == 1)
        #expect(m.facesDetail == [FaceCount(professionalID: "P1", contacts: 2),
                                  FaceCount(professionalID: "P2", contacts: 1),
                                  FaceCount(professionalID: "P3", contacts: 1)])
    }

    @Test func aParticipantOnAnEarlierDayMakesTheLeadAKnownFace() {
        // P2 came along on 03-02; leads on 03-05 → known. P3 came along on 03-05 at 09:00 and
        // leads at 15:00 the same day → not known (same local date).
        let h = history(contacts: [
            contact("a", "P1", "2026-03-02", participants: ["P2"]),
            contact("b", "P2", "2026-03-05T09:00:00Z", participants: ["P3"]),
            contact("c", "P3", "2026-03-05T15:00:00Z"),
            contact("d", "P4", "2026-03-01", status: .noShow),
            contact("e", "P4", "2026-03-06"),
        ])
        let m = measures(h, "2026-03-31")
        // a: P1 new; b: P2 known; c: P3 same day; e: P4 only at a no-show before → new.
        #expect(m.knownFaceShare == 1.0 / 4.0)
    }

    @Test func knownFacesLookBeyondTheWindow() {
        let h = history(opened: "2024-01-01", contacts: [contact("a", "P1", "2024-02-01"), contact("b", "P1", "2026-03-10")])
        #expect(measures(h, "2026-03-31", window: 30).knownFaceShare == 1)
    }

    @Test func noShowsAndCancellationsAreNotContacts() {
        let h = history(contacts: [
            contact("a", "P1", "2026-03-02"), contact("b", "P2", "2026-03-03", status: .noShow),
            contact("c", "P3", "2026-03-04", status: .cancelled), contact("d", "P2", "2026-03-05", status: .noShow),
        ])
        let m = measures(h, "2026-03-31")
        #expect(m.contacts == 1 && m.faces == 1)
        #expect(m.noShowRate == 2.0 / 3.0)
        #expect(m.daysSinceContact == 29)
    }

    @Test func daysSinceContactIsNotWindowedAndFaceToFaceCountsOnlyInPersonModes() {
        let h = history(opened: "2025-01-01", contacts: [
            contact("a", "P1", "2025-06-01", mode: .outreach),
            contact("b", "P1", "2025-11-01", mode: .letter),
        ])
        let m = measures(h, "2026-03-31", window: 30)
        #expect(m.daysSinceContact == 150)        // 2025-11-01 → 2026-03-31
        #expect(m.daysSinceFaceToFace == 303)     // 2025-06-01 → 2026-03-31
    }

    @Test func primaryIsTheLatestAssignmentOnOrBeforeD() {
        let base = history(contacts: [contact("a", "P1", "2026-03-02"), contact("b", "P2", "2026-03-03")],
                           assignments: [assign("P1", "2026-01-01", seq: 1), assign("P2", "2026-03-01", seq: 2),
                                         assign("P3", "2026-03-01", seq: 3), assign(nil, "2026-04-01", seq: 4)])
        // Two on 03-01: the higher sequence (P3) wins, whatever the array order.
        #expect(measures(base, "2026-03-31").primaryProfessionalID == "P3")
        #expect(measures(base, "2026-03-31").primaryShare == 0)
        var reversed = base
        reversed.assignments.reverse()
        #expect(measures(reversed, "2026-03-31").primaryProfessionalID == "P3")
        #expect(measures(base, "2026-02-28").primaryProfessionalID == "P1")
        #expect(measures(base, "2025-12-31").primaryProfessionalID == nil)
        // To nobody from 04-01: null, and primary_share is null too.
        #expect(measures(base, "2026-04-01").primaryProfessionalID == nil)
        #expect(measures(base, "2026-04-01").primaryShare == nil)
    }

    @Test func anEndedPrimaryIsStillThePrimaryProfessional() {
        let h = history(contacts: [contact("a", "P1", "2026-03-02")],
                        assignments: [assign("P1", "2026-01-01")],
                        professionals: [professional("P1", ended: "2026-03-10")])
        let m = measures(h, "2026-03-31")
        #expect(m.primaryProfessionalID == "P1" && m.primaryShare == 1)
    }

    @Test func referralsCountAnyStatusInTheWindow() {
        let h = history(referrals: [referral("a", "2026-03-01", status: .declined), referral("b", "2026-03-31", status: .completed),
                                    referral("c", "2026-02-28"), referral("d", "2026-04-01")])
        #expect(measures(h, "2026-03-31", window: 31).referrals == 2)
    }

    @Test func facesDetailTiesAreOrderedById() {
        let h = history(contacts: [contact("a", "P9", "2026-03-02"), contact("b", "P10", "2026-03-03"),
                                   contact("c", "P2", "2026-03-04"), contact("d", "P2", "2026-03-05")])
        #expect(measures(h, "2026-03-31").facesDetail.map(\.professionalID) == ["P2", "P10", "P9"])
    }

    @Test func aZeroDayWindowIsEmpty() {
        let m = measures(history(contacts: [contact("a", "P1", "2026-03-31")]), "2026-03-31", window: 0)
        #expect(m.contacts == 0 && m.daysSinceContact == 0)
    }
}

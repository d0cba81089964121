import Testing
@testable import Continuity

/// SPEC §2 successor advice: who could take over as primary without a new face.
@Suite struct SuccessorsTests {
    static func candidate(_ id: String, _ contacts: Int, _ last: String?, open: Int) -> SuccessorCandidate {
        SuccessorCandidate(professionalID: id, name: "Name \(id)", contactsWithClient: contacts,
                           lastContactOn: last.map(day), openCases: open)
    }

    /// Each row: candidates in any order → ids in the order SPEC §2 ranks them.
    static let rankingTable: [(String, [SuccessorCandidate], [String])] = [
        ("most contacts first", [candidate("A", 1, "2026-11-20", open: 0), candidate("B", 4, "2026-01-02", open: 30)], ["B", "A"]),
        ("equal contacts: the latest contact first",
         [candidate("A", 2, "2026-03-01", open: 0), candidate("B", 2, "2026-10-01", open: 9)], ["B", "A"]),
        ("equal contacts and date: the fewest open cases first",
         [candidate("A", 2, "2026-10-01", open: 7), candidate("B", 2, "2026-10-01", open: 3)], ["B", "A"]),
        ("all equal: by id", [candidate("P9", 2, "2026-10-01", open: 3), candidate("P10", 2, "2026-10-01", open: 3)], ["P10", "P9"]),
        ("never met comes after everyone who did, whatever the caseload",
         [candidate("A", 0, nil, open: 0), candidate("B", 1, "2025-12-01", open: 50)], ["B", "A"]),
        ("among those who never met: the fewest open cases, then id",
         [candidate("C", 0, nil, open: 2), candidate("A", 0, nil, open: 5), candidate("B", 0, nil, open: 2)], ["B", "C", "A"]),
    ]

    @Test(arguments: rankingTable.indices)
    func rankingFollowsContactsThenLatestThenCaseloadThenID(row: Int) {
        let (name, input, expected) = Self.rankingTable[row]
        #expect(Successors.rank(input).map(\.professionalID) == expected, "\(name)")
        #expect(Successors.rank(input.reversed()).map(\.professionalID) == expected, "\(name), reversed input")
    }

    static func staff(_ id: String, started: String = "2020-01-01", ended: String? = nil, team: String = "T1") -> Professional {
        Professional(id: id, name: "Name \(id)", teamID: team, discipline: "x", employment: .permanent,
                     startedOn: day(started), endedOn: ended.map(day))
    }

    /// A client whose primary P1 leaves on 2026-12-10; P2 met them 3 times (last in October),
    /// P3 once as a participant, P4 two years ago only.
    static let leaving = history(
        opened: "2024-01-01",
        contacts: [
            contact("c1", "P2", "2026-03-01"), contact("c2", "P2", "2026-06-01"),
            contact("c3", "P1", "2026-10-15", participants: ["P2", "P3"]),
            contact("c4", "P4", "2024-06-01"),
            contact("c5", "P5", "2026-09-01", status: .noShow),
        ],
        assignments: [assign("P1", "2024-01-01")],
        professionals: [professional("P1", ended: "2026-12-10")])

    static let pool = SuccessorPool(
        professionals: [staff("P1", ended: "2026-12-10"), staff("P2"), staff("P3"), staff("P4"), staff("P5"),
                        staff("P6", ended: "2027-02-01"), staff("P7", started: "2026-12-01"), staff("P8", team: "T2"),
                        staff("P9", ended: "2027-03-01")],
        openCases: ["P2": 12, "P3": 4, "P4": 9, "P5": 1, "P9": 0])

    @Test func candidatesAreTeamColleaguesEmployedOnDAndStayingPastDPlus90RankedByWhoKnowsTheClient() {
        let p = PreparedHistory(Self.leaving, settings: MeasureSettings())
        let advice = p.successorAdvice(asOf: day("2026-11-28"), pool: Self.pool, thresholds: FlagThresholds(), limit: 5)
        #expect(advice.needed)
        #expect(advice.primaryProfessionalID == "P1")
        // Not P1 (the primary), P6 (leaves before D + 90), P7 (not started), P8 (other team);
        // P9 leaves on D + 93, after D + 90, so stays in. P4 met them more than 365 days ago; the
        // no-show with P5 does not count.
        #expect(advice.candidates.map(\.professionalID) == ["P2", "P3", "P9", "P5", "P4"])
        let best = advice.candidates[0]
        #expect(best.contactsWithClient == 3 && best.lastContactOn == day("2026-10-15") && best.openCases == 12)
        #expect(advice.candidates[1].contactsWithClient == 1)
        #expect(advice.candidates[4].contactsWithClient == 0 && advice.candidates[4].lastContactOn == nil)
        #expect(best.reason(.nl) == "Kent de cliënt: 3 contacten in het afgelopen jaar, laatst op 15 oktober 2026; regievoerder van 12 lopende zaken.")
        #expect(advice.candidates[2].reason(.en) == "Has not met the client in the last year; primary for 0 open cases.")
        #expect(p.successorAdvice(asOf: day("2026-11-28"), pool: Self.pool, thresholds: FlagThresholds(), limit: 2)
                    .candidates.map(\.professionalID) == ["P2", "P3"])
    }

    @Test func adviceIsNotNeededWhileThePrimaryStays() {
        let p = PreparedHistory(Self.leaving, settings: MeasureSettings())
        // On 2026-11-09 the end date is 31 days away: primary_leaving (30 days) does not hold yet.
        let advice = p.successorAdvice(asOf: day("2026-11-09"), pool: Self.pool, thresholds: FlagThresholds(), limit: 5)
        #expect(!advice.needed)
        #expect(advice.candidates.first?.professionalID == "P2")
        #expect(p.successorAdvice(asOf: day("2026-11-10"), pool: Self.pool, thresholds: FlagThresholds(), limit: 5).needed)
    }

    @Test func theLeavingAndNoPrimaryEvidenceNamesTheBestCandidate() {
        let p = PreparedHistory(Self.leaving, settings: MeasureSettings(language: .en))
        let leaving = p.flags(asOf: day("2026-11-28"), thresholds: FlagThresholds(), pool: Self.pool).first { $0.flag == .primaryLeaving }
        #expect(leaving?.evidence.hasSuffix("; Name P2 (P2) knows the client: 3 contacts, the last on 15 October 2026") == true,
                "\(leaving?.evidence ?? "nil")")
        // After P1 has gone, no_primary names the same colleague.
        let gone = p.flags(asOf: day("2026-12-30"), thresholds: FlagThresholds(), pool: Self.pool).first { $0.flag == .noPrimary }
        #expect(gone?.evidence.contains("Name P2 (P2) knows the client: 3 contacts") == true, "\(gone?.evidence ?? "nil")")
        // Without a pool the sentence is the plain one.
        let plain = p.flags(asOf: day("2026-11-28"), thresholds: FlagThresholds()).first { $0.flag == .primaryLeaving }
        #expect(plain?.evidence.contains("knows the client") == false)
        // In Dutch, the default.
        let dutch = PreparedHistory(Self.leaving, settings: MeasureSettings())
            .flags(asOf: day("2026-11-28"), thresholds: FlagThresholds(), pool: Self.pool).first { $0.flag == .primaryLeaving }
        #expect(dutch?.evidence == "Regievoerder Name P1 (P1) gaat op 10 december 2026 uit dienst, over 12 dagen; "
                    + "Name P2 (P2) kent de cliënt: 3 contacten, laatst 15 oktober 2026")
        // Nobody in the team has met the client: the colleague with the fewest open cases.
        let strangers = SuccessorPool(professionals: [Self.staff("P8"), Self.staff("P9")], openCases: ["P8": 3, "P9": 2])
        let cold = PreparedHistory(Self.leaving, settings: MeasureSettings())
            .evidence(of: .primaryLeaving, asOf: day("2026-11-28"), thresholds: FlagThresholds(), pool: strangers)
        #expect(cold?.hasSuffix("; niemand in het team kent de cliënt uit het afgelopen jaar; Name P9 (P9) heeft de minste lopende zaken (2)") == true,
                "\(cold ?? "nil")")
    }
}

@Suite struct LifetimeFacesTests {
    @Test func lifetimeFacesCountsEveryHeldFaceUpToDWhateverTheWindow() {
        let h = history(opened: "2020-01-01", contacts: [
            contact("c1", "P1", "2021-03-01"), contact("c2", "P2", "2023-05-01", participants: ["P3"]),
            contact("c3", "P4", "2026-01-10", status: .noShow), contact("c4", "P1", "2026-02-01"),
            contact("c5", "P5", "2026-03-01"),
        ])
        #expect(measures(h, "2026-02-15", window: 30).lifetimeFaces == 3)   // P1, P2, P3; not P4's no-show; not P5 yet
        #expect(measures(h, "2026-02-15", window: 30).faces == 1)
        #expect(measures(h, "2026-03-01").lifetimeFaces == 4)
        #expect(measures(h, "2021-02-28").lifetimeFaces == 0)
    }
}

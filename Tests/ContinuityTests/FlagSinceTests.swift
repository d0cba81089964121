import Testing
@testable import Continuity

/// SPEC §2 `since`: the first day of the unbroken run of days ending at D on which the rule
/// holds; a change that keeps the rule true does not restart the run. One row per case:
/// (what it shows, history, flag, D, expected since).
@Suite struct FlagSinceTests {
    static let table: [(String, ClientHistory, Flag, String, String)] = [
        ("primary_leaving: one leaving primary replaced by another who also leaves keeps the run (raised 11-28, replaced 12-01)",
         history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01", seq: 1), assign("P2", "2026-12-01", seq: 2)],
                 professionals: [professional("P1", ended: "2026-12-28"), professional("P2", ended: "2026-12-20")]),
         .primaryLeaving, "2026-12-10", "2026-11-28"),
        ("primary_leaving: the replacement leaves later than 30 days after the change: a new run from ended_on − 30",
         history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01", seq: 1), assign("P2", "2026-12-01", seq: 2)],
                 professionals: [professional("P1", ended: "2026-12-28"), professional("P2", ended: "2027-02-15")]),
         .primaryLeaving, "2027-01-20", "2027-01-16"),
        ("primary_leaving: a replacement by someone who stays breaks the run",
         history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01", seq: 1), assign("P2", "2026-12-01", seq: 2),
                                                     assign("P3", "2026-12-05", seq: 3)],
                 professionals: [professional("P1", ended: "2026-12-28"), professional("P3", ended: "2026-12-31")]),
         .primaryLeaving, "2026-12-10", "2026-12-05"),
        ("primary_leaving: three leavers in a row",
         history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01", seq: 1), assign("P2", "2026-12-01", seq: 2),
                                                     assign("P3", "2026-12-20", seq: 3)],
                 professionals: [professional("P1", ended: "2026-12-10"), professional("P2", ended: "2026-12-25"),
                                 professional("P3", ended: "2027-01-15")]),
         .primaryLeaving, "2027-01-02", "2026-11-10"),
        ("no_primary: the primary left, then an assignment to nobody: missing since is that assignment's from "
            + "(SPEC §3 word for word), so the rule is false for 14 days and a new run starts",
         history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01", seq: 1), assign(nil, "2026-04-01", seq: 2)],
                 professionals: [professional("P1", ended: "2026-03-01")]),
         .noPrimary, "2026-05-01", "2026-04-16"),
        ("no_primary: the primary left, then someone assigned who had left too: the run goes on",
         history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01", seq: 1), assign("P2", "2026-04-01", seq: 2)],
                 professionals: [professional("P1", ended: "2026-03-01"), professional("P2", ended: "2026-03-10")]),
         .noPrimary, "2026-05-01", "2026-03-17"),
        ("no_primary: assigning someone who had left keeps the run when their absence is older than the grace",
         history(opened: "2026-01-01", assignments: [assign(nil, "2026-01-01", seq: 1), assign("P2", "2026-03-01", seq: 2)],
                 professionals: [professional("P2", ended: "2026-01-20")]),
         .noPrimary, "2026-04-01", "2026-01-16"),
        ("no_primary: a new primary who left recently restarts the grace",
         history(opened: "2026-01-01", assignments: [assign(nil, "2026-01-01", seq: 1), assign("P2", "2026-03-01", seq: 2)],
                 professionals: [professional("P2", ended: "2026-02-25")]),
         .noPrimary, "2026-04-01", "2026-03-13"),
        ("changing_faces: faces come and go, always more than 3: one run",
         history(opened: "2025-01-01", contacts: contacts([
             ("P1", "2026-01-05"), ("P2", "2026-01-06"), ("P3", "2026-01-07"), ("P4", "2026-01-08"),
             ("P5", "2026-03-01"), ("P6", "2026-03-02"), ("P7", "2026-03-03"), ("P8", "2026-03-04"),
             ("P1", "2026-05-20"), ("P2", "2026-05-21"), ("P3", "2026-05-22"), ("P4", "2026-05-23"),
         ])),
         .changingFaces, "2026-07-15", "2026-01-08"),
        ("changing_faces: a day with only 3 faces in the window breaks the run",
         history(opened: "2025-01-01", contacts: contacts([
             ("P1", "2026-01-05"), ("P2", "2026-01-06"), ("P3", "2026-01-07"), ("P4", "2026-01-08"),
             ("P5", "2026-04-06"), ("P6", "2026-04-07"), ("P7", "2026-04-08"), ("P8", "2026-04-09"),
         ])),
         .changingFaces, "2026-05-01", "2026-04-09"),
        ("referral_chain: referrals replace each other in the window: one run",
         history(opened: "2025-01-01", referrals: [
             referral("r1", "2026-01-01"), referral("r2", "2026-02-01"), referral("r3", "2026-03-01"),
             referral("r4", "2026-06-15"), referral("r5", "2026-07-20"),
         ]),
         .referralChain, "2026-08-15", "2026-03-01"),
        ("primary_turnover: a third change keeps the run going after the first leaves the window",
         history(opened: "2025-01-01", assignments: [assign("P1", "2025-01-01", seq: 1), assign("P2", "2025-03-01", seq: 2),
                                                     assign("P3", "2025-09-01", seq: 3), assign("P4", "2026-02-01", seq: 4)]),
         .primaryTurnover, "2026-06-01", "2025-09-01"),
        ("long_gap: counts from the last held contact, a no-show does not end it",
         history(opened: "2025-01-01", contacts: [contact("a", "P1", "2026-03-01"), contact("b", "P1", "2026-04-15", status: .noShow)]),
         .longGap, "2026-06-01", "2026-04-01"),
        ("referral_limbo: the earliest referral in limbo starts the run",
         history(opened: "2025-01-01", contacts: [contact("a", "P1", "2026-02-01")],
                 referrals: [referral("r1", "2026-01-10"), referral("r2", "2026-02-01"), referral("r3", "2026-03-01")]),
         .referralLimbo, "2026-04-01", "2026-02-16"),
    ]

    @Test(arguments: table.indices)
    func sinceIsTheStartOfTheUnbrokenRun(row: Int) {
        let (what, h, f, d, expected) = Self.table[row]
        let found = flag(f, h, d)
        #expect(found?.since == day(expected), "\(what): got \(found?.since.iso ?? "not active")")
        // The expectation itself checked against the definition, day by day.
        expectSinceStartsTheRun(PreparedHistory(h, settings: MeasureSettings()), f, since: day(expected), asOf: day(d), what)
    }
}

/// Dutch evidence (the default): names with ids, Dutch dates and numbers, one row per flag.
@Suite struct DutchEvidenceTests {
    static let named: [Professional] = ["P1": "Anna de Vries", "P2": "Bram Jansen", "P3": "Carla Smit", "P4": "Daan Bakker"].map { id, name in
        Professional(id: id, name: name, teamID: "T1", discipline: "x", employment: .permanent, startedOn: day("2020-01-01"),
                     endedOn: id == "P1" ? day("2026-07-10") : nil)
    }

    static let table: [(ClientHistory, Flag, String, String)] = [
        (history(opened: "2026-01-01", contacts: contacts([("P1", "2026-04-02"), ("P2", "2026-05-01"), ("P3", "2026-05-02"), ("P4", "2026-05-03")]),
                 professionals: named),
         .changingFaces, "2026-06-30",
         "4 verschillende professionals in de laatste 90 dagen: Anna de Vries (P1), Bram Jansen (P2), Carla Smit (P3) en Daan Bakker (P4)"),
        (history(opened: "2025-01-01", assignments: [assign("P2", "2025-01-01"), assign("P3", "2026-01-10"), assign(nil, "2026-06-01")],
                 professionals: named),
         .primaryTurnover, "2026-06-10",
         "De regievoerder wisselde 2 keer in de laatste 365 dagen: van Bram Jansen (P2) naar Carla Smit (P3) op 10 januari 2026 en van Carla Smit (P3) naar niemand op 1 juni 2026"),
        (history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01")], professionals: named),
         .noPrimary, "2026-07-26",
         "Al 15 dagen geen actieve regievoerder (sinds 11 juli 2026): regievoerder Anna de Vries (P1) is op 10 juli 2026 uit dienst gegaan"),
        (history(opened: "2026-06-01"), .noPrimary, "2026-06-16",
         "Al 15 dagen geen actieve regievoerder (sinds 1 juni 2026): niemand is toegewezen sinds de zaak op 1 juni 2026 werd geopend"),
        (history(opened: "2026-01-01", assignments: [assign("P1", "2026-01-01")], professionals: named),
         .primaryLeaving, "2026-06-28", "Regievoerder Anna de Vries (P1) gaat op 10 juli 2026 uit dienst, over 12 dagen"),
        (history(opened: "2025-01-01", referrals: [referral("r1", "2026-01-02", to: "Wijkteam Noord"), referral("r2", "2026-03-01", to: "GGD"),
                                                   referral("r3", "2026-06-01", to: "Schuldhulp")]),
         .referralChain, "2026-06-30",
         "3 verwijzingen in de laatste 180 dagen: naar Wijkteam Noord op 2 januari 2026, naar GGD op 1 maart 2026 en naar Schuldhulp op 1 juni 2026"),
        (history(opened: "2025-01-01", referrals: [referral("r1", "2026-06-01", to: "GGD")]), .referralLimbo, "2026-06-16",
         "De verwijzing naar GGD van 1 juni 2026 staat al 15 dagen open zonder contact sindsdien"),
        (history(opened: "2026-01-01", contacts: [contact("a", "P2", "2026-05-31", mode: .phone)]), .longGap, "2026-07-01",
         "Al 31 dagen geen contact (laatste contact op 31 mei 2026)"),
        (history(opened: "2023-01-01", contacts: [contact("a", "P2", "2023-01-02")]), .noFaceToFace, "2026-02-01",
         "Al 1.126 dagen geen persoonlijk contact (laatste huisbezoek, kantoorbezoek of outreach op 2 januari 2023)"),
    ]

    @Test(arguments: table.indices)
    func evidenceIsDutchWithNamesAndDutchDates(row: Int) {
        let (h, f, d, expected) = Self.table[row]
        #expect(FlagRules.evaluate(h, asOf: day(d), thresholds: FlagThresholds(), settings: MeasureSettings())
                    .first { $0.flag == f }?.evidence == expected)
    }
}

@Suite struct ProseFormatTests {
    @Test(arguments: [(0, "0", "0"), (999, "999", "999"), (1000, "1.000", "1,000"), (1126, "1.126", "1,126"),
                      (1234567, "1.234.567", "1,234,567"), (-4321, "-4.321", "-4,321")] as [(Int, String, String)])
    func integersHaveTheReadersThousandsSeparator(n: Int, nl: String, en: String) {
        #expect(ProseFormat(.nl).integer(n) == nl && ProseFormat(.en).integer(n) == en)
    }

    @Test func datesAreWrittenOutAndDecimalsUseTheReadersMark() {
        #expect(ProseFormat(.nl).date(day("2026-11-28")) == "28 november 2026")
        #expect(ProseFormat(.en).date(day("2026-03-01")) == "1 March 2026")
        #expect(ProseFormat(.nl).percent(0.125) == "12,5%" && ProseFormat(.en).percent(0.125) == "12.5%")
        #expect(ProseFormat(.nl).decimal(1234.5, decimals: 2) == "1.234,50")
        #expect(ProseFormat(.nl).decimal(-0.004, decimals: 2) == "0,00")
        #expect(ProseFormat(.nl).days(1) == "1 dag" && ProseFormat(.nl).days(2) == "2 dagen")
        #expect(ProseFormat(.nl).list(["a", "b", "c"]) == "a, b en c" && ProseFormat(.en).list(["a"]) == "a")
        #expect(ProseFormat(.nl).person("P1", "Anna") == "Anna (P1)" && ProseFormat(.nl).person("P1", nil) == "P1")
    }
}

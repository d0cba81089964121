import Testing
@testable import Continuity

/// A random client with contacts, assignments (some to nobody), leavers and referrals, dense
/// enough that every flag fires now and then.
func randomRichHistory(_ rng: inout SplitMix64) -> ClientHistory {
    let opened = day("2025-12-01").adding(days: Int.random(in: 0...90, using: &rng))
    let start = day("2025-11-01")
    func randomDate() -> LocalDate { start.adding(days: Int.random(in: 0...330, using: &rng)) }
    let people = (1...6).map { "P\($0)" }
    var contacts: [Contact] = []
    for i in 0..<Int.random(in: 0...25, using: &rng) {
        let when = Int64(randomDate().daysSinceEpoch) * 86_400 + Int64.random(in: 0..<86_400, using: &rng)
        contacts.append(Contact(id: "c\(i)", clientID: "C1", professionalID: people.randomElement(using: &rng)!,
                                participants: Bool.random(using: &rng) ? [people.randomElement(using: &rng)!] : [],
                                occurredAt: Instant(epochSeconds: when), mode: ContactMode.allCases.randomElement(using: &rng)!,
                                status: [.held, .held, .held, .noShow, .cancelled].randomElement(using: &rng)!))
    }
    let assignments = (0..<Int.random(in: 0...5, using: &rng)).map { i in
        PrimaryAssignment(clientID: "C1", professionalID: Int.random(in: 0..<5, using: &rng) == 0 ? nil : people.randomElement(using: &rng)!,
                          from: randomDate(), reason: .turnover, sequence: Int64(i))
    }
    let professionals = people.map { id in
        Professional(id: id, name: id, teamID: "T1", discipline: "x", employment: .temporary, startedOn: day("2020-01-01"),
                     endedOn: Int.random(in: 0..<3, using: &rng) == 0 ? randomDate() : nil)
    }
    let referrals = (0..<Int.random(in: 0...5, using: &rng)).map { i in
        Referral(id: "r\(i)", clientID: "C1", referredOn: randomDate(), fromProfessionalID: "P1", to: "Org \(i)",
                 status: ReferralStatus.allCases.randomElement(using: &rng)!)
    }
    return ClientHistory(client: Client(id: "C1", externalRef: "R", teamID: "T1", openedOn: opened),
                         contacts: contacts, assignments: assignments, referrals: referrals,
                         professionals: Dictionary(uniqueKeysWithValues: professionals.map { ($0.id, $0) }))
}

/// SPEC §2 by definition, day by day: `since` is within [opened_on, D], the rule holds on
/// every day of [since, D], and (unless since is the opening day) not on the day before.
func expectSinceStartsTheRun(_ p: PreparedHistory, _ flag: Flag, since: LocalDate, asOf d: LocalDate,
                             thresholds t: FlagThresholds = FlagThresholds(), _ note: String = "") {
    let opened = p.history.client.openedOn
    #expect(since <= d && since >= opened, "\(note) \(flag): since \(since) outside [\(opened), \(d)]")
    var x = since
    while x <= d {
        #expect(p.activeFlags(asOf: x, thresholds: t).contains(flag), "\(note) \(flag) off on \(x), since \(since), D \(d)")
        x = x.adding(days: 1)
    }
    if since > opened {
        #expect(!p.activeFlags(asOf: since.adding(days: -1), thresholds: t).contains(flag),
                "\(note) \(flag) also held the day before \(since), D \(d)")
    }
}

@Suite struct FlagSincePropertyTests {
    /// `since` must be the first day of the unbroken run of days on which the rule holds:
    /// active on every day of [since, D], and (unless since is the opening day) not the day before.
    @Test(arguments: [11, 22, 33, 44] as [UInt64])
    func sinceStartsTheUnbrokenRunThatReachesD(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var seen: Set<Flag> = []
        for _ in 0..<40 {
            let h = randomRichHistory(&rng)
            let p = PreparedHistory(h, settings: MeasureSettings(zone: amsterdam))
            let d = day("2026-04-01").adding(days: Int.random(in: 0...180, using: &rng))
            let t = FlagThresholds()
            for f in p.flags(asOf: d, thresholds: t) {
                seen.insert(f.flag)
                expectSinceStartsTheRun(p, f.flag, since: f.since, asOf: d, thresholds: t)
            }
        }
        #expect(seen.count >= 5, "only \(seen) fired: the generator is too tame")
    }
}

/// Primaries who keep leaving, assignments to nobody, and bursts of faces and referrals: the
/// cases where a change keeps the rule true and `since` must not restart.
func randomTurbulentHistory(_ rng: inout SplitMix64) -> ClientHistory {
    let opened = day("2025-10-01").adding(days: Int.random(in: 0...60, using: &rng))
    var assignments: [PrimaryAssignment] = []
    var professionals: [Professional] = []
    var when = opened
    for i in 0..<Int.random(in: 1...8, using: &rng) {
        let id = "Q\(i)"
        let nobody = Int.random(in: 0..<6, using: &rng) == 0
        assignments.append(PrimaryAssignment(clientID: "C1", professionalID: nobody ? nil : id, from: when,
                                             reason: .turnover, sequence: Int64(i)))
        professionals.append(Professional(id: id, name: "Naam \(id)", teamID: "T1", discipline: "x", employment: .agency,
                                          startedOn: day("2020-01-01"),
                                          endedOn: Int.random(in: 0..<4, using: &rng) == 0 ? nil
                                              : when.adding(days: Int.random(in: -20...45, using: &rng))))
        when = when.adding(days: Int.random(in: 5...40, using: &rng))
    }
    var contacts: [Contact] = []
    for i in 0..<Int.random(in: 0...30, using: &rng) {
        let d = opened.adding(days: Int.random(in: -30...300, using: &rng))
        contacts.append(Contact(id: "k\(i)", clientID: "C1", professionalID: "Q\(Int.random(in: 0..<9, using: &rng))",
                                occurredAt: Instant(epochSeconds: Int64(d.daysSinceEpoch) * 86_400 + 36_000),
                                mode: Bool.random(using: &rng) ? .phone : .homeVisit))
    }
    let referrals = (0..<Int.random(in: 0...8, using: &rng)).map { i in
        Referral(id: "r\(i)", clientID: "C1", referredOn: opened.adding(days: Int.random(in: 0...300, using: &rng)),
                 fromProfessionalID: "Q0", to: "Org", status: Bool.random(using: &rng) ? .open : .accepted)
    }
    return ClientHistory(client: Client(id: "C1", externalRef: "R", teamID: "T1", openedOn: opened),
                         contacts: contacts, assignments: assignments, referrals: referrals,
                         professionals: Dictionary(uniqueKeysWithValues: professionals.map { ($0.id, $0) }))
}

@Suite struct FlagSinceTurbulentPropertyTests {
    @Test(arguments: [5, 6, 7, 8] as [UInt64])
    func sinceStartsTheUnbrokenRunWhenPrimariesKeepLeaving(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var seen: [Flag: Int] = [:]
        let t = FlagThresholds()
        for _ in 0..<60 {
            let h = randomTurbulentHistory(&rng)
            let p = PreparedHistory(h, settings: MeasureSettings(zone: amsterdam))
            // Half the time just after the latest assignment, where runs cross assignments.
            let d = Bool.random(using: &rng) ? h.client.openedOn.adding(days: Int.random(in: 20...330, using: &rng))
                : h.assignments.last!.from.adding(days: Int.random(in: 0...20, using: &rng))
            for f in p.flags(asOf: d, thresholds: t) {
                seen[f.flag, default: 0] += 1
                if let k = p.assignmentIndex(asOf: d), f.since < p.effectiveAssignments[k].from { seen[f.flag, default: 0] += 100 }
                expectSinceStartsTheRun(p, f.flag, since: f.since, asOf: d, thresholds: t)
            }
        }
        // Some runs of primary_leaving must reach back past the current assignment (counted in hundreds).
        #expect((seen[.primaryLeaving] ?? 0) >= 100 && (seen[.noPrimary] ?? 0) >= 1, "the generator is too tame: \(seen)")
    }
}

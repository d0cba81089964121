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
                #expect(f.since <= d && f.since >= h.client.openedOn)
                var x = f.since
                while x <= d {
                    #expect(p.flags(asOf: x, thresholds: t).contains { $0.flag == f.flag }, "\(f.flag) at \(x), since \(f.since), D \(d)")
                    x = x.adding(days: 1)
                }
                if f.since > h.client.openedOn {
                    #expect(!p.flags(asOf: f.since.adding(days: -1), thresholds: t).contains { $0.flag == f.flag },
                            "\(f.flag) also held the day before \(f.since), D \(d)")
                }
            }
        }
        #expect(seen.count >= 5, "only \(seen) fired: the generator is too tame")
    }
}

/// One record of the synthetic municipality, in the order it may be stored.
public enum DemoRecord: Sendable {
    case team(Team), professional(Professional), client(Client), assignment(PrimaryAssignment),
         contact(Contact), referral(Referral)
}

/// A realistic synthetic Dutch municipality for `continuity demo` (SPEC §5): neighbourhood
/// teams, professionals with turnover, and a few years of clients, contacts and referrals in
/// which every trust pattern of SPEC §3 occurs. Deterministic: the same arguments give the
/// same records in the same order. Local times are written as if in a fixed UTC+1 offset.
public struct DemoMunicipality: Sendable {
    public let clients: Int
    public let seed: UInt64
    public let today: LocalDate

    /// How far back the history goes: cases were opened over the last four years.
    static let historyDays = 1461

    public init(clients: Int = 400, seed: UInt64 = 1, today: LocalDate) {
        self.clients = max(0, clients)
        self.seed = seed
        self.today = today
    }

    /// Emits teams, then professionals, then per client: the client, its assignments (in
    /// `from` order), its contacts (in time order), its referrals. Referenced ids are always
    /// emitted before they are used. Streaming: 50,000 clients / ~2,000,000 contacts must not
    /// be held in memory at once.
    public func generate(_ sink: (DemoRecord) throws -> Void) rethrows {
        let horizonStart = today.adding(days: -DemoMunicipality.historyDays)
        var staffRandom = DemoRandom(seed: seed, stream: 0)
        let staff = DemoStaff(clients: clients, today: today, horizonStart: horizonStart,
                              rng: &staffRandom)
        for team in staff.teams { try sink(.team(team)) }
        for professional in staff.professionals { try sink(.professional(professional)) }

        var caseNumbers = CaseNumbers(seed: seed, firstYear: horizonStart.year)
        let span = DemoMunicipality.historyDays - 7
        let digits = max(6, String(clients).count)
        for i in 0..<clients {
            var rng = DemoRandom(seed: seed, stream: 1000 + UInt64(i))
            // Openings spread evenly over the history, so client numbers follow opening dates.
            let step = max(1, span / max(1, clients))
            var opened = horizonStart.adding(days: i * span / clients + rng.below(step))
            if opened > today { opened = today }
            let team = rng.below(staff.teams.count)
            var builder = DemoClientStoryBuilder(
                staff: staff, today: today, rng: rng, number: DemoVocabulary.padded(i + 1, digits),
                team: team, opened: opened)
            var story = builder.build()
            story.client.externalRef = caseNumbers.next(openedIn: opened.year)
            try sink(.client(story.client))
            for a in story.assignments { try sink(.assignment(a)) }
            for c in story.contacts { try sink(.contact(c)) }
            for r in story.referrals { try sink(.referral(r)) }
        }
    }
}

/// The municipality's case numbers, `ZK-2023-004711`: per year a running number starting
/// somewhere in the thousands (never anything like a BSN, which has nine digits).
struct CaseNumbers {
    private var rng: DemoRandom
    private let firstYear: Int
    private var counters: [Int] = []

    init(seed: UInt64, firstYear: Int) {
        rng = DemoRandom(seed: seed, stream: 1)
        self.firstYear = firstYear
    }

    mutating func next(openedIn year: Int) -> String {
        let slot = max(0, year - firstYear)
        while counters.count <= slot { counters.append(rng.int(1000...4000)) }
        counters[slot] += rng.int(1...7)
        return "ZK-" + String(year) + "-" + DemoVocabulary.padded(counters[slot], 6)
    }
}

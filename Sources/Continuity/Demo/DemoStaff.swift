/// The teams and everyone who worked in them over the demo's four years. Small enough to keep
/// in memory (one professional per ~25 clients); the clients are streamed past it.
///
/// Each team has a number of posts. A permanent post is held by one person for years; a
/// temporary or agency post is held by a chain of people with short contracts, sometimes
/// overlapping (a handover period), sometimes with a vacancy in between. That chain is the
/// turnover the research warns about ("steeds weer een ander gezicht").
struct DemoStaff {
    /// A post and the professionals who held it, in order (indices into `professionals`).
    struct Post {
        var holders: [Int]
    }

    var teams: [Team] = []
    var professionals: [Professional] = []
    /// Per team: its posts. Posts 0 and 1 are permanent and never vacant, so there is always
    /// someone to assign.
    var posts: [[Post]] = []
    /// Per team: every non-volunteer professional who ever worked there.
    var workers: [[Int]] = []
    /// Per team: its volunteers.
    var volunteers: [[Int]] = []
    /// Per team: the day a reorganisation moved caseloads around, if it had one.
    var reorganisedOn: [LocalDate?] = []

    let today: LocalDate
    /// The first day of the demo's history.
    let horizonStart: LocalDate

    init(clients: Int, today: LocalDate, horizonStart: LocalDate, rng: inout DemoRandom) {
        self.today = today
        self.horizonStart = horizonStart
        // About one team per 400–800 clients, at least three.
        let teamCount = max(3, (clients + 300) / 600)
        let perTeam = Double(clients) / Double(teamCount)
        let areas = DemoVocabulary.neighbourhoods
        for t in 0..<teamCount {
            let area = areas[t % areas.count]
            let round = t / areas.count
            let name = DemoVocabulary.teamName(area: area) + (round == 0 ? "" : " " + String(round + 1))
            let id = "team-" + DemoVocabulary.slug(area) + (round == 0 ? "" : "-" + String(round + 1))
            teams.append(Team(id: id, name: name))
            posts.append([])
            workers.append([])
            volunteers.append([])
            reorganisedOn.append(rng.chance(0.5)
                ? horizonStart.adding(days: rng.int(200...(today - horizonStart - 90))) : nil)

            // A post yields ~2.4 professionals over four years (permanent ~1.1, flexible ~4),
            // so this gives roughly one professional per 25 clients in all.
            let postCount = max(4, Int((perTeam / 58).rounded()))
            // In every team one flexible post has a contract ending within the month (the
            // `primary_leaving` case) and one has stood empty for a few weeks (`no_primary`).
            let leavingPost = 2 + rng.below(postCount - 2)
            var vacantPost = 2 + rng.below(postCount - 3)
            if vacantPost >= leavingPost { vacantPost += 1 }
            for p in 0..<postCount {
                let ending: PostEnding = p == leavingPost ? .leavingSoon : p == vacantPost ? .vacant : .open
                let permanent = p < 2 || (ending == .open && rng.chance(0.5))
                let holders = permanent
                    ? permanentPost(team: t, everlasting: p < 2, rng: &rng)
                    : flexiblePost(team: t, ending: ending, rng: &rng)
                posts[t].append(Post(holders: holders))
                workers[t].append(contentsOf: holders)
            }
            let volunteerCount = perTeam > 300 ? 2 : 1
            for _ in 0..<volunteerCount {
                let start = horizonStart.adding(days: rng.int(-700...900))
                let end: LocalDate? = rng.chance(0.4) ? start.adding(days: rng.int(180...900)) : nil
                let v = add(team: t, discipline: DemoVocabulary.volunteerDiscipline,
                            employment: .volunteer, start: start, end: end, rng: &rng)
                volunteers[t].append(v)
            }
        }
    }

    private mutating func add(team: Int, discipline: String, employment: Employment,
                              start: LocalDate, end: LocalDate?, rng: inout DemoRandom) -> Int {
        let n = professionals.count + 1
        // An end date further than a month ahead is not known yet (nobody PATCHed it).
        let known: LocalDate? = end.flatMap { $0 <= today.adding(days: 30) ? $0 : nil }
        professionals.append(Professional(
            id: "p-" + DemoVocabulary.padded(n, 4), name: DemoVocabulary.personName(&rng),
            teamID: teams[team].id, discipline: discipline, employment: employment,
            startedOn: start, endedOn: known))
        return professionals.count - 1
    }

    private mutating func discipline(_ rng: inout DemoRandom) -> String {
        DemoVocabulary.disciplines[rng.weighted(DemoVocabulary.disciplines.map(\.weight))].name
    }

    /// A permanent post: one person for years; some leave and are followed by someone else.
    private mutating func permanentPost(team: Int, everlasting: Bool, rng: inout DemoRandom) -> [Int] {
        let start = horizonStart.adding(days: -rng.int(60...5000))
        var leaves: LocalDate? = nil
        if !everlasting, rng.chance(0.3) {
            let day = horizonStart.adding(days: rng.int(60...(today - horizonStart + 200)))
            if day <= today.adding(days: 30) { leaves = day }
        }
        let first = add(team: team, discipline: discipline(&rng), employment: .permanent,
                        start: start, end: leaves, rng: &rng)
        guard let left = leaves, left < today else { return [first] }
        return [first] + chain(team: team, from: successorStart(after: left, &rng),
                               employment: rng.chance(0.5) ? .permanent : .temporary,
                               ending: .open, rng: &rng)
    }

    /// A flexible post: temporary or agency contracts one after another.
    /// How a flexible post's chain of holders reaches today.
    enum PostEnding { case open, leavingSoon, vacant }

    private mutating func flexiblePost(team: Int, ending: PostEnding, rng: inout DemoRandom) -> [Int] {
        let employment: Employment = rng.chance(0.55) ? .temporary : .agency
        return chain(team: team, from: horizonStart.adding(days: -rng.int(0...300)),
                     employment: employment, ending: ending, rng: &rng)
    }

    private func successorStart(after ended: LocalDate, _ rng: inout DemoRandom) -> LocalDate {
        switch rng.below(4) {
        case 0: return ended.adding(days: 1 - rng.int(1...14))  // overlap: a handover period
        case 1: return ended.adding(days: 1 + rng.int(1...60))  // vacancy
        default: return ended.adding(days: 1)
        }
    }

    private mutating func chain(team: Int, from: LocalDate, employment: Employment,
                                ending: PostEnding, rng: inout DemoRandom) -> [Int] {
        let leaving = ending == .leavingSoon
        let vacantFrom = today.adding(days: -rng.int(20...60))
        var holders: [Int] = []
        var start = from
        var kind = employment
        while start <= today {
            let length: Int
            switch kind {
            case .agency: length = rng.int(120...450)
            case .temporary: length = rng.int(270...730)
            default: length = 100_000
            }
            var end = start.adding(days: length - 1)
            if leaving, end >= today { end = today.adding(days: rng.int(3...28)) }
            let lastHolder = ending == .vacant && end >= vacantFrom
            if lastHolder { end = max(vacantFrom, start.adding(days: 30)) }
            let p = add(team: team, discipline: discipline(&rng), employment: kind, start: start,
                        end: kind == .permanent ? nil : end, rng: &rng)
            holders.append(p)
            if kind == .permanent || end >= today || lastHolder { break }
            start = successorStart(after: end, &rng)
            // The leaving post is held by someone today, whose contract ends within the month.
            if leaving, start > today { start = today }
            // Now and then a flexible worker is offered a permanent contract.
            if ending == .open, rng.chance(0.12) { kind = .permanent }
            else if rng.chance(0.3) { kind = kind == .agency ? .temporary : .agency }
        }
        return holders
    }

    func isActive(_ p: Int, on day: LocalDate) -> Bool {
        let pro = professionals[p]
        return pro.startedOn <= day && (pro.endedOn.map { day <= $0 } ?? true)
    }

    /// Who holds the post on `day`: the newest active holder (during an overlap, the successor).
    func holder(team: Int, post: Int, on day: LocalDate) -> Int? {
        posts[team][post].holders.last { isActive($0, on: day) }
    }

    /// Who took over the post after `professional`, if anyone has yet.
    func successor(team: Int, post: Int, after professional: Int) -> Int? {
        let holders = posts[team][post].holders
        guard let i = holders.firstIndex(of: professional), i + 1 < holders.count else { return nil }
        return holders[i + 1]
    }

    /// A colleague who works in the team on `day`, other than `excluding`.
    func randomWorker(team: Int, on day: LocalDate, excluding: Int?, rng: inout DemoRandom) -> Int {
        let pool = workers[team]
        for _ in 0..<12 {
            let p = pool[rng.below(pool.count)]
            if p != excluding, isActive(p, on: day) { return p }
        }
        let fallback = holder(team: team, post: 0, on: day)!
        return fallback != excluding ? fallback : holder(team: team, post: 1, on: day)!
    }

    /// A post with someone in it on `day` (not `excluding`), and that someone.
    func randomPost(team: Int, on day: LocalDate, excluding: Int?,
                    rng: inout DemoRandom) -> (post: Int, professional: Int) {
        let count = posts[team].count
        for _ in 0..<12 {
            let post = rng.below(count)
            if let p = holder(team: team, post: post, on: day), p != excluding { return (post, p) }
        }
        let p0 = holder(team: team, post: 0, on: day)!
        return p0 != excluding ? (0, p0) : (1, holder(team: team, post: 1, on: day)!)
    }

    func volunteer(team: Int, on day: LocalDate, rng: inout DemoRandom) -> Int? {
        let pool = volunteers[team]
        guard !pool.isEmpty else { return nil }
        let v = pool[rng.below(pool.count)]
        return isActive(v, on: day) ? v : nil
    }
}

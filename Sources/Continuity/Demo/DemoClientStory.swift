/// One client's life in the demo: opening, primary assignments, contacts and referrals, made
/// from the client's own random stream so each story is independent of the others.
struct DemoClientStory {
    /// The trust patterns of SPEC §3, and the ordinary cases they stand out from.
    enum Kind: CaseIterable {
        case steady          // mostly the primary, at home: what continuity looks like
        case ordinary
        case changingFaces   // a different face every time
        case lapsing         // contact lapses for weeks (`long_gap`)
        case remote          // only phone, messages and letters (`no_face_to_face`)
        case referredOn      // passed on and on (`referral_chain`)
        case limbo           // referred, then nothing (`referral_limbo`)

        static let weights = [30, 36, 10, 8, 6, 5, 5]
    }

    var client: Client
    var assignments: [PrimaryAssignment] = []
    var contacts: [Contact] = []
    var referrals: [Referral] = []
}

/// Builds one `DemoClientStory`. Assignments first (they decide who leads most contacts),
/// then the referral plan (a limbo referral ends the contacts), then contacts and referrals.
struct DemoClientStoryBuilder {
    private struct Change {
        var from: LocalDate
        var professional: Int?
        var reason: AssignmentReason
    }

    private struct Draft {
        var day: LocalDate
        var minute: Int
        var lead: Int
        var participants: [Int]
        var mode: ContactMode
        var status: ContactStatus
        var duration: Int?
        var order: Int
    }

    private struct PlannedReferral {
        var day: LocalDate
        var to: String
        var status: ReferralStatus?   // nil: by age
        var warm: Bool
    }

    private let staff: DemoStaff
    private let today: LocalDate
    private var rng: DemoRandom
    private let number: String
    private let team: Int
    private let opened: LocalDate
    private let closed: LocalDate?
    private var kind: DemoStoryKind

    private var changes: [Change] = []
    private var drafts: [Draft] = []
    private var plannedReferrals: [PlannedReferral] = []
    /// Contacts stop after this day (a lapse or a limbo referral).
    private var lastContactDay: LocalDate

    private var end: LocalDate { closed ?? today }

    typealias DemoStoryKind = DemoClientStory.Kind

    init(staff: DemoStaff, today: LocalDate, rng: DemoRandom, number: String, team: Int,
         opened: LocalDate) {
        self.staff = staff
        self.today = today
        self.rng = rng
        self.number = number
        self.team = team
        self.opened = opened
        // Case length: a quarter of the cases opened over four years are closed by now.
        let length = 90 + self.rng.below(2600)
        let closing = opened.adding(days: length)
        closed = closing <= today ? closing : nil
        kind = DemoStoryKind.allCases[self.rng.weighted(DemoStoryKind.weights)]
        lastContactDay = closed ?? today
    }

    mutating func build() -> DemoClientStory {
        let clientID = "cl-" + number
        var story = DemoClientStory(client: Client(
            id: clientID, externalRef: "", teamID: staff.teams[team].id, openedOn: opened,
            closedOn: closed))
        buildAssignments()
        planReferrals()
        buildContacts()
        // A warm-handover visit planned before a lapse or limbo began does not happen.
        drafts.removeAll { $0.day > lastContactDay }

        for (i, c) in changes.enumerated() {
            story.assignments.append(PrimaryAssignment(
                clientID: clientID, professionalID: c.professional.map { staff.professionals[$0].id },
                from: c.from, reason: c.reason, sequence: Int64(i)))
        }
        drafts.sort { ($0.day, $0.minute, $0.order) < ($1.day, $1.minute, $1.order) }
        story.contacts.reserveCapacity(drafts.count)
        for (i, d) in drafts.enumerated() {
            story.contacts.append(contact(d, n: i + 1, clientID: clientID))
        }
        for (i, r) in plannedReferrals.enumerated() {
            story.referrals.append(referral(r, n: i + 1, clientID: clientID))
        }
        return story
    }

    // MARK: primary assignments

    private func primary(on day: LocalDate) -> Int? {
        guard let c = changes.last(where: { $0.from <= day }), let p = c.professional,
              staff.isActive(p, on: day) else { return nil }
        return p
    }

    private mutating func buildAssignments() {
        var day = opened.adding(days: rng.chance(0.7) ? 0 : rng.int(1...5))
        if day > end { day = opened }
        var (post, current) = staff.randomPost(team: team, on: day, excluding: nil, rng: &rng)
        var pro: Int? = current
        changes.append(Change(from: day, professional: current, reason: .start))
        var lastFrom = day

        // Changes that do not come from someone leaving.
        var planned: [(day: LocalDate, reason: AssignmentReason)] = []
        if let reorganised = staff.reorganisedOn[team], reorganised > day, reorganised <= end,
           rng.chance(0.4) {
            planned.append((reorganised, .reorganisation))
        }
        if end - day > 60, rng.chance(0.05) {
            planned.append((day.adding(days: rng.int(30...(end - day))), .clientRequest))
        }
        planned.sort { $0.day < $1.day }

        for _ in 0..<60 {
            var departure: LocalDate? = nil
            if let p = pro, let ended = staff.professionals[p].endedOn, ended < end {
                departure = ended.adding(days: 1)
            }
            planned.removeAll { $0.day <= lastFrom }
            if let next = planned.first, departure.map({ next.day < $0 }) ?? true {
                planned.removeFirst()
                (post, current) = staff.randomPost(team: team, on: next.day, excluding: pro, rng: &rng)
                pro = current
                changes.append(Change(from: next.day, professional: current, reason: next.reason))
                lastFrom = next.day
                continue
            }
            guard let leaving = departure, let old = pro else { break }

            // The post stands empty: often the client waits for whoever fills it.
            if staff.holder(team: team, post: post, on: leaving) == nil, rng.chance(0.6) {
                if rng.chance(0.5), leaving > lastFrom {
                    changes.append(Change(from: leaving, professional: nil, reason: .turnover))
                    lastFrom = leaving
                }
                guard let next = staff.successor(team: team, post: post, after: old) else { break }
                var change = staff.professionals[next].startedOn
                if change <= lastFrom { change = lastFrom.adding(days: 1) }
                if change > end { break }
                changes.append(Change(from: change, professional: next, reason: .turnover))
                pro = next
                lastFrom = change
                continue
            }
            let r = rng.unit()
            if r < 0.55 {
                // Reassigned before the primary leaves, to the post's successor if there is one.
                var change = leaving.adding(days: -rng.int(0...10))
                if change <= lastFrom { change = lastFrom.adding(days: 1) }
                if change > end { break }
                let next: Int
                if let s = staff.holder(team: team, post: post, on: change), s != old {
                    next = s
                } else {
                    (post, next) = staff.randomPost(team: team, on: change, excluding: old, rng: &rng)
                }
                // A warm handover: old and new primary visit the client together.
                if change > opened, rng.chance(0.45) {
                    let earliest = max(opened, change.adding(days: -21), staff.professionals[next].startedOn)
                    let latest = change.adding(days: -1)
                    if earliest <= latest {
                        let visit = earliest.adding(days: rng.below(latest - earliest + 1))
                        addDraft(day: visit, lead: old, participants: [next], mode: .homeVisit,
                                 status: .held, evening: false)
                    }
                }
                changes.append(Change(from: change, professional: next, reason: .turnover))
                pro = next
                lastFrom = change
            } else {
                // Nobody for a while: sometimes recorded as an assignment to nobody.
                if r < 0.8, leaving > lastFrom {
                    changes.append(Change(from: leaving, professional: nil, reason: .turnover))
                    lastFrom = leaving
                }
                var change = leaving.adding(days: rng.int(3...70))
                if change <= lastFrom { change = lastFrom.adding(days: 1) }
                if change > end { break }
                (post, current) = staff.randomPost(team: team, on: change, excluding: old, rng: &rng)
                pro = current
                changes.append(Change(from: change, professional: current, reason: .turnover))
                lastFrom = change
            }
        }
    }

    // MARK: referrals

    private mutating func planReferrals() {
        let life = end - opened
        let organisations = DemoVocabulary.organisations
        switch kind {
        case .referredOn where life >= 120:
            // Three to five referrals in quick succession; for open cases mostly recent.
            var day = closed == nil && rng.chance(0.75)
                ? max(opened.adding(days: 10), today.adding(days: -rng.int(100...170)))
                : opened.adding(days: rng.int(10...(life - 100)))
            var used: [String] = []
            for _ in 0..<rng.int(3...5) {
                guard day <= end else { break }
                var to = rng.pick(organisations)
                while used.contains(to) { to = rng.pick(organisations) }
                used.append(to)
                plannedReferrals.append(PlannedReferral(day: day, to: to, status: nil, warm: rng.chance(0.15)))
                day = day.adding(days: rng.int(10...45))
            }
        case .limbo where closed == nil && life >= 60:
            let day = max(opened.adding(days: 25), today.adding(days: -rng.int(20...100)))
            ordinaryReferrals(until: day.adding(days: -1))
            plannedReferrals.append(PlannedReferral(day: day, to: rng.pick(organisations),
                                                    status: .open, warm: false))
            lastContactDay = day.adding(days: -1)
        case .lapsing where closed == nil && life >= 90:
            lastContactDay = today.adding(days: -rng.int(35...110))
            ordinaryReferrals(until: lastContactDay)
        default:
            if kind == .referredOn || kind == .limbo || kind == .lapsing { kind = .ordinary }
            ordinaryReferrals(until: end)
        }
    }

    private mutating func ordinaryReferrals(until last: LocalDate) {
        guard last > opened else { return }
        let count = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2][rng.below(10)]
        var days: [LocalDate] = []
        for _ in 0..<count { days.append(opened.adding(days: rng.below(last - opened + 1))) }
        for day in days.sorted() {
            plannedReferrals.append(PlannedReferral(
                day: day, to: rng.pick(DemoVocabulary.organisations), status: nil, warm: rng.chance(0.3)))
        }
    }

    private mutating func referral(_ plan: PlannedReferral, n: Int, clientID: String) -> Referral {
        let from = primary(on: plan.day)
            ?? staff.randomWorker(team: team, on: plan.day, excluding: nil, rng: &rng)
        let age = today - plan.day
        var status = plan.status ?? .open
        var statusOn = plan.day
        if plan.status == nil, age > 14 {
            status = [.completed, .completed, .completed, .completed, .accepted, .accepted,
                      .accepted, .declined, .declined, .open][rng.below(10)]
            if status != .open { statusOn = plan.day.adding(days: rng.int(2...min(age, 60))) }
        }
        return Referral(id: "r-" + number + "-" + DemoVocabulary.padded(n, 2), clientID: clientID,
                        referredOn: plan.day, fromProfessionalID: staff.professionals[from].id,
                        to: plan.to, warmHandover: plan.warm, status: status, statusOn: statusOn)
    }

    // MARK: contacts

    private mutating func buildContacts() {
        let meanInterval: Int
        switch kind {
        case .steady: meanInterval = 15
        case .ordinary: meanInterval = 18
        case .changingFaces: meanInterval = 11
        case .lapsing: meanInterval = 19
        case .remote, .referredOn, .limbo: meanInterval = 17
        }
        var day = opened.adding(days: rng.below(7))
        var first = true
        while day <= lastContactDay {
            let mode = first ? (rng.chance(0.5) ? ContactMode.officeVisit : .homeVisit) : nextMode()
            let primary = primary(on: day)
            let lead = chooseLead(primary: primary, on: day)
            var participants: [Int] = []
            if mode.isFaceToFace, rng.chance(0.06) {
                if rng.chance(0.4), let v = staff.volunteer(team: team, on: day, rng: &rng) {
                    participants = [v]
                } else {
                    participants = [staff.randomWorker(team: team, on: day, excluding: lead, rng: &rng)]
                }
            }
            let status: ContactStatus
            if mode == .message || mode == .letter {
                status = .held
            } else {
                let r = rng.unit()
                status = r < 0.09 ? .noShow : r < 0.135 ? .cancelled : .held
            }
            let evening = (mode == .homeVisit || mode == .outreach || mode == .phone) && rng.chance(0.07)
            addDraft(day: day, lead: lead, participants: participants, mode: mode, status: status,
                     evening: evening)
            first = false
            // The first two months are more intensive than the rest of the case.
            let intensive = day - opened < 60
            var gap = rng.interval(mean: intensive ? meanInterval * 2 / 3 : meanInterval)
            if kind == .lapsing, rng.chance(0.12) { gap += rng.int(35...100) }
            day = day.adding(days: gap)
        }
        // Warm referrals to a colleague in the team: a joint visit on the day itself.
        for plan in plannedReferrals where plan.warm && plan.day <= lastContactDay {
            let lead = primary(on: plan.day) ?? staff.randomWorker(team: team, on: plan.day, excluding: nil, rng: &rng)
            let other = staff.randomWorker(team: team, on: plan.day, excluding: lead, rng: &rng)
            addDraft(day: plan.day, lead: lead, participants: [other], mode: .officeVisit,
                     status: .held, evening: false)
        }
    }

    private mutating func nextMode() -> ContactMode {
        let modes: [ContactMode] = [.homeVisit, .officeVisit, .outreach, .phone, .video, .message, .letter]
        let weights: [Int]
        switch kind {
        case .steady: weights = [60, 12, 3, 15, 3, 6, 1]
        case .remote: weights = [0, 0, 0, 50, 12, 30, 8]
        case .changingFaces: weights = [20, 40, 5, 25, 2, 8, 0]
        default: weights = [35, 25, 4, 20, 5, 9, 2]
        }
        return modes[rng.weighted(weights)]
    }

    private mutating func chooseLead(primary: Int?, on day: LocalDate) -> Int {
        let share: Double
        switch kind {
        case .steady: share = 0.9
        case .changingFaces: share = 0.15
        default: share = 0.75
        }
        if let p = primary, rng.chance(share) { return p }
        return staff.randomWorker(team: team, on: day, excluding: primary, rng: &rng)
    }

    /// Schedules a contact: office hours on a weekday (weekend days move to Monday), some
    /// evening outreach, messages at any reasonable hour.
    private mutating func addDraft(day: LocalDate, lead: Int, participants: [Int], mode: ContactMode,
                                   status: ContactStatus, evening: Bool) {
        var day = day
        let minute: Int
        if mode == .message {
            minute = rng.int(7 * 60...21 * 60 + 59)
        } else if evening {
            minute = 17 * 60 + 15 * rng.int(0...14)
        } else {
            let weekday = day.isoWeekday
            if weekday >= 6 { day = day.adding(days: 8 - weekday) }
            minute = 8 * 60 + 30 + 15 * rng.int(0...30)
        }
        guard day >= opened, day <= lastContactDay else { return }
        // Everyone at the contact must work in the team that day (a shifted day may differ).
        let people = [lead] + participants
        guard people.allSatisfy({ staff.isActive($0, on: day) }) else { return }

        let duration: Int?
        if status != .held {
            duration = nil
        } else {
            switch mode {
            case .homeVisit: duration = 15 * rng.int(3...6)
            case .officeVisit: duration = 15 * rng.int(2...4)
            case .outreach: duration = 10 * rng.int(2...6)
            case .phone: duration = 5 * rng.int(1...6)
            case .video: duration = 5 * rng.int(4...9)
            case .message, .letter: duration = nil
            }
        }
        drafts.append(Draft(day: day, minute: minute, lead: lead, participants: participants,
                            mode: mode, status: status, duration: duration, order: drafts.count))
    }

    private func contact(_ d: Draft, n: Int, clientID: String) -> Contact {
        // A fixed UTC+1 offset: the demo does not model daylight saving (SPEC §2 only needs
        // the instant; the service derives local dates in its own zone).
        let seconds = Int64(d.day.daysSinceEpoch) * 86_400 + Int64(d.minute) * 60 - 3600
        let text = d.day.iso + "T" + DemoVocabulary.padded(d.minute / 60, 2) + ":"
            + DemoVocabulary.padded(d.minute % 60, 2) + ":00+01:00"
        return Contact(
            id: "c-" + number + "-" + DemoVocabulary.padded(n, 4), clientID: clientID,
            professionalID: staff.professionals[d.lead].id,
            participants: d.participants.map { staff.professionals[$0].id },
            occurredAt: Instant(epochSeconds: seconds), occurredAtText: text, mode: d.mode,
            status: d.status, durationMinutes: d.duration)
    }
}

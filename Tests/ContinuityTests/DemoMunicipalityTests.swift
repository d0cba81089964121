import Testing
@testable import Continuity

// Tests of the synthetic municipality behind `continuity demo` (SPEC §5). The trust patterns
// are checked by plain counting over the records, independent of the service's flag code.

private let today = LocalDate(year: 2025, month: 6, day: 15)!

/// One client and what was emitted for it, in emission order.
private struct ClientRecords: Sendable {
    var client: Client
    var assignments: [PrimaryAssignment] = []
    var contacts: [Contact] = []
    var referrals: [Referral] = []

    var isOpen: Bool { client.closedOn.map { $0 > today } ?? true }
    var heldContacts: [Contact] { contacts.filter { $0.status == .held } }
}

/// A whole generated municipality, grouped for the checks below.
private struct Sample: Sendable {
    var records: [DemoRecord] = []
    var teams: [Team] = []
    var professionals: [String: Professional] = [:]
    var clients: [ClientRecords] = []

    init(clients: Int, seed: UInt64 = 1) {
        DemoMunicipality(clients: clients, seed: seed, today: today).generate { record in
            records.append(record)
            switch record {
            case .team(let t): teams.append(t)
            case .professional(let p): professionals[p.id] = p
            case .client(let c): self.clients.append(ClientRecords(client: c))
            case .assignment(let a): self.clients[self.clients.count - 1].assignments.append(a)
            case .contact(let c): self.clients[self.clients.count - 1].contacts.append(c)
            case .referral(let r): self.clients[self.clients.count - 1].referrals.append(r)
            }
        }
    }
}

/// Generated once and shared: 1,000 clients, about 40,000 contacts.
private let sample = Sample(clients: 1000)

/// The local date of a contact in the demo's fixed UTC+1 offset.
private func localDate(_ c: Contact) -> LocalDate {
    let local = c.occurredAt.epochSeconds + 3600
    return LocalDate(daysSinceEpoch: Int((local >= 0 ? local : local - 86_399) / 86_400))
}

/// A compact line per record, enough to tell two streams apart.
private func fingerprint(_ record: DemoRecord) -> String {
    switch record {
    case .team(let t): return "T \(t.id) \(t.name)"
    case .professional(let p):
        return "P \(p.id) \(p.name) \(p.teamID) \(p.employment) \(p.startedOn) \(String(describing: p.endedOn))"
    case .client(let c): return "C \(c.id) \(c.externalRef) \(c.teamID) \(c.openedOn) \(String(describing: c.closedOn))"
    case .assignment(let a):
        return "A \(a.clientID) \(a.professionalID ?? "-") \(a.from) \(a.reason) \(a.sequence)"
    case .contact(let c):
        return "K \(c.id) \(c.professionalID) \(c.participants) \(c.occurredAtText) \(c.mode) \(c.status) \(String(describing: c.durationMinutes))"
    case .referral(let r):
        return "R \(r.id) \(r.referredOn) \(r.fromProfessionalID) \(r.to) \(r.warmHandover) \(r.status) \(r.statusOn)"
    }
}

private func isValidID(_ id: String) -> Bool {
    (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }
}

// MARK: determinism

@Test func sameSeed_givesAnIdenticalStream() {
    let a = Sample(clients: 150, seed: 42).records.map(fingerprint)
    let b = Sample(clients: 150, seed: 42).records.map(fingerprint)
    #expect(a.count > 1000)
    #expect(a == b)
}

@Test func differentSeeds_giveDifferentStreams() {
    let a = Sample(clients: 150, seed: 1).records.map(fingerprint)
    let b = Sample(clients: 150, seed: 2).records.map(fingerprint)
    #expect(a != b)
}

@Test func generation_stopsWhenTheSinkThrows() {
    struct Enough: Error {}
    var seen = 0
    #expect(throws: Enough.self) {
        try DemoMunicipality(clients: 50_000, today: today).generate { _ in
            seen += 1
            if seen == 500 { throw Enough() }
        }
    }
    #expect(seen == 500)
}

// MARK: order and references

@Test func everyReferencedId_isEmittedBeforeItIsUsed() {
    var teams = Set<String>(), professionals = Set<String>(), clients = Set<String>()
    var problems: [String] = []
    func need(_ id: String, in set: Set<String>, _ what: String) {
        if !set.contains(id) { problems.append("\(what) \(id) used before it was emitted") }
    }
    for record in sample.records {
        switch record {
        case .team(let t): teams.insert(t.id)
        case .professional(let p): need(p.teamID, in: teams, "team"); professionals.insert(p.id)
        case .client(let c): need(c.teamID, in: teams, "team"); clients.insert(c.id)
        case .assignment(let a):
            need(a.clientID, in: clients, "client")
            if let p = a.professionalID { need(p, in: professionals, "professional") }
        case .contact(let c):
            need(c.clientID, in: clients, "client")
            for p in [c.professionalID] + c.participants { need(p, in: professionals, "professional") }
        case .referral(let r):
            need(r.clientID, in: clients, "client")
            need(r.fromProfessionalID, in: professionals, "professional")
            if let p = r.toProfessionalID { need(p, in: professionals, "professional") }
        }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
}

@Test func records_comeInTheDocumentedOrder() {
    // Teams, then professionals, then per client: client, assignments, contacts, referrals.
    let rank: (DemoRecord) -> Int = {
        switch $0 {
        case .team: return 0
        case .professional: return 1
        case .client: return 2
        case .assignment: return 3
        case .contact: return 4
        case .referral: return 5
        }
    }
    var previous = 0
    var outOfOrder = 0
    for record in sample.records {
        let r = rank(record)
        if r < previous && r != 2 { outOfOrder += 1 }
        if r == 2 && previous < 1 { outOfOrder += 1 }
        previous = r
    }
    #expect(outOfOrder == 0)
    for c in sample.clients {
        #expect(c.assignments.map(\.from) == c.assignments.map(\.from).sorted(), "\(c.client.id)")
        #expect(c.contacts.map(\.occurredAt) == c.contacts.map(\.occurredAt).sorted(), "\(c.client.id)")
        #expect(c.assignments.allSatisfy { $0.clientID == c.client.id })
        #expect(c.contacts.allSatisfy { $0.clientID == c.client.id })
        #expect(c.referrals.allSatisfy { $0.clientID == c.client.id })
    }
}

// MARK: the shape of the data

@Test func everyId_isValidAndUnique() {
    var ids: [String] = []
    for record in sample.records {
        switch record {
        case .team(let t): ids.append(t.id)
        case .professional(let p): ids.append(p.id)
        case .client(let c): ids.append(c.id)
        case .assignment: break
        case .contact(let c): ids.append(c.id)
        case .referral(let r): ids.append(r.id)
        }
    }
    #expect(ids.filter { !isValidID($0) }.isEmpty)
    #expect(Set(ids).count == ids.count)
}

@Test func contacts_fallBetweenOpeningAndTodayOrClosing() {
    var outside: [String] = []
    for c in sample.clients {
        let last = min(c.client.closedOn ?? today, today)
        for contact in c.contacts {
            let day = localDate(contact)
            if day < c.client.openedOn || day > last { outside.append(contact.id) }
        }
    }
    #expect(outside.isEmpty, "\(outside.prefix(5))")
}

@Test func contactsPerClient_averageBetween30And50() {
    let contacts = sample.clients.reduce(0) { $0 + $1.contacts.count }
    let average = Double(contacts) / Double(sample.clients.count)
    #expect(average >= 30 && average <= 50, "average \(average)")
}

@Test func contactStatuses_areMostlyHeldWithSomeNoShowsAndCancellations() {
    let all = sample.clients.flatMap(\.contacts)
    let share = { (s: ContactStatus) in Double(all.filter { $0.status == s }.count) / Double(all.count) }
    #expect((0.05...0.11).contains(share(.noShow)), "no_show \(share(.noShow))")
    #expect((0.02...0.06).contains(share(.cancelled)), "cancelled \(share(.cancelled))")
}

@Test func contactTimes_areMostlyOfficeHoursWithSomeEveningOutreach() {
    let all = sample.clients.flatMap(\.contacts)
    func inOfficeHours(_ c: Contact) -> Bool {
        let local = c.occurredAt.epochSeconds + 3600
        let minute = Int(local % 86_400) / 60
        return localDate(c).isoWeekday <= 5 && minute >= 8 * 60 + 30 && minute < 17 * 60
    }
    let outside = Double(all.filter { !inOfficeHours($0) }.count) / Double(all.count)
    #expect(outside > 0.02 && outside < 0.25, "outside office hours \(outside)")
}

@Test func contactTimestamps_carryAPlusOneOffsetAndParseBackToTheInstant() {
    for contact in sample.clients.prefix(100).flatMap(\.contacts) {
        #expect(contact.occurredAtText.hasSuffix("+01:00"))
        #expect(Instant(rfc3339: contact.occurredAtText) == contact.occurredAt, "\(contact.id)")
    }
}

@Test func everyoneAtAContact_workedInTheClientsTeamThatDay() {
    var problems: [String] = []
    for c in sample.clients {
        for contact in c.contacts {
            let day = localDate(contact)
            for id in [contact.professionalID] + contact.participants {
                guard let p = sample.professionals[id] else { problems.append(id); continue }
                let employed = p.startedOn <= day && (p.endedOn.map { day <= $0 } ?? true)
                if !employed || p.teamID != c.client.teamID { problems.append("\(contact.id) \(id)") }
            }
            if contact.participants.contains(contact.professionalID) { problems.append(contact.id) }
        }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
}

@Test func assignments_startAtOpeningAndNameEmployedProfessionals() {
    for c in sample.clients {
        guard let first = c.assignments.first else { Issue.record("\(c.client.id) has no assignment"); continue }
        #expect(first.reason == .start)
        #expect(first.from >= c.client.openedOn && first.from - c.client.openedOn <= 5)
        for a in c.assignments {
            guard let id = a.professionalID else { continue }
            let p = sample.professionals[id]!
            #expect(p.startedOn <= a.from && (p.endedOn.map { a.from <= $0 } ?? true), "\(c.client.id) \(id)")
            #expect(p.employment != .volunteer)
        }
    }
}

@Test func clients_haveCaseNumbersAndAboutAQuarterAreClosed() {
    let refs = sample.clients.map(\.client.externalRef)
    #expect(Set(refs).count == refs.count)
    for c in sample.clients {
        let ref = Array(c.client.externalRef.utf8)
        #expect(ref.count == 14 && c.client.externalRef.hasPrefix("ZK-\(c.client.openedOn.year)-"),
                "\(c.client.externalRef)")
        #expect(c.client.openedOn >= today.adding(days: -1461) && c.client.openedOn <= today)
    }
    let closed = Double(sample.clients.filter { $0.client.closedOn != nil }.count) / Double(sample.clients.count)
    #expect(closed > 0.18 && closed < 0.32, "closed \(closed)")
}

@Test func staff_hasTeamsAndAMixOfEmploymentWithTurnover() {
    #expect(sample.teams.count >= 3)
    #expect(sample.teams.allSatisfy { $0.id.hasPrefix("team-") && ($0.name.hasPrefix("Wijkteam ") || $0.name.hasPrefix("Sociaal team ")) })
    let pros = Array(sample.professionals.values)
    for e in Employment.allCases {
        #expect(pros.contains { $0.employment == e }, "no \(e) professionals")
    }
    let perProfessional = Double(sample.clients.count) / Double(pros.count)
    #expect(perProfessional > 15 && perProfessional < 40, "clients per professional \(perProfessional)")
    let flexibleLeavers = pros.filter { ($0.employment == .temporary || $0.employment == .agency) && $0.endedOn != nil }
    #expect(flexibleLeavers.count >= 5)
    #expect(pros.allSatisfy { $0.startedOn <= today && $0.name.utf8.count <= 200 && $0.discipline.utf8.count <= 200 })
}

@Test func referrals_haveOrganisationsAndConsistentStatusDates() {
    let referrals = sample.clients.flatMap(\.referrals)
    #expect(referrals.count > 100)
    #expect(Set(referrals.map(\.to)).count >= 5)
    #expect(referrals.contains { $0.warmHandover })
    for r in referrals {
        #expect(r.referredOn <= r.statusOn && r.statusOn <= today, "\(r.id)")
        #expect(!r.to.isEmpty && r.to.utf8.count <= 200)
    }
}

// MARK: the trust patterns of SPEC §3

/// Whether `flag`'s rule holds for a client as of `today`, by direct counting.
private func holds(_ flag: Flag, for c: ClientRecords) -> Bool {
    guard c.isOpen else { return false }
    let held = c.heldContacts.filter { localDate($0) <= today }
    let current = c.assignments.last { $0.from <= today }
    let primary = current?.professionalID.flatMap { sample.professionals[$0] }
    switch flag {
    case .changingFaces:
        let recent = held.filter { today - localDate($0) < 90 }
        return Set(recent.flatMap { [$0.professionalID] + $0.participants }).count > 3
    case .primaryTurnover:
        var changes = 0
        for (i, a) in c.assignments.enumerated() where i > 0 && a.from <= today && today - a.from <= 364 {
            let before = c.assignments[i - 1].professionalID
            if before != nil && a.professionalID != before { changes += 1 }
        }
        return changes >= 2
    case .noPrimary:
        let missingSince: LocalDate?
        if current == nil { missingSince = c.client.openedOn }
        else if current!.professionalID == nil { missingSince = current!.from }
        else if let ended = primary?.endedOn, ended < today { missingSince = ended.adding(days: 1) }
        else { missingSince = nil }
        return missingSince.map { today - max($0, c.client.openedOn) > 14 } ?? false
    case .primaryLeaving:
        return primary?.endedOn.map { $0 >= today && $0 - today <= 30 } ?? false
    case .referralChain:
        return c.referrals.filter { $0.referredOn <= today && today - $0.referredOn < 180 }.count > 2
    case .referralLimbo:
        return c.referrals.contains { r in
            r.status == .open && today - r.referredOn > 14 && !held.contains { localDate($0) > r.referredOn }
        }
    case .longGap:
        return today - (held.last.map(localDate) ?? c.client.openedOn) > 30
    case .noFaceToFace:
        let last = held.last { $0.mode.isFaceToFace }.map(localDate) ?? c.client.openedOn
        return today - last > 60
    }
}

@Test(arguments: Flag.allCases)
func everyTrustPattern_occursButIsNotTheNorm(_ flag: Flag) {
    let open = sample.clients.filter(\.isOpen)
    let flagged = open.filter { holds(flag, for: $0) }.count
    #expect(flagged > 0, "no open client shows \(flag.rawValue)")
    #expect(Double(flagged) / Double(open.count) < 0.4, "\(flagged) of \(open.count) show \(flag.rawValue)")
}

@Test func someOpenClients_showNoTrustProblemAtAll() {
    let open = sample.clients.filter(\.isOpen)
    let calm = open.filter { c in Flag.allCases.allSatisfy { !holds($0, for: c) } }
    #expect(Double(calm.count) / Double(open.count) > 0.3, "\(calm.count) of \(open.count) unflagged")
}

@Test func primaryChanges_sometimesComeWithAWarmHandover() {
    // A joint visit of the old and the new primary in the 30 days before the change (SPEC §3).
    var changes = 0, warm = 0
    for c in sample.clients {
        for (i, a) in c.assignments.enumerated() where i > 0 {
            guard let new = a.professionalID, let old = c.assignments[i - 1].professionalID, new != old
            else { continue }
            changes += 1
            if c.heldContacts.contains(where: { k in
                let day = localDate(k), people = [k.professionalID] + k.participants
                return day <= a.from && a.from - day <= 30 && people.contains(old) && people.contains(new)
            }) { warm += 1 }
        }
    }
    #expect(changes > 50)
    #expect(warm > 0 && warm < changes, "\(warm) warm of \(changes)")
}

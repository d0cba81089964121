import Testing
@testable import Continuity

/// Random histories from a seeded SplitMix64: the same seeds every run, so a failure repeats.
func randomHistory(_ rng: inout SplitMix64, professionals: Int) -> ClientHistory {
    let count = Int.random(in: 0...40, using: &rng)
    var contacts: [Contact] = []
    let start = at("2026-01-01T00:00:00Z").epochSeconds
    for i in 0..<count {
        let when = start + Int64.random(in: 0..<(120 * 86_400), using: &rng)
        let lead = "P\(Int.random(in: 0..<professionals, using: &rng))"
        let participants = (0..<Int.random(in: 0...2, using: &rng)).map { _ in "P\(Int.random(in: 0..<professionals + 3, using: &rng))" }
        let status: ContactStatus = [.held, .held, .held, .noShow, .cancelled].randomElement(using: &rng)!
        contacts.append(Contact(id: "c\(i)", clientID: "C1", professionalID: lead, participants: participants,
                                occurredAt: Instant(epochSeconds: when),
                                mode: ContactMode.allCases.randomElement(using: &rng)!, status: status))
    }
    return history(opened: "2025-12-01", contacts: contacts)
}

@Suite struct PropertyTests {
    @Test(arguments: [1, 2, 3, 42, 1987, 2026, 99_991])
    func indicesStayInTheirRanges(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let h = randomHistory(&rng, professionals: Int.random(in: 1...6, using: &rng))
            let m = measures(h, "2026-04-15", window: Int.random(in: 1...120, using: &rng), zone: amsterdam)
            let leads = Set(PreparedHistory(h, settings: MeasureSettings(zone: amsterdam))
                .heldContacts(from: day("2026-04-15").adding(days: 1 - m.windowDays), through: day("2026-04-15")).map(\.lead))
            #expect(m.faces >= leads.count)
            #expect(m.facesDetail.count == m.faces)
            if let coc = m.coc { #expect(coc >= 0 && coc <= 1) }
            if let secon = m.secon { #expect(secon >= 0 && secon <= 1) }
            if let upc = m.upc { #expect(upc >= 1.0 / Double(leads.count) - 1e-15 && upc <= 1) }
            if let mmci = m.mmci { #expect(mmci >= 0 - 1e-15 && mmci <= 1) }
            if let k = m.knownFaceShare { #expect(k >= 0 && k <= 1) }
            if let o = m.outsideOfficeHoursShare { #expect(o >= 0 && o <= 1) }
            #expect((m.coc == nil) == (m.contacts < 2))
            #expect((m.upc == nil) == (m.contacts == 0))
        }
    }

    @Test(arguments: [7, 8, 9])
    func oneProfessionalDoingEverythingGivesPerfectContinuity(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<100 {
            var h = randomHistory(&rng, professionals: 1)
            h.contacts = h.contacts.map { var c = $0; c.participants = []; return c }
            let m = measures(h, "2026-04-30", window: 120)
            guard m.contacts > 0 else { continue }
            #expect(m.mmci == 1 && m.upc == 1)
            if m.contacts >= 2 { #expect(m.coc == 1 && m.secon == 1) }
            #expect(m.faces == 1)
        }
    }

    @Test func theInputOrderOfContactsDoesNotMatter() {
        var rng = SplitMix64(seed: 12345)
        for _ in 0..<100 {
            var h = randomHistory(&rng, professionals: 4)
            let a = measures(h, "2026-04-15", zone: amsterdam)
            h.contacts.shuffle(using: &rng)
            #expect(measures(h, "2026-04-15", zone: amsterdam) == a)
        }
    }

    @Test func splitMix64IsTheReferenceSequence() {
        // First outputs for seed 0 (Vigna's reference implementation).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}

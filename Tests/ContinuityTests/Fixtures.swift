import Glibc
@testable import Continuity

// Factories with defaults, so each test states only what it is about.

func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad date \(iso)") }
    return d
}

/// "2026-03-02" means 10:00Z that day; anything longer is RFC 3339.
func at(_ text: String) -> Instant {
    guard let i = Instant(rfc3339: text.utf8.count == 10 ? text + "T10:00:00Z" : text) else {
        fatalError("bad instant \(text)")
    }
    return i
}

func contact(_ id: String, _ lead: String, _ when: String, mode: ContactMode = .homeVisit,
             status: ContactStatus = .held, participants: [String] = []) -> Contact {
    Contact(id: id, clientID: "C1", professionalID: lead, participants: participants,
            occurredAt: at(when), mode: mode, status: status)
}

func assign(_ professional: String?, _ from: String, seq: Int64 = 0,
            reason: AssignmentReason = .turnover) -> PrimaryAssignment {
    PrimaryAssignment(clientID: "C1", professionalID: professional, from: day(from), reason: reason, sequence: seq)
}

func referral(_ id: String, _ on: String, to: String = "Wijkteam Noord",
              status: ReferralStatus = .open) -> Referral {
    Referral(id: id, clientID: "C1", referredOn: day(on), fromProfessionalID: "P1", to: to, status: status)
}

func professional(_ id: String, ended: String? = nil) -> Professional {
    Professional(id: id, name: "Name \(id)", teamID: "T1", discipline: "social work",
                 employment: .permanent, startedOn: day("2020-01-01"), endedOn: ended.map(day))
}

func history(id: String = "C1", opened: String = "2026-01-01", closed: String? = nil,
             contacts: [Contact] = [], assignments: [PrimaryAssignment] = [],
             referrals: [Referral] = [], professionals: [Professional] = []) -> ClientHistory {
    ClientHistory(
        client: Client(id: id, externalRef: "R-\(id)", teamID: "T1", openedOn: day(opened),
                       closedOn: closed.map(day)),
        contacts: contacts, assignments: assignments, referrals: referrals,
        professionals: Dictionary(uniqueKeysWithValues: professionals.map { ($0.id, $0) }))
}

func measures(_ h: ClientHistory, _ asOf: String, window: Int = 90,
              zone: TimeZoneRules = .utc) -> ContinuityMeasures {
    ContinuityMeasures.compute(h, asOf: day(asOf), windowDays: window,
                               settings: MeasureSettings(zone: zone))
}

/// English evidence unless asked otherwise, so most tests read in the language they are written in.
func flags(_ h: ClientHistory, _ asOf: String, thresholds: FlagThresholds = FlagThresholds(),
           zone: TimeZoneRules = .utc, language: Language = .en) -> [ActiveFlag] {
    FlagRules.evaluate(h, asOf: day(asOf), thresholds: thresholds, settings: MeasureSettings(zone: zone, language: language))
}

func flag(_ f: Flag, _ h: ClientHistory, _ asOf: String,
          thresholds: FlagThresholds = FlagThresholds(), language: Language = .en) -> ActiveFlag? {
    flags(h, asOf, thresholds: thresholds, language: language).first { $0.flag == f }
}

/// Reads a whole file with Glibc (tests only; the module itself does no I/O).
func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n == 0 { break }
        out.append(contentsOf: buffer[0..<n])
    }
    return out
}

/// A fixture next to this source file.
func fixturePath(_ name: String, file: String = #filePath) -> String {
    var dir = file
    while let last = dir.last, last != "/" { dir.removeLast() }
    return dir + "Fixtures/" + name
}

let amsterdamBytes: [UInt8] = readFile("/usr/share/zoneinfo/Europe/Amsterdam") ?? []

let amsterdam: TimeZoneRules = {
    do { return try TimeZoneRules(name: "Europe/Amsterdam", tzif: amsterdamBytes) } catch {
        fatalError("cannot read Europe/Amsterdam: \(error)")
    }
}()

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func approx(_ a: Double?, _ b: Double, tolerance: Double = 1e-12) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

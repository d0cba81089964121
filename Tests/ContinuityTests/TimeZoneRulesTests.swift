import Testing
@testable import Continuity

/// Builds a version-2 TZif file with no transitions, one type and the given footer: the
/// shape of a "slim" zoneinfo file whose whole future is the footer rule.
func slimTZif(footer: String, utoff: Int32 = 3600) -> [UInt8] {
    func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    func header(_ version: UInt8) -> [UInt8] {
        Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
            + be32(0) + be32(0) + be32(0) + be32(0) + be32(1) + be32(4)  // isut isstd leap time type char
    }
    let block = be32(UInt32(bitPattern: utoff)) + [0, 0] + Array("CET\0".utf8)
    return header(UInt8(ascii: "2")) + block + header(UInt8(ascii: "2")) + block
        + [0x0A] + Array(footer.utf8) + [0x0A]
}

@Suite struct TimeZoneRulesTests {
    @Test func amsterdamFileIsReadable() {
        #expect(amsterdamBytes.count > 100)
        #expect(amsterdam.name == "Europe/Amsterdam")
    }

    // Offsets an hour either side of each change (01:00Z on the last Sundays of March and
    // October), in a year inside the table (2025), at its end (2031) and after it (2040).
    @Test(arguments: [
        ("2025-03-30T00:59:59Z", 3600), ("2025-03-30T01:00:00Z", 7200),
        ("2025-10-26T00:59:59Z", 7200), ("2025-10-26T01:00:00Z", 3600),
        ("2031-03-30T00:59:59Z", 3600), ("2031-03-30T01:00:00Z", 7200),
        ("2031-10-26T00:59:59Z", 7200), ("2031-10-26T01:00:00Z", 3600),
        ("2040-03-25T00:59:59Z", 3600), ("2040-03-25T01:00:00Z", 7200),
        ("2040-10-28T00:59:59Z", 7200), ("2040-10-28T01:00:00Z", 3600),
        ("2026-07-01T12:00:00Z", 7200), ("2026-01-15T12:00:00Z", 3600),
        ("1970-01-01T00:00:00Z", 3600), ("1940-06-01T12:00:00Z", 7200),
    ])
    func amsterdamOffsetsAroundDaylightSavingChanges(instant: String, offset: Int) {
        #expect(amsterdam.offsetSeconds(at: at(instant)) == offset)
    }

    @Test func footerRuleAloneAgreesWithTheTableEveryHourFrom2000To2037() throws {
        let footerOnly = try TimeZoneRules(name: "slim", tzif: slimTZif(footer: "CET-1CEST,M3.5.0,M10.5.0/3"))
        var t = at("2000-01-01T00:00:00Z").epochSeconds
        let end = at("2037-12-31T00:00:00Z").epochSeconds
        var mismatches = 0
        while t < end {
            let i = Instant(epochSeconds: t)
            if footerOnly.offsetSeconds(at: i) != amsterdam.offsetSeconds(at: i) { mismatches += 1 }
            t += 3600
        }
        #expect(mismatches == 0)
    }

    @Test func slimFileUsesTheFooterFor2031() throws {
        let z = try TimeZoneRules(name: "slim", tzif: slimTZif(footer: "CET-1CEST,M3.5.0,M10.5.0/3"))
        #expect(z.offsetSeconds(at: at("2031-03-30T00:59:59Z")) == 3600)
        #expect(z.offsetSeconds(at: at("2031-03-30T01:00:00Z")) == 7200)
        #expect(z.offsetSeconds(at: at("2031-10-26T00:59:59Z")) == 7200)
        #expect(z.offsetSeconds(at: at("2031-10-26T01:00:00Z")) == 3600)
    }

    @Test func halfPastMidnightLocalOnDaylightSavingDaysLandsOnThatLocalDate() {
        // 2025-03-30 00:30 CET = 2025-03-29T23:30Z; 2025-10-26 00:30 CEST = 2025-10-25T22:30Z.
        #expect(amsterdam.local(at("2025-03-29T23:30:00Z")) == LocalDateTime(date: day("2025-03-30"), secondOfDay: 1800))
        #expect(amsterdam.local(at("2025-10-25T22:30:00Z")) == LocalDateTime(date: day("2025-10-26"), secondOfDay: 1800))
        // One second earlier in UTC is still the previous local day.
        #expect(amsterdam.localDate(of: at("2025-10-25T21:59:59Z")) == day("2025-10-25"))
        // Winter: 23:30Z is already tomorrow in Amsterdam.
        #expect(amsterdam.localDate(of: at("2026-01-14T23:30:00Z")) == day("2026-01-15"))
        #expect(TimeZoneRules.utc.localDate(of: at("2026-01-14T23:30:00Z")) == day("2026-01-14"))
    }

    @Test func localTimeSkipsAndRepeatsAnHourAtTheChanges() {
        // 01:00Z in March is 03:00 CEST (02:00–03:00 does not exist); 01:00Z in October is
        // 02:00 CET for the second time.
        #expect(amsterdam.local(at("2025-03-30T00:59:59Z")).secondOfDay == 1 * 3600 + 59 * 60 + 59)
        #expect(amsterdam.local(at("2025-03-30T01:00:00Z")).secondOfDay == 3 * 3600)
        #expect(amsterdam.local(at("2025-10-26T00:30:00Z")).secondOfDay == 2 * 3600 + 1800)
        #expect(amsterdam.local(at("2025-10-26T01:30:00Z")).secondOfDay == 2 * 3600 + 1800)
    }

    @Test(arguments: [
        ("2025-03-30", "2025-03-29T23:00:00Z"), ("2025-03-31", "2025-03-30T22:00:00Z"),
        ("2025-10-26", "2025-10-25T22:00:00Z"), ("2025-10-27", "2025-10-26T23:00:00Z"),
        ("2031-03-30", "2031-03-29T23:00:00Z"), ("2031-10-27", "2031-10-26T23:00:00Z"),
        ("2040-03-26", "2040-03-25T22:00:00Z"), ("2026-07-01", "2026-06-30T22:00:00Z"),
    ])
    func startOfDayIsLocalMidnightAlsoOnDaylightSavingDays(date: String, instant: String) {
        #expect(amsterdam.startOfDay(day(date)) == at(instant))
    }

    @Test func startOfDayIsTheChangeWhenMidnightItselfIsSkipped() throws {
        // A zone whose DST starts at 00:00 local: 00:00–01:00 on that day does not exist.
        let z = try TimeZoneRules(name: "midnight", posixTZ: "XST-1XDT,M3.5.0/0,M10.5.0/3")
        // 2026-03-29 is the last Sunday of March; the change is at 00:00 XST = 23:00Z the day before.
        #expect(z.startOfDay(day("2026-03-29")) == at("2026-03-28T23:00:00Z"))
        #expect(z.local(at("2026-03-28T23:00:00Z")) == LocalDateTime(date: day("2026-03-29"), secondOfDay: 3600))
        #expect(z.startOfDay(day("2026-03-30")) == at("2026-03-29T22:00:00Z"))
    }

    @Test func startOfDayInUTCIsMidnightUTC() {
        #expect(TimeZoneRules.utc.startOfDay(day("2026-05-17")) == at("2026-05-17T00:00:00Z"))
        #expect(TimeZoneRules.utc.offsetSeconds(at: at("2040-07-01T00:00:00Z")) == 0)
    }

    @Test func southernHemisphereRuleHasDaylightSavingAroundNewYear() throws {
        // Australia/Sydney: AEST-10AEDT,M10.1.0,M4.1.0/3
        let z = try TimeZoneRules(name: "Sydney", posixTZ: "AEST-10AEDT,M10.1.0,M4.1.0/3")
        #expect(z.offsetSeconds(at: at("2030-01-01T00:00:00Z")) == 11 * 3600)
        #expect(z.offsetSeconds(at: at("2030-07-01T00:00:00Z")) == 10 * 3600)
        // 2030-10-06 02:00 AEST = 2030-10-05T16:00Z.
        #expect(z.offsetSeconds(at: at("2030-10-05T15:59:59Z")) == 10 * 3600)
        #expect(z.offsetSeconds(at: at("2030-10-05T16:00:00Z")) == 11 * 3600)
    }

    @Test func allYearDaylightSavingRuleIsAlwaysDaylightTime() throws {
        // RFC 8536 §3.3.1's example of permanent DST.
        let z = try TimeZoneRules(name: "perm", posixTZ: "EST5EDT,0/0,J365/25")
        for text in ["2030-01-01T04:59:59Z", "2030-01-01T05:00:00Z", "2030-06-01T00:00:00Z",
                     "2030-12-31T23:59:59Z", "2032-12-31T12:00:00Z"] {
            #expect(z.offsetSeconds(at: at(text)) == -4 * 3600, "\(text)")
        }
    }

    @Test func quotedNumericNamesAndMinutesInOffsetsParse() throws {
        #expect(try TimeZoneRules(name: "x", posixTZ: "<+0530>-5:30").offsetSeconds(at: at("2030-01-01")) == 19_800)
        #expect(try TimeZoneRules(name: "x", posixTZ: "<-03>3").offsetSeconds(at: at("2030-01-01")) == -10_800)
    }

    @Test(arguments: [
        "", "C", "CET", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
        "CET-1CEST,J0,J100", "CET-1CEST,M3.5.0,M10.5.0/3x", "CET-25", "<>1",
    ])
    func malformedTZStringsAreRejected(text: String) {
        #expect(throws: TimeZoneError.self) { try TimeZoneRules(name: "bad", posixTZ: text) }
    }

    @Test func malformedTZifIsRejected() {
        #expect(throws: TimeZoneError.notTZif) { try TimeZoneRules(name: "x", tzif: Array("TZiX2".utf8) + [UInt8](repeating: 0, count: 60)) }
        #expect(throws: TimeZoneError.truncated) { try TimeZoneRules(name: "x", tzif: Array(amsterdamBytes.prefix(200))) }
        #expect(throws: TimeZoneError.truncated) { try TimeZoneRules(name: "x", tzif: []) }
        var badIndex = slimTZif(footer: "CET-1")
        badIndex[39] = 0 // typecnt of the v1 header = 0 (RFC 8536: must be nonzero)
        #expect(throws: TimeZoneError.self) { try TimeZoneRules(name: "x", tzif: badIndex) }
        var badFooter = slimTZif(footer: "CET-1CEST,M3.5.0")
        badFooter[badFooter.count - 1] = 0x20
        #expect(throws: TimeZoneError.self) { try TimeZoneRules(name: "x", tzif: badFooter) }
        #expect(throws: TimeZoneError.self) { try TimeZoneRules(name: "x", tzif: slimTZif(footer: "CET-1CEST,M3.5.0")) }
    }

    @Test func version1FileWithoutFooterUsesItsLastType() throws {
        let v1 = Array(slimTZif(footer: "").prefix(44 + 6 + 4))
        var bytes = v1
        bytes[4] = 0
        let z = try TimeZoneRules(name: "v1", tzif: bytes)
        #expect(z.offsetSeconds(at: at("2030-06-01")) == 3600)
    }

    @Test func officeHoursAreHalfOpenToTheSecondOnWeekdays() {
        let h = OfficeHours()
        let monday = day("2026-03-02"), saturday = day("2026-03-07")
        #expect(monday.isoWeekday == 1 && saturday.isoWeekday == 6)
        #expect(!h.contains(LocalDateTime(date: monday, secondOfDay: 8 * 3600 + 29 * 60 + 59)))
        #expect(h.contains(LocalDateTime(date: monday, secondOfDay: 8 * 3600 + 30 * 60)))
        #expect(h.contains(LocalDateTime(date: monday, secondOfDay: 16 * 3600 + 59 * 60 + 59)))
        #expect(!h.contains(LocalDateTime(date: monday, secondOfDay: 17 * 3600)))
        #expect(!h.contains(LocalDateTime(date: saturday, secondOfDay: 10 * 3600)))
        let weekend = OfficeHours(weekdays: [6, 7], startMinute: 600, endMinute: 720)
        #expect(weekend.contains(LocalDateTime(date: saturday, secondOfDay: 10 * 3600)))
        #expect(!weekend.contains(LocalDateTime(date: monday, secondOfDay: 10 * 3600)))
    }
}

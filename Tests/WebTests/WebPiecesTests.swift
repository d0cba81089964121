import Continuity
import Glibc
@testable import Web
import Testing

/// Europe/Amsterdam from the system tz database.
let amsterdam: TimeZoneRules? = {
    guard let f = fopen("/usr/share/zoneinfo/Europe/Amsterdam", "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        bytes += buf[0..<n]
        if n < buf.count { break }
    }
    return try? TimeZoneRules(name: "Europe/Amsterdam", tzif: bytes)
}()

@Suite struct FormatTests {
    @Test(arguments: [
        (0.125, "12,5%", "12.5%"), (0.75, "75%", "75%"), (1.0, "100%", "100%"), (0.0, "0%", "0%"),
        (0.33333, "33,3%", "33.3%"), (0.99951, "100%", "100%"),
    ])
    func percentages_inBothLanguages(share: Double, nl: String, en: String) {
        #expect(Format(language: .nl).percent(share) == nl)
        #expect(Format(language: .en).percent(share) == en)
    }

    @Test func undefined_isADash_andDatesAreWrittenOut() {
        #expect(Format(language: .nl).percent(nil) == "–")
        #expect(Format(language: .nl).decimal(2.0) == "2")
        #expect(Format(language: .nl).decimal(1.55) == "1,6")
        #expect(Format(language: .nl).date(LocalDate(iso: "2026-11-28")!) == "28 november 2026")
        #expect(Format(language: .en).shortMonth(LocalDate(iso: "2026-03-01")!) == "Mar 2026")
        #expect(Format(language: .nl).shortMonth(LocalDate(iso: "2026-03-01")!) == "mrt 2026")
        #expect(Format(language: .nl).ago(0) == "vandaag" && Format(language: .nl).ago(12) == "12 dagen geleden")
    }
}

@Suite struct LocalTimeTests {
    @Test(arguments: [
        ("2026-01-15", "09:15", "2026-01-15T09:15:00+01:00", "2026-01-15T08:15:00Z"),
        ("2026-07-15", "09:15", "2026-07-15T09:15:00+02:00", "2026-07-15T07:15:00Z"),
        ("2026-03-29", "03:30", "2026-03-29T03:30:00+02:00", "2026-03-29T01:30:00Z"),
    ])
    func aLocalDateAndTime_becomeAnInstantWithTheZonesOffset(date: String, time: String, text: String, utc: String) throws {
        let zone = try #require(amsterdam)
        let (instant, shown) = LocalTime.instant(LocalDate(iso: date)!, minuteOfDay: LocalTime.minutes(time)!, zone: zone)
        #expect(shown == text)
        #expect(instant.rfc3339UTC.hasPrefix(String(utc.dropLast())))
    }

    @Test(arguments: ["24:00", "9", "09:60", "", "ab:cd"])
    func badTimes_areRefused(_ s: String) { #expect(LocalTime.minutes(s) == nil) }
}

@Suite struct UrgencyTests {
    func alert(_ id: String, _ flag: Flag, client: String, raised: String) -> Alert {
        Alert(id: id, seq: 1, clientID: client, teamID: "t", flag: flag, raisedOn: LocalDate(iso: raised)!, evidence: "")
    }

    @Test func aClosingDoorComesFirst_thenTheOldest_thenTheCaseNumber() {
        let alerts = [
            alert("a", .referralChain, client: "c1", raised: "2026-01-01"),
            alert("b", .longGap, client: "c2", raised: "2026-11-01"),
            alert("c", .primaryLeaving, client: "c3", raised: "2026-11-20"),
            alert("d", .longGap, client: "c4", raised: "2026-10-01"),
            alert("e", .noPrimary, client: "c5", raised: "2026-11-20"),
        ]
        let ordered = Urgency.ordered(alerts, since: { $0.raisedOn }, clientRef: { ["c3": "ZK-2", "c5": "ZK-1"][$0.id] ?? $0.id })
        #expect(ordered.map(\.id) == ["e", "c", "d", "b", "a"])
    }
}

@Suite struct FormDataTests {
    @Test func urlencodedBodies_decodePlusAndPercent_andKeepTheFirstOfARepeatedKey() {
        let f = FormData(Substring("note=Besproken+in+overleg%3A+%C3%A9%C3%A9n&csrf=x&csrf=y&empty="))
        #expect(f?["note"] == "Besproken in overleg: één")
        #expect(f?["csrf"] == "x")
        #expect(f?["empty"] == "")
        #expect(f?.trimmed("empty") == nil)
        #expect(FormData(Substring("a=%ZZ")) == nil, "a malformed escape makes the whole form unreadable")
    }

    @Test func cookies_areFoundByName() {
        #expect(Cookies.value("continuity_session", in: "a=1; continuity_session=abc; b=2") == "abc")
        #expect(Cookies.value("continuity_session", in: "xcontinuity_session=abc") == nil)
    }

    @Test(arguments: [
        ("/app/clients/c1", "/app/clients/c1"), ("https://evil.example/", "/app/"), ("//evil.example", "/app/"),
        ("/app//evil.example", "/app/"), ("/app/login", "/app/"), ("/v1/alerts", "/app/"), ("/app/\\evil", "/app/"),
    ])
    func afterSignIn_onlyOurOwnPagesAreAPlaceToGo(next: String, expected: String) {
        #expect(WebPages.safeNext(next) == expected)
    }
}

/// A point in time (SPEC §1: `occurred_at` is an RFC 3339 timestamp with offset). The offset
/// only says which instant it is (SPEC §2); local dates come from the configured zone.
public struct Instant: Hashable, Comparable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64
    /// Nanoseconds within the second, 0..<1_000_000_000 (kept so ordering is exact).
    public let nanoseconds: Int32

    public init(epochSeconds: Int64, nanoseconds: Int32 = 0) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
    }

    public static func < (a: Instant, b: Instant) -> Bool {
        (a.epochSeconds, a.nanoseconds) < (b.epochSeconds, b.nanoseconds)
    }

    /// Parses RFC 3339 `date-time` (section 5.6): `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
    /// `t`/`z` in lower case are accepted as the RFC allows; a leap second (:60) is not.
    public init?(rfc3339 text: String) {
        let u = Array(text.utf8)
        guard u.count >= 20, u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: "t"),
              let date = LocalDate(iso: String(decoding: u[0..<10], as: UTF8.self)),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let hh = LocalDate.digits(u, 11, 2), let mm = LocalDate.digits(u, 14, 2),
              let ss = LocalDate.digits(u, 17, 2), hh < 24, mm < 60, ss < 60 else { return nil }
        var i = 19
        var nanos = 0
        if u[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < u.count, u[i] >= 48, u[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int(u[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        guard i < u.count else { return nil }
        var offset = 0
        switch u[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == u.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == u.count, u[i + 3] == UInt8(ascii: ":"),
                  let oh = LocalDate.digits(u, i + 1, 2), let om = LocalDate.digits(u, i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (u[i] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let secs = date.daysSinceEpoch * 86_400 + hh * 3600 + mm * 60 + ss - offset
        self.init(epochSeconds: Int64(secs), nanoseconds: Int32(nanos))
    }

    /// UTC form with `Z`, fraction only when non-zero: a canonical text for storage.
    public var rfc3339UTC: String {
        let days = Int((epochSeconds >= 0 ? epochSeconds : epochSeconds - 86_399) / 86_400)
        let secOfDay = Int(epochSeconds - Int64(days) * 86_400)
        var s = LocalDate(daysSinceEpoch: days).iso + "T"
            + LocalDate.pad(secOfDay / 3600, 2) + ":" + LocalDate.pad(secOfDay / 60 % 60, 2) + ":"
            + LocalDate.pad(secOfDay % 60, 2)
        if nanoseconds != 0 {
            var frac = LocalDate.pad(Int(nanoseconds), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            s += "." + frac
        }
        return s + "Z"
    }
}

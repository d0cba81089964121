/// Why a TZif file or a POSIX TZ string was rejected.
public enum TimeZoneError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data does not start with the `TZif` magic (RFC 8536 §3.1).
    case notTZif
    /// The data ends before the header's counts say it should.
    case truncated
    /// A count, index, offset or ordering that RFC 8536 §3 forbids.
    case invalid(String)
    /// The footer TZ string (RFC 8536 §3.3) could not be parsed.
    case badTZString(String)

    public var description: String {
        switch self {
        case .notTZif: return "not a TZif file (missing magic)"
        case .truncated: return "TZif data is truncated"
        case .invalid(let why): return "invalid TZif data: \(why)"
        case .badTZString(let s): return "unparsable POSIX TZ string: \(s)"
        }
    }
}

/// The UTC offsets of one time zone over time, from a TZif file (RFC 8536, versions 1–4).
///
/// Offsets come from the transition table; before the first transition time type 0 applies
/// (RFC 8536 §3.2); after the last one (or always, when there are no transitions) the footer
/// TZ string applies (§3.3), so dates far beyond the table are right. Version 2+ files are read
/// from their 64-bit section. Leap-second records are skipped: the zoneinfo files this service
/// reads ("posix" zones) have none, and civil time ignores them.
public struct TimeZoneRules: Sendable {
    public let name: String
    /// Transition instants (seconds since the epoch), ascending.
    let transitions: [Int64]
    /// The UTC offset in effect from `transitions[i]` on.
    let offsetsAfter: [Int]
    /// The offset before the first transition (time type 0).
    let initialOffset: Int
    /// The footer rule, for instants after the last transition.
    let footer: PosixTZ?

    public static let utc = TimeZoneRules(name: "UTC", transitions: [], offsetsAfter: [],
                                          initialOffset: 0, footer: nil)

    init(name: String, transitions: [Int64], offsetsAfter: [Int], initialOffset: Int, footer: PosixTZ?) {
        self.name = name; self.transitions = transitions; self.offsetsAfter = offsetsAfter
        self.initialOffset = initialOffset; self.footer = footer
    }

    /// A zone given only by a POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3`.
    public init(name: String, posixTZ: String) throws {
        self.init(name: name, transitions: [], offsetsAfter: [], initialOffset: 0,
                  footer: try PosixTZ(parsing: posixTZ))
    }

    /// Parses the bytes of a TZif file (the caller reads `/usr/share/zoneinfo/<name>`).
    public init(name: String, tzif: [UInt8]) throws {
        var r = TZifReader(bytes: tzif)
        let h1 = try r.header()
        var table: TZifReader.Table
        var footer: PosixTZ? = nil
        if h1.version >= 2 {
            // Skip the 32-bit block (RFC 8536 §3.2, "v1 data block") to the 64-bit one.
            try r.skip(h1.timecnt * 5 + h1.typecnt * 6 + h1.charcnt + h1.leapcnt * 8
                       + h1.isstdcnt + h1.isutcnt)
            let h2 = try r.header()
            table = try r.dataBlock(h2, timeSize: 8)
            footer = try r.footer()
        } else {
            table = try r.dataBlock(h1, timeSize: 4)
        }
        self.init(name: name, transitions: table.times,
                  offsetsAfter: table.typeIndices.map { table.offsets[$0] },
                  initialOffset: table.offsets[0], footer: footer)
    }

    /// Seconds east of UTC in effect at `instant`.
    public func offsetSeconds(at instant: Instant) -> Int {
        offset(at: instant.epochSeconds)
    }

    func offset(at t: Int64) -> Int {
        guard let last = transitions.last else { return footer?.offset(at: t) ?? initialOffset }
        if t < transitions[0] { return initialOffset }
        if t > last, let footer { return footer.offset(at: t) }
        // Last transition ≤ t.
        var lo = 0, hi = transitions.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if transitions[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return offsetsAfter[lo]
    }

    public func localDate(of instant: Instant) -> LocalDate { local(instant).date }

    public func local(_ instant: Instant) -> LocalDateTime {
        let s = instant.epochSeconds + Int64(offset(at: instant.epochSeconds))
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        return LocalDateTime(date: LocalDate(daysSinceEpoch: Int(days)),
                             secondOfDay: Int(s - days * 86_400))
    }

    /// The instant at which local date `d` begins (for SQL range queries on occurred_at):
    /// the first instant whose local time is at or after `d` 00:00. When midnight is skipped by
    /// a spring-forward change this is the transition instant; when a whole day is skipped
    /// (Pacific/Apia, 2011-12-30) it is the start of the next day, so the day's range is empty.
    public func startOfDay(_ d: LocalDate) -> Instant {
        let midnight = Int64(d.daysSinceEpoch) * 86_400
        let lo = midnight - 3 * 86_400, hi = midnight + 3 * 86_400
        // Segments of constant offset covering [lo, hi): the earliest t in a segment with
        // t + offset ≥ midnight is max(start, midnight − offset) if that is still inside it.
        var starts: [Int64] = [lo]
        starts.append(contentsOf: transitionInstants(after: lo, upTo: hi))
        for (i, a) in starts.enumerated() {
            let b = i + 1 < starts.count ? starts[i + 1] : hi
            let candidate = max(a, midnight - Int64(offset(at: a)))
            if candidate < b { return Instant(epochSeconds: candidate) }
        }
        return Instant(epochSeconds: midnight - Int64(offset(at: midnight)))
    }

    /// Instants in (lo, hi] where the offset may change, ascending.
    func transitionInstants(after lo: Int64, upTo hi: Int64) -> [Int64] {
        var out = transitions.filter { $0 > lo && $0 <= hi }
        if let footer, transitions.isEmpty || hi > transitions[transitions.count - 1] {
            let from = max(lo, transitions.last ?? Int64.min)
            out.append(contentsOf: footer.transitionInstants(after: from, upTo: hi))
        }
        return out.sorted()
    }
}

/// A local wall-clock reading: the local date and the second within it.
public struct LocalDateTime: Sendable, Equatable {
    public let date: LocalDate
    /// 0..<86_400 (a local day may be 23 or 25 hours long, but readings stay in this range).
    public let secondOfDay: Int
    public init(date: LocalDate, secondOfDay: Int) { self.date = date; self.secondOfDay = secondOfDay }
    /// 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int { date.isoWeekday }
}

/// Office hours (SPEC §2): on the listed ISO weekdays, from `startMinute` up to but not
/// including `endMinute` (minutes after local midnight). Default Monday–Friday 08:30–17:00.
public struct OfficeHours: Sendable, Equatable {
    public var weekdays: Set<Int> = [1, 2, 3, 4, 5]
    public var startMinute = 8 * 60 + 30
    public var endMinute = 17 * 60
    public init() {}
    public init(weekdays: Set<Int>, startMinute: Int, endMinute: Int) {
        self.weekdays = weekdays; self.startMinute = startMinute; self.endMinute = endMinute
    }
    /// Inside means [start, end) on a listed weekday, to the second: 16:59:59 is inside,
    /// 17:00:00 is not.
    public func contains(_ t: LocalDateTime) -> Bool {
        weekdays.contains(t.isoWeekday) && t.secondOfDay >= startMinute * 60
            && t.secondOfDay < endMinute * 60
    }
}

/// Reads the big-endian structures of RFC 8536 §3.
struct TZifReader {
    let bytes: [UInt8]
    var pos = 0

    struct Header {
        var version: Int
        var isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt: Int
    }
    struct Table {
        var times: [Int64]
        var typeIndices: [Int]
        var offsets: [Int]
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skip(_ n: Int) throws {
        guard n >= 0, bytes.count - pos >= n else { throw TimeZoneError.truncated }
        pos += n
    }

    mutating func u8() throws -> UInt8 {
        guard pos < bytes.count else { throw TimeZoneError.truncated }
        defer { pos += 1 }
        return bytes[pos]
    }

    mutating func be(_ size: Int) throws -> UInt64 {
        guard bytes.count - pos >= size else { throw TimeZoneError.truncated }
        var v: UInt64 = 0
        for i in 0..<size { v = v << 8 | UInt64(bytes[pos + i]) }
        pos += size
        return v
    }

    mutating func signed(_ size: Int) throws -> Int64 {
        let v = try be(size)
        return size == 8 ? Int64(bitPattern: v) : Int64(Int32(bitPattern: UInt32(v)))
    }

    mutating func header() throws -> Header {
        guard bytes.count - pos >= 4 else { throw bytes.count - pos == 0 ? TimeZoneError.truncated : .notTZif }
        guard Array(bytes[pos..<pos + 4]) == Array("TZif".utf8) else { throw TimeZoneError.notTZif }
        pos += 4
        let v = try u8()
        let version: Int
        switch v {
        case 0: version = 1
        case UInt8(ascii: "2")...UInt8(ascii: "9"): version = Int(v - UInt8(ascii: "0"))
        default: throw TimeZoneError.invalid("unknown version byte \(v)")
        }
        try skip(15)
        var counts: [Int] = []
        for _ in 0..<6 { counts.append(Int(try be(4))) }
        let h = Header(version: version, isutcnt: counts[0], isstdcnt: counts[1], leapcnt: counts[2],
                       timecnt: counts[3], typecnt: counts[4], charcnt: counts[5])
        guard h.typecnt >= 1 else { throw TimeZoneError.invalid("typecnt is zero") }
        guard h.charcnt >= 1 else { throw TimeZoneError.invalid("charcnt is zero") }
        guard h.isutcnt == 0 || h.isutcnt == h.typecnt,
              h.isstdcnt == 0 || h.isstdcnt == h.typecnt else {
            throw TimeZoneError.invalid("isutcnt/isstdcnt must be 0 or typecnt")
        }
        return h
    }

    mutating func dataBlock(_ h: Header, timeSize: Int) throws -> Table {
        var times: [Int64] = []
        times.reserveCapacity(h.timecnt)
        for _ in 0..<h.timecnt {
            let t = try signed(timeSize)
            if let prev = times.last, t <= prev {
                throw TimeZoneError.invalid("transition times not ascending")
            }
            times.append(t)
        }
        var indices: [Int] = []
        for _ in 0..<h.timecnt {
            let i = Int(try u8())
            guard i < h.typecnt else { throw TimeZoneError.invalid("transition type \(i) out of range") }
            indices.append(i)
        }
        var offsets: [Int] = []
        for _ in 0..<h.typecnt {
            let utoff = try signed(4)
            guard utoff != Int64(Int32.min) else { throw TimeZoneError.invalid("utoff is -2^31") }
            let isdst = try u8()
            let desig = Int(try u8())
            guard isdst <= 1 else { throw TimeZoneError.invalid("isdst is \(isdst)") }
            guard desig < h.charcnt else { throw TimeZoneError.invalid("designation index out of range") }
            offsets.append(Int(utoff))
        }
        try skip(h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt)
        return Table(times: times, typeIndices: indices, offsets: offsets)
    }

    /// The footer: newline, TZ string (possibly empty), newline (RFC 8536 §3.3). A missing
    /// footer is tolerated as "no rule"; an empty string means the table's last type holds.
    mutating func footer() throws -> PosixTZ? {
        guard pos < bytes.count else { return nil }
        guard bytes[pos] == UInt8(ascii: "\n") else { throw TimeZoneError.invalid("footer must start with a newline") }
        pos += 1
        guard let end = bytes[pos...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw TimeZoneError.invalid("footer is not terminated by a newline")
        }
        let text = String(decoding: bytes[pos..<end], as: UTF8.self)
        pos = end + 1
        return text.isEmpty ? nil : try PosixTZ(parsing: text)
    }
}

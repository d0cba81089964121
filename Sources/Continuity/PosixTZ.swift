/// A POSIX TZ string as used in the TZif footer (RFC 8536 §3.3, with its extensions: rule
/// times from −167 to 167 hours), e.g. `CET-1CEST,M3.5.0,M10.5.0/3`.
///
/// Offsets in the string count west of Greenwich (`CET-1` is UTC+1); they are stored here as
/// seconds east, like TZif `utoff`. A DST part without rules gets the US rules
/// `M3.2.0,M11.1.0` (glibc's fallback); TZif footers always carry explicit rules.
struct PosixTZ: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        enum Day: Sendable, Equatable {
            /// `Jn`: 1…365, February 29 is never counted.
            case julianNoLeap(Int)
            /// `n`: 0…365, February 29 counts in leap years.
            case zeroBased(Int)
            /// `Mm.w.d`: day d (0 = Sunday) of week w (5 = last) of month m.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }
        var day: Day
        /// Local time of the change, seconds after local midnight (default 02:00).
        var time: Int

        /// The local date (days since epoch) of this rule's day in `year`.
        func localDay(in year: Int) -> Int {
            let jan1 = LocalDate.daysFromCivil(year: year, month: 1, day: 1)
            switch day {
            case .julianNoLeap(let n):
                return jan1 + n - 1 + (LocalDate.isLeap(year) && n >= 60 ? 1 : 0)
            case .zeroBased(let n):
                return jan1 + n
            case .monthWeekDay(let m, let w, let d):
                let first = LocalDate.daysFromCivil(year: year, month: m, day: 1)
                let firstWeekday = LocalDate(daysSinceEpoch: first).isoWeekday % 7 // 0 = Sunday
                var result = first + (d - firstWeekday + 7) % 7 + (w - 1) * 7
                let monthEnd = first + LocalDate.daysIn(month: m, year: year)
                while result >= monthEnd { result -= 7 }
                return result
            }
        }
    }

    var stdOffset: Int
    var dst: (offset: Int, start: Rule, end: Rule)?

    static func == (a: PosixTZ, b: PosixTZ) -> Bool {
        a.stdOffset == b.stdOffset && a.dst?.offset == b.dst?.offset
            && a.dst?.start == b.dst?.start && a.dst?.end == b.dst?.end
    }

    init(parsing text: String) throws {
        var p = Parser(u: Array(text.utf8), text: text)
        try p.name()
        stdOffset = -(try p.offset(maxHours: 24))
        if p.atEnd {
            dst = nil
            return
        }
        try p.name()
        var dstOffset = stdOffset + 3600
        if let c = p.peek, c != UInt8(ascii: ",") {
            dstOffset = -(try p.offset(maxHours: 24))
        }
        let start: Rule, end: Rule
        if p.atEnd {
            start = Rule(day: .monthWeekDay(month: 3, week: 2, weekday: 0), time: 7200)
            end = Rule(day: .monthWeekDay(month: 11, week: 1, weekday: 0), time: 7200)
        } else {
            try p.expect(UInt8(ascii: ","))
            start = try p.rule()
            try p.expect(UInt8(ascii: ","))
            end = try p.rule()
        }
        guard p.atEnd else { throw TimeZoneError.badTZString(text) }
        dst = (dstOffset, start, end)
    }

    /// The changes of `year` as (instant, offset from then on), DST start first.
    private func changes(in year: Int) -> [(at: Int64, offset: Int)] {
        guard let dst else { return [] }
        let s = Int64(dst.start.localDay(in: year)) * 86_400 + Int64(dst.start.time) - Int64(stdOffset)
        let e = Int64(dst.end.localDay(in: year)) * 86_400 + Int64(dst.end.time) - Int64(dst.offset)
        return [(s, dst.offset), (e, stdOffset)]
    }

    /// Every change of years y−1…y+1 around `t`, ordered by instant and then year, so a
    /// change at the same instant in a later year wins (all-year DST: `EST5EDT,0/0,J365/25`).
    private func changes(around t: Int64) -> [(at: Int64, offset: Int)] {
        let localDays = (t + Int64(stdOffset)) >= 0 ? (t + Int64(stdOffset)) / 86_400
            : (t + Int64(stdOffset) - 86_399) / 86_400
        let y = LocalDate(daysSinceEpoch: Int(localDays)).year
        var all: [(at: Int64, year: Int, offset: Int)] = []
        for year in (y - 1)...(y + 1) {
            for c in changes(in: year) { all.append((c.at, year, c.offset)) }
        }
        all.sort { ($0.at, $0.year) < ($1.at, $1.year) }
        return all.map { ($0.at, $0.offset) }
    }

    func offset(at t: Int64) -> Int {
        guard dst != nil else { return stdOffset }
        var result: Int? = nil
        for c in changes(around: t) where c.at <= t { result = c.offset }
        return result ?? stdOffset
    }

    /// Change instants in (lo, hi], ascending (hi − lo is a few days at most).
    func transitionInstants(after lo: Int64, upTo hi: Int64) -> [Int64] {
        guard dst != nil else { return [] }
        var out: [Int64] = []
        for c in changes(around: lo) + changes(around: hi) where c.at > lo && c.at <= hi {
            if !out.contains(c.at) { out.append(c.at) }
        }
        return out.sorted()
    }

    private struct Parser {
        let u: [UInt8]
        let text: String
        var i = 0

        var atEnd: Bool { i == u.count }
        var peek: UInt8? { i < u.count ? u[i] : nil }

        func fail() -> TimeZoneError { .badTZString(text) }

        mutating func expect(_ c: UInt8) throws {
            guard peek == c else { throw fail() }
            i += 1
        }

        /// `<+03>` (quoted: alphanumerics and signs) or at least three letters.
        mutating func name() throws {
            if peek == UInt8(ascii: "<") {
                i += 1
                let start = i
                while let c = peek, c != UInt8(ascii: ">") {
                    guard isAlpha(c) || isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") else {
                        throw fail()
                    }
                    i += 1
                }
                guard i - start >= 1 else { throw fail() }
                try expect(UInt8(ascii: ">"))
            } else {
                let start = i
                while let c = peek, isAlpha(c) { i += 1 }
                guard i - start >= 3 else { throw fail() }
            }
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, with the sign as written.
        mutating func offset(maxHours: Int) throws -> Int {
            var sign = 1
            if peek == UInt8(ascii: "+") { i += 1 } else if peek == UInt8(ascii: "-") { sign = -1; i += 1 }
            let h = try number(maxDigits: 3)
            guard h <= maxHours else { throw fail() }
            var seconds = h * 3600
            if peek == UInt8(ascii: ":") {
                i += 1
                let m = try number(maxDigits: 2)
                guard m < 60 else { throw fail() }
                seconds += m * 60
                if peek == UInt8(ascii: ":") {
                    i += 1
                    let s = try number(maxDigits: 2)
                    guard s < 60 else { throw fail() }
                    seconds += s
                }
            }
            return sign * seconds
        }

        mutating func number(maxDigits: Int) throws -> Int {
            var v = 0, n = 0
            while let c = peek, isDigit(c) {
                guard n < maxDigits else { throw fail() }
                v = v * 10 + Int(c - 48)
                n += 1
                i += 1
            }
            guard n > 0 else { throw fail() }
            return v
        }

        mutating func rule() throws -> Rule {
            let day: Rule.Day
            if peek == UInt8(ascii: "J") {
                i += 1
                let n = try number(maxDigits: 3)
                guard (1...365).contains(n) else { throw fail() }
                day = .julianNoLeap(n)
            } else if peek == UInt8(ascii: "M") {
                i += 1
                let m = try number(maxDigits: 2)
                try expect(UInt8(ascii: "."))
                let w = try number(maxDigits: 1)
                try expect(UInt8(ascii: "."))
                let d = try number(maxDigits: 1)
                guard (1...12).contains(m), (1...5).contains(w), (0...6).contains(d) else { throw fail() }
                day = .monthWeekDay(month: m, week: w, weekday: d)
            } else {
                let n = try number(maxDigits: 3)
                guard (0...365).contains(n) else { throw fail() }
                day = .zeroBased(n)
            }
            var time = 7200
            if peek == UInt8(ascii: "/") {
                i += 1
                time = try offset(maxHours: 167)
            }
            return Rule(day: day, time: time)
        }

        private func isAlpha(_ c: UInt8) -> Bool {
            (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
        }
        private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    }
}

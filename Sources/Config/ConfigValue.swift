/// Parsers and renderers for the value kinds a config key can have.
///
/// A parser answers the normalised value or throws `InvalidValue` with a reason that names
/// what was expected; the loader adds where (file and line, or environment variable).
enum ConfigValue {
    struct InvalidValue: Error {
        let reason: String
    }

    /// ISO 8601 order: index 0 is Monday.
    static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    static func integer(_ text: String, in range: ClosedRange<Int>) throws(InvalidValue) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw InvalidValue(reason: "expected an integer in \(range.lowerBound)...\(range.upperBound), got \(quoted(text))")
        }
        return value
    }

    static func seconds(_ text: String, in range: ClosedRange<Double>) throws(InvalidValue) -> Double {
        // Double(String) also accepts "nan", "inf" and hex floats; only plain decimals are allowed.
        let plainDecimal = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard plainDecimal, let value = Double(text), range.contains(value) else {
            throw InvalidValue(reason: "expected a number of seconds in \(render(range.lowerBound))...\(render(range.upperBound)), got \(quoted(text))")
        }
        return value
    }

    static func boolean(_ text: String) throws(InvalidValue) -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw InvalidValue(reason: "expected true or false, got \(quoted(text))")
        }
    }

    static func choice(_ text: String, of allowed: [String]) throws(InvalidValue) -> String {
        guard allowed.contains(text) else {
            throw InvalidValue(reason: "expected one of \(allowed.joined(separator: ", ")), got \(quoted(text))")
        }
        return text
    }

    /// `HH:MM`, 00:00 through 23:59, two digits each.
    static func timeOfDay(_ text: String) throws(InvalidValue) -> String {
        guard minutesOfDay(text) != nil else {
            throw InvalidValue(reason: "expected a time HH:MM between 00:00 and 23:59, got \(quoted(text))")
        }
        return text
    }

    static func minutesOfDay(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        let digits = [bytes[0], bytes[1], bytes[3], bytes[4]]
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let d = digits.map { Int($0 - UInt8(ascii: "0")) }
        let hours = d[0] * 10 + d[1], minutes = d[2] * 10 + d[3]
        guard hours < 24, minutes < 60 else { return nil }
        return hours * 60 + minutes
    }

    /// A comma-separated list of distinct day names (`mon`…`sun`), normalised without spaces.
    static func weekdays(_ text: String) throws(InvalidValue) -> String {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { trimmed(Substring($0)) }
        var seen: Set<String> = []
        for name in names {
            guard weekdayNames.contains(name) else {
                throw InvalidValue(reason: "expected a comma-separated list of mon, tue, wed, thu, fri, sat, sun, got \(quoted(text))")
            }
            guard seen.insert(name).inserted else {
                throw InvalidValue(reason: "day \(quoted(name)) is listed twice in \(quoted(text))")
            }
        }
        return names.joined(separator: ",")
    }

    /// A non-empty text without control characters (paths, host names).
    static func text(_ text: String) throws(InvalidValue) -> String {
        guard !text.isEmpty else { throw InvalidValue(reason: "expected a value, got nothing") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw InvalidValue(reason: "control characters are not allowed")
        }
        return text
    }

    /// An IANA zone name such as `Europe/Amsterdam` or `UTC`; existence is checked by whoever
    /// loads the zone rules, not here.
    static func zoneName(_ text: String) throws(InvalidValue) -> String {
        let allowed = text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "_"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
        guard !text.isEmpty, allowed, !text.hasPrefix("/"), !text.contains("..") else {
            throw InvalidValue(reason: "expected a time zone name such as Europe/Amsterdam or UTC, got \(quoted(text))")
        }
        return text
    }

    // MARK: Rendering (for defaults and the documentation test)

    static func render(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A value as it must be written in the config file: quoted when it would otherwise be
    /// cut at a comment character or lose surrounding spaces.
    static func renderText(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains("#") || value.contains(";") || value.hasPrefix("\"")
            || value.first.map(isBlank) == true || value.last.map(isBlank) == true
        guard needsQuotes else { return value }
        var out = "\""
        for ch in value {
            if ch == "\"" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        out.append("\"")
        return out
    }

    static func quoted(_ text: String) -> String { "'\(text)'" }

    static func isBlank(_ ch: Character) -> Bool { ch == " " || ch == "\t" }

    static func trimmed(_ text: Substring) -> String {
        var s = text
        while let first = s.first, isBlank(first) { s.removeFirst() }
        while let last = s.last, isBlank(last) { s.removeLast() }
        return String(s)
    }
}

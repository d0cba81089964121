/// The language of evidence and reasons (SPEC §3: Dutch by default, `[reports] language`).
/// Field names and enum values stay English; only sentences people read change.
public enum Language: String, CaseIterable, Sendable {
    case nl, en
}

/// Numbers and dates as a reader of the language expects them in prose: Dutch "1.234",
/// "12,5%" and "28 november 2026"; English "1,234", "12.5%" and "28 November 2026".
/// ISO dates stay in data fields; these are for sentences only.
public struct ProseFormat: Sendable {
    public let language: Language
    public init(_ language: Language) { self.language = language }

    static let dutchMonths = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
                              "augustus", "september", "oktober", "november", "december"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December"]

    /// "28 november 2026" / "28 November 2026".
    public func date(_ d: LocalDate) -> String {
        let (y, m, day) = d.components
        return "\(day) \((language == .nl ? Self.dutchMonths : Self.englishMonths)[m - 1]) \(y)"
    }

    /// Whole numbers with a thousands separator: "12.345" / "12,345".
    public func integer(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(language == .nl ? "." : ",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// A fixed number of decimals, rounded half away from zero: "12,5" / "12.5".
    public func decimal(_ x: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var text = integer(whole)
        if decimals > 0 {
            let f = String(fraction)
            text += (language == .nl ? "," : ".") + String(repeating: "0", count: decimals - f.count) + f
        }
        return x < 0 && scaled != 0 ? "-" + text : text
    }

    /// A share as a percentage: 0.125 → "12,5%" / "12.5%".
    public func percent(_ share: Double, decimals: Int = 1) -> String {
        decimal(share * 100, decimals: decimals) + "%"
    }

    /// "1 dag" / "3 dagen", "1 day" / "3 days".
    public func count(_ n: Int, _ one: String, _ many: String) -> String {
        "\(integer(n)) \(n == 1 ? one : many)"
    }

    public func days(_ n: Int) -> String {
        language == .nl ? count(n, "dag", "dagen") : count(n, "day", "days")
    }

    /// "Anna de Vries (P12)"; only the id when the name is unknown or the same as the id.
    public func person(_ id: String, _ name: String?) -> String {
        guard let name, !name.isEmpty, name != id else { return id }
        return "\(name) (\(id))"
    }

    /// "a, b en c" / "a, b and c".
    public func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + (language == .nl ? " en " : " and ") + items.last!
    }
}

import Continuity

/// Numbers and dates as a reader of the page's language expects (STYLE.md "Web pages":
/// `12,5%`, `28 november 2026`).
struct Format {
    let language: Language

    /// `28 november 2026` / `28 November 2026` (the engine's prose format, as in evidence).
    func date(_ d: LocalDate) -> String { ProseFormat(language).date(d) }

    static let shortNL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    static let shortEN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `mrt` / `Mar`.
    func monthAbbreviation(_ m: Int) -> String { (language == .nl ? Format.shortNL : Format.shortEN)[m - 1] }

    /// `nov 2026` for axes and tables.
    func shortMonth(_ d: LocalDate) -> String { monthAbbreviation(d.month) + " " + String(d.year) }

    /// `vandaag`, `gisteren`, `12 dagen geleden`.
    func ago(_ days: Int) -> String {
        switch days {
        case 0: return language("vandaag", "today")
        case 1: return language("gisteren", "yesterday")
        default: return language("\(days) dagen geleden", "\(days) days ago")
        }
    }

    /// A fraction as a percentage with at most one decimal: 0.125 → `12,5%`.
    func percent(_ x: Double?) -> String {
        guard let x else { return "–" }
        return decimal(x * 100, decimals: 1) + "%"
    }

    /// A number with at most `decimals` decimals (half away from zero), trailing zeros dropped;
    /// a decimal comma in Dutch.
    func decimal(_ x: Double?, decimals: Int = 1) -> String {
        guard let x, x.isFinite else { return "–" }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(x) * Double(scale)).rounded(.toNearestOrAwayFromZero))
        var out = (x < 0 && scaled != 0 ? "-" : "") + String(scaled / scale)
        if scaled % scale != 0 {
            var digits = String(scaled % scale)
            while digits.count < decimals { digits = "0" + digits }
            while digits.hasSuffix("0") { digits.removeLast() }
            out += (language == .nl ? "," : ".") + digits
        }
        return out
    }

    func days(_ n: Int) -> String {
        n == 1 ? language("1 dag", "1 day") : language("\(n) dagen", "\(n) days")
    }
}

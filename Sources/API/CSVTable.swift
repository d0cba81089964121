import Continuity

/// RFC 4180 CSV for spreadsheets (SPEC §4): CRLF line ends, fields quoted when they hold the
/// separator, a quote or a line break; UTF-8 with a BOM so Excel reads accents right;
/// `excelNL` gives `;` separators and decimal commas, as Dutch Excel expects.
public struct CSVTable: Sendable {
    public enum Cell: Sendable {
        case text(String)
        case number(Double?, decimals: Int)
        case count(Int, suppressBelow: Int?)
        /// A figure after small-cell suppression (`Continuity.SmallCells`): `<threshold` when suppressed.
        case shown(Shown, decimals: Int, threshold: Int)
    }

    let separator: String
    let decimalComma: Bool
    var lines: [String] = []

    public init(columns: [String], excelNL: Bool) {
        separator = excelNL ? ";" : ","
        decimalComma = excelNL
        if !columns.isEmpty { lines.append(columns.map(quote).joined(separator: separator)) }
    }

    public mutating func row(_ cells: [Cell]) {
        lines.append(cells.map(render).joined(separator: separator))
    }

    public func text(bom: Bool = true) -> String {
        (bom ? "\u{FEFF}" : "") + lines.map { $0 + "\r\n" }.joined()
    }

    func render(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return quote(s)
        case .number(nil, _): return ""
        case .number(let v?, let decimals):
            let s = CSVTable.fixed(v, decimals: decimals)
            return decimalComma ? s.replacingDots() : s
        case .count(let n, let threshold):
            // Small-cell suppression, as statistics offices do: a count below the threshold
            // could point at a person.
            if let threshold, n > 0, n < threshold { return quote("<\(threshold)") }
            return String(n)
        case .shown(.value(let v), let decimals, _): return render(.number(v, decimals: decimals))
        case .shown(.undefined, _, _): return ""
        case .shown(.suppressed, _, let threshold): return quote("<\(threshold)")
        }
    }

    func quote(_ s: String) -> String {
        let needs = s.contains(where: { $0 == "\"" || $0 == "\r" || $0 == "\n" || String($0) == separator })
            || s.hasPrefix("=") || s.hasPrefix("+") || s.hasPrefix("-") && Double(s) == nil || s.hasPrefix("@")
        // A leading =, +, -, @ would run as a formula in Excel: prefix a quote mark (OWASP CSV injection).
        let safe = (s.hasPrefix("=") || s.hasPrefix("+") || s.hasPrefix("@") || (s.hasPrefix("-") && Double(s) == nil)) ? "'" + s : s
        guard needs else { return safe }
        var out = "\""
        for ch in safe { out += ch == "\"" ? "\"\"" : String(ch) }
        return out + "\""
    }

    /// Fixed-point text with `decimals` places, half away from zero, no exponent.
    static func fixed(_ v: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(v) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int64(scaled / scale)
        var frac = String(Int64(scaled) - whole * Int64(scale))
        while frac.count < decimals { frac = "0" + frac }
        let sign = v < 0 && scaled != 0 ? "-" : ""
        return decimals == 0 ? sign + String(whole) : sign + String(whole) + "." + frac
    }
}

extension String {
    func replacingDots() -> String { String(map { $0 == "." ? "," : $0 }) }
}

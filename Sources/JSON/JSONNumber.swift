/// Number grammar (RFC 8259 §6) and number text formatting, shared by parser and writer.
enum JSONNumber {
    /// Scans one number starting at `start`. Returns the index after it, or the offset and
    /// message of the first byte that breaks the grammar
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int)
        -> Result<Int, ScanFailure> {
        var i = start
        let n = bytes.count
        if i < n && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(bytes[i]) else {
            return .failure(ScanFailure(offset: i, message: "expected a digit"))
        }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < n && isDigit(bytes[i]) {
                return .failure(ScanFailure(offset: i, message: "leading zero in number"))
            }
        } else {
            while i < n && isDigit(bytes[i]) { i += 1 }
        }
        if i < n && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(bytes[i]) else {
                return .failure(ScanFailure(offset: i, message: "expected a digit after '.'"))
            }
            while i < n && isDigit(bytes[i]) { i += 1 }
        }
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < n, isDigit(bytes[i]) else {
                return .failure(ScanFailure(offset: i, message: "expected a digit in exponent"))
            }
            while i < n && isDigit(bytes[i]) { i += 1 }
        }
        return .success(i)
    }

    struct ScanFailure: Error {
        let offset: Int
        let message: String
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// Whether `text` is exactly one valid JSON number.
    static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard !buffer.isEmpty, case .success(let end) = scan(buffer, from: 0) else {
                return false
            }
            return end == buffer.count
        }
    }

    /// `Int64` for text of the form `-?[0-9]+` that fits; nil otherwise.
    static func int64(_ text: String) -> Int64? {
        var digits = 0
        for (i, b) in text.utf8.enumerated() {
            if i == 0 && b == UInt8(ascii: "-") { continue }
            guard isDigit(b) else { return nil }
            digits += 1
        }
        guard digits > 0 else { return nil }
        return Int64(text)
    }

    // MARK: Formatting

    /// A finite double as sign, significant digits (no leading/trailing zeros, empty for
    /// zero) and the decimal point position: value = 0.d1d2…dn × 10^pointPosition.
    struct Decimal {
        var negative: Bool
        var digits: [UInt8]     // ASCII digits
        var pointPosition: Int
    }

    /// Decomposes the shortest round-trip text Swift prints for `v` (e.g. "1.5e-05").
    static func decimal(_ v: Double) -> Decimal {
        var negative = false
        var digits: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for b in v.description.utf8 {
            switch b {
            case UInt8(ascii: "-"):
                if inExponent { exponentNegative = true } else { negative = true }
            case UInt8(ascii: "+"):
                break
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            default:
                let d = Int(b &- UInt8(ascii: "0"))
                if inExponent {
                    exponent = exponent * 10 + d
                } else {
                    digits.append(b)
                    if !seenPoint { integerDigits += 1 }
                }
            }
        }
        var point = integerDigits + (exponentNegative ? -exponent : exponent)
        var leading = 0
        while leading < digits.count && digits[leading] == UInt8(ascii: "0") { leading += 1 }
        point -= leading
        var trailing = digits.count
        while trailing > leading && digits[trailing - 1] == UInt8(ascii: "0") { trailing -= 1 }
        return Decimal(negative: negative, digits: Array(digits[leading..<trailing]),
                       pointPosition: point)
    }

    /// Shortest text that reads back as `v`: plain notation for 1e-4 ≤ |v| < 1e15,
    /// otherwise `d.ddde±X`. Negative zero stays `-0` (it round-trips). Nil if not finite.
    static func shortestText(_ v: Double) -> String? {
        guard v.isFinite else { return nil }
        let d = decimal(v)
        if d.digits.isEmpty { return d.negative ? "-0" : "0" }
        if d.pointPosition >= -3 && d.pointPosition <= 15 {
            return plain(d)
        }
        return scientific(d)
    }

    /// `v` rounded half away from zero at `decimals` places (clamped to 0...20), from its
    /// shortest decimal text. Plain notation below 1e15; a zero result prints as `0`.
    static func roundedText(_ v: Double, decimals: Int) -> String? {
        guard v.isFinite else { return nil }
        let decimals = min(max(decimals, 0), 20)
        var d = decimal(v)
        let keep = d.pointPosition + decimals
        if keep < 0 {
            d.digits = []
        } else if keep < d.digits.count {
            let roundUp = d.digits[keep] >= UInt8(ascii: "5")
            d.digits.removeSubrange(keep...)
            if roundUp {
                var i = d.digits.count - 1
                while i >= 0 && d.digits[i] == UInt8(ascii: "9") {
                    d.digits[i] = UInt8(ascii: "0")
                    i -= 1
                }
                if i >= 0 {
                    d.digits[i] += 1
                } else {
                    d.digits.insert(UInt8(ascii: "1"), at: 0)
                    d.pointPosition += 1
                }
            }
            while let last = d.digits.last, last == UInt8(ascii: "0") { d.digits.removeLast() }
        }
        if d.digits.isEmpty { return "0" }
        return d.pointPosition <= 15 ? plain(d) : scientific(d)
    }

    private static func plain(_ d: Decimal) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(d.digits.count + 24)
        if d.negative { out.append(UInt8(ascii: "-")) }
        let p = d.pointPosition
        if p <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -p))
            out.append(contentsOf: d.digits)
        } else if p >= d.digits.count {
            out.append(contentsOf: d.digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: p - d.digits.count))
        } else {
            out.append(contentsOf: d.digits[..<p])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: d.digits[p...])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func scientific(_ d: Decimal) -> String {
        var out: [UInt8] = []
        if d.negative { out.append(UInt8(ascii: "-")) }
        out.append(d.digits[0])
        if d.digits.count > 1 {
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: d.digits[1...])
        }
        let exponent = d.pointPosition - 1
        out.append(UInt8(ascii: "e"))
        out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        out.append(contentsOf: String(abs(exponent)).utf8)
        return String(decoding: out, as: UTF8.self)
    }
}

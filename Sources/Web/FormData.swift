import HTTP

/// `application/x-www-form-urlencoded` bodies and query strings (HTML Living Standard
/// §4.10.21.8; `+` is a space). A key given twice keeps its first value; a malformed escape
/// makes the whole body unreadable (nil), so a half-read form is never acted on.
struct FormData {
    private(set) var values: [String: String] = [:]

    init() {}

    init?(_ text: Substring) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = FormData.decode(kv[0]), let value = FormData.decode(kv.count > 1 ? kv[1] : "") else { return nil }
            if values[key] == nil { values[key] = value }
        }
    }

    init?(body: [UInt8]) {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        self.init(Substring(text))
    }

    subscript(_ key: String) -> String? { values[key] }

    /// The value with surrounding white space removed; nil when absent or blank.
    func trimmed(_ key: String) -> String? {
        guard let v = values[key] else { return nil }
        let t = v.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        var s = Substring(t)
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return s.isEmpty ? nil : String(s)
    }

    static func decode(_ s: Substring) -> String? { percentDecode(s, plusIsSpace: true) }

    /// Percent-encodes a value for a query string (unreserved characters stay, RFC 3986 §2.3).
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case 48...57, 65...90, 97...122, 45, 46, 95, 126, 47: out.unicodeScalars.append(UnicodeScalar(b))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%" + String(UnicodeScalar(digits[Int(b >> 4)])) + String(UnicodeScalar(digits[Int(b & 15)]))
            }
        }
        return out
    }
}

/// The `Cookie` request header (RFC 6265 §5.4): `name=value; name2=value2`.
enum Cookies {
    static func value(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            var key = kv[0]
            while key.first == " " { key.removeFirst() }
            if key == name { return String(kv[1]) }
        }
        return nil
    }
}

/// RFC 3986 §2.1 percent-decoding; nil for a bad escape or invalid UTF-8. `plusIsSpace` for
/// form-style query strings and `application/x-www-form-urlencoded` bodies (HTML Living
/// Standard §4.10.21.8). Shared by the API's router and query parser and the web pages' forms.
public func percentDecode(_ s: Substring, plusIsSpace: Bool = false) -> String? {
    var out: [UInt8] = []
    var it = Array(s.utf8)[...]
    while let c = it.popFirst() {
        if c == UInt8(ascii: "%") {
            guard it.count >= 2, let h = hexValue(it[it.startIndex]), let l = hexValue(it[it.startIndex + 1]) else { return nil }
            out.append(UInt8(h << 4 | l))
            it = it.dropFirst(2)
        } else if plusIsSpace && c == UInt8(ascii: "+") {
            out.append(UInt8(ascii: " "))
        } else {
            out.append(c)
        }
    }
    return String(validating: out, as: UTF8.self)
}

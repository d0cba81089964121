/// Strict RFC 8259 parser over a byte buffer with one index.
///
/// Iterative (an explicit stack of open containers), so `maxDepth` bounds memory, not the
/// call stack. Rejected, each with the offset of the offending byte:
/// - a UTF-8 byte order mark at the start (§8.1 says senders MUST NOT add one; we reject it);
/// - anything but space, tab, LF, CR between tokens and after the top-level value;
/// - trailing commas, comments, single quotes, `NaN`/`Infinity`;
/// - numbers with a leading zero (`01`), a plus sign, `.5`, `1.` or an empty exponent;
/// - control characters below U+0020 inside strings, unknown escapes, lone surrogates in
///   `\u` escapes, and invalid UTF-8 (overlong forms, encoded surrogates, > U+10FFFF);
/// - a key repeated in one object;
/// - containers nested deeper than `maxDepth`.
/// Any value is accepted at the top level.
struct JSONParser {
    struct Failure: Error {
        let offset: Int
        let message: String
    }

    /// One open container. Kept in an array and mutated in place, so appending to a
    /// large array or object never copies it.
    private struct Frame {
        var isObject: Bool
        var items: [JSONValue] = []
        var object = JSONObject()
        var key = ""
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var i = 0
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(Failure) -> JSONValue {
        let n = bytes.count
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw Failure(offset: 0, message: "byte order mark not allowed")
        }
        var stack: [Frame] = []
        var value: JSONValue
        nextValue: while true {
            skipWhitespace()
            guard i < n else { throw Failure(offset: n, message: "unexpected end of input") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                guard stack.count < maxDepth else { throw tooDeep() }
                i += 1
                skipWhitespace()
                if i < n && bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    value = .object(JSONObject())
                } else {
                    var frame = Frame(isObject: true)
                    frame.key = try parseKey(notIn: frame.object)
                    stack.append(frame)
                    continue nextValue
                }
            case UInt8(ascii: "["):
                guard stack.count < maxDepth else { throw tooDeep() }
                i += 1
                skipWhitespace()
                if i < n && bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    value = .array([])
                } else {
                    stack.append(Frame(isObject: false))
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            default:
                throw unexpected(at: i, "")
            }

            // A value is complete: hand it to the innermost open container, closing
            // containers as long as their closing bracket follows.
            while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    guard i == n else { throw unexpected(at: i, " after the top-level value") }
                    return value
                }
                let top = stack.count - 1
                skipWhitespace()
                guard i < n else { throw Failure(offset: n, message: "unexpected end of input") }
                let b = bytes[i]
                if stack[top].isObject {
                    stack[top].object.appendNew(stack[top].key, value)
                    if b == UInt8(ascii: ",") {
                        i += 1
                        skipWhitespace()
                        try rejectTrailingComma(before: UInt8(ascii: "}"))
                        stack[top].key = try parseKey(notIn: stack[top].object)
                        continue nextValue
                    }
                    guard b == UInt8(ascii: "}") else { throw unexpected(at: i, ", expected ',' or '}'") }
                    i += 1
                    value = .object(stack.removeLast().object)
                } else {
                    stack[top].items.append(value)
                    if b == UInt8(ascii: ",") {
                        i += 1
                        skipWhitespace()
                        try rejectTrailingComma(before: UInt8(ascii: "]"))
                        continue nextValue
                    }
                    guard b == UInt8(ascii: "]") else { throw unexpected(at: i, ", expected ',' or ']'") }
                    i += 1
                    value = .array(stack.removeLast().items)
                }
            }
        }
    }

    // MARK: Tokens

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                i += 1
            default:
                return
            }
        }
    }

    private func rejectTrailingComma(before closer: UInt8) throws(Failure) {
        if i < bytes.count && bytes[i] == closer {
            throw Failure(offset: i, message: "trailing comma before '\(Character(Unicode.Scalar(closer)))'")
        }
    }

    /// Parses `"key"` and the `:` after it; rejects a key already in `object`.
    private mutating func parseKey(notIn object: JSONObject) throws(Failure) -> String {
        guard i < bytes.count else { throw Failure(offset: i, message: "unexpected end of input") }
        guard bytes[i] == UInt8(ascii: "\"") else { throw unexpected(at: i, ", expected a string key") }
        let start = i
        let key = try parseString()
        if object.contains(key: key) {
            throw Failure(offset: start, message: "duplicate key \(JSON.serializeToString(.string(key)))")
        }
        skipWhitespace()
        guard i < bytes.count else { throw Failure(offset: i, message: "unexpected end of input") }
        guard bytes[i] == UInt8(ascii: ":") else { throw unexpected(at: i, ", expected ':'") }
        i += 1
        return key
    }

    private mutating func expectLiteral(_ word: StaticString) throws(Failure) {
        let start = i
        let count = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { w in
            guard start + count <= bytes.count else { return false }
            for k in 0..<count where bytes[start + k] != w[k] { return false }
            return true
        }
        guard matches else { throw Failure(offset: start, message: "invalid literal, expected '\(word)'") }
        i += count
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = i
        switch JSONNumber.scan(bytes, from: start) {
        case .success(let end):
            i = end
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        case .failure(let failure):
            throw Failure(offset: failure.offset, message: failure.message)
        }
    }

    // MARK: Strings

    /// Parses a string starting at its opening quote. Runs of plain bytes are validated in
    /// place and copied once; only escapes go through the scratch buffer.
    private mutating func parseString() throws(Failure) -> String {
        i += 1
        var runStart = i
        var escaped = false
        let n = bytes.count
        while true {
            guard i < n else { throw Failure(offset: n, message: "unterminated string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<i])
                i += 1
                if !escaped { return String(decoding: run, as: UTF8.self) }
                scratch.append(contentsOf: run)
                return String(decoding: scratch, as: UTF8.self)
            } else if b == UInt8(ascii: "\\") {
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                try parseEscape()
                runStart = i
            } else if b < 0x20 {
                throw Failure(offset: i, message: "unescaped control character \(hex(UInt32(b))) in string")
            } else if b < 0x80 {
                i += 1
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `i` (RFC 3629 §4) and moves past it.
    private mutating func skipUTF8Sequence() throws(Failure) {
        let lead = bytes[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0          // no overlong forms
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F         // no encoded surrogates
        case 0xF0: length = 4; low = 0x90          // no overlong forms
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F         // nothing above U+10FFFF
        default: throw Failure(offset: i, message: "invalid UTF-8")
        }
        for k in 1..<length {
            let at = i + k
            guard at < bytes.count else { throw Failure(offset: at, message: "invalid UTF-8") }
            let b = bytes[at]
            let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard b >= lo && b <= hi else { throw Failure(offset: at, message: "invalid UTF-8") }
        }
        i += length
    }

    /// Parses one escape at `i` (the backslash) into `scratch`.
    private mutating func parseEscape() throws(Failure) {
        let start = i
        guard i + 1 < bytes.count else { throw Failure(offset: bytes.count, message: "unterminated string") }
        let c = bytes[i + 1]
        i += 2
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(c)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            var scalar = unit
            if (0xD800...0xDBFF).contains(unit) {
                guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                    throw Failure(offset: start, message: "lone high surrogate \(hex(unit)) in \\u escape")
                }
                i += 2
                let next = try parseHex4()
                guard (0xDC00...0xDFFF).contains(next) else {
                    throw Failure(offset: start, message: "lone high surrogate \(hex(unit)) in \\u escape")
                }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (next - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw Failure(offset: start, message: "lone low surrogate \(hex(unit)) in \\u escape")
            }
            appendUTF8(scalar)
        default:
            throw Failure(offset: start, message: "invalid escape")
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard i < bytes.count else { throw Failure(offset: i, message: "unterminated \\u escape") }
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw Failure(offset: i, message: "invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: Errors

    private func tooDeep() -> Failure {
        Failure(offset: i, message: "nesting deeper than \(maxDepth)")
    }

    /// "unexpected ','" plus context; names the byte readably.
    private func unexpected(at offset: Int, _ context: String) -> Failure {
        let b = bytes[offset]
        let what: String
        switch b {
        case UInt8(ascii: "'"): what = "single quote (strings use '\"')"
        case UInt8(ascii: "/"): what = "'/' (comments are not allowed)"
        case 0x21...0x7E: what = "'\(Character(Unicode.Scalar(b)))'"
        default: what = "byte \(hex(UInt32(b)))"
        }
        return Failure(offset: offset, message: "unexpected \(what)\(context)")
    }

    private func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        let width = v > 0xFF ? 4 : 2
        return (v > 0xFF ? "U+" : "0x") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// The request-head parser (RFC 9112 §2–§6), usable alone for tests and fuzzing.
///
/// Contract, after picohttpparser: `parse` looks at the bytes from the start of a buffer and
/// answers `.complete(consumed:)` (the head is the first `consumed` bytes; `head` holds it),
/// `.incomplete` (need more bytes; call again with the longer buffer), or
/// `.invalid(status:reason:)` (answer `status` and close). It keeps no state between calls and
/// builds no strings until the head is complete: fields are recorded as byte ranges.
///
/// Decisions (each tested): line ends must be CRLF — a bare LF or bare CR anywhere in the head
/// is a 400 (RFC 9112 §2.2 allows tolerating bare LF; we do not, to leave no room for
/// smuggling through parsers that disagree). Leading empty lines are skipped (§2.2).
public struct HTTPParser {
    public enum Result: Equatable {
        case complete(consumed: Int), incomplete, invalid(status: Int, reason: String)
    }

    /// Limits, kept apart from the parser as swift-nio keeps its decoder limits.
    public struct Limits: Sendable, Equatable {
        /// Request line plus fields plus the empty line; over this → 431.
        public var maxHeaderBytes: Int
        /// Request-target length; over this → 414.
        public var maxTargetBytes: Int
        /// A Content-Length above this → 413 (the chunked decoder counts as data arrives).
        public var maxBodyBytes: Int
        /// Number of header fields; over this → 431.
        public var maxHeaderCount: Int

        public init(maxHeaderBytes: Int = 16 * 1024, maxTargetBytes: Int = 8 * 1024,
                    maxBodyBytes: Int = 1024 * 1024, maxHeaderCount: Int = 128) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxTargetBytes = maxTargetBytes
            self.maxBodyBytes = maxBodyBytes
            self.maxHeaderCount = maxHeaderCount
        }
    }

    /// How the message body is delimited (RFC 9112 §6.3).
    public enum BodyFraming: Sendable, Equatable {
        case none
        case contentLength(Int)
        case chunked
    }

    /// A complete, validated request head.
    public struct RequestHead: Sendable, Equatable {
        public var method: String
        public var target: String
        public var version: HTTPVersion
        public var headers: HTTPHeaders
        public var framing: BodyFraming
        /// Whether the connection may stay open after the response (RFC 9112 §9.3).
        public var keepAlive: Bool
        /// `Expect: 100-continue` was sent (RFC 9110 §10.1.1).
        public var expectsContinue: Bool
    }

    public var limits: Limits
    /// The head found by the last `.complete` parse.
    public private(set) var head: RequestHead?

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public mutating func parse(_ bytes: [UInt8]) -> Result {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    public mutating func parse(_ bytes: ArraySlice<UInt8>) -> Result {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        head = nil
        var scan = HeadScanner(bytes: bytes, limits: limits)
        let result = scan.run()
        guard case .complete = result else { return result }
        switch scan.interpret() {
        case .success(let parsed):
            head = parsed
            return result
        case .failure(let failure):
            return .invalid(status: failure.status, reason: failure.reason)
        }
    }
}

struct ParseFailure: Error {
    var status: Int
    var reason: String
}

// MARK: - Byte classes

let CR: UInt8 = 13, LF: UInt8 = 10, SP: UInt8 = 32, HTAB: UInt8 = 9

/// tchar (RFC 9110 §5.6.2).
let tcharTable: [Bool] = (0..<256).map { value in
    let byte = UInt8(value)
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
         UInt8(ascii: "A")...UInt8(ascii: "Z"):
        return true
    default:
        return "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}

@inline(__always) func isTchar(_ byte: UInt8) -> Bool { tcharTable[Int(byte)] }

/// field-vchar / obs-text / SP / HTAB (RFC 9110 §5.5): any byte but CTLs other than HTAB.
@inline(__always) func isFieldValueByte(_ byte: UInt8) -> Bool {
    byte == HTAB || (byte >= 0x20 && byte != 0x7F)
}

// MARK: - Scanner

private struct HeadScanner {
    let b: UnsafeBufferPointer<UInt8>
    let limits: Limits
    var i = 0
    var methodRange = 0..<0
    var targetRange = 0..<0
    var version = HTTPVersion.http11
    /// name start, name end, value start, value end for each field.
    var fieldRanges: [(Int, Int, Int, Int)] = []

    typealias Limits = HTTPParser.Limits
    typealias Result = HTTPParser.Result

    init(bytes: UnsafeBufferPointer<UInt8>, limits: Limits) {
        self.b = bytes
        self.limits = limits
    }

    /// Out of bytes: wait for more unless the head is already over its limit.
    func incomplete() -> Result {
        b.count > limits.maxHeaderBytes
            ? .invalid(status: 431, reason: "request head exceeds \(limits.maxHeaderBytes) bytes")
            : .incomplete
    }

    static func bad(_ reason: String) -> Result { .invalid(status: 400, reason: reason) }

    mutating func run() -> Result {
        let n = b.count
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
        while i < n, b[i] == CR {
            if i + 1 == n { return incomplete() }
            guard b[i + 1] == LF else { return Self.bad("bare CR before request line") }
            i += 2
        }
        if i == n { return incomplete() }

        // RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF
        let methodStart = i
        while i < n, isTchar(b[i]) { i += 1 }
        if i == n { return incomplete() }
        guard b[i] == SP else {
            if b[i] == LF { return Self.bad("bare LF in request line") }
            return Self.bad("invalid character in method")
        }
        guard i > methodStart else { return Self.bad("empty method") }
        methodRange = methodStart..<i
        i += 1

        let targetStart = i
        while i < n, b[i] > 0x20, b[i] < 0x7F {
            // RFC 9112 §3.2: the request-target never carries a fragment (RFC 3986 §3.5 "#").
            if b[i] == UInt8(ascii: "#") { return Self.bad("fragment (#) in request-target") }
            i += 1
            // RFC 9112 §3: a server that receives a target longer than it wishes to parse → 414.
            if i - targetStart > limits.maxTargetBytes {
                return .invalid(status: 414, reason: "request-target exceeds \(limits.maxTargetBytes) bytes")
            }
        }
        if i == n { return incomplete() }
        guard b[i] == SP else { return Self.bad("invalid character in request-target") }
        guard i > targetStart else { return Self.bad("empty request-target") }
        targetRange = targetStart..<i
        i += 1

        // RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT
        let pattern = Array("HTTP/0.0".utf8)
        for k in 0..<8 {
            if i + k == n { return incomplete() }
            let byte = b[i + k]
            let ok = (k == 5 || k == 7) ? (byte >= 0x30 && byte <= 0x39) : byte == pattern[k]
            guard ok else { return Self.bad("invalid HTTP version") }
        }
        switch (b[i + 5], b[i + 7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): version = .http11
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): version = .http10
        default: return .invalid(status: 505, reason: "HTTP version not supported")
        }
        i += 8
        if let failure = expectCRLF(after: "request line") { return failure }
        if i == n { return incomplete() }

        // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS, each ending in CRLF.
        while true {
            if i == n { return incomplete() }
            let c = b[i]
            if c == CR {
                if i + 1 == n { return incomplete() }
                guard b[i + 1] == LF else { return Self.bad("bare CR in header section") }
                i += 2
                break
            }
            if c == LF { return Self.bad("bare LF in header section") }
            // RFC 9112 §5.2: obs-fold is rejected with 400.
            if c == SP || c == HTAB { return Self.bad("obsolete line folding or whitespace before field name") }

            let nameStart = i
            while i < n, isTchar(b[i]) { i += 1 }
            if i == n { return incomplete() }
            guard b[i] == UInt8(ascii: ":") else {
                // RFC 9112 §5.1: no whitespace is allowed between the field name and colon → 400.
                if b[i] == SP || b[i] == HTAB { return Self.bad("whitespace between field name and colon") }
                return Self.bad("invalid character in field name")
            }
            guard i > nameStart else { return Self.bad("empty field name") }
            let nameEnd = i
            i += 1
            while i < n, b[i] == SP || b[i] == HTAB { i += 1 }
            let valueStart = i
            var valueEnd = i
            while true {
                if i == n { return incomplete() }
                let v = b[i]
                if v == CR { break }
                if v == LF { return Self.bad("bare LF in header section") }
                guard isFieldValueByte(v) else { return Self.bad("control character in field value") }
                i += 1
                if v != SP && v != HTAB { valueEnd = i }
            }
            if let failure = expectCRLF(after: "field line") { return failure }
            fieldRanges.append((nameStart, nameEnd, valueStart, valueEnd))
            if fieldRanges.count > limits.maxHeaderCount {
                return .invalid(status: 431, reason: "more than \(limits.maxHeaderCount) header fields")
            }
            if i > limits.maxHeaderBytes { return tooLarge() }
        }
        if i > limits.maxHeaderBytes { return tooLarge() }
        return .complete(consumed: i)
    }

    func tooLarge() -> Result {
        .invalid(status: 431, reason: "request head exceeds \(limits.maxHeaderBytes) bytes")
    }

    /// Consumes CRLF at `i`; nil on success or when out of bytes (the caller checks `i == n`).
    mutating func expectCRLF(after what: String) -> Result? {
        let n = b.count
        if i == n { return nil }
        guard b[i] == CR else {
            return b[i] == LF ? Self.bad("bare LF after \(what)") : Self.bad("unexpected byte after \(what)")
        }
        if i + 1 == n { i = n; return nil }
        guard b[i + 1] == LF else { return Self.bad("bare CR after \(what)") }
        i += 2
        return nil
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
    }

    /// Builds the head and applies the framing rules of RFC 9112 §6 and §3.2.
    func interpret() -> Swift.Result<HTTPParser.RequestHead, ParseFailure> {
        func bad(_ reason: String) -> Swift.Result<HTTPParser.RequestHead, ParseFailure> {
            .failure(ParseFailure(status: 400, reason: reason))
        }
        let method = string(methodRange)
        let target = string(targetRange)
        var headers = HTTPHeaders()
        headers.fields.reserveCapacity(fieldRanges.count)
        for (ns, ne, vs, ve) in fieldRanges {
            headers.fields.append(.init(name: string(ns..<ne), value: string(vs..<max(vs, ve))))
        }

        // RFC 9112 §3.2: origin-form, absolute-form, or "*" for OPTIONS (asterisk-form).
        let first = b[targetRange.lowerBound]
        if first == UInt8(ascii: "*") {
            guard targetRange.count == 1, method == "OPTIONS" else { return bad("asterisk-form is only for OPTIONS") }
        } else if first != UInt8(ascii: "/") {
            guard isAbsoluteForm(targetRange) else { return bad("request-target is not origin-form or absolute-form") }
        }

        // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any
        // HTTP/1.1 request message that lacks a Host header field and to any request message
        // that contains more than one Host header field line or a Host header field with an
        // invalid field value."
        let hosts = headers.values("Host")
        if hosts.isEmpty && version == .http11 { return bad("Host is required in HTTP/1.1") }
        if hosts.count > 1 { return bad("more than one Host field") }
        if let host = hosts.first, !isValidHost(host) { return bad("invalid Host") }

        let transferEncodings = headers.values("Transfer-Encoding")
        let contentLengths = headers.values("Content-Length")
        var framing = HTTPParser.BodyFraming.none
        if !transferEncodings.isEmpty {
            // RFC 9112 §6.3 (3): both present is a smuggling shape; we reject instead of ignoring.
            if !contentLengths.isEmpty { return bad("both Content-Length and Transfer-Encoding") }
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
            if version == .http10 { return bad("Transfer-Encoding in an HTTP/1.0 request") }
            let codings = transferEncodings
                .flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { String(String($0).trimmingOWS).asciiLowercased }
            // RFC 9112 §6.3 (4): chunked must be the final coding, applied once (§7).
            guard codings.last == "chunked" else { return bad("chunked is not the final transfer coding") }
            guard codings.filter({ $0 == "chunked" }).count == 1 else { return bad("chunked applied more than once") }
            // RFC 9112 §6.1: an unknown transfer coding → 501; we implement only chunked.
            if codings.count > 1 {
                return .failure(ParseFailure(status: 501, reason: "unsupported transfer coding"))
            }
            framing = .chunked
        } else if !contentLengths.isEmpty {
            // RFC 9112 §6.3 (5): differing values or a list are unrecoverable → 400.
            var length: Int?
            for text in contentLengths {
                guard let value = parseContentLength(text) else { return bad("invalid Content-Length") }
                if let known = length, known != value { return bad("conflicting Content-Length values") }
                length = value
            }
            if let length {
                if length > limits.maxBodyBytes {
                    return .failure(ParseFailure(status: 413, reason: "Content-Length \(length) exceeds \(limits.maxBodyBytes)"))
                }
                framing = length > 0 ? .contentLength(length) : .none
            }
        }

        // RFC 9112 §9.3: persistence by version and the Connection options.
        var close = false, keepAliveOption = false
        for value in headers.values("Connection") {
            for option in value.split(separator: ",") {
                let token = String(String(option).trimmingOWS).asciiLowercased
                if token == "close" { close = true }
                if token == "keep-alive" { keepAliveOption = true }
            }
        }
        let keepAlive = !close && (version == .http11 || keepAliveOption)
        let expectsContinue = headers["Expect"].map {
            asciiCaseInsensitiveEquals(String($0.trimmingOWS), "100-continue")
        } ?? false

        return .success(HTTPParser.RequestHead(method: method, target: target, version: version,
                                               headers: headers, framing: framing,
                                               keepAlive: keepAlive, expectsContinue: expectsContinue))
    }

    /// scheme "://" ... (RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )).
    func isAbsoluteForm(_ range: Range<Int>) -> Bool {
        var k = range.lowerBound
        guard isAlpha(b[k]) else { return false }
        while k < range.upperBound, isAlpha(b[k]) || (b[k] >= 0x30 && b[k] <= 0x39)
                || b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-") || b[k] == UInt8(ascii: ".") {
            k += 1
        }
        return range.upperBound - k > 3 && b[k] == UInt8(ascii: ":")
            && b[k + 1] == UInt8(ascii: "/") && b[k + 2] == UInt8(ascii: "/")
    }

    func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
}

/// Host = uri-host [ ":" port ] (RFC 9110 §7.2; RFC 3986 §3.2.2): an IP-literal in brackets
/// or a reg-name of unreserved, pct-encoded and sub-delims characters, then digits. No
/// userinfo (`user@host`), no whitespace or path. A comma is refused although RFC 3986 allows
/// it in a reg-name: Host is a singleton, and a list is what two Host lines become when an
/// intermediary joins them (RFC 9110 §5.3). Empty is valid (§7.2: no authority).
func isValidHost(_ value: String) -> Bool {
    var text = value
    return text.withUTF8 { isValidHost(bytes: $0) }
}

private func isValidHost(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    if bytes.first == UInt8(ascii: "[") {
        // IP-literal: IPv6address or IPvFuture; checked by character class, not by shape.
        guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1 else { return false }
        for byte in bytes[1..<close] where !(hexValue(byte) != nil || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
                                             || byte == UInt8(ascii: "v") || byte == UInt8(ascii: "V")) {
            return false
        }
        i = close + 1
    } else {
        while i < bytes.count, bytes[i] != UInt8(ascii: ":") {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, hexValue(bytes[i + 1]) != nil, hexValue(bytes[i + 2]) != nil else { return false }
                i += 3
                continue
            }
            guard isRegNameByte(byte) else { return false }
            i += 1
        }
    }
    if i == bytes.count { return true }
    guard bytes[i] == UInt8(ascii: ":") else { return false }
    return bytes[(i + 1)...].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
}

/// unreserved / sub-delims of RFC 3986 §2, without ",".
@inline(__always) func isRegNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    default:
        return "-._~!$&'()*+;=".utf8.contains(byte)
    }
}

/// Content-Length = 1*DIGIT (RFC 9110 §8.6). No sign, no list, no whitespace inside; values
/// above 10^18 are treated as overflow.
func parseContentLength(_ text: String) -> Int? {
    var value = 0
    var digits = 0
    for byte in text.utf8 {
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        if value == 0 && byte == 0x30 { digits = max(digits, 1); continue }
        digits += 1
        guard digits <= 18 else { return nil }
        value = value * 10 + Int(byte - 0x30)
    }
    return digits > 0 ? value : nil
}

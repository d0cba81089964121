/// Incremental decoder for the chunked transfer coding (RFC 9112 §7.1).
///
/// Contract (same results as `HTTPParser`): `decode` reads `bytes` and appends chunk data to
/// `body`. `.incomplete` means every byte given was consumed into the decoder's state: pass only
/// new bytes next time. `.complete(consumed:)` means the body ended after `consumed` of the given
/// bytes; the rest belongs to the next request. `.invalid` is 400 (bad framing), 413 (body over
/// the limit) or 431 (trailer section too large).
///
/// Strictness (chosen to match llhttp's strict mode): no whitespace around the chunk size or
/// inside chunk extensions; extensions must be well formed (`;name[=token|quoted-string]`) and are
/// then ignored; trailer lines must be field lines and are then ignored (§7.1.2); every line
/// ends in CRLF.
public struct ChunkedDecoder: Sendable {
    public var maxBodyBytes: Int
    public var maxTrailerBytes: Int
    /// Chunk-size line (size plus extensions) length cap, so extensions cannot stream forever.
    public var maxChunkLineBytes: Int = 4096
    /// Body bytes decoded so far.
    public private(set) var decodedBytes = 0

    enum State {
        case size, extStart, extName, extValueStart, extToken, extQuoted, extQuotedEscape,
             extQuotedEnd, sizeLF, data, dataCR, dataLF, trailerLineStart, trailerName, trailerLine,
             trailerLineLF, finalLF, done
    }

    var state = State.size
    var size = 0
    var sizeDigits = 0
    var lineBytes = 0
    var trailerBytes = 0

    public init(maxBodyBytes: Int = 1024 * 1024, maxTrailerBytes: Int = 16 * 1024) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    public var isDone: Bool { state == .done }

    public mutating func decode(_ bytes: [UInt8], into body: inout [UInt8]) -> HTTPParser.Result {
        bytes.withUnsafeBufferPointer { decode($0, into: &body) }
    }

    public mutating func decode(_ bytes: ArraySlice<UInt8>, into body: inout [UInt8]) -> HTTPParser.Result {
        bytes.withUnsafeBufferPointer { decode($0, into: &body) }
    }

    public mutating func decode(_ b: UnsafeBufferPointer<UInt8>, into body: inout [UInt8]) -> HTTPParser.Result {
        func bad(_ reason: String) -> HTTPParser.Result { .invalid(status: 400, reason: reason) }
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            switch state {
            case .size:
                if let digit = hexValue(c) {
                    // chunk-size = 1*HEXDIG; refuse sizes that overflow or exceed the body limit.
                    guard sizeDigits < 15 else { return bad("chunk size overflow") }
                    size = size * 16 + digit
                    sizeDigits += 1
                    if size > maxBodyBytes - decodedBytes {
                        return .invalid(status: 413, reason: "chunked body exceeds \(maxBodyBytes) bytes")
                    }
                } else if sizeDigits == 0 {
                    return bad("invalid chunk size")
                } else if c == UInt8(ascii: ";") {
                    state = .extStart
                } else if c == CR {
                    state = .sizeLF
                } else {
                    return bad("invalid character after chunk size")
                }
            // chunk-ext = *( ";" chunk-ext-name [ "=" chunk-ext-val ] ) (RFC 9112 §7.1.1)
            case .extStart:
                guard isTchar(c) else { return bad("invalid chunk extension name") }
                state = .extName
            case .extName:
                if isTchar(c) { break }
                if c == UInt8(ascii: "=") { state = .extValueStart }
                else if c == UInt8(ascii: ";") { state = .extStart }
                else if c == CR { state = .sizeLF }
                else { return bad("invalid character in chunk extension") }
            case .extValueStart:
                if c == UInt8(ascii: "\"") { state = .extQuoted }
                else if isTchar(c) { state = .extToken }
                else { return bad("invalid chunk extension value") }
            case .extToken:
                if isTchar(c) { break }
                if c == UInt8(ascii: ";") { state = .extStart }
                else if c == CR { state = .sizeLF }
                else { return bad("invalid character in chunk extension value") }
            case .extQuoted:
                // quoted-string (RFC 9110 §5.6.4): qdtext / quoted-pair.
                if c == UInt8(ascii: "\"") { state = .extQuotedEnd }
                else if c == UInt8(ascii: "\\") { state = .extQuotedEscape }
                else if !(c == HTAB || (c >= 0x20 && c != 0x7F)) { return bad("invalid character in quoted chunk extension") }
            case .extQuotedEscape:
                guard c == HTAB || (c >= 0x20 && c != 0x7F) else { return bad("invalid quoted-pair in chunk extension") }
                state = .extQuoted
            case .extQuotedEnd:
                if c == UInt8(ascii: ";") { state = .extStart }
                else if c == CR { state = .sizeLF }
                else { return bad("invalid character after quoted chunk extension") }
            case .sizeLF:
                guard c == LF else { return bad("chunk size line not terminated by CRLF") }
                lineBytes = 0
                state = size == 0 ? .trailerLineStart : .data
            case .data:
                let take = min(size, n - i)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + take)]))
                decodedBytes += take
                size -= take
                i += take
                if size == 0 { state = .dataCR }
                continue
            case .dataCR:
                guard c == CR else { return bad("chunk data not terminated by CRLF") }
                state = .dataLF
            case .dataLF:
                guard c == LF else { return bad("chunk data not terminated by CRLF") }
                size = 0
                sizeDigits = 0
                state = .size
            // trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2), each line a valid
            // field-line (§5: field-name ":" OWS field-value OWS); ignored once checked. A
            // request line or other garbage swallowed here is refused, not skipped.
            case .trailerLineStart:
                if c == CR { state = .finalLF }
                else if c == SP || c == HTAB { return bad("obsolete line folding in trailer") }
                else if !isTchar(c) { return bad("invalid trailer field name") }
                else { state = .trailerName }
            case .trailerName:
                if c == UInt8(ascii: ":") { state = .trailerLine }
                else if !isTchar(c) { return bad("trailer line is not a field line (name \":\" value)") }
            case .trailerLine:
                if c == CR { state = .trailerLineLF }
                else if !isFieldValueByte(c) { return bad("control character in trailer field") }
            case .trailerLineLF:
                guard c == LF else { return bad("bare CR in trailer section") }
                state = .trailerLineStart
            case .finalLF:
                guard c == LF else { return bad("chunked body not terminated by CRLF") }
                state = .done
                return .complete(consumed: i + 1)
            case .done:
                return .complete(consumed: i)
            }
            switch state {
            case .extStart, .extName, .extValueStart, .extToken, .extQuoted, .extQuotedEscape, .extQuotedEnd:
                lineBytes += 1
                if lineBytes > maxChunkLineBytes { return bad("chunk extensions too long") }
            case .trailerName, .trailerLine, .trailerLineLF, .trailerLineStart, .finalLF:
                trailerBytes += 1
                if trailerBytes > maxTrailerBytes {
                    return .invalid(status: 431, reason: "trailer section exceeds \(maxTrailerBytes) bytes")
                }
            default:
                break
            }
            i += 1
        }
        return state == .done ? .complete(consumed: n) : .incomplete
    }
}

@inline(__always) func hexValue(_ c: UInt8) -> Int? {
    switch c {
    case 0x30...0x39: return Int(c - 0x30)
    case 0x41...0x46: return Int(c - 0x41 + 10)
    case 0x61...0x66: return Int(c - 0x61 + 10)
    default: return nil
    }
}

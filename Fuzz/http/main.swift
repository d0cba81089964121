// libFuzzer target for the request-head parser and the chunked decoder.
// Built by scripts/fuzz together with Sources/HTTP/{HTTPParser,ChunkedDecoder,HTTPHeaders,
// HTTPVersion,HTTPRequest}.swift into one module, so internal API is visible here.
//
// Invariants (a violation traps, which libFuzzer reports as a crash):
// - `.complete(consumed:)` has 0 < consumed <= count, and `head` is set exactly then;
// - every strict prefix of a complete head parses as `.incomplete` (checked at two cuts);
// - a head accepted under tight limits is accepted the same way under the default limits;
// - Content-Length framing is positive and within the body limit;
// - the chunked decoder over the rest: consumed <= count, body.count == decodedBytes
//   <= maxBodyBytes, and feeding the same bytes in two pieces gives the same outcome.

let defaultLimits = HTTPParser.Limits()
let tightLimits = HTTPParser.Limits(maxHeaderBytes: 256, maxTargetBytes: 64, maxBodyBytes: 1024,
                                    maxHeaderCount: 8)

@inline(never)
func check(_ condition: Bool, _ message: StaticString) {
    if !condition { fatalError("invariant violated: \(message)") }
}

/// Parses `bytes`, checks the head invariants, returns the head and its length when complete.
func parseHead(_ bytes: [UInt8], limits: HTTPParser.Limits) -> (HTTPParser.RequestHead, Int)? {
    var parser = HTTPParser(limits: limits)
    let result = parser.parse(bytes)
    guard case .complete(let consumed) = result else {
        check(parser.head == nil, "head set without .complete")
        if case .invalid(let status, _) = result {
            check([400, 413, 414, 431, 501, 505].contains(status), "unexpected status")
        }
        return nil
    }
    check(consumed > 0, "complete consumed nothing")
    check(consumed <= bytes.count, "consumed more than given")
    check(consumed <= limits.maxHeaderBytes, "head longer than maxHeaderBytes")
    guard let head = parser.head else { check(false, "complete without head"); return nil }
    check(!head.method.isEmpty && !head.target.isEmpty, "empty method or target")
    check(head.method.utf8.allSatisfy(isTchar), "method is not a token")
    check(head.target.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "control or space in target")
    for (name, value) in head.headers {
        check(!name.isEmpty && name.utf8.allSatisfy(isTchar), "field name is not a token")
        check(value.utf8.first != SP && value.utf8.first != HTAB
              && value.utf8.last != SP && value.utf8.last != HTAB, "field value keeps OWS")
    }
    if head.framing == .none {
        check(head.headers.values("Transfer-Encoding").isEmpty, "Transfer-Encoding without chunked framing")
        check(head.headers.values("Content-Length").allSatisfy { parseContentLength($0) == 0 },
              "non-zero Content-Length without framing")
    }
    switch head.framing {
    case .none: break
    case .chunked: check(head.version == .http11, "chunked in HTTP/1.0")
    case .contentLength(let n): check(n > 0 && n <= limits.maxBodyBytes, "Content-Length out of range")
    }

    // Prefix stability: a server feeding the head in pieces must see .incomplete until the end.
    for cut in Set([consumed - 1, consumed / 2]) where cut >= 0 {
        var again = HTTPParser(limits: limits)
        check(again.parse(bytes[0..<cut]) == .incomplete, "prefix of a complete head is not incomplete")
    }
    // The head alone parses to the same head.
    var alone = HTTPParser(limits: limits)
    check(alone.parse(bytes[0..<consumed]) == .complete(consumed: consumed), "head alone differs")
    check(alone.head == head, "head alone gives another head")

    let (path, _) = HTTPRequest.split(target: head.target)
    check(!path.isEmpty || head.target == "*", "empty path")
    return (head, consumed)
}

/// Decodes `rest` in one piece and in two pieces cut at `cut`; the outcomes must agree.
func checkChunked(_ rest: ArraySlice<UInt8>, maxBodyBytes: Int, cut: Int) {
    var one = ChunkedDecoder(maxBodyBytes: maxBodyBytes, maxTrailerBytes: 512)
    var bodyOne: [UInt8] = []
    let resultOne = one.decode(rest, into: &bodyOne)
    if case .complete(let consumed) = resultOne {
        check(consumed > 0 && consumed <= rest.count, "chunked consumed out of range")
        check(one.isDone, "complete but not done")
    }
    check(bodyOne.count == one.decodedBytes, "body count differs from decodedBytes")
    check(one.decodedBytes <= maxBodyBytes, "decoded more than maxBodyBytes")

    var two = ChunkedDecoder(maxBodyBytes: maxBodyBytes, maxTrailerBytes: 512)
    var bodyTwo: [UInt8] = []
    let split = rest.startIndex + min(cut, rest.count)
    var resultTwo = two.decode(rest[rest.startIndex..<split], into: &bodyTwo)
    if resultTwo == .incomplete {
        switch two.decode(rest[split...], into: &bodyTwo) {
        case .complete(let consumed): resultTwo = .complete(consumed: split - rest.startIndex + consumed)
        case let other: resultTwo = other
        }
    }
    check(resultOne == resultTwo, "split decoding differs from one-piece decoding")
    check(bodyOne == bodyTwo, "split decoding gives another body")

    // Byte by byte, as a slow client sends it.
    guard rest.count <= 512 else { return }
    var slow = ChunkedDecoder(maxBodyBytes: maxBodyBytes, maxTrailerBytes: 512)
    var bodySlow: [UInt8] = []
    var resultSlow = HTTPParser.Result.incomplete
    for k in rest.indices {
        switch slow.decode(rest[k...k], into: &bodySlow) {
        case .incomplete: continue
        case .complete(let consumed):
            check(consumed == 1, "one byte completed with another count")
            resultSlow = .complete(consumed: k - rest.startIndex + 1)
        case let other: resultSlow = other
        }
        break
    }
    check(resultOne == resultSlow, "byte-by-byte decoding differs from one-piece decoding")
    check(bodyOne == bodySlow, "byte-by-byte decoding gives another body")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))

    let full = parseHead(bytes, limits: defaultLimits)
    if let (tightHead, tightConsumed) = parseHead(bytes, limits: tightLimits) {
        check(full?.1 == tightConsumed, "tight limits accept a head the defaults do not")
        check(full?.0 == tightHead, "tight limits give another head")
    }
    if let (head, consumed) = full, head.framing == .chunked {
        let rest = bytes[consumed...]
        let cut = rest.isEmpty ? 0 : Int(rest[rest.startIndex]) % (rest.count + 1)
        checkChunked(rest, maxBodyBytes: defaultLimits.maxBodyBytes, cut: cut)
        checkChunked(rest, maxBodyBytes: 64, cut: rest.count / 2)
    }
    return 0
}

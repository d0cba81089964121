import Testing
@testable import HTTP

/// picohttpparser-style tables for the head parser.
struct HTTPParserTests {
    static let validRequests: [String] = [
        "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET /cases?team=7&x=%20 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nX-Empty:\r\n\r\n",
        "POST /v1/contacts HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET /old HTTP/1.0\r\n\r\n",
        "\r\n\r\nGET /after-empty-lines HTTP/1.1\r\nHost: a\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://example.com:8080/p?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTest: D\u{FC}sseldorf\r\nValue:\t spaced \t\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
        "GET /empty-host HTTP/1.1\r\nHost:\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: xn--dsseldorf-q9a.example%2D1\r\n\r\n",
        "GET /old-without-host HTTP/1.0\r\n\r\n",
    ]

    @Test(arguments: validRequests)
    func validRequest_isComplete_andConsumesExactlyTheHead(_ text: String) {
        var parser = HTTPParser()
        let bytes = Array(text.utf8)
        #expect(parser.parse(bytes + Array("NEXT".utf8)) == .complete(consumed: bytes.count))
        #expect(parser.head != nil)
    }

    @Test(arguments: validRequests)
    func validRequest_cutAtEveryTruncationPoint_isIncomplete(_ text: String) {
        var parser = HTTPParser()
        let bytes = Array(text.utf8)
        for cut in 0..<bytes.count {
            let result = parser.parse(bytes[0..<cut])
            #expect(result == .incomplete, "cut at \(cut) of \(bytes.count): \(result)")
        }
    }

    @Test func parsedHead_exposesMethodTargetVersionHeadersAndFraming() throws {
        var parser = HTTPParser()
        let text = "POST /v1/x?y=1 HTTP/1.1\r\nHost: h\r\ncontent-length: 12\r\nX-A:  b c  \r\n\r\n"
        let result = parser.parse(Array(text.utf8))
        #expect(result == .complete(consumed: text.utf8.count))
        let head = try #require(parser.head)
        #expect(head.method == "POST")
        #expect(head.target == "/v1/x?y=1")
        #expect(head.version == .http11)
        #expect(head.headers["X-A"] == "b c")
        #expect(head.headers["Content-Length"] == "12")
        #expect(head.framing == .contentLength(12))
        #expect(head.keepAlive)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
    ])
    func keepAlive_followsVersionAndConnectionOptions(_ text: String, _ expected: Bool) throws {
        var parser = HTTPParser()
        guard case .complete = parser.parse(Array(text.utf8)) else { Issue.record("not complete"); return }
        #expect(try #require(parser.head).keepAlive == expected)
    }

    static let invalidRequests: [(String, Int, String)] = [
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "CL and TE together"),
        ("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n", 400, "TE and CL together"),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, "two different CLs"),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n", 400, "CL list"),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", 400, "signed CL"),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400, "negative CL"),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1a\r\n\r\n", 400, "non-digit CL"),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 4 2\r\n\r\n", 400, "CL with space"),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400, "empty CL"),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000000000000000\r\n\r\n", 400, "overflowing CL"),
        ("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "TE without chunked"),
        ("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400, "chunked not final"),
        ("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "chunked twice"),
        ("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunkedchunked\r\n\r\n", 400, "chunkedchunked"),
        ("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, "unsupported coding before chunked"),
        ("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "TE in HTTP/1.0"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400, "bare CR in value"),
        ("GET / HTTP/1.1\rHost: a\r\n\r\n", 400, "bare CR after request line"),
        ("GET / HTTP/1.1\r\nHost: a\r\n\rX", 400, "bare CR at end of head"),
        ("GET / HTTP/1.1\nHost: a\r\n\r\n", 400, "bare LF after request line"),
        ("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", 400, "bare LF between fields"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n continued\r\n\r\n", 400, "obs-fold"),
        ("GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400, "space before first field"),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "space before colon"),
        ("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 400, "tab before colon"),
        ("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bad method char"),
        ("GET / HTTP/1.1\r\nFo@: a\r\nHost: a\r\n\r\n", 400, "bad field-name char"),
        ("GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n", 400, "empty field name"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{01}b\r\n\r\n", 400, "control char in value"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7F}b\r\n\r\n", 400, "DEL in value"),
        ("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400, "two spaces"),
        ("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "trailing space on request line"),
        ("GET /\r\nHost: a\r\n\r\n", 400, "no version"),
        (" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "leading space"),
        ("GET /foo bar HTTP/1.1\r\nHost: a\r\n\r\n", 400, "space in target"),
        ("GET /\u{3B4} HTTP/1.1\r\nHost: a\r\n\r\n", 400, "UTF-8 in target"),
        ("GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400, "non-digit version"),
        ("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, "two Host fields"),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "two Hosts"),
        ("GET / HTTP/1.1\r\n\r\n", 400, "HTTP/1.1 without Host"),
        ("GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", 400, "HTTP/1.1 with only a look-alike of Host"),
        ("GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400, "Host list"),
        ("GET / HTTP/1.1\r\nHost: a,b\r\n\r\n", 400, "Host list without space"),
        ("GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n", 400, "Host with space and path"),
        ("GET / HTTP/1.1\r\nHost: a/c\r\n\r\n", 400, "Host with path"),
        ("GET / HTTP/1.1\r\nHost: user@host\r\n\r\n", 400, "Host with userinfo"),
        ("GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n", 400, "Host with non-digit port"),
        ("GET / HTTP/1.1\r\nHost: a%2\r\n\r\n", 400, "Host with cut pct-encoding"),
        ("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, "Host with unclosed IP literal"),
        ("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 400, "Host with bytes after IP literal"),
        ("GET / HTTP/1.0\r\nHost: a b\r\n\r\n", 400, "invalid Host in HTTP/1.0"),
        ("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400, "two Hosts in HTTP/1.0"),
        ("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400, "fragment in target"),
        ("GET # HTTP/1.1\r\nHost: a\r\n\r\n", 400, "target is #"),
        ("GET x HTTP/1.1\r\nHost: a\r\n\r\n", 400, "target not origin-form"),
        ("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "asterisk without OPTIONS"),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP/2.0"),
        ("GET / HTTP/0.9\r\n\r\n", 505, "HTTP/0.9"),
        ("GET / HTTP/5.6", 505, "unsupported version before line end"),
    ]

    @Test(arguments: invalidRequests)
    func invalidRequest_isRejectedWithItsStatus(_ text: String, _ status: Int, _ label: String) {
        var parser = HTTPParser()
        let result = parser.parse(Array(text.utf8))
        guard case .invalid(let got, _) = result else {
            Issue.record("\(label): expected invalid, got \(result)")
            return
        }
        #expect(got == status, "\(label)")
        #expect(parser.head == nil)
    }

    @Test func targetOverLimit_is414_evenBeforeTheLineEnds() {
        var parser = HTTPParser(limits: .init(maxHeaderBytes: 1000, maxTargetBytes: 20))
        let text = "GET /" + String(repeating: "a", count: 30)
        guard case .invalid(414, _) = parser.parse(Array(text.utf8)) else { Issue.record("not 414"); return }
    }

    @Test func headOverLimit_is431_whetherCompleteOrNot() {
        var parser = HTTPParser(limits: .init(maxHeaderBytes: 100, maxTargetBytes: 50))
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 200)
        guard case .invalid(431, _) = parser.parse(Array(big.utf8)) else { Issue.record("incomplete big head not 431"); return }
        guard case .invalid(431, _) = parser.parse(Array((big + "\r\n\r\n").utf8)) else { Issue.record("complete big head not 431"); return }
    }

    @Test func tooManyHeaderFields_is431() {
        var parser = HTTPParser(limits: .init(maxHeaderCount: 3))
        let text = "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        guard case .invalid(431, _) = parser.parse(Array(text.utf8)) else { Issue.record("not 431"); return }
    }

    @Test func contentLengthOverBodyLimit_is413() {
        var parser = HTTPParser(limits: .init(maxBodyBytes: 10))
        let text = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"
        guard case .invalid(413, _) = parser.parse(Array(text.utf8)) else { Issue.record("not 413"); return }
    }

    @Test(arguments: [
        ("/v1/cases", "/v1/cases", nil),
        ("/v1/cases?team=3&q=a%20b", "/v1/cases", "team=3&q=a%20b"),
        ("/?", "/", ""),
        ("http://example.com:8080/p/q?x=1", "/p/q", "x=1"),
        ("http://hypnotoad.org?hail=all", "/", "hail=all"),
        ("http://hypnotoad.org:1234", "/", nil),
        ("/a%2Fb", "/a%2Fb", nil),
    ] as [(String, String, String?)])
    func requestInit_splitsTargetIntoPathAndQuery(_ target: String, _ path: String, _ query: String?) {
        let request = HTTPRequest(method: "GET", target: target)
        #expect(request.path == path)
        #expect(request.query == query)
    }
}

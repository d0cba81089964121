import Testing
@testable import HTTP

struct ChunkedDecoderTests {
    static let validBodies: [(String, String)] = [
        ("0\r\n\r\n", ""),
        ("5\r\nhello\r\n0\r\n\r\n", "hello"),
        ("5\r\nhello\r\n6\r\n world\r\n000\r\n\r\n", "hello world"),
        ("a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n", "01234567890123456789"),
        ("3;name=value;flag\r\nabc\r\n0\r\n\r\n", "abc"),
        ("3;q=\"quoted; \\\"x\\\"\"\r\nabc\r\n0\r\n\r\n", "abc"),
        ("3\r\nabc\r\n0\r\nTrailer-A: 1\r\nTrailer-B: two\r\n\r\n", "abc"),
        ("3\r\nabc\r\n0\r\nEmpty:\r\n\r\n", "abc"),
    ]

    @Test(arguments: validBodies)
    func validChunkedBody_decodes_andStopsAtItsEnd(_ encoded: String, _ expected: String) {
        var decoder = ChunkedDecoder()
        var body: [UInt8] = []
        let bytes = Array(encoded.utf8)
        #expect(decoder.decode(bytes + Array("GET".utf8), into: &body) == .complete(consumed: bytes.count))
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    @Test(arguments: validBodies)
    func validChunkedBody_fedOneByteAtATime_decodesTheSame(_ encoded: String, _ expected: String) {
        var decoder = ChunkedDecoder()
        var body: [UInt8] = []
        let bytes = Array(encoded.utf8)
        for (index, byte) in bytes.enumerated() {
            let result = decoder.decode([byte], into: &body)
            #expect(result == (index == bytes.count - 1 ? .complete(consumed: 1) : .incomplete))
        }
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    static let invalidBodies: [(String, Int, String)] = [
        ("x\r\n", 400, "non-hex size"),
        ("\r\n", 400, "empty size"),
        ("a \r\n0123456789\r\n0\r\n\r\n", 400, "space after size"),
        (" a\r\n", 400, "space before size"),
        ("3\nabc\r\n0\r\n\r\n", 400, "bare LF after size"),
        ("3\r\rabc", 400, "bare CR after size"),
        ("3\r\nabcX\r\n", 400, "missing CRLF after data"),
        ("3\r\nabc\rX", 400, "CR without LF after data"),
        ("3;\r\nabc\r\n0\r\n\r\n", 400, "empty extension"),
        ("2 erfrferferf\r\naa\r\n0\r\n\r\n", 400, "extension without semicolon"),
        ("5;a=\"abc\r\nhello\r\n", 400, "unbalanced quote"),
        ("3;a=@\r\nabc", 400, "bad extension value"),
        ("1000000000000000000\r\n", 413, "size far over the body limit"),
        ("3\r\nabc\r\n0\r\n bad: fold\r\n\r\n", 400, "folded trailer"),
        ("3\r\nabc\r\n0\r\nT: a\u{01}\r\n\r\n", 400, "control char in trailer"),
        ("3\r\nabc\r\n0\r\ngarbage\r\n\r\n", 400, "trailer line without a colon"),
        ("3\r\nabc\r\n0\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "request line swallowed as a trailer"),
        ("3\r\nabc\r\n0\r\nT : a\r\n\r\n", 400, "space before the trailer colon"),
        ("3\r\nabc\r\n0\r\n: a\r\n\r\n", 400, "empty trailer name"),
        ("3\r\nabc\r\n\r\n", 400, "missing last chunk"),
        ("100001\r\n", 413, "chunk over body limit"),
    ]

    @Test(arguments: invalidBodies)
    func invalidChunkedBody_isRejected(_ encoded: String, _ status: Int, _ label: String) {
        var decoder = ChunkedDecoder(maxBodyBytes: 1024 * 1024)
        var body: [UInt8] = []
        let result = decoder.decode(Array(encoded.utf8), into: &body)
        guard case .invalid(let got, _) = result else {
            Issue.record("\(label): expected invalid, got \(result)")
            return
        }
        #expect(got == status, "\(label)")
    }

    @Test func chunkSizeOverflow_isRejectedEvenWithoutABodyLimit() {
        var decoder = ChunkedDecoder(maxBodyBytes: .max)
        var body: [UInt8] = []
        guard case .invalid(400, _) = decoder.decode(Array("10000000000000000000\r\n".utf8), into: &body) else {
            Issue.record("20 hex digits should overflow")
            return
        }
    }

    @Test func bodyLimit_countsAcrossChunks() {
        var decoder = ChunkedDecoder(maxBodyBytes: 8)
        var body: [UInt8] = []
        #expect(decoder.decode(Array("5\r\nhello\r\n".utf8), into: &body) == .incomplete)
        guard case .invalid(413, _) = decoder.decode(Array("4\r\n".utf8), into: &body) else {
            Issue.record("second chunk should exceed the limit")
            return
        }
    }
}

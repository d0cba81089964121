import Testing
@testable import HTTP

struct HTTPSupportTests {
    @Test func headers_areOrderedAndCaseInsensitive() {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("X-A", "1")])
        headers.add("x-a", "2")
        #expect(headers["content-type"] == "text/plain")
        #expect(headers.values("X-A") == ["1", "2"])
        #expect(headers.count == 3)
        headers.set("X-a", "3")
        #expect(headers.values("x-A") == ["3"])
        headers.remove("CONTENT-TYPE")
        #expect(headers["Content-Type"] == nil)
        #expect(headers.map(\.name) == ["X-a"])
    }

    @Test(arguments: [
        (nil, false),
        ("gzip", true),
        ("GZIP", true),
        ("deflate, gzip;q=0.5", true),
        ("gzip;q=0", false),
        ("gzip; q=0.000", false),
        ("*", true),
        ("*;q=0", false),
        ("*, gzip;q=0", false),
        ("identity", false),
        ("identity, *;q=0.1", true),
        ("br, x-gzip", true),
    ] as [(String?, Bool)])
    func acceptEncoding_decidesGzip(_ value: String?, _ accepted: Bool) {
        #expect(Gzip.isAccepted(by: value) == accepted)
    }

    @Test func gzip_roundTripsAndHasTheGzipMagic() throws {
        let input = Array(String(repeating: "continuity of care ", count: 200).utf8)
        let compressed = try #require(Gzip.compress(input))
        #expect(compressed.count < input.count)
        #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
        #expect(Gzip.decompress(compressed) == input)
    }

    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (1_709_251_199, "Thu, 29 Feb 2024 23:59:59 GMT"),
    ])
    func httpDate_isIMFFixdate(_ seconds: Int, _ expected: String) {
        #expect(HTTPDateCache.format(seconds) == expected)
    }

    @Test func problemResponse_isProblemJSON() {
        let response = HTTPResponse.problem(status: 413, detail: "too \"big\"")
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"type":"about:blank","title":"Content Too Large","status":413,"detail":"too \"big\""}"#)
    }

    @Test(arguments: [(200, "OK"), (404, "Not Found"), (431, "Request Header Fields Too Large"), (799, "Unknown")])
    func reasonPhrase_namesTheStatus(_ status: Int, _ phrase: String) {
        #expect(HTTPResponse.reasonPhrase(status) == phrase)
    }
}

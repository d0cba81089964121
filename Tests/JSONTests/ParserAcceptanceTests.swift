import Testing
@testable import JSON

@Suite("Parsing valid documents")
struct ParserAcceptanceTests {
    /// Compact documents that must parse and serialize back to the very same text.
    static let compactDocuments: [String] = [
        "null", "true", "false",
        "0", "-0", "7", "-12.5e3", "1E+2", "1e-2", "0.000001", "123456789012345678901234567890",
        #""""#, #""a""#, #""\"\\\n\t\r\b\f""#, #""\u0001\u001f""#, #""é😀""#, #""\u2028""#,
        "[]", "{}", "[1,[2,[3]]]", #"{"a":{"b":[null,true,false]}}"#,
        #"{"z":1,"a":2,"m":3}"#, #"[{},[],"",0]"#,
    ]

    @Test("A compact valid document round-trips byte for byte", arguments: compactDocuments)
    func compactDocumentRoundTrips(text: String) throws {
        let value = try JSON.parse(text)
        #expect(JSON.serializeToString(value) == text)
    }

    @Test("Whitespace between tokens is accepted and dropped by the writer", arguments: [
        (" \t\n\r[ 1 , 2 ]\r\n", "[1,2]"),
        ("{ \"a\" : [ ] ,\n\t\"b\" : { } }", #"{"a":[],"b":{}}"#),
        ("  \"x\"  ", #""x""#),
        (#""\/""#, #""/""#),
        (#""\u00e9""#, #""é""#),
    ])
    func whitespaceIsIgnored(input: String, compact: String) throws {
        #expect(JSON.serializeToString(try JSON.parse(input)) == compact)
    }

    @Test("Any value is accepted at the top level")
    func anyTopLevelValue() throws {
        #expect(try JSON.parse("42") == .number("42"))
        #expect(try JSON.parse("\"s\"") == .string("s"))
        #expect(try JSON.parse("null") == .null)
        #expect(try JSON.parse("[true]") == [true])
    }

    @Test("Numbers keep their source text", arguments: ["-12.5e3", "1.0", "1E+02", "-0", "0.10"])
    func numbersKeepText(text: String) throws {
        #expect(try JSON.parse(text) == .number(text))
    }

    @Test("Surrogate pairs and escapes decode to the right scalar", arguments: [
        (#""\uD83D\uDE00""#, 0x1F600 as UInt32),
        (#""\ud834\udd1e""#, 0x1D11E),
        (#""\uDBFF\uDFFF""#, 0x10FFFF),
        (#""\uD800\uDC00""#, 0x10000),
        (#""\u00E9""#, 0xE9),
        (#""\uFFFF""#, 0xFFFF),
        (#""\u0000""#, 0x0),
    ])
    func surrogatePairsDecode(input: String, scalar: UInt32) throws {
        let s = try #require(try JSON.parse(input).stringValue)
        #expect(Array(s.unicodeScalars.map(\.value)) == [scalar])
    }

    @Test("Escapes mix with plain runs in one string")
    func escapesMixWithRuns() throws {
        let value = try JSON.parse(#""ab\ncd\u00e9f😀g\"""#)
        #expect(value == .string("ab\ncdéf😀g\""))
    }

    @Test("Depth 512 is accepted by default")
    func depth512IsAccepted() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try JSON.parse(text)
        var depth = 0
        while case .array(let items) = value {
            depth += 1
            guard let first = items.first else { break }
            value = first
        }
        #expect(depth == 512)
    }

    @Test("A slice parses on its own, with offsets from the slice start")
    func sliceParses() throws {
        let buffer = Array("HEADERS\r\n\r\n{\"a\":[1,2]}".utf8)
        let body = buffer[11...]
        #expect(try JSON.parse(body) == ["a": [1, 2]])
        let broken = Array("xx[1,]".utf8)[2...]
        let error = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse(broken) }
        #expect(error?.offset == 3)
        #expect(error?.column == 4)
    }

    @Test("Object members keep document order")
    func membersKeepOrder() throws {
        let value = try JSON.parse(#"{"b":1,"a":2,"c":3}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
    }

    @Test("A large array of objects parses completely")
    func largeDocument() throws {
        let item = #"{"id":"abcdef","n":12345,"ok":true,"tags":["x","y"]}"#
        let text = "[" + Array(repeating: item, count: 10_000).joined(separator: ",") + "]"
        let value = try JSON.parse(text)
        #expect(value.arrayValue?.count == 10_000)
        #expect(value[9_999]?["n"]?.int64Value == 12345)
    }
}

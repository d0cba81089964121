import Testing
@testable import JSON

@Suite("Writing JSON")
struct WriterTests {
    @Test("Strings escape quotes, backslashes, controls and line separators", arguments: [
        ("plain", #""plain""#),
        ("a\"b", #""a\"b""#),
        ("back\\slash", #""back\\slash""#),
        ("\n\t\r\u{8}\u{C}", #""\n\t\r\b\f""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("x\u{2028}y\u{2029}z", #""x\u2028y\u2029z""#),
        ("/", #""/""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("é😀中", #""é😀中""#),
        ("\u{2027}\u{202A}", "\"\u{2027}\u{202A}\""),
        ("", #""""#),
    ])
    func stringEscaping(input: String, output: String) {
        var out: [UInt8] = []
        JSON.appendEscaped(input, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == output)
    }

    @Test("appendEscaped appends to what is already there")
    func appendEscapedAppends() {
        var out = Array("[".utf8)
        JSON.appendEscaped("a", to: &out)
        #expect(out == Array(#"["a""#.utf8))
    }

    @Test("Literals build the value the API writes, in literal order")
    func literalsKeepOrder() {
        let list: [JSONValue] = [1, 2]
        let body: JSONValue = [
            "id": .string("c-1"), "count": .int(3), "ratio": 0.5, "ok": true,
            "none": nil, "items": .array(list), "label": "x", "maybe": .optional(nil),
        ]
        #expect(JSON.serializeToString(body)
            == #"{"id":"c-1","count":3,"ratio":0.5,"ok":true,"none":null,"items":[1,2],"label":"x","maybe":null}"#)
    }

    @Test("serialize and serializeToString agree")
    func bytesAndStringAgree() {
        let value: JSONValue = ["k": ["é", 1.5, false]]
        #expect(JSON.serialize(value) == Array(JSON.serializeToString(value).utf8))
        #expect(value.description == #"{"k":["é",1.5,false]}"#)
    }

    @Test("Written strings parse back to the same string", arguments: [
        "\u{0}\u{1F}\"\\\u{2028}", "😀\u{10FFFF}\u{FFFF}", "tab\there",
    ])
    func stringsRoundTrip(s: String) throws {
        #expect(try JSON.parse(JSON.serialize(.string(s))) == .string(s))
    }
}

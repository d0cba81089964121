import Testing
@testable import JSON

/// One document the parser must reject, where, and a fragment of the message.
struct Rejection: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let offset: Int
    let message: String

    init(_ name: String, _ text: String, at offset: Int, _ message: String) {
        self.init(name, Array(text.utf8), at: offset, message)
    }

    init(_ name: String, _ bytes: [UInt8], at offset: Int, _ message: String) {
        self.name = name
        self.bytes = bytes
        self.offset = offset
        self.message = message
    }

    var testDescription: String { name }
}

@Suite("Rejecting what RFC 8259 does not allow")
struct ParserRejectionTests {
    static let rejections: [Rejection] = [
        // Structure.
        Rejection("empty input", "", at: 0, "unexpected end of input"),
        Rejection("only whitespace", "   ", at: 3, "unexpected end of input"),
        Rejection("trailing comma in an array", "[1,2,]", at: 5, "trailing comma"),
        Rejection("trailing comma in an object", #"{"a":1,}"#, at: 7, "trailing comma"),
        Rejection("a missing comma", "[1 2]", at: 3, "expected ',' or ']'"),
        Rejection("a double comma", #"{"a":[1,,2]}"#, at: 8, "unexpected ','"),
        Rejection("a missing colon", #"{"a" 1}"#, at: 5, "expected ':'"),
        Rejection("a non-string key", "{1:2}", at: 1, "expected a string key"),
        Rejection("an unclosed array", "[", at: 1, "unexpected end of input"),
        Rejection("an unclosed object", #"{"a":1"#, at: 6, "unexpected end of input"),
        Rejection("a second top-level value", "1 2", at: 2, "after the top-level value"),
        Rejection("text after an object", "{} x", at: 3, "after the top-level value"),
        Rejection("an extra closing bracket", "[]]", at: 2, "after the top-level value"),
        Rejection("a duplicate key", #"{"a":1,"a":2}"#, at: 7, "duplicate key \"a\""),
        Rejection("a duplicate key written with an escape", #"{"a":1,"\u0061":2}"#, at: 7, "duplicate key"),
        // Literals and numbers.
        Rejection("a truncated literal", "tru", at: 0, "expected 'true'"),
        Rejection("a literal with extra letters", "nulls", at: 4, "after the top-level value"),
        Rejection("capitalised True", "True", at: 0, "unexpected 'T'"),
        Rejection("NaN", "NaN", at: 0, "unexpected 'N'"),
        Rejection("Infinity", "Infinity", at: 0, "unexpected 'I'"),
        Rejection("-Infinity", "-Infinity", at: 1, "expected a digit"),
        Rejection("a leading zero", "01", at: 1, "leading zero"),
        Rejection("a negative leading zero", "-012", at: 2, "leading zero"),
        Rejection("a plus sign", "+1", at: 0, "unexpected '+'"),
        Rejection("a bare fraction", ".5", at: 0, "unexpected '.'"),
        Rejection("a trailing point", "1.", at: 2, "expected a digit after '.'"),
        Rejection("a trailing point in an array", "[1.]", at: 3, "expected a digit after '.'"),
        Rejection("an empty exponent", "1e", at: 2, "expected a digit in exponent"),
        Rejection("an exponent with only a sign", "1e+", at: 3, "expected a digit in exponent"),
        Rejection("a lone minus", "-", at: 1, "expected a digit"),
        Rejection("hex digits", "0x10", at: 1, "after the top-level value"),
        // Comments and quotes.
        Rejection("a line comment", "[1] // c", at: 4, "comments are not allowed"),
        Rejection("a block comment", "/* c */ 1", at: 0, "comments are not allowed"),
        Rejection("a single-quoted string", "'a'", at: 0, "single quote"),
        Rejection("a single-quoted key", "{'a':1}", at: 1, "single quote"),
        // Strings.
        Rejection("an unterminated string", #""abc"#, at: 4, "unterminated string"),
        Rejection("a raw newline in a string", "\"a\nb\"", at: 2, "unescaped control character"),
        Rejection("a raw tab in a string", "\"a\tb\"", at: 2, "unescaped control character"),
        Rejection("a raw U+0001 in a string", "\"a\u{1}\"", at: 2, "unescaped control character"),
        Rejection("an unknown escape", #""\x""#, at: 1, "invalid escape"),
        Rejection("a single-quote escape", #""\'""#, at: 1, "invalid escape"),
        Rejection("a bad hex digit", #""\u12G4""#, at: 5, "invalid hex digit"),
        Rejection("a short unicode escape", #""\u12""#, at: 5, "invalid hex digit"),
        Rejection("a lone high surrogate", #""\uD800""#, at: 1, "lone high surrogate"),
        Rejection("a high surrogate followed by a letter", #""\uD800\u0041""#, at: 1, "lone high surrogate"),
        Rejection("a high surrogate after text", #""ab\uD83D""#, at: 3, "lone high surrogate"),
        Rejection("a lone low surrogate", #""\uDC00""#, at: 1, "lone low surrogate"),
        Rejection("two high surrogates", #""\uD800\uD800""#, at: 1, "lone high surrogate"),
        // UTF-8.
        Rejection("a byte order mark", [0xEF, 0xBB, 0xBF] + Array("1".utf8), at: 0, "byte order mark"),
        Rejection("a bad continuation byte", [0x22, 0xC3, 0x28, 0x22], at: 2, "invalid UTF-8"),
        Rejection("an 0xFF byte", [0x22, 0xFF, 0x22], at: 1, "invalid UTF-8"),
        Rejection("a stray continuation byte", [0x22, 0x80, 0x22], at: 1, "invalid UTF-8"),
        Rejection("an overlong slash", [0x22, 0xC0, 0xAF, 0x22], at: 1, "invalid UTF-8"),
        Rejection("an overlong three-byte form", [0x22, 0xE0, 0x80, 0xAF, 0x22], at: 2, "invalid UTF-8"),
        Rejection("an encoded surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], at: 2, "invalid UTF-8"),
        Rejection("a scalar above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], at: 2, "invalid UTF-8"),
        Rejection("a truncated sequence at the end", [0x22, 0xE2, 0x82], at: 3, "invalid UTF-8"),
        Rejection("a truncated sequence before the quote", [0x22, 0xE2, 0x82, 0x22], at: 3, "invalid UTF-8"),
        Rejection("non-ASCII outside a string", [0xC3, 0xA9], at: 0, "unexpected byte 0xC3"),
    ]

    @Test("Rejected with the offset of the offending byte", arguments: rejections)
    func rejected(_ case_: Rejection) {
        #expect {
            _ = try JSON.parse(case_.bytes)
        } throws: { error in
            guard let error = error as? JSONSyntaxError else { return false }
            return error.offset == case_.offset && error.message.contains(case_.message)
        }
    }

    @Test("Nesting deeper than 512 is rejected at the 513th bracket")
    func depth513IsRejected() {
        let text = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse(text) }
        #expect(error?.offset == 512)
        #expect(error?.message == "nesting deeper than 512")
    }

    @Test("Objects count towards depth like arrays")
    func objectsCountTowardsDepth() {
        let text = String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)
        let error = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse(text) }
        #expect(error?.offset == 512 * 5)
    }

    @Test("maxDepth is configurable", arguments: [(3, true), (2, false), (0, false)])
    func maxDepthIsConfigurable(limit: Int, accepted: Bool) {
        let result = Result { () throws(JSONSyntaxError) in try JSON.parse("[[{}]]", maxDepth: limit) }
        switch result {
        case .success: #expect(accepted)
        case .failure(let error): #expect(!accepted && error.message.hasPrefix("nesting deeper than"))
        }
    }

    @Test("maxDepth 0 still accepts scalars")
    func maxDepthZeroAcceptsScalars() throws {
        #expect(try JSON.parse("1", maxDepth: 0) == 1)
    }

    @Test("Errors carry line and column and read as a sentence")
    func errorsCarryLineAndColumn() {
        let error = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse(#"{"a":[1,,2]}"#) }
        #expect(error?.description == "unexpected ',' at line 1, column 9 (byte 8)")

        let multiline = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse("{\n  \"a\": 1,\n}") }
        #expect(multiline.map { [$0.offset, $0.line, $0.column] } == [12, 3, 1])
    }

    @Test("Columns count Unicode scalars, not bytes")
    func columnsCountScalars() {
        let error = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse("\"é\" x") }
        #expect(error.map { [$0.offset, $0.line, $0.column] } == [5, 1, 5])
    }

    @Test("The String and byte entry points agree")
    func stringAndBytesAgree() {
        let text = "[1,\n2,]"
        let fromString = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse(text) }
        let fromBytes = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse(Array(text.utf8)) }
        #expect(fromString != nil && fromString == fromBytes)
        #expect(fromString?.line == 2)
    }
}

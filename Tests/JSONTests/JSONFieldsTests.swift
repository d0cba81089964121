import Testing
@testable import JSON

@Suite("Mapping JSON to typed requests")
struct JSONFieldsTests {
    private func reader(_ text: String) throws -> (JSONFields, FieldErrors) {
        let errors = FieldErrors()
        return (JSONFields(try JSON.parse(text), errors: errors), errors)
    }

    @Test("One pass collects every mistake with its pointer")
    func collectsEveryMistake() throws {
        let (fields, errors) = try reader(#"""
        {"name": 5, "tags": ["a", 3, "ccccc"], "a/b": 1, "m~n": true,
         "participants": [{"role": "x"}, {"role": "y"}, {"role": null}, 7, {"role": "z", "typo": 1}],
         "extra": 1}
        """#)
        #expect(fields.string("name") == nil)
        #expect(fields.string("team_id") == nil)
        #expect(fields.stringArray("tags", maxLength: 3) == nil)
        #expect(fields.int("a/b", range: 2...5) == nil)
        #expect(fields.string("m~n") == nil)
        let participants = try #require(fields.objects("participants"))
        #expect(participants.count == 4)
        for participant in participants {
            _ = participant.string("role")
            participant.rejectUnknown()
        }
        fields.rejectUnknown()

        #expect(errors.errors == [
            FieldError(pointer: "/name", detail: "must be a string"),
            FieldError(pointer: "/team_id", detail: "is required"),
            FieldError(pointer: "/tags/1", detail: "must be a string"),
            FieldError(pointer: "/tags/2", detail: "must be at most 3 characters"),
            FieldError(pointer: "/a~1b", detail: "must be between 2 and 5"),
            FieldError(pointer: "/m~0n", detail: "must be a string"),
            FieldError(pointer: "/participants/3", detail: "must be a JSON object"),
            FieldError(pointer: "/participants/2/role", detail: "must not be null"),
            FieldError(pointer: "/participants/4/typo", detail: "unknown field"),
            FieldError(pointer: "/extra", detail: "unknown field"),
        ])
        #expect(errors.json[0] == ["pointer": "/name", "detail": "must be a string"])
    }

    @Test("A valid body reads every field with no errors")
    func validBody() throws {
        let (fields, errors) = try reader(#"{"name":"Ada","active":true,"age":36,"tags":["x"],"note":null}"#)
        #expect(fields.string("name", maxLength: 3) == "Ada")
        #expect(fields.bool("active") == true)
        #expect(fields.int("age", range: 0...150) == 36)
        #expect(fields.stringArray("tags", maxCount: 1) == ["x"])
        #expect(fields.value("note") == .null)
        #expect(fields.string("nickname", required: false) == nil)
        fields.rejectUnknown()
        #expect(errors.isEmpty)
    }

    @Test("A root that is not an object is one error, and readers stay quiet", arguments: ["[]", "1", "null", #""s""#])
    func nonObjectRoot(text: String) throws {
        let (fields, errors) = try reader(text)
        #expect(fields.string("name") == nil)
        #expect(fields.update("x", "bad") { $0 } == .absent)
        fields.rejectUnknown()
        #expect(errors.errors == [FieldError(pointer: "", detail: "must be a JSON object")])
    }

    @Test("Wrong types are named in the detail", arguments: [
        (#"{"f":"1"}"#, "int", "must be an integer"),
        // 1.0 and 1e2 are integers, as in JSON Schema (IntegralNumberTests); a fraction is not.
        (#"{"f":1.5}"#, "int", "must be an integer"),
        (#"{"f":1e-2}"#, "int", "must be an integer"),
        (#"{"f":99999999999999999999}"#, "int", "must be an integer"),
        (#"{"f":1}"#, "bool", "must be a boolean"),
        (#"{"f":[]}"#, "string", "must be a string"),
        (#"{"f":"a"}"#, "stringArray", "must be an array"),
        (#"{"f":["a","b","c"]}"#, "stringArray", "must have at most 2 items"),
        (#"{"f":"x"}"#, "double", "must be a number"),
        (#"{"f":5}"#, "double", "must be between 0 and 1"),
        (#"{"f":1}"#, "object", "must be a JSON object"),
        (#"{"f":null}"#, "string", "must not be null"),
        (#"{"f":null}"#, "int", "must not be null"),
        (#"{}"#, "bool", "is required"),
    ])
    func wrongTypes(text: String, reader kind: String, detail: String) throws {
        let (fields, errors) = try reader(text)
        switch kind {
        case "int": #expect(fields.int("f") == nil)
        case "bool": #expect(fields.bool("f") == nil)
        case "string": #expect(fields.string("f") == nil)
        case "stringArray": #expect(fields.stringArray("f", maxCount: 2) == nil)
        case "double": #expect(fields.double("f", range: 0...1) == nil)
        case "object": #expect(fields.object("f") == nil)
        default: Issue.record("unknown reader \(kind)")
        }
        #expect(errors.errors == [FieldError(pointer: "/f", detail: detail)])
    }

    @Test("Optional fields: absent is fine, explicit null is not")
    func optionalFields() throws {
        let (fields, errors) = try reader(#"{"b":null}"#)
        #expect(fields.string("a", required: false) == nil)
        #expect(errors.isEmpty)
        #expect(fields.string("b", required: false) == nil)
        #expect(errors.errors == [FieldError(pointer: "/b", detail: "must not be null")])
    }

    @Test("maxLength counts Unicode scalars", arguments: [("éé", true), ("abc", false), ("😀😀", true), ("😀😀😀", false)])
    func maxLengthCountsScalars(value: String, fits: Bool) throws {
        let errors = FieldErrors()
        let fields = JSONFields(["s": .string(value)], errors: errors)
        #expect((fields.string("s", maxLength: 2) != nil) == fits)
        #expect(errors.isEmpty == fits)
    }

    @Test("A transform failure records the caller's detail")
    func transformFailure() throws {
        let (fields, errors) = try reader(#"{"good":"2024-01-31","bad":"31/01/2024","num":3}"#)
        let isDate: (String) -> String? = { $0.utf8.count == 10 && $0.contains("-") ? $0 : nil }
        #expect(fields.string("good", "must be a date YYYY-MM-DD", isDate) == "2024-01-31")
        #expect(fields.string("bad", "must be a date YYYY-MM-DD", isDate) == nil)
        #expect(fields.string("num", "must be a date YYYY-MM-DD", isDate) == nil)
        #expect(fields.string("none", required: false, "must be a date YYYY-MM-DD", isDate) == nil)
        #expect(errors.errors == [
            FieldError(pointer: "/bad", detail: "must be a date YYYY-MM-DD"),
            FieldError(pointer: "/num", detail: "must be a string"),
        ])
    }

    @Test("FieldUpdate tells absent, null and a value apart", arguments: [
        (#"{}"#, FieldUpdate<Int>.absent, nil as String?),
        (#"{"closed_on":null}"#, .null, nil),
        (#"{"closed_on":"12"}"#, .value(12), nil),
        (#"{"closed_on":"x"}"#, .absent, "must be a number in text"),
        (#"{"closed_on":12}"#, .absent, "must be a string"),
    ])
    func fieldUpdateStates(text: String, expected: FieldUpdate<Int>, error: String?) throws {
        let (fields, errors) = try reader(text)
        #expect(fields.update("closed_on", "must be a number in text") { Int($0) } == expected)
        fields.rejectUnknown()
        #expect(errors.errors == (error.map { [FieldError(pointer: "/closed_on", detail: $0)] } ?? []))
    }

    @Test("Nested objects read with pointers below their key")
    func nestedObjects() throws {
        let (fields, errors) = try reader(#"{"address":{"city":1,"zip~/":"x"}}"#)
        let address = try #require(fields.object("address"))
        #expect(address.basePointer == "/address")
        #expect(address.string("city") == nil)
        address.rejectUnknown()
        fields.rejectUnknown()
        #expect(errors.errors == [
            FieldError(pointer: "/address/city", detail: "must be a string"),
            FieldError(pointer: "/address/zip~0~1", detail: "unknown field"),
        ])
    }

    @Test("Pointer tokens escape tilde before slash", arguments: [
        ("plain", "plain"), ("a/b", "a~1b"), ("m~n", "m~0n"), ("~1", "~01"), ("/~", "~1~0"), ("", ""),
    ])
    func pointerEscaping(key: String, token: String) {
        #expect(JSONFields.escape(key) == token)
        let fields = JSONFields(["x": 1], pointer: "/root", errors: FieldErrors())
        #expect(fields.pointer(key) == "/root/" + token)
    }

    @Test("Reading a key with value() or any reader keeps it from being unknown")
    func askedKeysAreKnown() throws {
        let (fields, errors) = try reader(#"{"a":1,"b":2,"c":3}"#)
        _ = fields.value("a")
        _ = fields.int("b")
        #expect(fields.has("c"))
        fields.rejectUnknown()
        #expect(errors.errors == [FieldError(pointer: "/c", detail: "unknown field")])
    }

    @Test("Copies of a reader share what was asked")
    func copiesShareAskedKeys() throws {
        let (fields, errors) = try reader(#"{"a":1}"#)
        let copy = fields
        _ = copy.int("a")
        fields.rejectUnknown()
        #expect(errors.isEmpty)
    }

    @Test("FieldErrors collects from concurrent tasks")
    func concurrentAdds() async {
        let errors = FieldErrors()
        await withTaskGroup(of: Void.self) { group in
            for k in 0..<100 {
                group.addTask { errors.add("/\(k)", "is required") }
            }
        }
        #expect(errors.errors.count == 100)
    }
}

/// JSON Schema's `integer` is a number with a zero fraction; the fields reader agrees, so the
/// OpenAPI document and the server accept the same bodies (issue 11).
@Suite struct IntegralNumberTests {
    @Test(arguments: [("45", 45), ("45.0", 45), ("4.5e1", 45), ("1e2", 100), ("-3.00", -3), ("0.0e5", 0)])
    func anIntegralNumberIsAnInteger(text: String, value: Int) throws {
        let fields = JSONFields(try JSON.parse(Array("{\"n\": \(text)}".utf8)), errors: FieldErrors())
        #expect(fields.int("n") == value)
        #expect(fields.errors.isEmpty)
    }

    @Test(arguments: ["45.5", "1e-1", "4503599627370496.5", "1e300", "\"45\""])
    func aFractionOrANonNumberIsNot(text: String) throws {
        let fields = JSONFields(try JSON.parse(Array("{\"n\": \(text)}".utf8)), errors: FieldErrors())
        #expect(fields.int("n") == nil)
        #expect(fields.errors.errors.map(\.pointer) == ["/n"])
    }
}

import Testing
@testable import JSON

@Suite("JSONValue and JSONObject")
struct ValueAndObjectTests {
    @Test("typeName names each JSON type", arguments: [
        (JSONValue.null, "null"), (.bool(false), "boolean"), (.number("1"), "number"),
        (.string(""), "string"), (.array([]), "array"), (.object(JSONObject()), "object"),
    ])
    func typeNames(value: JSONValue, name: String) {
        #expect(value.typeName == name)
    }

    @Test("Accessors answer only for their own type")
    func accessors() {
        let value: JSONValue = ["s": "x", "b": true, "a": [1], "o": ["k": nil], "n": nil]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["s"]?.boolValue == nil)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["a"]?[0] == 1)
        #expect(value["a"]?[1] == nil)
        #expect(value["o"]?.objectValue?["k"]?.isNull == true)
        #expect(value["n"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value.stringValue == nil)
        #expect(JSONValue.optional("y") == .string("y"))
        #expect(JSONValue.optional(nil) == .null)
    }

    @Test("Setting a key appends a new member or replaces in place")
    func setAppendsOrReplaces() {
        var object = JSONObject()
        object["b"] = 1
        object["a"] = 2
        object["b"] = 3
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == 3)
        #expect(object.count == 2)
    }

    @Test("Setting nil removes the member and keeps the rest addressable")
    func setNilRemoves() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
        #expect(object["c"] == 3)
        object["c"] = 4
        #expect(object["c"] == 4 && object.count == 2)
        object["zz"] = nil
        #expect(object.count == 2)
    }

    @Test("A repeated key in the initializer keeps the first position and the last value")
    func repeatedKeyInInit() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }

    @Test("Object equality ignores member order but not values")
    func equalityIgnoresOrder() {
        let ab: JSONValue = ["a": 1, "b": 2]
        let ba: JSONValue = ["b": 2, "a": 1]
        let other: JSONValue = ["a": 1, "b": 3]
        let fewer: JSONValue = ["a": 1]
        #expect(ab == ba)
        #expect(ab != other)
        #expect(ab != fewer)
        #expect(JSON.serializeToString(ab) != JSON.serializeToString(ba))
    }

    @Test("Iterating an object yields members in order")
    func iteration() {
        let object: JSONObject = ["x": 1, "y": "two"]
        let pairs = object.map { "\($0.key)=\($0.value)" }
        #expect(pairs == ["x=1", #"y="two""#])
    }

    @Test("Large objects stay consistent through sets and removals", arguments: [5, 11, 12, 13, 40])
    func largeObjects(size: Int) {
        var object = JSONObject()
        for k in 0..<size { object["k\(k)"] = .int(k) }
        for k in stride(from: 0, to: size, by: 3) { object["k\(k)"] = nil }
        object["k1"] = "replaced"
        let expectedKeys = (0..<size).filter { $0 % 3 != 0 }.map { "k\($0)" }
        #expect(object.keys == expectedKeys)
        for k in 0..<size {
            let expected: JSONValue? = k % 3 == 0 ? nil : (k == 1 ? "replaced" : .int(k))
            #expect(object["k\(k)"] == expected)
        }
        object["new"] = true
        #expect(object.keys.last == "new" && object["new"] == true)
    }

    @Test("A duplicate key is found in a large object too")
    func duplicateInLargeObject() {
        let members = (0..<30).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let error = #expect(throws: JSONSyntaxError.self) { _ = try JSON.parse("{" + members + #","k17":0}"#) }
        #expect(error?.message == #"duplicate key "k17""#)
    }

    @Test("Numbers compare by their text")
    func numbersCompareByText() {
        #expect(JSONValue.number("1.0") != JSONValue.number("1"))
        #expect(JSONValue.int(1) == 1)
    }
}

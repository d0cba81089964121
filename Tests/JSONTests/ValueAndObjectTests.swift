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

    @Test("Numbers compare by their text")
    func numbersCompareByText() {
        #expect(JSONValue.number("1.0") != JSONValue.number("1"))
        #expect(JSONValue.int(1) == 1)
    }
}

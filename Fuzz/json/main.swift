// libFuzzer target for the JSON parser and writer.
// Built by scripts/fuzz together with Sources/JSON/*.swift into one module, so internal API
// (JSONNumber) is visible here.
//
// Invariants (a violation traps, which libFuzzer reports as a crash):
// - an accepted document is valid UTF-8;
// - round trip: parse(serialize(v)) == v, and serializing again gives the same bytes;
// - the output is valid UTF-8 and contains no raw control characters, U+2028 or U+2029;
// - for every number: int64Value agrees with the integer text; a finite doubleValue's
//   shortest text is a valid JSON number that reads back as the same Double; rounded text
//   is a valid JSON number.

@inline(never)
func check(_ condition: Bool, _ message: StaticString) {
    if !condition { fatalError("invariant violated: \(message)") }
}

func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}

func sameDouble(_ a: Double, _ b: Double) -> Bool {
    a == b && a.sign == b.sign
}

func checkNumber(_ text: String) {
    check(JSONNumber.isValid(text), "parsed number text is not valid")
    let value = JSONValue.number(text)
    if let i = value.int64Value {
        // JSON integers have no leading zeros, so only "-0" prints differently.
        check(String(i) == text || text == "-0", "int64Value does not match its text")
    }
    guard let d = value.doubleValue else { return }
    guard let shortest = JSONNumber.shortestText(d) else { check(false, "finite double without text"); return }
    check(JSONNumber.isValid(shortest), "shortest text is not a JSON number")
    guard let back = Double(shortest) else { check(false, "shortest text does not read back"); return }
    check(sameDouble(back, d), "shortest text reads back as another double")
    for decimals in [0, 2, 6] {
        guard let rounded = JSONNumber.roundedText(d, decimals: decimals) else {
            check(false, "finite double without rounded text"); return
        }
        check(JSONNumber.isValid(rounded), "rounded text is not a JSON number")
    }
}

func visit(_ value: JSONValue) {
    switch value {
    case .null, .bool, .string: break
    case .number(let text): checkNumber(text)
    case .array(let items): items.forEach(visit)
    case .object(let object):
        check(Set(object.keys).count == object.count, "duplicate keys in a parsed object")
        for (_, member) in object { visit(member) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let value: JSONValue
    do {
        value = try JSON.parse(bytes)
    } catch {
        check(error.offset >= 0 && error.offset <= bytes.count, "error offset out of range")
        return 0
    }
    check(isValidUTF8(bytes), "accepted invalid UTF-8")
    let text = JSON.serialize(value)
    check(isValidUTF8(text), "serialized invalid UTF-8")
    check(!text.contains { $0 < 0x20 }, "serialized a raw control character")
    let again: JSONValue
    do {
        again = try JSON.parse(text)
    } catch {
        fatalError("serialized output does not parse: \(error)")
    }
    check(again == value, "round trip changed the value")
    check(JSON.serialize(again) == text, "serializing twice differs")
    visit(value)
    return 0
}

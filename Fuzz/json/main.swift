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
        checkEdits(object)
    }
}

/// Removing a member, replacing one and re-adding one keep every other lookup right
/// (objects from 12 members on use a key index that removal must renumber).
func checkEdits(_ object: JSONObject) {
    guard let first = object.keys.first else { return }
    let middle = object.keys[object.count / 2]
    var edited = object
    edited[middle] = nil
    check(edited.count == object.count - 1 && edited[middle] == nil, "removal failed")
    for (key, value) in object where key != middle {
        check(edited[key] == value, "removal broke another lookup")
    }
    if first != middle {
        edited[first] = .null
        check(edited[first] == .null && edited.keys.first == first, "replacement moved or failed")
    }
    edited[middle] = .bool(true)
    check(edited.keys.last == middle && edited[middle] == .bool(true), "re-adding did not append")
    check(edited.count == object.count, "re-adding changed the count")
}

/// Container nesting depth, as `maxDepth` counts it.
func nesting(_ value: JSONValue) -> Int {
    switch value {
    case .array(let items): 1 + (items.map(nesting).max() ?? 0)
    case .object(let object): 1 + (object.map { nesting($0.value) }.max() ?? 0)
    default: 0
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
        check(error.line >= 1 && error.column >= 1, "error line or column below 1")
        return 0
    }
    // maxDepth is exact: the document's own depth is accepted, one less is not.
    let depth = nesting(value)
    check((try? JSON.parse(bytes, maxDepth: depth)) == value, "rejected at its own depth")
    if depth > 0 {
        check((try? JSON.parse(bytes, maxDepth: depth - 1)) == nil, "accepted above maxDepth")
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

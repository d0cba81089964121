/// One JSON value (RFC 8259 §3).
///
/// Numbers keep their source text (`.number("-12.5e3")`) until a caller asks for
/// `int64Value` or `doubleValue`, so nothing is lost or rounded by parsing alone.
///
/// Equality is structural: numbers compare by *text* (`1.0` and `1` differ), strings by
/// Swift `String` equality (canonical equivalence), objects by their key/value pairs
/// regardless of member order (see `JSONObject`).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's JSON text, e.g. `"-12.5e3"`. The writer emits `null` for text that is
    /// not a valid RFC 8259 number, so a bad literal can never produce invalid output.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    // MARK: Building

    /// An integer number.
    public static func int<I: BinaryInteger>(_ v: I) -> JSONValue {
        .number(String(v))
    }

    /// A number with the shortest text that reads back as the same `Double`
    /// (`1.0` → `1`, `0.1` → `0.1`, `1e16` → `1e+16`). Non-finite values become `.null`.
    public static func double(_ v: Double) -> JSONValue {
        guard let text = JSONNumber.shortestText(v) else { return .null }
        return .number(text)
    }

    /// `v` rounded half away from zero to `decimals` decimal places, printed without
    /// trailing zeros or noise (`0.66666` → `0.6667`, `1.0` → `1`, `-0.00001` → `0`).
    /// Plain notation for magnitudes below 1e15; non-finite values become `.null`.
    /// Rounding works on the shortest decimal text of `v`, so `2.675` rounds to `2.68`
    /// as a reader expects, even though the binary value is slightly below 2.675.
    public static func number(rounded v: Double, decimals: Int) -> JSONValue {
        guard let text = JSONNumber.roundedText(v, decimals: decimals) else { return .null }
        return .number(text)
    }

    /// `.string(v)`, or `.null` when `v` is nil.
    public static func optional(_ v: String?) -> JSONValue {
        v.map(JSONValue.string) ?? .null
    }

    /// `.object` from ordered members; a repeated key replaces the earlier value.
    public static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(members))
    }

    // MARK: Reading

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The number as `Int64` when its text is a plain integer (`-?digits`) in range.
    /// Fractions and exponents give nil, even `1.0` and `1e2`: keep it simple and strict.
    public var int64Value: Int64? {
        guard case .number(let text) = self else { return nil }
        return JSONNumber.int64(text)
    }

    /// The number as the nearest `Double`; nil when it is out of `Double`'s finite range
    /// (e.g. `1e400`) or when the text is not a valid JSON number.
    public var doubleValue: Double? {
        guard case .number(let text) = self, JSONNumber.isValid(text),
              let d = Double(text), d.isFinite else { return nil }
        return d
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type name used in error messages: "null", "boolean", "number", "string",
    /// "array" or "object".
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Member of an object by key; nil for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// Element of an array by position; nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let a) = self, a.indices.contains(index) else { return nil }
        return a[index]
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Keeps the literal's order; a repeated key replaces the earlier value in place.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { JSON.serializeToString(self) }
}

/// Reads the fields of one JSON object into typed values, recording every mistake in a
/// shared `FieldErrors` with its RFC 6901 pointer instead of stopping at the first.
///
/// Each reader returns nil (and records an error) when the field is required but missing,
/// is explicitly null, has the wrong JSON type, or fails its check; `required: false` and
/// an absent field give nil without an error. Every key read is remembered, so
/// `rejectUnknown()`, called last, can report the keys nobody asked for.
///
/// When the value is not an object, the initializer records "must be a JSON object" once
/// and every reader then returns nil quietly.
public struct JSONFields {
    /// The object being read, or nil when the value was not an object.
    public let jsonObject: JSONObject?
    /// The pointer of the object itself ("" for the root).
    public let basePointer: String
    public let errors: FieldErrors
    private let asked = AskedKeys()

    /// Keys read so far; a class so copies of a `JSONFields` share it.
    private final class AskedKeys {
        var keys: Set<String> = []
    }

    /// If `value` is not an object, records "must be a JSON object" at `pointer` (use ""
    /// for the root).
    public init(_ value: JSONValue, pointer: String = "", errors: FieldErrors) {
        self.basePointer = pointer
        self.errors = errors
        if case .object(let object) = value {
            self.jsonObject = object
        } else {
            self.jsonObject = nil
            errors.add(pointer, "must be a JSON object")
        }
    }

    /// The pointer of member `key`: the base pointer, `/`, and `key` with `~` written
    /// as `~0` and `/` as `~1` (RFC 6901 §3).
    public func pointer(_ key: String) -> String {
        basePointer + "/" + JSONFields.escape(key)
    }

    /// Escapes one RFC 6901 reference token: `~` → `~0`, `/` → `~1`.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return token
        }
        var out = ""
        for c in token.unicodeScalars {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    // MARK: Scalars

    /// A string; `maxLength` counts Unicode scalars.
    public func string(_ key: String, required: Bool = true, maxLength: Int? = nil) -> String? {
        guard let value = present(key, required: required) else { return nil }
        guard case .string(let s) = value else { return fail(key, "must be a string") }
        if let maxLength, s.unicodeScalars.count > maxLength {
            return fail(key, "must be at most \(maxLength) characters")
        }
        return s
    }

    public func bool(_ key: String, required: Bool = true) -> Bool? {
        guard let value = present(key, required: required) else { return nil }
        guard case .bool(let b) = value else { return fail(key, "must be a boolean") }
        return b
    }

    /// An integer written without fraction or exponent (`3`, not `3.0`), optionally in `range`.
    public func int(_ key: String, required: Bool = true, range: ClosedRange<Int>? = nil) -> Int? {
        guard let value = present(key, required: required) else { return nil }
        // JSON Schema's integer is any number with a zero fraction, `1.0` and `1e2` included:
        // accepted too, so a body the OpenAPI document calls valid is never refused here.
        // Below 2^52 a Double keeps every half, so a fraction is never rounded away.
        let integral = value.doubleValue.flatMap { d in
            d == d.rounded() && abs(d) < 4_503_599_627_370_496 ? Int64(d) : nil
        }
        guard let wide = value.int64Value ?? integral, let n = Int(exactly: wide) else {
            return fail(key, "must be an integer")
        }
        if let range, !range.contains(n) {
            return fail(key, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return n
    }

    /// Any finite number, optionally in `range`.
    public func double(_ key: String, required: Bool = true, range: ClosedRange<Double>? = nil) -> Double? {
        guard let value = present(key, required: required) else { return nil }
        guard let d = value.doubleValue else { return fail(key, "must be a number") }
        if let range, !range.contains(d) {
            return fail(key, "must be between \(JSON.serializeToString(.double(range.lowerBound))) and \(JSON.serializeToString(.double(range.upperBound)))")
        }
        return d
    }

    /// An array of strings. Item errors point at the item (`/tags/2`); any error gives nil.
    public func stringArray(_ key: String, required: Bool = true, maxCount: Int? = nil, maxLength: Int? = nil) -> [String]? {
        guard let value = present(key, required: required) else { return nil }
        guard case .array(let items) = value else { return fail(key, "must be an array") }
        if let maxCount, items.count > maxCount {
            return fail(key, "must have at most \(maxCount) items")
        }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        var ok = true
        for (k, item) in items.enumerated() {
            let at = pointer(key) + "/\(k)"
            guard case .string(let s) = item else {
                errors.add(at, "must be a string")
                ok = false
                continue
            }
            if let maxLength, s.unicodeScalars.count > maxLength {
                errors.add(at, "must be at most \(maxLength) characters")
                ok = false
                continue
            }
            strings.append(s)
        }
        return ok ? strings : nil
    }

    /// Converts a string field with `transform`; on a nil result records `detail`
    /// (e.g. "must be a date YYYY-MM-DD").
    public func string<T>(_ key: String, required: Bool = true, _ detail: String, _ transform: (String) -> T?) -> T? {
        guard let s = string(key, required: required) else { return nil }
        guard let converted = transform(s) else { return fail(key, detail) }
        return converted
    }

    /// A nullable string field for PATCH: absent, explicit null, or a value converted with
    /// `transform`. A wrong type or a failed conversion records an error and gives `.absent`
    /// (check `errors.isEmpty` before applying the update).
    public func update<T: Sendable>(_ key: String, _ detail: String, _ transform: (String) -> T?) -> FieldUpdate<T> {
        guard let object = jsonObject else { return .absent }
        asked.keys.insert(key)
        switch object[key] {
        case nil:
            return .absent
        case .null?:
            return .null
        case .string(let s)?:
            guard let converted = transform(s) else {
                errors.add(pointer(key), detail)
                return .absent
            }
            return .value(converted)
        case .some:
            errors.add(pointer(key), "must be a string")
            return .absent
        }
    }

    // MARK: Nested and raw

    /// The raw member (nil when absent or when this is not an object); marks it as read.
    public func value(_ key: String) -> JSONValue? {
        guard let object = jsonObject else { return nil }
        asked.keys.insert(key)
        return object[key]
    }

    /// Whether the member is present (even as null). Does not mark it as read.
    public func has(_ key: String) -> Bool {
        jsonObject?.contains(key: key) ?? false
    }

    /// A nested object, read with the same error list and pointers below `/key`.
    public func object(_ key: String, required: Bool = true) -> JSONFields? {
        guard let value = present(key, required: required) else { return nil }
        guard case .object = value else { return fail(key, "must be a JSON object") }
        return JSONFields(value, pointer: pointer(key), errors: errors)
    }

    /// An array of objects, each read with pointers `/key/0`, `/key/1`, …; an item that is
    /// not an object records "must be a JSON object" at its pointer and is skipped.
    public func objects(_ key: String, required: Bool = true, maxCount: Int? = nil) -> [JSONFields]? {
        guard let value = present(key, required: required) else { return nil }
        guard case .array(let items) = value else { return fail(key, "must be an array") }
        if let maxCount, items.count > maxCount {
            return fail(key, "must have at most \(maxCount) items")
        }
        var readers: [JSONFields] = []
        for (k, item) in items.enumerated() {
            let reader = JSONFields(item, pointer: pointer(key) + "/\(k)", errors: errors)
            if reader.jsonObject != nil { readers.append(reader) }
        }
        return readers
    }

    /// Records "unknown field" for every key not asked for by any reader above (call last).
    public func rejectUnknown() {
        guard let object = jsonObject else { return }
        for key in object.keys where !asked.keys.contains(key) {
            errors.add(pointer(key), "unknown field")
        }
    }

    // MARK: Helpers

    /// Marks `key` as read and returns its value when present and not null; records
    /// "is required" / "must not be null" otherwise.
    private func present(_ key: String, required: Bool) -> JSONValue? {
        guard let object = jsonObject else { return nil }
        asked.keys.insert(key)
        guard let value = object[key] else {
            if required { errors.add(pointer(key), "is required") }
            return nil
        }
        if value.isNull {
            errors.add(pointer(key), "must not be null")
            return nil
        }
        return value
    }

    private func fail<T>(_ key: String, _ detail: String) -> T? {
        errors.add(pointer(key), detail)
        return nil
    }
}

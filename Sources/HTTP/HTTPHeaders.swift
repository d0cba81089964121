/// Ordered, case-insensitive header list. Field names keep the spelling they were given;
/// lookups compare ASCII case-insensitively (RFC 9110 §5.1).
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public typealias Element = (name: String, value: String)

    struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, or nil.
    public subscript(_ name: String) -> String? {
        fields.first { asciiCaseInsensitiveEquals($0.name, name) }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { asciiCaseInsensitiveEquals($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { asciiCaseInsensitiveEquals($0.name, name) }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field called `name` with one field holding `value`.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { asciiCaseInsensitiveEquals($0.name, name) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> AnyIterator<Element> {
        var index = 0
        let fields = self.fields
        return AnyIterator {
            guard index < fields.count else { return nil }
            defer { index += 1 }
            return (name: fields[index].name, value: fields[index].value)
        }
    }
}

/// ASCII-only case folding: header names and tokens are ASCII (RFC 9110 §5.1, §5.6.2).
func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
    let x = a.utf8, y = b.utf8
    guard x.count == y.count else { return false }
    // Native strings are contiguous UTF-8: compare the bytes in place (every header lookup).
    let direct = x.withContiguousStorageIfAvailable { p in
        y.withContiguousStorageIfAvailable { q in
            for i in 0..<p.count where asciiLower(p[i]) != asciiLower(q[i]) { return false }
            return true
        }
    }
    if let direct, let result = direct { return result }
    for (p, q) in zip(x, y) where asciiLower(p) != asciiLower(q) {
        return false
    }
    return true
}

@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}

extension String {
    /// ASCII lowercase; leaves non-ASCII bytes alone.
    var asciiLowercased: String {
        String(decoding: utf8.map(asciiLower), as: UTF8.self)
    }

    /// Trims spaces and horizontal tabs (OWS, RFC 9110 §5.6.3).
    var trimmingOWS: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}

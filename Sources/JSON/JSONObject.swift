/// A JSON object: members in insertion order, keys unique.
///
/// Setting an existing key replaces its value in place; setting a new key appends it;
/// setting `nil` removes the member. Small objects are searched linearly; from
/// `indexThreshold` members on, a key index makes lookups O(1).
///
/// Equality ignores member order (RFC 8259 §4: objects are unordered); use `keys` when the
/// order matters. Keys compare as Swift `String`s, i.e. by canonical equivalence, so
/// `"é"` and `"e\u{301}"` are the same key (the parser reports them as duplicates).
public struct JSONObject: Sendable, Equatable, Sequence {
    public typealias Element = (key: String, value: JSONValue)

    private var members: [Element] = []
    /// Key → position, built only once the object has `indexThreshold` members.
    private var index: [String: Int]?
    private static let indexThreshold = 12

    public init() {}

    /// Members in order; a repeated key replaces the earlier value, keeping its position.
    public init(_ members: [(String, JSONValue)]) {
        self.members.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    public subscript(_ key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    if index != nil {
                        index![key] = nil
                        for i in position..<members.count { index![members[i].key] = i }
                    }
                }
            } else if let newValue {
                appendNew(key, newValue)
            }
        }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    /// Keys in member order.
    public var keys: [String] { members.map(\.key) }

    public var count: Int { members.count }

    public var isEmpty: Bool { members.isEmpty }

    public func contains(key: String) -> Bool { position(of: key) != nil }

    public func makeIterator() -> IndexingIterator<[Element]> {
        members.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (key, value) in lhs.members {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    /// Appends a member the caller knows is new (used by the parser after its own
    /// duplicate check).
    mutating func appendNew(_ key: String, _ value: JSONValue) {
        if index != nil {
            index![key] = members.count
        } else if members.count + 1 >= Self.indexThreshold {
            var built: [String: Int] = [:]
            built.reserveCapacity(members.count * 2)
            for (i, member) in members.enumerated() { built[member.key] = i }
            built[key] = members.count
            index = built
        }
        members.append((key: key, value: value))
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

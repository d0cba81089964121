/// A JSON object: members in insertion order, keys unique.
///
/// Setting an existing key replaces its value in place; setting a new key appends it;
/// setting `nil` removes the member. Lookups are O(1) through a key index.
///
/// Equality ignores member order (RFC 8259 §4: objects are unordered); use `keys` when the
/// order matters. Keys compare as Swift `String`s, i.e. by canonical equivalence, so
/// `"é"` and `"e\u{301}"` are the same key (the parser reports them as duplicates).
public struct JSONObject: Sendable, Equatable, Sequence {
    public typealias Element = (key: String, value: JSONValue)

    private var members: [Element] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// Members in order; a repeated key replaces the earlier value, keeping its position.
    public init(_ members: [(String, JSONValue)]) {
        self.members.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    public subscript(_ key: String) -> JSONValue? {
        get { index[key].map { members[$0].value } }
        set {
            if let position = index[key] {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    index[key] = nil
                    for i in position..<members.count { index[members[i].key] = i }
                }
            } else if let newValue {
                index[key] = members.count
                members.append((key: key, value: newValue))
            }
        }
    }

    /// Keys in member order.
    public var keys: [String] { members.map(\.key) }

    public var count: Int { members.count }

    public var isEmpty: Bool { members.isEmpty }

    public func contains(key: String) -> Bool { index[key] != nil }

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
        index[key] = members.count
        members.append((key: key, value: value))
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

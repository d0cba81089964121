/// One SQLite value (sqlite.org/datatype3.html: the five storage classes).
/// Deliberately not CustomStringConvertible: values are personal data and must not end
/// up in logs or error messages by accident.
public enum SQLiteValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByBooleanLiteral
{
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(nilLiteral: ()) { self = .null }
    /// Booleans are stored as 0/1 integers (SQLite has no boolean storage class).
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }

    /// `.text(s)`, or `.null` for nil.
    public static func optional(_ s: String?) -> SQLiteValue {
        guard let s else { return .null }
        return .text(s)
    }

    /// `.integer(i)`, or `.null` for nil.
    public static func int(_ i: Int?) -> SQLiteValue {
        guard let i else { return .null }
        return .integer(Int64(i))
    }

    /// `.real(d)`, or `.null` for nil.
    public static func double(_ d: Double?) -> SQLiteValue {
        guard let d else { return .null }
        return .real(d)
    }

    /// `.integer(1/0)`, or `.null` for nil.
    public static func bool(_ b: Bool?) -> SQLiteValue {
        guard let b else { return .null }
        return .integer(b ? 1 : 0)
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

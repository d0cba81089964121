import Log

/// A column that does not hold what the code expects of it (GRDB's `RowDecodingError` is the
/// model). Names the table, the column and the row's key, never the value: values are
/// personal data and this error ends up in logs. A corrupt row must be an error (a 500 with
/// this logged), never a plausible wrong answer.
public struct RowDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let table: String
    public let column: String
    /// The row's key (its id), if the row has one that could be read.
    public let key: String?
    /// What is wrong, e.g. "is NULL" or "is not a date YYYY-MM-DD".
    public let problem: String

    public init(table: String, column: String, key: String?, problem: String) {
        self.table = table; self.column = column; self.key = key; self.problem = problem
    }

    public var description: String {
        "cannot decode \(table).\(column) of row \(key.map { "'\($0)'" } ?? "(no key)"): \(problem)"
    }
}

/// Reads a row of `table` by column name, strictly: NULL where a value is required, a wrong
/// storage class, or text that does not convert throws a `RowDecodingError`.
public struct RowReader: Sendable {
    public let row: Row
    public let table: String
    /// The column that identifies the row in errors.
    public let keyColumn: String

    public init(_ row: Row, table: String, key keyColumn: String = "id") {
        self.row = row; self.table = table; self.keyColumn = keyColumn
    }

    private var key: String? {
        switch row[keyColumn] {
        case .text(let s)?: return s
        case .integer(let i)?: return String(i)
        default: return nil
        }
    }

    public func error(_ column: String, _ problem: String) -> RowDecodingError {
        RowDecodingError(table: table, column: column, key: key, problem: problem)
    }

    /// The raw value; a column missing from the result is an error.
    public func value(_ column: String) throws -> SQLiteValue {
        guard let v = row[column] else { throw error(column, "is not in the result") }
        return v
    }

    public func text(_ column: String) throws -> String {
        guard let s = try optionalText(column) else { throw error(column, "is NULL") }
        return s
    }

    public func optionalText(_ column: String) throws -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let s): return s
        case .integer: throw error(column, "holds an integer where text is expected")
        case .real: throw error(column, "holds a real where text is expected")
        case .blob: throw error(column, "holds a blob where text is expected")
        }
    }

    public func int64(_ column: String) throws -> Int64 {
        guard let i = try optionalInt64(column) else { throw error(column, "is NULL") }
        return i
    }

    public func optionalInt64(_ column: String) throws -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .integer(let i): return i
        default: throw error(column, "does not hold an integer")
        }
    }

    public func int(_ column: String) throws -> Int { Int(try int64(column)) }

    public func optionalInt(_ column: String) throws -> Int? { try optionalInt64(column).map { Int($0) } }

    /// Stored as 0 or 1 (SQLite has no boolean storage class).
    public func bool(_ column: String) throws -> Bool {
        switch try int64(column) {
        case 0: return false
        case 1: return true
        default: throw error(column, "holds an integer other than 0 or 1")
        }
    }

    /// Text converted by `convert`; `expected` says what it should have been ("a date YYYY-MM-DD").
    public func text<T>(_ column: String, as expected: String, _ convert: (String) -> T?) throws -> T {
        guard let v = convert(try text(column)) else { throw error(column, "is not \(expected)") }
        return v
    }

    /// Likewise, NULL allowed.
    public func optionalText<T>(_ column: String, as expected: String, _ convert: (String) -> T?) throws -> T? {
        guard let s = try optionalText(column) else { return nil }
        guard let v = convert(s) else { throw error(column, "is not \(expected)") }
        return v
    }
}

extension RowDecodingError: Diagnosable {
    public var diagnostics: [String: String] { ["table": table, "column": column, "row": key ?? "", "problem": problem] }
}

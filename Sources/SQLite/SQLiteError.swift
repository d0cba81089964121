import CSQLite
import Log

/// An error reported by SQLite.
///
/// Keeps the extended result code (sqlite.org/rescode.html) and the SQL text, but never the
/// bound values: those are personal data and errors end up in logs.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code, e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE.
    public let code: Int32
    /// sqlite3_errmsg text (SQLite's messages name tables and columns, not values).
    public let message: String
    /// The SQL that failed, as written with `?` placeholders; never the bound values.
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// "The least significant 8 bits of the extended result code define the primary
    /// result code" (rescode.html).
    public var primaryCode: Int32 { code & 0xFF }

    /// SQLITE_BUSY or SQLITE_LOCKED, with any extended code: retrying later may succeed.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    public var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// A UNIQUE or PRIMARY KEY constraint failed.
    public var isUniqueViolation: Bool {
        code == SQLiteResultCode.constraintUnique.rawValue || code == SQLiteResultCode.constraintPrimaryKey.rawValue
    }

    public var isForeignKeyViolation: Bool { code == SQLiteResultCode.constraintForeignKey.rawValue }

    /// The SQLite's English name for the code, e.g. "constraint failed".
    public var codeDescription: String { String(cString: sqlite3_errstr(code)) }

    public var description: String {
        var text = "SQLite error \(code) (\(codeDescription)): \(message)"
        if let sql { text += " — SQL: \(sql)" }
        return text
    }

    /// Builds the error for `resultCode` returned by a call on `db`.
    static func make(_ resultCode: Int32, db: OpaquePointer?, sql: String?) -> SQLiteError {
        let message: String
        if let db, let text = sqlite3_errmsg(db) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(resultCode))
        }
        return SQLiteError(code: resultCode, message: message, sql: sql)
    }

    /// An API-misuse error detected by this module, not by SQLite.
    static func misuse(_ message: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(code: SQLITE_MISUSE, message: message, sql: sql)
    }
}

/// A result code to match errors against, primary or extended:
/// `catch SQLiteResultCode.constraintForeignKey { ... }` or `catch SQLiteResultCode.busy`.
/// A primary pattern matches every extended code of its family.
public struct SQLiteResultCode: Sendable, Equatable, Hashable {
    public let rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    public static let error = SQLiteResultCode(SQLITE_ERROR)
    public static let busy = SQLiteResultCode(SQLITE_BUSY)
    public static let locked = SQLiteResultCode(SQLITE_LOCKED)
    public static let readOnly = SQLiteResultCode(SQLITE_READONLY)
    public static let constraint = SQLiteResultCode(SQLITE_CONSTRAINT)
    // Extended codes (rescode.html): primary | (n << 8).
    public static let constraintCheck = SQLiteResultCode(SQLITE_CONSTRAINT | (1 << 8))
    public static let constraintForeignKey = SQLiteResultCode(SQLITE_CONSTRAINT | (3 << 8))
    public static let constraintNotNull = SQLiteResultCode(SQLITE_CONSTRAINT | (5 << 8))
    public static let constraintPrimaryKey = SQLiteResultCode(SQLITE_CONSTRAINT | (6 << 8))
    public static let constraintUnique = SQLiteResultCode(SQLITE_CONSTRAINT | (8 << 8))

    public static func ~= (pattern: SQLiteResultCode, error: any Error) -> Bool {
        guard let error = error as? SQLiteError else { return false }
        if pattern.rawValue & 0xFF == pattern.rawValue {
            return error.primaryCode == pattern.rawValue
        }
        return error.code == pattern.rawValue
    }
}

extension SQLiteError: Diagnosable {
    /// The extended result code, SQLite's message (it names tables and columns, not values)
    /// and the SQL text with its `?` placeholders.
    public var diagnostics: [String: String] {
        var d = ["sqlite_code": String(code), "sqlite_message": message]
        if let sql { d["sql"] = sql }
        return d
    }
}

import CSQLite

/// sqlite3.h defines SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1), a cast Swift cannot
/// import: "SQLite makes its own private copy of the data immediately" (c3ref/bind_blob.html).
var SQLITE_TRANSIENT: sqlite3_destructor_type {
    unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

/// One prepared statement. Prepares in `init`, finalizes in `deinit`.
/// Not Sendable: a statement belongs to its connection's thread.
public final class Statement {
    public let sql: String
    private(set) var handle: OpaquePointer?
    /// Set while a streaming read runs, so a re-entrant call with the same SQL does not
    /// reset this statement under it.
    var isInUse = false

    /// Prepares exactly one statement; trailing whitespace and comments are allowed, a
    /// second statement is an error (use `Connection.execute` for scripts).
    init(db: OpaquePointer, sql: String) throws {
        self.sql = sql
        var stmt: OpaquePointer?
        var trailing = false
        let rc = sql.withCString { cSQL -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(db, cSQL, -1, &stmt, &tail)
            guard rc == SQLITE_OK, let tail, tail.pointee != 0 else { return rc }
            // Whatever follows must prepare to nothing (only whitespace or comments).
            var extra: OpaquePointer?
            let rc2 = sqlite3_prepare_v2(db, tail, -1, &extra, nil)
            if extra != nil || rc2 != SQLITE_OK { trailing = true }
            sqlite3_finalize(extra)
            return rc
        }
        guard rc == SQLITE_OK else {
            throw SQLiteError.make(rc, db: db, sql: sql)
        }
        guard let stmt else {
            throw SQLiteError.misuse("empty statement", sql: sql)
        }
        if trailing {
            sqlite3_finalize(stmt)
            throw SQLiteError.misuse("more than one statement; use execute() for scripts", sql: sql)
        }
        handle = stmt
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Finalizes now (before the connection closes). Idempotent.
    func finalize() {
        sqlite3_finalize(handle)
        handle = nil
    }

    private var stmt: OpaquePointer {
        guard let handle else { preconditionFailure("Statement used after its connection closed: \(sql)") }
        return handle
    }

    private func error(_ rc: Int32) -> SQLiteError {
        SQLiteError.make(rc, db: sqlite3_db_handle(stmt), sql: sql)
    }

    /// Resets the statement, clears previous bindings, then binds `args` to the `?`
    /// parameters in order. The number of arguments must equal the number of parameters.
    public func bind(_ args: [SQLiteValue]) throws {
        let stmt = self.stmt
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        let expected = Int(sqlite3_bind_parameter_count(stmt))
        guard args.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE,
                              message: "wrong number of arguments: the statement has \(expected) parameters, got \(args.count)",
                              sql: sql)
        }
        for (offset, value) in args.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null:
                rc = sqlite3_bind_null(stmt, index)
            case .integer(let v):
                rc = sqlite3_bind_int64(stmt, index, v)
            case .real(let v):
                rc = sqlite3_bind_double(stmt, index, v)
            case .text(let v):
                // withCString's buffer holds every UTF-8 byte (embedded NULs included), and its
                // pointer is non-nil even for "", so an empty string binds as text, not NULL.
                let length = Int32(v.utf8.count)
                rc = v.withCString { sqlite3_bind_text(stmt, index, $0, length, SQLITE_TRANSIENT) }
            case .blob(let v):
                if v.isEmpty {
                    // A nil data pointer would bind NULL; an empty blob is a zero-length blob.
                    rc = sqlite3_bind_zeroblob(stmt, index, 0)
                } else {
                    rc = v.withUnsafeBytes { raw in
                        sqlite3_bind_blob(stmt, index, raw.baseAddress, Int32(raw.count), SQLITE_TRANSIENT)
                    }
                }
            }
            guard rc == SQLITE_OK else { throw error(rc) }
        }
    }

    /// Advances; true when a row is available, false when the statement is done.
    public func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(rc)
        }
    }

    /// Resets to run again (keeps bindings). A reset statement holds no read lock, which
    /// matters in WAL mode: an open read blocks checkpoints from completing (wal.html §4).
    public func reset() {
        if let handle { sqlite3_reset(handle) }
    }

    /// Resets and clears bindings, so no bound personal data lingers in a cached statement.
    public func resetAndClearBindings() {
        if let handle {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
    }

    public var columnCount: Int { Int(sqlite3_column_count(stmt)) }

    public func columnName(_ i: Int) -> String {
        guard let name = sqlite3_column_name(stmt, Int32(i)) else { return "" }
        return String(cString: name)
    }

    /// The current row's column `i`, in its storage class.
    public func value(_ i: Int) -> SQLiteValue {
        let stmt = self.stmt
        let column = Int32(i)
        switch sqlite3_column_type(stmt, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(stmt, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(stmt, column))
        case SQLITE_TEXT: return .text(text(i) ?? "")
        case SQLITE_BLOB: return .blob(blob(i))
        default: return .null
        }
    }

    /// 0 for NULL; SQLite converts other types (c3ref/column_blob.html).
    public func int64(_ i: Int) -> Int64 { sqlite3_column_int64(stmt, Int32(i)) }

    public func int(_ i: Int) -> Int { Int(int64(i)) }

    public func double(_ i: Int) -> Double { sqlite3_column_double(stmt, Int32(i)) }

    /// nil for NULL.
    public func text(_ i: Int) -> String? {
        let stmt = self.stmt
        let column = Int32(i)
        if sqlite3_column_type(stmt, column) == SQLITE_NULL { return nil }
        // "call sqlite3_column_text() first and then sqlite3_column_bytes()" (column_blob.html).
        guard let pointer = sqlite3_column_text(stmt, column) else { return "" }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Empty for NULL.
    public func blob(_ i: Int) -> [UInt8] {
        let stmt = self.stmt
        let column = Int32(i)
        guard let pointer = sqlite3_column_blob(stmt, column) else { return [] }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    public func isNull(_ i: Int) -> Bool { sqlite3_column_type(stmt, Int32(i)) == SQLITE_NULL }

    /// The result's column names, read once per statement.
    public var columnNames: [String] {
        if let cachedNames { return cachedNames }
        let names = (0..<columnCount).map(columnName)
        cachedNames = names
        return names
    }
    private var cachedNames: [String]?

    /// The current row, copied out, with its column names.
    public func row() -> Row {
        let n = columnCount
        var values: [SQLiteValue] = []
        values.reserveCapacity(n)
        for i in 0..<n { values.append(value(i)) }
        return Row(columns: columnNames, values: values)
    }
}

@available(*, unavailable)
extension Statement: Sendable {}

/// The current row of a streaming read (`Connection.forEachRow`): reads columns straight
/// from the statement without building `Row` values. Valid only inside the callback.
public struct RowCursor: ~Copyable {
    let statement: Statement

    public var columnCount: Int { statement.columnCount }
    public func columnName(_ i: Int) -> String { statement.columnName(i) }
    public func value(_ i: Int) -> SQLiteValue { statement.value(i) }
    public func isNull(_ i: Int) -> Bool { statement.isNull(i) }
    /// 0 for NULL.
    public func int64(_ i: Int) -> Int64 { statement.int64(i) }
    /// 0 for NULL.
    public func int(_ i: Int) -> Int { statement.int(i) }
    public func double(_ i: Int) -> Double { statement.double(i) }
    public func bool(_ i: Int) -> Bool { statement.int64(i) != 0 }
    /// nil for NULL.
    public func text(_ i: Int) -> String? { statement.text(i) }
    /// "" for NULL.
    public func string(_ i: Int) -> String { statement.text(i) ?? "" }
    public func optionalInt(_ i: Int) -> Int? { statement.isNull(i) ? nil : statement.int(i) }
    public func blob(_ i: Int) -> [UInt8] { statement.blob(i) }
    /// Copies the whole row out, when one is needed after all.
    public func row() -> Row { statement.row() }
}

/// One result row, copied out of the statement, with the names of its columns (shared by
/// every row of a result). Equal rows have equal values.
public struct Row: Sendable, Equatable {
    public let values: [SQLiteValue]
    /// The result's column names (empty for a row built by hand).
    public let columns: [String]

    public init(columns: [String] = [], values: [SQLiteValue]) { self.columns = columns; self.values = values }

    public static func == (a: Row, b: Row) -> Bool { a.values == b.values }

    public subscript(_ i: Int) -> SQLiteValue { values[i] }

    /// The value of the column named `name` (the first one, as SQL would), nil if the result has no such column.
    public subscript(_ name: String) -> SQLiteValue? {
        columns.firstIndex(of: name).map { values[$0] }
    }

    public var count: Int { values.count }

    /// 0 for NULL; a REAL is truncated. Text or blob is a programming error.
    public func int64(_ i: Int) -> Int64 {
        switch values[i] {
        case .null: return 0
        case .integer(let v): return v
        case .real(let v): return Int64(v)
        case .text, .blob: preconditionFailure("Row.int64: column \(i) is not numeric")
        }
    }

    /// 0 for NULL; a REAL is truncated. Text or blob is a programming error.
    public func int(_ i: Int) -> Int { Int(int64(i)) }

    /// 0 for NULL. Text or blob is a programming error.
    public func double(_ i: Int) -> Double {
        switch values[i] {
        case .null: return 0
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .text, .blob: preconditionFailure("Row.double: column \(i) is not numeric")
        }
    }

    /// "" for NULL; numbers are rendered as SQLite would cast them to text.
    public func string(_ i: Int) -> String { optionalString(i) ?? "" }

    /// nil for NULL.
    public func optionalString(_ i: Int) -> String? {
        switch values[i] {
        case .null: return nil
        case .text(let s): return s
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        }
    }

    /// nil for NULL.
    public func optionalInt(_ i: Int) -> Int? {
        if case .null = values[i] { return nil }
        return int(i)
    }

    /// nil for NULL.
    public func optionalDouble(_ i: Int) -> Double? {
        if case .null = values[i] { return nil }
        return double(i)
    }

    /// Non-zero integer is true; NULL is false.
    public func bool(_ i: Int) -> Bool { int64(i) != 0 }

    /// Empty for NULL; text is returned as its UTF-8 bytes.
    public func blob(_ i: Int) -> [UInt8] {
        switch values[i] {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return []
        }
    }
}

import TestSupport
import Testing
@testable import SQLite

struct TestFailure: Error, Equatable { let tag: String }

@Test func openingAFile_turnsOnWALForeignKeysSynchronousFullAndSecureDelete() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        #expect(try db.queryOne("PRAGMA journal_mode")?.string(0) == "wal")
        #expect(try db.queryOne("PRAGMA foreign_keys")?.int(0) == 1)
        #expect(try db.queryOne("PRAGMA synchronous")?.int(0) == 2)      // FULL
        #expect(try db.queryOne("PRAGMA secure_delete")?.int(0) == 1)
        #expect(db.path == dir + "/test.sqlite")
        #expect(fileExists(dir + "/test.sqlite"))
    }
}

@Test(arguments: [(Synchronous.off, 0), (.normal, 1), (.full, 2), (.extra, 3)])
func synchronousOption_isApplied(level: Synchronous, expected: Int) throws {
    try withTemporaryDirectory { dir in
        var options = ConnectionOptions()
        options.synchronous = level
        options.secureDelete = false
        let db = try makeConnection(in: dir, options: options)
        #expect(try db.queryOne("PRAGMA synchronous")?.int(0) == expected)
        #expect(try db.queryOne("PRAGMA secure_delete")?.int(0) == 0)
    }
}

@Test func nestedPathWithMissingParents_isCreated() throws {
    try withTemporaryDirectory { dir in
        let path = dir + "/a/b/./c/continuity.sqlite"
        let db = try Connection(path: path)
        try db.execute("CREATE TABLE t(x)")
        #expect(isDirectory(dir + "/a/b/c"))
        #expect(fileExists(dir + "/a/b/c/continuity.sqlite"))
        // A second open of the same path (directories now exist) also works.
        let again = try Connection(path: path)
        #expect(try again.query("SELECT * FROM t").isEmpty)
    }
}

@Test func parentPathThatIsAFile_failsToOpenWithAnError() throws {
    try withTemporaryDirectory { dir in
        writeFile(dir + "/file", "not a directory")
        #expect(throws: SQLiteError.self) { try Connection(path: dir + "/file/db.sqlite") }
    }
}

@Test func foreignKeyViolation_throwsForeignKeyViolation() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("""
            CREATE TABLE team(id INTEGER PRIMARY KEY);
            CREATE TABLE client(id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES team(id));
            """)
        let error = expectSQLiteError { try db.run("INSERT INTO client(team_id) VALUES (?)", [42]) }
        #expect(error?.isForeignKeyViolation == true)
        #expect(error?.isConstraint == true)
        #expect(error?.code == 787)     // SQLITE_CONSTRAINT_FOREIGNKEY
        #expect(error?.isUniqueViolation == false)
        #expect(try db.queryOne("SELECT count(*) FROM client")?.int(0) == 0)
    }
}

@Test(arguments: [
    ("CREATE TABLE t(x TEXT UNIQUE)", "INSERT INTO t(x) VALUES (?)", SQLiteValue.text("same"), Int32(2067)),
    ("CREATE TABLE t(x TEXT PRIMARY KEY)", "INSERT INTO t(x) VALUES (?)", .text("same"), 1555),
    ("CREATE TABLE t(x INTEGER PRIMARY KEY)", "INSERT INTO t(x) VALUES (?)", .integer(7), 1555),
])
func duplicateKey_throwsExtendedUniqueOrPrimaryKeyCode(schema: String, insert: String, value: SQLiteValue, code: Int32) throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute(schema)
        try db.run(insert, [value])
        let error = expectSQLiteError { try db.run(insert, [value]) }
        #expect(error?.code == code)
        #expect(error?.primaryCode == 19)   // SQLITE_CONSTRAINT
        #expect(error?.isUniqueViolation == true)
        #expect(error?.isForeignKeyViolation == false)
        #expect(error?.sql == insert)
    }
}

/// Each case binds the secret and violates a constraint (or a type) with it.
@Test(arguments: [
    ("CREATE TABLE t(x TEXT UNIQUE)", "INSERT INTO t(x) VALUES (?)", true),
    ("CREATE TABLE t(x TEXT PRIMARY KEY)", "INSERT INTO t(x) VALUES (?)", true),
    ("CREATE TABLE t(x TEXT CHECK (length(x) < 5))", "INSERT INTO t(x) VALUES (?)", false),
    ("CREATE TABLE t(x TEXT, y TEXT NOT NULL)", "INSERT INTO t(x, y) VALUES (?, NULL)", false),
    ("CREATE TABLE t(x INTEGER) STRICT", "INSERT INTO t(x) VALUES (?)", false),
    ("CREATE TABLE p(id TEXT PRIMARY KEY); CREATE TABLE t(x TEXT REFERENCES p(id))", "INSERT INTO t(x) VALUES (?)", false),
])
func sqliteError_neverContainsTheBoundValues(schema: String, insert: String, insertTwice: Bool) throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute(schema)
        let secret = "Jane Doe, born 1984-02-11"
        if insertTwice { try db.run(insert, [.text(secret)]) }
        let error = expectSQLiteError { try db.run(insert, [.text(secret)]) }
        #expect(error != nil)
        if let error {
            let text = String(describing: error)
            #expect(!text.contains("Jane"), "\(text)")
            #expect(!text.contains("1984"), "\(text)")
            #expect(!error.message.contains("Jane"))
            #expect(error.sql == insert)
            #expect(text.contains(insert))
        }
    }
}

@Test func transaction_rollsBackOnAThrownError_andRethrowsIt() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x)")
        #expect(throws: TestFailure(tag: "boom")) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (?)", [1])
                #expect(db.isInTransaction)
                throw TestFailure(tag: "boom")
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.queryOne("SELECT count(*) FROM t")?.int(0) == 0)
    }
}

@Test(arguments: [Connection.TransactionKind.deferred, .immediate, .exclusive])
func transaction_commitsAndReturnsTheBodysValue(kind: Connection.TransactionKind) throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x)")
        let id = try db.transaction(kind) { () throws -> Int64 in
            try db.run("INSERT INTO t VALUES (?)", ["kept"])
            return db.lastInsertRowID
        }
        #expect(id == 1)
        #expect(!db.isInTransaction)
        // Visible from another connection: it was committed.
        let other = try makeConnection(in: dir)
        #expect(try other.queryOne("SELECT x FROM t")?.string(0) == "kept")
    }
}

@Test func transaction_whoseBodyHitsAConstraint_rethrowsTheSQLiteError() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x UNIQUE)")
        do {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (1)")
                try db.run("INSERT INTO t VALUES (1)")
            }
            Issue.record("expected a unique violation")
        } catch SQLiteResultCode.constraintUnique {
            // matched by extended code
        }
        #expect(try db.queryOne("SELECT count(*) FROM t")?.int(0) == 0)
    }
}

@Test func failedSavepointInsideTransaction_leavesOuterWorkIntact() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x)")
        try db.transaction {
            try db.run("INSERT INTO t VALUES ('outer')")
            #expect(throws: TestFailure(tag: "inner")) {
                try db.savepoint {
                    try db.run("INSERT INTO t VALUES ('inner')")
                    throw TestFailure(tag: "inner")
                }
            }
            #expect(db.isInTransaction)
            try db.run("INSERT INTO t VALUES ('after')")
        }
        #expect(try db.query("SELECT x FROM t ORDER BY rowid").map { $0.string(0) } == ["outer", "after"])
    }
}

@Test func nestedSavepoints_releaseAndRollBackIndependently() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x)")
        try db.savepoint {
            try db.run("INSERT INTO t VALUES ('a')")
            try db.savepoint {
                try db.run("INSERT INTO t VALUES ('b')")
                try? db.savepoint {
                    try db.run("INSERT INTO t VALUES ('c')")
                    throw TestFailure(tag: "c")
                }
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.query("SELECT x FROM t ORDER BY rowid").map { $0.string(0) } == ["a", "b"])
    }
}

@Test func savepointOutsideTransaction_thatFails_leavesNothing() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x)")
        #expect(throws: TestFailure.self) {
            try db.savepoint {
                try db.run("INSERT INTO t VALUES (1)")
                throw TestFailure(tag: "x")
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.queryOne("SELECT count(*) FROM t")?.int(0) == 0)
    }
}

@Test(arguments: [
    SQLiteValue.null,
    .integer(0), .integer(-1), .integer(Int64.max), .integer(Int64.min),
    .real(3.25), .real(-0.5),
    .text(""), .text("plain"), .text("Zoë — 日本語 🙂"), .text("nul\u{0}inside"),
    .blob([]), .blob([0, 1, 2, 255]),
])
func values_roundTripThroughAColumnUnchanged(value: SQLiteValue) throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x)")   // no affinity: values keep their class
        try db.run("INSERT INTO t VALUES (?)", [value])
        #expect(try db.queryOne("SELECT x FROM t")?[0] == value)
        var streamed: [SQLiteValue] = []
        try db.forEachRow("SELECT x FROM t", []) { cursor in streamed.append(cursor.value(0)) }
        #expect(streamed == [value])
    }
}

@Test func literals_buildTheExpectedValues() {
    let values: [SQLiteValue] = ["a", 1, 2.5, nil, true, false]
    #expect(values == [.text("a"), .integer(1), .real(2.5), .null, .integer(1), .integer(0)])
    #expect(SQLiteValue.optional(nil) == .null)
    #expect(SQLiteValue.optional("x") == .text("x"))
    #expect(SQLiteValue.int(nil) == .null)
    #expect(SQLiteValue.int(5) == .integer(5))
}

@Test func row_accessors_convertAndDefaultNulls() {
    let row = Row(values: [.null, .integer(7), .real(2.5), .text("hi"), .integer(0)])
    #expect(row.int(0) == 0)
    #expect(row.int64(1) == 7)
    #expect(row.double(1) == 7)
    #expect(row.double(2) == 2.5)
    #expect(row.int(2) == 2)
    #expect(row.string(0) == "")
    #expect(row.string(3) == "hi")
    #expect(row.optionalString(0) == nil)
    #expect(row.optionalString(3) == "hi")
    #expect(row.optionalInt(0) == nil)
    #expect(row.optionalInt(1) == 7)
    #expect(row.bool(1) == true)
    #expect(row.bool(4) == false)
    #expect(row.bool(0) == false)
    #expect(row[3] == .text("hi"))
}

@Test func bindingTheWrongNumberOfArguments_throwsARangeError() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x, y)")
        for args: [SQLiteValue] in [[], [1], [1, 2, 3]] {
            let error = expectSQLiteError { try db.run("INSERT INTO t VALUES (?, ?)", args) }
            #expect(error?.code == 25)   // SQLITE_RANGE
        }
        try db.run("INSERT INTO t VALUES (?, ?)", [1, 2])
        #expect(try db.queryOne("SELECT count(*) FROM t")?.int(0) == 1)
    }
}

@Test func prepare_rejectsTwoStatements_butAllowsATrailingComment() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        #expect(throws: SQLiteError.self) { try db.prepare("SELECT 1; SELECT 2") }
        #expect(throws: SQLiteError.self) { try db.prepare("   ") }
        #expect(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        let statement = try db.prepare("SELECT 1;  -- the answer\n")
        #expect(try statement.step())
        #expect(statement.int64(0) == 1)
    }
}

@Test func doubleQuotedStringLiterals_areRejected() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(name TEXT)")
        // With DQS off, "nmae" is an unknown column, not the string 'nmae'.
        let error = expectSQLiteError { _ = try db.query("SELECT * FROM t WHERE name = \"nmae\"") }
        #expect(error?.message.contains("no such column") == true)
    }
}

@Test func statement_stepsBindsAndReadsColumns() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL)")
        let insert = try db.prepare("INSERT INTO t(name, score) VALUES (?, ?)")
        for (name, score) in [("a", 1.5), ("b", 2.5)] {
            try insert.bind([.text(name), .real(score)])
            #expect(try insert.step() == false)
        }
        let select = try db.prepare("SELECT id, name, score, NULL AS absent FROM t ORDER BY id")
        #expect(select.columnCount == 4)
        #expect(select.columnName(1) == "name")
        #expect(select.columnName(3) == "absent")
        #expect(try select.step())
        #expect(select.int64(0) == 1)
        #expect(select.text(1) == "a")
        #expect(select.double(2) == 1.5)
        #expect(select.isNull(3))
        #expect(select.text(3) == nil)
        #expect(select.row() == Row(values: [.integer(1), .text("a"), .real(1.5), .null]))
        #expect(try select.step())
        #expect(try select.step() == false)
        select.reset()
        #expect(try select.step())
        #expect(select.text(1) == "a")
    }
}

@Test func cachedStatement_isReusedForTheSameSQL() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        let first = try db.cachedStatement("SELECT ?")
        let second = try db.cachedStatement("SELECT ?")
        let other = try db.cachedStatement("SELECT ? + 1")
        #expect(first === second)
        #expect(first !== other)
        #expect(try db.queryOne("SELECT ?", [5])?.int(0) == 5)
        #expect(try db.queryOne("SELECT ?", [6])?.int(0) == 6)
    }
}

@Test func forEachRow_streamsEveryRow_andAllowsTheSameQueryInside() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(n INTEGER, label TEXT)")
        try db.transaction {
            for n in 1...100 { try db.run("INSERT INTO t VALUES (?, ?)", [.integer(Int64(n)), .optional(n % 10 == 0 ? nil : "n\(n)")]) }
        }
        var sum = 0
        var nulls = 0
        var innerCounts: [Int] = []
        try db.forEachRow("SELECT n, label FROM t WHERE n <= ? ORDER BY n", [.integer(100)]) { row in
            sum += row.int(0)
            if row.text(1) == nil { nulls += 1 }
            if row.int(0) == 50 {
                // Same SQL while the outer scan is running: must not reset the outer statement.
                var inner = 0
                try db.forEachRow("SELECT n, label FROM t WHERE n <= ? ORDER BY n", [.integer(3)]) { _ in inner += 1 }
                innerCounts.append(inner)
            }
        }
        #expect(sum == 5050)
        #expect(nulls == 10)
        #expect(innerCounts == [3])
    }
}

@Test func forEachRow_stopsAndRethrowsTheBodysError() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(n); INSERT INTO t VALUES (1), (2), (3)")
        var seen = 0
        #expect(throws: TestFailure(tag: "stop")) {
            try db.forEachRow("SELECT n FROM t", []) { _ in
                seen += 1
                if seen == 2 { throw TestFailure(tag: "stop") }
            }
        }
        #expect(seen == 2)
        // The statement was reset: no read is left open and a write can checkpoint.
        try db.run("INSERT INTO t VALUES (4)")
        try db.checkpoint()
    }
}

@Test func changesAndLastInsertRowID_reportTheLastWrite() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, x)")
        try db.run("INSERT INTO t(x) VALUES (1), (2), (3)")
        #expect(db.changes == 3)
        #expect(db.lastInsertRowID == 3)
        try db.run("UPDATE t SET x = 0 WHERE id >= ?", [2])
        #expect(db.changes == 2)
    }
}

@Test func checkpointTruncate_emptiesTheWALFile() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x)")
        try db.run("INSERT INTO t VALUES (?)", [.blob([UInt8](repeating: 7, count: 10_000))])
        #expect(fileSize(dir + "/test.sqlite-wal") > 0)
        try db.checkpoint(truncate: true)
        #expect(fileSize(dir + "/test.sqlite-wal") == 0)
        try db.checkpoint(truncate: false)
    }
}

@Test func close_isIdempotent_andLaterCallsThrow() throws {
    try withTemporaryDirectory { dir in
        let db = try makeConnection(in: dir)
        try db.execute("CREATE TABLE t(x)")
        let held = try db.prepare("SELECT x FROM t")   // outlives close: close_v2 defers
        _ = try db.cachedStatement("SELECT count(*) FROM t")
        db.close()
        db.close()
        #expect(db.rawHandle == nil)
        #expect(!db.isInTransaction)
        #expect(throws: SQLiteError.self) { try db.execute("SELECT 1") }
        #expect(throws: SQLiteError.self) { try db.run("SELECT 1") }
        _ = held.sql
    }
}

@Test func readOnlyConnection_readsButRefusesWrites() throws {
    try withTemporaryDirectory { dir in
        let writer = try makeConnection(in: dir)
        try writer.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
        var options = ConnectionOptions()
        options.readOnly = true
        let reader = try makeConnection(in: dir, options: options)
        #expect(try reader.queryOne("SELECT x FROM t")?.int(0) == 1)
        let error = expectSQLiteError { try reader.run("INSERT INTO t VALUES (2)") }
        #expect(error?.primaryCode == 8)   // SQLITE_READONLY
    }
}

@Test func readOnlyOpenOfAMissingFile_throws_andCreatesNothing() throws {
    try withTemporaryDirectory { dir in
        var options = ConnectionOptions()
        options.readOnly = true
        #expect(throws: SQLiteError.self) { try Connection(path: dir + "/missing/db.sqlite", options: options) }
        #expect(!fileExists(dir + "/missing"))
    }
}

@Test func writerHoldingTheLock_makesAnotherWriterBusyAfterItsTimeout() throws {
    try withTemporaryDirectory { dir in
        let first = try makeConnection(in: dir)
        try first.execute("CREATE TABLE t(x)")
        var options = ConnectionOptions()
        options.busyTimeoutMilliseconds = 50
        let second = try makeConnection(in: dir, options: options)
        try first.execute("BEGIN IMMEDIATE")
        try first.run("INSERT INTO t VALUES (1)")
        let error = expectSQLiteError { try second.transaction { try second.run("INSERT INTO t VALUES (2)") } }
        #expect(error?.isBusy == true)
        #expect(!second.isInTransaction)
        // WAL: a reader is not blocked by the writer and sees the last committed state.
        #expect(try second.queryOne("SELECT count(*) FROM t")?.int(0) == 0)
        try first.execute("COMMIT")
        try second.transaction { try second.run("INSERT INTO t VALUES (2)") }
        #expect(try first.queryOne("SELECT count(*) FROM t")?.int(0) == 2)
    }
}

@Test func resultCodePatterns_matchPrimaryFamiliesAndExactExtendedCodes() {
    let unique = SQLiteError(code: 2067, message: "UNIQUE constraint failed: t.x")
    #expect(SQLiteResultCode.constraintUnique ~= unique)
    #expect(SQLiteResultCode.constraint ~= unique)
    #expect(!(SQLiteResultCode.constraintForeignKey ~= unique))
    #expect(!(SQLiteResultCode.busy ~= unique))
    #expect(!(SQLiteResultCode.constraint ~= TestFailure(tag: "other")))
    let busySnapshot = SQLiteError(code: 5 | (2 << 8), message: "database is locked")
    #expect(busySnapshot.isBusy)
    #expect(SQLiteResultCode.busy ~= busySnapshot)
    #expect(SQLiteError(code: 6 | (1 << 8), message: "locked").isBusy)   // SQLITE_LOCKED_SHAREDCACHE
    #expect(String(describing: unique).contains("2067"))
}

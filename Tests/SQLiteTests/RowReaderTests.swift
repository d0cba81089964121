import Testing
@testable import SQLite

/// Rows are read by column name, strictly: each bad value is an error naming table, column and row.
@Suite struct RowReaderTests {
    static let row = Row(columns: ["id", "name", "n", "flag", "maybe"],
                         values: [.text("k1"), .text("Anna"), .integer(7), .integer(2), .null])
    static let reader = RowReader(row, table: "things")

    @Test func valuesAreFoundByNameWhateverTheirPosition() throws {
        #expect(try Self.reader.text("name") == "Anna")
        #expect(try Self.reader.int("n") == 7)
        #expect(try Self.reader.optionalText("maybe") == nil)
        #expect(try Self.reader.optionalInt("maybe") == nil)
    }

    @Test(arguments: [
        ("maybe", "is NULL"),
        ("n", "holds an integer where text is expected"),
        ("absent", "is not in the result"),
    ])
    func badTextIsAnErrorNamingTableColumnAndRow(column: String, problem: String) {
        #expect(throws: RowDecodingError(table: "things", column: column, key: "k1", problem: problem)) {
            try Self.reader.text(column)
        }
    }

    @Test func integersBooleansAndConversionsAreStrictToo() {
        #expect(throws: RowDecodingError(table: "things", column: "name", key: "k1", problem: "does not hold an integer")) {
            try Self.reader.int64("name")
        }
        #expect(throws: RowDecodingError(table: "things", column: "flag", key: "k1", problem: "holds an integer other than 0 or 1")) {
            try Self.reader.bool("flag")
        }
        #expect(throws: RowDecodingError(table: "things", column: "name", key: "k1", problem: "is not a date")) {
            try Self.reader.text("name", as: "a date") { _ in nil as Int? }
        }
        #expect(RowDecodingError(table: "things", column: "name", key: "k1", problem: "is NULL").description
                == "cannot decode things.name of row 'k1': is NULL")
    }

    @Test func rowsFromAQueryCarryTheirColumnNames() throws {
        let db = try Connection(path: ":memory:")
        let row = try #require(try db.queryOne("SELECT 1 AS one, 'x' AS two"))
        #expect(row.columns == ["one", "two"])
        #expect(row["two"] == .text("x"))
        #expect(row["three"] == nil)
    }
}

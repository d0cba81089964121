import API
import JSON
import SQLite
import Store
import Testing

/// A row that does not decode is an error the log locates (table, column, row; SQLite's code and
/// SQL), and a 500 to the client that names nothing of it — never a plausible wrong answer.
@Suite struct CorruptRowTests {
    @Test func aCorruptDateIsA500WhoseLogLineNamesTableColumnRowAndRequestID() throws {
        let s = try TestServer()
        defer { s.stop() }
        let admin = try s.token("admin", .admin)
        try s.makeTeam("t1", admin: admin)
        try s.makeClient("c1", team: "t1", token: admin, openedOn: "2025-05-01")
        // Damage the stored row behind the service's back (opened_on has no CHECK constraint).
        let raw = try Connection(path: s.databasePath)
        try raw.run("UPDATE clients SET opened_on = 'gisteren' WHERE id = 'c1'")
        raw.close()

        let r = try s.request("GET", "/v1/clients/c1", token: admin, headers: [("X-Request-Id", "req-corrupt-1")])
        #expect(r.status == 500)
        #expect(!r.text.contains("opened_on") && !r.text.contains("gisteren"))
        #expect(r.text.contains("req-corrupt-1"))
        let line = try #require(s.logs.all.first { $0.hasPrefix("error internal error ") })
        for field in ["request_id=req-corrupt-1", "table=clients", "column=opened_on", "row=c1", "problem=is not a date YYYY-MM-DD"] {
            #expect(line.contains(field))
        }
        #expect(!line.contains("gisteren"))
    }

    @Test func aSQLiteErrorLogsItsExtendedCodeAndSQLButNoBoundValue() throws {
        let s = try TestServer()
        defer { s.stop() }
        let admin = try s.token("admin", .admin)
        let raw = try Connection(path: s.databasePath)
        try raw.execute("DROP TABLE teams")
        raw.close()

        let r = try s.request("GET", "/v1/teams?cursor=secret-cursor-value", token: admin, headers: [("X-Request-Id", "req-sql-1")])
        #expect(r.status == 500)
        let line = try #require(s.logs.all.first { $0.hasPrefix("error internal error ") })
        // SQLITE_ERROR (1): no such table; the SQL with its placeholders, not the cursor bound to it.
        for field in ["request_id=req-sql-1", "sqlite_code=1", "sqlite_message=no such table: teams", "sql=SELECT id, name FROM teams WHERE id > ?"] {
            #expect(line.contains(field))
        }
        #expect(!line.contains("secret-cursor-value"))
    }
}

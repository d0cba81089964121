import Foundation
import SQLite
import Testing

/// Second-opinion review: `continuity import contacts` and deleted contact ids.
@Suite(.serialized)
struct ReviewImportFindingsTests {
    /// A contact deleted in t1 keeps its id taken there (`deleted_contacts`; the API refuses a
    /// create with it, 409, so "a late retry of its create cannot bring it back"). The import
    /// loads it again.
    @Test func reviewImportMustNotReloadAContactIdDeletedInItsTeam() throws {
        let cli = try TeamScopedImportTests.prepared()
        defer { cli.remove() }
        do {
            let db = try Connection(path: cli.database)
            defer { db.close() }
            try db.run("INSERT INTO deleted_contacts (team_id, id, client_id) VALUES ('t1', 'k-del', 'c1')")
        }
        let file = try TeamScopedImportTests.write("""
            \(TeamScopedImportTests.header)
            k-del,c1,p1,2024-03-01T10:00:00+01:00,home_visit,t1,,

            """, in: cli)
        _ = try cli.run(["import", "contacts", file])
        #expect(try TeamScopedImportTests.count(cli, "SELECT count(*) FROM contacts WHERE team_id = 't1' AND id = 'k-del'") == 0,
                "the import brought back a contact id deleted in t1")
    }
}

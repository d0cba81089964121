import Foundation
import SQLite
import Testing

/// `continuity import contacts FILE.csv [--skip-bad]` (SPEC §5), run as the real binary.
@Suite(.serialized)
struct ImportContactsTests {
    /// A migrated database with teams t1 and t2, client c1 (opened 2024-01-01) and professional p1.
    static func prepared() throws -> CLI {
        let cli = try CLI()
        let m = try cli.run(["migrate"])
        #expect(m.status == 0, "\(m.stderr)")
        let db = try Connection(path: cli.database)
        defer { db.close() }
        try db.run("INSERT INTO teams (id, name) VALUES ('t1', 'Noord'), ('t2', 'Zuid')")
        try db.run("INSERT INTO clients (id, external_ref, team_id, opened_on) VALUES ('c1', 'Z-1', 't1', '2024-01-01')")
        try db.run("""
            INSERT INTO professionals (id, name, team_id, discipline, employment, started_on)
            VALUES ('p1', 'Anna', 't1', 'social work', 'permanent', '2020-01-01')
            """)
        return cli
    }

    static func write(_ text: String, in cli: CLI, bom: Bool = false, name: String = "contacts.csv") throws -> String {
        let path = cli.folder.appendingPathComponent(name).path
        var data = Data(bom ? [0xEF, 0xBB, 0xBF] : [])
        data.append(Data(text.utf8))
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func count(_ cli: CLI, _ sql: String) throws -> Int {
        let db = try Connection(path: cli.database)
        defer { db.close() }
        return try db.queryOne(sql)!.int(0)
    }

    static let header = "id,client_id,professional_id,occurred_at,mode,participants,status,duration_minutes"

    @Test func goodFile_loadsEveryContact_createsMissingClientsAndProfessionals_andEvaluatesFlags() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            id,client_id,professional_id,occurred_at,mode,participants,client_team_id,client_external_ref,client_opened_on,professional_name,professional_team_id,professional_discipline,professional_employment,professional_started_on
            k1,c1,p1,2024-03-01T10:00:00+01:00,home_visit,,,,,,,,,
            k2,c2,p2,2024-03-02T10:00:00+01:00,phone,p1,t2,Z-2,2024-02-01,Bob,t2,debt counselling,agency,2021-05-01
            k3,c2,p2,2024-03-09T10:00:00+01:00,office_visit,,,,,,,,,

            """, in: cli)
        let r = try cli.run(["import", "contacts", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "loaded 3 contacts (1 clients, 1 professionals created); 0 bad rows skipped\n")
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 3)
        #expect(try Self.count(cli, "SELECT count(*) FROM clients WHERE id = 'c2' AND team_id = 't2' AND external_ref = 'Z-2' AND opened_on = '2024-02-01'") == 1)
        #expect(try Self.count(cli, "SELECT count(*) FROM professionals WHERE id = 'p2' AND employment = 'agency'") == 1)
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts WHERE id = 'k2' AND participants = 'p1'") == 1)
        // The last contacts are long ago: each touched client has open alerts (long_gap at least).
        #expect(try Self.count(cli, "SELECT count(DISTINCT client_id) FROM alerts WHERE flag = 'long_gap' AND resolved_on IS NULL") == 2)
        // One audit row per client touched, with the number of its contacts.
        #expect(try Self.count(cli, "SELECT count(*) FROM audit WHERE action = 'import.contacts:1' AND client_id = 'c1'") == 1)
        #expect(try Self.count(cli, "SELECT count(*) FROM audit WHERE action = 'import.contacts:2' AND client_id = 'c2'") == 1)
    }

    @Test func oneBadRow_loadsNothing_exits65_andNamesTheLineAndColumn() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            \(Self.header)
            k1,c1,p1,2024-03-01T10:00:00+01:00,home_visit,,,
            k2,c1,p1,2024-03-02 10:00,phone,,,
            k3,c1,p1,2024-03-03T10:00:00+01:00,phone,,,
            k4,c9,p1,2024-03-04T10:00:00+01:00,phone,,,

            """, in: cli)
        let r = try cli.run(["import", "contacts", file])
        #expect(r.status == 65)
        #expect(r.stderr.contains("\(file):3: occurred_at: '2024-03-02 10:00' is not an RFC 3339 timestamp"), "\(r.stderr)")
        // Rows that parse are still checked against the database, so every bad row is named at once.
        #expect(r.stderr.contains("\(file):5: client_id: no client with id 'c9'"), "\(r.stderr)")
        #expect(r.stderr.contains("2 bad rows; nothing loaded"), "\(r.stderr)")
        #expect(r.stderr.contains("nothing loaded"))
        #expect(r.stdout.isEmpty)
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 0)
        #expect(try Self.count(cli, "SELECT count(*) FROM audit WHERE action LIKE 'import.%'") == 0)
    }

    /// Each kind of bad row, with the column and a fragment of the message it must produce.
    @Test(arguments: [
        ("k/1,c1,p1,2024-03-01T10:00:00+01:00,phone,,,", "id", "must be 1-64 characters"),
        ("k1,c1,p1,2024-03-01T10:00:00+01:00,fax,,,", "mode", "'fax' must be one of home_visit"),
        ("k1,c1,p1,2024-03-01T10:00:00+01:00,phone,,maybe,", "status", "'maybe' must be one of held"),
        ("k1,c1,p1,2024-03-01T10:00:00+01:00,phone,,,-5", "duration_minutes", "from 0 to 1440"),
        ("k1,c1,p1,2024-03-01T10:00:00+01:00,phone,p1,,", "participants", "is the lead professional already"),
        ("k1,c1,p1,2024-03-01T10:00:00+01:00,phone,p9,,", "participants", "no professional with id 'p9'"),
        ("k1,c9,p1,2024-03-01T10:00:00+01:00,phone,,,", "client_id", "no client with id 'c9' (give client_team_id"),
        ("k1,c1,p9,2024-03-01T10:00:00+01:00,phone,,,", "professional_id", "no professional with id 'p9'"),
        ("k1,c1,p1,2023-12-31T23:30:00+00:00,phone,,,", "occurred_at", "lies on 2024-01-01"),   // 00:30 local: fine
        ("k1,c1,p1,2023-12-31T22:30:00+00:00,phone,,,", "occurred_at", "before the client's case opened on 2024-01-01"),
        ("k1,c1,p1,2024-03-01T10:00:00+01:00,phone,,,\nk1,c1,p1,2024-03-01T10:00:00+01:00,phone,,,", "id", "is on line 2 already"),
        ("k1,c1,p1,2024-03-01T10:00:00+01:00,phone,,", "csv", "7 fields where the header has 8"),
        ("k1,c1,p1,2024-03-01T10:00:00+01:00,ph\"one,,,", "csv", "a quote inside unquoted field 5"),
    ])
    func badRow_isReportedWithItsColumn(row: String, column: String, fragment: String) throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write(Self.header + "\n" + row + "\n", in: cli)
        let r = try cli.run(["import", "contacts", file])
        if fragment == "lies on 2024-01-01" {
            // 2023-12-31T23:30Z is 2024-01-01 00:30 in Amsterdam: the opening day itself, accepted.
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 1)
            return
        }
        #expect(r.status == 65)
        let line = row.contains("\n") ? 3 : 2
        let wanted = "\(file):\(line): \(column): "
        #expect(r.stderr.split(separator: "\n").contains { $0.hasPrefix(wanted) && $0.contains(fragment) },
                "wanted \(wanted)…\(fragment) in:\n\(r.stderr)")
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 0)
    }

    @Test func missingClientOrProfessional_isCreatedOnlyFromCompleteColumns_ofAKnownTeam() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            id,client_id,professional_id,occurred_at,mode,client_team_id,client_external_ref,client_opened_on
            k1,c2,p1,2024-03-01T10:00:00+01:00,phone,t9,Z-2,2024-01-01
            k2,c3,p1,2024-03-01T10:00:00+01:00,phone,t1,,2024-01-01
            k3,c1,p1,2024-03-01T10:00:00+01:00,phone,t2,Z-1,2024-01-01

            """, in: cli)
        let r = try cli.run(["import", "contacts", file])
        #expect(r.status == 65)
        #expect(r.stderr.contains("\(file):2: client_team_id: no team with id 't9'"), "\(r.stderr)")
        #expect(r.stderr.contains("\(file):3: client_external_ref: is required"), "\(r.stderr)")
        // Client ids are unique per team: c1 of t1 exists, and this row creates another c1 in t2.
        #expect(!r.stderr.contains("\(file):4:"), "\(r.stderr)")
        #expect(try Self.count(cli, "SELECT count(*) FROM clients") == 1)
    }

    @Test func skipBad_loadsTheGoodRows_reportsTheBad_andExitsZero() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            \(Self.header)
            k1,c1,p1,2024-03-01T10:00:00+01:00,home_visit,,,
            k2,c9,p1,2024-03-02T10:00:00+01:00,phone,,,
            k3,c1,p1,2024-03-03T10:00:00+01:00,video,,no_show,
            k4,c1,p1,2024-03-04T10:00:00+01:00,smoke_signal,,,

            """, in: cli)
        let r = try cli.run(["import", "contacts", file, "--skip-bad"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "loaded 2 contacts (0 clients, 0 professionals created); 2 bad rows skipped\n")
        #expect(r.stderr.contains("\(file):3: client_id: "))
        #expect(r.stderr.contains("\(file):5: mode: "))
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts WHERE id IN ('k1', 'k3')") == 2)
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 2)
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts WHERE id = 'k3' AND status = 'no_show'") == 1)
    }

    @Test func quotedFields_BOM_semicolons_andCRLF_areRead_andLineNumbersCountLinesInsideQuotes() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        // External ref with a separator, a doubled quote and a line break; columns in another order.
        let text = "mode;\"id\";client_id;professional_id;occurred_at;client_team_id;client_external_ref;client_opened_on\r\n"
            + "phone;k1;c2;p1;2024-03-01T10:00:00+01:00;t1;\"dossier; \"\"B\"\"\r\nnr 7\";2024-01-01\r\n"
            + "phone;k2;c1;p1;2024-03-01T10:00:00+01:00;;;\r\n"
            + "phone;k3;c1;p1;yesterday;;;\r\n"
        let file = try Self.write(text, in: cli, bom: true)
        let r = try cli.run(["import", "contacts", file, "--skip-bad"])
        #expect(r.status == 0, "\(r.stderr)")
        // The record of k3 starts on line 5: the quoted line break counts.
        #expect(r.stderr.contains("\(file):5: occurred_at: "), "\(r.stderr)")
        #expect(r.stdout.hasPrefix("loaded 2 contacts (1 clients, 0 professionals created); 1 bad rows skipped"))
        let db = try Connection(path: cli.database)
        defer { db.close() }
        #expect(try db.queryOne("SELECT external_ref FROM clients WHERE id = 'c2'")?.string(0) == "dossier; \"B\"\r\nnr 7")
    }

    @Test func reimportingTheSameFile_loadsNothingNew() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            id,client_id,professional_id,occurred_at,mode,client_team_id,client_external_ref,client_opened_on
            k1,c1,p1,2024-03-01T10:00:00+01:00,home_visit,,,
            k2,c2,p1,2024-03-02T10:00:00+01:00,phone,t1,Z-2,2024-02-01

            """, in: cli)
        #expect(try cli.run(["import", "contacts", file]).status == 0)
        let audits = try Self.count(cli, "SELECT count(*) FROM audit")
        let again = try cli.run(["import", "contacts", file])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == "loaded 0 contacts (0 clients, 0 professionals created); 0 bad rows skipped; 2 already loaded\n")
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 2)
        #expect(try Self.count(cli, "SELECT count(*) FROM clients") == 2)
        #expect(try Self.count(cli, "SELECT count(*) FROM audit") == audits)

        // The same id with another body is a conflict, not a silent skip.
        let changed = try Self.write("""
            id,client_id,professional_id,occurred_at,mode
            k1,c1,p1,2024-03-01T10:00:00+01:00,phone

            """, in: cli, name: "changed.csv")
        let r = try cli.run(["import", "contacts", changed])
        #expect(r.status == 65)
        #expect(r.stderr.contains("\(changed):2: id: a contact with this id exists with a different body"), "\(r.stderr)")
    }

    @Test func unknownOrMissingColumns_areReportedOnceWithTheHeaderLine() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            id,client_id,professional_id,occurred_at,mdoe
            k1,c1,p1,2024-03-01T10:00:00+01:00,phone
            k2,c1,p1,2024-03-02T10:00:00+01:00,phone

            """, in: cli)
        let r = try cli.run(["import", "contacts", file, "--skip-bad"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("\(file):1: unknown column 'mdoe'"), "\(r.stderr)")
        #expect(r.stderr.contains("missing required column: mode"))
        #expect(r.stderr.split(separator: "\n").filter { $0.contains("mdoe") }.count == 1)
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 0)
    }

    @Test(arguments: [["import"], ["import", "contacts"], ["import", "clients", "x.csv"], ["import", "contacts", "a.csv", "--force"]])
    func badInvocation_exitsWithUsage(args: [String]) throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(args).status == 64)
    }
}

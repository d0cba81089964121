import Glibc
import JSON
import SQLite
import Store
import Testing

/// Migration 0007 (ids unique per team) rebuilds the tables of clients, contacts, referrals and
/// what hangs off them. A database filled at version 0006 keeps every row, with its team, after
/// it: checked in SQL (row by row, `client_faces` against a recomputation, foreign keys,
/// integrity, the AUTOINCREMENT high-water marks, the append-only audit) and through a real
/// server opened on the migrated file.
@Suite(.serialized) struct TeamScopedIdsMigrationTests {
    /// The rows of a version-6 database, one statement per table (the 0006 schema's columns).
    static let fixture = [
        "INSERT INTO teams (id, name) VALUES ('t1', 'Noord'), ('t2', 'Zuid')",
        """
        INSERT INTO professionals (id, name, team_id, discipline, employment, started_on, ended_on) VALUES
            ('p1', 'Anna', 't1', 'maatschappelijk werk', 'permanent', '2020-01-01', NULL),
            ('p2', 'Bas', 't1', 'wijkverpleging', 'temporary', '2021-01-01', NULL),
            ('p3', 'Cor', 't2', 'schuldhulp', 'agency', '2022-01-01', NULL),
            ('p4', 'Dina', 't2', 'jeugd', 'volunteer', '2022-01-01', '2025-04-30')
        """,
        """
        INSERT INTO clients (id, external_ref, team_id, opened_on, closed_on) VALUES
            ('c1', 'ZK-1', 't1', '2025-01-01', NULL),
            ('c2', 'ZK-2', 't1', '2025-02-01', '2025-05-01'),
            ('c3', 'ZK-3', 't2', '2025-01-15', NULL)
        """,
        """
        INSERT INTO primary_assignments (client_id, professional_id, from_date, reason) VALUES
            ('c1', 'p1', '2025-01-01', 'start'), ('c1', 'p2', '2025-03-01', 'turnover'),
            ('c3', 'p4', '2025-01-15', 'start'), ('c3', NULL, '2025-05-01', 'leave')
        """,
        """
        INSERT INTO contacts (id, client_id, professional_id, participants, occurred_s, occurred_ns, occurred_at, mode, status, duration_minutes) VALUES
            ('k1', 'c1', 'p1', '', 1736499600, 0, '2025-01-10T10:00:00+01:00', 'home_visit', 'held', NULL),
            ('k2', 'c1', 'p2', 'p1', 1741165200, 0, '2025-03-05T10:00:00+01:00', 'office_visit', 'held', 45),
            ('k3', 'c1', 'p2', '', 1743494400, 0, '2025-04-01T10:00:00+02:00', 'phone', 'no_show', NULL),
            ('k4', 'c2', 'p1', '', 1739178000, 0, '2025-02-10T10:00:00+01:00', 'phone', 'held', NULL),
            ('k5', 'c3', 'p3', 'p4', 1738400400, 0, '2025-02-01T10:00:00+01:00', 'outreach', 'held', NULL),
            ('k6', 'c3', 'p4', '', 1740819600, 500, '2025-03-01T10:00:00.0000005+01:00', 'video', 'held', 30)
        """,
        "INSERT INTO deleted_contacts (id, client_id) VALUES ('k-gone', 'c1')",
        """
        INSERT INTO referrals (id, client_id, referred_on, from_professional_id, to_text, to_professional_id, warm_handover, status, status_on) VALUES
            ('r1', 'c1', '2025-03-05', 'p2', 'GGD', NULL, 1, 'accepted', '2025-03-10'),
            ('r2', 'c3', '2025-02-01', 'p3', 'Schuldhulpverlening', 'p4', 0, 'open', '2025-02-01')
        """,
        """
        INSERT INTO alerts (id, seq, client_id, team_id, flag, raised_on, resolved_on, acknowledged_by, acknowledged_note, evidence) VALUES
            ('al-2', 2, 'c3', 't2', 'long_gap', '2025-04-01', NULL, 'manager.zuid', 'bellen', 'Geen contact sinds 1 maart 2025.'),
            ('al-1', 3, 'c1', 't1', 'changing_faces', '2025-03-05', '2025-04-01', NULL, NULL, '2 verschillende professionals.')
        """,
        """
        INSERT INTO alert_events (seq, event, alert_id, client_id, team_id, flag, on_date, evidence) VALUES
            (1, 'raised', 'al-1', 'c1', 't1', 'changing_faces', '2025-03-05', '2 verschillende professionals.'),
            (2, 'raised', 'al-2', 'c3', 't2', 'long_gap', '2025-04-01', 'Geen contact sinds 1 maart 2025.'),
            (3, 'resolved', 'al-1', 'c1', 't1', 'changing_faces', '2025-04-01', '2 verschillende professionals.'),
            (4, 'erased', NULL, 'c-erased', 't1', NULL, '2025-04-02', NULL),
            (5, 'raised', 'al-5', 'c1', 't1', 'long_gap', '2025-04-03', 'x')
        """,
        // An erasure removed seq 5: the next event must still get 6.
        "DELETE FROM alert_events WHERE seq = 5",
        "INSERT INTO export_cursors (consumer, last_seq) VALUES ('cron', 3)",
        """
        INSERT INTO audit (at, token_name, action, client_id, request_id) VALUES
            ('2025-05-01T10:00:00Z', 'worker.noord', 'client.read', 'c1', 'req-1'),
            ('2025-05-01T10:01:00Z', 'worker.zuid', 'contacts.read', 'c3', 'req-2'),
            ('2025-05-01T10:02:00Z', 'admin', 'professional.read', NULL, 'req-3'),
            ('2025-05-01T10:03:00Z', 'worker.noord', 'contact.create', 'c2', 'req-4')
        """,
        "INSERT INTO evaluation_runs (as_of, finished_at, clients, events, failures) VALUES ('2025-05-01', '2025-05-01T00:05:00Z', 3, 2, 0)",
    ]

    /// Every row of every fixture table, by the 0006 columns, in a fixed order.
    static let snapshotQueries = [
        "SELECT id, name FROM teams ORDER BY id",
        "SELECT id, name, team_id, discipline, employment, started_on, ended_on FROM professionals ORDER BY id",
        "SELECT id, external_ref, team_id, opened_on, closed_on FROM clients ORDER BY team_id, id",
        "SELECT seq, client_id, professional_id, from_date, reason FROM primary_assignments ORDER BY seq",
        """
        SELECT id, client_id, professional_id, participants, occurred_s, occurred_ns, occurred_at, mode, status, duration_minutes
        FROM contacts ORDER BY client_id, id
        """,
        "SELECT id, client_id FROM deleted_contacts ORDER BY id",
        """
        SELECT id, client_id, referred_on, from_professional_id, to_text, to_professional_id, warm_handover, status, status_on
        FROM referrals ORDER BY client_id, id
        """,
        "SELECT id, seq, client_id, team_id, flag, raised_on, resolved_on, acknowledged_by, acknowledged_note, evidence FROM alerts ORDER BY id",
        "SELECT seq, event, alert_id, client_id, team_id, flag, on_date, evidence FROM alert_events ORDER BY seq",
        "SELECT consumer, last_seq, pending_from, pending_tmp, pending_out FROM export_cursors ORDER BY consumer",
        "SELECT seq, at, token_name, action, client_id, request_id FROM audit ORDER BY seq",
        "SELECT seq, as_of, finished_at, clients, events, failures FROM evaluation_runs ORDER BY seq",
        "SELECT client_id, professional_id, first_s, first_ns FROM client_faces ORDER BY client_id, professional_id",
    ]

    /// `client_faces` recomputed here from the contacts: for each client and each professional
    /// present (lead or participant) at a held contact, the earliest such contact's instant.
    static func facesRecomputed(_ db: Connection) throws -> [[SQLiteValue]] {
        var first: [String: (Int64, Int64)] = [:]
        for row in try db.query("SELECT client_id, professional_id, participants, occurred_s, occurred_ns FROM contacts WHERE status = 'held'") {
            let present = [row.string(1)] + row.string(2).split(separator: ",").map(String.init)
            let at = (row.int64(3), row.int64(4))
            for p in present {
                let key = row.string(0) + "\u{0}" + p
                if let old = first[key], old <= at { continue }
                first[key] = at
            }
        }
        return first.keys.sorted().map { key in
            let parts = key.split(separator: "\u{0}").map(String.init)
            return [.text(parts[0]), .text(parts[1]), .integer(first[key]!.0), .integer(first[key]!.1)]
        }
    }

    static func rows(_ db: Connection, _ sql: String) throws -> [[SQLiteValue]] {
        try db.query(sql).map(\.values)
    }

    static func snapshot(_ db: Connection) throws -> [[[SQLiteValue]]] {
        try snapshotQueries.map { try rows(db, $0) }
    }

    static func columns(_ db: Connection, _ table: String) throws -> [String] {
        try db.query("SELECT name FROM pragma_table_info('\(table)')").map { $0.string(0) }
    }

    /// A version-6 database with the fixture at `path`.
    static func buildVersion6(at path: String) throws -> [[[SQLiteValue]]] {
        let db = try Connection(path: path)
        defer { db.close() }
        let upTo6 = Migrator.embedded.filter { $0.version <= 6 }
        #expect(upTo6.map(\.version) == [1, 2, 3, 4, 5, 6])
        _ = try Migrator.migrate(db, upTo6)
        try db.transaction(.immediate) {
            for sql in fixture { try db.run(sql) }
        }
        let before = try snapshot(db)
        #expect(before.map(\.count) == [2, 4, 3, 4, 6, 1, 2, 2, 4, 1, 4, 1, 5], "\(before.map(\.count))")
        #expect(try facesRecomputed(db) == before.last)
        return before
    }

    static func withFolder<T>(_ body: (String) throws -> T) throws -> T {
        var template = Array("/tmp/continuity-migration-XXXXXX".utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw TestFailure("mkdtemp") }
        let folder = String(cString: dir)
        defer {
            for suffix in ["", "-wal", "-shm"] { unlink(folder + "/c.sqlite" + suffix) }
            rmdir(folder)
        }
        return try body(folder + "/c.sqlite")
    }

    @Test func migration7KeepsEveryRowWithItsTeamAndAConsistentDatabase() throws {
        try Self.withFolder { path in
            let before = try Self.buildVersion6(at: path)
            let db = try Connection(path: path)
            defer { db.close() }
            let applied = try Migrator.migrate(db, Migrator.embedded)
            #expect(applied.contains { $0.version == 7 && $0.name == "ids_unique_per_team" }, "\(applied.map(\.name))")
            #expect(applied.allSatisfy { $0.version > 6 })

            // Every row, field for field.
            let after = try Self.snapshot(db)
            for (i, sql) in Self.snapshotQueries.enumerated() {
                #expect(after[i] == before[i], "\(sql)")
            }
            // client_faces equals a recomputation from the contacts.
            #expect(try Self.facesRecomputed(db) == after.last)
            // Wherever a table now names the team of a row's client, it is that client's team
            // (null for audit rows about no client).
            for table in ["contacts", "deleted_contacts", "referrals", "primary_assignments", "client_faces", "alerts", "alert_events", "audit"] {
                let cols = try Self.columns(db, table)
                for column in ["team_id", "client_team_id"] where cols.contains(column) && cols.contains("client_id") {
                    let wrong = try db.queryOne("""
                        SELECT count(*) FROM \(table) x
                        WHERE x.\(column) IS NOT (SELECT c.team_id FROM clients c WHERE c.id = x.client_id)
                          AND x.client_id <> 'c-erased'
                        """)!.int(0)
                    #expect(wrong == 0, "\(table).\(column)")
                }
            }
            #expect(try db.queryOne("SELECT count(*) FROM pragma_foreign_key_check")!.int(0) == 0)
            #expect(try db.query("PRAGMA integrity_check").map { $0.string(0) } == ["ok"])

            // The new keys: the same client id in another team is fine, twice in one team is not.
            try db.run("INSERT INTO clients (id, external_ref, team_id, opened_on) VALUES ('c1', 'ZK-other', 't2', '2025-05-01')")
            #expect(throws: SQLiteError.self) {
                try db.run("INSERT INTO clients (id, external_ref, team_id, opened_on) VALUES ('c3', 'ZK-dup', 't2', '2025-05-01')")
            }
            // Sequences never go back; the audit stays append-only.
            try db.run("INSERT INTO alert_events (event, alert_id, client_id, team_id, flag, on_date, evidence) VALUES ('raised', 'al-6', 'c3', 't2', 'no_primary', '2025-05-02', 'y')")
            #expect(try db.queryOne("SELECT max(seq) FROM alert_events")!.int(0) == 6)
            #expect(throws: SQLiteError.self) { try db.run("UPDATE audit SET action = 'x' WHERE seq = 1") }
            #expect(throws: SQLiteError.self) { try db.run("DELETE FROM audit WHERE seq = 1") }
        }
    }

    @Test func aServerOnTheMigratedFileServesEveryTeamsRecordsAndTakesPerTeamIds() throws {
        try Self.withFolder { path in
            _ = try Self.buildVersion6(at: path)
            // The server migrates the file as `continuity serve` does.
            try withServer(configure: { $0.databasePath = path }) { s in
                let admin = try s.token("admin", .admin)
                let w1 = try s.token("w1", .worker, team: "t1"), w2 = try s.token("w2", .worker, team: "t2")
                let exporter = try s.token("exporter", .exporter)
                let c1 = try s.expect(s.get("/v1/clients/c1", token: w1), 200).json
                #expect(c1["team_id"] == "t1" && c1["external_ref"] == "ZK-1" && c1["primary_professional_id"] == "p2")
                #expect(try s.expect(s.get("/v1/clients/c2", token: w1), 200).json["closed_on"] == "2025-05-01")
                #expect(try s.get("/v1/clients/c1/contacts", token: w1).items.compactMap { $0["id"]?.stringValue }.sorted() == ["k1", "k2", "k3"])
                #expect(try s.get("/v1/clients/c1/referrals", token: w1).items.first?["warm_handover"] == .bool(true))
                #expect(try s.get("/v1/clients/c1/assignments", token: w1).items.compactMap { $0["professional_id"]?.stringValue } == ["p1", "p2"])
                let k2 = try s.expect(s.get("/v1/contacts/k2", token: w1), 200).json
                #expect(k2["participants"] == .array(["p1"]) && k2["duration_minutes"] == 45 && k2["occurred_at"] == "2025-03-05T10:00:00+01:00")
                #expect(try s.get("/v1/clients/c3/contacts", token: w2).items.compactMap { $0["id"]?.stringValue }.sorted() == ["k5", "k6"])
                #expect(try s.expect(s.get("/v1/contacts/k6", token: w2), 200).json["occurred_at"] == "2025-03-01T10:00:00.0000005+01:00")
                try s.expect(s.get("/v1/clients/c3", token: w1), 404)
                try s.expect(s.get("/v1/contacts/k1", token: w2), 404)
                // Faces kept by the migrated client_faces: c1 met p1 and p2 (lifetime).
                #expect(try s.expect(s.get("/v1/clients/c1/continuity?as_of=2025-05-01", token: w1), 200).json["lifetime_faces"] == 2)

                // Alerts, events and the audit, with their teams.
                let alerts = try s.expect(s.get("/v1/alerts?status=all&limit=500", token: admin), 200).items
                #expect(alerts.first { $0["id"] == "al-2" }?["acknowledged_note"] == "bellen")
                #expect(alerts.first { $0["id"] == "al-1" }?["team_id"] == "t1")
                let events = ndjsonLines(try s.expect(s.get("/v1/alerts/events?limit=4", token: exporter), 200).body)
                #expect(events.compactMap { $0["seq"]?.int64Value } == [1, 2, 3, 4])
                #expect(events.compactMap { $0["team_id"]?.stringValue } == ["t1", "t2", "t1", "t1"])
                let audit = try s.expect(s.get("/v1/audit?limit=4", token: admin), 200).items
                #expect(audit.compactMap { $0["request_id"]?.stringValue } == ["req-1", "req-2", "req-3", "req-4"])
                #expect(audit.map { $0["team_id"] ?? .string("absent") } == [.string("t1"), .string("t2"), .null, .string("t1")])
                #expect(try s.get("/v1/audit?team_id=t2&limit=500", token: admin).items.first?["request_id"] == "req-2")

                // Ids are per team on the migrated data: t2 takes c1 and k1, t1 keeps its own.
                try s.makeClient("c1", team: "t2", token: w2, openedOn: "2025-05-01")
                try s.makeContact("k1", client: "c3", professional: "p3", at: "2025-05-20T10:00:00+02:00", token: w2)
                #expect(try s.expect(s.get("/v1/contacts/k1", token: w1), 200).json["client_id"] == "c1")
                #expect(try s.expect(s.get("/v1/contacts/k1", token: w2), 200).json["client_id"] == "c3")
                // The deleted contact's id stays taken in its own team only.
                try s.expect(s.post("/v1/contacts", token: w1, ["id": "k-gone", "client_id": "c1", "professional_id": "p1",
                                                                 "occurred_at": "2025-05-20T10:00:00+02:00", "mode": "phone"]), 409)
                try s.makeContact("k-gone", client: "c3", professional: "p3", at: "2025-05-20T11:00:00+02:00", token: w2)
            }
        }
    }
}

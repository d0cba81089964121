import Foundation
import SQLite
import Testing

/// `continuity import contacts` with ids unique per team (issue 10 point 1): a row resolves its
/// client within `client_team_id`; a client id used in several teams needs that column; one
/// contact id can be loaded for two teams' clients. Checked in the database and through the API
/// of a real `continuity serve` on the imported file, as each team's worker sees it.
@Suite(.serialized)
struct TeamScopedImportTests {
    /// Teams t1, t2; professionals p1 (t1), p2 (t2); client c1 in both teams (Z-1 in t1, Z-2 in
    /// t2, both opened 2024-01-01), client c2 in t2 only.
    static func prepared() throws -> CLI {
        // Teams t1, t2, client c1 in t1 and professional p1 (t1) as ImportContactsTests prepares them.
        let cli = try ImportContactsTests.prepared()
        let db = try Connection(path: cli.database)
        defer { db.close() }
        try db.run("INSERT INTO professionals (id, name, team_id, discipline, employment, started_on) VALUES ('p2', 'Bob', 't2', 'social work', 'permanent', '2020-01-01')")
        try db.run("INSERT INTO clients (id, external_ref, team_id, opened_on) VALUES ('c1', 'Z-2', 't2', '2024-01-01')")
        try db.run("INSERT INTO clients (id, external_ref, team_id, opened_on) VALUES ('c2', 'Z-3', 't2', '2024-01-01')")
        return cli
    }

    static let header = "id,client_id,professional_id,occurred_at,mode,client_team_id,client_external_ref,client_opened_on"

    static func write(_ text: String, in cli: CLI) throws -> String { try ImportContactsTests.write(text, in: cli) }
    static func count(_ cli: CLI, _ sql: String) throws -> Int { try ImportContactsTests.count(cli, sql) }

    /// A worker token of `team`, made with the CLI.
    static func worker(_ cli: CLI, _ name: String, team: String) throws -> String {
        let r = try cli.run(["token", "create", "--name", name, "--role", "worker", "--team", team])
        guard r.status == 0, let secret = r.stdout.split(separator: "\n").last else { throw CLIError("token create: \(r.stderr)") }
        return String(secret)
    }

    static func json(_ r: LiveServer.Response?) -> [String: Any] {
        guard let r else { return [:] }
        return ((try? JSONSerialization.jsonObject(with: Data(r.body.utf8))) as? [String: Any]) ?? [:]
    }

    static func ids(_ r: LiveServer.Response?) -> [String] {
        ((json(r)["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
    }

    @Test func rowsResolveTheirClientWithinClientTeamId_andOneContactIdIsLoadedForTwoTeamsClients() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            \(Self.header)
            k1,c1,p1,2024-03-01T10:00:00+01:00,home_visit,t1,Z-1,2024-01-01
            k1,c1,p2,2024-03-02T10:00:00+01:00,phone,t2,Z-2,2024-01-01
            k2,c2,p2,2024-03-03T10:00:00+01:00,office_visit,,,

            """, in: cli)
        let r = try cli.run(["import", "contacts", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "loaded 3 contacts (0 clients, 0 professionals created); 0 bad rows skipped\n", "\(r.stdout)")
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 3)
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts WHERE id = 'k1'") == 2)
        #expect(try Self.count(cli, "SELECT count(*) FROM clients") == 3)

        // The same file again: everything already loaded, in each team.
        let again = try cli.run(["import", "contacts", file])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == "loaded 0 contacts (0 clients, 0 professionals created); 0 bad rows skipped; 3 already loaded\n", "\(again.stdout)")
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 3)

        // Each team's worker sees its own k1 under its own c1.
        let w1 = try Self.worker(cli, "worker.t1", team: "t1"), w2 = try Self.worker(cli, "worker.t2", team: "t2")
        let server = try LiveServer(database: cli.database)
        defer { server.stop() }
        let k1In1 = Self.json(server.request("GET", "/v1/contacts/k1", token: w1))
        let k1In2 = Self.json(server.request("GET", "/v1/contacts/k1", token: w2))
        #expect(k1In1["client_id"] as? String == "c1" && k1In1["professional_id"] as? String == "p1" && k1In1["mode"] as? String == "home_visit", "\(k1In1)")
        #expect(k1In2["client_id"] as? String == "c1" && k1In2["professional_id"] as? String == "p2" && k1In2["mode"] as? String == "phone", "\(k1In2)")
        #expect(Self.ids(server.request("GET", "/v1/clients/c1/contacts", token: w1)) == ["k1"])
        #expect(Self.ids(server.request("GET", "/v1/clients/c1/contacts", token: w2)) == ["k1"])
        #expect(Self.ids(server.request("GET", "/v1/clients/c2/contacts", token: w2)) == ["k2"])
        #expect(server.request("GET", "/v1/contacts/k2", token: w1)?.status == 404)

        // The contacts are from 2024: both c1 raised alerts, told apart by team in the export.
        let out = cli.folder.appendingPathComponent("events.ndjson").path
        let export = try cli.run(["export-alerts", "--consumer", "cron", "--out", out])
        #expect(export.status == 0, "\(export.stderr)")
        let events = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        let c1Teams = Set(events.filter { $0["client_id"] as? String == "c1" && $0["event"] as? String == "raised" }
            .compactMap { $0["team_id"] as? String })
        #expect(c1Teams == ["t1", "t2"], "\(events)")
    }

    @Test func clientTeamIdAloneNamesTheTeamOfAnExistingClient() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            \(Self.header)
            k1,c1,p2,2024-03-02T10:00:00+01:00,phone,t2,,

            """, in: cli)
        let r = try cli.run(["import", "contacts", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "loaded 1 contacts (0 clients, 0 professionals created); 0 bad rows skipped\n", "\(r.stdout)")
        let w1 = try Self.worker(cli, "worker.t1", team: "t1"), w2 = try Self.worker(cli, "worker.t2", team: "t2")
        let server = try LiveServer(database: cli.database)
        defer { server.stop() }
        #expect(Self.ids(server.request("GET", "/v1/clients/c1/contacts", token: w2)) == ["k1"])
        #expect(Self.ids(server.request("GET", "/v1/clients/c1/contacts", token: w1)) == [])
    }

    @Test func aClientIdUsedInSeveralTeamsWithoutClientTeamIdIsARowErrorOnThatColumn() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        let file = try Self.write("""
            \(Self.header)
            k1,c1,p1,2024-03-01T10:00:00+01:00,home_visit,,,
            k2,c2,p2,2024-03-03T10:00:00+01:00,office_visit,,,
            k3,c1,p2,2024-03-04T10:00:00+01:00,phone,t2,Z-2,2024-01-01

            """, in: cli)
        let r = try cli.run(["import", "contacts", file])
        #expect(r.status == 65)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(file):2: client_team_id: ") && $0.contains("c1") }, "\(r.stderr)")
        #expect(!lines.contains { $0.hasPrefix("\(file):3:") || $0.hasPrefix("\(file):4:") }, "\(r.stderr)")
        #expect(r.stderr.contains("1 bad row; nothing loaded"), "\(r.stderr)")
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts") == 0)
        #expect(try Self.count(cli, "SELECT count(*) FROM audit WHERE action LIKE 'import.%'") == 0)

        let skip = try cli.run(["import", "contacts", file, "--skip-bad"])
        #expect(skip.status == 0, "\(skip.stderr)")
        #expect(skip.stdout == "loaded 2 contacts (0 clients, 0 professionals created); 1 bad rows skipped\n", "\(skip.stdout)")
        #expect(skip.stderr.contains("\(file):2: client_team_id: "), "\(skip.stderr)")
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts WHERE id IN ('k2', 'k3')") == 2)
        #expect(try Self.count(cli, "SELECT count(*) FROM contacts WHERE id = 'k1'") == 0)
    }

    @Test func aRowCreatesItsClientInClientTeamIdWhenOnlyAnotherTeamUsesTheId() throws {
        let cli = try Self.prepared()
        defer { cli.remove() }
        // c2 exists in t2 only; this row creates c2 in t1 (as an API create would: 201).
        let file = try Self.write("""
            \(Self.header)
            k1,c2,p1,2024-03-01T10:00:00+01:00,home_visit,t1,Z-new,2024-02-01

            """, in: cli)
        let r = try cli.run(["import", "contacts", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "loaded 1 contacts (1 clients, 0 professionals created); 0 bad rows skipped\n", "\(r.stdout)")
        #expect(try Self.count(cli, "SELECT count(*) FROM clients WHERE id = 'c2'") == 2)
        #expect(try Self.count(cli, "SELECT count(*) FROM clients WHERE id = 'c2' AND team_id = 't1' AND external_ref = 'Z-new' AND opened_on = '2024-02-01'") == 1)
        #expect(try Self.count(cli, "SELECT count(*) FROM clients WHERE id = 'c2' AND team_id = 't2' AND external_ref = 'Z-3' AND opened_on = '2024-01-01'") == 1)
        let w2 = try Self.worker(cli, "worker.t2", team: "t2")
        let server = try LiveServer(database: cli.database)
        defer { server.stop() }
        #expect(Self.ids(server.request("GET", "/v1/clients/c2/contacts", token: w2)) == [])
        #expect(Self.json(server.request("GET", "/v1/clients/c2", token: w2))["external_ref"] as? String == "Z-3")
    }
}

import Continuity
import SQLite

// The repository: SQL <-> domain values, nothing else (no rules, no scope, no JSON). With the
// other files of this module, the one place that knows table and column names.

enum Columns {
    static let team = "id, name"
    static let professional = "id, name, team_id, discipline, employment, started_on, ended_on"
    static let client = "id, external_ref, team_id, opened_on, closed_on"
    /// The client a row of contacts, referrals, assignments, alerts belongs to: ids are unique
    /// per team (SPEC §1), so a client is always (team_id, client_id).
    static let ofClient = "team_id = ? AND client_id = ?"
    static let assignment = "client_id, professional_id, from_date, reason, seq"
    static let contact = "id, client_id, professional_id, participants, occurred_s, occurred_ns, occurred_at, mode, status, duration_minutes"
    static let referral = "id, client_id, referred_on, from_professional_id, to_text, to_professional_id, warm_handover, status, status_on"
    static let alert = "id, seq, client_id, team_id, flag, raised_on, resolved_on, acknowledged_by, acknowledged_note, evidence"

    /// A column list with each name qualified by a table alias, for joins:
    /// `qualified("id, name", "r")` is `r.id, r.name`.
    static func qualified(_ list: String, _ alias: String) -> String {
        list.split(separator: ",").map { alias + "." + $0.filter { $0 != " " } }.joined(separator: ", ")
    }
}

func text(_ d: LocalDate?) -> SQLiteValue { d.map { .text($0.iso) } ?? .null }

extension ClientKey {
    /// The arguments of `Columns.ofClient`.
    var values: [SQLiteValue] { [.text(teamID), .text(id)] }
}

// Rows are read by column name; a value that does not decode is a `RowDecodingError` naming
// table, column and row (never a default that looks like data: SPEC §7, a wrong answer to a
// manager is worse than an error).
extension RowReader {
    func date(_ column: String) throws -> LocalDate { try text(column, as: "a date YYYY-MM-DD", LocalDate.init(iso:)) }

    func optionalDate(_ column: String) throws -> LocalDate? {
        try optionalText(column, as: "a date YYYY-MM-DD", LocalDate.init(iso:))
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ column: String, _: E.Type) throws -> E where E.RawValue == String {
        try text(column, as: "one of " + E.allCases.map(\.rawValue).joined(separator: ", "), E.init(rawValue:))
    }

    /// Participants are stored as one comma-separated text ("" for none).
    func idList(_ column: String) throws -> [String] {
        let s = try text(column)
        return s.isEmpty ? [] : s.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    func instant(seconds: String, nanoseconds: String) throws -> Instant {
        let ns = try int64(nanoseconds)
        guard (0..<1_000_000_000).contains(ns) else { throw error(nanoseconds, "is not between 0 and 999999999") }
        return Instant(epochSeconds: try int64(seconds), nanoseconds: Int32(ns))
    }
}

extension Team {
    init(_ r: RowReader) throws { self.init(id: try r.text("id"), name: try r.text("name")) }
}

extension Professional {
    init(_ r: RowReader) throws {
        self.init(id: try r.text("id"), name: try r.text("name"), teamID: try r.text("team_id"),
                  discipline: try r.text("discipline"), employment: try r.enumeration("employment", Employment.self),
                  startedOn: try r.date("started_on"), endedOn: try r.optionalDate("ended_on"))
    }
}

extension Client {
    init(_ r: RowReader) throws {
        self.init(id: try r.text("id"), externalRef: try r.text("external_ref"), teamID: try r.text("team_id"),
                  openedOn: try r.date("opened_on"), closedOn: try r.optionalDate("closed_on"))
    }
}

extension PrimaryAssignment {
    init(_ r: RowReader) throws {
        self.init(clientID: try r.text("client_id"), professionalID: try r.optionalText("professional_id"),
                  from: try r.date("from_date"), reason: try r.enumeration("reason", AssignmentReason.self),
                  sequence: try r.int64("seq"))
    }
}

extension Contact {
    init(_ r: RowReader) throws {
        self.init(id: try r.text("id"), clientID: try r.text("client_id"), professionalID: try r.text("professional_id"),
                  participants: try r.idList("participants"),
                  occurredAt: try r.instant(seconds: "occurred_s", nanoseconds: "occurred_ns"),
                  occurredAtText: try r.text("occurred_at"),
                  mode: try r.enumeration("mode", ContactMode.self), status: try r.enumeration("status", ContactStatus.self),
                  durationMinutes: try r.optionalInt("duration_minutes"))
    }
}

extension Referral {
    init(_ r: RowReader) throws {
        self.init(id: try r.text("id"), clientID: try r.text("client_id"), referredOn: try r.date("referred_on"),
                  fromProfessionalID: try r.text("from_professional_id"), to: try r.text("to_text"),
                  toProfessionalID: try r.optionalText("to_professional_id"), warmHandover: try r.bool("warm_handover"),
                  status: try r.enumeration("status", ReferralStatus.self), statusOn: try r.date("status_on"))
    }
}

extension Alert {
    init(_ r: RowReader) throws {
        self.init(id: try r.text("id"), seq: try r.int64("seq"), clientID: try r.text("client_id"), teamID: try r.text("team_id"),
                  flag: try r.enumeration("flag", Flag.self), raisedOn: try r.date("raised_on"),
                  resolvedOn: try r.optionalDate("resolved_on"), acknowledgedBy: try r.optionalText("acknowledged_by"),
                  acknowledgedNote: try r.optionalText("acknowledged_note"), evidence: try r.text("evidence"))
    }
}

extension Connection {
    /// Every row of `sql`, decoded as rows of `table`.
    func fetchAll<T>(_ table: String, key: String = "id", _ sql: String, _ args: [SQLiteValue] = [],
                     _ decode: (RowReader) throws -> T) throws -> [T] {
        try query(sql, args).map { try decode(RowReader($0, table: table, key: key)) }
    }

    /// The first row of `sql`, decoded as a row of `table`, or nil.
    func fetchOne<T>(_ table: String, key: String = "id", _ sql: String, _ args: [SQLiteValue] = [],
                     _ decode: (RowReader) throws -> T) throws -> T? {
        try queryOne(sql, args).map { try decode(RowReader($0, table: table, key: key)) }
    }
}

/// Lookups shared by reads and writes.
public enum Records {
    public static func team(_ db: Connection, _ id: String) throws -> Team? {
        try db.fetchOne("teams", "SELECT \(Columns.team) FROM teams WHERE id = ?", [.text(id)], Team.init)
    }

    public static func professional(_ db: Connection, _ id: String) throws -> Professional? {
        try db.fetchOne("professionals", "SELECT \(Columns.professional) FROM professionals WHERE id = ?", [.text(id)],
                        Professional.init)
    }

    public static func client(_ db: Connection, _ key: ClientKey) throws -> Client? {
        try db.fetchOne("clients", "SELECT \(Columns.client) FROM clients WHERE team_id = ? AND id = ?", [.text(key.teamID), .text(key.id)],
                        Client.init)
    }

    // Lookups by id in one team (`team`) or in every team (nil). In one team the primary key
    // (team_id, id) is sought directly, so another team's record with the same id is never
    // touched: it and an unknown id cost the same (SPEC §1: no existence oracle, not by
    // timing; `scripts/probe-tenancy` measures it). In every team an id may name up to one
    // record per team; two rows at most are read, enough for the caller to see that the id is
    // ambiguous.

    /// A select list's two lookups by id, built once: in one team, or in all.
    struct ByID {
        let inTeam: String, inAll: String
        init(_ select: String) {
            inTeam = select + " WHERE team_id = ?1 AND id = ?2"
            inAll = select + " WHERE id = ?1 LIMIT 2"
        }

        func fetch<T>(_ db: Connection, _ table: String, id: String, team: String?, _ decode: (RowReader) throws -> T) throws -> [T] {
            if let team { return try db.fetchAll(table, inTeam, [.text(team), .text(id)], decode) }
            return try db.fetchAll(table, inAll, [.text(id)], decode)
        }
    }
    static let clientByID = ByID("SELECT \(Columns.client) FROM clients")
    static let contactByID = ByID("SELECT team_id, \(Columns.contact) FROM contacts")
    static let referralByID = ByID("SELECT team_id, \(Columns.referral) FROM referrals")
    static let deletedContactByID = ByID("SELECT team_id, id, client_id FROM deleted_contacts")

    public static func clients(_ db: Connection, id: String, team: String?) throws -> [Client] {
        try clientByID.fetch(db, "clients", id: id, team: team, Client.init)
    }

    public static func contacts(_ db: Connection, id: String, team: String?) throws -> [(team: String, contact: Contact)] {
        try contactByID.fetch(db, "contacts", id: id, team: team) { (try $0.text("team_id"), try Contact($0)) }
    }

    public static func referrals(_ db: Connection, id: String, team: String?) throws -> [(team: String, referral: Referral)] {
        try referralByID.fetch(db, "referrals", id: id, team: team) { (try $0.text("team_id"), try Referral($0)) }
    }

    /// Deleted contacts with this id (their ids stay taken in their team), with their clients.
    public static func deletedContacts(_ db: Connection, id: String, team: String?) throws -> [(team: String, clientID: String)] {
        try deletedContactByID.fetch(db, "deleted_contacts", id: id, team: team) { (try $0.text("team_id"), try $0.text("client_id")) }
    }

    public static func contact(_ db: Connection, team: String, id: String) throws -> Contact? {
        try contacts(db, id: id, team: team).first?.contact
    }

    public static func referral(_ db: Connection, team: String, id: String) throws -> Referral? {
        try referrals(db, id: id, team: team).first?.referral
    }

    public static func alert(_ db: Connection, _ id: String) throws -> Alert? {
        try db.fetchOne("alerts", "SELECT \(Columns.alert) FROM alerts WHERE id = ?", [.text(id)], Alert.init)
    }

    /// The professionals with these ids that exist, keyed by id.
    public static func professionals(_ db: Connection, ids: Set<String>) throws -> [String: Professional] {
        var out: [String: Professional] = [:]
        for id in ids { if let p = try professional(db, id) { out[id] = p } }
        return out
    }

    public static func assignments(_ db: Connection, client key: ClientKey) throws -> [PrimaryAssignment] {
        try db.fetchAll("primary_assignments", key: "seq",
                        "SELECT \(Columns.assignment) FROM primary_assignments WHERE \(Columns.ofClient) ORDER BY from_date, seq",
                        key.values, PrimaryAssignment.init)
    }

    /// Everything the measures and flags need about one client (SPEC §2, §3).
    public static func history(_ db: Connection, client: Client) throws -> ClientHistory {
        let key = client.key.values
        var contacts: [Contact] = []
        // The hot loop of the daily evaluation and of reports: one statement stepped in
        // covering-index order, each row decoded by name like every other.
        try db.forEachRow("SELECT \(Columns.contact) FROM contacts WHERE \(Columns.ofClient) ORDER BY occurred_s, occurred_ns, id",
                          key) { s in
            contacts.append(try Contact(RowReader(s.row(), table: "contacts")))
        }
        let assignments = try assignments(db, client: client.key)
        let referrals = try db.fetchAll("referrals", "SELECT \(Columns.referral) FROM referrals WHERE \(Columns.ofClient) ORDER BY referred_on, id",
                                        key, Referral.init)
        var named: Set<String> = Set(assignments.compactMap(\.professionalID))
        for c in contacts { named.insert(c.professionalID); named.formUnion(c.participants) }
        let professionals = try professionals(db, ids: named)
        return ClientHistory(client: client, contacts: contacts, assignments: assignments,
                             referrals: referrals, professionals: professionals)
    }

    // MARK: inserts

    public static func insert(_ db: Connection, _ t: Team) throws {
        try db.run("INSERT INTO teams (\(Columns.team)) VALUES (?, ?)", [.text(t.id), .text(t.name)])
    }

    public static func insert(_ db: Connection, _ p: Professional) throws {
        try db.run("INSERT INTO professionals (\(Columns.professional)) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [.text(p.id), .text(p.name), .text(p.teamID), .text(p.discipline),
                    .text(p.employment.rawValue), .text(p.startedOn.iso), text(p.endedOn)])
    }

    public static func insert(_ db: Connection, _ c: Client) throws {
        try db.run("INSERT INTO clients (\(Columns.client)) VALUES (?, ?, ?, ?, ?)",
                   [.text(c.id), .text(c.externalRef), .text(c.teamID), .text(c.openedOn.iso), text(c.closedOn)])
    }

    /// An assignment, contact or referral of a client of `team` (its `clientID` in that team).
    public static func insert(_ db: Connection, _ a: PrimaryAssignment, team: String) throws -> Int64 {
        try db.run("INSERT INTO primary_assignments (team_id, client_id, professional_id, from_date, reason) VALUES (?, ?, ?, ?, ?)",
                   [.text(team), .text(a.clientID), .optional(a.professionalID), .text(a.from.iso), .text(a.reason.rawValue)])
        return db.lastInsertRowID
    }

    public static func insert(_ db: Connection, _ c: Contact, team: String) throws {
        try db.run("INSERT INTO contacts (team_id, \(Columns.contact)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [.text(team), .text(c.id), .text(c.clientID), .text(c.professionalID),
                    .text(c.participants.joined(separator: ",")),
                    .integer(c.occurredAt.epochSeconds), .integer(Int64(c.occurredAt.nanoseconds)),
                    .text(c.occurredAtText), .text(c.mode.rawValue), .text(c.status.rawValue),
                    .int(c.durationMinutes)])
    }

    public static func insert(_ db: Connection, _ r: Referral, team: String) throws {
        try db.run("INSERT INTO referrals (team_id, \(Columns.referral)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [.text(team), .text(r.id), .text(r.clientID), .text(r.referredOn.iso), .text(r.fromProfessionalID),
                    .text(r.to), .optional(r.toProfessionalID), .integer(r.warmHandover ? 1 : 0),
                    .text(r.status.rawValue), .text(r.statusOn.iso)])
    }
}

import Continuity
import SQLite

// SQL <-> domain for each entity of SPEC §1. The one place that knows table and column names.

/// Result of an idempotent create (SPEC §1): stored now, or already stored with the same body.
public enum CreateOutcome<T: Sendable>: Sendable {
    case created(T)
    case existing(T)
    public var value: T {
        switch self { case .created(let v), .existing(let v): return v }
    }
}

enum Columns {
    static let team = "id, name"
    static let professional = "id, name, team_id, discipline, employment, started_on, ended_on"
    static let client = "id, external_ref, team_id, opened_on, closed_on"
    static let assignment = "client_id, professional_id, from_date, reason, seq"
    static let contact = "id, client_id, professional_id, participants, occurred_s, occurred_ns, occurred_at, mode, status, duration_minutes"
    static let referral = "id, client_id, referred_on, from_professional_id, to_text, to_professional_id, warm_handover, status, status_on"
    static let alert = "id, seq, client_id, team_id, flag, raised_on, resolved_on, acknowledged_by, acknowledged_note, evidence"
}

func date(_ s: String) -> LocalDate { LocalDate(iso: s) ?? LocalDate(daysSinceEpoch: 0) }
func optionalDate(_ s: String?) -> LocalDate? { s.flatMap { LocalDate(iso: $0) } }
func text(_ d: LocalDate?) -> SQLiteValue { d.map { .text($0.iso) } ?? .null }

extension Team {
    init(row r: Row) { self.init(id: r.string(0), name: r.string(1)) }
}

extension Professional {
    init(row r: Row) {
        self.init(id: r.string(0), name: r.string(1), teamID: r.string(2), discipline: r.string(3),
                  employment: Employment(rawValue: r.string(4)) ?? .permanent,
                  startedOn: date(r.string(5)), endedOn: optionalDate(r.optionalString(6)))
    }
}

extension Client {
    init(row r: Row) {
        self.init(id: r.string(0), externalRef: r.string(1), teamID: r.string(2),
                  openedOn: date(r.string(3)), closedOn: optionalDate(r.optionalString(4)))
    }
}

extension PrimaryAssignment {
    init(row r: Row) {
        self.init(clientID: r.string(0), professionalID: r.optionalString(1), from: date(r.string(2)),
                  reason: AssignmentReason(rawValue: r.string(3)) ?? .other, sequence: r.int64(4))
    }
}

extension Contact {
    init(row r: Row) {
        let participants = r.string(3)
        self.init(id: r.string(0), clientID: r.string(1), professionalID: r.string(2),
                  participants: participants.isEmpty ? [] : participants.split(separator: ",").map(String.init),
                  occurredAt: Instant(epochSeconds: r.int64(4), nanoseconds: Int32(r.int(5))),
                  occurredAtText: r.string(6),
                  mode: ContactMode(rawValue: r.string(7)) ?? .message,
                  status: ContactStatus(rawValue: r.string(8)) ?? .held,
                  durationMinutes: r.optionalInt(9))
    }
}

extension Referral {
    init(row r: Row) {
        self.init(id: r.string(0), clientID: r.string(1), referredOn: date(r.string(2)),
                  fromProfessionalID: r.string(3), to: r.string(4), toProfessionalID: r.optionalString(5),
                  warmHandover: r.bool(6), status: ReferralStatus(rawValue: r.string(7)) ?? .open,
                  statusOn: date(r.string(8)))
    }
}

extension Alert {
    init(row r: Row) {
        self.init(id: r.string(0), seq: r.int64(1), clientID: r.string(2), teamID: r.string(3),
                  flag: Flag(rawValue: r.string(4)) ?? .longGap, raisedOn: date(r.string(5)),
                  resolvedOn: optionalDate(r.optionalString(6)), acknowledgedBy: r.optionalString(7),
                  acknowledgedNote: r.optionalString(8), evidence: r.string(9))
    }
}

/// Lookups shared by reads and writes.
public enum Records {
    public static func team(_ db: Connection, _ id: String) throws -> Team? {
        try db.queryOne("SELECT \(Columns.team) FROM teams WHERE id = ?", [.text(id)]).map(Team.init(row:))
    }

    public static func professional(_ db: Connection, _ id: String) throws -> Professional? {
        try db.queryOne("SELECT \(Columns.professional) FROM professionals WHERE id = ?", [.text(id)])
            .map(Professional.init(row:))
    }

    public static func client(_ db: Connection, _ id: String) throws -> Client? {
        try db.queryOne("SELECT \(Columns.client) FROM clients WHERE id = ?", [.text(id)]).map(Client.init(row:))
    }

    public static func contact(_ db: Connection, _ id: String) throws -> Contact? {
        try db.queryOne("SELECT \(Columns.contact) FROM contacts WHERE id = ?", [.text(id)]).map(Contact.init(row:))
    }

    public static func referral(_ db: Connection, _ id: String) throws -> Referral? {
        try db.queryOne("SELECT \(Columns.referral) FROM referrals WHERE id = ?", [.text(id)]).map(Referral.init(row:))
    }

    public static func alert(_ db: Connection, _ id: String) throws -> Alert? {
        try db.queryOne("SELECT \(Columns.alert) FROM alerts WHERE id = ?", [.text(id)]).map(Alert.init(row:))
    }

    /// The professionals with these ids that exist, keyed by id.
    public static func professionals(_ db: Connection, ids: Set<String>) throws -> [String: Professional] {
        var out: [String: Professional] = [:]
        for id in ids { if let p = try professional(db, id) { out[id] = p } }
        return out
    }

    public static func assignments(_ db: Connection, client id: String) throws -> [PrimaryAssignment] {
        try db.query("SELECT \(Columns.assignment) FROM primary_assignments WHERE client_id = ? ORDER BY from_date, seq",
                     [.text(id)]).map(PrimaryAssignment.init(row:))
    }

    /// Everything the measures and flags need about one client (SPEC §2, §3).
    public static func history(_ db: Connection, client: Client) throws -> ClientHistory {
        let id: SQLiteValue = .text(client.id)
        var contacts: [Contact] = []
        // The hot loop of the daily evaluation and of reports: columns are read straight from
        // the statement (no intermediate row arrays), in covering-index order.
        try db.forEachRow("""
            SELECT id, professional_id, participants, occurred_s, occurred_ns, occurred_at, mode, status, duration_minutes
            FROM contacts WHERE client_id = ? ORDER BY occurred_s, occurred_ns, id
            """, [id]) { s in
            let participants = s.string(2)
            contacts.append(Contact(
                id: s.string(0), clientID: client.id, professionalID: s.string(1),
                participants: participants.isEmpty ? [] : participants.split(separator: ",").map(String.init),
                occurredAt: Instant(epochSeconds: s.int64(3), nanoseconds: Int32(s.int(4))), occurredAtText: s.string(5),
                mode: ContactMode(rawValue: s.string(6)) ?? .message, status: ContactStatus(rawValue: s.string(7)) ?? .held,
                durationMinutes: s.optionalInt(8)))
        }
        let assignments = try assignments(db, client: client.id)
        let referrals = try db.query("SELECT \(Columns.referral) FROM referrals WHERE client_id = ? ORDER BY referred_on, id", [id])
            .map(Referral.init(row:))
        var named: Set<String> = Set(assignments.compactMap(\.professionalID))
        for c in contacts { named.insert(c.professionalID); named.formUnion(c.participants) }
        let professionals = try professionals(db, ids: named)
        return ClientHistory(client: client, contacts: contacts, assignments: assignments,
                             referrals: referrals, professionals: professionals)
    }

    // MARK: inserts

    static func insert(_ db: Connection, _ t: Team) throws {
        try db.run("INSERT INTO teams (\(Columns.team)) VALUES (?, ?)", [.text(t.id), .text(t.name)])
    }

    static func insert(_ db: Connection, _ p: Professional) throws {
        try db.run("INSERT INTO professionals (\(Columns.professional)) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [.text(p.id), .text(p.name), .text(p.teamID), .text(p.discipline),
                    .text(p.employment.rawValue), .text(p.startedOn.iso), text(p.endedOn)])
    }

    static func insert(_ db: Connection, _ c: Client) throws {
        try db.run("INSERT INTO clients (\(Columns.client)) VALUES (?, ?, ?, ?, ?)",
                   [.text(c.id), .text(c.externalRef), .text(c.teamID), .text(c.openedOn.iso), text(c.closedOn)])
    }

    static func insert(_ db: Connection, _ a: PrimaryAssignment) throws -> Int64 {
        try db.run("INSERT INTO primary_assignments (client_id, professional_id, from_date, reason) VALUES (?, ?, ?, ?)",
                   [.text(a.clientID), .optional(a.professionalID), .text(a.from.iso), .text(a.reason.rawValue)])
        return db.lastInsertRowID
    }

    static func insert(_ db: Connection, _ c: Contact) throws {
        try db.run("INSERT INTO contacts (\(Columns.contact)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [.text(c.id), .text(c.clientID), .text(c.professionalID),
                    .text(c.participants.joined(separator: ",")),
                    .integer(c.occurredAt.epochSeconds), .integer(Int64(c.occurredAt.nanoseconds)),
                    .text(c.occurredAtText), .text(c.mode.rawValue), .text(c.status.rawValue),
                    .int(c.durationMinutes)])
    }

    static func insert(_ db: Connection, _ r: Referral) throws {
        try db.run("INSERT INTO referrals (\(Columns.referral)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [.text(r.id), .text(r.clientID), .text(r.referredOn.iso), .text(r.fromProfessionalID),
                    .text(r.to), .optional(r.toProfessionalID), .integer(r.warmHandover ? 1 : 0),
                    .text(r.status.rawValue), .text(r.statusOn.iso)])
    }
}

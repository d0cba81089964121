import Continuity
import SQLite

/// The daily run's batches (issue 12: the evaluation of every open client within a few times
/// the plain 90-day faces aggregate): the recent windows of a whole batch of clients in five
/// statements, each a join from `clients` that seeks every client's index range, then the flag
/// rules per client. Only a client whose active flags differ from its open alerts goes through
/// the per-client `reevaluate`, which writes the raises (with evidence) and resolves.
public enum BatchQueries {
    /// Clients of the batch are those of team ?4 with ids in [?1, ?2] (?3 for the last two); the
    /// caller drops the ones it did not ask for.
    static let batch = "k.team_id = ?4 AND k.id BETWEEN ?1 AND ?2"
    static let contacts = ClientRangeSQL.contacts(of: batch, from: "?3")
    static let lastBefore = ClientRangeSQL.lastBefore(of: batch, before: "?3")
    static let referrals = ClientRangeSQL.referrals(of: batch, from: "?3")
    static let assignments = """
        SELECT \(Columns.assignment) FROM primary_assignments WHERE team_id = ?3 AND client_id BETWEEN ?1 AND ?2 ORDER BY client_id, from_date, seq
        """
    static let openAlerts = "SELECT client_id, flag FROM alerts WHERE team_id = ?3 AND client_id BETWEEN ?1 AND ?2 AND resolved_on IS NULL"

    /// What the flags of a batch of clients of one team need, by client id.
    public struct Rows {
        public var contacts: [String: [Contact]] = [:]
        /// Last held and last held face-to-face contact before the contacts' start.
        public var before: [String: (Instant?, Instant?)] = [:]
        public var referrals: [String: [Referral]] = [:]
        public var assignments: [String: [PrimaryAssignment]] = [:]
        public var openFlags: [String: Set<String>] = [:]
    }

    /// The rows of the clients of `team` with ids in [first, last]: contacts from `start` (epoch
    /// second of the first local day), referrals from `referralsFrom` plus older open ones.
    public static func load(_ db: Connection, team: String, first: String, last: String, contactsStart start: Int64,
                            referralsFrom: LocalDate) throws -> Rows {
        let range: [SQLiteValue] = [.text(first), .text(last)]
        let teamArg: SQLiteValue = .text(team)
        var out = Rows()
        try db.forEachRow(contacts, range + [.integer(start), teamArg]) { s in
            let id = s.string(0)
            out.contacts[id, default: []].append(try HotRows.contact(s, client: id, offset: 1))
        }
        try db.forEachRow(lastBefore, range + [.integer(start), teamArg]) { s in out.before[s.string(0)] = try ClientRangeSQL.lastBefore(s) }
        try db.forEachRow(referrals, range + [.text(referralsFrom.iso), teamArg]) { s in
            let id = s.string(0)
            out.referrals[id, default: []].append(try HotRows.referral(s, client: id, offset: 1))
        }
        for a in try db.fetchAll("primary_assignments", key: "seq", assignments, range + [teamArg], PrimaryAssignment.init) {
            out.assignments[a.clientID, default: []].append(a)
        }
        for row in try db.query(openAlerts, range + [teamArg]) { out.openFlags[row.string(0), default: []].insert(row.string(1)) }
        return out
    }
}

/// The statements that load the recent rows of many clients at once (the daily run's batches,
/// a team's report), each a join from `clients k` that seeks every client's index range.
/// `clients` is the condition on `k`; `from`/`before` the parameter of the first epoch second
/// (contacts) or date (referrals). The first column is always the client's id.
enum ClientRangeSQL {
    static func contacts(of clients: String, from: String) -> String {
        """
        SELECT k.id, \(Columns.qualified(HotRows.contact, "c"))
        FROM clients k JOIN contacts c ON c.team_id = k.team_id AND c.client_id = k.id AND c.occurred_s >= \(from)
        WHERE \(clients) ORDER BY k.id, c.occurred_s, c.occurred_ns, c.id
        """
    }

    /// The last held and last held face-to-face contact before `before`, each as "seconds
    /// nanoseconds" text (a scalar subquery gives one value; one integer of nanoseconds would
    /// overflow for dates after 2262, which a case may have). Read with `lastBefore(_:)`.
    static func lastBefore(of clients: String, before: String) -> String {
        """
        SELECT k.id,
          (SELECT occurred_s || ' ' || occurred_ns FROM contacts
           WHERE team_id = k.team_id AND client_id = k.id AND status = 'held' AND occurred_s < \(before)
           ORDER BY occurred_s DESC, occurred_ns DESC LIMIT 1),
          (SELECT occurred_s || ' ' || occurred_ns FROM contacts
           WHERE team_id = k.team_id AND client_id = k.id AND status = 'held' AND mode IN ('home_visit', 'office_visit', 'outreach')
             AND occurred_s < \(before)
           ORDER BY occurred_s DESC, occurred_ns DESC LIMIT 1)
        FROM clients k WHERE \(clients)
        """
    }

    /// The window's referrals and every older open one: a superset of the limbo candidates.
    static func referrals(of clients: String, from: String) -> String {
        """
        SELECT k.id, \(Columns.qualified(HotRows.referral, "r"))
        FROM clients k JOIN referrals r ON r.team_id = k.team_id AND r.client_id = k.id AND (r.referred_on >= \(from) OR r.status = 'open')
        WHERE \(clients) ORDER BY k.id, r.referred_on, r.id
        """
    }

    /// A row of `lastBefore`: the last held and last held face-to-face contact.
    static func lastBefore(_ s: borrowing RowCursor) throws -> (Instant?, Instant?) {
        let id = s.string(0)
        func instant(_ column: Int) throws -> Instant? {
            guard let text = s.text(column) else { return nil }
            let parts = text.split(separator: " ")
            guard parts.count == 2, let seconds = Int64(parts[0]), let ns = Int32(parts[1]), (0..<1_000_000_000).contains(ns) else {
                throw RowDecodingError(table: "contacts", column: "occurred_s", key: id, problem: "is not seconds and nanoseconds")
            }
            return Instant(epochSeconds: seconds, nanoseconds: ns)
        }
        return (try instant(1), try instant(2))
    }
}

extension Records {
    /// Clients open after D and every client with an open alert, whole rows, by team and id.
    public static func clientRowsToEvaluate(_ db: Connection, asOf d: LocalDate) throws -> [Client] {
        try db.fetchAll("clients", """
            SELECT \(Columns.client) FROM clients c WHERE closed_on IS NULL OR closed_on > ?1
               OR EXISTS (SELECT 1 FROM alerts a WHERE a.team_id = c.team_id AND a.client_id = c.id AND a.resolved_on IS NULL)
            ORDER BY team_id, id
            """, [.text(d.iso)], Client.init)
    }

    /// Every professional, by id (the daily run looks them up once).
    public static func allProfessionals(_ db: Connection) throws -> [String: Professional] {
        let all = try db.fetchAll("professionals", "SELECT \(Columns.professional) FROM professionals", [], Professional.init)
        return Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

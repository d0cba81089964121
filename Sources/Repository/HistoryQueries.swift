import Continuity
import SQLite

/// The recent part of a client's history and the summary of the rest (HistorySummary), in a
/// fixed number of index seeks: what re-evaluation, reports and successor advice load, so that
/// their cost follows the windows, not the years behind a client (issue 12).
public enum HistoryQueries {
    static let contactsFrom = "SELECT \(HotRows.contact) FROM contacts WHERE team_id = ? AND client_id = ? AND occurred_s >= ? ORDER BY occurred_s, occurred_ns, id"
    // The partial indexes of migration 0003 answer these with one seek; their WHERE terms must
    // be repeated word for word.
    static let lastHeldBefore = """
        SELECT occurred_s, occurred_ns FROM contacts WHERE team_id = ? AND client_id = ? AND status = 'held' AND occurred_s < ?
        ORDER BY occurred_s DESC, occurred_ns DESC LIMIT 1
        """
    static let lastFaceToFaceBefore = """
        SELECT occurred_s, occurred_ns FROM contacts
        WHERE team_id = ? AND client_id = ? AND status = 'held' AND mode IN ('home_visit', 'office_visit', 'outreach') AND occurred_s < ?
        ORDER BY occurred_s DESC, occurred_ns DESC LIMIT 1
        """
    static let referralsFrom = "SELECT \(HotRows.referral) FROM referrals WHERE team_id = ? AND client_id = ? AND referred_on >= ? ORDER BY referred_on, id"
    static let openReferralsBetween = """
        SELECT \(HotRows.referral) FROM referrals WHERE team_id = ? AND client_id = ? AND referred_on >= ? AND referred_on < ? AND status = 'open'
        ORDER BY referred_on, id
        """
    static let firstSeen = "SELECT professional_id, first_s, first_ns FROM client_faces WHERE team_id = ? AND client_id = ?"
    static let latestReferrals = """
        SELECT \(HotRows.referral) FROM referrals WHERE team_id = ? AND client_id = ? AND referred_on >= ? AND referred_on <= ?
        ORDER BY referred_on DESC, id DESC LIMIT ?
        """
    static let openReferralsFrom = """
        SELECT \(HotRows.referral) FROM referrals WHERE team_id = ? AND client_id = ? AND referred_on >= ? AND referred_on <= ? AND status = 'open'
        ORDER BY referred_on, id
        """

    /// `assignments` and `professionals` when the caller has them already (a re-evaluation
    /// reads them first to know which windows it needs). With `names`, the professionals of the
    /// loaded contacts too (for evidence and `faces_detail`); the flags themselves need only
    /// those of the assignments (their `ended_on`).
    public static func recent(_ db: Connection, client: Client, windows: HistoryWindows, zone: TimeZoneRules, firstSeen wantFaces: Bool,
                       names: Bool = true, assignments known: [PrimaryAssignment]? = nil,
                       professionals knownPros: [String: Professional] = [:],
                       referralSample: (count: Int, through: LocalDate, limboThrough: LocalDate)? = nil) throws -> ClientHistory {
        let key = client.key.values
        // Local date ≥ from ⟺ instant ≥ the start of that local day, where clocks never go back
        // across midnight; a day's margin keeps the load complete where they once did (older
        // contacts loaded with it are outside every window the rules read).
        let start = SQLiteValue.integer(zone.startOfDay(windows.contactsFrom).epochSeconds - 86_400)
        var contacts: [Contact] = []
        try db.forEachRow(contactsFrom, key + [start]) { s in contacts.append(try HotRows.contact(s, client: client.id)) }

        func instant(_ sql: String) throws -> Instant? {
            try db.queryOne(sql, key + [start]).map { Instant(epochSeconds: $0.int64(0), nanoseconds: Int32($0.int(1))) }
        }
        let lastHeld = try instant(lastHeldBefore)
        let lastFaceToFace = try instant(lastFaceToFaceBefore)

        var referrals: [Referral] = []
        let limboFrom = lastHeld.map { zone.localDate(of: $0).iso } ?? ""
        if let (n, d, limboThrough) = referralSample {
            // The flags alone: the latest n of the window, and every open one since the last
            // held contact before the loaded contacts that is old enough to be in limbo
            // (HistorySummary.referralSample): a client's open referrals of the last
            // `referral_limbo_days` are never loaded for nothing.
            try db.forEachRow(latestReferrals, key + [.text(windows.referralsFrom.iso), .text(d.iso), .integer(Int64(n))]) { s in
                referrals.append(try HotRows.referral(s, client: client.id))
            }
            let sampled = Set(referrals.map(\.id))
            try db.forEachRow(openReferralsFrom, key + [.text(limboFrom), .text(limboThrough.iso)]) { s in
                let r = try HotRows.referral(s, client: client.id)
                if !sampled.contains(r.id) { referrals.append(r) }
            }
        } else {
            try db.forEachRow(referralsFrom, key + [.text(windows.referralsFrom.iso)]) { s in referrals.append(try HotRows.referral(s, client: client.id)) }
        }
        if referralSample == nil, limboFrom < windows.referralsFrom.iso {
            try db.forEachRow(openReferralsBetween, key + [.text(limboFrom), .text(windows.referralsFrom.iso)]) { s in
                referrals.append(try HotRows.referral(s, client: client.id))
            }
        }

        var faces: [String: Instant]?
        if wantFaces {
            var seen: [String: Instant] = [:]
            for row in try db.query(firstSeen, key) {
                seen[row.string(0)] = Instant(epochSeconds: row.int64(1), nanoseconds: Int32(row.int(2)))
            }
            faces = seen
        }

        let assignments = try known ?? Records.assignments(db, client: client.key)
        var named: Set<String> = Set(assignments.compactMap(\.professionalID))
        if names { for c in contacts { named.insert(c.professionalID); named.formUnion(c.participants) } }
        var professionals = knownPros
        professionals.merge(try Records.professionals(db, ids: named.subtracting(knownPros.keys))) { a, _ in a }
        return ClientHistory(client: client, contacts: contacts, assignments: assignments, referrals: referrals,
                             professionals: professionals,
                             summary: HistorySummary(contactsFrom: windows.contactsFrom, referralsFrom: windows.referralsFrom,
                                                     firstSeen: faces, lastHeldBefore: lastHeld, lastFaceToFaceBefore: lastFaceToFace,
                                                     referralSample: referralSample?.count))
    }
}

/// The hot loops of re-evaluation and reports (issue 12): a client's recent contacts and
/// referrals read by position straight from the statement, the column lists right here, every
/// value checked as strictly as `RowReader` does (a bad value is a `RowDecodingError`, never a
/// default).
enum HotRows {
    static let contact = "id, professional_id, participants, occurred_s, occurred_ns, occurred_at, mode, status, duration_minutes"
    static let referral = "id, referred_on, from_professional_id, to_text, to_professional_id, warm_handover, status, status_on"
    static let contactColumns = contact.split(separator: ",").map { $0.trimmingSpaces }
    static let referralColumns = referral.split(separator: ",").map { $0.trimmingSpaces }

    /// `offset`: the position of the first column (after any the caller selected first).
    static func contact(_ s: borrowing RowCursor, client: String, offset o: Int = 0) throws -> Contact {
        let key = s.text(o)
        func bad(_ i: Int, _ problem: String) -> RowDecodingError {
            RowDecodingError(table: "contacts", column: contactColumns[i], key: key, problem: problem)
        }
        guard let id = key else { throw bad(0, "is NULL") }
        guard let lead = s.text(o + 1) else { throw bad(1, "is NULL") }
        guard let participants = s.text(o + 2) else { throw bad(2, "is NULL") }
        let ns = s.int64(o + 4)
        guard (0..<1_000_000_000).contains(ns) else { throw bad(4, "is not between 0 and 999999999") }
        guard let text = s.text(o + 5) else { throw bad(5, "is NULL") }
        guard let mode = ContactMode(rawValue: s.string(o + 6)) else { throw bad(6, "is not a contact mode") }
        guard let status = ContactStatus(rawValue: s.string(o + 7)) else { throw bad(7, "is not a contact status") }
        return Contact(id: id, clientID: client, professionalID: lead,
                       participants: participants.isEmpty ? [] : participants.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                       occurredAt: Instant(epochSeconds: s.int64(o + 3), nanoseconds: Int32(ns)), occurredAtText: text,
                       mode: mode, status: status, durationMinutes: s.optionalInt(o + 8))
    }

    static func referral(_ s: borrowing RowCursor, client: String, offset o: Int = 0) throws -> Referral {
        let key = s.text(o)
        func bad(_ i: Int, _ problem: String) -> RowDecodingError {
            RowDecodingError(table: "referrals", column: referralColumns[i], key: key, problem: problem)
        }
        guard let id = key else { throw bad(0, "is NULL") }
        guard let on = LocalDate(iso: s.string(o + 1)) else { throw bad(1, "is not a date YYYY-MM-DD") }
        guard let from = s.text(o + 2) else { throw bad(2, "is NULL") }
        guard let to = s.text(o + 3) else { throw bad(3, "is NULL") }
        let warm = s.int64(o + 5)
        guard warm == 0 || warm == 1 else { throw bad(5, "holds an integer other than 0 or 1") }
        guard let status = ReferralStatus(rawValue: s.string(o + 6)) else { throw bad(6, "is not a referral status") }
        guard let statusOn = LocalDate(iso: s.string(o + 7)) else { throw bad(7, "is not a date YYYY-MM-DD") }
        return Referral(id: id, clientID: client, referredOn: on, fromProfessionalID: from, to: to, toProfessionalID: s.text(o + 4),
                        warmHandover: warm == 1, status: status, statusOn: statusOn)
    }
}

private extension Substring {
    var trimmingSpaces: String { String(drop { $0 == " " }) }
}

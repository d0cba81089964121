import Continuity
import SQLite

/// The recent part of a client's history and the summary of the rest (HistorySummary), in a
/// fixed number of index seeks: what re-evaluation, reports and successor advice load, so that
/// their cost follows the windows, not the years behind a client (issue 12).
enum HistoryQueries {
    static let contactsFrom = "SELECT \(Columns.contact) FROM contacts WHERE client_id = ? AND occurred_s >= ? ORDER BY occurred_s, occurred_ns, id"
    // The partial indexes of migration 0003 answer these with one seek; their WHERE terms must
    // be repeated word for word.
    static let lastHeldBefore = """
        SELECT occurred_s, occurred_ns FROM contacts WHERE client_id = ? AND status = 'held' AND occurred_s < ?
        ORDER BY occurred_s DESC, occurred_ns DESC LIMIT 1
        """
    static let lastFaceToFaceBefore = """
        SELECT occurred_s, occurred_ns FROM contacts
        WHERE client_id = ? AND status = 'held' AND mode IN ('home_visit', 'office_visit', 'outreach') AND occurred_s < ?
        ORDER BY occurred_s DESC, occurred_ns DESC LIMIT 1
        """
    static let referralsFrom = "SELECT \(Columns.referral) FROM referrals WHERE client_id = ? AND referred_on >= ? ORDER BY referred_on, id"
    static let openReferralsBetween = """
        SELECT \(Columns.referral) FROM referrals WHERE client_id = ? AND referred_on >= ? AND referred_on < ? AND status = 'open'
        ORDER BY referred_on, id
        """
    static let firstSeen = "SELECT professional_id, first_s, first_ns FROM client_faces WHERE client_id = ?"

    /// `assignments` and `professionals` when the caller has them already (a re-evaluation
    /// reads them first to know which windows it needs).
    static func recent(_ db: Connection, client: Client, windows: HistoryWindows, zone: TimeZoneRules, firstSeen wantFaces: Bool,
                       assignments known: [PrimaryAssignment]? = nil, professionals knownPros: [String: Professional] = [:]) throws -> ClientHistory {
        let id: SQLiteValue = .text(client.id)
        // Local date ≥ from ⟺ instant ≥ the start of that local day (a local date never
        // decreases as time goes on).
        let start = SQLiteValue.integer(zone.startOfDay(windows.contactsFrom).epochSeconds)
        var contacts: [Contact] = []
        try db.forEachRow(contactsFrom, [id, start]) { s in contacts.append(try Contact(RowReader(s.row(), table: "contacts"))) }

        func instant(_ sql: String) throws -> Instant? {
            try db.queryOne(sql, [id, start]).map { Instant(epochSeconds: $0.int64(0), nanoseconds: Int32($0.int(1))) }
        }
        let lastHeld = try instant(lastHeldBefore)
        let lastFaceToFace = try instant(lastFaceToFaceBefore)

        var referrals = try db.fetchAll("referrals", referralsFrom, [id, .text(windows.referralsFrom.iso)], Referral.init)
        let limboFrom = lastHeld.map { zone.localDate(of: $0).iso } ?? ""
        if limboFrom < windows.referralsFrom.iso {
            referrals += try db.fetchAll("referrals", openReferralsBetween, [id, .text(limboFrom), .text(windows.referralsFrom.iso)],
                                         Referral.init)
        }

        var faces: [String: Instant]?
        if wantFaces {
            var seen: [String: Instant] = [:]
            for row in try db.query(firstSeen, [id]) {
                seen[row.string(0)] = Instant(epochSeconds: row.int64(1), nanoseconds: Int32(row.int(2)))
            }
            faces = seen
        }

        let assignments = try known ?? Records.assignments(db, client: client.id)
        var named: Set<String> = Set(assignments.compactMap(\.professionalID))
        for c in contacts { named.insert(c.professionalID); named.formUnion(c.participants) }
        var professionals = knownPros
        professionals.merge(try Records.professionals(db, ids: named.subtracting(knownPros.keys))) { a, _ in a }
        return ClientHistory(client: client, contacts: contacts, assignments: assignments, referrals: referrals,
                             professionals: professionals,
                             summary: HistorySummary(contactsFrom: windows.contactsFrom, referralsFrom: windows.referralsFrom,
                                                     firstSeen: faces, lastHeldBefore: lastHeld, lastFaceToFaceBefore: lastFaceToFace))
    }
}

extension Store {
    /// What a re-evaluation as of D needs: the flags' windows (a year of contacts when
    /// `no_primary` or `primary_leaving` holds, for the successor the evidence names).
    func flagHistory(_ db: Connection, client: Client, asOf d: LocalDate) throws -> PreparedHistory {
        let assignments = try Records.assignments(db, client: client.id)
        let professionals = try Records.professionals(db, ids: Set(assignments.compactMap(\.professionalID)))
        let primaries = PreparedHistory(ClientHistory(client: client, assignments: assignments, professionals: professionals),
                                        settings: settings)
        let windows = HistoryWindows.flags(asOf: d, thresholds: thresholds,
                                           successors: primaries.needsSuccessor(asOf: d, thresholds: thresholds))
        return PreparedHistory(try HistoryQueries.recent(db, client: client, windows: windows, zone: settings.zone, firstSeen: false,
                                                         assignments: assignments, professionals: professionals),
                               settings: settings)
    }
}

import Continuity
import SQLite

/// The daily run's batches (issue 12: the evaluation of every open client within a few times
/// the plain 90-day faces aggregate): the recent windows of a whole batch of clients in five
/// statements, each a join from `clients` that seeks every client's index range, then the flag
/// rules per client. Only a client whose active flags differ from its open alerts goes through
/// the per-client `reevaluate`, which writes the raises (with evidence) and resolves.
enum BatchQueries {
    /// Clients of the batch are those with ids in [?1, ?2]; the caller drops the ones it did not ask for.
    static let contacts = """
        SELECT k.id, \(HotRows.contact.split(separator: ",").map { "c." + $0.drop { $0 == " " } }.joined(separator: ", "))
        FROM clients k JOIN contacts c ON c.client_id = k.id AND c.occurred_s >= ?3
        WHERE k.id BETWEEN ?1 AND ?2 ORDER BY k.id, c.occurred_s, c.occurred_ns, c.id
        """
    /// Seconds of the last held and last held face-to-face contact before ?3 (one seek each in
    /// the partial indexes; the second is enough for a local date).
    static let lastBefore = """
        SELECT k.id,
          (SELECT occurred_s FROM contacts WHERE client_id = k.id AND status = 'held' AND occurred_s < ?3
           ORDER BY occurred_s DESC, occurred_ns DESC LIMIT 1),
          (SELECT occurred_s FROM contacts
           WHERE client_id = k.id AND status = 'held' AND mode IN ('home_visit', 'office_visit', 'outreach') AND occurred_s < ?3
           ORDER BY occurred_s DESC, occurred_ns DESC LIMIT 1)
        FROM clients k WHERE k.id BETWEEN ?1 AND ?2
        """
    /// Referrals from ?3 on, and every older open one (a superset of the limbo candidates).
    static let referrals = """
        SELECT k.id, \(HotRows.referral.split(separator: ",").map { "r." + $0.drop { $0 == " " } }.joined(separator: ", "))
        FROM clients k JOIN referrals r ON r.client_id = k.id AND (r.referred_on >= ?3 OR r.status = 'open')
        WHERE k.id BETWEEN ?1 AND ?2 ORDER BY k.id, r.referred_on, r.id
        """
    static let assignments = """
        SELECT \(Columns.assignment) FROM primary_assignments WHERE client_id BETWEEN ?1 AND ?2 ORDER BY client_id, from_date, seq
        """
    static let openAlerts = "SELECT client_id, flag FROM alerts WHERE client_id BETWEEN ?1 AND ?2 AND resolved_on IS NULL"
}

extension Store {
    /// Re-evaluates `clients` (sorted by id) as of D inside the caller's write transaction.
    func reevaluateBatch(_ db: Connection, _ clients: ArraySlice<Client>, asOf d: LocalDate,
                         directory: [String: Professional]) throws {
        guard let first = clients.first?.id, let last = clients.last?.id else { return }
        let windows = HistoryWindows.flags(asOf: d, thresholds: thresholds, successors: false)
        let start = settings.zone.startOfDay(windows.contactsFrom).epochSeconds
        let range: [SQLiteValue] = [.text(first), .text(last)]

        var contacts: [String: [Contact]] = [:]
        try db.forEachRow(BatchQueries.contacts, range + [.integer(start)]) { s in
            let id = s.string(0)
            contacts[id, default: []].append(try HotRows.contact(s, client: id, offset: 1))
        }
        var before: [String: (Instant?, Instant?)] = [:]
        try db.forEachRow(BatchQueries.lastBefore, range + [.integer(start)]) { s in
            before[s.string(0)] = (s.isNull(1) ? nil : Instant(epochSeconds: s.int64(1)),
                                   s.isNull(2) ? nil : Instant(epochSeconds: s.int64(2)))
        }
        var referrals: [String: [Referral]] = [:]
        try db.forEachRow(BatchQueries.referrals, range + [.text(windows.referralsFrom.iso)]) { s in
            let id = s.string(0)
            referrals[id, default: []].append(try HotRows.referral(s, client: id, offset: 1))
        }
        var assignments: [String: [PrimaryAssignment]] = [:]
        for a in try db.fetchAll("primary_assignments", key: "seq", BatchQueries.assignments, range, PrimaryAssignment.init) {
            assignments[a.clientID, default: []].append(a)
        }
        var open: [String: Set<String>] = [:]
        for row in try db.query(BatchQueries.openAlerts, range) { open[row.string(0), default: []].insert(row.string(1)) }

        for client in clients {
            let active: Set<String>
            if client.closedOn.map({ $0 > d }) ?? true {
                let a = assignments[client.id] ?? []
                var professionals: [String: Professional] = [:]
                for p in a.compactMap(\.professionalID) { professionals[p] = directory[p] }
                let (lastHeld, lastFaceToFace) = before[client.id] ?? (nil, nil)
                let h = ClientHistory(client: client, contacts: contacts[client.id] ?? [], assignments: a,
                                      referrals: referrals[client.id] ?? [], professionals: professionals,
                                      summary: HistorySummary(contactsFrom: windows.contactsFrom, referralsFrom: windows.referralsFrom,
                                                              firstSeen: nil, lastHeldBefore: lastHeld, lastFaceToFaceBefore: lastFaceToFace))
                active = Set(PreparedHistory(h, settings: settings).activeFlags(asOf: d, thresholds: thresholds).map(\.rawValue))
            } else {
                active = []
            }
            // Nothing to raise or resolve: nothing to write.
            if active != open[client.id] ?? [] {
                try reevaluate(db, client: client, asOf: d, directory: directory)
            }
        }
    }
}

import Continuity
import SQLite

/// The histories a team report reads, for every client of a team at once: what
/// `HistoryQueries.recent(firstSeen: true, names: false)` loads for one client, in six
/// statements per team instead of eight per client (issue 12: the report within a few times the
/// plain faces aggregate). Each statement seeks every client's index range from `clients`; rows
/// of clients the report does not cover are dropped. The result equals the per-client loads
/// (`ReportQueriesTests`), with the daily run's statements (`ClientRangeSQL`) for the ranges.
public enum ReportQueries {
    /// Clients of team ?1 open at some time from ?3 to ?2 (as `Records.clientsOpen`).
    static let inPeriod = "k.team_id = ?1 AND k.opened_on <= ?2 AND (k.closed_on IS NULL OR k.closed_on >= ?3)"
    static let contacts = ClientRangeSQL.contacts(of: inPeriod, from: "?4")
    static let lastBefore = ClientRangeSQL.lastBefore(of: inPeriod, before: "?4")
    static let referrals = ClientRangeSQL.referrals(of: inPeriod, from: "?4")
    static let firstSeen = "SELECT client_id, professional_id, first_s, first_ns FROM client_faces WHERE team_id = ?1"
    static let assignments = "SELECT \(Columns.assignment) FROM primary_assignments WHERE team_id = ?1 ORDER BY client_id, from_date, seq"

    /// The histories of `clients` (any teams), in their order.
    public static func load(_ db: Connection, clients: [Client], windows: HistoryWindows, zone: TimeZoneRules,
                            between earliest: LocalDate, and d: LocalDate) throws -> [ClientHistory] {
        var byKey: [ClientKey: ClientHistory] = [:]
        for (team, members) in Dictionary(grouping: clients, by: \.teamID) {
            let wanted = Dictionary(members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for (id, h) in try loadTeam(db, team: team, clients: wanted, windows: windows, zone: zone, between: earliest, and: d) {
                byKey[ClientKey(teamID: team, id: id)] = h
            }
        }
        return clients.map { byKey[$0.key]! }
    }

    private static func loadTeam(_ db: Connection, team: String, clients: [String: Client], windows: HistoryWindows,
                                 zone: TimeZoneRules, between earliest: LocalDate, and d: LocalDate) throws -> [String: ClientHistory] {
        let start = zone.startOfDay(windows.contactsFrom).epochSeconds - 86_400   // as HistoryQueries.recent
        let period: [SQLiteValue] = [.text(team), .text(d.iso), .text(earliest.iso)]

        var contacts: [String: [Contact]] = [:]
        try db.forEachRow(Self.contacts, period + [.integer(start)]) { s in
            let id = s.string(0)
            guard clients[id] != nil else { return }
            contacts[id, default: []].append(try HotRows.contact(s, client: id, offset: 1))
        }
        var before: [String: (Instant?, Instant?)] = [:]
        try db.forEachRow(lastBefore, period + [.integer(start)]) { s in before[s.string(0)] = try ClientRangeSQL.lastBefore(s) }
        // As HistoryQueries.recent: the window's referrals in order, then the older open ones
        // since the last held contact's day, in order.
        var inWindow: [String: [Referral]] = [:], olderOpen: [String: [Referral]] = [:]
        try db.forEachRow(referrals, period + [.text(windows.referralsFrom.iso)]) { s in
            let id = s.string(0)
            guard clients[id] != nil else { return }
            let r = try HotRows.referral(s, client: id, offset: 1)
            if r.referredOn >= windows.referralsFrom {
                inWindow[id, default: []].append(r)
            } else if let last = before[id]?.0, r.referredOn < zone.localDate(of: last) {
                return
            } else {
                olderOpen[id, default: []].append(r)
            }
        }
        var faces: [String: [String: Instant]] = [:]
        try db.forEachRow(firstSeen, [.text(team)]) { s in
            let id = s.string(0)
            guard clients[id] != nil else { return }
            faces[id, default: [:]][s.string(1)] = Instant(epochSeconds: s.int64(2), nanoseconds: Int32(s.int(3)))
        }
        var assignments: [String: [PrimaryAssignment]] = [:]
        for a in try db.fetchAll("primary_assignments", key: "seq", Self.assignments, [.text(team)], PrimaryAssignment.init)
        where clients[a.clientID] != nil {
            assignments[a.clientID, default: []].append(a)
        }
        let directory = try Records.professionals(db, ids: Set(assignments.values.flatMap { $0.compactMap(\.professionalID) }))

        var out: [String: ClientHistory] = [:]
        for (id, client) in clients {
            let a = assignments[id] ?? []
            var professionals: [String: Professional] = [:]
            for p in a.compactMap(\.professionalID) { professionals[p] = directory[p] }
            let (lastHeld, lastFaceToFace) = before[id] ?? (nil, nil)
            out[id] = ClientHistory(client: client, contacts: contacts[id] ?? [], assignments: a,
                                    referrals: (inWindow[id] ?? []) + (olderOpen[id] ?? []), professionals: professionals,
                                    summary: HistorySummary(contactsFrom: windows.contactsFrom, referralsFrom: windows.referralsFrom,
                                                            firstSeen: faces[id] ?? [:], lastHeldBefore: lastHeld,
                                                            lastFaceToFaceBefore: lastFaceToFace))
        }
        return out
    }
}

import Continuity
import Repository
import SQLite

extension Store {
    /// What a re-evaluation as of D needs: the flags' windows (a year of contacts when
    /// `no_primary` or `primary_leaving` holds, for the successor the evidence names), and the
    /// professionals of the assignments (from `directory` when given).
    func flagHistory(_ db: Connection, client: Client, asOf d: LocalDate, directory: [String: Professional]?) throws -> PreparedHistory {
        let assignments = try Records.assignments(db, client: client.id)
        let ids = Set(assignments.compactMap(\.professionalID))
        let professionals = try directory.map { all in pick(ids, from: all) } ?? Records.professionals(db, ids: ids)
        let primaries = PreparedHistory(ClientHistory(client: client, assignments: assignments, professionals: professionals),
                                        settings: settings)
        let windows = HistoryWindows.flags(asOf: d, thresholds: thresholds,
                                           successors: primaries.needsSuccessor(asOf: d, thresholds: thresholds))
        return PreparedHistory(try HistoryQueries.recent(db, client: client, windows: windows, zone: settings.zone, firstSeen: false,
                                                         names: false, assignments: assignments, professionals: professionals),
                               settings: settings)
    }

    private func pick(_ ids: Set<String>, from all: [String: Professional]) -> [String: Professional] {
        var out: [String: Professional] = [:]
        for id in ids { if let p = all[id] { out[id] = p } }
        return out
    }

    /// The same history with the names of everyone at its contacts, for an evidence sentence.
    func withNames(_ db: Connection, _ prepared: PreparedHistory, directory: [String: Professional]?) throws -> PreparedHistory {
        var h = prepared.history
        var ids: Set<String> = []
        for c in h.contacts { ids.insert(c.professionalID); ids.formUnion(c.participants) }
        ids.subtract(h.professionals.keys)
        guard !ids.isEmpty else { return prepared }
        let found = try directory.map { all in pick(ids, from: all) } ?? Records.professionals(db, ids: ids)
        h.professionals.merge(found) { a, _ in a }
        return PreparedHistory(h, settings: settings)
    }
}


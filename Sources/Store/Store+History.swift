import Continuity
import Repository
import SQLite

extension Store {
    /// What a re-evaluation as of D needs: the flags' windows (a year of contacts when
    /// `no_primary` or `primary_leaving` holds, for the successor the evidence names), and the
    /// professionals of the assignments (from `directory` when given).
    /// `lean`: only what decides the flags (a sample of the referral window, no names); a raise
    /// then loads the history again in full for its evidence.
    func flagHistory(_ db: Connection, client: Client, asOf d: LocalDate, directory: [String: Professional]?,
                     lean: Bool = true) throws -> PreparedHistory {
        let assignments = try Records.assignments(db, client: client.key)
        let ids = Set(assignments.compactMap(\.professionalID))
        let professionals = try directory.map { all in pick(ids, from: all) } ?? Records.professionals(db, ids: ids)
        let primaries = PreparedHistory(ClientHistory(client: client, assignments: assignments, professionals: professionals),
                                        settings: settings)
        let windows = HistoryWindows.flags(asOf: d, thresholds: thresholds,
                                           successors: primaries.needsSuccessor(asOf: d, thresholds: thresholds))
        var h = try HistoryQueries.recent(db, client: client, windows: windows, zone: settings.zone, firstSeen: false,
                                          names: !lean, assignments: assignments, professionals: professionals,
                                          referralSample: lean ? (thresholds.referralChainMax + 1, d, HistoryWindows.limboThrough(asOf: d, thresholds: thresholds)) : nil)
        if !lean, let directory {
            for c in h.contacts {
                for p in [c.professionalID] + c.participants where h.professionals[p] == nil { h.professionals[p] = directory[p] }
            }
        }
        return PreparedHistory(h, settings: settings)
    }

    private func pick(_ ids: Set<String>, from all: [String: Professional]) -> [String: Professional] {
        var out: [String: Professional] = [:]
        for id in ids { if let p = all[id] { out[id] = p } }
        return out
    }
}

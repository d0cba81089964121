import Continuity
import Repository
import SQLite

extension Store {
    /// Re-evaluates `clients` (sorted by team and id) as of D inside the caller's write transaction.
    func reevaluateBatch(_ db: Connection, _ clients: ArraySlice<Client>, asOf d: LocalDate,
                         directory: [String: Professional]) throws {
        // Ids are unique per team (SPEC §1): a batch is loaded one team's run of it at a time.
        var rest = clients
        while let team = rest.first?.teamID {
            let run = rest.prefix { $0.teamID == team }
            try reevaluateTeamBatch(db, run, asOf: d, directory: directory)
            rest = rest.dropFirst(run.count)
        }
    }

    private func reevaluateTeamBatch(_ db: Connection, _ clients: ArraySlice<Client>, asOf d: LocalDate,
                                     directory: [String: Professional]) throws {
        guard let team = clients.first?.teamID, let first = clients.first?.id, let last = clients.last?.id else { return }
        let windows = HistoryWindows.flags(asOf: d, thresholds: thresholds, successors: false)
        // A day's margin, as in HistoryQueries.recent.
        let start = settings.zone.startOfDay(windows.contactsFrom).epochSeconds - 86_400
        let rows = try BatchQueries.load(db, team: team, first: first, last: last, contactsStart: start,
                                         referralsFrom: windows.referralsFrom)
        for client in clients {
            let active: Set<String>
            if client.closedOn.map({ $0 > d }) ?? true {
                let a = rows.assignments[client.id] ?? []
                var professionals: [String: Professional] = [:]
                for p in a.compactMap(\.professionalID) { professionals[p] = directory[p] }
                let (lastHeld, lastFaceToFace) = rows.before[client.id] ?? (nil, nil)
                let h = ClientHistory(client: client, contacts: rows.contacts[client.id] ?? [], assignments: a,
                                      referrals: rows.referrals[client.id] ?? [], professionals: professionals,
                                      summary: HistorySummary(contactsFrom: windows.contactsFrom, referralsFrom: windows.referralsFrom,
                                                              firstSeen: nil, lastHeldBefore: lastHeld, lastFaceToFaceBefore: lastFaceToFace))
                active = Set(PreparedHistory(h, settings: settings).activeFlags(asOf: d, thresholds: thresholds).map(\.rawValue))
            } else {
                active = []
            }
            // Nothing to raise or resolve: nothing to write.
            if active != rows.openFlags[client.id] ?? [] {
                try reevaluate(db, client: client, asOf: d, directory: directory)
            }
        }
    }
}

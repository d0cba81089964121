/// The figures of one group of open clients (a team, or one professional's primary cases) as
/// of D (SPEC §4 `GET /v1/reports/continuity`).
///
/// Choices where SPEC leaves room:
/// - `meanFaces` / `medianFaces` use the report window (`windowDays`), and so does
///   `overFacesThresholdShare` (SPEC §4: faces in the report's window over the
///   `changing_faces` threshold), which therefore differs from the `changing_faces` flag share
///   when the report window is not the flag's 90 days.
/// - `meanLifetimeFaces` / `medianLifetimeFaces`: `lifetime_faces` as of D (not windowed).
/// - Shares of contacts (`faceToFaceShare`, `outsideOfficeHoursShare`, `noShowRate`) are
///   pooled over all contacts of the group in the window, not averaged per client.
/// - `flagShares` has every flag; with no open clients every share is 0.
/// - `primaryChanges` counts, over the window, a new non-null primary replacing a different
///   non-null one (SPEC §3, last paragraph); a change through "nobody" is not a handover.
///   `warmHandoverShare` is the share of them where old and new primary were both present at
///   one held contact whose local date lies in [F − warmHandoverDays + 1, F], F the change's
///   `from` (the same "N days up to" convention as every window in SPEC §2).
public struct GroupFigures: Sendable, Equatable {
    public let openCases: Int
    public let meanFaces: Double?
    public let medianFaces: Double?
    /// Share of clients with faces (report window) > changingFacesMax.
    public let overFacesThresholdShare: Double?
    public let meanLifetimeFaces: Double?
    public let medianLifetimeFaces: Double?
    public let meanUPC: Double?
    public let meanCOC: Double?
    public let meanSECON: Double?
    /// Share of open clients with each flag (every flag present, 0 if none).
    public let flagShares: [Flag: Double]
    public let medianDaysSinceContact: Double?
    /// Of held contacts in the window.
    public let faceToFaceShare: Double?
    /// Of held contacts in the window.
    public let outsideOfficeHoursShare: Double?
    public let noShowRate: Double?
    public let referrals: Int
    public let primaryChanges: Int
    public let warmHandoverShare: Double?
    /// The counts the figures are made of, for small-cell suppression (SPEC §4).
    public var counts = GroupCounts()

    /// Memberwise, for callers that build figures by hand (e.g. API tests).
    public init(openCases: Int, meanFaces: Double?, medianFaces: Double?, overFacesThresholdShare: Double?,
                meanUPC: Double?, meanCOC: Double?, meanSECON: Double?, flagShares: [Flag: Double],
                medianDaysSinceContact: Double?, faceToFaceShare: Double?, outsideOfficeHoursShare: Double?,
                noShowRate: Double?, referrals: Int, primaryChanges: Int, warmHandoverShare: Double?,
                meanLifetimeFaces: Double? = nil, medianLifetimeFaces: Double? = nil) {
        self.openCases = openCases; self.meanFaces = meanFaces; self.medianFaces = medianFaces
        self.overFacesThresholdShare = overFacesThresholdShare; self.meanUPC = meanUPC
        self.meanCOC = meanCOC; self.meanSECON = meanSECON; self.flagShares = flagShares
        self.medianDaysSinceContact = medianDaysSinceContact; self.faceToFaceShare = faceToFaceShare
        self.outsideOfficeHoursShare = outsideOfficeHoursShare; self.noShowRate = noShowRate
        self.referrals = referrals; self.primaryChanges = primaryChanges
        self.warmHandoverShare = warmHandoverShare
        self.meanLifetimeFaces = meanLifetimeFaces; self.medianLifetimeFaces = medianLifetimeFaces
    }
}

/// One professional's group: the open clients whose primary professional they are as of D.
public struct ProfessionalFigures: Sendable, Equatable {
    public let id: String
    public let figures: GroupFigures
    public init(id: String, figures: GroupFigures) { self.id = id; self.figures = figures }
}

public struct TrendPoint: Sendable, Equatable {
    /// "2026-05"
    public let month: String
    public let asOf: LocalDate
    public let meanFaces: Double?
    public let meanCOC: Double?
    /// How many open clients the means are over (COC: those with COC defined), for small cells.
    public var clients = 0, cocClients = 0
    public init(month: String, asOf: LocalDate, meanFaces: Double?, meanCOC: Double?) {
        self.month = month; self.asOf = asOf; self.meanFaces = meanFaces; self.meanCOC = meanCOC
    }
}

/// The continuity report (SPEC §4) as pure aggregation over client histories.
///
/// "Per professional" groups the open clients by their primary professional as of D
/// (`primary_professional_id`, so also a primary who has since left); a client without a
/// primary counts only in the team figures. Professionals are listed by id.
/// The trend has 12 points, oldest first: the last day of each of the 11 previous months,
/// then D; each point averages `faces` and `coc` (report window) over the clients open on
/// that point's date.
public struct ContinuityReport: Sendable, Equatable {
    public let asOf: LocalDate
    public let windowDays: Int
    public let team: GroupFigures
    public let professionals: [ProfessionalFigures]
    public let trend: [TrendPoint]

    public static func build(clients: [ClientHistory], asOf: LocalDate, windowDays: Int,
                             thresholds: FlagThresholds, settings: MeasureSettings) -> ContinuityReport {
        build(prepared: clients.map { PreparedHistory($0, settings: settings) }, asOf: asOf,
              windowDays: windowDays, thresholds: thresholds)
    }

    /// The trend's dates, oldest first: the last day of each of the 11 months before D's, then D.
    public static func trendPoints(asOf d: LocalDate) -> [LocalDate] {
        (1...11).reversed().map { d.firstOfMonth.adding(months: 1 - $0).adding(days: -1) } + [d]
    }

    public static func build(prepared: [PreparedHistory], asOf d: LocalDate, windowDays w: Int,
                             thresholds t: FlagThresholds) -> ContinuityReport {
        // By index: each client's prepared history is read in place, never copied (a copy
        // retains and releases every array in it: 12 trend points × every client).
        let rows = prepared.indices.filter { prepared[$0].isOpen(asOf: d) }
            .map { ClientRow(prepared[$0], asOf: d, windowDays: w, thresholds: t) }
        var byPrimary: [String: [ClientRow]] = [:]
        for r in rows { if let p = r.measures.primaryProfessionalID { byPrimary[p, default: []].append(r) } }
        let professionals = byPrimary.keys.sorted().map {
            ProfessionalFigures(id: $0, figures: GroupFigures(rows: byPrimary[$0]!, thresholds: t))
        }

        let trend = trendPoints(asOf: d).map { p -> TrendPoint in
            var faces: [Int] = [], cocs: [Double] = []
            for i in prepared.indices where prepared[i].isOpen(asOf: p) {
                let m = prepared[i].facesAndCOC(asOf: p, windowDays: w)
                faces.append(m.faces)
                if let coc = m.coc { cocs.append(coc) }
            }
            var point = TrendPoint(month: String(p.iso.prefix(7)), asOf: p,
                                   meanFaces: Stats.mean(faces.map(Double.init)), meanCOC: Stats.mean(cocs))
            point.clients = faces.count
            point.cocClients = cocs.count
            return point
        }
        return ContinuityReport(asOf: d, windowDays: w, team: GroupFigures(rows: rows, thresholds: t),
                                professionals: professionals, trend: trend)
    }
}

/// What one open client contributes to its groups.
struct ClientRow {
    var measures: ContinuityMeasures
    var flags: Set<Flag>
    var held = 0, faceToFace = 0, outside = 0, noShows = 0
    var primaryChanges = 0, warmHandovers = 0

    init(_ c: borrowing PreparedHistory, asOf d: LocalDate, windowDays w: Int, thresholds t: FlagThresholds) {
        measures = c.measures(asOf: d, windowDays: w)
        flags = Set(c.activeFlags(asOf: d, thresholds: t))
        let lo = d.adding(days: 1 - w)
        for x in c.contacts where x.date >= lo && x.date <= d {
            switch x.contact.status {
            case .held:
                held += 1
                if x.contact.mode.isFaceToFace { faceToFace += 1 }
                if !c.settings.officeHours.contains(x.local) { outside += 1 }
            case .noShow: noShows += 1
            case .cancelled: break
            }
        }
        for change in c.primaryChanges(from: lo, through: d) {
            guard let new = change.to else { continue }
            primaryChanges += 1
            let from = change.on.adding(days: 1 - t.warmHandoverDays)
            if c.held.contains(where: { $0.date >= from && $0.date <= change.on
                && $0.present.contains(change.from) && $0.present.contains(new) }) {
                warmHandovers += 1
            }
        }
    }
}

extension GroupFigures {
    init(rows: [ClientRow], thresholds t: FlagThresholds) {
        let n = rows.count
        func share(_ k: Int, _ of: Int) -> Double? { of == 0 ? nil : Double(k) / Double(of) }
        let faces = rows.map { Double($0.measures.faces) }
        var shares: [Flag: Double] = [:]
        for f in Flag.allCases { shares[f] = share(rows.filter { $0.flags.contains(f) }.count, n) ?? 0 }
        let held = rows.reduce(0) { $0 + $1.held }
        let noShows = rows.reduce(0) { $0 + $1.noShows }
        let changes = rows.reduce(0) { $0 + $1.primaryChanges }
        self.init(
            openCases: n,
            meanFaces: Stats.mean(faces),
            medianFaces: Stats.median(faces),
            overFacesThresholdShare: share(rows.filter { $0.measures.faces > t.changingFacesMax }.count, n),
            meanUPC: Stats.mean(rows.compactMap(\.measures.upc)),
            meanCOC: Stats.mean(rows.compactMap(\.measures.coc)),
            meanSECON: Stats.mean(rows.compactMap(\.measures.secon)),
            flagShares: shares,
            medianDaysSinceContact: Stats.median(rows.map { Double($0.measures.daysSinceContact) }),
            faceToFaceShare: share(rows.reduce(0) { $0 + $1.faceToFace }, held),
            outsideOfficeHoursShare: share(rows.reduce(0) { $0 + $1.outside }, held),
            noShowRate: share(noShows, noShows + held),
            referrals: rows.reduce(0) { $0 + $1.measures.referrals },
            primaryChanges: changes,
            warmHandoverShare: share(rows.reduce(0) { $0 + $1.warmHandovers }, changes),
            meanLifetimeFaces: Stats.mean(rows.map { Double($0.measures.lifetimeFaces) }),
            medianLifetimeFaces: Stats.median(rows.map { Double($0.measures.lifetimeFaces) }))
        var flagCounts: [Flag: Int] = [:]
        for f in Flag.allCases { flagCounts[f] = rows.filter { $0.flags.contains(f) }.count }
        counts = GroupCounts(
            overFacesThreshold: rows.filter { $0.measures.faces > t.changingFacesMax }.count, flags: flagCounts,
            upcDefined: rows.filter { $0.measures.upc != nil }.count, cocDefined: rows.filter { $0.measures.coc != nil }.count,
            seconDefined: rows.filter { $0.measures.secon != nil }.count,
            heldContacts: held, faceToFaceContacts: rows.reduce(0) { $0 + $1.faceToFace },
            outsideOfficeHoursContacts: rows.reduce(0) { $0 + $1.outside }, noShowContacts: noShows,
            warmHandovers: rows.reduce(0) { $0 + $1.warmHandovers })
    }
}

enum Stats {
    static func mean(_ xs: [Double]) -> Double? {
        xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count)
    }

    /// The middle value; the mean of the two middle values for an even count.
    static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        let mid = s.count / 2
        return s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
    }
}

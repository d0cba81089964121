/// How many held contacts in the window a professional was present at.
public struct FaceCount: Sendable, Equatable {
    public let professionalID: String
    /// The professional's name when the history knows them (SPEC §2 `faces_detail`).
    public let name: String?
    public let contacts: Int
    public init(professionalID: String, name: String? = nil, contacts: Int) {
        self.professionalID = professionalID; self.name = name; self.contacts = contacts
    }
}

/// The continuity measures of one client as of a date D over a window of W days (SPEC §2).
///
/// Values are unrounded (the API rounds to 4 decimals). Choices where SPEC leaves room:
/// - Window: held contacts whose local date lies in [D − W + 1, D]; W < 1 gives an empty window.
///   Contacts after D are ignored by every measure.
/// - `facesDetail` lists exactly the `faces` (leads and participants): each professional with
///   the number of held contacts in the window they were present at, as lead or participant,
///   counted once per contact. So `facesDetail.count == faces`, and a colleague who only came
///   along on a joint visit shows up with that visit.
/// - `primaryShare` uses `primaryProfessionalID`, which stays set after that professional has
///   left (SPEC §2); `no_primary` is the flag that reports the departure.
/// - `daysSinceContact` / `daysSinceFaceToFace` fall back to D − opened_on exactly as SPEC
///   says, which is negative if D precedes opened_on.
public struct ContinuityMeasures: Sendable, Equatable {
    public let asOf: LocalDate
    public let windowDays: Int
    public let contacts: Int
    public let faces: Int
    public let upc: Double?
    public let coc: Double?
    public let secon: Double?
    public let mmci: Double?
    public let knownFaceShare: Double?
    public let primaryShare: Double?
    public let daysSinceContact: Int
    public let daysSinceFaceToFace: Int
    public let referrals: Int
    public let outsideOfficeHoursShare: Double?
    public let noShowRate: Double?
    /// Distinct professionals among leads and participants of every held contact up to D,
    /// not windowed (SPEC §2).
    public let lifetimeFaces: Int
    public let primaryProfessionalID: String?
    /// Most contacts first; ties by id.
    public let facesDetail: [FaceCount]

    public static func compute(_ h: ClientHistory, asOf: LocalDate, windowDays: Int,
                               settings: MeasureSettings) -> ContinuityMeasures {
        PreparedHistory(h, settings: settings).measures(asOf: asOf, windowDays: windowDays)
    }

    /// Memberwise, for callers that build measures by hand (e.g. API tests); `compute` is the
    /// way to get real ones.
    public init(asOf: LocalDate, windowDays: Int, contacts: Int, faces: Int, upc: Double?, coc: Double?,
         secon: Double?, mmci: Double?, knownFaceShare: Double?, primaryShare: Double?,
         daysSinceContact: Int, daysSinceFaceToFace: Int, referrals: Int,
         outsideOfficeHoursShare: Double?, noShowRate: Double?, lifetimeFaces: Int = 0, primaryProfessionalID: String?,
         facesDetail: [FaceCount]) {
        self.asOf = asOf; self.windowDays = windowDays; self.contacts = contacts; self.faces = faces
        self.upc = upc; self.coc = coc; self.secon = secon; self.mmci = mmci
        self.knownFaceShare = knownFaceShare; self.primaryShare = primaryShare
        self.daysSinceContact = daysSinceContact; self.daysSinceFaceToFace = daysSinceFaceToFace
        self.referrals = referrals; self.outsideOfficeHoursShare = outsideOfficeHoursShare
        self.noShowRate = noShowRate; self.lifetimeFaces = lifetimeFaces
        self.primaryProfessionalID = primaryProfessionalID
        self.facesDetail = facesDetail
    }
}

/// The index formulas of SPEC §2 over lead counts, kept apart so tests can check them
/// against published tables. Each is computed from integers with a single final division
/// where the algebra allows, so e.g. `mmci` is exactly 1 when one professional led all.
public enum ContinuityIndex {
    /// Usual Provider of Care: max_j n_j / n; nil when n = 0.
    public static func upc(_ counts: [Int]) -> Double? {
        let n = counts.reduce(0, +)
        guard n > 0 else { return nil }
        return Double(counts.max() ?? 0) / Double(n)
    }

    /// Bice–Boxerman: (Σ n_j² − n) / (n (n − 1)); nil when n < 2.
    public static func coc(_ counts: [Int]) -> Double? {
        let n = counts.reduce(0, +)
        guard n >= 2 else { return nil }
        let squares = counts.reduce(0) { $0 + $1 * $1 }
        return Double(squares - n) / Double(n * (n - 1))
    }

    /// Modified Modified Continuity Index: (1 − M/(n + 0.1)) / (1 − 1/(n + 0.1)); nil when
    /// n = 0. Multiplying through by 10(n + 0.1) gives (10n + 1 − 10M) / (10n − 9): exact
    /// integers, one rounding.
    public static func mmci(contacts n: Int, providers m: Int) -> Double? {
        guard n > 0 else { return nil }
        return Double(10 * n + 1 - 10 * m) / Double(10 * n - 9)
    }

    /// Sequential continuity: consecutive pairs with the same lead / (n − 1); nil when n < 2.
    public static func secon(_ leads: [String]) -> Double? {
        guard leads.count >= 2 else { return nil }
        var same = 0
        for i in 1..<leads.count where leads[i] == leads[i - 1] { same += 1 }
        return Double(same) / Double(leads.count - 1)
    }
}

extension PreparedHistory {
    /// SPEC §2, every measure as of D over W days.
    public func measures(asOf d: LocalDate, windowDays w: Int) -> ContinuityMeasures {
        assert(history.summary.map { $0.firstSeen != nil && $0.referralSample == nil } ?? true,
               "measures need the first-seen summary and every referral of the window")
        let lo = d.adding(days: 1 - w)
        let window = heldContacts(from: lo, through: d)
        let n = window.count

        var leadCounts: [String: Int] = [:]
        for c in window { leadCounts[c.lead, default: 0] += 1 }
        let counts = Array(leadCounts.values)
        let detail = faceCounts(window)

        // known_face_share: the lead was present at a held contact on an earlier local date
        // (any time before, not only in the window): their first such date is before this one.
        let known = window.filter { c in firstSeen[c.lead].map { $0 < c.date } ?? false }.count

        let primary = primaryProfessionalID(asOf: d)
        let byPrimary = primary.map { p in window.filter { $0.lead == p }.count }
        let outside = window.filter { !settings.officeHours.contains($0.local) }.count

        var noShows = 0, heldInWindow = 0
        for c in contacts where c.date >= lo && c.date <= d {
            switch c.contact.status {
            case .held: heldInWindow += 1
            case .noShow: noShows += 1
            case .cancelled: break
            }
        }

        let opened = history.client.openedOn
        let lastAny = lastHeldDate(onOrBefore: d, faceToFaceOnly: false)
        let lastF2F = lastHeldDate(onOrBefore: d, faceToFaceOnly: true)

        func share(_ k: Int, _ of: Int) -> Double? { of == 0 ? nil : Double(k) / Double(of) }

        return ContinuityMeasures(
            asOf: d, windowDays: w, contacts: n, faces: detail.count,
            upc: ContinuityIndex.upc(counts), coc: ContinuityIndex.coc(counts),
            secon: ContinuityIndex.secon(window.map(\.lead)),
            mmci: ContinuityIndex.mmci(contacts: n, providers: leadCounts.count),
            knownFaceShare: share(known, n),
            primaryShare: byPrimary.flatMap { share($0, n) },
            daysSinceContact: d - (lastAny ?? opened),
            daysSinceFaceToFace: d - (lastF2F ?? opened),
            referrals: referrals.filter { $0.referredOn >= lo && $0.referredOn <= d }.count,
            outsideOfficeHoursShare: share(outside, n),
            noShowRate: share(noShows, noShows + heldInWindow),
            lifetimeFaces: firstSeen.values.filter { $0 <= d }.count,
            primaryProfessionalID: primary, facesDetail: detail)
    }
}

extension PreparedHistory {
    /// `faces` and `coc` alone, as `measures(asOf:windowDays:)` defines them: the report's
    /// trend asks for them at twelve dates per client, and nothing else.
    public func facesAndCOC(asOf d: LocalDate, windowDays w: Int) -> (faces: Int, coc: Double?) {
        let lo = d.adding(days: 1 - w)
        assert(hasContacts(from: lo), "contacts from \(lo) were not loaded")
        var faces: Set<String> = []
        var leads: [String: Int] = [:]
        // By index into the date-ordered held contacts, from the first of the window: no copies
        // of the contacts (the report asks this twelve times per client).
        var i = firstHeldIndex(onOrAfter: lo)
        while i < heldByDate.count, heldByDate[i].date <= d {
            leads[heldByDate[i].contact.professionalID, default: 0] += 1
            for p in heldByDate[i].present { faces.insert(p) }
            i += 1
        }
        return (faces.count, ContinuityIndex.coc(Array(leads.values)))
    }

    /// Index into `heldByDate` of the first held contact (by local date) on or after `day`.
    func firstHeldIndex(onOrAfter day: LocalDate) -> Int {
        var lo = 0, hi = heldByDate.count
        while lo < hi { let m = (lo + hi) / 2; if heldByDate[m].date < day { lo = m + 1 } else { hi = m } }
        return lo
    }
}

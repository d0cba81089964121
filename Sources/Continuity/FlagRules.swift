/// Flag thresholds and windows; every default is SPEC §3's.
public struct FlagThresholds: Sendable, Equatable {
    public var changingFacesWindowDays = 90, changingFacesMax = 3
    public var primaryTurnoverWindowDays = 365, primaryTurnoverMinChanges = 2
    public var noPrimaryGraceDays = 14, primaryLeavingDays = 30
    public var referralChainWindowDays = 180, referralChainMax = 2
    public var referralLimboDays = 14, longGapDays = 30, noFaceToFaceDays = 60
    /// Reports: a primary change is a warm handover when old and new primary were both at one
    /// held contact in the `warmHandoverDays` days up to the change (SPEC §3, last paragraph).
    public var warmHandoverDays = 30
    public init() {}

    /// Days before D that the flag rules look at through contacts (changing_faces' window).
    /// Everything older reaches them only through a last-contact date.
    public var contactLookbackDays: Int { max(1, changingFacesWindowDays) }
}

/// A flag that holds as of D, with the sentence a manager reads and the date since when it
/// has held without a break.
public struct ActiveFlag: Sendable, Equatable {
    public let flag: Flag
    public let evidence: String
    public let since: LocalDate
    public init(flag: Flag, evidence: String, since: LocalDate) {
        self.flag = flag; self.evidence = evidence; self.since = since
    }
}

/// What a rule found as of D: the facts its evidence sentence is written from.
enum FlagFacts {
    case changingFaces(windowDays: Int, faces: [FaceCount])
    case primaryTurnover(windowDays: Int, changes: [PrimaryChange])
    case noPrimary(days: Int, since: LocalDate, cause: MissingPrimary)
    case primaryLeaving(professional: String, endedOn: LocalDate, daysLeft: Int)
    case referralChain(windowDays: Int, referrals: [Referral])
    case referralLimbo(referrals: [Referral], asOf: LocalDate)
    case longGap(days: Int, last: LocalDate?, opened: LocalDate)
    case noFaceToFace(days: Int, last: LocalDate?, opened: LocalDate)

    var flag: Flag {
        switch self {
        case .changingFaces: return .changingFaces
        case .primaryTurnover: return .primaryTurnover
        case .noPrimary: return .noPrimary
        case .primaryLeaving: return .primaryLeaving
        case .referralChain: return .referralChain
        case .referralLimbo: return .referralLimbo
        case .longGap: return .longGap
        case .noFaceToFace: return .noFaceToFace
        }
    }
}

/// Why nobody is primary (SPEC §3 `no_primary`).
enum MissingPrimary: Equatable {
    case neverAssigned(opened: LocalDate)
    case assignedToNobody(from: LocalDate)
    case left(professional: String, endedOn: LocalDate)
}

/// The rules of SPEC §3.
///
/// `since` (SPEC §2) is the first day of the unbroken run of days ending at D on which the
/// rule holds, each day judged as if it were D with the data as stored; it is never before
/// `opened_on` (a flag cannot hold for a case that was not open). It is found from the days
/// where the rule's inputs change, never day by day (see `FlagSince.swift`).
///
/// Choices where SPEC leaves room:
/// - Open as of D means opened_on ≤ D and (closed_on null or after D).
/// - `no_primary` "missing since" is read word for word from SPEC §3 (the `from` of the
///   assignment to null, even when the previous primary had left earlier).
/// - A primary whose professional record is unknown (not in `professionals`) counts as active.
/// - `referral_limbo` uses each referral's current status (history of statuses is not kept).
public enum FlagRules {
    /// Active flags of an open client as of D, in `Flag.allCases` order; empty when the
    /// client is not open as of D.
    public static func evaluate(_ h: ClientHistory, asOf: LocalDate, thresholds: FlagThresholds,
                                settings: MeasureSettings, pool: SuccessorPool? = nil) -> [ActiveFlag] {
        PreparedHistory(h, settings: settings).flags(asOf: asOf, thresholds: thresholds, pool: pool)
    }
}

extension PreparedHistory {
    /// Every active flag with its evidence (in `settings.language`) and `since`. With a
    /// `pool`, the `no_primary` and `primary_leaving` evidence names the best successor
    /// (SPEC §2); that needs the held contacts of [D − 364, D].
    public func flags(asOf d: LocalDate, thresholds t: FlagThresholds, pool: SuccessorPool? = nil) -> [ActiveFlag] {
        findings(asOf: d, thresholds: t).map { facts in
            ActiveFlag(flag: facts.flag, evidence: evidence(facts, asOf: d, pool: pool),
                       since: since(of: facts.flag, asOf: d, thresholds: t))
        }
    }

    /// The flags that hold as of D, without evidence or `since`: what a re-evaluation needs to
    /// decide what to raise and resolve.
    public func activeFlags(asOf d: LocalDate, thresholds t: FlagThresholds) -> [Flag] {
        findings(asOf: d, thresholds: t).map(\.flag)
    }

    /// The evidence sentence of one flag as of D, nil if it does not hold.
    public func evidence(of flag: Flag, asOf d: LocalDate, thresholds t: FlagThresholds, pool: SuccessorPool? = nil) -> String? {
        findings(asOf: d, thresholds: t).first { $0.flag == flag }.map { evidence($0, asOf: d, pool: pool) }
    }

    func evidence(_ facts: FlagFacts, asOf d: LocalDate, pool: SuccessorPool?) -> String {
        assert(history.summary?.referralSample == nil, "evidence lists every referral: load them all")
        var successor: SuccessorCandidate?
        if let pool, facts.flag == .noPrimary || facts.flag == .primaryLeaving {
            successor = successorCandidates(asOf: d, pool: pool).first
        }
        return FlagEvidence(language: settings.language, names: history.professionals).sentence(facts, successor: successor)
    }

    func findings(asOf d: LocalDate, thresholds t: FlagThresholds) -> [FlagFacts] {
        guard isOpen(asOf: d) else { return [] }
        let all: [FlagFacts?] = [changingFaces(d, t), primaryTurnover(d, t), noPrimary(d, t), primaryLeaving(d, t),
                                 referralChain(d, t), referralLimbo(d, t), longGap(d, t), noFaceToFace(d, t)]
        return all.compactMap { $0 }
    }

    var opened: LocalDate { history.client.openedOn }

    // MARK: the rules, each as of D

    func changingFaces(_ d: LocalDate, _ t: FlagThresholds) -> FlagFacts? {
        let w = max(1, t.changingFacesWindowDays)
        let detail = faces(asOf: d, windowDays: w)
        guard detail.count > t.changingFacesMax else { return nil }
        return .changingFaces(windowDays: w, faces: detail)
    }

    func turnoverChanges(_ d: LocalDate, _ t: FlagThresholds) -> [PrimaryChange] {
        primaryChanges(from: d.adding(days: 1 - t.primaryTurnoverWindowDays), through: d)
    }

    func primaryTurnover(_ d: LocalDate, _ t: FlagThresholds) -> FlagFacts? {
        let changes = turnoverChanges(d, t)
        guard changes.count >= t.primaryTurnoverMinChanges else { return nil }
        return .primaryTurnover(windowDays: t.primaryTurnoverWindowDays, changes: changes)
    }

    /// Missing since (SPEC §3, word for word): the later of opened_on and the day the primary
    /// went missing — opened_on if never assigned, the `from` of the assignment to null, or the
    /// day after the primary's ended_on. nil while there is an active primary as of D.
    func missingSince(asOf d: LocalDate) -> (since: LocalDate, cause: MissingPrimary)? {
        guard let k = assignmentIndex(asOf: d) else { return (opened, .neverAssigned(opened: opened)) }
        let a = effectiveAssignments[k]
        guard let p = a.professionalID else { return (max(opened, a.from), .assignedToNobody(from: a.from)) }
        guard let end = history.professionals[p]?.endedOn, end < d else { return nil }
        return (max(opened, end.adding(days: 1)), .left(professional: p, endedOn: end))
    }

    func noPrimaryHolds(_ d: LocalDate, _ t: FlagThresholds) -> Bool {
        missingSince(asOf: d).map { d - $0.since > t.noPrimaryGraceDays } ?? false
    }

    func noPrimary(_ d: LocalDate, _ t: FlagThresholds) -> FlagFacts? {
        guard let (m, cause) = missingSince(asOf: d), d - m > t.noPrimaryGraceDays else { return nil }
        return .noPrimary(days: d - m, since: m, cause: cause)
    }

    /// The assignment index, primary and end date when the primary's ended_on lies in [D, D + days].
    func leavingPrimary(_ d: LocalDate, _ t: FlagThresholds) -> (index: Int, professional: String, end: LocalDate)? {
        guard let k = assignmentIndex(asOf: d) else { return nil }
        return leaving(k, d, t).map { (k, $0.professional, $0.end) }
    }

    /// Whether assignment k's professional leaves within the days after `d`.
    func leaving(_ k: Int, _ d: LocalDate, _ t: FlagThresholds) -> (professional: String, end: LocalDate)? {
        guard let p = effectiveAssignments[k].professionalID, let end = history.professionals[p]?.endedOn,
              end >= d, end - d <= t.primaryLeavingDays else { return nil }
        return (p, end)
    }

    func primaryLeaving(_ d: LocalDate, _ t: FlagThresholds) -> FlagFacts? {
        leavingPrimary(d, t).map { .primaryLeaving(professional: $0.professional, endedOn: $0.end, daysLeft: $0.end - d) }
    }

    func chainReferrals(_ d: LocalDate, _ t: FlagThresholds) -> [Referral] {
        let lo = d.adding(days: 1 - t.referralChainWindowDays)
        return referrals.filter { $0.referredOn >= lo && $0.referredOn <= d }
    }

    func referralChain(_ d: LocalDate, _ t: FlagThresholds) -> FlagFacts? {
        let now = chainReferrals(d, t)
        guard now.count > t.referralChainMax else { return nil }
        return .referralChain(windowDays: t.referralChainWindowDays, referrals: now)
    }

    /// Open referrals made more than `days` before D with no held contact on a later local
    /// date up to D: those after the last held contact on or before D (same day included).
    func limboReferrals(_ d: LocalDate, _ t: FlagThresholds) -> [Referral] {
        let last = lastHeldDate(onOrBefore: d, faceToFaceOnly: false)
        return referrals.filter { r in
            r.status == .open && r.referredOn <= d && d - r.referredOn > t.referralLimboDays
                && last.map { $0 <= r.referredOn } ?? true
        }
    }

    func referralLimbo(_ d: LocalDate, _ t: FlagThresholds) -> FlagFacts? {
        let limbo = limboReferrals(d, t)
        return limbo.isEmpty ? nil : .referralLimbo(referrals: limbo, asOf: d)
    }

    func longGap(_ d: LocalDate, _ t: FlagThresholds) -> FlagFacts? {
        let last = lastHeldDate(onOrBefore: d, faceToFaceOnly: false)
        let days = d - (last ?? opened)
        return days > t.longGapDays ? .longGap(days: days, last: last, opened: opened) : nil
    }

    func noFaceToFace(_ d: LocalDate, _ t: FlagThresholds) -> FlagFacts? {
        let last = lastHeldDate(onOrBefore: d, faceToFaceOnly: true)
        let days = d - (last ?? opened)
        return days > t.noFaceToFaceDays ? .noFaceToFace(days: days, last: last, opened: opened) : nil
    }
}

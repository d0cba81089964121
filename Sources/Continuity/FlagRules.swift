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

/// The rules of SPEC §3.
///
/// `since` is never before `opened_on` (a flag cannot hold for a case that was not open). Per
/// rule:
/// - `changing_faces`, `primary_turnover`, `referral_chain` (counts over a moving window): the
///   earliest S such that the rule holds as of every day of [S, D], found by walking back day
///   by day until it fails (not capped at one window length, so S is exact; each step is
///   O(1) amortised for faces, so the walk costs O(contacts + days)).
/// - `no_primary`: walked back like the window rules. `long_gap` / `no_face_to_face`: last contact
///   date (or opened_on) + threshold + 1. `referral_limbo`: earliest referred_on of the
///   referrals in limbo + days + 1 (a contact that ends one referral's limbo ends every
///   earlier referral's too, so intervals cannot chain). `primary_leaving`: ended_on −
///   days, or the day this professional became primary (without a break) if later.
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

extension ActiveFlag {
    /// The evidence with the best successor named ("…; Fatima Yilmaz (p-0012) knows the client: …").
    func naming(_ successor: SuccessorCandidate?) -> ActiveFlag {
        guard let successor else { return self }
        return ActiveFlag(flag: flag, evidence: evidence + "; " + successor.evidenceClause(.en), since: since)
    }
}

extension PreparedHistory {
    /// With a `pool`, the `no_primary` and `primary_leaving` evidence names the best
    /// successor (SPEC §2); that needs the held contacts of [D − 364, D].
    public func flags(asOf d: LocalDate, thresholds t: FlagThresholds, pool: SuccessorPool? = nil) -> [ActiveFlag] {
        guard isOpen(asOf: d) else { return [] }
        let successor = pool.flatMap { successorCandidates(asOf: d, pool: $0).first }
        let rules: [(Flag, ActiveFlag?)] = [
            (.changingFaces, changingFaces(d, t)),
            (.primaryTurnover, primaryTurnover(d, t)),
            (.noPrimary, noPrimary(d, t).map { $0.naming(successor) }),
            (.primaryLeaving, primaryLeaving(d, t).map { $0.naming(successor) }),
            (.referralChain, referralChain(d, t)),
            (.referralLimbo, referralLimbo(d, t)),
            (.longGap, longGap(d, t)),
            (.noFaceToFace, noFaceToFace(d, t)),
        ]
        return Flag.allCases.compactMap { f in rules.first { $0.0 == f }?.1 }
    }

    private var opened: LocalDate { history.client.openedOn }

    /// Earliest S ≥ opened_on with `holds` true on every day of [S, D], given it holds on D.
    private func walkBack(from d: LocalDate, _ holds: (LocalDate) -> Bool) -> LocalDate {
        var s = d
        while s > opened, holds(s.adding(days: -1)) { s = s.adding(days: -1) }
        return s
    }

    private func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

    // MARK: changing_faces

    func changingFaces(_ d: LocalDate, _ t: FlagThresholds) -> ActiveFlag? {
        let w = max(1, t.changingFacesWindowDays)
        let detail = faces(asOf: d, windowDays: w)
        guard detail.count > t.changingFacesMax else { return nil }
        // Slide the window [X − w + 1, X] back one day at a time over heldByDate.
        var counts: [String: Int] = [:]
        var top = heldByDate.count, bottom = heldByDate.count
        while top > 0, heldByDate[top - 1].date > d { top -= 1 }
        bottom = top
        func add(_ c: PreparedContact) { for p in c.present { counts[p, default: 0] += 1 } }
        func remove(_ c: PreparedContact) {
            for p in c.present {
                let k = counts[p, default: 0] - 1
                counts[p] = k > 0 ? k : nil
            }
        }
        func slide(to x: LocalDate) {
            while top > bottom, heldByDate[top - 1].date > x { top -= 1; remove(heldByDate[top]) }
            if bottom > top { bottom = top }
            let lo = x.adding(days: 1 - w)
            while bottom > 0, heldByDate[bottom - 1].date >= lo, heldByDate[bottom - 1].date <= x {
                bottom -= 1; add(heldByDate[bottom])
            }
        }
        slide(to: d)
        let since = walkBack(from: d) { x in
            slide(to: x)
            return counts.count > t.changingFacesMax
        }
        let ids = detail.map(\.professionalID).joined(separator: ", ")
        return ActiveFlag(flag: .changingFaces,
                          evidence: "\(detail.count) different professionals in the last \(plural(w, "day")): \(ids)",
                          since: since)
    }

    // MARK: primary_turnover

    func primaryTurnover(_ d: LocalDate, _ t: FlagThresholds) -> ActiveFlag? {
        let w = t.primaryTurnoverWindowDays
        let all = primaryChanges(from: LocalDate(daysSinceEpoch: Int.min / 2), through: d)
        func count(_ x: LocalDate) -> Int {
            let lo = x.adding(days: 1 - w)
            return all.filter { $0.on >= lo && $0.on <= x }.count
        }
        guard count(d) >= t.primaryTurnoverMinChanges else { return nil }
        let since = walkBack(from: d) { count($0) >= t.primaryTurnoverMinChanges }
        let lo = d.adding(days: 1 - w)
        let list = all.filter { $0.on >= lo }.map { "\($0.from) to \($0.to ?? "nobody") on \($0.on)" }
        let n = list.count
        return ActiveFlag(flag: .primaryTurnover,
                          evidence: "Primary professional changed \(n == 1 ? "once" : "\(n) times") in the last \(plural(w, "day")): "
                            + list.joined(separator: ", "),
                          since: since)
    }

    // MARK: no_primary

    /// Missing since (SPEC §3, word for word): the later of opened_on and the day the primary
    /// went missing — opened_on if never assigned, the `from` of the assignment to null, or the
    /// day after the primary's ended_on. nil while there is an active primary as of D.
    func missingSince(asOf d: LocalDate) -> (since: LocalDate, cause: String)? {
        guard let k = assignmentIndex(asOf: d) else {
            return (opened, "none has been assigned since the case opened on \(opened)")
        }
        let a = effectiveAssignments[k]
        guard let p = a.professionalID else {
            return (max(opened, a.from), "the assignment of \(a.from) is to nobody")
        }
        guard let end = history.professionals[p]?.endedOn, end < d else { return nil }
        return (max(opened, end.adding(days: 1)), "primary professional \(p) left on \(end)")
    }

    func noPrimaryHolds(_ d: LocalDate, _ t: FlagThresholds) -> Bool {
        missingSince(asOf: d).map { d - $0.since > t.noPrimaryGraceDays } ?? false
    }

    func noPrimary(_ d: LocalDate, _ t: FlagThresholds) -> ActiveFlag? {
        guard let missing = missingSince(asOf: d), d - missing.since > t.noPrimaryGraceDays else { return nil }
        let (m, cause) = missing
        // Missing-since can move back in time as D moves (a later assignment to nobody after an
        // earlier departure), so `since` is found by walking back, like the window rules.
        let since = walkBack(from: d) { x in
            missingSince(asOf: x).map { x - $0.since > t.noPrimaryGraceDays } ?? false
        }
        return ActiveFlag(flag: .noPrimary,
                          evidence: "No active primary professional for \(plural(d - m, "day")) (since \(m)): \(cause)",
                          since: since)
    }

    // MARK: primary_leaving

    /// The assignment index, primary and end date when the primary's ended_on lies in [D, D + days].
    func leavingPrimary(_ d: LocalDate, _ t: FlagThresholds) -> (index: Int, professional: String, end: LocalDate)? {
        guard let k = assignmentIndex(asOf: d), let p = effectiveAssignments[k].professionalID,
              let end = history.professionals[p]?.endedOn,
              end >= d, end - d <= t.primaryLeavingDays else { return nil }
        return (k, p, end)
    }

    func primaryLeaving(_ d: LocalDate, _ t: FlagThresholds) -> ActiveFlag? {
        guard let (k, p, end) = leavingPrimary(d, t) else { return nil }
        var first = k
        while first > 0, effectiveAssignments[first - 1].professionalID == p { first -= 1 }
        let since = max(end.adding(days: -t.primaryLeavingDays), effectiveAssignments[first].from, opened)
        let when = end == d ? "today" : "in \(plural(end - d, "day"))"
        return ActiveFlag(flag: .primaryLeaving,
                          evidence: "Primary professional \(p) leaves on \(end), \(when)",
                          since: since)
    }

    // MARK: referral_chain

    func referralChain(_ d: LocalDate, _ t: FlagThresholds) -> ActiveFlag? {
        let w = t.referralChainWindowDays
        func inWindow(_ x: LocalDate) -> [Referral] {
            let lo = x.adding(days: 1 - w)
            return referrals.filter { $0.referredOn >= lo && $0.referredOn <= x }
        }
        let now = inWindow(d)
        guard now.count > t.referralChainMax else { return nil }
        let since = walkBack(from: d) { inWindow($0).count > t.referralChainMax }
        let list = now.map { "to \($0.to) on \($0.referredOn)" }.joined(separator: ", ")
        return ActiveFlag(flag: .referralChain,
                          evidence: "\(now.count) referrals in the last \(plural(w, "day")): \(list)",
                          since: since)
    }

    // MARK: referral_limbo

    func referralLimbo(_ d: LocalDate, _ t: FlagThresholds) -> ActiveFlag? {
        let limbo = referrals.filter { r in
            r.status == .open && r.referredOn <= d && d - r.referredOn > t.referralLimboDays
                && !held.contains { $0.date > r.referredOn && $0.date <= d }
        }
        guard let first = limbo.first else { return nil }
        let evidence: String
        if limbo.count == 1 {
            evidence = "Referral to \(first.to) on \(first.referredOn) has been open for "
                + "\(plural(d - first.referredOn, "day")) with no contact since"
        } else {
            evidence = "\(limbo.count) referrals open with no contact since they were made: "
                + limbo.map { "to \($0.to) on \($0.referredOn) (\(plural(d - $0.referredOn, "day")))" }
                    .joined(separator: ", ")
        }
        return ActiveFlag(flag: .referralLimbo, evidence: evidence,
                          since: max(opened, first.referredOn.adding(days: t.referralLimboDays + 1)))
    }

    // MARK: long_gap, no_face_to_face

    func longGap(_ d: LocalDate, _ t: FlagThresholds) -> ActiveFlag? {
        let last = lastHeldDate(onOrBefore: d, faceToFaceOnly: false)
        let days = d - (last ?? opened)
        guard days > t.longGapDays else { return nil }
        let why = last.map { "last held contact on \($0)" } ?? "no held contact since the case opened on \(opened)"
        return ActiveFlag(flag: .longGap, evidence: "No contact for \(plural(days, "day")) (\(why))",
                          since: max(opened, (last ?? opened).adding(days: t.longGapDays + 1)))
    }

    func noFaceToFace(_ d: LocalDate, _ t: FlagThresholds) -> ActiveFlag? {
        let last = lastHeldDate(onOrBefore: d, faceToFaceOnly: true)
        let days = d - (last ?? opened)
        guard days > t.noFaceToFaceDays else { return nil }
        let why = last.map { "last home visit, office visit or outreach on \($0)" }
            ?? "none since the case opened on \(opened)"
        return ActiveFlag(flag: .noFaceToFace,
                          evidence: "No face-to-face contact for \(plural(days, "day")) (\(why))",
                          since: max(opened, (last ?? opened).adding(days: t.noFaceToFaceDays + 1)))
    }
}

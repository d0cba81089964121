/// What the measures and flags need from the part of a client's history that was not loaded
/// (issue 12: a re-evaluation or report loads the recent windows only, so its cost does not
/// grow with the years behind a client).
///
/// With a summary, `ClientHistory.contacts` holds every contact whose local date is on or after
/// `contactsFrom` (and may hold older ones), and `referrals` every referral with `referred_on`
/// on or after `referralsFrom` plus every open one made on or after the local date of
/// `lastHeldBefore` (all open ones if there is none): only those can be in limbo, as later
/// contacts are loaded. Measures and flags are then exact for any D and window
/// that do not reach before those days; `HistoryWindows` says which days a use needs.
public struct HistorySummary: Sendable, Equatable {
    public var contactsFrom: LocalDate
    public var referralsFrom: LocalDate
    /// For each professional who was ever at a held contact (lead or participant), the instant
    /// of the first one: `known_face_share` and `lifetime_faces` over the whole history. nil when
    /// not loaded (flags do not need it; measures do).
    public var firstSeen: [String: Instant]?
    /// The last held contact, and the last held face-to-face one, with a local date before
    /// `contactsFrom` (`days_since_contact`, `days_since_face_to_face`, `referral_limbo`).
    public var lastHeldBefore: Instant?
    public var lastFaceToFaceBefore: Instant?
    /// When set, the referrals of [referralsFrom, D] are only the latest this many of them (plus
    /// the open ones that could be in limbo): enough to decide `referral_chain` (it needs more
    /// than `referralChainMax`), not for its evidence or the `referrals` measure.
    public var referralSample: Int?
    public init(contactsFrom: LocalDate, referralsFrom: LocalDate, firstSeen: [String: Instant]?,
                lastHeldBefore: Instant?, lastFaceToFaceBefore: Instant?, referralSample: Int? = nil) {
        self.contactsFrom = contactsFrom; self.referralsFrom = referralsFrom; self.firstSeen = firstSeen
        self.lastHeldBefore = lastHeldBefore; self.lastFaceToFaceBefore = lastFaceToFaceBefore
        self.referralSample = referralSample
    }
}

/// The first days a use of the history needs contacts and referrals from (see `HistorySummary`).
public struct HistoryWindows: Sendable, Equatable {
    public var contactsFrom: LocalDate
    public var referralsFrom: LocalDate

    /// Flags as of D (re-evaluation): changing_faces' window, referral_chain's window; with
    /// `successors`, the 365 days successor advice counts contacts over.
    public static func flags(asOf d: LocalDate, thresholds t: FlagThresholds, successors: Bool) -> HistoryWindows {
        HistoryWindows(contactsFrom: d.adding(days: 1 - max(t.contactLookbackDays, successors ? Successors.lookbackDays : 1)),
                       referralsFrom: d.adding(days: 1 - max(1, t.referralChainWindowDays)))
    }

    /// Successor advice as of D.
    public static func successors(asOf d: LocalDate, thresholds t: FlagThresholds) -> HistoryWindows {
        flags(asOf: d, thresholds: t, successors: true)
    }

    /// The continuity report as of D over W days (ContinuityReport): the measures of each
    /// trend point (the earliest is the last day of the 11th month before D), the warm-handover
    /// look-back before each primary change in the window, and the flags as of D.
    public static func report(asOf d: LocalDate, windowDays w: Int, thresholds t: FlagThresholds) -> HistoryWindows {
        let earliestPoint = ContinuityReport.trendPoints(asOf: d).first ?? d
        let flags = HistoryWindows.flags(asOf: d, thresholds: t, successors: false)
        let measures = min(earliestPoint, d).adding(days: 1 - max(1, w))
        let handovers = d.adding(days: 1 - max(1, w)).adding(days: 1 - max(1, t.warmHandoverDays))
        return HistoryWindows(contactsFrom: min(flags.contactsFrom, measures, handovers),
                              referralsFrom: min(flags.referralsFrom, d.adding(days: 1 - max(1, w))))
    }
}

extension HistoryWindows {
    /// The latest `referred_on` of a referral that can be in limbo as of D (SPEC §3: more than
    /// `referral_limbo_days` before D); later open referrals need not be loaded for the flags.
    public static func limboThrough(asOf d: LocalDate, thresholds t: FlagThresholds) -> LocalDate {
        d.adding(days: -(t.referralLimboDays + 1))
    }
}

extension ClientHistory {
    /// What a store with a summary would load for these windows: the pure counterpart of the
    /// bounded queries, used by tests to show both give the same measures and flags.
    /// With `referralSample` (and D), only the latest that many referrals of [referralsFrom, D]
    /// besides the limbo candidates made on or before `limboThrough`, as a re-evaluation loads them.
    public func summarized(_ windows: HistoryWindows, zone: TimeZoneRules, referralSample: Int? = nil, limboThrough: LocalDate? = nil,
                           asOf d: LocalDate? = nil) -> ClientHistory {
        let held = contacts.filter { $0.status == .held }
        var firstSeen: [String: Instant] = [:]
        for c in held {
            for p in [c.professionalID] + c.participants where firstSeen[p].map({ c.occurredAt < $0 }) ?? true {
                firstSeen[p] = c.occurredAt
            }
        }
        let before = held.filter { zone.localDate(of: $0.occurredAt) < windows.contactsFrom }
        let lastHeld = before.map(\.occurredAt).max()
        let lastF2F = before.filter { $0.mode.isFaceToFace }.map(\.occurredAt).max()
        let lastHeldDay = lastHeld.map(zone.localDate(of:))
        var copy = self
        copy.contacts = contacts.filter { zone.localDate(of: $0.occurredAt) >= windows.contactsFrom }
        let limbo = { (r: Referral) in r.status == .open && lastHeldDay.map { r.referredOn >= $0 } ?? true }
        if let n = referralSample, let d {
            let window = referrals.filter { $0.referredOn >= windows.referralsFrom && $0.referredOn <= d }
                .sorted { ($0.referredOn, $0.id) > ($1.referredOn, $1.id) }.prefix(n)
            let ids = Set(window.map(\.id))
            copy.referrals = Array(window) + referrals.filter { r in
                limbo(r) && !ids.contains(r.id) && limboThrough.map { r.referredOn <= $0 } ?? true
            }
        } else {
            copy.referrals = referrals.filter { $0.referredOn >= windows.referralsFrom || limbo($0) }
        }
        copy.summary = HistorySummary(contactsFrom: windows.contactsFrom, referralsFrom: windows.referralsFrom,
                                      firstSeen: firstSeen, lastHeldBefore: lastHeld, lastFaceToFaceBefore: lastF2F,
                                      referralSample: referralSample)
        return copy
    }
}

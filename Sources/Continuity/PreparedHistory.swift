/// Settings every measure depends on: the zone that turns instants into local dates and times
/// (SPEC §2) and the office hours; and the language evidence and reasons are written in
/// (SPEC §3, `[reports] language`).
public struct MeasureSettings: Sendable {
    public var zone: TimeZoneRules
    public var officeHours: OfficeHours
    public var language: Language
    public init(zone: TimeZoneRules = .utc, officeHours: OfficeHours = OfficeHours(), language: Language = .nl) {
        self.zone = zone; self.officeHours = officeHours; self.language = language
    }
}

/// A primary change: `from` replaced by `to` (nil = nobody) on `on`.
struct PrimaryChange: Sendable, Equatable {
    var from: String
    var to: String?
    var on: LocalDate
}

/// One contact with what the rules keep asking about it, worked out once.
struct PreparedContact: Sendable {
    var contact: Contact
    var local: LocalDateTime
    var date: LocalDate { local.date }
    /// The lead, then the participants, without duplicates: the faces at this contact.
    var present: [String]
    var lead: String { contact.professionalID }
    var isHeld: Bool { contact.status == .held }
}

/// A client's history sorted and converted to local time once, so that measures and flags
/// for many dates (report trend points, `since` walks) cost no re-sorting.
///
/// Assignment order (SPEC §2): by `from`, then `sequence` (higher wins), then position in
/// `ClientHistory.assignments` (later wins). Only the winner of each `from` date ever
/// determines the primary of any day, so the others are dropped here ("effective"
/// assignments); in particular a same-day correction is not counted as a primary change.
public struct PreparedHistory: Sendable {
    public let history: ClientHistory
    public let settings: MeasureSettings
    /// Every contact, any status, ordered by occurred_at then id (SPEC §2).
    let contacts: [PreparedContact]
    /// Held contacts only, same order.
    let held: [PreparedContact]
    /// Held contacts ordered by local date: `held` itself (see init), named for the window walks.
    let heldByDate: [PreparedContact]
    /// `held` is in local-date order as well (see init).
    let datesAscending: Bool
    let effectiveAssignments: [PrimaryAssignment]
    /// Referrals ordered by referred_on, then id.
    let referrals: [Referral]
    /// Local date of each professional's first held contact with the client, over the whole
    /// history (from the summary when only the recent part was loaded).
    let firstSeen: [String: LocalDate]
    /// With a summary: local dates of the last held (face-to-face) contact before the loaded part.
    let lastHeldBefore: (any: LocalDate?, faceToFace: LocalDate?)

    public init(_ h: ClientHistory, settings: MeasureSettings) {
        history = h
        self.settings = settings
        var prepared = h.contacts.map { c -> PreparedContact in
            var present = [c.professionalID]
            for p in c.participants where !present.contains(p) { present.append(p) }
            return PreparedContact(contact: c, local: settings.zone.local(c.occurredAt), present: present)
        }
        prepared.sort { a, b in
            a.contact.occurredAt != b.contact.occurredAt ? a.contact.occurredAt < b.contact.occurredAt
                : a.contact.id < b.contact.id
        }
        contacts = prepared
        let heldContacts = prepared.filter(\.isHeld)
        held = heldContacts
        // In every zone whose clocks never go back across midnight (all current rules, e.g.
        // Europe/Amsterdam) the occurred_at order is already the local-date order: then the
        // same array, and windows are slices found by binary search. Otherwise a stable sort.
        var ascending = true
        for i in heldContacts.indices.dropFirst() where heldContacts[i].date < heldContacts[i - 1].date { ascending = false; break }
        datesAscending = ascending
        heldByDate = ascending ? heldContacts : heldContacts.enumerated().sorted { a, b in
            a.element.date != b.element.date ? a.element.date < b.element.date : a.offset < b.offset
        }.map(\.element)

        let ordered = h.assignments.enumerated().sorted { a, b in
            (a.element.from, a.element.sequence, a.offset) < (b.element.from, b.element.sequence, b.offset)
        }.map(\.element)
        var effective: [PrimaryAssignment] = []
        for a in ordered {
            if let last = effective.last, last.from == a.from { effective[effective.count - 1] = a } else { effective.append(a) }
        }
        effectiveAssignments = effective
        referrals = h.referrals.sorted { ($0.referredOn, $0.id) < ($1.referredOn, $1.id) }

        if let s = h.summary {
            firstSeen = (s.firstSeen ?? [:]).mapValues { settings.zone.localDate(of: $0) }
            lastHeldBefore = (s.lastHeldBefore.map(settings.zone.localDate(of:)), s.lastFaceToFaceBefore.map(settings.zone.localDate(of:)))
        } else {
            var first: [String: LocalDate] = [:]
            for c in heldContacts { for p in c.present where first[p].map({ c.date < $0 }) ?? true { first[p] = c.date } }
            firstSeen = first
            lastHeldBefore = (nil, nil)
        }
    }

    /// Whether the loaded contacts reach back to `day` (always, without a summary). Checked in
    /// debug builds where a use could silently miss data.
    func hasContacts(from day: LocalDate) -> Bool {
        history.summary.map { $0.contactsFrom <= day } ?? true
    }

    // MARK: Facts shared by measures, flags and reports

    /// Open as of D: opened on or before D, and `closed_on` null or after D (SPEC §3). A
    /// client whose case opens after D is not open as of D (it did not exist yet for the team).
    public func isOpen(asOf d: LocalDate) -> Bool {
        history.client.isOpen(asOf: d)
    }

    /// Index into `effectiveAssignments` of the assignment in force on `d` (from ≤ d).
    func assignmentIndex(asOf d: LocalDate) -> Int? {
        effectiveAssignments.lastIndex { $0.from <= d }
    }

    /// SPEC §2 `primary_professional_id`: the professional of the latest assignment with
    /// from ≤ D; nil if none or if that assignment is to nobody — even if they have left.
    public func primaryProfessionalID(asOf d: LocalDate) -> String? {
        assignmentIndex(asOf: d).flatMap { effectiveAssignments[$0].professionalID }
    }

    /// The primary changes with `from` in [lo, hi] (SPEC §3 `primary_turnover`): an effective
    /// assignment whose professional differs from the one before it, where that one was not
    /// null. A change to nobody counts (the primary is lost); nobody → someone does not.
    func primaryChanges(from lo: LocalDate, through hi: LocalDate) -> [PrimaryChange] {
        var out: [PrimaryChange] = []
        for i in effectiveAssignments.indices.dropFirst() {
            let a = effectiveAssignments[i]
            guard a.from >= lo, a.from <= hi, let old = effectiveAssignments[i - 1].professionalID,
                  a.professionalID != old else { continue }
            out.append(PrimaryChange(from: old, to: a.professionalID, on: a.from))
        }
        return out
    }

    /// Held contacts whose local date lies in [lo, hi], in occurred_at order: a slice of
    /// `held` (date-ordered too), found by binary search, not a copy.
    func heldContacts(from lo: LocalDate, through hi: LocalDate) -> ArraySlice<PreparedContact> {
        assert(hasContacts(from: lo) || hi < lo, "contacts from \(lo) were not loaded")
        guard lo <= hi else { return held[0..<0] }
        guard datesAscending else { return ArraySlice(held.filter { $0.date >= lo && $0.date <= hi }) }
        let start = firstHeldIndex(onOrAfter: lo), end = firstHeldIndex(onOrAfter: hi.adding(days: 1))
        return held[start..<max(start, end)]
    }

    /// Local date of the last held contact on or before D (optionally face-to-face only).
    func lastHeldDate(onOrBefore d: LocalDate, faceToFaceOnly: Bool) -> LocalDate? {
        assert(hasContacts(from: d.adding(days: 1)), "the last contact before \(d) needs contacts from \(d.adding(days: 1))")
        var best: LocalDate? = faceToFaceOnly ? lastHeldBefore.faceToFace : lastHeldBefore.any
        // Back from the last held contact on or before D in date order; the first match is the
        // latest (by index: no copies of the contacts).
        var i = firstHeldIndex(onOrAfter: d.adding(days: 1)) - 1
        while i >= 0 {
            if !faceToFaceOnly || heldByDate[i].contact.mode.isFaceToFace {
                if best.map({ heldByDate[i].date > $0 }) ?? true { best = heldByDate[i].date }
                break
            }
            i -= 1
        }
        return best
    }

    /// Faces over the window of `days` days ending at D, each with the number of held contacts
    /// at which they were present (lead or participant), most first, ties by id.
    func faces(asOf d: LocalDate, windowDays: Int) -> [FaceCount] {
        faceCounts(heldContacts(from: d.adding(days: 1 - windowDays), through: d))
    }

    func faceCounts(_ window: ArraySlice<PreparedContact>) -> [FaceCount] {
        var counts: [String: Int] = [:]
        for c in window { for p in c.present { counts[p, default: 0] += 1 } }
        return counts.map { FaceCount(professionalID: $0.key, name: history.professionals[$0.key]?.name, contacts: $0.value) }
            .sorted { $0.contacts != $1.contacts ? $0.contacts > $1.contacts : $0.professionalID < $1.professionalID }
    }
}

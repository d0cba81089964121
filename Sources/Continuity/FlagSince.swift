/// `since` of each flag (SPEC §2): the first day of the unbroken run of days ending at D on
/// which the rule holds, each day judged as if it were D with the data as stored. A change
/// that keeps the rule true (one leaving primary replaced by another who also leaves) does not
/// restart the run. Never before `opened_on`.
///
/// Each rule's inputs change only on a few days (a contact entering or leaving a window, an
/// assignment's `from`, the day after an `ended_on`), and between two such days the rule's
/// answer is fixed or moves monotonically, so the run is found by jumping from one change
/// point to the previous one: the cost is the number of items in the run, not its length in
/// days.
extension PreparedHistory {
    /// Precondition: the flag holds as of D.
    func since(of flag: Flag, asOf d: LocalDate, thresholds t: FlagThresholds) -> LocalDate {
        assert(history.summary == nil, "a run can reach back to the opening: since needs the whole history")
        let s: LocalDate
        switch flag {
        case .changingFaces: s = changingFacesSince(d, t)
        case .primaryTurnover:
            s = windowedCountSince(d, windowDays: t.primaryTurnoverWindowDays, dates: primaryChanges(from: opened.adding(days: -t.primaryTurnoverWindowDays), through: d).map(\.on)) {
                $0 >= t.primaryTurnoverMinChanges
            }
        case .referralChain:
            s = windowedCountSince(d, windowDays: t.referralChainWindowDays, dates: referrals.map(\.referredOn).filter { $0 <= d }) {
                $0 > t.referralChainMax
            }
        case .noPrimary: s = noPrimarySince(d, t)
        case .primaryLeaving: s = primaryLeavingSince(d, t)
        case .referralLimbo:
            // Referral r is in limbo on [r + days + 1, first held contact after r − 1]. A held
            // contact that ends one referral's limbo ends that of every earlier one, and a later
            // referral's limbo starts at least days + 1 after it: runs never join across a
            // contact. So the run is that of the earliest referral in limbo at D.
            s = (limboReferrals(d, t).map(\.referredOn).min() ?? d).adding(days: t.referralLimboDays + 1)
        case .longGap:
            s = (lastHeldDate(onOrBefore: d, faceToFaceOnly: false) ?? opened).adding(days: t.longGapDays + 1)
        case .noFaceToFace:
            s = (lastHeldDate(onOrBefore: d, faceToFaceOnly: true) ?? opened).adding(days: t.noFaceToFaceDays + 1)
        }
        return max(opened, min(s, d))
    }

    /// A rule "count of dated items in [X − w + 1, X] passes": walks back from D over the days
    /// where the count can change (an item's date, when it leaves the window going back, and
    /// its date + w, when it enters). `dates` may be in any order.
    func windowedCountSince(_ d: LocalDate, windowDays w: Int, dates: [LocalDate], _ passes: (Int) -> Bool) -> LocalDate {
        let sorted = dates.filter { $0 <= d }.sorted()
        // count(X) = #{date in [X − w + 1, X]}: two pointers over the sorted dates.
        func count(_ x: LocalDate) -> Int {
            let lo = x.adding(days: 1 - w)
            return upperBound(sorted, x) - lowerBound(sorted, lo)
        }
        var x = d
        while x > opened {
            // The latest day y ≤ x at which count(y − 1) may differ from count(y): an item dated
            // y leaves, or an item dated y − w enters.
            let leave = upperBound(sorted, x) > 0 ? sorted[upperBound(sorted, x) - 1] : nil
            let enterIndex = upperBound(sorted, x.adding(days: -w))
            let enter = enterIndex > 0 ? sorted[enterIndex - 1].adding(days: w) : nil
            guard let y = [leave, enter].compactMap({ $0 }).max() else { return opened }
            if y <= opened { return opened }
            if !passes(count(y.adding(days: -1))) { return y }
            x = y.adding(days: -1)
        }
        return opened
    }

    private func lowerBound(_ a: [LocalDate], _ v: LocalDate) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let m = (lo + hi) / 2; if a[m] < v { lo = m + 1 } else { hi = m } }
        return lo
    }

    private func upperBound(_ a: [LocalDate], _ v: LocalDate) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let m = (lo + hi) / 2; if a[m] <= v { lo = m + 1 } else { hi = m } }
        return lo
    }

    /// changing_faces: distinct faces in [X − w + 1, X] > max. The set of faces changes only
    /// where a held contact leaves or enters the window, so the walk jumps between those days
    /// with the counts of a sliding window.
    func changingFacesSince(_ d: LocalDate, _ t: FlagThresholds) -> LocalDate {
        let w = max(1, t.changingFacesWindowDays)
        let byDate = heldByDate
        var counts: [String: Int] = [:]
        // The window holds byDate[bottom..<top].
        var top = byDate.count
        while top > 0, byDate[top - 1].date > d { top -= 1 }
        var bottom = top
        let lo = d.adding(days: 1 - w)
        while bottom > 0, byDate[bottom - 1].date >= lo { bottom -= 1 }
        for c in byDate[bottom..<top] { for p in c.present { counts[p, default: 0] += 1 } }

        var x = d
        while x > opened {
            let leave = top > bottom ? byDate[top - 1].date : nil
            let enter = bottom > 0 ? byDate[bottom - 1].date.adding(days: w) : nil
            guard let y = [leave, enter].compactMap({ $0 }).filter({ $0 <= x }).max() else { return opened }
            if y <= opened { return opened }
            // Move the window to end at y − 1.
            let newX = y.adding(days: -1)
            while top > bottom, byDate[top - 1].date > newX {
                top -= 1
                for p in byDate[top].present {
                    let k = counts[p, default: 0] - 1
                    counts[p] = k > 0 ? k : nil
                }
            }
            if bottom > top { bottom = top }
            let newLo = newX.adding(days: 1 - w)
            while bottom > 0, byDate[bottom - 1].date >= newLo {
                bottom -= 1
                if byDate[bottom].date <= newX { for p in byDate[bottom].present { counts[p, default: 0] += 1 } }
            }
            if counts.count <= t.changingFacesMax { return y }
            x = newX
        }
        return opened
    }

    /// no_primary: between two days where the primary's state changes (an assignment's `from`,
    /// the day after the primary's `ended_on`), "missing since" is one fixed day m, and the
    /// rule holds from m + grace + 1 on. Walks back over those stretches.
    func noPrimarySince(_ d: LocalDate, _ t: FlagThresholds) -> LocalDate {
        var x = d
        while true {
            guard let (m, cause) = missingSince(asOf: x) else { return x.adding(days: 1) }
            let firstDay = m.adding(days: t.noPrimaryGraceDays + 1)
            // The first day of the stretch that contains x, in which the state stays as at x.
            let stretch: LocalDate
            switch cause {
            case .neverAssigned: return max(firstDay, opened)
            case .assignedToNobody(let from): stretch = from
            case .left(_, let end): stretch = max(effectiveAssignments[assignmentIndex(asOf: x)!].from, end.adding(days: 1))
            }
            if firstDay > stretch || stretch <= opened { return max(firstDay, stretch, opened) }
            x = stretch.adding(days: -1)
            guard missingSince(asOf: x).map({ x - $0.since > t.noPrimaryGraceDays }) ?? false else { return stretch }
        }
    }

    /// primary_leaving: within one assignment the rule holds from ended_on − days on; at the
    /// assignment's `from` the run carries on if the previous primary was leaving too.
    func primaryLeavingSince(_ d: LocalDate, _ t: FlagThresholds) -> LocalDate {
        guard var k = assignmentIndex(asOf: d) else { return d }
        var x = d
        while true {
            guard let (_, end) = leaving(k, x, t) else { return x.adding(days: 1) }
            let from = effectiveAssignments[k].from
            let firstDay = end.adding(days: -t.primaryLeavingDays)
            if firstDay > from || k == 0 || from <= opened { return max(firstDay, from, opened) }
            k -= 1
            x = from.adding(days: -1)
            guard leaving(k, x, t) != nil else { return from }
        }
    }
}

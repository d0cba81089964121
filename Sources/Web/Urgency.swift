import Continuity

/// The order of the open alerts on the team overview: most urgent first (README "How the
/// overview ranks alerts"). Severity says how soon harm follows if nobody acts; within one
/// severity the oldest alert comes first (it has waited longest).
enum Urgency {
    /// 3: act this week, a door is closing; 2: contact has lapsed or keeps changing;
    /// 1: a pattern to discuss in the team meeting.
    static func severity(_ f: Flag) -> Int {
        switch f {
        case .primaryLeaving, .noPrimary, .referralLimbo: return 3
        case .longGap, .changingFaces, .noFaceToFace: return 2
        case .primaryTurnover, .referralChain: return 1
        }
    }

    /// `since`: the first day of the flag's unbroken run (SPEC §2), the alert's age.
    static func ordered(_ alerts: [Alert], since: (Alert) -> LocalDate, clientRef: (ClientKey) -> String) -> [Alert] {
        alerts.sorted { a, b in
            let (sa, sb) = (severity(a.flag), severity(b.flag))
            if sa != sb { return sa > sb }
            let (da, db) = (since(a), since(b))
            if da != db { return da < db }
            let (ra, rb) = (clientRef(a.clientKey), clientRef(b.clientKey))
            if ra != rb { return ra < rb }
            return a.flag.rawValue < b.flag.rawValue
        }
    }
}

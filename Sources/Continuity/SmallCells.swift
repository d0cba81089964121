/// The counts a group's figures are made of: what small-cell suppression needs to know.
public struct GroupCounts: Sendable, Equatable {
    public var overFacesThreshold = 0
    public var flags: [Flag: Int] = [:]
    /// Clients with UPC, COC and SECON defined: the means are over these.
    public var upcDefined = 0, cocDefined = 0, seconDefined = 0
    public var heldContacts = 0, faceToFaceContacts = 0, outsideOfficeHoursContacts = 0, noShowContacts = 0
    public var warmHandovers = 0
    public init() {}
    public init(overFacesThreshold: Int, flags: [Flag: Int], upcDefined: Int, cocDefined: Int, seconDefined: Int,
                heldContacts: Int, faceToFaceContacts: Int, outsideOfficeHoursContacts: Int, noShowContacts: Int,
                warmHandovers: Int) {
        self.overFacesThreshold = overFacesThreshold; self.flags = flags
        self.upcDefined = upcDefined; self.cocDefined = cocDefined; self.seconDefined = seconDefined
        self.heldContacts = heldContacts; self.faceToFaceContacts = faceToFaceContacts
        self.outsideOfficeHoursContacts = outsideOfficeHoursContacts; self.noShowContacts = noShowContacts
        self.warmHandovers = warmHandovers
    }
}

/// A figure as it may leave the team: the value, undefined, or suppressed as a small cell.
public enum Shown: Sendable, Equatable {
    case value(Double)
    case undefined
    case suppressed
}

/// SPEC §4 small cells, the one place the rule lives: in anything that may leave the team (CSV,
/// HTML), a count below the threshold is shown as `<threshold`, and so is every figure derived
/// from it — a mean or median over fewer clients, a share whose numerator is 1 … threshold − 1.
/// Zero is shown: it points at nobody. A group of fewer open cases than the threshold shows
/// none of its figures, because each of them describes a handful of people.
public struct SmallCells: Sendable, Equatable {
    public let threshold: Int
    public init(threshold: Int) { self.threshold = threshold }

    /// True when `n` people (or contacts) could be singled out.
    public func isSmall(_ n: Int) -> Bool { n > 0 && n < threshold }

    public func count(_ n: Int) -> Shown { isSmall(n) ? .suppressed : .value(Double(n)) }

    /// A mean or median over `over` items.
    public func average(_ v: Double?, over n: Int) -> Shown {
        guard let v else { return .undefined }
        return isSmall(n) ? .suppressed : .value(v)
    }

    /// A share whose numerator is `numerator`.
    public func share(_ v: Double?, numerator: Int) -> Shown {
        guard let v else { return .undefined }
        return isSmall(numerator) ? .suppressed : .value(v)
    }

    /// Every figure of a group as it may be shown outside the team.
    public func apply(_ g: GroupFigures) -> ShownFigures {
        let c = g.counts
        var s = ShownFigures(
            openCases: count(g.openCases),
            meanFaces: average(g.meanFaces, over: g.openCases), medianFaces: average(g.medianFaces, over: g.openCases),
            overFacesThresholdShare: share(g.overFacesThresholdShare, numerator: c.overFacesThreshold),
            meanLifetimeFaces: average(g.meanLifetimeFaces, over: g.openCases),
            medianLifetimeFaces: average(g.medianLifetimeFaces, over: g.openCases),
            meanUPC: average(g.meanUPC, over: c.upcDefined), meanCOC: average(g.meanCOC, over: c.cocDefined),
            meanSECON: average(g.meanSECON, over: c.seconDefined),
            flagShares: g.flagShares.mapValues { _ in .undefined },
            medianDaysSinceContact: average(g.medianDaysSinceContact, over: g.openCases),
            faceToFaceShare: share(g.faceToFaceShare, numerator: c.faceToFaceContacts),
            outsideOfficeHoursShare: share(g.outsideOfficeHoursShare, numerator: c.outsideOfficeHoursContacts),
            noShowRate: share(g.noShowRate, numerator: c.noShowContacts),
            referrals: count(g.referrals), primaryChanges: count(g.primaryChanges),
            warmHandoverShare: share(g.warmHandoverShare, numerator: c.warmHandovers))
        for (flag, v) in g.flagShares { s.flagShares[flag] = share(v, numerator: c.flags[flag] ?? 0) }
        if isSmall(g.openCases) { s.suppressAll() }
        return s
    }

    /// A trend point's means, over the clients open on its date.
    public func apply(_ p: TrendPoint) -> (meanFaces: Shown, meanCOC: Shown) {
        (average(p.meanFaces, over: p.clients), average(p.meanCOC, over: p.cocClients))
    }
}

/// `GroupFigures` after small-cell suppression, field by field.
public struct ShownFigures: Sendable, Equatable {
    public var openCases, meanFaces, medianFaces, overFacesThresholdShare: Shown
    public var meanLifetimeFaces, medianLifetimeFaces, meanUPC, meanCOC, meanSECON: Shown
    public var flagShares: [Flag: Shown]
    public var medianDaysSinceContact, faceToFaceShare, outsideOfficeHoursShare, noShowRate: Shown
    public var referrals, primaryChanges, warmHandoverShare: Shown

    mutating func suppressAll() {
        for path in [\ShownFigures.openCases, \.meanFaces, \.medianFaces, \.overFacesThresholdShare, \.meanLifetimeFaces,
                     \.medianLifetimeFaces, \.meanUPC, \.meanCOC, \.meanSECON, \.medianDaysSinceContact, \.faceToFaceShare,
                     \.outsideOfficeHoursShare, \.noShowRate, \.referrals, \.primaryChanges, \.warmHandoverShare] {
            // Even "undefined" is suppressed: a blank says something about those few people too.
            self[keyPath: path] = .suppressed
        }
        for flag in flagShares.keys { flagShares[flag] = .suppressed }
    }
}

/// The colleagues who could take over as primary (SPEC §2, successor advice), and what the
/// ranking needs beyond the client's own history: the team and everyone's caseload.
public struct SuccessorPool: Sendable {
    /// Professionals of the client's team (others are ignored).
    public var professionals: [Professional]
    /// Open cases as primary as of D, by professional id (absent = 0).
    public var openCases: [String: Int]
    public init(professionals: [Professional], openCases: [String: Int]) {
        self.professionals = professionals; self.openCases = openCases
    }
}

public struct SuccessorCandidate: Sendable, Equatable {
    public let professionalID: String
    public let name: String
    /// Held contacts with this client in [D − 364, D] at which they were lead or participant.
    public let contactsWithClient: Int
    /// Local date of the latest of those contacts; nil if none.
    public let lastContactOn: LocalDate?
    public let openCases: Int
    public init(professionalID: String, name: String, contactsWithClient: Int, lastContactOn: LocalDate?, openCases: Int) {
        self.professionalID = professionalID; self.name = name; self.contactsWithClient = contactsWithClient
        self.lastContactOn = lastContactOn; self.openCases = openCases
    }

    /// One sentence on why this colleague is where they are in the list.
    public func reason(_ language: Language) -> String {
        let f = ProseFormat(language)
        switch (language, lastContactOn) {
        case (.nl, let last?):
            return "Kent de cliënt: \(f.count(contactsWithClient, "contact", "contacten")) in het afgelopen jaar, "
                + "laatst op \(f.date(last)); regievoerder van \(f.count(openCases, "lopende zaak", "lopende zaken"))."
        case (.nl, nil):
            return "Heeft de cliënt het afgelopen jaar niet gezien; regievoerder van \(f.count(openCases, "lopende zaak", "lopende zaken"))."
        case (.en, let last?):
            return "Knows the client: \(f.count(contactsWithClient, "contact", "contacts")) in the last year, "
                + "the last on \(f.date(last)); primary for \(f.count(openCases, "open case", "open cases"))."
        case (.en, nil):
            return "Has not met the client in the last year; primary for \(f.count(openCases, "open case", "open cases"))."
        }
    }

    /// The clause the `no_primary` / `primary_leaving` evidence ends with.
    func evidenceClause(_ language: Language) -> String {
        let f = ProseFormat(language)
        let who = f.person(professionalID, name)
        switch (language, lastContactOn) {
        case (.nl, let last?):
            return "\(who) kent de cliënt: \(f.count(contactsWithClient, "contact", "contacten")), laatst \(f.date(last))"
        case (.nl, nil):
            return "niemand in het team kent de cliënt uit het afgelopen jaar; \(who) heeft de minste lopende zaken (\(f.integer(openCases)))"
        case (.en, let last?):
            return "\(who) knows the client: \(f.count(contactsWithClient, "contact", "contacts")), the last on \(f.date(last))"
        case (.en, nil):
            return "nobody in the team has met the client in the last year; \(who) has the fewest open cases (\(f.integer(openCases)))"
        }
    }
}

public struct SuccessorAdvice: Sendable, Equatable {
    public let asOf: LocalDate
    /// `no_primary` or `primary_leaving` holds as of D.
    public let needed: Bool
    public let primaryProfessionalID: String?
    /// Best first, at most the limit asked for.
    public let candidates: [SuccessorCandidate]
}

/// SPEC §2 successor advice as a pure function.
///
/// Candidates: the pool's professionals of the client's team, other than the primary as of D
/// (`primary_professional_id`, even one who has left), employed on D: started_on ≤ D and
/// ended_on null or after D + 90. Ranked by most held contacts with the client in
/// [D − 364, D] (as lead or participant, once per contact), then the latest such contact,
/// then the fewest open cases as primary, then id. Those who never met the client in those
/// 365 days have 0 contacts and no date, so they come after all who did.
public enum Successors {
    public static let lookbackDays = 365
    /// A candidate must stay at least this long after D.
    public static let staysDays = 90

    public static func rank(_ candidates: [SuccessorCandidate]) -> [SuccessorCandidate] {
        candidates.sorted { a, b in
            if a.contactsWithClient != b.contactsWithClient { return a.contactsWithClient > b.contactsWithClient }
            if a.lastContactOn != b.lastContactOn {
                guard let x = a.lastContactOn else { return false }
                guard let y = b.lastContactOn else { return true }
                return x > y
            }
            if a.openCases != b.openCases { return a.openCases < b.openCases }
            return a.professionalID < b.professionalID
        }
    }
}

extension PreparedHistory {
    /// Every candidate, best first (SPEC §2). Needs the held contacts of [D − 364, D].
    public func successorCandidates(asOf d: LocalDate, pool: SuccessorPool) -> [SuccessorCandidate] {
        let primary = primaryProfessionalID(asOf: d)
        let staysAfter = d.adding(days: Successors.staysDays)
        var met: [String: (count: Int, last: LocalDate)] = [:]
        for c in heldContacts(from: d.adding(days: 1 - Successors.lookbackDays), through: d) {
            for p in c.present {
                let old = met[p]
                met[p] = ((old?.count ?? 0) + 1, max(old?.last ?? c.date, c.date))
            }
        }
        var seen: Set<String> = []
        let candidates = pool.professionals.compactMap { p -> SuccessorCandidate? in
            guard p.teamID == history.client.teamID, p.id != primary, seen.insert(p.id).inserted,
                  p.startedOn <= d, p.endedOn.map({ $0 > staysAfter }) ?? true else { return nil }
            return SuccessorCandidate(professionalID: p.id, name: p.name, contactsWithClient: met[p.id]?.count ?? 0,
                                      lastContactOn: met[p.id]?.last, openCases: pool.openCases[p.id] ?? 0)
        }
        return Successors.rank(candidates)
    }

    /// GET /v1/clients/{id}/successors: whether a successor is needed, and the best `limit`.
    public func successorAdvice(asOf d: LocalDate, pool: SuccessorPool, thresholds t: FlagThresholds,
                                limit: Int) -> SuccessorAdvice {
        SuccessorAdvice(asOf: d, needed: needsSuccessor(asOf: d, thresholds: t),
                        primaryProfessionalID: primaryProfessionalID(asOf: d),
                        candidates: Array(successorCandidates(asOf: d, pool: pool).prefix(max(0, limit))))
    }

    /// `no_primary` or `primary_leaving` holds as of D (both depend only on assignments and
    /// the professionals' dates, so this is cheap and tells a store whether to load the pool).
    public func needsSuccessor(asOf d: LocalDate, thresholds t: FlagThresholds) -> Bool {
        isOpen(asOf: d) && (noPrimaryHolds(d, t) || leavingPrimary(d, t) != nil)
    }
}

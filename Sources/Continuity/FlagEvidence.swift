/// The evidence sentence of a flag (SPEC §3): the facts and the professionals by name and id,
/// in Dutch by default ("5 verschillende professionals in de laatste 90 dagen: Anna de Vries
/// (P12), …"), with numbers and dates as a reader of the language writes them.
struct FlagEvidence {
    let language: Language
    /// Professionals by id, for their names; an unknown id is shown alone.
    let names: [String: Professional]

    private var f: ProseFormat { ProseFormat(language) }
    private var nl: Bool { language == .nl }

    func person(_ id: String) -> String { f.person(id, names[id]?.name) }

    func sentence(_ facts: FlagFacts, successor: SuccessorCandidate?) -> String {
        let text: String
        switch facts {
        case .changingFaces(let w, let faces):
            let who = f.list(faces.map { person($0.professionalID) })
            text = nl ? "\(f.integer(faces.count)) verschillende professionals in de laatste \(f.days(w)): \(who)"
                : "\(f.integer(faces.count)) different professionals in the last \(f.days(w)): \(who)"

        case .primaryTurnover(let w, let changes):
            let list = f.list(changes.map { c in
                let to = c.to.map(person) ?? (nl ? "niemand" : "nobody")
                return nl ? "van \(person(c.from)) naar \(to) op \(f.date(c.on))" : "from \(person(c.from)) to \(to) on \(f.date(c.on))"
            })
            let n = changes.count
            text = nl ? "De regievoerder wisselde \(f.integer(n)) keer in de laatste \(f.days(w)): \(list)"
                : "The primary professional changed \(n == 1 ? "once" : "\(f.integer(n)) times") in the last \(f.days(w)): \(list)"

        case .noPrimary(let days, let since, let cause):
            let why: String
            switch cause {
            case .neverAssigned(let opened):
                why = nl ? "niemand is toegewezen sinds de zaak op \(f.date(opened)) werd geopend"
                    : "nobody has been assigned since the case opened on \(f.date(opened))"
            case .assignedToNobody(let from):
                why = nl ? "de toewijzing van \(f.date(from)) is aan niemand" : "the assignment of \(f.date(from)) is to nobody"
            case .left(let p, let end):
                why = nl ? "regievoerder \(person(p)) is op \(f.date(end)) uit dienst gegaan"
                    : "primary professional \(person(p)) left on \(f.date(end))"
            }
            text = nl ? "Al \(f.days(days)) geen actieve regievoerder (sinds \(f.date(since))): \(why)"
                : "No active primary professional for \(f.days(days)) (since \(f.date(since))): \(why)"

        case .primaryLeaving(let p, let end, let daysLeft):
            let when = daysLeft == 0 ? (nl ? "vandaag" : "today") : (nl ? "over \(f.days(daysLeft))" : "in \(f.days(daysLeft))")
            text = nl ? "Regievoerder \(person(p)) gaat op \(f.date(end)) uit dienst, \(when)"
                : "Primary professional \(person(p)) leaves on \(f.date(end)), \(when)"

        case .referralChain(let w, let referrals):
            let list = f.list(referrals.map { nl ? "naar \($0.to) op \(f.date($0.referredOn))" : "to \($0.to) on \(f.date($0.referredOn))" })
            text = nl ? "\(f.integer(referrals.count)) verwijzingen in de laatste \(f.days(w)): \(list)"
                : "\(f.integer(referrals.count)) referrals in the last \(f.days(w)): \(list)"

        case .referralLimbo(let referrals, let d):
            if referrals.count == 1, let r = referrals.first {
                text = nl ? "De verwijzing naar \(r.to) van \(f.date(r.referredOn)) staat al \(f.days(d - r.referredOn)) open zonder contact sindsdien"
                    : "The referral to \(r.to) on \(f.date(r.referredOn)) has been open for \(f.days(d - r.referredOn)) with no contact since"
            } else {
                let list = f.list(referrals.map { r in
                    nl ? "naar \(r.to) op \(f.date(r.referredOn)) (\(f.days(d - r.referredOn)))"
                        : "to \(r.to) on \(f.date(r.referredOn)) (\(f.days(d - r.referredOn)))"
                })
                text = nl ? "\(f.integer(referrals.count)) verwijzingen staan open zonder contact sinds ze werden gedaan: \(list)"
                    : "\(f.integer(referrals.count)) referrals open with no contact since they were made: \(list)"
            }

        case .longGap(let days, let last, let opened):
            let why = last.map { nl ? "laatste contact op \(f.date($0))" : "last held contact on \(f.date($0))" }
                ?? (nl ? "geen contact sinds de zaak op \(f.date(opened)) werd geopend" : "no held contact since the case opened on \(f.date(opened))")
            text = nl ? "Al \(f.days(days)) geen contact (\(why))" : "No contact for \(f.days(days)) (\(why))"

        case .noFaceToFace(let days, let last, let opened):
            let why = last.map { nl ? "laatste huisbezoek, kantoorbezoek of outreach op \(f.date($0))"
                                    : "last home visit, office visit or outreach on \(f.date($0))" }
                ?? (nl ? "geen sinds de zaak op \(f.date(opened)) werd geopend" : "none since the case opened on \(f.date(opened))")
            text = nl ? "Al \(f.days(days)) geen persoonlijk contact (\(why))" : "No face-to-face contact for \(f.days(days)) (\(why))"
        }
        guard let successor else { return text }
        return text + "; " + successor.evidenceClause(language)
    }
}

import Continuity

/// Which way a figure should move (shown beside each figure: the "which way is better").
enum Better {
    case lower, higher, neither

    func text(_ l: Language) -> String {
        switch self {
        case .lower: return l("lager is beter", "lower is better")
        case .higher: return l("hoger is beter", "higher is better")
        case .neither: return l("geen richting", "no direction")
        }
    }
}

/// One figure as a person reads it: a name, what it measures, which way is better, the value.
struct FigureLine {
    /// The API's field name, for tests and for readers who know the JSON.
    let key: String
    let name: String
    let meaning: String
    let better: Better
    let value: String
}

/// The report's figures of one group (SPEC §4), explained, after small-cell suppression
/// (`SmallCells`, the one place that rule lives): a suppressed figure shows as `<5`.
struct GroupFigureLines {
    let language: Language
    let smallCell: Int
    let windowDays: Int
    let facesMax: Int

    var format: Format { Format(language: language) }

    func text(_ v: Shown, _ show: (Double) -> String) -> String {
        switch v {
        case .value(let x): return show(x)
        case .undefined: return "–"
        case .suppressed: return "<\(smallCell)"
        }
    }

    func lines(_ g: GroupFigures) -> [FigureLine] {
        let l = language, f = format, w = windowDays
        let s = SmallCells(threshold: smallCell).apply(g)
        let count = { (x: Double) in String(Int(x)) }
        let decimal = { (x: Double) in f.decimal(x) }
        let percent = { (x: Double) in f.percent(x) }
        var out: [FigureLine] = [
            FigureLine(key: "open_cases", name: l("Open cliënten", "Open cases"),
                       meaning: l("Cliënten met een lopende casus op de peildatum.", "Clients whose case is open on the report date."),
                       better: .neither, value: text(s.openCases, count)),
            FigureLine(key: "mean_faces", name: l("Gezichten per cliënt (gemiddeld)", "Faces per client (mean)"),
                       meaning: l("Hoeveel verschillende hulpverleners een cliënt zag in de laatste \(w) dagen.",
                                  "How many different professionals a client saw in the last \(w) days."),
                       better: .lower, value: text(s.meanFaces, decimal)),
            FigureLine(key: "median_faces", name: l("Gezichten per cliënt (mediaan)", "Faces per client (median)"),
                       meaning: l("De middelste cliënt: de helft zag er meer, de helft minder.",
                                  "The middle client: half saw more, half fewer."),
                       better: .lower, value: text(s.medianFaces, decimal)),
            FigureLine(key: "over_faces_threshold_share", name: l("Cliënten met steeds andere gezichten", "Clients seeing changing faces"),
                       meaning: l("Aandeel cliënten dat meer dan \(facesMax) verschillende hulpverleners zag in de laatste \(w) dagen.",
                                  "Share of clients who saw more than \(facesMax) different professionals in the last \(w) days."),
                       better: .lower, value: text(s.overFacesThresholdShare, percent)),
            FigureLine(key: "mean_lifetime_faces", name: l("Gezichten sinds de start (gemiddeld)", "Faces since the start (mean)"),
                       meaning: l("Alle hulpverleners die een cliënt ooit zag, over de hele hulpverlening: honderd hulpverleners, van wie er zeven iets betekenden.",
                                  "Every professional a client ever saw, over the whole case: a hundred care workers, of whom seven made a difference."),
                       better: .lower, value: text(s.meanLifetimeFaces, decimal)),
            FigureLine(key: "median_lifetime_faces", name: l("Gezichten sinds de start (mediaan)", "Faces since the start (median)"),
                       meaning: l("De middelste cliënt, over de hele hulpverlening.", "The middle client, over the whole case."),
                       better: .lower, value: text(s.medianLifetimeFaces, decimal)),
            FigureLine(key: "mean_upc", name: l("Vaste hulpverlener (UPC)", "Usual provider (UPC)"),
                       meaning: l("Aandeel van de contacten bij de hulpverlener die de cliënt het vaakst zag.",
                                  "Share of contacts with the professional the client saw most."),
                       better: .higher, value: text(s.meanUPC, percent)),
            FigureLine(key: "mean_coc", name: l("Continuïteit van zorg (COC)", "Continuity of care (COC)"),
                       meaning: l("100% als één hulpverlener alle contacten had, 0% als elk contact een ander gezicht was.",
                                  "100% when one professional held every contact, 0% when every contact was a different face."),
                       better: .higher, value: text(s.meanCOC, percent)),
            FigureLine(key: "mean_secon", name: l("Opeenvolgend dezelfde (SECON)", "Sequential continuity (SECON)"),
                       meaning: l("Aandeel opeenvolgende contacten bij dezelfde hulpverlener als de keer ervoor.",
                                  "Share of consecutive contacts led by the same professional as the time before."),
                       better: .higher, value: text(s.meanSECON, percent)),
            FigureLine(key: "median_days_since_contact", name: l("Dagen sinds laatste contact (mediaan)", "Days since last contact (median)"),
                       meaning: l("Hoe lang het geleden is dat de cliënt iemand van het team sprak.",
                                  "How long ago the client last spoke to someone of the team."),
                       better: .lower, value: text(s.medianDaysSinceContact, decimal)),
            FigureLine(key: "face_to_face_share", name: l("Persoonlijk contact", "Face to face"),
                       meaning: l("Aandeel contacten thuis, op kantoor of buiten, niet via een scherm of brief.",
                                  "Share of contacts at home, in the office or outdoors, not by screen or letter."),
                       better: .higher, value: text(s.faceToFaceShare, percent)),
            FigureLine(key: "outside_office_hours_share", name: l("Buiten kantoortijd", "Outside office hours"),
                       meaning: l("Aandeel contacten buiten kantoortijd: bereikbaar wanneer het de cliënt uitkomt.",
                                  "Share of contacts outside office hours: reachable when it suits the client."),
                       better: .higher, value: text(s.outsideOfficeHoursShare, percent)),
            FigureLine(key: "no_show_rate", name: l("Niet verschenen", "No-shows"),
                       meaning: l("Aandeel afspraken waarop de cliënt niet kwam.", "Share of appointments the client missed."),
                       better: .lower, value: text(s.noShowRate, percent)),
            FigureLine(key: "referrals", name: l("Verwijzingen", "Referrals"),
                       meaning: l("Verwijzingen in de laatste \(w) dagen; passend verwijzen is goed, steeds doorsturen niet.",
                                  "Referrals in the last \(w) days; a fitting referral is good, passing on and on is not."),
                       better: .neither, value: text(s.referrals, count)),
            FigureLine(key: "primary_changes", name: l("Wisselingen van regievoerder", "Changes of primary"),
                       meaning: l("Keren dat een nieuwe regievoerder een vorige verving, in de laatste \(w) dagen.",
                                  "Times a new primary professional replaced the previous one, in the last \(w) days."),
                       better: .lower, value: text(s.primaryChanges, count)),
            FigureLine(key: "warm_handover_share", name: l("Warme overdracht", "Warm handover"),
                       meaning: l("Aandeel wisselingen waarbij oude en nieuwe regievoerder samen bij de cliënt waren.",
                                  "Share of changes where the old and the new primary met the client together."),
                       better: .higher, value: text(s.warmHandoverShare, percent)),
        ]
        for flag in Flag.allCases {
            out.append(FigureLine(key: "flag_shares." + flag.rawValue,
                                  name: l("Signaal: ", "Signal: ") + l.flagName(flag),
                                  meaning: l("Aandeel cliënten met dit signaal. ", "Share of clients with this signal. ") + l.flagMeaning(flag),
                                  better: .lower, value: text(s.flagShares[flag] ?? .undefined, percent)))
        }
        return out
    }
}

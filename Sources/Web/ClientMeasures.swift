import Continuity

/// Every measure of SPEC §2 for one client, explained for a person (the client page).
struct ClientMeasureLines {
    let language: Language

    func lines(_ m: ContinuityMeasures) -> [FigureLine] {
        let l = language, f = Format(language: language), w = m.windowDays
        return [
            FigureLine(key: "contacts", name: l("Contacten", "Contacts"),
                       meaning: l("Contacten die plaatsvonden in de laatste \(w) dagen.", "Contacts held in the last \(w) days."),
                       better: .neither, value: String(m.contacts)),
            FigureLine(key: "faces", name: l("Gezichten", "Faces"),
                       meaning: l("Verschillende hulpverleners die de cliënt zag in de laatste \(w) dagen.",
                                  "Different professionals the client saw in the last \(w) days."),
                       better: .lower, value: String(m.faces)),
            FigureLine(key: "lifetime_faces", name: l("Gezichten sinds de start", "Faces since the start"),
                       meaning: l("Alle hulpverleners die de cliënt ooit zag, niet alleen de laatste \(w) dagen.",
                                  "Every professional the client ever saw, not only in the last \(w) days."),
                       better: .lower, value: String(m.lifetimeFaces)),
            FigureLine(key: "upc", name: l("Vaste hulpverlener (UPC)", "Usual provider (UPC)"),
                       meaning: l("Aandeel contacten bij de hulpverlener die de cliënt het vaakst zag.",
                                  "Share of contacts with the professional the client saw most."),
                       better: .higher, value: f.percent(m.upc)),
            FigureLine(key: "coc", name: l("Continuïteit van zorg (COC)", "Continuity of care (COC)"),
                       meaning: l("100% als één hulpverlener alle contacten had, 0% als elk contact een ander gezicht was (vanaf 2 contacten).",
                                  "100% when one professional held every contact, 0% when each was a different face (from 2 contacts)."),
                       better: .higher, value: f.percent(m.coc)),
            FigureLine(key: "secon", name: l("Opeenvolgend dezelfde (SECON)", "Sequential continuity (SECON)"),
                       meaning: l("Aandeel contacten bij dezelfde hulpverlener als het contact ervoor (vanaf 2 contacten).",
                                  "Share of contacts led by the same professional as the one before (from 2 contacts)."),
                       better: .higher, value: f.percent(m.secon)),
            FigureLine(key: "mmci", name: l("Spreiding over hulpverleners (MMCI)", "Spread over professionals (MMCI)"),
                       meaning: l("100% als alle contacten bij één hulpverlener waren; lager naarmate ze over meer mensen verdeeld zijn.",
                                  "100% when every contact was with one professional; lower the more people they are spread over."),
                       better: .higher, value: f.percent(m.mmci)),
            FigureLine(key: "known_face_share", name: l("Bekend gezicht", "Known face"),
                       meaning: l("Aandeel contacten met iemand die de cliënt al eerder had ontmoet.",
                                  "Share of contacts with someone the client had met before."),
                       better: .higher, value: f.percent(m.knownFaceShare)),
            FigureLine(key: "primary_share", name: l("Bij de regievoerder", "With the primary"),
                       meaning: l("Aandeel contacten dat de regievoerder zelf had.", "Share of contacts the primary professional held."),
                       better: .higher, value: f.percent(m.primaryShare)),
            FigureLine(key: "days_since_contact", name: l("Dagen sinds laatste contact", "Days since last contact"),
                       meaning: l("Op welke manier dan ook: bezoek, telefoon, bericht of brief.", "By any means: visit, phone, message or letter."),
                       better: .lower, value: String(m.daysSinceContact)),
            FigureLine(key: "days_since_face_to_face", name: l("Dagen sinds persoonlijk contact", "Days since face-to-face contact"),
                       meaning: l("Thuis, op kantoor of buiten: echt gezien.", "At home, in the office or outdoors: really seen."),
                       better: .lower, value: String(m.daysSinceFaceToFace)),
            FigureLine(key: "referrals", name: l("Verwijzingen", "Referrals"),
                       meaning: l("Verwijzingen in de laatste \(w) dagen.", "Referrals in the last \(w) days."),
                       better: .neither, value: String(m.referrals)),
            FigureLine(key: "outside_office_hours_share", name: l("Buiten kantoortijd", "Outside office hours"),
                       meaning: l("Aandeel contacten buiten kantoortijd: bereikbaar wanneer het de cliënt uitkomt.",
                                  "Share of contacts outside office hours: reachable when it suits the client."),
                       better: .higher, value: f.percent(m.outsideOfficeHoursShare)),
            FigureLine(key: "no_show_rate", name: l("Niet verschenen", "No-shows"),
                       meaning: l("Aandeel afspraken waarop de cliënt niet kwam.", "Share of appointments the client missed."),
                       better: .lower, value: f.percent(m.noShowRate)),
        ]
    }
}

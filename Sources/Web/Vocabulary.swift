import Continuity

/// The words a wijkteam uses for the enum values of SPEC §1 and §3 (field names and enum
/// values stay English in the API; people read these).
extension Language {
    func flagName(_ f: Flag) -> String {
        switch f {
        case .changingFaces: return self("Steeds andere gezichten", "Changing faces")
        case .primaryTurnover: return self("Wisselende regievoerder", "Primary keeps changing")
        case .noPrimary: return self("Geen regievoerder", "No primary professional")
        case .primaryLeaving: return self("Regievoerder vertrekt", "Primary is leaving")
        case .referralChain: return self("Steeds doorverwezen", "Referred on and on")
        case .referralLimbo: return self("Verwijzing zonder vervolg", "Referral in limbo")
        case .longGap: return self("Lang geen contact", "No contact for long")
        case .noFaceToFace: return self("Lang niet persoonlijk gezien", "Not seen in person for long")
        }
    }

    /// What the signal means for trust, in one line (SPEC §3, last column).
    func flagMeaning(_ f: Flag) -> String {
        switch f {
        case .changingFaces: return self("Elke keer een ander gezicht aan de deur.", "A different face at the door every time.")
        case .primaryTurnover: return self("De regievoerder wisselde vaak: tijdelijke contracten, reorganisaties.",
                                           "The primary changed often: temporary contracts, reorganisations.")
        case .noPrimary: return self("Niemand om te bellen: de cliënt kan het team niet vinden.",
                                     "Nobody to call: the client cannot find the team.")
        case .primaryLeaving: return self("Een vertrouwd gezicht verdwijnt: regel nu een warme overdracht.",
                                          "A familiar face is leaving: arrange a warm handover now.")
        case .referralChain: return self("Van loket naar loket doorgestuurd.", "Passed on from door to door.")
        case .referralLimbo: return self("Verwezen, maar sindsdien niemand gezien: verdwaald tussen twee deuren.",
                                         "Referred, and nobody seen since: lost between two doors.")
        case .longGap: return self("Het contact is stilgevallen.", "Contact has lapsed.")
        case .noFaceToFace: return self("Alleen nog schermen en brieven.", "Only screens and letters.")
        }
    }

    func modeName(_ m: ContactMode) -> String {
        switch m {
        case .homeVisit: return self("huisbezoek", "home visit")
        case .officeVisit: return self("bezoek op kantoor", "office visit")
        case .outreach: return self("outreachend (buiten)", "outreach")
        case .phone: return self("telefoon", "phone")
        case .video: return self("beeldbellen", "video call")
        case .message: return self("bericht", "message")
        case .letter: return self("brief", "letter")
        }
    }

    func statusName(_ s: ContactStatus) -> String {
        switch s {
        case .held: return self("vond plaats", "held")
        case .noShow: return self("niet verschenen", "no-show")
        case .cancelled: return self("afgezegd", "cancelled")
        }
    }

    func reasonName(_ r: AssignmentReason) -> String {
        switch r {
        case .start: return self("start", "start")
        case .turnover: return self("personeelsverloop", "staff turnover")
        case .leave: return self("verlof", "leave")
        case .reorganisation: return self("reorganisatie", "reorganisation")
        case .clientRequest: return self("op verzoek van de cliënt", "at the client's request")
        case .other: return self("anders", "other")
        }
    }

    func referralStatusName(_ s: ReferralStatus) -> String {
        switch s {
        case .open: return self("open", "open")
        case .accepted: return self("geaccepteerd", "accepted")
        case .declined: return self("afgewezen", "declined")
        case .completed: return self("afgerond", "completed")
        }
    }

    func employmentName(_ e: Employment) -> String {
        switch e {
        case .permanent: return self("vast contract", "permanent")
        case .temporary: return self("tijdelijk contract", "temporary contract")
        case .agency: return self("via uitzendbureau", "agency staff")
        case .volunteer: return self("vrijwilliger", "volunteer")
        }
    }
}

/// The words of the synthetic municipality: invented people in plausible Dutch names, the
/// neighbourhoods, disciplines and organisations a Dutch social team deals with.
enum DemoVocabulary {
    static let neighbourhoods = [
        "Noord", "Oost", "Zuid", "West", "Centrum", "Binnenstad", "Havenkwartier", "Bloemenbuurt",
        "Schildersbuurt", "Vogelwijk", "Rivierenbuurt", "Stationsgebied", "Kerkwijk", "Molenwijk",
        "Dichterswijk", "Sterrenwijk", "Lindenhof", "Beekdal", "Heideveld", "Eikenburg",
        "De Akkers", "Zeeheldenbuurt", "Tuindorp", "Polderwijk", "Oude Haven", "Boschveld",
        "Kastanjelaan", "De Weide", "Spoorzicht", "Meerzicht",
    ]

    /// Most teams are neighbourhood teams; the inner city has a "sociaal team".
    static func teamName(area: String) -> String {
        area == "Centrum" || area == "Binnenstad" ? "Sociaal team " + area : "Wijkteam " + area
    }

    static let firstNames = [
        "Anouk", "Bram", "Daan", "Eva", "Fatima", "Gijs", "Hanna", "Iris", "Jeroen", "Karim",
        "Lotte", "Mohamed", "Noor", "Olga", "Pieter", "Roos", "Sanne", "Thijs", "Yasmina",
        "Zeynep", "Marloes", "Esther", "Kees", "Ilse", "Wouter", "Naima", "Sevda", "Ruben",
        "Femke", "Jasper", "Mirjam", "Youssef", "Priya", "Gerrit", "Lieke", "Stijn", "Ayla",
        "Hatice", "Joost", "Marieke", "Wendy", "Rachid", "Inge", "Bas", "Samira", "Tim",
    ]

    static let surnames = [
        "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "de Graaf", "van der Meer", "Kok", "Jacobs", "Haddou",
        "Yilmaz", "El Amrani", "Kaya", "Verbeek", "Postma", "Koster", "Willems", "Martens",
        "Schouten", "Kramer", "Prins", "Huisman", "van Dam", "Veenstra", "Hoekstra", "Bouzid",
        "Ramdin", "Sahin", "van Wijk", "Timmermans", "Kuipers",
    ]

    /// Disciplines with how often they occur in a team.
    static let disciplines: [(name: String, weight: Int)] = [
        ("maatschappelijk werker", 5), ("sociaal werker", 3), ("wijkverpleegkundige", 2),
        ("schuldhulpverlener", 2), ("jeugdconsulent", 2), ("WMO-consulent", 2),
        ("ggz-begeleider", 2), ("ambulant begeleider", 1), ("gezinscoach", 1),
    ]
    static let volunteerDiscipline = "vrijwilliger (maatje)"

    /// Where clients are referred to.
    static let organisations = [
        "GGZ Centraal", "Schuldhulpverlening", "Jeugdzorg", "Veilig Thuis", "Huisarts",
        "Voedselbank", "Wmo-loket", "Verslavingszorg", "Budgetbeheer",
        "Maatschappelijke opvang", "Jongerenwerk", "UWV", "Thuiszorg", "Woningcorporatie",
    ]

    static func personName(_ rng: inout DemoRandom) -> String {
        rng.pick(firstNames) + " " + rng.pick(surnames)
    }

    static func slug(_ text: String) -> String {
        String(text.lowercased().map { $0 == " " ? "-" : $0 })
    }

    /// Zero-padded decimal, at least `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

import Continuity
import HTML

/// A client's last 12 months on one picture (SPEC §9): every contact a mark, in the lane of
/// the professional who led it (coloured per professional, so a changing face shows as marks
/// jumping between lanes and colours), shaped by mode, hollow when it did not take place; the
/// primary assignments as a band above. The lane and the `<title>` of each mark carry the
/// same facts as colour and shape, so colour is never the only signal (WCAG 1.4.1).
struct Timeline {
    let language: Language
    /// First and last day shown: [D − 364, D].
    let from: LocalDate
    let through: LocalDate
    /// Contacts whose local date lies in the window, in time order, with their local date.
    let contacts: [(contact: Contact, date: LocalDate)]
    /// The primary in force on each day of the window, as periods.
    let primaryPeriods: [(from: LocalDate, through: LocalDate, professionalID: String?)]
    let name: (String) -> String

    /// Okabe–Ito colours, distinguishable with colour-blindness, each ≥ 3:1 against white.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6100", "#1B1B1B", "#5D3A9B", "#AA3377"]

    static let width = 960.0, left = 190.0, right = 16.0, bandTop = 8.0, bandHeight = 28.0, laneHeight = 32.0

    /// Professionals in the order they first led a contact in the window (primary ones too).
    var lanes: [String] {
        var seen: [String] = []
        for p in primaryPeriods { if let id = p.professionalID, !seen.contains(id) { seen.append(id) } }
        for c in contacts where !seen.contains(c.contact.professionalID) { seen.append(c.contact.professionalID) }
        return seen
    }

    func colour(_ id: String) -> String { Timeline.palette[(lanes.firstIndex(of: id) ?? 0) % Timeline.palette.count] }

    func svg() -> Markup {
        let l = language, f = Format(language: language)
        let lanes = self.lanes
        let plotW = Timeline.width - Timeline.left - Timeline.right
        let days = Double(through - from + 1)
        func x(_ d: LocalDate) -> Double { Timeline.left + plotW * (Double(d - from) + 0.5) / days }
        let lanesTop = Timeline.bandTop + Timeline.bandHeight + 12
        let height = lanesTop + Double(max(lanes.count, 1)) * Timeline.laneHeight + 34
        func laneY(_ i: Int) -> Double { lanesTop + (Double(i) + 0.5) * Timeline.laneHeight }
        var months: [LocalDate] = []
        var m = from.firstOfMonth
        if m < from { m = m.adding(months: 1) }
        while m <= through { months.append(m); m = m.adding(months: 1) }
        let title = l("Tijdlijn van de laatste 12 maanden: \(contacts.count) contacten met \(lanes.count) hulpverleners",
                      "Timeline of the last 12 months: \(contacts.count) contacts with \(lanes.count) professionals")
        return element("svg", [.class("timeline"), Attribute("viewBox", "0 0 \(Int(Timeline.width)) \(Int(height.rounded(.up)))"),
                               Attribute("role", "img"), Attribute("aria-labelledby", "timeline-title")]) {
            element("title", [.id("timeline-title")]) { title }
            // The primary band.
            element("text", [Attribute("x", "0"), Attribute("y", svgNumber(Timeline.bandTop + 19)), Attribute("font-size", "15"),
                             Attribute("font-weight", "700"), Attribute("fill", "#1b1b1b")]) { l("Regievoerder", "Primary") }
            for p in primaryPeriods {
                let x0 = x(p.from) - plotW / days / 2, x1 = x(p.through) + plotW / days / 2
                let who = p.professionalID.map(name) ?? l("niemand", "nobody")
                element("g", [.class("band")]) {
                    element("title") { l("Regievoerder ", "Primary ") + who + ": " + f.date(p.from) + " – " + f.date(p.through) }
                    element("rect", [Attribute("x", svgNumber(x0)), Attribute("y", svgNumber(Timeline.bandTop)),
                                     Attribute("width", svgNumber(max(x1 - x0, 1))), Attribute("height", svgNumber(Timeline.bandHeight)),
                                     Attribute("fill", p.professionalID.map(colour) ?? "#ffffff"),
                                     Attribute("stroke", p.professionalID == nil ? "#b3261e" : "#ffffff"),
                                     Attribute("stroke-dasharray", p.professionalID == nil ? "4 3" : "none")])
                    if x1 - x0 > Double(who.count) * 8.5 + 10 {
                        element("text", [Attribute("x", svgNumber(x0 + 5)), Attribute("y", svgNumber(Timeline.bandTop + 19)),
                                         Attribute("font-size", "14"), Attribute("fill", p.professionalID == nil ? "#b3261e" : "#ffffff")]) { who }
                    }
                }
            }
            // Month grid and labels.
            for month in months {
                element("line", [Attribute("x1", svgNumber(x(month))), Attribute("x2", svgNumber(x(month))),
                                 Attribute("y1", svgNumber(lanesTop - 4)), Attribute("y2", svgNumber(height - 26)),
                                 Attribute("stroke", "#d0d7de")])
                element("text", [Attribute("x", svgNumber(x(month) + 3)), Attribute("y", svgNumber(height - 10)),
                                 Attribute("font-size", "14"), Attribute("fill", "#1b1b1b")]) {
                    f.monthAbbreviation(month.month) + (month.month == 1 || month == months.first ? " " + String(month.year) : "")
                }
            }
            // Lanes: one per professional, named.
            for (i, id) in lanes.enumerated() {
                element("line", [Attribute("x1", svgNumber(Timeline.left)), Attribute("x2", svgNumber(Timeline.width - Timeline.right)),
                                 Attribute("y1", svgNumber(laneY(i))), Attribute("y2", svgNumber(laneY(i))),
                                 Attribute("stroke", "#eceff1")])
                element("text", [Attribute("x", "0"), Attribute("y", svgNumber(laneY(i) + 5)), Attribute("font-size", "15"),
                                 Attribute("fill", colour(id) == "#8A6100" ? "#6b4b00" : colour(id)), Attribute("font-weight", "700")]) {
                    String(name(id).prefix(20))
                }
            }
            // One mark per contact.
            for c in contacts {
                let lane = lanes.firstIndex(of: c.contact.professionalID) ?? 0
                mark(c.contact, at: x(c.date), y: laneY(lane), colour: colour(c.contact.professionalID), date: c.date)
            }
        }
    }

    func markTitle(_ c: Contact, date: LocalDate) -> String {
        let l = language
        var t = Format(language: l).date(date) + ", " + l.modeName(c.mode) + ", " + name(c.professionalID)
        if !c.participants.isEmpty { t += l(" samen met ", " with ") + c.participants.map(name).joined(separator: ", ") }
        if c.status != .held { t += " (" + l.statusName(c.status) + ")" }
        return t
    }

    func mark(_ c: Contact, at x: Double, y: Double, colour: String, date: LocalDate) -> Markup {
        let fill = c.status == .held ? colour : "#ffffff"
        let common = [Attribute("fill", fill), Attribute("stroke", colour), Attribute("stroke-width", "2")]
        return element("g", [.class("mark"), Attribute("data-contact", c.id), Attribute("data-mode", c.mode.rawValue)]) {
            element("title") { markTitle(c, date: date) }
            Timeline.shape(c.mode, x: x, y: y, size: 8, common)
        }
    }

    /// The shape of a mode: circle home visit, square office, triangle outreach, diamond phone,
    /// downward triangle video, wide bar message, cross letter.
    static func shape(_ mode: ContactMode, x: Double, y: Double, size r: Double, _ attrs: [Attribute]) -> Markup {
        func points(_ ps: [(Double, Double)]) -> Attribute {
            Attribute("points", ps.map { svgNumber(x + $0.0) + "," + svgNumber(y + $0.1) }.joined(separator: " "))
        }
        switch mode {
        case .homeVisit:
            return element("circle", [Attribute("cx", svgNumber(x)), Attribute("cy", svgNumber(y)), Attribute("r", svgNumber(r))] + attrs)
        case .officeVisit:
            return element("rect", [Attribute("x", svgNumber(x - r)), Attribute("y", svgNumber(y - r)),
                                    Attribute("width", svgNumber(2 * r)), Attribute("height", svgNumber(2 * r))] + attrs)
        case .outreach:
            return element("polygon", [points([(0, -r - 1), (r + 1, r), (-r - 1, r)])] + attrs)
        case .phone:
            return element("polygon", [points([(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)])] + attrs)
        case .video:
            return element("polygon", [points([(-r - 1, -r), (r + 1, -r), (0, r + 1)])] + attrs)
        case .message:
            return element("rect", [Attribute("x", svgNumber(x - r - 1)), Attribute("y", svgNumber(y - r / 2)),
                                    Attribute("width", svgNumber(2 * r + 2)), Attribute("height", svgNumber(r))] + attrs)
        case .letter:
            let a = r * 0.35
            return element("polygon", [points([(-a, -r), (a, -r), (a, -a), (r, -a), (r, a), (a, a), (a, r), (-a, r),
                                               (-a, a), (-r, a), (-r, -a), (-a, -a)])] + attrs)
        }
    }

    /// The legend of shapes, as HTML beside the picture.
    func legend() -> Markup {
        let l = language
        return element("ul", [.class("legend"), Attribute("aria-label", l("Vormen per soort contact", "Shapes per kind of contact"))]) {
            for mode in ContactMode.allCases {
                element("li") {
                    element("svg", [Attribute("width", "18"), Attribute("height", "18"), Attribute("viewBox", "0 0 18 18"),
                                    Attribute("aria-hidden", "true")]) {
                        Timeline.shape(mode, x: 9, y: 9, size: 6, [Attribute("fill", "#1b1b1b"), Attribute("stroke", "#1b1b1b")])
                    }
                    l.modeName(mode)
                }
            }
            element("li") {
                element("svg", [Attribute("width", "18"), Attribute("height", "18"), Attribute("viewBox", "0 0 18 18"),
                                Attribute("aria-hidden", "true")]) {
                    Timeline.shape(.homeVisit, x: 9, y: 9, size: 6, [Attribute("fill", "#ffffff"), Attribute("stroke", "#1b1b1b"),
                                                                     Attribute("stroke-width", "2")])
                }
                l("open: niet verschenen of afgezegd", "hollow: no-show or cancelled")
            }
        }
    }
}

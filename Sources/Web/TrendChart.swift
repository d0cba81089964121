import Continuity
import HTML

/// The 12-month trend of one figure as an inline SVG line chart (STYLE.md: a `<title>`,
/// labelled axes, the same numbers in a table beside it). The last point is the current,
/// partial month: drawn hollow, joined by a dashed line, and labelled as such.
struct TrendChart {
    let language: Language
    let id: String
    let title: String
    let axisLabel: String
    /// Upper end of the y axis and the tick values on it.
    let ticks: [Double]
    let tickLabel: (Double) -> String
    let points: [(month: LocalDate, value: Double?)]
    /// Whether the last point is a month still running.
    let lastIsPartial: Bool

    static let width = 640.0, height = 250.0
    static let left = 64.0, right = 20.0, top = 16.0, bottom = 58.0

    func svg() -> Markup {
        let f = Format(language: language)
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        let yMax = ticks.last ?? 1
        func x(_ i: Int) -> Double { Self.left + plotW * (points.count <= 1 ? 0.5 : Double(i) / Double(points.count - 1)) }
        func y(_ v: Double) -> Double { Self.top + plotH * (1 - min(max(v / yMax, 0), 1)) }
        let lastIndex = points.count - 1
        // Solid line through the complete months; the partial month joins with a dashed line.
        var solid: [String] = []
        var segments: [[String]] = []
        for (i, p) in points.enumerated() where !(lastIsPartial && i == lastIndex) {
            if let v = p.value { solid.append(svgNumber(x(i)) + "," + svgNumber(y(v))) } else if !solid.isEmpty { segments.append(solid); solid = [] }
        }
        if !solid.isEmpty { segments.append(solid) }
        let descText = points.map { p in f.shortMonth(p.month) + ": " + (p.value.map(tickLabel) ?? "–") }.joined(separator: "; ")
        return element("svg", [.class("chart"), Attribute("viewBox", "0 0 \(Int(Self.width)) \(Int(Self.height))"),
                               Attribute("role", "img"), Attribute("aria-labelledby", id + "-title " + id + "-desc")]) {
            element("title", [.id(id + "-title")]) { title }
            element("desc", [.id(id + "-desc")]) { descText }
            // Grid lines and y tick labels.
            for t in ticks {
                element("line", [Attribute("x1", svgNumber(Self.left)), Attribute("x2", svgNumber(Self.width - Self.right)),
                                 Attribute("y1", svgNumber(y(t))), Attribute("y2", svgNumber(y(t))),
                                 Attribute("stroke", t == 0 ? "#1b1b1b" : "#d0d7de"), Attribute("stroke-width", "1")])
                element("text", [Attribute("x", svgNumber(Self.left - 8)), Attribute("y", svgNumber(y(t) + 4)),
                                 Attribute("text-anchor", "end"), Attribute("font-size", "12"), Attribute("fill", "#1b1b1b")]) { tickLabel(t) }
            }
            element("text", [Attribute("transform", "translate(14 \(svgNumber(Self.top + plotH / 2))) rotate(-90)"),
                             Attribute("text-anchor", "middle"), Attribute("font-size", "12"), Attribute("fill", "#1b1b1b")]) { axisLabel }
            // Month labels on the x axis: the month, and the year under January and the first.
            for (i, p) in points.enumerated() {
                element("text", [Attribute("x", svgNumber(x(i))), Attribute("y", svgNumber(Self.height - Self.bottom + 18)),
                                 Attribute("text-anchor", "middle"), Attribute("font-size", "12"), Attribute("fill", "#1b1b1b")]) {
                    f.monthAbbreviation(p.month.month)
                }
                if i == 0 || p.month.month == 1 {
                    element("text", [Attribute("x", svgNumber(x(i))), Attribute("y", svgNumber(Self.height - Self.bottom + 33)),
                                     Attribute("text-anchor", "middle"), Attribute("font-size", "12"), Attribute("fill", "#1b1b1b")]) {
                        String(p.month.year)
                    }
                }
            }
            element("text", [Attribute("x", svgNumber(Self.left + plotW / 2)), Attribute("y", svgNumber(Self.height - 6)),
                             Attribute("text-anchor", "middle"), Attribute("font-size", "12"), Attribute("fill", "#1b1b1b")]) {
                language("Maand (stand op de laatste dag)", "Month (as of its last day)")
            }
            for seg in segments {
                element("polyline", [Attribute("points", seg.joined(separator: " ")), Attribute("fill", "none"),
                                     Attribute("stroke", "#154273"), Attribute("stroke-width", "2.5")])
            }
            if lastIsPartial, lastIndex >= 1, let v = points[lastIndex].value, let prev = points[lastIndex - 1].value {
                element("line", [Attribute("x1", svgNumber(x(lastIndex - 1))), Attribute("y1", svgNumber(y(prev))),
                                 Attribute("x2", svgNumber(x(lastIndex))), Attribute("y2", svgNumber(y(v))),
                                 Attribute("stroke", "#154273"), Attribute("stroke-width", "2"), Attribute("stroke-dasharray", "5 4")])
            }
            for (i, p) in points.enumerated() {
                if let v = p.value {
                    let partial = lastIsPartial && i == lastIndex
                    element("circle", [.class(partial ? "point partial" : "point"), Attribute("cx", svgNumber(x(i))), Attribute("cy", svgNumber(y(v))),
                                       Attribute("r", partial ? "5" : "4"), Attribute("fill", partial ? "#fff" : "#154273"),
                                       Attribute("stroke", "#154273"), Attribute("stroke-width", "2")]) {
                        element("title") { f.shortMonth(p.month) + ": " + tickLabel(v) + (partial ? " (" + language("lopende maand", "month in progress") + ")" : "") }
                    }
                }
            }
            if lastIsPartial, let v = points[lastIndex].value {
                element("text", [Attribute("x", svgNumber(x(lastIndex) - 8)), Attribute("y", svgNumber(y(v) - 10)),
                                 Attribute("text-anchor", "end"), Attribute("font-size", "11"), Attribute("fill", "#1b1b1b")]) {
                    language("lopend", "partial")
                }
            }
        }
    }
}

/// A coordinate for an SVG attribute: a dot decimal with at most one decimal, whatever the
/// page language.
func svgNumber(_ v: Double) -> String {
    let tenths = Int((v * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let a = abs(tenths)
    return sign + String(a / 10) + (a % 10 == 0 ? "" : "." + String(a % 10))
}

/// Round tick values for an axis from 0 to at least `maxValue`.
func niceTicks(maxValue: Double, minimumTop: Double) -> [Double] {
    let top = max(maxValue, minimumTop)
    let steps: [Double] = [0.5, 1, 2, 5, 10, 20, 50]
    let step = steps.first { top / $0 <= 5 } ?? 100
    let count = Int((top / step).rounded(.up))
    return (0...count).map { Double($0) * step }
}

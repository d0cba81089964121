import Continuity
import HTTP
import JSON
import Store

/// The continuity report (SPEC §4) as JSON, CSV and HTML; shared by the API and `continuity report`.
public enum ReportFormat {
    public static func json(_ r: ContinuityReport, teamID: String?) -> JSONValue {
        ["team_id": .optional(teamID), "as_of": r.asOf.json, "window_days": .int(r.windowDays),
         "team": figures(r.team),
         "professionals": .array(r.professionals.map { p in
             var o = JSONObject([("professional_id", JSONValue.string(p.id))])
             if case .object(let f) = figures(p.figures) { for (k, v) in f { o[k] = v } }
             return .object(o)
         }),
         "trend": .array(r.trend.map { ["month": .string($0.month), "as_of": $0.asOf.json,
                                        "mean_faces": measure($0.meanFaces), "mean_coc": measure($0.meanCOC)] })]
    }

    static func figures(_ g: GroupFigures) -> JSONValue {
        var shares = JSONObject()
        for flag in Flag.allCases { shares[flag.rawValue] = measure(g.flagShares[flag] ?? 0) }
        return ["open_cases": .int(g.openCases), "mean_faces": measure(g.meanFaces), "median_faces": measure(g.medianFaces),
                "over_faces_threshold_share": measure(g.overFacesThresholdShare),
                "mean_lifetime_faces": measure(g.meanLifetimeFaces), "median_lifetime_faces": measure(g.medianLifetimeFaces),
                "mean_upc": measure(g.meanUPC), "mean_coc": measure(g.meanCOC), "mean_secon": measure(g.meanSECON),
                "flag_shares": .object(shares), "median_days_since_contact": measure(g.medianDaysSinceContact),
                "face_to_face_share": measure(g.faceToFaceShare), "outside_office_hours_share": measure(g.outsideOfficeHoursShare),
                "no_show_rate": measure(g.noShowRate), "referrals": .int(g.referrals), "primary_changes": .int(g.primaryChanges),
                "warm_handover_share": measure(g.warmHandoverShare)]
    }

    static let columns = ["group", "id", "open_cases", "mean_faces", "median_faces", "over_faces_threshold_share",
                          "mean_upc", "mean_coc", "mean_secon"] + Flag.allCases.map { "share_" + $0.rawValue }
        + ["median_days_since_contact", "face_to_face_share", "outside_office_hours_share", "no_show_rate",
           "referrals", "primary_changes", "warm_handover_share", "mean_lifetime_faces", "median_lifetime_faces"]

    /// One rectangular table for Excel: the team row, a row per professional, then the
    /// 12-month trend as rows of group `trend` (mean faces and COC filled in).
    public static func csv(_ r: ContinuityReport, teamID: String?, excelNL: Bool, smallCell: Int) -> String {
        var t = CSVTable(columns: columns, excelNL: excelNL)
        t.row(cells("team", teamID ?? "all", r.team, smallCell))
        for p in r.professionals { t.row(cells("professional", p.id, p.figures, smallCell)) }
        for point in r.trend {
            var row: [CSVTable.Cell] = [.text("trend"), .text(point.month), .text(""),
                                        .number(point.meanFaces, decimals: 4), .text(""), .text(""), .text(""),
                                        .number(point.meanCOC, decimals: 4)]
            while row.count < columns.count { row.append(.text("")) }
            t.row(row)
        }
        return t.text()
    }

    static func cells(_ group: String, _ id: String, _ g: GroupFigures, _ small: Int) -> [CSVTable.Cell] {
        var c: [CSVTable.Cell] = [.text(group), .text(id), .count(g.openCases, suppressBelow: small),
                                  .number(g.meanFaces, decimals: 4), .number(g.medianFaces, decimals: 4),
                                  .number(g.overFacesThresholdShare, decimals: 4), .number(g.meanUPC, decimals: 4),
                                  .number(g.meanCOC, decimals: 4), .number(g.meanSECON, decimals: 4)]
        for flag in Flag.allCases { c.append(.number(g.flagShares[flag] ?? 0, decimals: 4)) }
        c += [.number(g.medianDaysSinceContact, decimals: 1), .number(g.faceToFaceShare, decimals: 4),
              .number(g.outsideOfficeHoursShare, decimals: 4), .number(g.noShowRate, decimals: 4),
              .count(g.referrals, suppressBelow: small), .count(g.primaryChanges, suppressBelow: small),
              .number(g.warmHandoverShare, decimals: 4),
              .number(g.meanLifetimeFaces, decimals: 4), .number(g.medianLifetimeFaces, decimals: 4)]
        return c
    }

    /// A plain page a manager can open or print; counts below the threshold are suppressed.
    public static func html(_ r: ContinuityReport, teamID: String?, smallCell: Int) -> String {
        func esc(_ s: String) -> String {
            var o = ""
            for ch in s {
                switch ch {
                case "&": o += "&amp;"
                case "<": o += "&lt;"
                case ">": o += "&gt;"
                case "\"": o += "&quot;"
                default: o.append(ch)
                }
            }
            return o
        }
        let csv = CSVTable(columns: [], excelNL: false)
        var h = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Continuity report</title>"
        h += "<style>body{font-family:sans-serif}td,th{padding:2px 6px;border-bottom:1px solid #ccc;text-align:right}td:first-child,td:nth-child(2){text-align:left}</style>"
        h += "<h1>Continuity report: team \(esc(teamID ?? "all"))</h1><p>As of \(r.asOf.iso), window \(r.windowDays) days.</p><table><tr>"
        for col in columns { h += "<th>\(esc(col))</th>" }
        h += "</tr>"
        var rows = [cells("team", teamID ?? "all", r.team, smallCell)]
        rows += r.professionals.map { cells("professional", $0.id, $0.figures, smallCell) }
        for row in rows {
            h += "<tr>" + row.map { "<td>\(esc(unquoted(csv.render($0))))</td>" }.joined() + "</tr>"
        }
        h += "</table><h2>Trend (last 12 months)</h2><table><tr><th>month</th><th>mean faces</th><th>mean COC</th></tr>"
        for p in r.trend {
            h += "<tr><td>\(p.month)</td><td>\(p.meanFaces.map { CSVTable.fixed($0, decimals: 2) } ?? "")</td><td>\(p.meanCOC.map { CSVTable.fixed($0, decimals: 2) } ?? "")</td></tr>"
        }
        return h + "</table></html>\n"
    }

    static func unquoted(_ s: String) -> String {
        s.hasPrefix("\"") && s.hasSuffix("\"") && s.count >= 2 ? String(s.dropFirst().dropLast()) : s
    }
}

enum Reports {
    @Sendable static func continuity(_ c: Context) throws -> HTTPResponse {
        let teamID = try c.queryID("team_id") ?? (c.principal?.teamID)
        let format = c.query["format"] ?? (c.wantsCSV ? "csv" : "json")
        guard ["json", "csv", "html"].contains(format) else { throw Problem.invalidParameter("format", "must be one of json, csv, html") }
        let report = try c.store.report(teamID: teamID, scope: c.scope, asOf: try c.asOf, windowDays: try c.windowDays)
        // A report names no client, but it is a read of personal data (SPEC §4).
        try c.store.auditRead(c.actor, "report.read:\(teamID ?? "all"):\(format)")
        let small = c.app.settings.smallCellThreshold
        switch format {
        case "csv":
            return c.text(ReportFormat.csv(report, teamID: teamID, excelNL: c.query["excel"] == "nl", smallCell: small),
                          contentType: "text/csv; charset=utf-8")
        case "html":
            return c.text(ReportFormat.html(report, teamID: teamID, smallCell: small), contentType: "text/html; charset=utf-8")
        default:
            return c.json(ReportFormat.json(report, teamID: teamID))
        }
    }
}

import Continuity
import HTTP
import JSON
import Store
import Web

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
            let (faces, coc) = SmallCells(threshold: smallCell).apply(point)
            var row: [CSVTable.Cell] = [.text("trend"), .text(point.month), .text(""),
                                        .shown(faces, decimals: 4, threshold: smallCell), .text(""), .text(""), .text(""),
                                        .shown(coc, decimals: 4, threshold: smallCell)]
            while row.count < columns.count { row.append(.text("")) }
            t.row(row)
        }
        return t.text()
    }

    /// A group's row after small-cell suppression (SPEC §4: CSV and HTML may leave the team).
    static func cells(_ group: String, _ id: String, _ g: GroupFigures, _ small: Int) -> [CSVTable.Cell] {
        let f = SmallCells(threshold: small).apply(g)
        func cell(_ v: Shown, _ decimals: Int = 4) -> CSVTable.Cell { .shown(v, decimals: decimals, threshold: small) }
        var c: [CSVTable.Cell] = [.text(group), .text(id), cell(f.openCases, 0), cell(f.meanFaces), cell(f.medianFaces),
                                  cell(f.overFacesThresholdShare), cell(f.meanUPC), cell(f.meanCOC), cell(f.meanSECON)]
        for flag in Flag.allCases { c.append(cell(f.flagShares[flag] ?? .value(0))) }
        c += [cell(f.medianDaysSinceContact, 1), cell(f.faceToFaceShare), cell(f.outsideOfficeHoursShare),
              cell(f.noShowRate), cell(f.referrals, 0), cell(f.primaryChanges, 0), cell(f.warmHandoverShare),
              cell(f.meanLifetimeFaces), cell(f.medianLifetimeFaces)]
        return c
    }
}

enum Reports {
    @Sendable static func continuity(_ c: Context) throws -> HTTPResponse {
        try continuity(c, format: c.query["format"] ?? (c.wantsCSV ? "csv" : "json"))
    }

    /// The report in one format, as an operation of its own (`/v1/reports/continuity.csv`):
    /// one response media type per operation, which client generators need.
    static func continuity(as format: String) -> @Sendable (Context) throws -> HTTPResponse {
        { c in try continuity(c, format: format) }
    }

    static func continuity(_ c: Context, format: String) throws -> HTTPResponse {
        let teamID = try c.queryID("team_id") ?? (c.principal?.teamID)
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
            // The team overview without its forms (SPEC §9), with the page's security headers.
            var r = c.text(try c.app.pages.reportPage(teamID: teamID, scope: c.scope, actor: c.actor, report: report),
                           contentType: "text/html; charset=utf-8")
            r.headers.set("Content-Security-Policy", WebPages.contentSecurityPolicy)
            return r
        default:
            return c.json(ReportFormat.json(report, teamID: teamID))
        }
    }
}

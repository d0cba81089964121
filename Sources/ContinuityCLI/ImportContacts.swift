import App
import Continuity
import Glibc
import POSIX
import Store

extension Commands {
    /// `continuity import contacts FILE.csv [--skip-bad]` (SPEC §5). Every bad row is reported
    /// as `FILE:LINE: column: detail` on stderr; without --skip-bad one bad row loads nothing
    /// (exit 65), with it the good rows are loaded. All rows go in one write transaction.
    static func importContacts(_ a: Arguments) throws -> Int32 {
        let path = a.positionals[0]
        let skipBad = a.switches.contains("skip-bad")
        guard let bytes = readFile(path) else { throw SystemError("read \(path)", errno) }
        let env = try Environment(configPath: a["config"])

        let csv = CSVReader(bytes)
        guard let header = csv.records.first else {
            printError("\(path): the file is empty (a header line is required)")
            return Exit.dataError
        }
        let columns: ContactColumns
        switch ContactColumns.parse(header) {
        case .failure(let e):
            printLine(toStandardError: "\(path):\(header.line): \(e.message)")
            printError("\(path): nothing loaded")
            return Exit.dataError
        case .success(let c): columns = c
        }

        var problems: [ImportProblem] = []
        var rows: [ImportRow] = []
        for record in csv.records.dropFirst() {
            switch columns.row(record) {
            case .success(let row): rows.append(row)
            case .failure(let p): problems += p.problems
            }
        }
        let store = try env.openStore()
        defer { store.database.close() }
        let mode: ImportMode = skipBad ? .skipBad : (problems.isEmpty ? .allOrNothing : .checkOnly)
        let progress = Progress("import")
        let outcome = try store.importContacts(rows, mode: mode, actor: .cli("import contacts")) { done, total in
            progress.update(done, of: total, unit: "rows")
        }
        progress.finish()
        problems += outcome.problems
        problems.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        // Like a compiler's messages, so editors and grep can jump to the line.
        for p in problems { printLine(toStandardError: "\(path):\(p.line): \(p.column): \(p.detail)") }
        let badRows = Set(problems.map(\.line)).count
        if !outcome.committed {
            printError("\(path): \(badRows) bad row\(badRows == 1 ? "" : "s"); nothing loaded (--skip-bad loads the good rows)")
            return Exit.dataError
        }
        var summary = "loaded \(outcome.contactsLoaded) contacts (\(outcome.clientsCreated) clients, \(outcome.professionalsCreated) professionals created); \(badRows) bad rows skipped"
        if outcome.alreadyLoaded > 0 { summary += "; \(outcome.alreadyLoaded) already loaded" }
        print(summary)
        return Exit.ok
    }
}

struct RowProblems: Error {
    var problems: [ImportProblem]
}

/// The columns of a contacts CSV, by name (SPEC §1 field names), in any order.
struct ContactColumns {
    static let required = ["id", "client_id", "professional_id", "occurred_at", "mode"]
    static let optional = ["participants", "status", "duration_minutes"]
    static let clientColumns = ["client_team_id", "client_external_ref", "client_opened_on"]
    static let professionalColumns = ["professional_name", "professional_team_id", "professional_discipline",
                                      "professional_employment", "professional_started_on"]
    static let known = Set(required + optional + clientColumns + professionalColumns)

    /// Column name -> field index.
    var index: [String: Int]
    var count: Int

    static func parse(_ header: CSVReader.Record) -> Result<ContactColumns, HeaderError> {
        if let p = header.problem { return .failure(HeaderError("header: \(p)")) }
        var index: [String: Int] = [:]
        var unknown: [String] = [], twice: [String] = []
        for (i, raw) in header.fields.enumerated() {
            let name = trimmed(raw).lowercased()
            if !known.contains(name) { unknown.append(raw) }
            else if index[name] != nil { twice.append(name) }
            else { index[name] = i }
        }
        var messages: [String] = []
        if !unknown.isEmpty {
            messages.append("unknown column\(unknown.count == 1 ? "" : "s") " + unknown.map { "'\($0)'" }.joined(separator: ", ")
                            + " (known: " + (required + optional + clientColumns + professionalColumns).joined(separator: ", ") + ")")
        }
        if !twice.isEmpty { messages.append("column\(twice.count == 1 ? "" : "s") named twice: " + twice.joined(separator: ", ")) }
        let missing = required.filter { index[$0] == nil }
        if !missing.isEmpty { messages.append("missing required column\(missing.count == 1 ? "" : "s"): " + missing.joined(separator: ", ")) }
        if !messages.isEmpty { return .failure(HeaderError(messages.joined(separator: "; "))) }
        return .success(ContactColumns(index: index, count: header.fields.count))
    }

    struct HeaderError: Error {
        let message: String
        init(_ m: String) { message = m }
    }

    /// One data record as an import row, with every problem of the row at once.
    func row(_ r: CSVReader.Record) -> Result<ImportRow, RowProblems> {
        var problems: [ImportProblem] = []
        func bad(_ column: String, _ detail: String) { problems.append(ImportProblem(line: r.line, column: column, detail: detail)) }
        if let p = r.problem {
            return .failure(RowProblems(problems: [ImportProblem(line: r.line, column: "csv", detail: p)]))
        }
        if r.fields.count != count {
            return .failure(RowProblems(problems: [ImportProblem(
                line: r.line, column: "csv", detail: "\(r.fields.count) fields where the header has \(count)")]))
        }
        /// The trimmed value, nil when the column is absent or the cell empty.
        func value(_ column: String) -> String? {
            guard let i = index[column] else { return nil }
            let v = trimmed(r.fields[i])
            return v.isEmpty ? nil : v
        }
        func id(_ column: String) -> String? {
            guard let v = value(column) else { bad(column, "is required"); return nil }
            guard Rules.isID(v) else { bad(column, "'\(v)' " + Rules.idDetail); return nil }
            return v
        }
        func text(_ column: String) -> String? {
            guard let v = value(column) else { bad(column, "is required"); return nil }
            if let problem = Rules.freeTextProblem(v) { bad(column, problem); return nil }
            return v
        }
        func date(_ column: String) -> LocalDate? {
            guard let v = value(column) else { bad(column, "is required"); return nil }
            guard let d = LocalDate(iso: v) else { bad(column, "'\(v)' is not a date YYYY-MM-DD"); return nil }
            return d
        }
        func enumeration<E: RawRepresentable & CaseIterable>(_ column: String, _: E.Type, default d: E? = nil) -> E?
            where E.RawValue == String {
            guard let v = value(column) else {
                if d == nil { bad(column, "is required") }
                return d
            }
            guard let e = E(rawValue: v) else {
                bad(column, "'\(v)' must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
                return nil
            }
            return e
        }

        let contactID = id("id"), clientID = id("client_id"), lead = id("professional_id")
        var occurred: Instant?
        if let v = value("occurred_at") {
            occurred = Instant(rfc3339: v)
            if occurred == nil { bad("occurred_at", "'\(v)' is not an RFC 3339 timestamp with offset, e.g. 2026-11-23T14:05:00+01:00") }
        } else {
            bad("occurred_at", "is required")
        }
        let mode = enumeration("mode", ContactMode.self)
        let status = enumeration("status", ContactStatus.self, default: .held)
        var duration: Int?
        if let v = value("duration_minutes") {
            let range = Rules.durationMinutes
            if let n = Int(v), range.contains(n) { duration = n } else {
                bad("duration_minutes", "'\(v)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
        }
        var participants: [String] = []
        if let v = value("participants") {
            participants = v.split(whereSeparator: { $0 == "|" || $0 == " " }).map(String.init)
            for v in Rules.participants(participants, lead: lead) {
                bad(v.field, (v.index.map { "'\(participants[$0])' " } ?? "") + v.detail)
            }
        }

        // A client or professional to create: all its columns, or none. `client_team_id` alone
        // names the team of an existing client (ids are unique per team).
        var client: Client?
        var clientTeam: String?
        if value("client_team_id") != nil, value("client_external_ref") == nil, value("client_opened_on") == nil {
            clientTeam = id("client_team_id")
        } else if Self.clientColumns.contains(where: { value($0) != nil }) {
            let team = id("client_team_id"), ref = text("client_external_ref"), opened = date("client_opened_on")
            if let clientID, let team, let ref, let opened {
                client = Client(id: clientID, externalRef: ref, teamID: team, openedOn: opened)
            }
        }
        var professional: Professional?
        if Self.professionalColumns.contains(where: { value($0) != nil }) {
            let name = text("professional_name"), team = id("professional_team_id")
            let discipline = text("professional_discipline")
            let employment = enumeration("professional_employment", Employment.self)
            let started = date("professional_started_on")
            if let lead, let name, let team, let discipline, let employment, let started {
                professional = Professional(id: lead, name: name, teamID: team, discipline: discipline,
                                            employment: employment, startedOn: started)
            }
        }

        guard problems.isEmpty, let contactID, let clientID, let lead, let occurred, let mode, let status else {
            return .failure(RowProblems(problems: problems))
        }
        let contact = Contact(id: contactID, clientID: clientID, professionalID: lead, participants: participants,
                              occurredAt: occurred, occurredAtText: value("occurred_at"), mode: mode, status: status,
                              durationMinutes: duration)
        return .success(ImportRow(line: r.line, contact: contact, client: client, professional: professional, clientTeamID: clientTeam))
    }
}

func printLine(toStandardError s: String) {
    var bytes = Array((s + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// Without surrounding spaces and tabs (spreadsheets pad cells).
func trimmed(_ s: String) -> String {
    var sub = Substring(s)
    while let f = sub.first, f == " " || f == "\t" { sub = sub.dropFirst() }
    while let l = sub.last, l == " " || l == "\t" { sub = sub.dropLast() }
    return String(sub)
}

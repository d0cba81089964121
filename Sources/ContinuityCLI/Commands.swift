import API
import Config
import Continuity
import Glibc
import HTTP
import JSON
import Logging
import App
import Store

enum Commands {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as StoreError:
            switch e {
            case .notFound: return "not found"
            case .conflict(let d), .unavailable(let d), .forbidden(let d), .ambiguous(let d): return d
            case .invalidReference(let v), .rejected(let v): return "\(v.field): \(v.detail)"
            }
        default: return String(describing: error)
        }
    }

    static func exitCode(for error: any Error) -> Int32 {
        switch error {
        case let e where Failure.isBusy(e): return Exit.tempFail
        case is ConfigError: return Exit.config
        case is SystemError: return Exit.ioError
        case let e where Failure.isMigration(e): return Exit.config
        case is StoreError: return Exit.dataError
        default: return Exit.software
        }
    }

    // MARK: serve

    static func serve(_ a: Arguments) throws -> Int32 {
        Service.prepareProcess()
        let env = try Environment(configPath: a["config"])
        let service = try Service(environment: env)
        let s = env.settings
        if s.litestreamControl {
            var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let absolute = realpath(s.databasePath, &resolved).map { String(cString: $0) } ?? s.databasePath
            try ScrubAssist.start(store: service.store, control: LitestreamControl(socketPath: s.litestreamSocket, databasePath: absolute),
                                  logger: env.logger)
        }
        if s.alertsDailyRunEnabled {
            try DailyRun.start(store: service.store, atMinute: s.alertsDailyRunMinutes, logger: env.logger)
        }
        service.server.handleTerminationSignals()
        env.logger.notice("serving", metadata: ["address": "\(s.serverHost):\(service.server.port)", "port": .stringConvertible(service.server.port),
                                                "database": "\(s.databasePath)", "zone": "\(env.zone.name)"])
        try service.run()
        env.logger.notice("stopped")
        return Exit.ok
    }

    // MARK: migrate

    static func migrate(_ a: Arguments) throws -> Int32 {
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        let applied = store.database.appliedMigrations
        if applied.isEmpty {
            print("nothing to apply: the database is up to date")
        }
        for m in applied {
            print("applied \(LocalDate.pad(m.version, 4))_\(m.name).sql  sha256 \(m.checksum)")
        }
        return Exit.ok
    }

    // MARK: token

    static func tokenCreate(_ a: Arguments) throws -> Int32 {
        guard let role = Role(rawValue: try a.required("role")) else {
            throw UsageError("--role must be one of worker, manager, exporter, admin", command: "token create")
        }
        let name = try a.required("name")
        if let problem = TokenName.problem(name) { throw UsageError("--name \(problem)", command: "token create") }
        if role == .worker && a["team"] == nil { throw UsageError("a worker token needs --team", command: "token create") }
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        let (info, secret) = try store.createToken(name: name, role: role, teamID: a["team"])
        print("token \(info.name) (\(info.role.rawValue)\(info.teamID.map { ", team " + $0 } ?? "")) created; it is shown only once:")
        print(secret)
        return Exit.ok
    }

    static func tokenList(_ a: Arguments) throws -> Int32 {
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        for t in try store.tokens() {
            print("\(t.name)\t\(t.role.rawValue)\t\(t.teamID ?? "-")\tcreated \(t.createdAt)\(t.revokedAt.map { "\trevoked " + $0 } ?? "")")
        }
        return Exit.ok
    }

    static func tokenRevoke(_ a: Arguments) throws -> Int32 {
        let name = a.positionals[0]
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        guard try store.revokeToken(name) else {
            printError("no live token named \(name)")
            return Exit.dataError
        }
        print("revoked \(name)")
        return Exit.ok
    }

    // MARK: evaluate

    static func evaluate(_ a: Arguments) throws -> Int32 {
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        var d = store.today
        if let s = a["as-of"] {
            guard let parsed = LocalDate(iso: s) else { throw UsageError("--as-of must be YYYY-MM-DD") }
            d = parsed
        }
        let progress = Progress("evaluate")
        let (clients, events, failures) = try store.evaluateAll(asOf: d) { done, total in progress.update(done, of: total, unit: "clients") }
        progress.finish()
        print("evaluated \(clients) clients as of \(d.iso): \(events) alert events\(failures > 0 ? ", \(failures) failed" : "")")
        if failures > 0 { return Exit.tempFail }
        return Exit.ok
    }

    // MARK: report

    static func report(_ a: Arguments) throws -> Int32 {
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        let team = try a.required("team")
        let d = try a["as-of"].map { s in try LocalDate(iso: s).orThrow(UsageError("--as-of must be YYYY-MM-DD")) } ?? store.today
        var window = env.settings.measuresWindowDays
        if let w = a["window-days"] {
            guard let v = Int(w), (1...3660).contains(v) else { throw UsageError("--window-days must be from 1 to 3660") }
            window = v
        }
        let report: ContinuityReport
        do {
            report = try store.report(teamID: team, scope: .all, asOf: d, windowDays: window)
        } catch StoreError.notFound {
            printError("no team \(team)")
            return Exit.dataError
        }
        switch a["format"] ?? "csv" {
        case "csv":
            print(ReportFormat.csv(report, teamID: team, excelNL: a["excel"] == "nl",
                                   smallCell: env.settings.reportsSmallCellThreshold), terminator: "")
        case "json":
            print(JSON.serializeToString(ReportFormat.json(report, teamID: team)))
        default:
            throw UsageError("--format must be csv or json")
        }
        return Exit.ok
    }

    // MARK: purge

    static func purge(_ a: Arguments) throws -> Int32 {
        guard let d = LocalDate(iso: try a.required("closed-before")) else { throw UsageError("--closed-before must be YYYY-MM-DD") }
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        let progress = Progress("purge")
        let n = try store.purge(closedBefore: d, actor: .cli("purge")) { done, total in progress.update(done, of: total, unit: "closed clients") }
        progress.finish()
        print("erased \(n) clients closed before \(d.iso)")
        return Exit.ok
    }
}

extension Optional {
    func orThrow(_ e: @autoclosure () -> any Error) throws -> Wrapped {
        guard let v = self else { throw e() }
        return v
    }
}

import API
import CEpoll
import Config
import Continuity
import Glibc
import HTTP
import JSON
import Logging
import SQLite
import Store

enum Commands {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as StoreError:
            switch e {
            case .notFound: return "not found"
            case .conflict(let d), .unavailable(let d): return d
            case .invalidReference(let f, let d), .rejected(let f, let d): return "\(f): \(d)"
            }
        default: return String(describing: error)
        }
    }

    static func exitCode(for error: any Error) -> Int32 {
        switch error {
        case let e as SQLiteError where e.isBusy: return Exit.tempFail
        case is ConfigError: return Exit.config
        case is SystemError: return Exit.ioError
        case is MigrationError: return Exit.config
        case is StoreError: return Exit.dataError
        default: return Exit.software
        }
    }

    // MARK: serve

    static func serve(_ args: ArraySlice<String>) throws -> Int32 {
        // Block SIGTERM/SIGINT before any thread starts (the database writer, the workers), so
        // every thread inherits the mask and the server reads them from its signalfd alone;
        // otherwise a signal delivered to another thread would kill the process undrained.
        var termination = sigset_t()
        sigemptyset(&termination)
        sigaddset(&termination, SIGTERM)
        sigaddset(&termination, SIGINT)
        pthread_sigmask(SIG_BLOCK, &termination, nil)
        // glibc gives every thread that allocates its own malloc arena (up to 8 per core); with a
        // worker pool that multiplies resident memory for no gain here.
        _ = mallopt(M_ARENA_MAX, 2)
        let a = try Arguments(args, valued: ["config"])
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        let app = Application(store: store, settings: env.apiSettings, logger: env.logger)
        let s = env.settings
        var c = HTTPServerConfiguration()
        c.host = s.serverHost
        c.port = s.serverPort
        c.maxConnections = s.serverMaxConnections
        c.workerThreads = s.serverWorkerThreads
        c.maxHeaderBytes = s.serverMaxHeaderBytes
        c.maxTargetBytes = s.serverMaxTargetBytes
        c.maxBodyBytes = s.serverMaxBodyBytes
        c.headerTimeoutSeconds = s.serverHeaderTimeoutSeconds
        c.bodyTimeoutSeconds = s.serverBodyTimeoutSeconds
        c.idleTimeoutSeconds = s.serverIdleTimeoutSeconds
        let server = try HTTPServer(configuration: c, logger: env.logger, handler: app.handle, inlineHandler: app.handleInline)
        Wiring.metrics(app: app, store: store, server: server)
        if s.alertsDailyRunEnabled {
            try DailyRun.start(store: store, atMinute: s.alertsDailyRunMinutes, logger: env.logger)
        }
        server.handleTerminationSignals()
        env.logger.notice("serving", metadata: ["address": "\(s.serverHost):\(server.port)", "port": .stringConvertible(server.port),
                                                "database": "\(s.databasePath)", "zone": "\(env.zone.name)"])
        try server.run()
        store.database.close()
        env.logger.notice("stopped")
        return Exit.ok
    }

    // MARK: migrate

    static func migrate(_ args: ArraySlice<String>) throws -> Int32 {
        let a = try Arguments(args, valued: ["config"])
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

    static func token(_ args: ArraySlice<String>) throws -> Int32 {
        guard let sub = args.first else { throw UsageError("token needs create, list or revoke") }
        let a = try Arguments(args.dropFirst(), valued: ["config", "name", "role", "team"])
        guard ["create", "list", "revoke"].contains(sub) else { throw UsageError("token needs create, list or revoke") }
        var role = Role.worker
        if sub == "create" {
            guard let r = Role(rawValue: try a.required("role")) else {
                throw UsageError("--role must be one of worker, manager, exporter, admin")
            }
            role = r
            if let problem = TokenName.problem(try a.required("name")) { throw UsageError("--name \(problem)") }
            if role == .worker && a["team"] == nil { throw UsageError("a worker token needs --team") }
        }
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        switch sub {
        case "create":
            let name = try a.required("name")
            let (info, secret) = try store.createToken(name: name, role: role, teamID: a["team"])
            print("token \(info.name) (\(info.role.rawValue)\(info.teamID.map { ", team " + $0 } ?? "")) created; it is shown only once:")
            print(secret)
        case "list":
            for t in try store.tokens() {
                print("\(t.name)\t\(t.role.rawValue)\t\(t.teamID ?? "-")\tcreated \(t.createdAt)\(t.revokedAt.map { "\trevoked " + $0 } ?? "")")
            }
        case "revoke":
            guard let name = a.positionals.first ?? a["name"] else { throw UsageError("token revoke NAME") }
            guard try store.revokeToken(name) else {
                printError("no live token named \(name)")
                return Exit.dataError
            }
            print("revoked \(name)")
        default:
            throw UsageError("token needs create, list or revoke")
        }
        return Exit.ok
    }

    // MARK: evaluate

    static func evaluate(_ args: ArraySlice<String>) throws -> Int32 {
        let a = try Arguments(args, valued: ["config", "as-of"])
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        var d = store.today
        if let s = a["as-of"] {
            guard let parsed = LocalDate(iso: s) else { throw UsageError("--as-of must be YYYY-MM-DD") }
            d = parsed
        }
        let (clients, events, failures) = try store.evaluateAll(asOf: d)
        print("evaluated \(clients) clients as of \(d.iso): \(events) alert events\(failures > 0 ? ", \(failures) failed" : "")")
        if failures > 0 { return Exit.tempFail }
        return Exit.ok
    }

    // MARK: report

    static func report(_ args: ArraySlice<String>) throws -> Int32 {
        let a = try Arguments(args, valued: ["config", "team", "format", "as-of", "window-days", "excel"])
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

    static func purge(_ args: ArraySlice<String>) throws -> Int32 {
        let a = try Arguments(args, valued: ["config", "closed-before"])
        guard let d = LocalDate(iso: try a.required("closed-before")) else { throw UsageError("--closed-before must be YYYY-MM-DD") }
        let env = try Environment(configPath: a["config"])
        let store = try env.openStore()
        defer { store.database.close() }
        let n = try store.purge(closedBefore: d, actor: .cli("purge"))
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

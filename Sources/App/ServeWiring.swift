import API
import CEpoll
import Continuity
import Glibc
import HTTP
import Logging
import Store

/// The whole service as `continuity serve` runs it: the store, the application (API and web
/// pages) and the HTTP server, wired from one `Environment`. Tests build the same.
public final class Service: Sendable {
    public let environment: Environment
    public let store: Store
    public let app: Application
    public let server: HTTPServer

    /// Opens the store and binds the listening socket (port 0 picks a free one: `server.port`).
    public init(environment env: Environment) throws {
        environment = env
        store = try env.openStore()
        app = Application(store: store, settings: env.apiSettings, logger: env.logger)
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
        // Health and the OpenAPI document are answered on the event loop; the rest on workers.
        // `100 Continue` only once the route and the token were checked (RFC 9110 §10.1.1).
        server = try HTTPServer(configuration: c, logger: env.logger, handler: app.handle, inlineHandler: app.handleInline,
                                continueCheck: app.answerBeforeBody)
        Service.metrics(app: app, store: store, server: server)
    }

    /// Call first in a serving process, before any thread starts. Blocks SIGTERM/SIGINT, so
    /// every thread inherits the mask and the server reads them from its signalfd alone
    /// (otherwise a signal delivered to another thread would kill the process undrained), and
    /// caps glibc's malloc arenas: one per allocating thread (up to 8 per core) multiplies
    /// resident memory for no gain with a worker pool.
    public static func prepareProcess() {
        var termination = sigset_t()
        sigemptyset(&termination)
        sigaddset(&termination, SIGTERM)
        sigaddset(&termination, SIGINT)
        pthread_sigmask(SIG_BLOCK, &termination, nil)
        _ = mallopt(M_ARENA_MAX, 2)
    }

    /// Serves until `server.shutdown()` (or SIGTERM, after `handleTerminationSignals`), then
    /// closes the database.
    public func run() throws {
        defer { store.database.close() }
        try server.run()
    }

    /// Gauges read when `/metrics` is scraped (SPEC §4).
    static func metrics(app: Application, store: Store, server: HTTPServer) {
        let m = app.metrics
        m.addGauge("continuity_open_connections") { Double(server.openConnections) }
        m.addGauge("continuity_writes_committed") { Double(store.database.committedWrites) }
        m.addGauge("continuity_alerts_open") { Double((try? store.openAlertCount()) ?? 0) }
        store.database.onCommit = { n in m.recordBatch(n) }
    }
}

/// The built-in daily re-evaluation (SPEC §3: 00:05 local while serving): windows move, gaps
/// grow and end dates arrive without any write.
public enum DailyRun {
    /// Once a minute: when today's run time (local) has passed and the latest recorded run is
    /// older than today, re-evaluate every open client. The record is in the database, so a
    /// server (re)started after the run time catches up at once, and DST changes or clock
    /// steps need no special case.
    public static func start(store: Store, atMinute minute: Int, logger: Logger) throws {
        let thread = try spawnThread {
            while true {
                let local = store.settings.zone.local(store.now())
                if local.secondOfDay >= minute * 60 {
                    do {
                        if let last = try store.lastEvaluation(), last >= local.date {
                            // done for today
                        } else {
                            let (clients, events, failures) = try store.evaluateAll(asOf: local.date)
                            logger.notice("daily evaluation", metadata: [
                                "as_of": "\(local.date.iso)", "clients": .stringConvertible(clients), "events": .stringConvertible(events),
                                "failures": .stringConvertible(failures),
                            ])
                        }
                    } catch StoreError.unavailable {
                        return // the database is closing
                    } catch {
                        logger.error("daily evaluation failed", metadata: ["error_type": "\(type(of: error))"])
                    }
                }
                sleep(60)
            }
        }
        pthread_detach(thread)
    }
}

import API
import CEpoll
import Config
import Continuity
import Glibc
import HTTP
import Logging
import POSIX
import Store
import Synchronization

/// The whole service as `continuity serve` runs it: the store, the application (API and web
/// pages) and the HTTP server, wired from one `Environment`. Tests build the same.
public final class Service: Sendable {
    public let environment: Environment
    public let store: Store
    public let app: Application
    public let server: HTTPServer
    /// `[metrics] port` (SPEC §10): /metrics alone on a listener of its own, so it can stay
    /// internal while the API is exposed; nil when the port is 0 (served with the API).
    public let metricsServer: HTTPServer?

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
        metricsServer = try Service.metricsListener(app: app, settings: s, configuration: c, logger: env.logger)
    }

    /// Call first in a serving process, before any thread starts. Blocks SIGTERM/SIGINT, so
    /// every thread inherits the mask and the server reads them from its signalfd alone
    /// (otherwise a signal delivered to another thread would kill the process undrained), and
    /// caps glibc's malloc arenas: one per allocating thread (up to 8 per core) multiplies
    /// resident memory for no gain with a worker pool.
    public static func prepareProcess() {
        blockSignals([SIGTERM, SIGINT])
        _ = mallopt(M_ARENA_MAX, 2)
    }

    /// Serves until `server.shutdown()` (or SIGTERM, after `handleTerminationSignals`), then
    /// closes the database.
    public func run() throws {
        defer { store.database.close() }
        if let metricsServer {
            let logger = environment.logger
            let thread = try spawnThread {
                do { try metricsServer.run() } catch { logger.error("metrics listener failed", metadata: ["error": "\(error)"]) }
            }
            pthread_detach(thread)
            logger.notice("metrics listening", metadata: ["address": "\(environment.settings.metricsHost):\(metricsServer.port)",
                                                         "port": .stringConvertible(metricsServer.port)])
        }
        defer { metricsServer?.shutdown() }
        try server.run()
    }

    /// What `/metrics` reads when scraped (SPEC §4, §10), besides the requests the application
    /// counts itself and the process metrics.
    static func metrics(app: Application, store: Store, server: HTTPServer) {
        let m = app.metrics
        let figures = Figures(store: store)
        m.addGauge("continuity_build_info", help: "Always 1; the version of the running binary is its label.",
                   labels: [("version", BuildInfo.version)]) { 1 }
        m.addGauge("continuity_open_connections", help: "HTTP connections open now.") { Double(server.openConnections) }
        m.addCounter("continuity_writes_committed_total", help: "Writes committed since the process started.") {
            Double(store.database.committedWrites)
        }
        m.addGauge("continuity_erasure_scrub_pending", help: "1 while erased bytes may still be in the WAL file (README: Erasure and replication).") {
            store.database.isScrubPending ? 1 : 0
        }
        m.addGauge("continuity_alerts_open", help: "Alerts raised and not resolved.") { Double(figures.now.alertsOpen) }
        m.addGauge("continuity_evaluation_last_run_timestamp_seconds", help: "When the latest re-evaluation of every open client (daily run or continuity evaluate) finished; 0 if never.") {
            figures.now.lastRunFinished ?? 0
        }
        m.addGauge("continuity_evaluation_last_run_clients", help: "Clients the latest re-evaluation evaluated.") { Double(figures.now.lastRunClients) }
        m.addGauge("continuity_evaluation_last_run_events", help: "Alert events the latest re-evaluation wrote.") { Double(figures.now.lastRunEvents) }
        m.addGauge("continuity_evaluation_last_run_failures", help: "Clients the latest re-evaluation could not evaluate.") { Double(figures.now.lastRunFailures) }
        m.addGauge("continuity_alert_events_last_seq", help: "Sequence number of the latest alert event.") { Double(figures.now.alertEvents) }
        m.addLabeledGauges("continuity_export_events_behind", help: "Alert events written after an export consumer's cursor, not yet exported.",
                           label: "consumer") { figures.now.exportBehind.sorted { $0.key < $1.key }.map { ($0.key, Double($0.value)) } }
        store.database.onCommit = { n in m.recordBatch(n) }
    }

    static func metricsListener(app: Application, settings s: Settings, configuration: HTTPServerConfiguration,
                                logger: Logger) throws -> HTTPServer? {
        guard s.metricsPort != 0 else { return nil }
        var c = configuration
        c.host = s.metricsHost
        c.port = s.metricsPort
        c.workerThreads = 1
        c.maxConnections = 64
        let metrics = app.metrics
        return try HTTPServer(configuration: c, logger: logger, handler: { request in
            guard request.path == "/metrics" else { return .problem(status: 404, detail: "only /metrics is served here") }
            guard request.method == "GET" || request.method == "HEAD" else { return .problem(status: 405, detail: "GET /metrics") }
            var headers = HTTPHeaders()
            headers.set("Content-Type", "text/plain; version=0.0.4")
            return HTTPResponse(status: 200, headers: headers, body: Array(metrics.render().utf8))
        })
    }

    /// The database figures, read once per scrape (at most once a second), not once per metric.
    final class Figures: Sendable {
        let store: Store
        let cache = Mutex<(at: Double, figures: OperationalFigures)>((-1, OperationalFigures()))
        init(store: Store) { self.store = store }

        var now: OperationalFigures {
            cache.withLock { c in
                let t = monotonicSeconds()
                if c.at < 0 || t - c.at >= 1, let fresh = try? store.operationalFigures() { c = (t, fresh) }
                return c.figures
            }
        }
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

import API
import Continuity
import Glibc
import HTTP
import Logging
import SQLite
import Store

enum Wiring {
    /// Gauges read when `/metrics` is scraped (SPEC §4).
    static func metrics(app: Application, store: Store, server: HTTPServer) {
        let m = app.metrics
        m.addGauge("continuity_open_connections") { Double(server.openConnections) }
        m.addGauge("continuity_writes_committed") { Double(store.database.committedWrites) }
        m.addGauge("continuity_alerts_open") {
            Double((try? store.database.read { db in try db.queryOne("SELECT COUNT(*) FROM alerts WHERE resolved_on IS NULL")?.int(0) }) ?? 0)
        }
        store.database.onCommit = { n in m.recordBatch(n) }
    }
}

/// The built-in daily re-evaluation (SPEC §3: 00:05 local while serving): windows move, gaps
/// grow and end dates arrive without any write.
enum DailyRun {
    /// Once a minute: when today's run time (local) has passed and the latest recorded run is
    /// older than today, re-evaluate every open client. The record is in the database, so a
    /// server (re)started after the run time catches up at once, and DST changes or clock
    /// steps need no special case.
    static func start(store: Store, atMinute minute: Int, logger: Logger) throws {
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

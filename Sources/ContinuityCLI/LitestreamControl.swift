import Glibc
import HTTP
import JSON
import Logging
import POSIX
import Store

/// Litestream's control socket (litestream.yml `socket: enabled: true`): `POST /stop` and
/// `POST /start` for one database, HTTP over a Unix socket.
struct LitestreamControl: Sendable {
    let socketPath: String
    /// The database path as Litestream's configuration names it (absolute).
    let databasePath: String

    /// The HTTP status Litestream answered, or nil when it could not be reached.
    func post(_ command: String) -> Int? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // Stopping waits for Litestream's last sync.
        var timeout = timeval(tv_sec: 40, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.enumerated() { raw[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return nil }
        let body = JSON.serialize(["path": .string(databasePath), "timeout": 30])
        let request = Array("POST /\(command) HTTP/1.1\r\nHost: litestream\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
        return exchangeStatus(fd, request)
    }
}

/// `[litestream] control` (README "Erasure and replication"): Litestream's read transaction
/// lets no checkpoint but its own through, so an erasure's scrub stays pending while it runs.
/// When the scrub has waited 3 s, this asks Litestream to stop replicating the database (it
/// syncs first), lets the scrub run, and starts it again at once, whatever happened; writes go
/// on meanwhile and Litestream catches up on start.
enum ScrubAssist {
    static func start(store: Store, control: LitestreamControl, logger: Logger) throws {
        let thread = try spawnThread {
            var pendingSince: Double?
            while true {
                sleep(1)
                guard store.database.isScrubPending else {
                    pendingSince = nil
                    continue
                }
                let now = monotonicSeconds()
                guard let since = pendingSince else {
                    pendingSince = now
                    continue
                }
                guard now - since >= 3 else { continue }
                guard control.post("stop") == 200 else {
                    logger.warning("the erasure scrub waits: Litestream's control socket did not stop replication",
                                   metadata: ["socket": "\(control.socketPath)"])
                    pendingSince = now + 57   // try again in a minute
                    continue
                }
                let stopped = monotonicSeconds()
                store.database.retryScrubNow()
                while store.database.isScrubPending && monotonicSeconds() - stopped < 10 { usleep(20_000) }
                let scrubbed = !store.database.isScrubPending
                var restarted = false
                for _ in 0..<60 {
                    if control.post("start") == 200 { restarted = true; break }
                    sleep(1)
                }
                let paused = monotonicSeconds() - stopped
                if restarted {
                    logger.notice("Litestream stepped aside for the erasure scrub", metadata: [
                        "scrubbed": .stringConvertible(scrubbed), "paused_ms": .stringConvertible(Int(paused * 1000))])
                } else {
                    logger.critical("Litestream did not start replicating again after the erasure scrub: start it (litestream start)",
                                    metadata: ["socket": "\(control.socketPath)", "database": "\(control.databasePath)"])
                }
                pendingSince = nil
            }
        }
        pthread_detach(thread)
    }
}

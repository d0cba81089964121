import API
import App
import Config
import Continuity
import Foundation
import Glibc
import HTTP
import Logging
import Store
import Synchronization
import Testing

/// The real service (store on a temporary file, router, auth, HTTP server) built by the
/// composition root as `continuity serve` builds it, on an ephemeral port, run on its own
/// thread inside the test process. `configure` changes the settings of `continuity.conf`.
final class InProcessServer: @unchecked Sendable {
    let service: Service
    let directory: String
    private let loop: BackgroundThread
    var server: HTTPServer { service.server }
    var database: Database { service.store.database }

    init(_ configure: (inout Settings) -> Void = { _ in }) throws {
        directory = NSTemporaryDirectory() + "continuity-hostile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var settings = Settings()
        settings.serverHost = "127.0.0.1"
        settings.serverPort = 0
        settings.serverWorkerThreads = 4
        settings.databasePath = directory + "/c.sqlite"
        configure(&settings)
        let env = try Environment(settings: settings, logger: Logger(label: "robustness", factory: { _ in SwiftLogNoOpLogHandler() }),
                                  zone: .utc, now: { Instant(epochSeconds: 1_795_000_000) })
        service = try Service(environment: env)
        let server = service.server
        loop = BackgroundThread { try? server.run() }
    }

    var port: Int { server.port }

    func stop() {
        server.shutdown()
        loop.join()
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A fresh connection, `GET /health`, and how long the whole exchange took.
    func timedHealthCheck(timeoutSeconds: Double = 3) -> (status: Int?, seconds: Double) {
        let start = monotonicNow()
        guard let client = try? WireClient(port: port, receiveTimeoutSeconds: timeoutSeconds) else {
            return (nil, monotonicNow() - start)
        }
        let status = client.request("GET", "/health")?.status
        return (status, monotonicNow() - start)
    }
}

extension RobustnessTests {
    @Suite(.timeLimit(.minutes(1)))
    struct HostileClients {
        @Test func slowlorisConnections_doNotDelayOtherClients() throws {
            let live = try InProcessServer { $0.serverMaxConnections = 400 }
            defer { live.stop() }
            var attackers: [WireClient] = []
            for _ in 0..<300 {
                let client = try WireClient(port: live.port)
                client.send("GET /health HTTP/1.1\r\n")
                attackers.append(client)
            }
            let held = attackers
            let stop = Atomic<Bool>(false)
            let drip = BackgroundThread {
                var line = 0
                while !stop.load(ordering: .relaxed) {
                    line += 1
                    for client in held { client.send("X-Slow-\(line): still typing\r\n") }
                    for _ in 0..<10 where !stop.load(ordering: .relaxed) { usleep(100_000) }
                }
            }
            var samples: [Double] = []
            for _ in 0..<10 {
                usleep(300_000)
                let (status, seconds) = live.timedHealthCheck()
                #expect(status == 200)
                samples.append(seconds)
            }
            stop.store(true, ordering: .relaxed)
            drip.join()
            // The attackers were never answered and are all still connected.
            #expect(live.server.openConnections >= 300)
            let slowest = samples.max() ?? .infinity
            print("slowloris: 300 attackers, /health slowest \(Int(slowest * 1000)) ms over \(samples.count) checks")
            #expect(slowest < 1.0, "GET /health took \(slowest) s with 300 slowloris connections open")
        }

        /// A client that sends part of a request and stops, or drips it, gets 408 and is closed.
        @Test(arguments: [
            ("a head that stops half way", ["GET /health HTTP/1.1\r\nHost: x\r\n"], 0.0),
            ("a head dripped a line every 200 ms", ["GET /health HTTP/1.1\r\n"] + (1...20).map { "X-Drip-\($0): 1\r\n" }, 0.2),
        ])
        func slowHeaders_get408AndClose(_ name: String, _ lines: [String], _ pause: Double) throws {
            let live = try InProcessServer { $0.serverHeaderTimeoutSeconds = 0.5 }
            defer { live.stop() }
            let client = try WireClient(port: live.port, receiveTimeoutSeconds: 3)
            let start = monotonicNow()
            let writer = BackgroundThread {
                for line in lines {
                    guard client.send(line) else { return }
                    if pause > 0 { sleepSeconds(pause) }
                }
            }
            let response = client.readResponse()
            let elapsed = monotonicNow() - start
            writer.join()
            #expect(response?.status == 408, "\(name): \(String(describing: response?.status))")
            #expect(response?.header("Connection")?.lowercased() == "close")
            #expect(elapsed >= 0.45 && elapsed < 1.5, "\(name): answered after \(elapsed) s")
            #expect(client.isClosedByServer(), "\(name): connection left open")
        }

        @Test func stalledBody_gets408AndClose() throws {
            let live = try InProcessServer { $0.serverBodyTimeoutSeconds = 0.5 }
            defer { live.stop() }
            let client = try WireClient(port: live.port, receiveTimeoutSeconds: 3)
            let start = monotonicNow()
            client.send("POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"id\":\"x\",")
            let response = client.readResponse()
            let elapsed = monotonicNow() - start
            #expect(response?.status == 408)
            #expect(response?.header("Connection")?.lowercased() == "close")
            #expect(elapsed >= 0.45 && elapsed < 1.5, "answered after \(elapsed) s")
            #expect(client.isClosedByServer())
        }

        @Test func idleKeepAliveConnection_isClosedSilently() throws {
            let live = try InProcessServer { $0.serverIdleTimeoutSeconds = 0.5 }
            defer { live.stop() }
            let client = try WireClient(port: live.port, receiveTimeoutSeconds: 3)
            #expect(client.request("GET", "/health")?.status == 200)
            let start = monotonicNow()
            #expect(client.isClosedByServer(), "no close, or bytes sent to an idle connection")
            let elapsed = monotonicNow() - start
            #expect(elapsed >= 0.4 && elapsed < 2, "closed after \(elapsed) s")
        }

        @Test func connectionsOverTheLimit_get503_andAreServedAgainOnceOthersClose() throws {
            let live = try InProcessServer { $0.serverMaxConnections = 8 }
            defer { live.stop() }
            var holders: [WireClient] = []
            for _ in 0..<8 {
                let client = try WireClient(port: live.port)
                #expect(client.request("GET", "/health")?.status == 200)
                holders.append(client)
            }
            #expect(live.server.openConnections == 8)

            // The ninth: answered 503 at once (without even sending a request), then closed.
            let rejected = try WireClient(port: live.port, receiveTimeoutSeconds: 3)
            let response = rejected.readResponse()
            #expect(response?.status == 503)
            #expect(response?.header("Connection")?.lowercased() == "close")
            #expect(rejected.isClosedByServer())
            // A client that sends its request at once (and more after) still reads its 503.
            for round in 0..<20 {
                let eager = try WireClient(port: live.port, receiveTimeoutSeconds: 3)
                eager.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                usleep(UInt32(round % 4) * 2_000)
                eager.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                let answer = eager.readResponse()
                #expect(answer?.status == 503, "round \(round): \(String(describing: answer?.status))")
            }
            // The eight are unharmed.
            #expect(holders[0].request("GET", "/health")?.status == 200)

            holders.removeAll()  // closes them
            var served = false
            let deadline = monotonicNow() + 3
            while !served && monotonicNow() < deadline {
                served = live.timedHealthCheck().status == 200
                if !served { usleep(20_000) }
            }
            #expect(served, "no connection was served after the others closed")
            var again: [WireClient] = []
            for _ in 0..<8 {
                let client = try WireClient(port: live.port)
                #expect(client.request("GET", "/health")?.status == 200)
                again.append(client)
            }
        }

        @Test func pipeliningClientsThatNeverRead_doNotGrowServerMemory() throws {
            let live = try InProcessServer()
            defer { live.stop() }
            for _ in 0..<20 { _ = live.timedHealthCheck() }  // warm up allocator and workers
            let before = residentBytes()

            let request = Array("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            // 2,000 each by default; PIPELINE_REQUESTS raises it when run by hand.
            let perClient = Int(ProcessInfo.processInfo.environment["PIPELINE_REQUESTS"] ?? "") ?? 2000
            let flood = [UInt8]((0..<perClient).flatMap { _ in request })
            var floods: [WireClient] = []
            for _ in 0..<20 {
                let client = try WireClient(port: live.port, receiveTimeoutSeconds: 1)
                _ = fcntl(client.fd, F_SETFL, fcntl(client.fd, F_GETFL) | O_NONBLOCK)
                floods.append(client)
            }
            let attackers = floods
            let sentTotal = Atomic<Int>(0)
            let senders = BackgroundThread {
                runThreads(attackers.count) { index in
                    let fd = attackers[index].fd
                    var offset = 0
                    let deadline = monotonicNow() + 2.5
                    while offset < flood.count && monotonicNow() < deadline {
                        let n = flood.withUnsafeBytes { send(fd, $0.baseAddress! + offset, flood.count - offset, Int32(MSG_NOSIGNAL)) }
                        if n > 0 { offset += n } else { usleep(10_000) }
                    }
                    sentTotal.add(offset, ordering: .relaxed)
                }
            }
            var samples: [Double] = []
            for _ in 0..<8 {
                usleep(300_000)
                let (status, seconds) = live.timedHealthCheck()
                #expect(status == 200, "a well-behaved client was not served during the flood")
                samples.append(seconds)
            }
            senders.join()
            let after = residentBytes()
            let growth = after - before
            let slowest = samples.max() ?? .infinity
            print("pipelining flood: \(sentTotal.load(ordering: .relaxed)) bytes sent by 20 non-reading clients, "
                  + "RSS \(before / 1_048_576) → \(after / 1_048_576) MiB, /health slowest \(Int(slowest * 1000)) ms")
            #expect(growth < 50 * 1_048_576, "server RSS grew by \(growth / 1_048_576) MiB")
            #expect(slowest < 1.0)
            #expect(sentTotal.load(ordering: .relaxed) > 0)
        }

        /// Connections reset (RST) in every state the server can be in leave no descriptor or
        /// connection behind.
        @Test func resetConnections_leakNoDescriptors() throws {
            let live = try InProcessServer()
            defer { live.stop() }
            _ = live.timedHealthCheck()
            let descriptorsBefore = openDescriptors()
            let openings = [
                "",                                                            // silent
                "GET /health HTTP/1.1\r\nHost: x",                             // half a head
                "GET /health HTTP/1.1\r\nHost: x\r\n\r\n",                     // a full request
                "POST /v1/teams HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{", // half a body
                String(repeating: "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", count: 50), // a pipeline
            ]
            for round in 0..<200 {
                let client = try WireClient(port: live.port)
                client.send(openings[round % openings.count])
                if round % 3 == 0 { usleep(1_000) }
                var linger = linger(l_onoff: 1, l_linger: 0)  // close() sends RST
                setsockopt(client.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
            }
            let deadline = monotonicNow() + 3
            while live.server.openConnections > 0 && monotonicNow() < deadline { usleep(20_000) }
            #expect(live.server.openConnections == 0)
            let descriptorsAfter = openDescriptors()
            #expect(descriptorsAfter <= descriptorsBefore + 2,
                    "descriptors: \(descriptorsBefore) before, \(descriptorsAfter) after 200 reset connections")
            #expect(live.timedHealthCheck().status == 200)
        }
    }
}

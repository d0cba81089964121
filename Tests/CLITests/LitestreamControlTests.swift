import Foundation
import Glibc
import SQLite
import Testing

/// `[litestream] control` (README "Erasure and replication"): a stand-in for Litestream holds a
/// read transaction on the database, as Litestream does, so the erasure's WAL scrub is refused;
/// the server asks it through the control socket to stop, the scrub runs, and it is started
/// again. The erased client must leave the local files while "Litestream" is back on.
struct LitestreamControlTests {
    @Test func erasureScrub_hasLitestreamStepAside_andStartsItAgain() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let secret = try cli.token("litestream-control")
        let socketPath = cli.folder.appendingPathComponent("ls.sock").path
        let fake = try FakeLitestream(socketPath: socketPath, database: cli.database)
        let server = try LiveServer(database: cli.database, environment: [
            "CONTINUITY_LITESTREAM_CONTROL": "true", "CONTINUITY_LITESTREAM_SOCKET": socketPath])
        defer { server.stop() }
        #expect(server.request("POST", "/v1/teams", token: secret, json: #"{"id":"t1","name":"Wijkteam"}"#)?.status == 201)
        let marker = "ERASED-\(UUID().uuidString.prefix(8))"
        #expect(server.request("POST", "/v1/clients", token: secret,
                               json: #"{"id":"gone","external_ref":"\#(marker)","team_id":"t1","opened_on":"2026-01-01"}"#)?.status == 201)
        try fake.holdReadTransaction()   // from now on no other checkpoint completes
        #expect(server.request("DELETE", "/v1/clients/gone", token: secret)?.status == 204)

        func copies() -> Int {
            [cli.database, cli.database + "-wal"].reduce(0) { n, path in
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
                return n + (bytes.range(of: Data(marker.utf8)) == nil ? 0 : 1)
            }
        }
        #expect(copies() > 0, "the held read transaction should keep the erased bytes in the WAL at first")
        let deadline = Date().addingTimeInterval(20)
        while copies() > 0 || fake.requests.count < 2, Date() < deadline { usleep(100_000) }
        #expect(copies() == 0, "the erased client is still in the local files")
        #expect(fake.requests.map(\.command) == ["stop", "start"])
        #expect(fake.requests.allSatisfy { $0.body.contains(#""path":"\#(cli.database)""#) })
        #expect(fake.holdsReadTransaction, "Litestream was started again")
        #expect(server.stop() == 0)
    }
}

/// Answers Litestream's control-socket commands for one database: `stop` ends its read
/// transaction, `start` begins a new one.
final class FakeLitestream: @unchecked Sendable {
    struct Request { var command: String; var body: String }
    private let lock = NSLock()
    private var received: [Request] = []
    private var holding = false
    private let listener: Int32
    private let connection: Connection
    var requests: [Request] { lock.withLock { received } }
    var holdsReadTransaction: Bool { lock.withLock { holding } }

    init(socketPath: String, database: String) throws {
        connection = try Connection(path: database, options: { var o = ConnectionOptions(); o.readOnly = true; return o }())
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in socketPath.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 4) == 0 else { throw CLIError("cannot listen on \(socketPath)") }
        Thread { [self] in serve() }.start()
    }

    func holdReadTransaction() throws {
        try lock.withLock {
            try connection.execute("BEGIN")
            _ = try connection.queryOne("SELECT count(*) FROM clients")
            holding = true
        }
    }

    private func serve() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: bytes, as: UTF8.self).contains("}") {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let command = text.hasPrefix("POST /stop ") ? "stop" : text.hasPrefix("POST /start ") ? "start" : "?"
            let body = text.components(separatedBy: "\r\n\r\n").last ?? ""
            lock.withLock {
                received.append(Request(command: command, body: body))
                if command == "stop", holding {
                    try? connection.execute("COMMIT")
                    holding = false
                } else if command == "start", !holding {
                    try? connection.execute("BEGIN")
                    _ = try? connection.queryOne("SELECT count(*) FROM clients")
                    holding = true
                }
            }
            let answer = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".utf8)
            _ = answer.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(fd)
        }
    }
}

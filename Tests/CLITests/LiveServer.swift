import Foundation
import Glibc
import Testing

/// `continuity serve` as a child process on an ephemeral port, with JSON logs on stderr read
/// back (the port comes from the "serving" line). Talks real HTTP over a socket.
final class LiveServer: @unchecked Sendable {
    let process = Process()
    private(set) var port = 0
    private let lock = NSLock()
    private var stderrText = ""

    /// `environment` adds to the test's; the database is `database`; the port is 0 (any).
    init(database: String, environment extra: [String: String] = [:], directory: URL = CLI.packageRoot) throws {
        process.executableURL = try CLI.binary
        process.arguments = ["serve"]
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CONTINUITY_") && $0.key != "CTY_FAULT" }
        env["CONTINUITY_DATABASE_PATH"] = database
        env["CONTINUITY_SERVER_PORT"] = "0"
        env["CONTINUITY_LOG_FORMAT"] = "json"
        env["CONTINUITY_LOG_LEVEL"] = "info"
        env["CONTINUITY_ALERTS_DAILY_RUN_ENABLED"] = "false"
        env["CONTINUITY_AUTH_RATE_LIMIT_PER_MINUTE"] = "1000000"
        env["CONTINUITY_AUTH_RATE_LIMIT_BURST"] = "100000"
        for (k, v) in extra { env[k] = v }
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.stderrText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while port == 0 {
            guard process.isRunning else { throw CLIError("the server exited: \(stderr)") }
            guard Date() < deadline else { stop(); throw CLIError("the server did not start: \(stderr)") }
            if let line = logLines().first(where: { $0["msg"] as? String == "serving" }) {
                port = (line["port"] as? NSNumber)?.intValue ?? -1
            }
            usleep(20_000)
        }
    }

    var stderr: String { lock.withLock { stderrText } }

    /// The JSON log lines so far.
    func logLines() -> [[String: Any]] {
        stderr.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: no draining, no clean close.
    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct Response {
        var status: Int
        var body: String
    }

    /// One request on its own connection (Connection: close); nil if the connection failed.
    func request(_ method: String, _ path: String, token: String? = nil, json: String? = nil,
                 port: Int? = nil) -> Response? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port ?? self.port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let body = Array((json ?? "").utf8)
        if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return nil }
            sent += n
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 "), let status = Int(text.dropFirst(9).prefix(3)) else { return nil }
        let bodyText = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return Response(status: status, body: bodyText)
    }
}

extension CLI {
    /// `token create` and the secret (the last line of its output, SPEC §6).
    func token(_ name: String, role: String = "admin") throws -> String {
        let r = try run(["token", "create", "--name", name, "--role", role])
        guard r.status == 0, let secret = r.stdout.split(separator: "\n").last else {
            throw CLIError("token create failed: \(r.stderr)")
        }
        return String(secret)
    }
}

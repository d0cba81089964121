import POSIX
import Glibc
@testable import HTTP
import Logging
import Synchronization

/// A response as read off the wire by `TestClient`.
struct WireResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A tiny blocking-socket HTTP client for live tests (raw bytes in, parsed responses out).
final class TestClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else { close(fd); throw HTTPServerError.lastError("connect") }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads more bytes; false on EOF, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Reads one response; `expectBody: false` for HEAD (Content-Length present, no body).
    func readResponse(expectBody: Bool = true) -> WireResponse? {
        var headEnd: Int?
        while headEnd == nil {
            if let r = findHeadEnd() { headEnd = r; break }
            if !fill() { return nil }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), String(String(line[line.index(after: colon)...]).trimmingOWS))
        }
        let length = expectBody ? Int(headers["Content-Length"] ?? "0") ?? 0 : 0
        while buffer.count < length {
            if !fill() { return nil }
        }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return WireResponse(status: status, headers: headers, body: body)
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// True when the server closed the connection (EOF) with no further bytes.
    func isClosedByServer() -> Bool {
        if !buffer.isEmpty { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    /// Whether more bytes are buffered or readable right now (used to prove HEAD sent no body).
    func hasPendingBytes(waitMilliseconds: Int32 = 200) -> Bool {
        if !buffer.isEmpty { return true }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, waitMilliseconds) > 0
    }
}

/// A live server on an ephemeral port, run on its own pthread.
final class LiveServer: @unchecked Sendable {
    let server: HTTPServer
    private var thread = pthread_t()
    private var stopped = false

    init(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
         handler: @escaping HTTPHandler = LiveServer.echo,
         inlineHandler: (@Sendable (HTTPRequest) -> HTTPResponse?)? = nil,
         handlesSignals: Bool = false,
         continueCheck: (@Sendable (HTTPRequest) -> HTTPResponse?)? = nil) throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.workerThreads = 4
        configure(&configuration)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        server = try HTTPServer(configuration: configuration, logger: logger, handler: handler,
                                inlineHandler: inlineHandler, continueCheck: continueCheck)
        let server = self.server
        thread = try spawnThread {
            // Blocks SIGTERM in the loop thread (and its workers), as `continuity serve` does.
            if handlesSignals { server.handleTerminationSignals() }
            try? server.run()
        }
        while handlesSignals && server.signalFD.load(ordering: .sequentiallyConsistent) < 0 { usleep(1000) }
    }

    /// Delivers a real signal to the loop thread only (it is blocked there and read through the
    /// server's signalfd), so the test process itself is never terminated by it.
    func signalLoopThread(_ signal: Int32) {
        pthread_kill(thread, signal)
    }

    var port: Int { server.port }

    func stop() {
        guard !stopped else { return }
        stopped = true
        server.shutdown()
        pthread_join(thread, nil)
    }

    deinit { stop() }

    /// Echoes "METHOD PATH" and the body; `/slow` sleeps first, `/big` answers 4000 bytes.
    static let echo: HTTPHandler = { request in
        switch request.path {
        case "/slow":
            usleep(600_000)
        case "/big":
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]),
                                body: Array(String(repeating: "0123456789", count: 400).utf8))
        case "/huge":
            return HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: 256 * 1024))
        case "/invalid-status":
            return HTTPResponse(status: 42)
        default:
            break
        }
        var body = Array("\(request.method) \(request.path)".utf8)
        if !request.body.isEmpty {
            body.append(contentsOf: Array(" ".utf8) + request.body)
        }
        return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: body)
    }
}

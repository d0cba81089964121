import API
import App
import Config
import Continuity
import Glibc
import HTTP
import JSON
import Logging
import Store
import Synchronization

/// The package root, found from this file's path (…/Tests/APITests/TestServer.swift).
let packageRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// Europe/Amsterdam from the system tz database, UTC if tzdata is missing.
let amsterdam: TimeZoneRules = {
    guard let bytes = readAll("/usr/share/zoneinfo/Europe/Amsterdam"),
          let zone = try? TimeZoneRules(name: "Europe/Amsterdam", tzif: bytes) else { return .utc }
    return zone
}()

/// A clock the tests set: "today" is whatever they say.
final class TestClock: Sendable {
    private let instant: Mutex<Instant>
    init(_ rfc3339: String) { instant = Mutex(Instant(rfc3339: rfc3339)!) }
    func now() -> Instant { instant.withLock { $0 } }
    func set(_ rfc3339: String) { instant.withLock { $0 = Instant(rfc3339: rfc3339)! } }
}

/// A real server on 127.0.0.1 and an ephemeral port, over a fresh SQLite file in a temporary
/// folder: the database, store, application and HTTP server as `continuity serve` wires them.
final class TestServer: @unchecked Sendable {
    let folder: String
    let databasePath: String
    let clock: TestClock
    /// Every line the application logged, as "level message key=value ..." (keys sorted).
    let logs = CapturedLogs()
    private var thread: pthread_t?
    private var stopped = false

    /// Monday 2 June 2025, 12:00 in Amsterdam, unless a test says otherwise.
    static let defaultNow = "2025-06-02T10:00:00Z"

    /// `configure` changes the settings of `continuity.conf` (defaults otherwise; the rate
    /// limit's burst is lifted so tests are not slowed down unless they say so).
    init(now: String = TestServer.defaultNow, configure: (inout Settings) -> Void = { _ in }) throws {
        var template = Array("/tmp/continuity-apitests-XXXXXX".utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestFailure("mkdtemp failed: errno \(errno)")
        }
        folder = String(cString: dir)
        databasePath = folder + "/c.sqlite"
        clock = TestClock(now)
        var settings = Settings()
        settings.serverHost = "127.0.0.1"
        settings.serverPort = 0
        settings.serverWorkerThreads = 4
        settings.databasePath = databasePath
        settings.authRateLimitBurst = 10_000
        configure(&settings)
        let clock = self.clock, logs = self.logs
        // Built as `continuity serve` builds it (App's composition root), with a test clock and
        // a logger the tests can read.
        let env = try Environment(settings: settings, logger: Logger(label: "apitests", factory: { _ in CapturingLogHandler(logs) }),
                                  zone: amsterdam, now: { clock.now() })
        service = try Service(environment: env)
        let service = self.service
        thread = startThread { try? service.server.run() }
    }

    let service: Service
    var store: Store { service.store }
    var app: Application { service.app }
    var server: HTTPServer { service.server }
    var database: Database { service.store.database }

    var port: Int { server.port }

    /// Stops the server and closes the database; the files stay until `removeFolder()`.
    func stopServer() {
        guard !stopped else { return }
        stopped = true
        server.shutdown()
        if let thread { pthread_join(thread, nil) }
        database.close()
    }

    /// Stops everything and deletes the temporary folder.
    func stop() {
        stopServer()
        removeFolder()
    }

    func removeFolder() {
        for name in filesInFolder() { unlink(folder + "/" + name) }
        rmdir(folder)
    }

    func filesInFolder() -> [String] {
        guard let d = opendir(folder) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    // MARK: requests

    func request(_ method: String, _ target: String, token: String? = nil, json: JSONValue? = nil,
                 headers: [(String, String)] = [], body: [UInt8]? = nil) throws -> TestResponse {
        var all = headers
        if let token { all.append(("Authorization", "Bearer " + token)) }
        var payload = body
        if let json {
            payload = JSON.serialize(json)
            all.append(("Content-Type", "application/json"))
        }
        return try RawHTTP.send(port: port, method: method, target: target, headers: all, body: payload)
    }

    func get(_ target: String, token: String? = nil, headers: [(String, String)] = []) throws -> TestResponse {
        try request("GET", target, token: token, headers: headers)
    }

    func post(_ target: String, token: String?, _ json: JSONValue) throws -> TestResponse {
        try request("POST", target, token: token, json: json)
    }

    func patch(_ target: String, token: String?, _ json: JSONValue) throws -> TestResponse {
        try request("PATCH", target, token: token, json: json)
    }

    /// A new token's secret.
    func token(_ name: String, _ role: Role, team: String? = nil) throws -> String {
        try store.createToken(name: name, role: role, teamID: team).secret
    }
}

/// Runs a server for the body, and always stops it.
func withServer<T>(now: String = TestServer.defaultNow, configure: (inout Settings) -> Void = { _ in },
                   _ body: (TestServer) throws -> T) throws -> T {
    let server = try TestServer(now: now, configure: configure)
    defer { server.stop() }
    return try body(server)
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// One HTTP response as the client saw it.
struct TestResponse: CustomStringConvertible {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    /// Bytes the server sent after the framed message (must be 0; e.g. a body after HEAD).
    var extraBytes = 0

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON (null when it is not JSON, so expectations fail readably).
    var json: JSONValue { (try? JSON.parse(body)) ?? .null }

    var items: [JSONValue] { json["items"]?.arrayValue ?? [] }

    /// The pointers of a problem's `errors`.
    var pointers: [String] { json["errors"]?.arrayValue?.compactMap { $0["pointer"]?.stringValue } ?? [] }

    /// The names of a problem's query-parameter errors (`{"parameter", "detail"}`).
    var parameters: [String] { json["errors"]?.arrayValue?.compactMap { $0["parameter"]?.stringValue } ?? [] }

    var description: String { "\(status) \(text.prefix(400))" }
}

/// A minimal HTTP/1.1 client on a blocking socket: one request per connection
/// (`Connection: close`), read until the server closes, framed by its Content-Length.
enum RawHTTP {
    static func send(port: Int, method: String, target: String, headers: [(String, String)],
                     body: [UInt8]?) throws -> TestResponse {
        let fd = try connectedSocket(port: port, timeoutSeconds: 15)
        defer { close(fd) }

        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (n, v) in headers { head += "\(n): \(v)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + (body ?? [])
        var sent = 0
        while sent < out.count {
            let n = out.withUnsafeBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
            guard n > 0 else { throw TestFailure("write: errno \(errno)") }
            sent += n
        }

        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw TestFailure("read: errno \(errno)") }
            if n == 0 { break }
            data += buffer[0..<n]
        }
        guard let r = try parse(data, method: method), r.complete else {
            throw TestFailure("connection closed before a complete response (\(data.count) bytes)")
        }
        return r.response
    }

    /// A blocking socket connected to 127.0.0.1:`port`, reads timing out after `timeoutSeconds`.
    static func connectedSocket(port: Int, timeoutSeconds: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let error = errno
            close(fd)
            throw TestFailure("connect: errno \(error)")
        }
        return fd
    }

    /// nil until the head is complete.
    static func parse(_ data: [UInt8], method: String) throws -> (response: TestResponse, complete: Bool)? {
        guard data.count >= 4, let end = (0...(data.count - 4)).first(where: {
            data[$0] == 13 && data[$0 + 1] == 10 && data[$0 + 2] == 13 && data[$0 + 3] == 10
        }) else { return nil }
        let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line: \(lines[0])") }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        let bodyStart = end + 4
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        let bodyLength = method == "HEAD" || status == 204 || status == 304 ? 0 : length
        let available = data.count - bodyStart
        let body = Array(data[bodyStart..<bodyStart + min(available, bodyLength)])
        var response = TestResponse(status: status, headers: headers, body: body)
        response.extraBytes = max(0, available - bodyLength)
        return (response, available >= bodyLength)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }

    func components(separatedBy separator: String) -> [String] {
        var out: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: separator) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}

func readAll(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n > 0 { out += buf[0..<n] }
        if n < buf.count { break }
    }
    return out
}

func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box: @unchecked Sendable { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var tid = pthread_t()
    let arg = Unmanaged.passRetained(Box(body)).toOpaque()
    let rc = pthread_create(&tid, nil, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, arg)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    return tid
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs anywhere in these bytes.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        var i = 0
        while i <= count - needle.count {
            if self[i] == needle[0] {
                var j = 1
                while j < needle.count && self[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

/// Log lines kept in memory, so tests can assert what an operator or auditor would read.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    init(_ sink: CapturedLogs) { self.sink = sink }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.append("\(event.level) \(event.message) " + all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " "))
    }
}

import CEpoll
import Glibc
import POSIX
import Logging
import Synchronization

public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// HTTP/1.1 server: one epoll thread owns every socket and connection state; a fixed pool of
/// worker threads runs the (blocking) handler. Requests go to workers through a mutex+condvar
/// queue; responses come back through a second queue plus an eventfd wakeup.
public final class HTTPServer: @unchecked Sendable {
    let configuration: HTTPServerConfiguration
    let logger: Logger
    let handler: HTTPHandler

    /// The actually bound port.
    public let port: Int

    struct Job: Sendable {
        var connectionID: UInt64
        var request: HTTPRequest
        var acceptsGzip: Bool
        /// Only the head, for `continueCheck` (Expect: 100-continue), not for the handler.
        var checksContinue = false
    }

    struct Completion: Sendable {
        var connectionID: UInt64
        /// nil: the answer to a `continueCheck` that wants the body.
        var response: HTTPResponse?
    }

    let jobs = ConditionQueue<Job>()
    let completions = ConditionQueue<Completion>()
    let shutdownRequested = Atomic<Bool>(false)
    let runStarted = Atomic<Bool>(false)
    let connectionCount = Atomic<Int>(0)
    /// eventfd: workers and `shutdown()` write to it to wake the loop.
    let wakeFD: Int32
    let signalFD = Atomic<Int32>(-1)

    // Event-loop thread state.
    var listenFD: Int32
    var listening = true
    var listenerPaused = false
    var epollFD: Int32 = -1
    var connections: [UInt64: HTTPConnection] = [:]
    var nextConnectionID: UInt64 = 16
    var dateCache = HTTPDateCache()
    var signalsReceived = 0
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Connections with buffered requests left over from this turn (see `yieldTurn`).
    var yieldedConnections: [UInt64] = []
    /// Parse steps (about one request each) a connection gets per loop turn.
    static let stepsPerTurn = 16

    // epoll user data for the non-connection descriptors; connection ids start at 16.
    static let listenerTag: UInt64 = 0
    static let wakeTag: UInt64 = 1
    static let signalTag: UInt64 = 2

    /// Creates the socket, binds and listens; throws `HTTPServerError` (call + errno) on failure.
    /// Answers requests that need no blocking work (no database) on the event-loop thread,
    /// saving two thread hand-offs; nil means "give it to a worker". Must never block.
    let inlineHandler: (@Sendable (HTTPRequest) -> HTTPResponse?)?
    /// For `Expect: 100-continue` (RFC 9110 §10.1.1), run on a worker with the head only (the
    /// body is empty): a final answer to send instead of 100 (say 401 or 404; the connection then
    /// closes, as the body was not read), or nil to send 100 and read the body. Without it, 100
    /// is sent at once.
    let continueCheck: (@Sendable (HTTPRequest) -> HTTPResponse?)?

    public init(configuration: HTTPServerConfiguration, logger: Logger, handler: @escaping HTTPHandler,
                inlineHandler: (@Sendable (HTTPRequest) -> HTTPResponse?)? = nil,
                continueCheck: (@Sendable (HTTPRequest) -> HTTPResponse?)? = nil) throws {
        self.inlineHandler = inlineHandler
        self.continueCheck = continueCheck
        self.configuration = configuration
        self.logger = logger
        self.handler = handler
        listenFD = try Socket.makeListener(host: configuration.host, port: configuration.port)
        port = Socket.localPort(listenFD)
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let error = HTTPServerError.lastError("eventfd")
            Glibc.close(listenFD)
            throw error
        }
    }

    deinit {
        if listening { Glibc.close(listenFD) }
        Glibc.close(wakeFD)
    }

    /// Current number of open client connections (for metrics).
    public var openConnections: Int { connectionCount.load(ordering: .relaxed) }

    /// Stops accepting, lets requests already received finish, closes idle connections; then
    /// `run()` returns. Callable from any thread, any number of times.
    public func shutdown() {
        shutdownRequested.store(true, ordering: .sequentiallyConsistent)
        wake()
    }

    /// Makes SIGTERM and SIGINT call `shutdown()`; a second signal exits at once. Call before
    /// `run()` and before other threads start: the signals are blocked in this thread (and so in
    /// threads it spawns later) and read through a signalfd in the event loop.
    public func handleTerminationSignals() {
        var set = blockSignals([SIGTERM, SIGINT])
        let fd = signalfd(-1, &set, Int32(SFD_NONBLOCK) | Int32(SFD_CLOEXEC))
        if fd < 0 {
            logger.error("signalfd failed", metadata: ["errno": .stringConvertible(errno)])
        } else {
            signalFD.store(fd, ordering: .sequentiallyConsistent)
        }
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Runs the event loop on the calling thread until shutdown has completed.
    public func run() throws {
        guard !runStarted.exchange(true, ordering: .sequentiallyConsistent) else {
            throw HTTPServerError(call: "run (already running)", errno: EBUSY)
        }
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw HTTPServerError.lastError("epoll_create1") }
        defer { Glibc.close(epollFD) }
        register(Self.listenerTag, fd: listenFD, events: EPOLLIN.rawValue)
        register(Self.wakeTag, fd: wakeFD, events: EPOLLIN.rawValue)
        let signalDescriptor = signalFD.load(ordering: .sequentiallyConsistent)
        if signalDescriptor >= 0 { register(Self.signalTag, fd: signalDescriptor, events: EPOLLIN.rawValue) }

        var workers: [pthread_t] = []
        for _ in 0..<max(1, configuration.workerThreads) {
            workers.append(try spawnThread { [self] in workerLoop() })
        }
        defer {
            jobs.close()
            for thread in workers { pthread_join(thread, nil) }
        }
        logger.notice("HTTP server listening", metadata: ["host": "\(configuration.host)", "port": .stringConvertible(port)])

        let shortest = min(configuration.headerTimeoutSeconds, configuration.bodyTimeoutSeconds,
                           configuration.idleTimeoutSeconds)
        let tickMilliseconds = Int32(max(10, min(250, shortest * 1000 / 4)))
        var lastSweep = monotonicSeconds()
        var events = [epoll_event](repeating: epoll_event(), count: 256)

        while true {
            if listening && shutdownRequested.load(ordering: .sequentiallyConsistent) { beginShutdown() }
            if !listening && connections.isEmpty { break }
            let timeout = yieldedConnections.isEmpty ? tickMilliseconds : 0
            let count = epoll_wait(epollFD, &events, Int32(events.count), timeout)
            if count < 0 {
                if errno == EINTR { continue }
                throw HTTPServerError.lastError("epoll_wait")
            }
            for index in 0..<Int(count) {
                let tag = events[index].data.u64
                let mask = events[index].events
                switch tag {
                case Self.listenerTag: acceptConnections()
                case Self.wakeTag: drainWakeups()
                case Self.signalTag: readSignals()
                default:
                    if let connection = connections[tag] { handleEvent(connection, mask: mask) }
                }
            }
            resumeYieldedConnections()
            let now = monotonicSeconds()
            if now - lastSweep >= Double(tickMilliseconds) / 1000 {
                lastSweep = now
                sweepTimeouts(now: now)
            }
        }
        if signalDescriptor >= 0 { Glibc.close(signalDescriptor) }
        logger.notice("HTTP server stopped")
    }

    // MARK: - Workers

    /// Runs on a worker thread: the only place the application handler is called.
    func workerLoop() {
        while let job = jobs.pop() {
            let answer = job.checksContinue ? continueCheck?(job.request) : handler(job.request)
            let response = answer.map { finish($0, acceptsGzip: job.acceptsGzip) }
            completions.push(Completion(connectionID: job.connectionID, response: response))
            wake()
        }
    }

    /// Status check and gzip, for worker and inline answers alike.
    func finish(_ handled: HTTPResponse, acceptsGzip: Bool) -> HTTPResponse {
        var response = handled
        if !(100...999).contains(response.status) {
            logger.error("handler returned an invalid status", metadata: ["status": .stringConvertible(response.status)])
            response = .problem(status: 500, detail: "The handler produced an invalid response.")
        }
        if acceptsGzip, response.body.count > configuration.gzipMinimumBytes,
           !response.headers.contains("Content-Encoding"), response.status != 206, !response.forbidsBody,
           let compressed = Gzip.compress(response.body) {
            response.body = compressed
            response.headers.set("Content-Encoding", "gzip")
            let vary = response.headers.values("Vary")
            if !vary.contains(where: { $0.asciiLowercased.contains("accept-encoding") || $0 == "*" }) {
                response.headers.add("Vary", "Accept-Encoding")
            }
        }
        return response
    }

    // MARK: - epoll plumbing

    /// Adds `fd` to the epoll set; false (logged) if the kernel refused (ENOMEM, ENOSPC: the
    /// caller closes a connection it could not watch).
    @discardableResult
    func register(_ tag: UInt64, fd: Int32, events: UInt32) -> Bool {
        var event = epoll_event(events: events, data: epoll_data_t(u64: tag))
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            logger.error("epoll_ctl ADD failed", metadata: ["errno": "\(errno)"])
            return false
        }
        return true
    }

    /// Removes `fd` from the epoll set (closing it would too, but not while another descriptor
    /// shares its open file); a failure is a bug worth a log line.
    func unregister(_ fd: Int32) {
        if epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil) != 0 {
            logger.error("epoll_ctl DEL failed", metadata: ["errno": "\(errno)"])
        }
    }

    /// Level-triggered interest: EPOLLIN while reading, EPOLLOUT while a write is pending,
    /// nothing while a worker has the request (so a client cannot make us buffer without bound).
    func setInterest(_ connection: HTTPConnection, _ events: UInt32) {
        guard connection.interest != events else { return }
        connection.interest = events
        var event = epoll_event(events: events, data: epoll_data_t(u64: connection.id))
        // Fails only for a descriptor not in the set, a bug: say so rather than hang the client.
        if epoll_ctl(epollFD, EPOLL_CTL_MOD, connection.fd, &event) != 0 {
            logger.error("epoll_ctl MOD failed", metadata: ["errno": "\(errno)"])
        }
    }

    func drainWakeups() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
        for completion in completions.drain() {
            guard let connection = connections[completion.connectionID] else { continue }
            switch (connection.state, completion.response) {
            case (.waitingForHandler, let response?):
                respond(connection, response)
            case (.waitingForContinue, nil):
                continueBody(connection)
            case (.waitingForContinue, let refusal?):
                // Refused before the body was sent: it is not read, so the connection closes.
                connection.closeAfterWrite = true
                respond(connection, refusal)
            default:
                continue
            }
        }
    }

    /// Queues a handler's answer on its connection (event-loop thread).
    func respond(_ connection: HTTPConnection, _ response: HTTPResponse) {
        var close = connection.closeAfterWrite
        if let option = response.headers["Connection"], option.asciiLowercased.contains("close") {
            close = true
        }
        queueResponse(connection, response, close: close || (!listening && !hasBufferedRequest(connection)))
    }

    func readSignals() {
        var info = signalfd_siginfo()
        let fd = signalFD.load(ordering: .sequentiallyConsistent)
        while read(fd, &info, MemoryLayout<signalfd_siginfo>.size) == MemoryLayout<signalfd_siginfo>.size {
            signalsReceived += 1
            if signalsReceived == 1 {
                logger.notice("termination signal received, shutting down", metadata: ["signal": .stringConvertible(info.ssi_signo)])
                shutdown()
            } else {
                logger.notice("second termination signal, exiting now")
                _exit(1)
            }
        }
    }

    func beginShutdown() {
        listening = false
        unregister(listenFD)
        Glibc.close(listenFD)
        for connection in Array(connections.values) {
            switch connection.state {
            case .readingHead:
                // Whole requests still buffered (a yielded pipeline) were received: answer them.
                // Otherwise nothing received is owed an answer: close now.
                if !hasBufferedRequest(connection) { closeConnection(connection) }
            case .readingBody, .waitingForContinue, .waitingForHandler:
                // Answered; `respond` closes after it unless a whole request is buffered behind it.
                break
            case .writing:
                // A client that stopped reading must not hold shutdown for the full idle timeout.
                connection.deadline = min(connection.deadline,
                                          monotonicSeconds() + configuration.bodyTimeoutSeconds)
            case .closing:
                break
            }
        }
    }
}

import CEpoll
import Glibc
import POSIX
import Logging

/// The per-connection state machine, run on the event-loop thread.
extension HTTPServer {
    func acceptConnections() {
        while listening {
            guard let (fd, remoteAddress) = Socket.accept(listenFD) else {
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: stop polling the listener until the next sweep.
                    logger.notice("accept failed: out of file descriptors")
                    unregister(listenFD)
                    listenerPaused = true
                }
                return
            }
            if connections.count >= configuration.maxConnections {
                rejectOverLimit(fd)
                continue
            }
            let id = nextConnectionID
            nextConnectionID += 1
            let connection = HTTPConnection(id: id, fd: fd, remoteAddress: remoteAddress,
                                            deadline: monotonicSeconds() + configuration.headerTimeoutSeconds)
            connections[id] = connection
            connectionCount.store(connections.count, ordering: .relaxed)
            connection.interest = EPOLLIN.rawValue
            if !register(id, fd: fd, events: EPOLLIN.rawValue) { closeConnection(connection) }
        }
    }

    /// Over the connection limit: one 503 write, then close; other connections go on.
    func rejectOverLimit(_ fd: Int32) {
        logger.notice("connection limit reached, answering 503", metadata: ["limit": .stringConvertible(configuration.maxConnections)])
        var response = HTTPResponse.problem(status: 503, detail: "The server is at its connection limit; retry shortly.")
        // RFC 9110 §10.2.3 / §15.6.4: tell the client when trying again makes sense.
        response.headers.set("Retry-After", "1")
        var bytes: [UInt8] = []
        let body = serialize(response, version: .http11, close: true, isHead: false, into: &bytes)
        bytes += body
        _ = bytes.withUnsafeMutableBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        Glibc.shutdown(fd, Int32(SHUT_WR))
        _ = readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        Glibc.close(fd)
    }

    func handleEvent(_ connection: HTTPConnection, mask: UInt32) {
        let readable = mask & EPOLLIN.rawValue != 0
        let failed = mask & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        switch connection.state {
        case .readingHead, .readingBody:
            // A yielded connection reads again once its buffered requests are done.
            if (readable || failed) && !connection.yielded { readInput(connection) }
        case .writing:
            if failed && !readable { closeConnection(connection); return }
            flush(connection)
        case .waitingForHandler, .waitingForContinue:
            // Only errors are reported here (interest is empty): the peer is gone.
            if failed { closeConnection(connection) }
        case .closing:
            discardInput(connection)
        }
    }

    func readInput(_ connection: HTTPConnection) {
        let count = readBuffer.withUnsafeMutableBytes { read(connection.fd, $0.baseAddress, $0.count) }
        if count > 0 {
            connection.input.append(contentsOf: readBuffer[0..<count])
        } else if count == 0 {
            connection.peerClosed = true
        } else {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            closeConnection(connection)
            return
        }
        processInput(connection)
    }

    /// Advances the state machine as far as the buffered bytes allow: each step consumes bytes
    /// or changes the state (true), or needs more bytes (false). A request answered inline comes
    /// back to `.readingHead` within the step, so the loop goes on to the next buffered request;
    /// one handed to a worker leaves the loop until `responseWritten` calls it again.
    func processInput(_ connection: HTTPConnection) {
        // Re-entered from an inline answer's responseWritten: the loop below carries on.
        guard !connection.processing else { return }
        connection.processing = true
        defer { connection.processing = false }
        var steps = 0
        while connections[connection.id] != nil {
            guard connection.state == .readingHead || connection.state == .readingBody else { return }
            if steps == Self.stepsPerTurn {
                yieldTurn(connection)
                return
            }
            steps += 1
            let progressed = connection.state == .readingHead ? parseHead(connection) : readBody(connection)
            if !progressed { return }
        }
    }

    /// A client that pipelines thousands of requests must not hold up the others: after
    /// `stepsPerTurn` steps its remaining input waits for the next turn of the loop (and is not
    /// added to until then), behind every other ready connection.
    func yieldTurn(_ connection: HTTPConnection) {
        guard !connection.yielded else { return }
        connection.yielded = true
        yieldedConnections.append(connection.id)
    }

    /// Called once per loop turn, after the events of that turn.
    func resumeYieldedConnections() {
        let waiting = yieldedConnections
        yieldedConnections = []
        for id in waiting {
            guard let connection = connections[id] else { continue }
            connection.yielded = false
            processInput(connection)
        }
    }

    /// Returns true when bytes were consumed or the state changed (processing goes on).
    func parseHead(_ connection: HTTPConnection) -> Bool {
        let now = monotonicSeconds()
        if connection.input.isEmpty {
            if connection.peerClosed { closeConnection(connection) }
            return false
        }
        if !connection.requestStarted {
            connection.requestStarted = true
            connection.deadline = now + configuration.headerTimeoutSeconds
        }
        // Parse every read while the request line is arriving, so bytes that cannot begin a
        // request (a TLS hello, a NUL) are refused at once rather than at the header timeout.
        // After it, re-parse only when a line completed (or a limit may have been crossed), so
        // a client dripping header bytes one at a time costs a scan per line, not per byte.
        let inRequestLine = !connection.sawLineEnd
        let newLineEnd = connection.input[connection.scannedForLineEnd...].contains(LF)
        connection.scannedForLineEnd = connection.input.count
        if newLineEnd { connection.sawLineEnd = true }
        let limits = configuration.parserLimits
        if !inRequestLine && !newLineEnd && connection.input.count <= min(limits.maxHeaderBytes, limits.maxTargetBytes) {
            if connection.peerClosed { closeConnection(connection) }
            return false
        }
        var parser = HTTPParser(limits: limits)
        switch parser.parse(connection.input) {
        case .incomplete:
            if connection.peerClosed { closeConnection(connection) }
            return false
        case .invalid(let status, let reason):
            fail(connection, status: status, reason: reason)
            return false
        case .complete(let consumed):
            connection.input.removeFirst(consumed)
            connection.scannedForLineEnd = 0
            connection.sawLineEnd = false
            let head = parser.head!
            connection.head = head
            connection.isHead = head.method == "HEAD"
            connection.body = []
            switch head.framing {
            case .none:
                dispatch(connection)
                return true
            case .contentLength(let length):
                connection.remainingBodyBytes = length
                connection.body.reserveCapacity(length)
            case .chunked:
                connection.chunkedDecoder = ChunkedDecoder(maxBodyBytes: configuration.maxBodyBytes,
                                                           maxTrailerBytes: configuration.maxHeaderBytes)
            }
            connection.state = .readingBody
            connection.deadline = now + configuration.bodyTimeoutSeconds
            if head.expectsContinue && connection.input.isEmpty && head.version == .http11 {
                // RFC 9110 §10.1.1: the client waits for 100 before sending the body. Ask the
                // application first (route, token), so a request it refuses is refused at once.
                if continueCheck != nil {
                    askBeforeBody(connection, head)
                } else {
                    sendContinue(connection)
                }
            }
            return true
        }
    }

    func readBody(_ connection: HTTPConnection) -> Bool {
        if connection.input.isEmpty {
            if connection.peerClosed { closeConnection(connection) }
            return false
        }
        // The body timeout measures stalls: any progress restarts it.
        connection.deadline = monotonicSeconds() + configuration.bodyTimeoutSeconds
        if var decoder = connection.chunkedDecoder {
            let result = decoder.decode(connection.input, into: &connection.body)
            connection.chunkedDecoder = decoder
            switch result {
            case .incomplete:
                connection.input.removeAll(keepingCapacity: true)
                if connection.peerClosed { closeConnection(connection) }
                return false
            case .invalid(let status, let reason):
                fail(connection, status: status, reason: reason)
                return false
            case .complete(let consumed):
                connection.input.removeFirst(consumed)
                connection.chunkedDecoder = nil
                dispatch(connection)
                return true
            }
        }
        let take = min(connection.remainingBodyBytes, connection.input.count)
        connection.body.append(contentsOf: connection.input[0..<take])
        connection.input.removeFirst(take)
        connection.remainingBodyBytes -= take
        if connection.remainingBodyBytes == 0 {
            dispatch(connection)
            return true
        }
        if connection.peerClosed { closeConnection(connection) }
        return false
    }

    func makeRequest(_ connection: HTTPConnection, _ head: HTTPParser.RequestHead) -> HTTPRequest {
        HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers,
                    body: connection.body, remoteAddress: connection.remoteAddress)
    }

    /// `Expect: 100-continue`: a worker runs `continueCheck` on the head; no reads meanwhile.
    func askBeforeBody(_ connection: HTTPConnection, _ head: HTTPParser.RequestHead) {
        connection.state = .waitingForContinue
        setInterest(connection, 0)
        jobs.push(Job(connectionID: connection.id, request: makeRequest(connection, head),
                      acceptsGzip: Gzip.isAccepted(by: head.headers["Accept-Encoding"]), checksContinue: true))
    }

    /// The application wants the body: 100 Continue, then read it.
    func continueBody(_ connection: HTTPConnection) {
        connection.state = .readingBody
        connection.deadline = monotonicSeconds() + configuration.bodyTimeoutSeconds
        sendContinue(connection)
        setInterest(connection, EPOLLIN.rawValue)
        processInput(connection)
    }

    func sendContinue(_ connection: HTTPConnection) {
        var interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
        _ = interim.withUnsafeMutableBytes { send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Hands the complete request to a worker; stops reading until the response is written.
    func dispatch(_ connection: HTTPConnection) {
        guard let head = connection.head else { return }
        connection.state = .waitingForHandler
        // A client that half-closed after pipelining still gets every answer; the last one closes.
        if !head.keepAlive || (connection.peerClosed && connection.input.isEmpty) {
            connection.closeAfterWrite = true
        }
        let request = makeRequest(connection, head)
        connection.body = []
        let acceptsGzip = Gzip.isAccepted(by: head.headers["Accept-Encoding"])
        if let inlineHandler, let answer = inlineHandler(request) {
            respond(connection, finish(answer, acceptsGzip: acceptsGzip))
            return
        }
        setInterest(connection, 0)
        jobs.push(Job(connectionID: connection.id, request: request, acceptsGzip: acceptsGzip))
    }

    /// A protocol error found by the server: problem+json, then close (framing is unreliable).
    func fail(_ connection: HTTPConnection, status: Int, reason: String) {
        logger.debug("rejecting request", metadata: [
            "status": "\(status)", "reason": "\(reason)", "remote": "\(connection.remoteAddress)",
        ])
        let version = connection.head?.version ?? .http11
        connection.isHead = false
        queueResponse(connection, .problem(status: status, detail: reason), close: true, version: version)
    }

    func queueResponse(_ connection: HTTPConnection, _ response: HTTPResponse, close: Bool,
                       version: HTTPVersion? = nil) {
        let version = version ?? connection.head?.version ?? .http11
        connection.output.removeAll(keepingCapacity: true)
        connection.outputBody = serialize(response, version: version, close: close, isHead: connection.isHead,
                                          into: &connection.output)
        connection.outputOffset = 0
        connection.closeAfterWrite = close
        connection.state = .writing
        connection.deadline = monotonicSeconds() + configuration.idleTimeoutSeconds
        flush(connection)
    }

    /// Appends status line and headers to `head` and returns the body to send (not copied):
    /// `flush` sends both with one gathering write, so the event loop's work per answer does
    /// not grow with the body. Bytes are appended directly (no intermediate Strings).
    func serialize(_ response: HTTPResponse, version: HTTPVersion, close: Bool, isHead: Bool,
                   into head: inout [UInt8]) -> [UInt8] {
        head.reserveCapacity(256)
        func line(_ name: String, _ value: String) {
            head.append(contentsOf: name.utf8)
            head.append(UInt8(ascii: ":"))
            head.append(SP)
            head.append(contentsOf: value.utf8)
            head.append(CR)
            head.append(LF)
        }
        head.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(response.status, to: &head)
        head.append(SP)
        head.append(contentsOf: HTTPResponse.reasonPhrase(response.status).utf8)
        head.append(CR)
        head.append(LF)
        var hasDate = false
        for field in response.headers.fields {
            if asciiCaseInsensitiveEquals(field.name, "Content-Length") || asciiCaseInsensitiveEquals(field.name, "Connection")
                || asciiCaseInsensitiveEquals(field.name, "Transfer-Encoding") {
                continue
            }
            if asciiCaseInsensitiveEquals(field.name, "Date") { hasDate = true }
            line(field.name, field.value)
        }
        if !hasDate { line("Date", dateCache.current()) }
        if !response.forbidsBody {
            head.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &head)
            head.append(CR)
            head.append(LF)
        }
        if close {
            line("Connection", "close")
        } else if version == .http10 {
            line("Connection", "keep-alive")
        }
        head.append(CR)
        head.append(LF)
        return isHead || response.forbidsBody ? [] : response.body
    }

    /// A non-negative number in decimal, without making a String.
    func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    func flush(_ connection: HTTPConnection) {
        while connection.outputOffset < connection.output.count + connection.outputBody.count {
            let written = sendOutput(connection)
            if written > 0 {
                connection.outputOffset += written
                connection.deadline = monotonicSeconds() + configuration.idleTimeoutSeconds
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                setInterest(connection, EPOLLOUT.rawValue)
                return
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                closeConnection(connection)
                return
            }
        }
        responseWritten(connection)
    }

    /// One sendmsg of what is left of head and body (writev cannot say MSG_NOSIGNAL).
    func sendOutput(_ connection: HTTPConnection) -> Int {
        let offset = connection.outputOffset
        return connection.output.withUnsafeBytes { head in
            connection.outputBody.withUnsafeBytes { body in
                withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { parts in
                    var count = 0
                    if offset < head.count {
                        parts[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress! + offset),
                                             iov_len: head.count - offset)
                        count += 1
                    }
                    let bodyOffset = max(0, offset - head.count)
                    if bodyOffset < body.count {
                        parts[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress! + bodyOffset),
                                             iov_len: body.count - bodyOffset)
                        count += 1
                    }
                    var message = msghdr()
                    message.msg_iov = parts.baseAddress
                    message.msg_iovlen = count
                    return sendmsg(connection.fd, &message, Int32(MSG_NOSIGNAL))
                }
            }
        }
    }

    func responseWritten(_ connection: HTTPConnection) {
        connection.output.removeAll(keepingCapacity: true)
        connection.outputBody = []
        connection.outputOffset = 0
        connection.head = nil
        if connection.closeAfterWrite || (!listening && !hasBufferedRequest(connection)) {
            beginClosing(connection)
            return
        }
        connection.state = .readingHead
        connection.requestStarted = false
        connection.scannedForLineEnd = 0
        connection.sawLineEnd = false
        connection.isHead = false
        connection.deadline = monotonicSeconds() + configuration.idleTimeoutSeconds
        setInterest(connection, EPOLLIN.rawValue)
        // Pipelined requests already buffered are handled now, in order.
        processInput(connection)
    }

    /// Whether `input` already holds a whole request head. During shutdown such a pipelined
    /// request is answered (it was received), while a partial one is not waited for.
    func hasBufferedRequest(_ connection: HTTPConnection) -> Bool {
        guard !connection.input.isEmpty else { return false }
        var parser = HTTPParser(limits: configuration.parserLimits)
        if case .incomplete = parser.parse(connection.input) { return false }
        return true
    }

    /// Half-close and drain briefly: closing with unread input would send a reset that can
    /// destroy the response we just wrote before the client reads it.
    func beginClosing(_ connection: HTTPConnection) {
        connection.state = .closing
        connection.input = []
        Glibc.shutdown(connection.fd, Int32(SHUT_WR))
        connection.lingerEnd = monotonicSeconds() + configuration.lingerSeconds
        connection.deadline = min(connection.lingerEnd, monotonicSeconds() + min(2, configuration.headerTimeoutSeconds))
        setInterest(connection, EPOLLIN.rawValue)
        discardInput(connection)
    }

    func discardInput(_ connection: HTTPConnection) {
        while true {
            let count = readBuffer.withUnsafeMutableBytes { read(connection.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                // A client still sending a refused body (413) reads our answer once it is done
                // sending; up to `lingerBytes` in `lingerSeconds`, each stall at most 2 s.
                connection.discardedBytes += count
                if connection.discardedBytes > configuration.lingerBytes { closeConnection(connection); return }
                connection.deadline = min(connection.lingerEnd, monotonicSeconds() + min(2, configuration.headerTimeoutSeconds))
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if count < 0 && errno == EINTR { continue }
            closeConnection(connection)
            return
        }
    }

    func closeConnection(_ connection: HTTPConnection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        unregister(connection.fd)
        Glibc.close(connection.fd)
        connectionCount.store(connections.count, ordering: .relaxed)
        if listenerPaused && listening {
            listenerPaused = false
            register(Self.listenerTag, fd: listenFD, events: EPOLLIN.rawValue)
        }
    }

    func sweepTimeouts(now: Double) {
        for connection in Array(connections.values) where connection.deadline <= now {
            switch connection.state {
            case .readingHead:
                if connection.input.isEmpty {
                    closeConnection(connection)  // idle keep-alive (or silent new connection): no answer
                } else {
                    logger.debug("header timeout", metadata: ["remote": "\(connection.remoteAddress)"])
                    fail(connection, status: 408, reason: "The request head was not received in time.")
                }
            case .readingBody:
                logger.debug("body timeout", metadata: ["remote": "\(connection.remoteAddress)"])
                fail(connection, status: 408, reason: "The request body stalled.")
            case .writing, .closing:
                closeConnection(connection)  // the client stopped reading
            case .waitingForHandler, .waitingForContinue:
                break
            }
        }
        if listenerPaused && listening {
            listenerPaused = false
            register(Self.listenerTag, fd: listenFD, events: EPOLLIN.rawValue)
        }
    }
}

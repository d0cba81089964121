import Glibc
import Testing
@testable import HTTP

/// RFC 9112 §9.3.2: a server MUST send its responses to pipelined requests in the order the
/// requests were received. Requests answered on the event loop (the inline handler) and by
/// workers are mixed here, because the loop must go on to buffered bytes after either.
@Suite(.timeLimit(.minutes(1)))
struct PipeliningTests {
    static let inline: @Sendable (HTTPRequest) -> HTTPResponse? = { request in
        request.path.hasPrefix("/inline") ? HTTPResponse(status: 200, body: Array("inline \(request.path)".utf8)) : nil
    }

    static func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n" }

    /// The text each path is answered with (`LiveServer.echo` for the others).
    static func expected(_ path: String) -> String {
        path.hasPrefix("/inline") ? "inline \(path)" : "GET \(path)"
    }

    static func noDelayClient(port: Int) throws -> TestClient {
        let client = try TestClient(port: port, timeoutSeconds: 3)
        var one: Int32 = 1
        setsockopt(client.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return client
    }

    @Test(arguments: [
        ["/inline1", "/inline2", "/inline3"],
        ["/inline1", "/worker", "/inline2"],
        ["/worker", "/inline1", "/worker2"],
        ["/inline1", "/inline2", "/worker"],
    ])
    func pipelinedRequestsBehindInlineAnswers_areAllAnsweredInOrder(_ paths: [String]) throws {
        let live = try LiveServer(inlineHandler: Self.inline)
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 3)
        client.send(paths.map(Self.get).joined())
        for path in paths {
            #expect(client.readResponse()?.text == Self.expected(path))
        }
    }

    @Test func pipelinedInlineRequestWithABody_isFollowedByTheNextRequest() throws {
        let live = try LiveServer(inlineHandler: Self.inline)
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 3)
        client.send("POST /inline-post HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /inline-chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"
            + Self.get("/after"))
        #expect(client.readResponse()?.text == "inline /inline-post")
        #expect(client.readResponse()?.text == "inline /inline-chunked")
        #expect(client.readResponse()?.text == "GET /after")
    }

    @Test func fiftyPipelinedInlineRequests_getFiftyAnswersInOrder() throws {
        let live = try LiveServer(inlineHandler: Self.inline)
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 3)
        client.send((0..<50).map { Self.get("/inline\($0)") }.joined())
        var inOrder = 0
        while inOrder < 50, client.readResponse()?.text == "inline /inline\(inOrder)" { inOrder += 1 }
        #expect(inOrder == 50)
    }

    @Test func requestsInImmediateSends_areAnswered_evenWhenOneIsSplit() throws {
        let live = try LiveServer(inlineHandler: Self.inline)
        defer { live.stop() }
        let client = try Self.noDelayClient(port: live.port)
        client.send(Self.get("/inline1"))
        client.send(Self.get("/inline2"))
        client.send("GET /inline3 HTTP/1.1\r\nHo")
        client.send("st: t\r\n\r\n")
        for path in ["/inline1", "/inline2", "/inline3"] {
            #expect(client.readResponse()?.text == Self.expected(path))
        }
    }

    @Test func halfClosedClient_stillGetsEveryPipelinedAnswer_thenTheConnectionCloses() throws {
        let live = try LiveServer(inlineHandler: Self.inline)
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 3)
        client.send(Self.get("/inline1") + Self.get("/worker") + Self.get("/inline2"))
        shutdown(client.fd, Int32(SHUT_WR))
        #expect(client.readResponse()?.text == "inline /inline1")
        #expect(client.readResponse()?.text == "GET /worker")
        #expect(client.readResponse()?.text == "inline /inline2")
        #expect(client.isClosedByServer())
    }

    /// SPEC §7: SIGTERM finishes what was received. A request buffered behind one that is with
    /// a worker was received, so it is answered (the last answer says close), then run returns.
    @Test(arguments: ["/inline-after", "/worker-after"])
    func sigterm_answersARequestBufferedBehindTheOneInFlight(_ pipelined: String) throws {
        let live = try LiveServer(inlineHandler: Self.inline, handlesSignals: true)
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 3)
        client.send(Self.get("/slow") + Self.get(pipelined))
        usleep(150_000)  // the slow request is with a worker, the second one is buffered
        live.signalLoopThread(SIGTERM)
        let first = try #require(client.readResponse())
        #expect(first.text == "GET /slow")
        #expect(first.headers["Connection"] == nil)
        let second = try #require(client.readResponse())
        #expect(second.text == Self.expected(pipelined))
        #expect(second.headers["Connection"] == "close")
        #expect(client.isClosedByServer())
        live.stop()  // joins the loop thread: returns only if run() returned
        #expect(live.server.openConnections == 0)
    }
}

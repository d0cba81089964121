import POSIX
import Glibc
import Testing
@testable import HTTP

/// Live tests: a real `HTTPServer` on port 0, spoken to over raw sockets.
@Suite(.timeLimit(.minutes(1)))
struct HTTPServerLiveTests {
    @Test func keepAlive_servesSeveralRequestsOnOneConnection() throws {
        let live = try LiveServer()
        let client = try TestClient(port: live.port)
        for path in ["/one", "/two", "/three"] {
            client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.text == "GET \(path)")
            #expect(response.headers["Connection"] == nil)
            #expect(response.headers["Date"]?.hasSuffix(" GMT") == true)
        }
        #expect(live.server.openConnections == 1)
    }

    @Test func pipelinedRequests_areAnsweredInOrder() throws {
        let live = try LiveServer()
        let client = try TestClient(port: live.port)
        client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz"
            + "GET /c HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.readResponse()?.text == "GET /slow")
        #expect(client.readResponse()?.text == "POST /b xyz")
        #expect(client.readResponse()?.text == "GET /c")
    }

    @Test func http10_closesByDefault_andKeepsAliveWhenAsked() throws {
        let live = try LiveServer()
        let closing = try TestClient(port: live.port)
        closing.send("GET /old HTTP/1.0\r\n\r\n")
        let first = try #require(closing.readResponse())
        #expect(first.status == 200)
        #expect(first.headers["Connection"] == "close")
        #expect(closing.isClosedByServer())

        let persistent = try TestClient(port: live.port)
        persistent.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(persistent.readResponse()?.headers["Connection"] == "keep-alive")
        persistent.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(persistent.readResponse()?.text == "GET /b")
    }

    @Test func connectionClose_isHonoured() throws {
        let live = try LiveServer()
        let client = try TestClient(port: live.port)
        client.send("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(client.readResponse()?.headers["Connection"] == "close")
        #expect(client.isClosedByServer())
    }

    @Test func chunkedRequestBody_reachesTheHandlerDechunked() throws {
        let live = try LiveServer()
        let client = try TestClient(port: live.port)
        client.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n")
        usleep(50_000)
        client.send("6\r\n world\r\n0\r\nX-Trailer: ignored\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.text == "POST /c hello world")
    }

    @Test func head_sendsContentLengthOfGet_butNoBody() throws {
        let live = try LiveServer()
        let client = try TestClient(port: live.port)
        client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        let get = try #require(client.readResponse())
        client.send("HEAD /big HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try #require(client.readResponse(expectBody: false))
        #expect(head.status == 200)
        #expect(head.headers["Content-Length"] == "4000")
        #expect(head.headers["Content-Length"] == get.headers["Content-Length"])
        #expect(!client.hasPendingBytes())
    }

    @Test(arguments: [
        ("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n", 413),
        ("GET /" + String(repeating: "a", count: 300) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "v", count: 600) + "\r\n\r\n", 431),
        ("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/3.0\r\nHost: t\r\n\r\n", 505),
    ])
    func limitsAndBadFraming_areAnsweredWithProblemJSON_andClose(_ request: String, _ status: Int) throws {
        let live = try LiveServer { configuration in
            configuration.maxBodyBytes = 1000
            configuration.maxTargetBytes = 200
            configuration.maxHeaderBytes = 500
        }
        let client = try TestClient(port: live.port)
        client.send(request)
        let response = try #require(client.readResponse())
        #expect(response.status == status)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(response.text.contains("\"status\":\(status)"))
        #expect(response.headers["Connection"] == "close")
        #expect(client.isClosedByServer())
    }

    @Test func chunkedBodyOverLimit_is413() throws {
        let live = try LiveServer { $0.maxBodyBytes = 10 }
        let client = try TestClient(port: live.port)
        client.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n")
        #expect(client.readResponse()?.status == 413)
    }

    @Test func gzip_isUsedWhenAcceptedAndTheBodyIsLarge() throws {
        let live = try LiveServer()
        let client = try TestClient(port: live.port)
        client.send("GET /big HTTP/1.1\r\nHost: t\r\nAccept-Encoding: br, gzip\r\n\r\n")
        let zipped = try #require(client.readResponse())
        #expect(zipped.headers["Content-Encoding"] == "gzip")
        #expect(zipped.headers["Vary"] == "Accept-Encoding")
        #expect(Gzip.decompress(zipped.body).map { $0.count } == 4000)

        client.send("GET /big HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip;q=0\r\n\r\n")
        let refused = try #require(client.readResponse())
        #expect(refused.headers["Content-Encoding"] == nil)
        #expect(refused.body.count == 4000)

        client.send("GET /small HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n")
        #expect(client.readResponse()?.headers["Content-Encoding"] == nil)
    }

    @Test func overConnectionLimit_gets503_andServiceRecoversAfterOthersClose() throws {
        let live = try LiveServer { $0.maxConnections = 2 }
        var first: TestClient? = try TestClient(port: live.port)
        let second = try TestClient(port: live.port)
        first!.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\n")
        second.send("GET /2 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(first!.readResponse()?.status == 200)
        #expect(second.readResponse()?.status == 200)

        let third = try TestClient(port: live.port)
        let rejected = try #require(third.readResponse())
        #expect(rejected.status == 503)
        #expect(rejected.headers["Retry-After"] == "1")
        #expect(third.isClosedByServer())
        // The connections being served are unaffected.
        second.send("GET /still HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(second.readResponse()?.text == "GET /still")

        first = nil
        var recovered: Int?
        for _ in 0..<50 where recovered != 200 {
            usleep(20_000)
            let fourth = try TestClient(port: live.port)
            fourth.send("GET /4 HTTP/1.1\r\nHost: t\r\n\r\n")
            recovered = fourth.readResponse()?.status
        }
        #expect(recovered == 200)
    }

    @Test func slowHeaders_get408_andTheConnectionCloses() throws {
        let live = try LiveServer { $0.headerTimeoutSeconds = 0.5 }
        let client = try TestClient(port: live.port)
        let started = monotonicSeconds()
        client.send("GET / HTTP/1.1\r\nHost: t\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 408)
        #expect(monotonicSeconds() - started < 3)
        #expect(client.isClosedByServer())
    }

    @Test func stalledBody_gets408() throws {
        let live = try LiveServer { $0.bodyTimeoutSeconds = 0.5 }
        let client = try TestClient(port: live.port)
        client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
        #expect(client.readResponse()?.status == 408)
    }

    @Test func idleKeepAliveConnection_isClosedSilently() throws {
        let live = try LiveServer { $0.idleTimeoutSeconds = 0.3 }
        let client = try TestClient(port: live.port)
        client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
        #expect(client.isClosedByServer())
    }

    @Test func clientThatNeverReads_isThrottled_andOthersAreStillServed() throws {
        let live = try LiveServer()
        let hog = try TestClient(port: live.port)
        var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
        setsockopt(hog.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // Pipelined requests for 256 KiB responses, never reading: once the socket buffers are
        // full the server stops reading, so our sends must eventually block.
        let requests = Array(String(repeating: "GET /huge HTTP/1.1\r\nHost: t\r\n\r\n", count: 1000).utf8)
        var sentBytes = 0
        var blocked = false
        while sentBytes < 64 * 1024 * 1024 && !blocked {
            let n = requests.withUnsafeBytes { send(hog.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 { blocked = true } else { sentBytes += n }
        }
        #expect(blocked, "the server kept reading \(sentBytes) bytes from a client that never reads")

        let other = try TestClient(port: live.port)
        other.send("GET /fine HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(other.readResponse()?.text == "GET /fine")
    }

    @Test func invalidHandlerStatus_becomes500() throws {
        let live = try LiveServer()
        let client = try TestClient(port: live.port)
        client.send("GET /invalid-status HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 500)
        #expect(response.headers["Content-Type"] == "application/problem+json")
    }

    @Test func shutdown_drainsAnInFlightSlowRequest_thenRunReturns() throws {
        let live = try LiveServer()
        let busy = try TestClient(port: live.port)
        let idle = try TestClient(port: live.port)
        busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(150_000)  // let the request reach a worker
        live.server.shutdown()
        let response = try #require(busy.readResponse())
        #expect(response.status == 200)
        #expect(response.text == "GET /slow")
        #expect(response.headers["Connection"] == "close")
        #expect(idle.isClosedByServer())
        live.stop()  // joins the loop thread: returns only if run() returned
        #expect(live.server.openConnections == 0)
        #expect((try? TestClient(port: live.port)) == nil)
    }
}

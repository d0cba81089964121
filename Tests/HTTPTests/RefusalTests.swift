import POSIX
import Glibc
import Testing
@testable import HTTP

/// What the server refuses on the wire, and that each refusal reaches the client intact.
@Suite(.timeLimit(.minutes(1)))
struct RefusalTests {
    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", "no Host"),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Hosts"),
        ("GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", "Host list"),
        ("GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n", "Host with space and path"),
        ("GET / HTTP/1.1\r\nHost: user@host\r\n\r\n", "Host with userinfo"),
        ("GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", "fragment in target"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\ngarbage\r\n\r\n", "trailer without colon"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nGET / HTTP/1.1\r\n\r\n", "request line as trailer"),
    ])
    func malformedRequest_is400_andTheConnectionCloses(_ request: String, _ label: String) throws {
        let live = try LiveServer()
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 3)
        client.send(request)
        let response = try #require(client.readResponse(), "\(label): no answer")
        #expect(response.status == 400, "\(label)")
        #expect(response.headers["Connection"] == "close", "\(label)")
        #expect(client.isClosedByServer(), "\(label)")
    }

    /// RFC 9112 §3: a request begins with a method token. A TLS ClientHello (0x16 0x03 0x01) or
    /// a NUL cannot, so the answer comes at once, not after the 10 s header timeout.
    @Test(arguments: [
        [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03] as [UInt8],
        [0x00] as [UInt8],
        Array("GET\u{0}".utf8),
        Array("GET /a\u{0}".utf8),
    ])
    func bytesThatCannotBeginARequest_are400AtOnce(_ bytes: [UInt8]) throws {
        let live = try LiveServer { $0.headerTimeoutSeconds = 10 }
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 5)
        let started = monotonicSeconds()
        client.send(bytes)
        let response = try #require(client.readResponse())
        #expect(response.status == 400)
        #expect(monotonicSeconds() - started < 2, "answered only after \(monotonicSeconds() - started) s")
        #expect(client.isClosedByServer())
    }

    @Test func aRequestLineDrippedByteByByte_isStillAnswered() throws {
        let live = try LiveServer()
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 3)
        var one: Int32 = 1
        setsockopt(client.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        for byte in "GET /drip HTTP/1.1\r\nHost: t\r\n\r\n".utf8 {
            client.send([byte])
            usleep(1000)
        }
        #expect(client.readResponse()?.text == "GET /drip")
    }

    /// Sends `count` filler bytes, or as many as go; how many, and the errno that stopped it.
    static func sendFiller(_ client: TestClient, upTo count: Int) -> (sent: Int, errno: Int32) {
        var sent = 0
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        while sent < count {
            let n = chunk.withUnsafeBytes { Glibc.send(client.fd, $0.baseAddress, min($0.count, count - sent), Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return (sent, errno) }
            sent += n
        }
        return (sent, 0)
    }

    /// RFC 9110 §15.5.14 and RFC 9112 §9.6: a body over the limit gets 413 and close; a client
    /// that sends the whole body before reading (Python's http.client does) still reads it.
    @Test func bodyOverTheLimit_sentWhole_stillReads413() throws {
        let live = try LiveServer { $0.maxBodyBytes = 1024 * 1024 }
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 5)
        let size = 8 * 1024 * 1024
        client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n")
        let (sent, _) = Self.sendFiller(client, upTo: size)
        #expect(sent == size, "the server stopped reading after \(sent) bytes")
        let response = try #require(client.readResponse())
        #expect(response.status == 413)
        #expect(response.headers["Connection"] == "close")
        #expect(client.isClosedByServer())
    }

    @Test func lingering_isBoundedInBytes() throws {
        let live = try LiveServer { $0.maxBodyBytes = 1000; $0.lingerBytes = 256 * 1024 }
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 5)
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n")
        let (sent, failure) = Self.sendFiller(client, upTo: 64 * 1024 * 1024)
        // The server read at most lingerBytes plus what the socket buffers hold, then closed
        // (the send fails with a reset or broken pipe, not a timeout).
        #expect(sent < 32 * 1024 * 1024, "the server kept reading: \(sent) bytes")
        #expect(failure == EPIPE || failure == ECONNRESET, "send stopped with errno \(failure)")
    }

    /// RFC 9110 §10.1.1: with a continue check, a refused request gets its final answer instead
    /// of 100 (and the connection closes: its body was never read); an accepted one gets 100.
    @Test func expectContinue_asksTheCheckBeforeSending100() throws {
        let live = try LiveServer(continueCheck: { request in
            request.headers["Authorization"] == "yes" ? nil : HTTPResponse(status: 401, body: Array("no".utf8))
        })
        defer { live.stop() }
        let refused = try TestClient(port: live.port, timeoutSeconds: 3)
        refused.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let refusal = try #require(refused.readResponse())
        #expect(refusal.status == 401)
        #expect(refusal.text == "no")
        #expect(refusal.headers["Connection"] == "close")
        #expect(refused.isClosedByServer())

        let accepted = try TestClient(port: live.port, timeoutSeconds: 3)
        accepted.send("POST /up HTTP/1.1\r\nHost: t\r\nAuthorization: yes\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(accepted.readResponse()?.status == 100)
        accepted.send("hello")
        let final = try #require(accepted.readResponse())
        #expect(final.status == 200)
        #expect(final.text == "POST /up hello")
        // The connection stays usable.
        accepted.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(accepted.readResponse()?.text == "GET /next")
    }

    @Test func expectContinue_withTheBodyAlreadySent_skipsTheCheck() throws {
        let live = try LiveServer(continueCheck: { _ in HTTPResponse(status: 401) })
        defer { live.stop() }
        let client = try TestClient(port: live.port, timeoutSeconds: 3)
        client.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi")
        // The handler decides on the whole request; no 100 is sent for a body already here.
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(response.text == "POST /up hi")
    }
}

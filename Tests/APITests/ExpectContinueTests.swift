import API
import Glibc
import Testing

/// RFC 9110 §10.1.1 with the real application: the route and the token are checked before the
/// client is asked for the body, so a refused upload is never sent.
@Suite(.timeLimit(.minutes(1)))
struct ExpectContinueTests {
    static let body = #"{"id":"t-expect","name":"Team Expect"}"#

    /// A keep-alive socket that sends the head of a POST with `Expect: 100-continue`.
    final class Upload {
        let fd: Int32
        private var received: [UInt8] = []

        init(port: Int, target: String, token: String?) throws {
            fd = try RawHTTP.connectedSocket(port: port, timeoutSeconds: 5)
            var head = "POST \(target) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            if let token { head += "Authorization: Bearer \(token)\r\n" }
            head += "Content-Length: \(ExpectContinueTests.body.utf8.count)\r\nExpect: 100-continue\r\n\r\n"
            write(head)
        }

        deinit { close(fd) }

        func write(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        /// Everything received until `marker` appears (or the timeout / close).
        func read(until marker: String) -> String {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while !String(decoding: received, as: UTF8.self).contains(marker) {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { break }
                received += chunk[0..<n]
            }
            defer { received = [] }
            return String(decoding: received, as: UTF8.self)
        }
    }

    @Test func refusedUploads_getTheirAnswerWithout100_andClose() throws {
        try withServer { s in
            let manager = try s.token("manager", .manager)
            let admin = try s.token("admin", .admin)
            for (target, token, status) in [("/v1/teams", nil, 401), ("/v1/teams", "not-a-token", 401),
                                            ("/v1/teams", manager, 403), ("/v1/nope", admin, 404)] as [(String, String?, Int)] {
                let upload = try Upload(port: s.port, target: target, token: token)
                let answer = upload.read(until: "}")
                #expect(answer.hasPrefix("HTTP/1.1 \(status) "), "\(target) \(token ?? "-"): \(answer.prefix(60))")
                #expect(!answer.contains("100 Continue"))
                #expect(answer.contains("Connection: close"))
            }
            let teams = try s.expect(s.get("/v1/teams", token: admin), 200)
            #expect(teams.items.isEmpty, "a refused upload created \(teams.items)")
        }
    }

    @Test func anAcceptedUpload_gets100_thenItsAnswer() throws {
        try withServer { s in
            let admin = try s.token("admin", .admin)
            let upload = try Upload(port: s.port, target: "/v1/teams", token: admin)
            #expect(upload.read(until: "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
            upload.write(Self.body)
            let answer = upload.read(until: "}")
            #expect(answer.hasPrefix("HTTP/1.1 201 "), "\(answer.prefix(80))")
            #expect(answer.contains("\"id\":\"t-expect\""))
            let teams = try s.expect(s.get("/v1/teams", token: admin), 200)
            #expect(teams.items.map { $0["id"]?.stringValue } == ["t-expect"])
        }
    }
}

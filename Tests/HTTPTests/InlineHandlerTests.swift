import Glibc
import Testing
@testable import HTTP

/// Requests the inline handler answers never wait for a worker (health stays quick while
/// every worker is busy with slow database work); the rest still go to the workers.
struct InlineHandlerTests {
    @Test func inlineAnswers_comeWhileEveryWorkerIsBusy_andOtherRequestsStillReachWorkers() throws {
        let live = try LiveServer({ $0.workerThreads = 1 }, inlineHandler: { request in
            request.path == "/inline" ? HTTPResponse(status: 200, body: Array("inline".utf8)) : nil
        })
        defer { live.stop() }
        let busy = try TestClient(port: live.port)
        busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")   // occupies the only worker for 600 ms
        usleep(50_000)
        let quick = try TestClient(port: live.port)
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        quick.send("GET /inline HTTP/1.1\r\nHost: a\r\n\r\n")
        let answer = try #require(quick.readResponse())
        clock_gettime(CLOCK_MONOTONIC, &end)
        let ms = Double(end.tv_sec - start.tv_sec) * 1000 + Double(end.tv_nsec - start.tv_nsec) / 1e6
        #expect(answer.status == 200 && answer.text == "inline")
        #expect(ms < 300, "the inline answer waited \(ms) ms for the busy worker")
        #expect(answer.headers["Date"] != nil && answer.headers["Content-Length"] == "6")
        let slow = try #require(busy.readResponse())
        #expect(slow.status == 200 && slow.text.hasPrefix("GET /slow"))
    }
}

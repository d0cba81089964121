import Foundation
import Glibc
import Logging
import Testing
@testable import Log

/// A pipe whose write end a handler logs to; `finish()` closes it and answers everything written.
final class CapturedOutput {
    let readEnd: Int32
    private(set) var writeEnd: Int32

    init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    func makeLogger(format: LogFormat, level: Logger.Level, provider: Logger.MetadataProvider? = nil) -> Logger {
        let fd = writeEnd
        return Logger(label: "continuity") { label in
            StderrLogHandler(label: label, format: format, level: level, metadataProvider: provider, fileDescriptor: fd)
        }
    }

    func finish() -> [String] {
        close(writeEnd)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        close(readEnd)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

@Suite struct StderrLogHandlerOutput {
    @Test func writesOneLinePerRecordAtOrAboveTheLevel() {
        let output = CapturedOutput()
        let logger = output.makeLogger(format: .plain, level: .info)
        logger.debug("hidden")
        logger.info("shown", metadata: ["status": "200"])
        logger.error("also shown")
        let lines = output.finish()
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix(" info continuity: shown status=200") == true, "\(lines)")
        #expect(lines.last?.hasSuffix(" error continuity: also shown") == true)
        #expect(lines.first?.count == 24 + " info continuity: shown status=200".count)
    }

    @Test func mergesHandlerProviderAndCallMetadataWithTheCallWinning() throws {
        let output = CapturedOutput()
        let provider = Logger.MetadataProvider { ["request_id": "r-1", "route": "provider"] }
        var logger = output.makeLogger(format: .json, level: .trace, provider: provider)
        logger[metadataKey: "route"] = "handler"
        logger[metadataKey: "method"] = "GET"
        logger.notice("done", metadata: ["status": "201", "request_id": "r-2"])
        let lines = output.finish()
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["method"] as? String == "GET")
        #expect(object["route"] as? String == "provider")
        #expect(object["request_id"] as? String == "r-2")
        #expect(object["status"] as? String == "201")
        #expect(object["level"] as? String == "notice")
    }

    @Test func handlerMetadataAndLevelAreValues() {
        var first = StderrLogHandler(label: "a", format: .plain, level: .info)
        first[metadataKey: "k"] = "1"
        var second = first
        second.logLevel = .error
        second[metadataKey: "k"] = "2"
        #expect(first.logLevel == .info)
        #expect(first[metadataKey: "k"] == "1")
        #expect(second[metadataKey: "k"] == "2")
    }

    @Test func linesFromManyThreadsNeverInterleave() async throws {
        let output = CapturedOutput()
        let logger = output.makeLogger(format: .json, level: .info)
        // 8 × 40 lines of ~150 bytes stay below the pipe's 64 KiB, so nobody blocks.
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<40 {
                        logger.info("request \(index)", metadata: ["worker": "\(worker)", "pad": "\(String(repeating: "x", count: 40))"])
                    }
                }
            }
        }
        let lines = output.finish()
        #expect(lines.count == 320)
        var seen = Set<String>()
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            seen.insert("\(object["worker"] ?? "?")/\(object["msg"] ?? "?")")
        }
        #expect(seen.count == 320)
    }
}

import Foundation
import Logging
import Testing
@testable import Log

let timestamp = "2026-11-23T10:00:00.123Z"

func makeLine(
    _ format: LogFormat, level: Logger.Level = .info, label: String = "continuity",
    message: String = "message", metadata: Logger.Metadata = [:]
) -> String {
    LogLine.format(format, timestamp: timestamp, level: level, label: label, message: message, metadata: metadata)
}

/// Parses one JSON line strictly: exactly one newline, at the end, and a top-level object.
func parseJSONLine(_ line: String) throws -> [String: Any] {
    #expect(line.hasSuffix("\n"))
    #expect(line.filter { $0 == "\n" }.count == 1, "a record must be exactly one line")
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [])
    return try #require(object as? [String: Any])
}

@Suite struct PlainLines {
    @Test func matchTheDocumentedShape() {
        let line = makeLine(.plain, message: "message", metadata: ["key2": "value2", "key": "value"])
        #expect(line == "2026-11-23T10:00:00.123Z info continuity: message key=value key2=value2\n")
    }

    @Test func withoutMetadataEndAfterTheMessage() {
        #expect(makeLine(.plain, level: .warning, message: "disk low") == "2026-11-23T10:00:00.123Z warning continuity: disk low\n")
    }

    @Test func escapeNewlinesInMessagesSoARecordStaysOneLine() {
        let line = makeLine(.plain, message: "first\nsecond\r\tthird \"quoted\"\u{1B}")
        #expect(line == "2026-11-23T10:00:00.123Z info continuity: first\\nsecond\\r\\tthird \"quoted\"\\u001B\n")
    }

    /// (metadata value, how it is written)
    @Test(arguments: [
        ("plain", "plain"),
        ("two words", "\"two words\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("a=b", "\"a=b\""),
        ("line\nbreak", "\"line\\nbreak\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("", "\"\""),
        ("héllo→😀", "héllo→😀"),
    ])
    func quoteMetadataValuesThatWouldBeAmbiguous(value: String, written: String) {
        let line = makeLine(.plain, message: "m", metadata: ["k": .string(value)])
        #expect(line == "2026-11-23T10:00:00.123Z info continuity: m k=\(written)\n")
    }

    @Test func showNestedMetadataAsCompactJSON() {
        let line = makeLine(.plain, message: "m", metadata: ["list": ["a", "b c"], "map": ["z": "1", "a": "2"], "n": .stringConvertible(42)])
        #expect(line == "2026-11-23T10:00:00.123Z info continuity: m list=\"[\\\"a\\\",\\\"b c\\\"]\" map=\"{\\\"a\\\":\\\"2\\\",\\\"z\\\":\\\"1\\\"}\" n=42\n")
    }
}

@Suite struct JSONLines {
    @Test func matchTheDocumentedShape() {
        let line = makeLine(.json, message: "message", metadata: ["key": "value"])
        #expect(line == #"{"ts":"2026-11-23T10:00:00.123Z","level":"info","label":"continuity","msg":"message","key":"value"}"# + "\n")
    }

    @Test func escapeQuotesBackslashesAndControlCharactersStrictly() throws {
        let message = "he said \"no\"\nthen \\left\t\u{01}\u{08}\u{0C}\r é😀 \u{2028}"
        let value = "multi\nline \"value\" \\ \u{1F}"
        let line = makeLine(.json, message: message, metadata: ["note": .string(value), "quote\"key": "x"])
        let object = try parseJSONLine(line)
        #expect(object["msg"] as? String == message)
        #expect(object["note"] as? String == value)
        #expect(object["quote\"key"] as? String == "x")
        #expect(line.contains(#"\u0001"#) && line.contains(#"\b"#) && line.contains(#"\f"#) && line.contains(#"\u001F"#))
    }

    @Test(arguments: Logger.Level.allCases)
    func carryEveryLevelByItsSwiftLogName(level: Logger.Level) throws {
        let object = try parseJSONLine(makeLine(.json, level: level))
        #expect(object["level"] as? String == level.rawValue)
        #expect(object["ts"] as? String == timestamp)
        #expect(object["label"] as? String == "continuity")
    }

    @Test func renameMetadataThatCollidesWithRecordFields() throws {
        let line = makeLine(.json, message: "real", metadata: ["msg": "fake", "_msg": "other", "level": "fake"])
        let object = try parseJSONLine(line)
        #expect(object["msg"] as? String == "real")
        #expect(object["level"] as? String == "info")
        #expect(object["_msg"] as? String == "other")
        #expect(object["__msg"] as? String == "fake")
        #expect(object["_level"] as? String == "fake")
        #expect(object.count == 7)
    }

    @Test func writeNestedMetadataAsJSONArraysAndObjects() throws {
        let line = makeLine(.json, metadata: ["list": ["a", ["b": "c"]], "count": .stringConvertible(3)])
        let object = try parseJSONLine(line)
        let list = try #require(object["list"] as? [Any])
        #expect(list.first as? String == "a")
        #expect((list.last as? [String: Any])?["b"] as? String == "c")
        #expect((object["count"] as? NSNumber)?.intValue == 3)
        #expect(line.contains(#""count":3"#))
    }
}

@Suite struct Timestamps {
    /// (seconds since the epoch, nanoseconds, text)
    @Test(arguments: [
        (0, 0, "1970-01-01T00:00:00.000Z"),
        (1_795_428_000, 123_456_789, "2026-11-23T10:00:00.123Z"),
        (1_709_251_199, 999_999_999, "2024-02-29T23:59:59.999Z"),
        (946_684_800, 5_000_000, "2000-01-01T00:00:00.005Z"),
        (2_147_483_648, 0, "2038-01-19T03:14:08.000Z"),
    ])
    func formatAsRFC3339UTCWithMilliseconds(seconds: Int, nanoseconds: Int, text: String) {
        #expect(LogTimestamp.format(seconds: seconds, nanoseconds: nanoseconds) == text)
    }

    @Test func nowIsTheCurrentUTCTime() {
        let now = LogTimestamp.now()
        let expected = LogTimestamp.format(seconds: Int(Date().timeIntervalSince1970), nanoseconds: 0)
        #expect(now.count == 24 && now.hasSuffix("Z"))
        #expect(now.prefix(16) == expected.prefix(16), "\(now) vs \(expected)")   // same minute
    }
}

@Suite struct LogLevelNames {
    @Test(arguments: [
        ("trace", Logger.Level.trace), ("debug", .debug), ("info", .info), ("notice", .notice),
        ("warning", .warning), ("warn", .warning), ("error", .error), ("critical", .critical),
        ("INFO", .info), (" Debug ", .debug),
    ])
    func parseSwiftLogNames(text: String, level: Logger.Level) {
        #expect(parseLogLevel(text) == level)
    }

    @Test(arguments: ["", "verbose", "fatal", "in fo"])
    func rejectUnknownNames(text: String) {
        #expect(parseLogLevel(text) == nil)
    }
}

/// SPEC §7 logs are read by machines: numbers must be JSON numbers, not strings.
@Suite struct JSONNumbersInLines {
    @Test func numbersAndBooleansGivenAsValuesAreWrittenBare() throws {
        let line = makeLine(.json, metadata: [
            "status": .stringConvertible(200), "duration_ms": .stringConvertible(1.5),
            "bytes": .stringConvertible(UInt64(1 << 40)), "negative": .stringConvertible(-3),
            "cached": .stringConvertible(true), "tiny": .stringConvertible(0.00001),
        ])
        #expect(line.contains(#""status":200"#) && line.contains(#""duration_ms":1.5"#) && line.contains(#""cached":true"#))
        let object = try parseJSONLine(line)
        #expect((object["status"] as? NSNumber)?.intValue == 200)
        #expect((object["bytes"] as? NSNumber)?.int64Value == 1 << 40)
        #expect((object["negative"] as? NSNumber)?.intValue == -3)
        #expect((object["tiny"] as? NSNumber)?.doubleValue == 0.00001)
        #expect(object["cached"] as? Bool == true)
    }

    @Test func textThatLooksLikeANumberStaysText() throws {
        let object = try parseJSONLine(makeLine(.json, metadata: ["zip": "01234", "version": .string("2")]))
        #expect(object["zip"] as? String == "01234")
        #expect(object["version"] as? String == "2")
    }

    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan])
    func nonFiniteNumbersBecomeStringsSoTheLineStaysJSON(value: Double) throws {
        let object = try parseJSONLine(makeLine(.json, metadata: ["x": .stringConvertible(value)]))
        #expect(object["x"] as? String == value.description)
    }

    @Test func plainLinesShowNumbersAsBefore() {
        #expect(makeLine(.plain, message: "m", metadata: ["status": .stringConvertible(404)]).hasSuffix(" m status=404\n"))
    }
}

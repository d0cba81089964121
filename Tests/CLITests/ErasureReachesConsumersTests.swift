import Foundation
import SQLite
import Testing

/// SPEC §3: erasing a client deletes its events and appends one `erased` event, so a consumer
/// that exported the client's `raised` events learns to delete them; the erased event itself is
/// removed once every registered consumer has passed it.
@Suite(.serialized)
struct ErasureReachesConsumersTests {
    static func lines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    @Test func purgeAppendsOneErasedEventPerClientThatExportReachesThenPrunes() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--clients", "40", "--seed", "5"]).status == 0)
        func out(_ n: Int) -> String { cli.folder.appendingPathComponent("alerts-\(n).ndjson").path }

        let first = try cli.run(["export-alerts", "--consumer", "ggd", "--out", out(1)])
        #expect(first.status == 0, "\(first.stderr)")
        let exported = try Self.lines(out(1))
        // Two clients the consumer now holds raised events of; their cases end in 2020 (the
        // test's setup, written with SQL because no route closes a case before it opened).
        let victims = Array(Set(exported.filter { $0["event"] as? String == "raised" }.map { $0["client_id"] as! String }).sorted().prefix(2))
        #expect(victims.count == 2)
        let db = try Connection(path: cli.database)
        for v in victims { try db.run("UPDATE clients SET closed_on = '2020-01-01' WHERE id = ?", [.text(v)]) }
        db.close()

        let purge = try cli.run(["purge", "--closed-before", "2020-01-02"])
        #expect(purge.status == 0, "\(purge.stderr)")

        // The consumer's next export holds exactly one erased event per erased client.
        let second = try cli.run(["export-alerts", "--consumer", "ggd", "--out", out(2)])
        #expect(second.status == 0, "\(second.stderr)")
        let erased = try Self.lines(out(2)).filter { $0["event"] as? String == "erased" }
        #expect(Set(erased.map { $0["client_id"] as! String }) == Set(victims))
        #expect(erased.count == victims.count)
        for e in erased {
            #expect(e["alert_id"] is NSNull && e["flag"] is NSNull && e["evidence"] is NSNull, "\(e)")
            #expect(e["team_id"] is String && e["on"] is String && e["seq"] is NSNumber)
        }
        let maxFirst = exported.map { ($0["seq"] as! NSNumber).intValue }.max()!
        #expect(erased.allSatisfy { ($0["seq"] as! NSNumber).intValue > maxFirst })

        // Every registered consumer has passed them: they are gone, and with them the last
        // bytes of the erased clients' ids in the database files.
        let check = try Connection(path: cli.database)
        defer { check.close() }
        #expect(try check.queryOne("SELECT COUNT(*) FROM alert_events WHERE event = 'erased'")?.int(0) == 0)
        for v in victims {
            #expect(try check.queryOne("SELECT COUNT(*) FROM alert_events WHERE client_id = ?", [.text(v)])?.int(0) == 0)
            let needle = Data("\"\(v)\"".utf8.dropFirst().dropLast())
            for suffix in ["", "-wal"] {
                #expect(Self.bytes(cli.database + suffix).range(of: needle) == nil, "\(v) still in c.sqlite\(suffix)")
            }
        }
    }

    @Test func aSecondConsumerThatHasNotExportedKeepsTheErasedEventUntilItHas() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--clients", "30", "--seed", "9"]).status == 0)
        func out(_ n: Int) -> String { cli.folder.appendingPathComponent("alerts-\(n).ndjson").path }
        #expect(try cli.run(["export-alerts", "--consumer", "a", "--out", out(1)]).status == 0)
        #expect(try cli.run(["export-alerts", "--consumer", "b", "--out", out(2)]).status == 0)
        let victim = try Self.lines(out(1)).first { $0["event"] as? String == "raised" }!["client_id"] as! String
        let db = try Connection(path: cli.database)
        try db.run("UPDATE clients SET closed_on = '2020-01-01' WHERE id = ?", [.text(victim)])
        db.close()
        #expect(try cli.run(["purge", "--closed-before", "2020-01-02"]).status == 0)

        #expect(try cli.run(["export-alerts", "--consumer", "a", "--out", out(3)]).status == 0)
        func erasedRows() throws -> Int {
            let c = try Connection(path: cli.database)
            defer { c.close() }
            return try c.queryOne("SELECT COUNT(*) FROM alert_events WHERE event = 'erased'")?.int(0) ?? -1
        }
        #expect(try erasedRows() == 1, "b has not passed it yet")
        #expect(try cli.run(["export-alerts", "--consumer", "b", "--out", out(4)]).status == 0)
        #expect(try Self.lines(out(4)).contains { $0["event"] as? String == "erased" && $0["client_id"] as? String == victim })
        #expect(try erasedRows() == 0)
    }
}

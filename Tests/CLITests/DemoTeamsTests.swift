import Foundation
import Testing

/// `continuity demo` names the teams it made, so a newcomer does not have to guess the
/// `--team` of the README's next command (issue 11).
@Suite struct DemoTeamsTests {
    @Test func theDemoPrintsItsTeamIds_andEachOneWorksForTheReport() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let demo = try cli.run(["demo", "--clients", "60", "--seed", "2"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let line = try #require(demo.stdout.split(separator: "\n").first { $0.hasPrefix("teams: ") })
        // "teams: team-noord (Wijkteam Noord), team-zuid (…)": the ids before each " (".
        let ids = line.dropFirst("teams: ".count).components(separatedBy: "), ").compactMap { $0.components(separatedBy: " (").first }
        #expect(!ids.isEmpty)
        #expect(ids.allSatisfy { $0.hasPrefix("team-") }, "\(ids)")
        for id in ids {
            let report = try cli.run(["report", "--team", id, "--format", "json"])
            #expect(report.status == 0, "report --team \(id): \(report.stderr)")
            #expect(report.stdout.contains("\"team_id\":\"\(id)\""))
        }
        #expect(try cli.run(["report", "--team", "team-nergens", "--format", "json"]).status != 0)
    }
}

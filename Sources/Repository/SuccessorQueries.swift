import Continuity
import SQLite

/// The SQL behind successor advice: a team's professionals and their caseloads.
public enum SuccessorQueries {
    public static func pool(_ db: Connection, teamID: String, asOf d: LocalDate) throws -> SuccessorPool {
        let professionals = try db.fetchAll("professionals", "SELECT \(Columns.professional) FROM professionals WHERE team_id = ? ORDER BY id",
                                            [.text(teamID)], Professional.init)
        return SuccessorPool(professionals: professionals, openCases: try openCases(db, teamID: teamID, asOf: d))
    }

    /// Open cases as primary as of D of each professional of the team, counting clients of any
    /// team: clients open on D whose latest assignment with from ≤ D (ties: the later seq) is
    /// to that professional — `primary_professional_id` of SPEC §2.
    public static func openCases(_ db: Connection, teamID: String, asOf d: LocalDate) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for (id, n) in try db.fetchAll("primary_assignments", key: "professional_id", """
            SELECT a.professional_id, COUNT(*) AS open_cases FROM professionals p
            JOIN primary_assignments a ON a.professional_id = p.id
            JOIN clients c ON c.team_id = a.team_id AND c.id = a.client_id
            WHERE p.team_id = ?2 AND a.from_date <= ?1
              AND c.opened_on <= ?1 AND (c.closed_on IS NULL OR c.closed_on > ?1)
              AND NOT EXISTS (SELECT 1 FROM primary_assignments b WHERE b.team_id = a.team_id AND b.client_id = a.client_id AND b.from_date <= ?1
                              AND (b.from_date > a.from_date OR (b.from_date = a.from_date AND b.seq > a.seq)))
            GROUP BY a.professional_id
            """, [.text(d.iso), .text(teamID)], { (try $0.text("professional_id"), try $0.int("open_cases")) }) {
            out[id] = n
        }
        return out
    }
}

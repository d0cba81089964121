import Continuity
import Repository
import SQLite
import TestSupport
import Testing

/// The repository on a temporary SQLite file, without HTTP or the store: SQL <-> domain values.
@Suite struct RepositoryTests {
    /// A migrated database file in a fresh folder.
    func withDatabase(_ body: (Connection) throws -> Void) throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/r.sqlite")
            defer { db.close() }
            _ = try Migrator.migrate(db, Migrator.embedded)
            try body(db)
        }
    }

    static let opened = LocalDate(iso: "2026-01-05")!

    func seed(_ db: Connection) throws {
        try Records.insert(db, Team(id: "A", name: "Wijkteam A"))
        try Records.insert(db, Team(id: "B", name: "Wijkteam B"))
        try Records.insert(db, Professional(id: "p1", name: "Anna", teamID: "A", discipline: "sw", employment: .agency,
                                            startedOn: LocalDate(iso: "2024-02-01")!, endedOn: LocalDate(iso: "2026-12-31")!))
        try Records.insert(db, Professional(id: "p2", name: "Bram", teamID: "A", discipline: "sw", employment: .permanent,
                                            startedOn: LocalDate(iso: "2020-01-01")!))
        try Records.insert(db, Client(id: "c1", externalRef: "ZK-1", teamID: "A", openedOn: Self.opened))
        try Records.insert(db, Client(id: "c2", externalRef: "ZK-2", teamID: "B", openedOn: Self.opened,
                                      closedOn: LocalDate(iso: "2026-03-01")!))
    }

    @Test func everyEntityReadsBackAsWritten() throws {
        try withDatabase { db in
            try seed(db)
            let contact = Contact(id: "k1", clientID: "c1", professionalID: "p1", participants: ["p2"],
                                  occurredAt: Instant(rfc3339: "2026-02-03T09:30:00.25+01:00")!,
                                  occurredAtText: "2026-02-03T09:30:00.25+01:00", mode: .homeVisit, status: .noShow,
                                  durationMinutes: 45)
            try Records.insert(db, contact, team: "A")
            let referral = Referral(id: "r1", clientID: "c1", referredOn: LocalDate(iso: "2026-02-04")!, fromProfessionalID: "p1",
                                    to: "Schuldhulp", toProfessionalID: "p2", warmHandover: true, status: .accepted,
                                    statusOn: LocalDate(iso: "2026-02-10")!)
            try Records.insert(db, referral, team: "A")
            let seq = try Records.insert(db, PrimaryAssignment(clientID: "c1", professionalID: nil, from: Self.opened, reason: .clientRequest),
                                         team: "A")

            #expect(try Records.contact(db, team: "A", id: "k1") == contact)
            #expect(try Records.contact(db, team: "B", id: "k1") == nil)
            #expect(try Records.referral(db, team: "A", id: "r1") == referral)
            #expect(try Records.professional(db, "p1")?.endedOn == LocalDate(iso: "2026-12-31"))
            #expect(try Records.professional(db, "p1")?.employment == .agency)
            #expect(try Records.client(db, ClientKey(teamID: "B", id: "c2"))?.closedOn == LocalDate(iso: "2026-03-01"))
            #expect(try Records.assignments(db, client: ClientKey(teamID: "A", id: "c1"))
                    == [PrimaryAssignment(clientID: "c1", professionalID: nil, from: Self.opened, reason: .clientRequest, sequence: seq)])
            let history = try Records.history(db, client: try #require(try Records.client(db, ClientKey(teamID: "A", id: "c1"))))
            #expect(history.contacts == [contact])
            #expect(history.referrals == [referral])
            #expect(Set(history.professionals.keys) == ["p1", "p2"])
        }
    }

    @Test func listsKeepToTheTeamAndCursorTheyAreGiven() throws {
        try withDatabase { db in
            try seed(db)
            let start = ClientKey(teamID: "", id: "")
            #expect(try Records.clients(db, team: "A", teamID: nil, flag: nil, externalRef: nil, after: start, limit: 10).map(\.id) == ["c1"])
            #expect(try Records.clients(db, team: nil, teamID: nil, flag: nil, externalRef: nil, after: ClientKey(teamID: "A", id: "c1"),
                                        limit: 10).map(\.id) == ["c2"])
            #expect(try Records.clients(db, team: "A", teamID: "B", flag: nil, externalRef: nil, after: start, limit: 10).isEmpty)
            #expect(try Records.clients(db, team: nil, teamID: nil, flag: nil, externalRef: "ZK-2", after: start, limit: 10).map(\.id) == ["c2"])
            #expect(try Records.referrals(db, id: "nope", team: nil).isEmpty)
            #expect(try Records.clientsClosed(db, before: LocalDate(iso: "2026-03-02")!) == [ClientKey(teamID: "B", id: "c2")])
            #expect(try Records.clientsClosed(db, before: LocalDate(iso: "2026-03-01")!) == [])
        }
    }

    @Test func aStoredValueThatDoesNotDecodeIsAnErrorNamingTableColumnAndRow() throws {
        try withDatabase { db in
            try seed(db)
            try db.run("UPDATE professionals SET started_on = '2024-02-30' WHERE id = 'p1'")
            #expect(throws: RowDecodingError(table: "professionals", column: "started_on", key: "p1", problem: "is not a date YYYY-MM-DD")) {
                try Records.professional(db, "p1")
            }
            try db.run("UPDATE clients SET external_ref = 12 WHERE id = 'c1'")   // TEXT affinity keeps '12' as text
            #expect(try Records.client(db, ClientKey(teamID: "A", id: "c1"))?.externalRef == "12")
            try db.run("UPDATE clients SET closed_on = x'00' WHERE id = 'c1'")
            #expect(throws: RowDecodingError(table: "clients", column: "closed_on", key: "c1", problem: "holds a blob where text is expected")) {
                try Records.client(db, ClientKey(teamID: "A", id: "c1"))
            }
        }
    }

    @Test func erasureLeavesOnlyTheErasedEvent() throws {
        try withDatabase { db in
            try seed(db)
            let client = try #require(try Records.client(db, ClientKey(teamID: "A", id: "c1")))
            try Records.insert(db, Contact(id: "k1", clientID: "c1", professionalID: "p1", occurredAt: Instant(rfc3339: "2026-02-03T09:30:00Z")!,
                                           mode: .phone), team: "A")
            try Records.raise(db, .longGap, client: client, on: LocalDate(iso: "2026-03-10")!, evidence: "Al 64 dagen geen contact")
            try Records.appendAudit(db, at: Instant(rfc3339: "2026-03-10T08:00:00Z")!, tokenName: "t", action: "client.read",
                                    client: client.key, requestID: "r")
            try Records.eraseRows(db, client, on: LocalDate(iso: "2026-03-11")!)
            #expect(try Records.client(db, client.key) == nil)
            #expect(try Records.contact(db, team: "A", id: "k1") == nil)
            #expect(try Records.openAlerts(db, client: client.key) == [])
            #expect(try Records.auditEntries(db, clientID: "c1", teamID: nil, after: 0, limit: 10) == [])
            let events = try Records.alertEvents(db, team: nil, after: 0, limit: 10)
            #expect(events.map(\.event) == ["erased"])
            #expect(events.first?.clientID == "c1" && events.first?.flag == nil && events.first?.evidence == nil)
        }
    }
}

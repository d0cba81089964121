import Continuity
import Repository
import SQLite

// `continuity import contacts` (SPEC §5): contacts, and the clients and professionals they
// name if missing, in one write transaction. Every check that needs the database happens
// inside that write, so what is checked is what is loaded.

/// One parsed line of an import: the contact, and what to create if its client or lead
/// professional does not exist yet.
public struct ImportRow: Sendable {
    public var line: Int
    public var contact: Contact
    /// Created when `contact.clientID` does not exist; when given for an existing client it
    /// must match it.
    public var client: Client?
    /// Likewise for the lead professional (`contact.professionalID`).
    public var professional: Professional?
    /// The client's team when the row names it without the rest of a client to create (ids
    /// are unique per team: needed where two teams use the client's id).
    public var clientTeamID: String?

    public init(line: Int, contact: Contact, client: Client? = nil, professional: Professional? = nil, clientTeamID: String? = nil) {
        self.line = line; self.contact = contact; self.client = client; self.professional = professional
        self.clientTeamID = clientTeamID ?? client?.teamID
    }
}

/// A bad row: its line, the column at fault, and what is wrong.
public struct ImportProblem: Sendable, Equatable {
    public var line: Int
    public var column: String
    public var detail: String
    public init(line: Int, column: String, detail: String) {
        self.line = line; self.column = column; self.detail = detail
    }
}

public enum ImportMode: Sendable {
    /// Load everything, or nothing if any row is bad.
    case allOrNothing
    /// Load the good rows, report the bad ones.
    case skipBad
    /// Check every row against the database, load nothing.
    case checkOnly
}

public struct ImportOutcome: Sendable {
    /// True when the rows were committed (false: nothing was loaded).
    public var committed = false
    public var contactsLoaded = 0
    /// Rows whose contact was stored before with the same body (a re-import).
    public var alreadyLoaded = 0
    public var clientsCreated = 0
    public var professionalsCreated = 0
    public var problems: [ImportProblem] = []
    /// Lines with at least one problem.
    public var badLines: Set<Int> { Set(problems.map(\.line)) }
    public init() {}
}

extension Store {
    /// `progress(rows done, rows)` is called on the writer thread as rows are checked and loaded.
    public func importContacts(_ rows: [ImportRow], mode: ImportMode, actor: Actor,
                               progress: @escaping (Int, Int) -> Void = { _, _ in }) throws -> ImportOutcome {
        let at = now(), today = self.today
        let settings = self.settings
        do {
            return try database.write { db in
                var out = ImportOutcome()
                var firstLine: [ClientKey: Int] = [:]         // (team, contact id) -> line that named it
                var perClient: [ClientKey: Int] = [:]         // contacts loaded per client, in order
                var touchedOrder: [ClientKey] = []

                for (done, row) in rows.enumerated() {
                    progress(done, rows.count)
                    var problems: [ImportProblem] = []
                    func bad(_ column: String, _ detail: String) {
                        problems.append(ImportProblem(line: row.line, column: column, detail: detail))
                    }
                    let c = row.contact

                    // The client: stored (perhaps by an earlier line of this file), or to create
                    // now. Ids are unique per team: the row's team, when it names one, says which.
                    var newClient: Client?
                    var theClient: Client?
                    let named: [Client]
                    if let team = row.clientTeamID {
                        named = try Records.client(db, ClientKey(teamID: team, id: c.clientID)).map { [$0] } ?? []
                    } else {
                        named = try Records.clients(db, id: c.clientID, team: nil)
                    }
                    if named.count > 1 {
                        bad("client_team_id", "client '\(c.clientID)' is in more than one team: name its team in client_team_id")
                    } else if let existing = named.first {
                        theClient = existing
                        if let given = row.client {
                            for (column, differs) in [("client_external_ref", given.externalRef != existing.externalRef),
                                                      ("client_opened_on", given.openedOn != existing.openedOn)] where differs {
                                bad(column, "client '\(c.clientID)' exists with a different value")
                            }
                        }
                    } else if let given = row.client {
                        if try Records.team(db, given.teamID) == nil {
                            bad("client_team_id", "no team with id '\(given.teamID)'")
                        } else {
                            newClient = given
                            theClient = given
                        }
                    } else if let team = row.clientTeamID {
                        bad("client_id", "no client with id '\(c.clientID)' in team '\(team)' (give client_external_ref and client_opened_on to create it)")
                    } else {
                        bad("client_id", "no client with id '\(c.clientID)' (give client_team_id, client_external_ref and client_opened_on to create it)")
                    }

                    // The contact's id is unique in its client's team.
                    if let theClient {
                        let key = ClientKey(teamID: theClient.teamID, id: c.id)
                        if let earlier = firstLine[key] {
                            bad("id", "contact '\(c.id)' is on line \(earlier) already")
                            out.problems += problems
                            continue
                        }
                        firstLine[key] = row.line
                        // A deleted contact's id stays taken in its team (as for POST /v1/contacts).
                        if try !Records.deletedContacts(db, id: c.id, team: theClient.teamID).isEmpty {
                            bad("id", "a contact with this id was deleted: load it under a new id")
                            out.problems += problems
                            continue
                        }
                        if let existing = try Records.contact(db, team: theClient.teamID, id: c.id) {
                            if existing == c && problems.isEmpty { out.alreadyLoaded += 1 } else if existing != c {
                                bad("id", "a contact with this id exists with a different body")
                            }
                            out.problems += problems
                            continue
                        }
                    }

                    // The lead professional, likewise; participants must exist or be created on an earlier line.
                    var newProfessional: Professional?
                    if let existing = try Records.professional(db, c.professionalID) {
                        if let given = row.professional {
                            for (column, differs) in [("professional_name", given.name != existing.name),
                                                      ("professional_team_id", given.teamID != existing.teamID),
                                                      ("professional_discipline", given.discipline != existing.discipline),
                                                      ("professional_employment", given.employment != existing.employment),
                                                      ("professional_started_on", given.startedOn != existing.startedOn)] where differs {
                                bad(column, "professional '\(c.professionalID)' exists with a different value")
                            }
                        }
                    } else if let given = row.professional {
                        if try Records.team(db, given.teamID) == nil {
                            bad("professional_team_id", "no team with id '\(given.teamID)'")
                        } else {
                            newProfessional = given
                        }
                    } else {
                        bad("professional_id", "no professional with id '\(c.professionalID)' (give professional_name, professional_team_id, professional_discipline, professional_employment and professional_started_on to create it)")
                    }
                    for p in c.participants where try Records.professional(db, p) == nil {
                        bad("participants", "no professional with id '\(p)'")
                    }

                    if let theClient, let v = Rules.contactInCase(occurredAt: c.occurredAt, caseOpenedOn: theClient.openedOn,
                                                                  zone: settings.zone) {
                        bad(v.field, v.detail)
                    }

                    guard problems.isEmpty else {
                        out.problems += problems
                        continue
                    }
                    if let n = newClient {
                        try Records.insert(db, n)
                        out.clientsCreated += 1
                    }
                    if let p = newProfessional {
                        try Records.insert(db, p)
                        out.professionalsCreated += 1
                    }
                    guard let client = theClient else { continue }
                    try Records.insert(db, c, team: client.teamID)
                    out.contactsLoaded += 1
                    if perClient[client.key] == nil { touchedOrder.append(client.key) }
                    perClient[client.key, default: 0] += 1
                }

                if mode == .checkOnly || (mode == .allOrNothing && !out.problems.isEmpty) {
                    throw ImportRollback(outcome: out)
                }
                for key in touchedOrder {
                    try Store.audit(db, actor, "import.contacts:\(perClient[key] ?? 0)", client: key, at: at)
                    try self.reevaluate(db, client: key, asOf: today)
                }
                out.committed = true
                return out
            }
        } catch let rollback as ImportRollback {
            var out = ImportOutcome()
            out.alreadyLoaded = rollback.outcome.alreadyLoaded
            out.problems = rollback.outcome.problems
            return out
        }
    }
}

/// Thrown inside the write to roll it back, carrying what was found.
private struct ImportRollback: Error {
    var outcome: ImportOutcome
}

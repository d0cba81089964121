@_exported import Continuity
import Repository
import SQLite

/// Who did something, for the audit log (SPEC §4).
public struct Actor: Sendable {
    public var tokenName: String
    public var requestID: String
    public init(tokenName: String, requestID: String) {
        self.tokenName = tokenName
        self.requestID = requestID
    }
    public static func cli(_ command: String) -> Actor { Actor(tokenName: "cli", requestID: command) }
}

/// Result of an idempotent create (SPEC §1): stored now, or already stored with the same body.
public enum CreateOutcome<T: Sendable>: Sendable {
    case created(T)
    case existing(T)
    public var value: T {
        switch self { case .created(let v), .existing(let v): return v }
    }
}

public struct Page<T: Sendable>: Sendable {
    public var items: [T]
    public var nextCursor: String?
    public init(items: [T], nextCursor: String?) { self.items = items; self.nextCursor = nextCursor }
}

/// The service's storage: every read and write of SPEC §4 as one call, with team scope,
/// audit and alert re-evaluation inside the same transaction as the write.
public final class Store: @unchecked Sendable {
    public let database: Database
    public let thresholds: FlagThresholds
    public let settings: MeasureSettings
    public let now: @Sendable () -> Instant

    public init(database: Database, thresholds: FlagThresholds, settings: MeasureSettings,
                now: @escaping @Sendable () -> Instant) {
        self.database = database
        self.thresholds = thresholds
        self.settings = settings
        self.now = now
    }

    /// Today in the configured time zone (SPEC §2: D defaults to today).
    public var today: LocalDate { settings.zone.localDate(of: now()) }

    // MARK: audit

    static func audit(_ db: Connection, _ actor: Actor, _ action: String, client: ClientKey?, at: Instant) throws {
        try Records.appendAudit(db, at: at, tokenName: actor.tokenName, action: action, client: client, requestID: actor.requestID)
    }

    /// Records a read of a client's data (SPEC §4), committed before the response is sent.
    public func auditRead(_ actor: Actor, _ action: String, client: ClientKey) throws {
        let at = now()
        try database.write { db in try Store.audit(db, actor, action, client: client, at: at) }
    }

    /// Records a read of the client with this id in `scope` (where the read found it). A client
    /// erased since the read is not named again.
    public func auditRead(_ actor: Actor, _ action: String, clientID: String, scope: Scope) throws {
        let at = now()
        try database.write { db in
            guard let c = try Store.one(Records.clients(db, id: clientID, team: scope.teamID), "client", clientID) else { return }
            try Store.audit(db, actor, action, client: c.key, at: at)
        }
    }

    /// Records reads of several clients' records in one commit (a list page).
    public func auditReads(_ actor: Actor, _ action: String, clients: [ClientKey]) throws {
        guard !clients.isEmpty else { return }
        let at = now()
        var seen = Set<ClientKey>()
        let distinct = clients.filter { seen.insert($0).inserted }
        try database.write { db in
            for key in distinct { try Store.audit(db, actor, action, client: key, at: at) }
        }
    }

    public func auditEntries(clientID: String?, teamID: String?, after: Int64, limit: Int) throws -> Page<AuditEntry> {
        try database.read { db in
            let rows = try Records.auditEntries(db, clientID: clientID, teamID: teamID, after: after, limit: limit + 1)
            let items = Array(rows.prefix(limit))
            return Page(items: items, nextCursor: rows.count > limit ? String(items.last!.seq) : nil)
        }
    }
}

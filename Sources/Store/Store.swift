import Continuity
import SQLite

/// Which teams a caller may see (SPEC §4): everything of other teams answers 404.
public enum Scope: Sendable, Equatable {
    case all
    case team(String)

    public func allows(team: String) -> Bool {
        switch self {
        case .all: return true
        case .team(let t): return t == team
        }
    }
    var teamFilter: SQLiteValue {
        switch self {
        case .all: return .null
        case .team(let t): return .text(t)
        }
    }
}

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

    static func audit(_ db: Connection, _ actor: Actor, _ action: String, client: String?, at: Instant) throws {
        try db.run("INSERT INTO audit (at, token_name, action, client_id, request_id) VALUES (?, ?, ?, ?, ?)",
                   [.text(at.rfc3339UTC), .text(actor.tokenName), .text(action), .optional(client), .text(actor.requestID)])
    }

    /// Records a read of a client's data (SPEC §4), committed before the response is sent.
    public func auditRead(_ actor: Actor, _ action: String, client: String) throws {
        let at = now()
        try database.write { db in try Store.audit(db, actor, action, client: client, at: at) }
    }

    /// Records reads of several clients' records in one commit (a list page).
    public func auditReads(_ actor: Actor, _ action: String, clients: [String]) throws {
        guard !clients.isEmpty else { return }
        let at = now()
        var seen = Set<String>()
        let distinct = clients.filter { seen.insert($0).inserted }
        try database.write { db in
            for id in distinct { try Store.audit(db, actor, action, client: id, at: at) }
        }
    }

    public func auditEntries(clientID: String?, after: Int64, limit: Int) throws -> Page<AuditEntry> {
        try database.read { db in
            let rows = try db.fetchAll("audit", key: "seq", """
                SELECT seq, at, token_name, action, client_id, request_id FROM audit
                WHERE seq > ? AND (?2 IS NULL OR client_id = ?2) ORDER BY seq LIMIT ?
                """, [.integer(after), .optional(clientID), .integer(Int64(limit + 1))]) {
                AuditEntry(seq: try $0.int64("seq"), at: try $0.text("at"), tokenName: try $0.text("token_name"),
                           action: try $0.text("action"), clientID: try $0.optionalText("client_id"), requestID: try $0.text("request_id"))
            }
            let items = Array(rows.prefix(limit))
            return Page(items: items, nextCursor: rows.count > limit ? String(items.last!.seq) : nil)
        }
    }
}

public struct AuditEntry: Sendable, Equatable {
    public var seq: Int64
    public var at: String
    public var tokenName: String
    public var action: String
    public var clientID: String?
    public var requestID: String
}

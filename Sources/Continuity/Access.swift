// Who may see and do what (SPEC §4): roles, an authenticated token, the teams it sees, and the
// records the service keeps about access (tokens, the audit log).

public enum Role: String, CaseIterable, Sendable { case worker, manager, exporter, admin }

/// Which teams a caller may see (SPEC §4): everything of other teams answers as missing.
public enum Scope: Sendable, Equatable {
    case all
    case team(String)

    public func allows(team: String) -> Bool {
        switch self {
        case .all: return true
        case .team(let t): return t == team
        }
    }

    /// The one team this scope is limited to, nil for all.
    public var teamID: String? {
        switch self {
        case .all: return nil
        case .team(let t): return t
        }
    }

    /// This scope limited to `team` (`?team_id=` where an id is looked up; SPEC §1: ids are
    /// unique per team). A team this scope does not see leaves a scope that sees no team at all
    /// (team ids are never empty), so every id in it answers as unknown, as the other team's
    /// records must (no existence oracle).
    public func narrowed(to team: String?) -> Scope {
        guard let team else { return self }
        return allows(team: team) ? .team(team) : .team("")
    }
}

/// An authenticated token (SPEC §4). `teamID` nil means all teams (managers, exporters, admins).
public struct Principal: Sendable, Equatable {
    public var name: String
    public var role: Role
    public var teamID: String?
    public init(name: String, role: Role, teamID: String?) { self.name = name; self.role = role; self.teamID = teamID }
    public var scope: Scope { teamID.map(Scope.team) ?? .all }
}

public struct TokenInfo: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: Role
    public var teamID: String?
    public var createdAt: String
    public var revokedAt: String?
    public init(id: String, name: String, role: Role, teamID: String?, createdAt: String, revokedAt: String?) {
        self.id = id; self.name = name; self.role = role; self.teamID = teamID; self.createdAt = createdAt; self.revokedAt = revokedAt
    }
}

/// One line of the append-only audit log (SPEC §4).
public struct AuditEntry: Sendable, Equatable {
    public var seq: Int64
    public var at: String
    public var tokenName: String
    public var action: String
    /// The team of the client the entry is about (client ids are unique per team), nil with `clientID`.
    public var teamID: String?
    public var clientID: String?
    public var requestID: String
    public init(seq: Int64, at: String, tokenName: String, action: String, teamID: String?, clientID: String?, requestID: String) {
        self.seq = seq; self.at = at; self.tokenName = tokenName; self.action = action; self.teamID = teamID
        self.clientID = clientID; self.requestID = requestID
    }
}

/// One raise or resolve, or an erasure (SPEC §3), in `seq` order. An `erased` event has no
/// alert, flag or evidence: it tells consumers to delete what they hold about the client.
public struct AlertEvent: Sendable, Equatable {
    public var seq: Int64
    public var event: String      // "raised" | "resolved" | "erased"
    public var alertID: String?
    public var clientID: String
    public var teamID: String
    public var flag: String?
    public var on: LocalDate
    public var evidence: String?
    public init(seq: Int64, event: String, alertID: String?, clientID: String, teamID: String, flag: String?, on: LocalDate,
                evidence: String?) {
        self.seq = seq; self.event = event; self.alertID = alertID; self.clientID = clientID; self.teamID = teamID
        self.flag = flag; self.on = on; self.evidence = evidence
    }
}

public enum AlertStatusFilter: String, CaseIterable, Sendable { case open, resolved, all }

/// Where a cron consumer's alert export stands (`continuity export-alerts`).
public struct ExportState: Sendable, Equatable {
    public var lastSeq: Int64
    /// Where the cursor stood before the pending export.
    public var pendingFrom: Int64?
    /// A finished temporary file waiting to be renamed to `pendingOut` (a run was killed).
    public var pendingTmp: String?
    public var pendingOut: String?
    public init(lastSeq: Int64, pendingFrom: Int64? = nil, pendingTmp: String? = nil, pendingOut: String? = nil) {
        self.lastSeq = lastSeq; self.pendingFrom = pendingFrom; self.pendingTmp = pendingTmp; self.pendingOut = pendingOut
    }
}

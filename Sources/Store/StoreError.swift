import Continuity

/// Why a use case refused, in the domain's words: which record or rule, never a JSON Pointer
/// or an HTTP status. Front ends translate (the API to problem+json, the CLI to a message).
public enum StoreError: Error, Sendable, Equatable {
    /// No such record, or not in the caller's scope (other teams' records do not exist for them).
    case notFound
    /// The id exists with a different body (SPEC §1).
    case conflict(String)
    /// A field names a record that does not exist or is not in the caller's scope.
    case invalidReference(RuleViolation)
    /// A rule of the domain refuses the write.
    case rejected(RuleViolation)
    /// The caller's role may not do this, although it may call the operation.
    case forbidden(String)
    /// An id names records of several teams and the caller, who sees them all, did not say
    /// which team (ids are unique per team only, SPEC §1): name the team (`team_id`).
    case ambiguous(String)
    /// The database is closing or busy: try again.
    case unavailable(String)

    /// A rule of SPEC §1 refuses the write.
    static func violated(_ v: RuleViolation) -> StoreError { .rejected(v) }

    /// A field whose value names nothing the caller may see; `field` may end in `/index`.
    static func invalidReference(field: String, detail: String) -> StoreError {
        .invalidReference(RuleViolation(path: field, detail: detail))
    }

    /// A rule refusing the value of `field` (which may end in `/index`).
    static func rejected(field: String, detail: String) -> StoreError {
        .rejected(RuleViolation(path: field, detail: detail))
    }
}

extension RuleViolation {
    /// From `field` or `field/index`.
    init(path: String, detail: String) {
        let parts = path.split(separator: "/", maxSplits: 1)
        if parts.count == 2, let i = Int(parts[1]) {
            self.init(field: String(parts[0]), index: i, detail: detail)
        } else {
            self.init(field: path, detail: detail)
        }
    }
}

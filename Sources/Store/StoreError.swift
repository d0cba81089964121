import Continuity
import SQLite

public enum StoreError: Error, Sendable, Equatable {
    case notFound
    /// The id exists with a different body (SPEC §1: 409).
    case conflict(String)
    /// A referenced id does not exist: (JSON field name, detail) (422).
    case invalidReference(field: String, detail: String)
    /// A rule of the domain refuses the write: (field, detail) (422).
    case rejected(field: String, detail: String)
    case unavailable(String)

    /// A rule of SPEC §1 refuses the write (422 at the field).
    static func violated(_ v: RuleViolation) -> StoreError {
        .rejected(field: v.field + (v.index.map { "/\($0)" } ?? ""), detail: v.detail)
    }
}

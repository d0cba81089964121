import Continuity
import Hashing
import JSON

/// The API's side of the SPEC §1 rules: the rules themselves are in `Continuity.Rules`; here
/// they are read from JSON and their violations mapped to JSON Pointers.
enum Validation {
    static var idDetail: String { Rules.idDetail }

    static func isID(_ s: String) -> Bool { Rules.isID(s) }

    /// A server-made id: prefix plus 96 random bits.
    static func newID(_ prefix: String) -> String { prefix + "-" + Base64URL.encode(SecureRandom.bytes(12)) }
}

extension RuleViolation {
    /// The RFC 6901 pointer of the field (and element) at fault, from the body's root.
    var pointer: String { "/" + JSONFields.escape(field) + (index.map { "/\($0)" } ?? "") }
}

extension Problem {
    /// Throws for rules across fields of a well-formed body (an end before its start, the lead
    /// among the participants): 422 at each field, as for rules against stored data, so a
    /// body its JSON Schema accepts is never refused as malformed (400).
    static func check(_ violations: [RuleViolation?]) throws {
        let broken = violations.compactMap { $0 }
        guard broken.isEmpty else {
            throw Problem.invalid(broken.map { FieldError(pointer: $0.pointer, detail: $0.detail) }, status: 422)
        }
    }
}

extension JSONFields {
    /// Records a rule's violations at their pointers below this object; true if there were none.
    @discardableResult
    func check(_ violations: [RuleViolation]) -> Bool {
        for v in violations { errors.add(basePointer + v.pointer, v.detail) }
        return violations.isEmpty
    }

    @discardableResult
    func check(_ violation: RuleViolation?) -> Bool { check(violation.map { [$0] } ?? []) }

    /// An id field (SPEC §1 id rules).
    func id(_ key: String, required: Bool = true) -> String? {
        string(key, required: required, Rules.idDetail) { Rules.isID($0) ? $0 : nil }
    }

    /// Free text (SPEC §1): UTF-8, at most 200 characters, not blank.
    func text(_ key: String, required: Bool = true) -> String? {
        guard let s = string(key, required: required) else { return nil }
        if let problem = Rules.freeTextProblem(s) {
            errors.add(pointer(key), problem)
            return nil
        }
        return s
    }

    func date(_ key: String, required: Bool = true) -> LocalDate? {
        string(key, required: required, "must be a date YYYY-MM-DD") { LocalDate(iso: $0) }
    }

    func instant(_ key: String, required: Bool = true) -> (Instant, String)? {
        string(key, required: required, "must be an RFC 3339 timestamp with offset, e.g. 2026-11-23T14:05:00+01:00") { s in
            Instant(rfc3339: s).map { ($0, s) }
        }
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = true) -> E?
        where E.RawValue == String {
        string(key, required: required, "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", ")) { E(rawValue: $0) }
    }
}

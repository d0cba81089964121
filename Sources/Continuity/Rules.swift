// The rules of SPEC §1, each once, as a pure function that returns what is wrong (or nothing).
// Front ends only translate a violation: the JSON API to a JSON Pointer (`/participants/2`),
// the CSV import to a column, the web pages to a message beside the field.

/// A broken rule: the field (its SPEC §1 JSON name), the element of an array field if it is
/// one element that is wrong, and what is wrong, as a phrase that reads after the field name.
public struct RuleViolation: Error, Equatable, Sendable {
    public var field: String
    public var index: Int?
    public var detail: String
    public init(field: String, index: Int? = nil, detail: String) {
        self.field = field; self.index = index; self.detail = detail
    }
}

public enum Rules {
    // MARK: text forms

    public static let idDetail = "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-', and not '.' or '..'"

    /// SPEC §1: ids are 1–64 characters `[A-Za-z0-9._-]`, never `.` or `..` (path segments
    /// that clients and proxies rewrite, so `/v1/clients/..` could never address that client).
    public static func isID(_ s: String) -> Bool {
        let u = s.utf8
        return (1...64).contains(u.count) && s != "." && s != ".." && u.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
        }
    }

    /// SPEC §1: free text is at most 200 characters (counted as Unicode scalars).
    public static let maxTextLength = 200

    /// What is wrong with a free-text value (too long, or only white space), nil if nothing.
    public static func freeTextProblem(_ s: String) -> String? {
        if s.unicodeScalars.count > maxTextLength { return "must be at most \(maxTextLength) characters" }
        if s.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) { return "must not be blank" }
        return nil
    }

    /// A contact's length in minutes, when recorded: at most one day.
    public static let durationMinutes = 0...1440

    // MARK: contacts

    /// SPEC §1: extra professionals at a contact, at most 20.
    public static let maxParticipants = 20

    /// Participants are ids, at most 20, never the lead professional, none listed twice.
    public static func participants(_ ids: [String], lead: String?) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if ids.count > maxParticipants {
            out.append(RuleViolation(field: "participants", detail: "must have at most \(maxParticipants) items"))
        }
        for (i, p) in ids.enumerated() {
            if !isID(p) { out.append(RuleViolation(field: "participants", index: i, detail: idDetail)) }
            else if p == lead { out.append(RuleViolation(field: "participants", index: i, detail: "is the lead professional already")) }
            else if ids[..<i].contains(p) { out.append(RuleViolation(field: "participants", index: i, detail: "is listed twice")) }
        }
        return out
    }

    /// A contact lies on or after the day its client's case opened, in the configured zone.
    public static func contactInCase(occurredAt: Instant, caseOpenedOn opened: LocalDate,
                                     zone: TimeZoneRules) -> RuleViolation? {
        let local = zone.localDate(of: occurredAt)
        guard local < opened else { return nil }
        return RuleViolation(field: "occurred_at", detail: "lies on \(local.iso), before the client's case opened on \(opened.iso)")
    }

    // MARK: date order

    /// A professional does not leave before starting.
    public static func endedOn(_ ended: LocalDate?, startedOn: LocalDate) -> RuleViolation? {
        notBefore(ended, startedOn, field: "ended_on", earlier: "started_on")
    }

    /// A case does not close before it opened.
    public static func closedOn(_ closed: LocalDate?, openedOn: LocalDate) -> RuleViolation? {
        notBefore(closed, openedOn, field: "closed_on", earlier: "opened_on")
    }

    /// A referral is not made before the client's case opened.
    public static func referredOn(_ on: LocalDate, caseOpenedOn opened: LocalDate) -> RuleViolation? {
        guard on < opened else { return nil }
        return RuleViolation(field: "referred_on", detail: "must not be before the case opened on \(opened.iso)")
    }

    /// A referral's status does not change before it was made.
    public static func statusOn(_ on: LocalDate, referredOn: LocalDate) -> RuleViolation? {
        notBefore(on, referredOn, field: "status_on", earlier: "referred_on")
    }

    private static func notBefore(_ later: LocalDate?, _ earlier: LocalDate, field: String, earlier name: String) -> RuleViolation? {
        guard let later, later < earlier else { return nil }
        return RuleViolation(field: field, detail: "must not be before \(name) (\(earlier.iso))")
    }
}

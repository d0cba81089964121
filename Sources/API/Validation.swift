import Continuity
import Hashing
import JSON

/// The text rules of SPEC §1.
enum Validation {
    static let idDetail = "must be 1–64 characters of A-Z, a-z, 0-9, '.', '_' or '-'"
    static let maxText = 200

    static func isID(_ s: String) -> Bool {
        let u = s.utf8
        return (1...64).contains(u.count) && u.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
        }
    }

    /// Only spaces, tabs and line breaks: not a usable free-text value.
    static func isBlank(_ s: String) -> Bool {
        s.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    }

    /// A server-made id: prefix plus 96 random bits.
    static func newID(_ prefix: String) -> String { prefix + "-" + Base64URL.encode(SecureRandom.bytes(12)) }
}

extension JSONFields {
    /// An id field (SPEC §1 id rules).
    func id(_ key: String, required: Bool = true) -> String? {
        string(key, required: required, Validation.idDetail) { Validation.isID($0) ? $0 : nil }
    }

    /// Free text: UTF-8, at most 200 characters, not blank.
    func text(_ key: String, required: Bool = true) -> String? {
        guard let s = string(key, required: required, maxLength: Validation.maxText) else { return nil }
        if Validation.isBlank(s) {
            errors.add(pointer(key), "must not be blank")
            return nil
        }
        return s
    }

    func date(_ key: String, required: Bool = true) -> LocalDate? {
        string(key, required: required, "must be a date YYYY-MM-DD") { LocalDate(iso: $0) }
    }

    func instant(_ key: String) -> (Instant, String)? {
        string(key, required: true, "must be an RFC 3339 timestamp with offset, e.g. 2026-11-23T14:05:00+01:00") { s in
            Instant(rfc3339: s).map { ($0, s) }
        }
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = true) -> E?
        where E.RawValue == String {
        string(key, required: required, "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", ")) { E(rawValue: $0) }
    }
}

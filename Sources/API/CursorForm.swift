/// The forms of the cursors this service hands out, each declared once as a pattern: the
/// server refuses any other text (400) and the OpenAPI document gives the same pattern for
/// that operation's `cursor` (GeneratorFriendlyTests hold the two together), so the document
/// is exactly as strict as the server (issue 11).
enum CursorForm: String, CaseIterable, Sendable {
    /// The last id of the page: teams, professionals.
    case id
    /// (id, team) of the last client of the page: clients (two teams may use one id); a bare
    /// id, as versions before migration 0007 handed out, still pages on from that id.
    case client
    /// The last `seq` of the page: alerts.
    case seq
    /// (occurred_s, occurred_ns, id) of the last contact: a client's contacts.
    case contact
    /// (referred_on, id): a client's referrals.
    case referral
    /// (from, seq): a client's primary assignments.
    case assignment

    /// An ECMA-262 pattern (as JSON Schema uses), also read by Swift's Regex.
    var pattern: String {
        let id = "[A-Za-z0-9._-]{1,64}", seq = "(0|[1-9][0-9]{0,17})", date = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
        switch self {
        case .id: return "^" + id + "$"
        case .client: return "^" + id + "(~" + id + ")?$"
        case .seq: return "^" + seq + "$"
        case .contact: return "^(0|-?[1-9][0-9]{0,17})~(0|[1-9][0-9]{0,8})~" + id + "$"
        case .referral: return "^" + date + "~" + id + "$"
        case .assignment: return "^" + date + "~" + seq + "$"
        }
    }

    /// The name of its schema in the OpenAPI document's components.
    var schemaName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() + "Cursor" }

    func matches(_ text: String) -> Bool {
        guard let regex = try? Regex(pattern).matchingSemantics(.unicodeScalar) else { return false }
        return text.wholeMatch(of: regex) != nil
    }
}

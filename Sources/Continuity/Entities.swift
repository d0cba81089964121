// The things the service stores (SPEC §1). Plain values; validation of their text forms is
// the API's job, the rules over them are in the measure and flag files.

public struct Team: Equatable, Sendable {
    public var id: String
    public var name: String
    public init(id: String, name: String) { self.id = id; self.name = name }
}

public enum Employment: String, CaseIterable, Sendable {
    case permanent, temporary, agency, volunteer
}

public struct Professional: Equatable, Sendable {
    public var id: String
    public var name: String
    public var teamID: String
    public var discipline: String
    public var employment: Employment
    public var startedOn: LocalDate
    /// Null while employed; set when someone leaves (SPEC §4 PATCH).
    public var endedOn: LocalDate?
    public init(id: String, name: String, teamID: String, discipline: String,
                employment: Employment, startedOn: LocalDate, endedOn: LocalDate? = nil) {
        self.id = id; self.name = name; self.teamID = teamID; self.discipline = discipline
        self.employment = employment; self.startedOn = startedOn; self.endedOn = endedOn
    }
}

public struct Client: Equatable, Sendable {
    public var id: String
    /// The municipality's own case number; never a BSN.
    public var externalRef: String
    public var teamID: String
    public var openedOn: LocalDate
    public var closedOn: LocalDate?
    public init(id: String, externalRef: String, teamID: String, openedOn: LocalDate,
                closedOn: LocalDate? = nil) {
        self.id = id; self.externalRef = externalRef; self.teamID = teamID
        self.openedOn = openedOn; self.closedOn = closedOn
    }

    /// Who this client is: ids are unique per team, not across teams (SPEC §1).
    public var key: ClientKey { ClientKey(teamID: teamID, id: id) }
}

/// A client's identity. Teams are tenants: two teams may each have a client `c-1`, and their
/// contacts and referrals may share ids too, so every record of a client is found by its team
/// and id together (SPEC §1).
public struct ClientKey: Hashable, Sendable, Comparable {
    public var teamID: String
    public var id: String
    public init(teamID: String, id: String) { self.teamID = teamID; self.id = id }

    public static func < (a: ClientKey, b: ClientKey) -> Bool { (a.teamID, a.id) < (b.teamID, b.id) }
}

public enum AssignmentReason: String, CaseIterable, Sendable {
    case start, turnover, leave, reorganisation, clientRequest = "client_request", other
}

public struct PrimaryAssignment: Equatable, Sendable {
    public var clientID: String
    /// nil = nobody is primary from `from` on.
    public var professionalID: String?
    public var from: LocalDate
    public var reason: AssignmentReason
    /// Insertion order, to order two assignments with the same `from` (the later one wins).
    public var sequence: Int64
    public init(clientID: String, professionalID: String?, from: LocalDate,
                reason: AssignmentReason, sequence: Int64 = 0) {
        self.clientID = clientID; self.professionalID = professionalID; self.from = from
        self.reason = reason; self.sequence = sequence
    }
}

public enum ContactMode: String, CaseIterable, Sendable {
    case homeVisit = "home_visit", officeVisit = "office_visit", outreach, phone, video, message, letter

    /// Modes where the professional and the client meet in person (SPEC §2).
    public var isFaceToFace: Bool {
        switch self {
        case .homeVisit, .officeVisit, .outreach: return true
        case .phone, .video, .message, .letter: return false
        }
    }
}

public enum ContactStatus: String, CaseIterable, Sendable {
    case held, noShow = "no_show", cancelled
}

public struct Contact: Equatable, Sendable {
    public var id: String
    public var clientID: String
    /// The lead professional.
    public var professionalID: String
    /// Extra professionals at the contact (joint visit, warm handover); may be empty.
    public var participants: [String]
    public var occurredAt: Instant
    /// The text as the client sent it (with its own offset), returned unchanged.
    public var occurredAtText: String
    public var mode: ContactMode
    public var status: ContactStatus
    public var durationMinutes: Int?
    public init(id: String, clientID: String, professionalID: String, participants: [String] = [],
                occurredAt: Instant, occurredAtText: String? = nil, mode: ContactMode,
                status: ContactStatus = .held, durationMinutes: Int? = nil) {
        self.id = id; self.clientID = clientID; self.professionalID = professionalID
        self.participants = participants; self.occurredAt = occurredAt
        self.occurredAtText = occurredAtText ?? occurredAt.rfc3339UTC
        self.mode = mode; self.status = status; self.durationMinutes = durationMinutes
    }
}

public enum ReferralStatus: String, CaseIterable, Sendable {
    case open, accepted, declined, completed
}

public struct Referral: Equatable, Sendable {
    public var id: String
    public var clientID: String
    public var referredOn: LocalDate
    public var fromProfessionalID: String
    /// Free text: the organisation or service referred to.
    public var to: String
    public var toProfessionalID: String?
    public var warmHandover: Bool
    public var status: ReferralStatus
    public var statusOn: LocalDate
    public init(id: String, clientID: String, referredOn: LocalDate, fromProfessionalID: String,
                to: String, toProfessionalID: String? = nil, warmHandover: Bool = false,
                status: ReferralStatus = .open, statusOn: LocalDate? = nil) {
        self.id = id; self.clientID = clientID; self.referredOn = referredOn
        self.fromProfessionalID = fromProfessionalID; self.to = to
        self.toProfessionalID = toProfessionalID; self.warmHandover = warmHandover
        self.status = status; self.statusOn = statusOn ?? referredOn
    }
}

public enum Flag: String, CaseIterable, Sendable {
    case changingFaces = "changing_faces"
    case primaryTurnover = "primary_turnover"
    case noPrimary = "no_primary"
    case primaryLeaving = "primary_leaving"
    case referralChain = "referral_chain"
    case referralLimbo = "referral_limbo"
    case longGap = "long_gap"
    case noFaceToFace = "no_face_to_face"
}

public struct Alert: Equatable, Sendable {
    public var id: String
    public var seq: Int64
    public var clientID: String
    public var teamID: String
    public var flag: Flag
    public var raisedOn: LocalDate
    public var resolvedOn: LocalDate?
    public var acknowledgedBy: String?
    public var acknowledgedNote: String?
    public var evidence: String
    public init(id: String, seq: Int64, clientID: String, teamID: String, flag: Flag,
                raisedOn: LocalDate, resolvedOn: LocalDate? = nil, acknowledgedBy: String? = nil,
                acknowledgedNote: String? = nil, evidence: String) {
        self.id = id; self.seq = seq; self.clientID = clientID; self.teamID = teamID
        self.flag = flag; self.raisedOn = raisedOn; self.resolvedOn = resolvedOn
        self.acknowledgedBy = acknowledgedBy; self.acknowledgedNote = acknowledgedNote
        self.evidence = evidence
    }

    public var clientKey: ClientKey { ClientKey(teamID: teamID, id: clientID) }
}

/// Everything the measures and flags need about one client: the input of the pure functions.
public struct ClientHistory: Sendable {
    public var client: Client
    /// Every contact of the client, any status, any date (the recent ones only, with a summary).
    public var contacts: [Contact]
    /// Every primary assignment of the client.
    public var assignments: [PrimaryAssignment]
    public var referrals: [Referral]
    /// Professionals named by the assignments (for `ended_on`) and by the contacts (for the
    /// names in evidence and `faces_detail`), keyed by id.
    public var professionals: [String: Professional]
    /// nil: `contacts` and `referrals` are the whole history. Otherwise only the recent part
    /// is here, and the summary stands for the rest (see `HistorySummary`).
    public var summary: HistorySummary?
    public init(client: Client, contacts: [Contact] = [], assignments: [PrimaryAssignment] = [],
                referrals: [Referral] = [], professionals: [String: Professional] = [:],
                summary: HistorySummary? = nil) {
        self.client = client; self.contacts = contacts; self.assignments = assignments
        self.referrals = referrals; self.professionals = professionals; self.summary = summary
    }
}

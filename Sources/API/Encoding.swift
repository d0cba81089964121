import Continuity
import JSON
import Store

// Domain -> JSON, with the field names of SPEC §1.

extension LocalDate {
    var json: JSONValue { .string(iso) }
}

func json(_ d: LocalDate?) -> JSONValue { d.map { .string($0.iso) } ?? .null }

/// Measures are rounded to 4 decimals in JSON (SPEC §2).
func measure(_ v: Double?) -> JSONValue { v.map { .number(rounded: $0, decimals: 4) } ?? .null }

enum Encode {
    static func team(_ t: Team) -> JSONValue { ["id": .string(t.id), "name": .string(t.name)] }

    static func professional(_ p: Professional) -> JSONValue {
        ["id": .string(p.id), "name": .string(p.name), "team_id": .string(p.teamID),
         "discipline": .string(p.discipline), "employment": .string(p.employment.rawValue),
         "started_on": p.startedOn.json, "ended_on": json(p.endedOn)]
    }

    static func client(_ c: Client, primary: String?) -> JSONValue {
        ["id": .string(c.id), "external_ref": .string(c.externalRef), "team_id": .string(c.teamID),
         "opened_on": c.openedOn.json, "closed_on": json(c.closedOn),
         "primary_professional_id": .optional(primary)]
    }

    static func assignment(_ a: PrimaryAssignment) -> JSONValue {
        ["client_id": .string(a.clientID), "professional_id": .optional(a.professionalID),
         "from": a.from.json, "reason": .string(a.reason.rawValue)]
    }

    static func contact(_ c: Contact) -> JSONValue {
        var o: JSONObject = ["id": .string(c.id), "client_id": .string(c.clientID),
                             "professional_id": .string(c.professionalID),
                             "participants": .array(c.participants.map { .string($0) }),
                             "occurred_at": .string(c.occurredAtText), "mode": .string(c.mode.rawValue),
                             "status": .string(c.status.rawValue)]
        o["duration_minutes"] = c.durationMinutes.map { .int($0) } ?? .null
        return .object(o)
    }

    static func referral(_ r: Referral) -> JSONValue {
        ["id": .string(r.id), "client_id": .string(r.clientID), "referred_on": r.referredOn.json,
         "from_professional_id": .string(r.fromProfessionalID), "to": .string(r.to),
         "to_professional_id": .optional(r.toProfessionalID), "warm_handover": .bool(r.warmHandover),
         "status": .string(r.status.rawValue), "status_on": r.statusOn.json]
    }

    static func alert(_ a: Alert) -> JSONValue {
        ["id": .string(a.id), "seq": .int(a.seq), "client_id": .string(a.clientID), "team_id": .string(a.teamID),
         "flag": .string(a.flag.rawValue), "raised_on": a.raisedOn.json, "resolved_on": json(a.resolvedOn),
         "acknowledged_by": .optional(a.acknowledgedBy), "acknowledged_note": .optional(a.acknowledgedNote),
         "evidence": .string(a.evidence)]
    }

    static func event(_ e: AlertEvent) -> JSONValue {
        ["seq": .int(e.seq), "event": .string(e.event), "alert_id": .optional(e.alertID), "client_id": .string(e.clientID),
         "team_id": .string(e.teamID), "flag": .optional(e.flag), "on": e.on.json, "evidence": .optional(e.evidence)]
    }

    static func flag(_ f: ActiveFlag) -> JSONValue {
        ["flag": .string(f.flag.rawValue), "evidence": .string(f.evidence), "since": f.since.json]
    }

    /// GET /v1/clients/{id}/continuity (SPEC §2): every measure as a top-level field.
    static func continuity(clientID: String, _ m: ContinuityMeasures, _ flags: [ActiveFlag]) -> JSONValue {
        ["client_id": .string(clientID), "as_of": m.asOf.json, "window_days": .int(m.windowDays),
         "contacts": .int(m.contacts), "faces": .int(m.faces),
         "upc": measure(m.upc), "coc": measure(m.coc), "secon": measure(m.secon), "mmci": measure(m.mmci),
         "known_face_share": measure(m.knownFaceShare), "primary_share": measure(m.primaryShare),
         "days_since_contact": .int(m.daysSinceContact), "days_since_face_to_face": .int(m.daysSinceFaceToFace),
         "referrals": .int(m.referrals), "outside_office_hours_share": measure(m.outsideOfficeHoursShare),
         "no_show_rate": measure(m.noShowRate), "lifetime_faces": .int(m.lifetimeFaces),
         "primary_professional_id": .optional(m.primaryProfessionalID),
         "faces_detail": .array(m.facesDetail.map {
             ["professional_id": .string($0.professionalID), "name": .optional($0.name), "contacts": .int($0.contacts)]
         }),
         "flags": .array(flags.map(flag))]
    }

    static func audit(_ a: AuditEntry) -> JSONValue {
        ["seq": .int(a.seq), "at": .string(a.at), "token_name": .string(a.tokenName), "action": .string(a.action),
         "team_id": .optional(a.teamID), "client_id": .optional(a.clientID), "request_id": .string(a.requestID)]
    }
}

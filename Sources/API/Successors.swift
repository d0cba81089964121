import Continuity
import HTTP
import JSON
import Store

/// GET /v1/clients/{id}/successors (SPEC §2, §4): who could take over as primary without a
/// new face. Read like the continuity answer: worker or manager of the client's team, audited.
enum SuccessorRoutes {
    static let defaultLimit = 5

    @Sendable static func advice(_ c: Context) throws -> HTTPResponse {
        let limit = try c.queryInt("limit", range: 1...100) ?? defaultLimit
        let scope = try c.idScope()
        let advice = try c.store.successors(clientID: c.param("id"), scope: scope, asOf: try c.asOf, limit: limit)
        try c.store.auditRead(c.actor, "successors.read", clientID: c.param("id"), scope: scope)
        return c.json(Encode.successors(clientID: c.param("id"), advice, language: c.store.settings.language))
    }
}

extension Encode {
    static func successors(clientID: String, _ a: SuccessorAdvice, language: Language) -> JSONValue {
        ["client_id": .string(clientID), "as_of": a.asOf.json, "needed": .bool(a.needed),
         "primary_professional_id": .optional(a.primaryProfessionalID),
         "candidates": .array(a.candidates.map {
             ["professional_id": .string($0.professionalID), "name": .string($0.name),
              "contacts_with_client": .int($0.contactsWithClient), "last_contact_on": json($0.lastContactOn),
              "open_cases": .int($0.openCases), "reason": .string($0.reason(language))]
         })]
    }
}

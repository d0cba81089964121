import Continuity
import HTTP
import JSON
import Store

// The reads an app needs (SPEC §4): the "who visited" picker, a client found by the
// municipality's case number (in Clients.list), a client's referrals and primary history, one
// contact. Every read of personal data is audited; other teams' records answer 404.

extension Professionals {
    @Sendable static func list(_ c: Context) throws -> HTTPResponse {
        let page = try c.store.professionals(scope: c.scope, teamID: try c.queryID("team_id"), activeOn: try c.queryDate("active_on"),
                                             after: try c.cursor(.id), limit: try c.limit)
        try c.store.auditRead(c.actor, "professional.list")
        return c.list(page.items.map(Encode.professional), next: page.nextCursor)
    }
}

extension Clients {
    @Sendable static func assignments(_ c: Context) throws -> HTTPResponse {
        let cursor = try c.cursor(.assignment, AssignmentCursor.init(text:))
        let scope = try c.idScope()
        let page = try c.store.assignments(clientID: c.param("id"), scope: scope, after: cursor, limit: try c.limit)
        try c.store.auditRead(c.actor, "assignments.read", clientID: c.param("id"), scope: scope)
        return c.list(page.items.map(Encode.assignment), next: page.nextCursor)
    }
}

extension Referrals {
    @Sendable static func list(_ c: Context) throws -> HTTPResponse {
        let cursor = try c.cursor(.referral, ReferralCursor.init(text:))
        let scope = try c.idScope()
        let page = try c.store.referrals(clientID: c.param("id"), scope: scope, after: cursor, limit: try c.limit)
        try c.store.auditRead(c.actor, "referrals.read", clientID: c.param("id"), scope: scope)
        return c.list(page.items.map(Encode.referral), next: page.nextCursor)
    }
}

extension Contacts {
    @Sendable static func get(_ c: Context) throws -> HTTPResponse {
        let (client, contact) = try c.store.contact(c.param("id"), scope: try c.idScope())
        try c.store.auditRead(c.actor, "contact.read", client: client)
        return c.json(Encode.contact(contact))
    }
}

import JSON
import Store
import Testing

/// Building blocks over HTTP: each throws with the response when the status is not the one
/// expected, so a broken step names itself.
extension TestServer {
    @discardableResult
    func expect(_ r: TestResponse, _ statuses: Int...) throws -> TestResponse {
        guard statuses.contains(r.status) else { throw TestFailure("expected \(statuses), got \(r)") }
        return r
    }

    @discardableResult
    func makeTeam(_ id: String, _ name: String? = nil, admin: String) throws -> TestResponse {
        try expect(post("/v1/teams", token: admin, ["id": .string(id), "name": .string(name ?? "Team \(id)")]), 201)
    }

    @discardableResult
    func makeProfessional(_ id: String, team: String, admin: String, startedOn: String = "2020-01-01") throws -> TestResponse {
        try expect(post("/v1/professionals", token: admin, [
            "id": .string(id), "name": .string("Name of \(id)"), "team_id": .string(team),
            "discipline": "maatschappelijk werk", "employment": "permanent", "started_on": .string(startedOn),
        ]), 201)
    }

    @discardableResult
    func makeClient(_ id: String, team: String, token: String, openedOn: String = "2025-05-20",
                    ref: String? = nil) throws -> TestResponse {
        try expect(post("/v1/clients", token: token, [
            "id": .string(id), "external_ref": .string(ref ?? "ZK-\(id)"), "team_id": .string(team),
            "opened_on": .string(openedOn),
        ]), 201)
    }

    @discardableResult
    func assignPrimary(_ client: String, _ professional: String?, from: String, token: String) throws -> TestResponse {
        try expect(post("/v1/clients/\(client)/primary", token: token, [
            "professional_id": .optional(professional), "from": .string(from), "reason": "start",
        ]), 201)
    }

    @discardableResult
    func makeContact(_ id: String, client: String, professional: String, at: String, mode: String = "home_visit",
                     token: String) throws -> TestResponse {
        try expect(post("/v1/contacts", token: token, [
            "id": .string(id), "client_id": .string(client), "professional_id": .string(professional),
            "occurred_at": .string(at), "mode": .string(mode),
        ]), 201)
    }

    @discardableResult
    func makeReferral(_ id: String, client: String, from professional: String, on: String, token: String) throws -> TestResponse {
        try expect(post("/v1/referrals", token: token, [
            "id": .string(id), "client_id": .string(client), "referred_on": .string(on),
            "from_professional_id": .string(professional), "to": "Schuldhulpverlening",
        ]), 201)
    }

    /// Open alerts of one client, as seen by an admin.
    func openFlags(of client: String, admin: String) throws -> Set<String> {
        let r = try expect(get("/v1/alerts?status=open&limit=500", token: admin), 200)
        return Set(r.items.filter { $0["client_id"]?.stringValue == client }.compactMap { $0["flag"]?.stringValue })
    }
}

extension JSONValue {
    var flagNames: Set<String> { Set((self["flags"]?.arrayValue ?? []).compactMap { $0["flag"]?.stringValue }) }
}

/// The NDJSON lines of a body, each parsed.
func ndjsonLines(_ body: [UInt8]) -> [JSONValue] {
    body.split(separator: 10).compactMap { try? JSON.parse(Array($0)) }
}

-- GET /v1/clients?external_ref= finds a client by the municipality's case number (SPEC §4):
-- an index, so the lookup does not scan every client of every team.
CREATE INDEX clients_by_external_ref ON clients(external_ref);

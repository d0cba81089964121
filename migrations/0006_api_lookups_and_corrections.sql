-- GET /v1/clients?external_ref= finds a client by the municipality's case number (SPEC §4):
-- an index, so the lookup does not scan every client of every team.
CREATE INDEX clients_by_external_ref ON clients(external_ref);

-- Contacts removed as logged in error (DELETE /v1/contacts/{id}): the id stays taken, so a
-- retried DELETE answers as the first one did and a late retry of the create cannot bring the
-- contact back. Erasing the client removes these rows with it.
CREATE TABLE deleted_contacts (
    id        TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX deleted_contacts_by_client ON deleted_contacts(client_id);

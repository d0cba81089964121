-- What the flag rules and measures need from a client's whole history, kept so that a
-- re-evaluation loads only the recent windows (issue 12: cost independent of history).
-- Everything here is derivable from `contacts` and `primary_assignments`: indexes, and one
-- table kept by triggers and filled below from the existing rows.

-- The first held contact at which each professional was present (lead or participant), as an
-- instant: SPEC §2 `known_face_share` ("had already been at a held contact ... at any time
-- before") and `lifetime_faces`. An instant, not a local date, so the table does not depend on
-- the configured time zone (a local date is a monotone function of the instant).
CREATE TABLE client_faces (
    client_id       TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    professional_id TEXT NOT NULL,
    first_s         INTEGER NOT NULL,   -- UTC epoch seconds of that contact's occurred_at
    first_ns        INTEGER NOT NULL,
    PRIMARY KEY (client_id, professional_id)
) WITHOUT ROWID;

-- The last held contact (and the last held face-to-face one) before a day, in one index seek
-- (SPEC §2 `days_since_contact`, `days_since_face_to_face`; SPEC §3 `referral_limbo`). A query
-- uses a partial index only when its WHERE repeats the index's terms (sqlite.org/partialindex.html).
CREATE INDEX contacts_held_by_client ON contacts(client_id, occurred_s, occurred_ns) WHERE status = 'held';
CREATE INDEX contacts_face_to_face_by_client ON contacts(client_id, occurred_s, occurred_ns)
    WHERE status = 'held' AND mode IN ('home_visit', 'office_visit', 'outreach');

-- Caseloads for successor advice: the open cases a professional is primary of.
CREATE INDEX primary_assignments_by_professional ON primary_assignments(professional_id, client_id);

-- Backfill: for each client and professional, the earliest held contact they were at. The
-- present list of a contact is the lead plus its comma-separated participants, as a JSON array
-- (ids are [A-Za-z0-9._-], so they need no escaping).
INSERT INTO client_faces (client_id, professional_id, first_s, first_ns)
SELECT client_id, professional_id, occurred_s, occurred_ns FROM (
    SELECT c.client_id, p.value AS professional_id, c.occurred_s, c.occurred_ns,
           ROW_NUMBER() OVER (PARTITION BY c.client_id, p.value ORDER BY c.occurred_s, c.occurred_ns) AS n
    FROM contacts c,
         json_each('["' || c.professional_id || CASE WHEN c.participants = '' THEN '' ELSE '","' || replace(c.participants, ',', '","') END || '"]') p
    WHERE c.status = 'held' AND p.value <> ''
) WHERE n = 1;

-- A new held contact: each professional present keeps the earlier of their first and this one.
CREATE TRIGGER client_faces_on_insert AFTER INSERT ON contacts WHEN NEW.status = 'held'
BEGIN
    INSERT INTO client_faces (client_id, professional_id, first_s, first_ns)
    SELECT NEW.client_id, p.value, NEW.occurred_s, NEW.occurred_ns
    FROM json_each('["' || NEW.professional_id || CASE WHEN NEW.participants = '' THEN '' ELSE '","' || replace(NEW.participants, ',', '","') END || '"]') p
    WHERE p.value <> ''
    ON CONFLICT (client_id, professional_id) DO UPDATE SET first_s = excluded.first_s, first_ns = excluded.first_ns
    WHERE (excluded.first_s, excluded.first_ns) < (client_faces.first_s, client_faces.first_ns);
END;

-- Recomputing one professional's first held contact with one client: insert (client_id,
-- professional_id) into this view. A forward scan from the client's earliest held contact that
-- stops at the first match (instr, not LIKE: ids are case-sensitive and may contain '_'). While
-- the client itself is being erased nothing is put back; its rows go with it (ON DELETE CASCADE).
CREATE VIEW client_faces_recompute AS SELECT client_id, professional_id FROM client_faces WHERE 0;
CREATE TRIGGER client_faces_recompute_one INSTEAD OF INSERT ON client_faces_recompute
BEGIN
    DELETE FROM client_faces WHERE client_id = NEW.client_id AND professional_id = NEW.professional_id;
    INSERT INTO client_faces (client_id, professional_id, first_s, first_ns)
    SELECT c.client_id, NEW.professional_id, c.occurred_s, c.occurred_ns FROM contacts c
    WHERE c.client_id = NEW.client_id AND c.status = 'held'
      AND (c.professional_id = NEW.professional_id OR instr(',' || c.participants || ',', ',' || NEW.professional_id || ',') > 0)
      AND EXISTS (SELECT 1 FROM clients WHERE id = NEW.client_id)
    ORDER BY c.occurred_s, c.occurred_ns LIMIT 1;
END;

-- A held contact removed: recompute those whose first it was.
CREATE TRIGGER client_faces_on_delete AFTER DELETE ON contacts WHEN OLD.status = 'held'
BEGIN
    INSERT INTO client_faces_recompute (client_id, professional_id)
    SELECT OLD.client_id, p.value FROM json_each('["' || OLD.professional_id || CASE WHEN OLD.participants = '' THEN '' ELSE '","' || replace(OLD.participants, ',', '","') END || '"]') p
    WHERE EXISTS (SELECT 1 FROM client_faces f WHERE f.client_id = OLD.client_id AND f.professional_id = p.value
                      AND f.first_s = OLD.occurred_s AND f.first_ns = OLD.occurred_ns);
END;

-- A correction (PATCH /v1/contacts/{id}): recompute those whose first the old version was, and
-- everyone at the new version.
CREATE TRIGGER client_faces_on_update AFTER UPDATE OF client_id, professional_id, participants, occurred_s, occurred_ns, status ON contacts
BEGIN
    INSERT INTO client_faces_recompute (client_id, professional_id)
    SELECT OLD.client_id, p.value FROM json_each('["' || OLD.professional_id || CASE WHEN OLD.participants = '' THEN '' ELSE '","' || replace(OLD.participants, ',', '","') END || '"]') p
    WHERE OLD.status = 'held' AND EXISTS (SELECT 1 FROM client_faces f WHERE f.client_id = OLD.client_id AND f.professional_id = p.value
                                              AND f.first_s = OLD.occurred_s AND f.first_ns = OLD.occurred_ns);
    INSERT INTO client_faces_recompute (client_id, professional_id)
    SELECT NEW.client_id, p.value FROM json_each('["' || NEW.professional_id || CASE WHEN NEW.participants = '' THEN '' ELSE '","' || replace(NEW.participants, ',', '","') END || '"]') p WHERE NEW.status = 'held' AND p.value <> '';
END;

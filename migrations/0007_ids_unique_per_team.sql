-- SPEC §1, issue 10: teams are tenants, so client, contact and referral ids are unique per
-- team, not across the whole database. Before this, a create whose id another team used was
-- answered 409, which told a worker that some other team held a record with that id (an
-- existence oracle). Now a client is (team_id, id); its contacts, referrals, assignments,
-- alerts, first faces and deleted contact ids carry the client's team, and their foreign keys
-- follow the client (ON UPDATE CASCADE) when a manager moves it to another team. Team and
-- professional ids stay global (only admins, who see every team, create professionals); alert
-- ids are made by the server (`al-<seq>`) and stay global.
--
-- SQLite cannot change a primary key in place, so the tables are rebuilt
-- (sqlite.org/lang_altertable.html#otheralter): the new tables reference `clients_new`, the old
-- ones are dropped children first (foreign keys are on: a DROP is an implicit DELETE, which
-- must not cascade into the new tables), then renamed (a rename rewrites the references).

DROP TRIGGER client_faces_on_insert;
DROP TRIGGER client_faces_recompute_one;
DROP TRIGGER client_faces_on_delete;
DROP TRIGGER client_faces_on_update;
DROP VIEW client_faces_recompute;
DROP TRIGGER audit_no_update;
DROP TRIGGER audit_no_delete;

CREATE TABLE clients_new (
    team_id      TEXT NOT NULL REFERENCES teams(id),
    id           TEXT NOT NULL,
    external_ref TEXT NOT NULL,
    opened_on    TEXT NOT NULL,
    closed_on    TEXT,
    PRIMARY KEY (team_id, id)
) WITHOUT ROWID;

-- seq orders two assignments with the same `from` (the later one wins).
CREATE TABLE primary_assignments_new (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id         TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    professional_id TEXT REFERENCES professionals(id),
    from_date       TEXT NOT NULL,
    reason          TEXT NOT NULL CHECK (reason IN ('start','turnover','leave','reorganisation','client_request','other')),
    FOREIGN KEY (team_id, client_id) REFERENCES clients_new(team_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);

-- WITHOUT ROWID: the primary key is (team, id), and the secondary index below carries it, so
-- loading a client's history is one covering index range scan.
CREATE TABLE contacts_new (
    team_id          TEXT NOT NULL,
    id               TEXT NOT NULL,
    client_id        TEXT NOT NULL,
    professional_id  TEXT NOT NULL REFERENCES professionals(id),
    participants     TEXT NOT NULL DEFAULT '',   -- professional ids joined by ',' (ids never contain ',')
    occurred_s       INTEGER NOT NULL,           -- UTC epoch seconds
    occurred_ns      INTEGER NOT NULL DEFAULT 0,
    occurred_at      TEXT NOT NULL,              -- as the client sent it
    mode             TEXT NOT NULL CHECK (mode IN ('home_visit','office_visit','outreach','phone','video','message','letter')),
    status           TEXT NOT NULL CHECK (status IN ('held','no_show','cancelled')),
    duration_minutes INTEGER,
    PRIMARY KEY (team_id, id),
    FOREIGN KEY (team_id, client_id) REFERENCES clients_new(team_id, id) ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

CREATE TABLE referrals_new (
    team_id              TEXT NOT NULL,
    id                   TEXT NOT NULL,
    client_id            TEXT NOT NULL,
    referred_on          TEXT NOT NULL,
    from_professional_id TEXT NOT NULL REFERENCES professionals(id),
    to_text              TEXT NOT NULL,
    to_professional_id   TEXT REFERENCES professionals(id),
    warm_handover        INTEGER NOT NULL CHECK (warm_handover IN (0,1)),
    status               TEXT NOT NULL CHECK (status IN ('open','accepted','declined','completed')),
    status_on            TEXT NOT NULL,
    PRIMARY KEY (team_id, id),
    FOREIGN KEY (team_id, client_id) REFERENCES clients_new(team_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);

-- One open alert per client and flag at most (SPEC §3). The rowid is the list cursor of
-- GET /v1/alerts: it is copied as it was.
CREATE TABLE alerts_new (
    id                TEXT PRIMARY KEY,
    seq               INTEGER NOT NULL,           -- seq of the alert's latest event
    client_id         TEXT NOT NULL,
    team_id           TEXT NOT NULL,
    flag              TEXT NOT NULL,
    raised_on         TEXT NOT NULL,
    resolved_on       TEXT,
    acknowledged_by   TEXT,
    acknowledged_note TEXT,
    evidence          TEXT NOT NULL,
    FOREIGN KEY (team_id, client_id) REFERENCES clients_new(team_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE client_faces_new (
    team_id         TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    professional_id TEXT NOT NULL,
    first_s         INTEGER NOT NULL,   -- UTC epoch seconds of that contact's occurred_at
    first_ns        INTEGER NOT NULL,
    PRIMARY KEY (team_id, client_id, professional_id),
    FOREIGN KEY (team_id, client_id) REFERENCES clients_new(team_id, id) ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

CREATE TABLE deleted_contacts_new (
    team_id   TEXT NOT NULL,
    id        TEXT NOT NULL,
    client_id TEXT NOT NULL,
    PRIMARY KEY (team_id, id),
    FOREIGN KEY (team_id, client_id) REFERENCES clients_new(team_id, id) ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

-- Ids were unique across teams until now, so every child finds its client's team by id alone.
INSERT INTO clients_new (team_id, id, external_ref, opened_on, closed_on)
    SELECT team_id, id, external_ref, opened_on, closed_on FROM clients;
INSERT INTO primary_assignments_new (seq, team_id, client_id, professional_id, from_date, reason)
    SELECT a.seq, c.team_id, a.client_id, a.professional_id, a.from_date, a.reason
    FROM primary_assignments a JOIN clients c ON c.id = a.client_id;
INSERT INTO contacts_new (team_id, id, client_id, professional_id, participants, occurred_s, occurred_ns, occurred_at, mode,
                          status, duration_minutes)
    SELECT c.team_id, k.id, k.client_id, k.professional_id, k.participants, k.occurred_s, k.occurred_ns, k.occurred_at, k.mode,
           k.status, k.duration_minutes
    FROM contacts k JOIN clients c ON c.id = k.client_id;
INSERT INTO referrals_new (team_id, id, client_id, referred_on, from_professional_id, to_text, to_professional_id,
                           warm_handover, status, status_on)
    SELECT c.team_id, r.id, r.client_id, r.referred_on, r.from_professional_id, r.to_text, r.to_professional_id,
           r.warm_handover, r.status, r.status_on
    FROM referrals r JOIN clients c ON c.id = r.client_id;
INSERT INTO alerts_new (rowid, id, seq, client_id, team_id, flag, raised_on, resolved_on, acknowledged_by, acknowledged_note,
                        evidence)
    SELECT a.rowid, a.id, a.seq, a.client_id, c.team_id, a.flag, a.raised_on, a.resolved_on, a.acknowledged_by,
           a.acknowledged_note, a.evidence
    FROM alerts a JOIN clients c ON c.id = a.client_id;
INSERT INTO client_faces_new (team_id, client_id, professional_id, first_s, first_ns)
    SELECT c.team_id, f.client_id, f.professional_id, f.first_s, f.first_ns
    FROM client_faces f JOIN clients c ON c.id = f.client_id;
INSERT INTO deleted_contacts_new (team_id, id, client_id)
    SELECT c.team_id, d.id, d.client_id FROM deleted_contacts d JOIN clients c ON c.id = d.client_id;

-- An assignment seq is never reused: carry the AUTOINCREMENT high-water mark over.
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'primary_assignments_new', seq FROM sqlite_sequence WHERE name = 'primary_assignments'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'primary_assignments_new');
UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'primary_assignments'))
    WHERE name = 'primary_assignments_new' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'primary_assignments');

-- The audit names a client by (team, id) from now on. Rows written before are labelled with
-- the client's team now (its only key until now); rows about no client keep NULL.
ALTER TABLE audit ADD COLUMN team_id TEXT;
UPDATE audit SET team_id = (SELECT c.team_id FROM clients c WHERE c.id = audit.client_id) WHERE client_id IS NOT NULL;

DROP TABLE client_faces;
DROP TABLE deleted_contacts;
DROP TABLE contacts;
DROP TABLE referrals;
DROP TABLE primary_assignments;
DROP TABLE alerts;
DROP TABLE erasure_in_progress;
DROP TABLE clients;

ALTER TABLE clients_new RENAME TO clients;
ALTER TABLE primary_assignments_new RENAME TO primary_assignments;
ALTER TABLE contacts_new RENAME TO contacts;
ALTER TABLE referrals_new RENAME TO referrals;
ALTER TABLE alerts_new RENAME TO alerts;
ALTER TABLE client_faces_new RENAME TO client_faces;
ALTER TABLE deleted_contacts_new RENAME TO deleted_contacts;

-- An all-teams token looks an id up in every team; the list of every team's clients is by id.
CREATE INDEX clients_by_id ON clients(id, team_id);
CREATE INDEX clients_by_external_ref ON clients(external_ref);
CREATE INDEX primary_assignments_by_client ON primary_assignments(team_id, client_id, from_date, seq);
CREATE INDEX primary_assignments_by_professional ON primary_assignments(professional_id, team_id, client_id);
CREATE INDEX contacts_by_client_time
    ON contacts(team_id, client_id, occurred_s, occurred_ns, id, professional_id, status, mode, participants, occurred_at, duration_minutes);
CREATE INDEX contacts_by_professional ON contacts(professional_id);
-- GET /v1/contacts/{id} and the other lookups by id alone (a token that sees every team) seek
-- here; the primary key (team_id, id) serves one team's.
CREATE INDEX contacts_by_id ON contacts(id);
CREATE INDEX referrals_by_id ON referrals(id);
CREATE INDEX deleted_contacts_by_id ON deleted_contacts(id);
-- A query uses a partial index only when its WHERE repeats the index's terms.
CREATE INDEX contacts_held_by_client ON contacts(team_id, client_id, occurred_s, occurred_ns) WHERE status = 'held';
CREATE INDEX contacts_face_to_face_by_client ON contacts(team_id, client_id, occurred_s, occurred_ns)
    WHERE status = 'held' AND mode IN ('home_visit', 'office_visit', 'outreach');
CREATE INDEX referrals_by_client ON referrals(team_id, client_id, referred_on);
CREATE UNIQUE INDEX alerts_one_open ON alerts(team_id, client_id, flag) WHERE resolved_on IS NULL;
CREATE INDEX alerts_by_team ON alerts(team_id, resolved_on, id);
CREATE INDEX alerts_by_client ON alerts(team_id, client_id);
CREATE INDEX deleted_contacts_by_client ON deleted_contacts(team_id, client_id);
DROP INDEX alert_events_by_client;
CREATE INDEX alert_events_by_client ON alert_events(team_id, client_id);

-- Erasure (SPEC §4) is the one thing allowed to remove audit rows, and only those of the
-- client being erased; a move to another team the one thing allowed to change them, and only
-- their team. Each names the client here inside its transaction first.
CREATE TABLE erasure_in_progress (
    team_id   TEXT NOT NULL,
    client_id TEXT NOT NULL,
    PRIMARY KEY (team_id, client_id)
) WITHOUT ROWID;
CREATE TABLE move_in_progress (
    team_id    TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    to_team_id TEXT NOT NULL,
    PRIMARY KEY (team_id, client_id)
) WITHOUT ROWID;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN NOT (NEW.seq IS OLD.seq AND NEW.at IS OLD.at AND NEW.token_name IS OLD.token_name AND NEW.action IS OLD.action
          AND NEW.client_id IS OLD.client_id AND NEW.request_id IS OLD.request_id
          AND EXISTS (SELECT 1 FROM move_in_progress m
                      WHERE m.team_id = OLD.team_id AND m.client_id = OLD.client_id AND m.to_team_id = NEW.team_id))
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN NOT EXISTS (SELECT 1 FROM erasure_in_progress e WHERE e.team_id = OLD.team_id AND e.client_id = OLD.client_id)
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE INDEX audit_by_team_client ON audit(team_id, client_id, seq);

-- client_faces kept by triggers (migration 0003), now per (team, client).
CREATE TRIGGER client_faces_on_insert AFTER INSERT ON contacts WHEN NEW.status = 'held'
BEGIN
    INSERT INTO client_faces (team_id, client_id, professional_id, first_s, first_ns)
    SELECT NEW.team_id, NEW.client_id, p.value, NEW.occurred_s, NEW.occurred_ns
    FROM json_each('["' || NEW.professional_id || CASE WHEN NEW.participants = '' THEN '' ELSE '","' || replace(NEW.participants, ',', '","') END || '"]') p
    WHERE p.value <> ''
    ON CONFLICT (team_id, client_id, professional_id) DO UPDATE SET first_s = excluded.first_s, first_ns = excluded.first_ns
    WHERE (excluded.first_s, excluded.first_ns) < (client_faces.first_s, client_faces.first_ns);
END;

CREATE VIEW client_faces_recompute AS SELECT team_id, client_id, professional_id FROM client_faces WHERE 0;
CREATE TRIGGER client_faces_recompute_one INSTEAD OF INSERT ON client_faces_recompute
BEGIN
    DELETE FROM client_faces WHERE team_id = NEW.team_id AND client_id = NEW.client_id AND professional_id = NEW.professional_id;
    INSERT INTO client_faces (team_id, client_id, professional_id, first_s, first_ns)
    SELECT c.team_id, c.client_id, NEW.professional_id, c.occurred_s, c.occurred_ns FROM contacts c
    WHERE c.team_id = NEW.team_id AND c.client_id = NEW.client_id AND c.status = 'held'
      AND (c.professional_id = NEW.professional_id OR instr(',' || c.participants || ',', ',' || NEW.professional_id || ',') > 0)
      AND EXISTS (SELECT 1 FROM clients WHERE team_id = NEW.team_id AND id = NEW.client_id)
    ORDER BY c.occurred_s, c.occurred_ns LIMIT 1;
END;

CREATE TRIGGER client_faces_on_delete AFTER DELETE ON contacts WHEN OLD.status = 'held'
BEGIN
    INSERT INTO client_faces_recompute (team_id, client_id, professional_id)
    SELECT OLD.team_id, OLD.client_id, p.value FROM json_each('["' || OLD.professional_id || CASE WHEN OLD.participants = '' THEN '' ELSE '","' || replace(OLD.participants, ',', '","') END || '"]') p
    WHERE EXISTS (SELECT 1 FROM client_faces f WHERE f.team_id = OLD.team_id AND f.client_id = OLD.client_id
                      AND f.professional_id = p.value AND f.first_s = OLD.occurred_s AND f.first_ns = OLD.occurred_ns);
END;

-- A correction (PATCH /v1/contacts/{id}). Not on a change of team or client: that is only
-- ever a move of the whole client, whose first faces move with it (ON UPDATE CASCADE).
CREATE TRIGGER client_faces_on_update AFTER UPDATE OF professional_id, participants, occurred_s, occurred_ns, status ON contacts
BEGIN
    INSERT INTO client_faces_recompute (team_id, client_id, professional_id)
    SELECT OLD.team_id, OLD.client_id, p.value FROM json_each('["' || OLD.professional_id || CASE WHEN OLD.participants = '' THEN '' ELSE '","' || replace(OLD.participants, ',', '","') END || '"]') p
    WHERE OLD.status = 'held' AND EXISTS (SELECT 1 FROM client_faces f WHERE f.team_id = OLD.team_id AND f.client_id = OLD.client_id
                                              AND f.professional_id = p.value AND f.first_s = OLD.occurred_s AND f.first_ns = OLD.occurred_ns);
    INSERT INTO client_faces_recompute (team_id, client_id, professional_id)
    SELECT NEW.team_id, NEW.client_id, p.value FROM json_each('["' || NEW.professional_id || CASE WHEN NEW.participants = '' THEN '' ELSE '","' || replace(NEW.participants, ',', '","') END || '"]') p WHERE NEW.status = 'held' AND p.value <> '';
END;

-- The entities of SPEC §1. Dates are ISO text (YYYY-MM-DD sorts correctly as text);
-- instants are UTC epoch seconds + nanoseconds so ordering and range scans are exact; the
-- client's own RFC 3339 text is kept to return it unchanged.

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL
);

CREATE TABLE professionals (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    team_id     TEXT NOT NULL REFERENCES teams(id),
    discipline  TEXT NOT NULL,
    employment  TEXT NOT NULL CHECK (employment IN ('permanent','temporary','agency','volunteer')),
    started_on  TEXT NOT NULL,
    ended_on    TEXT
);
CREATE INDEX professionals_by_team ON professionals(team_id, id);

CREATE TABLE clients (
    id           TEXT PRIMARY KEY,
    external_ref TEXT NOT NULL,
    team_id      TEXT NOT NULL REFERENCES teams(id),
    opened_on    TEXT NOT NULL,
    closed_on    TEXT
);
CREATE INDEX clients_by_team ON clients(team_id, id);

-- seq orders two assignments with the same `from` (the later one wins).
CREATE TABLE primary_assignments (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id       TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    professional_id TEXT REFERENCES professionals(id),
    from_date       TEXT NOT NULL,
    reason          TEXT NOT NULL CHECK (reason IN ('start','turnover','leave','reorganisation','client_request','other'))
);
CREATE INDEX primary_assignments_by_client ON primary_assignments(client_id, from_date, seq);

-- WITHOUT ROWID: the primary key is the id, and the secondary index below carries it, so
-- loading a client's history is one covering index range scan (EXPLAIN QUERY PLAN:
-- "USING COVERING INDEX contacts_by_client_time").
CREATE TABLE contacts (
    id               TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    professional_id  TEXT NOT NULL REFERENCES professionals(id),
    participants     TEXT NOT NULL DEFAULT '',   -- professional ids joined by ',' (ids never contain ',')
    occurred_s       INTEGER NOT NULL,           -- UTC epoch seconds
    occurred_ns      INTEGER NOT NULL DEFAULT 0,
    occurred_at      TEXT NOT NULL,              -- as the client sent it
    mode             TEXT NOT NULL CHECK (mode IN ('home_visit','office_visit','outreach','phone','video','message','letter')),
    status           TEXT NOT NULL CHECK (status IN ('held','no_show','cancelled')),
    duration_minutes INTEGER
) WITHOUT ROWID;
CREATE INDEX contacts_by_client_time
    ON contacts(client_id, occurred_s, occurred_ns, id, professional_id, status, mode, participants, occurred_at, duration_minutes);
CREATE INDEX contacts_by_professional ON contacts(professional_id);

CREATE TABLE referrals (
    id                   TEXT PRIMARY KEY,
    client_id            TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    referred_on          TEXT NOT NULL,
    from_professional_id TEXT NOT NULL REFERENCES professionals(id),
    to_text              TEXT NOT NULL,
    to_professional_id   TEXT REFERENCES professionals(id),
    warm_handover        INTEGER NOT NULL CHECK (warm_handover IN (0,1)),
    status               TEXT NOT NULL CHECK (status IN ('open','accepted','declined','completed')),
    status_on            TEXT NOT NULL
);
CREATE INDEX referrals_by_client ON referrals(client_id, referred_on);

-- One open alert per client and flag at most (SPEC §3).
CREATE TABLE alerts (
    id                TEXT PRIMARY KEY,
    seq               INTEGER NOT NULL,           -- seq of the alert's latest event
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    team_id           TEXT NOT NULL,
    flag              TEXT NOT NULL,
    raised_on         TEXT NOT NULL,
    resolved_on       TEXT,
    acknowledged_by   TEXT,
    acknowledged_note TEXT,
    evidence          TEXT NOT NULL
);
CREATE UNIQUE INDEX alerts_one_open ON alerts(client_id, flag) WHERE resolved_on IS NULL;
CREATE INDEX alerts_by_team ON alerts(team_id, resolved_on, id);
CREATE INDEX alerts_by_client ON alerts(client_id);

-- AUTOINCREMENT: a seq is never reused, even after erasure deletes rows (strictly increasing).
CREATE TABLE alert_events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    event     TEXT NOT NULL CHECK (event IN ('raised','resolved')),
    alert_id  TEXT NOT NULL,
    client_id TEXT NOT NULL,
    team_id   TEXT NOT NULL,
    flag      TEXT NOT NULL,
    on_date   TEXT NOT NULL,
    evidence  TEXT NOT NULL
);
CREATE INDEX alert_events_by_client ON alert_events(client_id);
CREATE INDEX alert_events_by_team ON alert_events(team_id, seq);

-- Cron consumers of `continuity export-alerts`: the last seq each has written out. An export
-- first records its finished temporary file here (pending_*), then renames it into place, then
-- clears pending: a run killed at any point is completed or undone by the next run, so no
-- event is exported twice or skipped.
CREATE TABLE export_cursors (
    consumer     TEXT PRIMARY KEY,
    last_seq     INTEGER NOT NULL,
    pending_from INTEGER,
    pending_tmp  TEXT,
    pending_out  TEXT
);

-- Only the SHA-256 of a token is stored (SPEC §4).
CREATE TABLE tokens (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('worker','manager','exporter','admin')),
    team_id     TEXT REFERENCES teams(id),
    hash        BLOB NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    token_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    client_id   TEXT,
    request_id  TEXT NOT NULL
);
CREATE INDEX audit_by_client ON audit(client_id, seq);

-- Erasure (SPEC §4) is the one thing allowed to remove audit rows, and only those of the
-- client being erased: it names the client here inside its transaction first.
CREATE TABLE erasure_in_progress (client_id TEXT PRIMARY KEY);

-- The audit log is append-only for the application.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN OLD.client_id IS NULL OR OLD.client_id NOT IN (SELECT client_id FROM erasure_in_progress)
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

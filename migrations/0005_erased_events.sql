-- SPEC §3: erasing a client deletes its events and appends one `erased` event (alert_id, flag
-- and evidence null), so every export consumer learns it must delete what it holds about that
-- client (AVG art. 17(2), 19). SQLite cannot change a CHECK or a NOT NULL in place, so the table
-- is rebuilt (sqlite.org/lang_altertable.html#otheralter) keeping every seq.
CREATE TABLE alert_events_new (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    event     TEXT NOT NULL CHECK (event IN ('raised','resolved','erased')),
    alert_id  TEXT,
    client_id TEXT NOT NULL,
    team_id   TEXT NOT NULL,
    flag      TEXT,
    on_date   TEXT NOT NULL,
    evidence  TEXT,
    CHECK ((event = 'erased') = (alert_id IS NULL AND flag IS NULL AND evidence IS NULL))
);
INSERT INTO alert_events_new (seq, event, alert_id, client_id, team_id, flag, on_date, evidence)
    SELECT seq, event, alert_id, client_id, team_id, flag, on_date, evidence FROM alert_events;
-- A seq is never reused (strictly increasing for consumers), even one whose row erasure deleted:
-- carry the old AUTOINCREMENT high-water mark over.
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'alert_events_new', seq FROM sqlite_sequence WHERE name = 'alert_events'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'alert_events_new');
UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'alert_events'))
    WHERE name = 'alert_events_new' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'alert_events');
DROP TABLE alert_events;
ALTER TABLE alert_events_new RENAME TO alert_events;
CREATE INDEX alert_events_by_client ON alert_events(client_id);
CREATE INDEX alert_events_by_team ON alert_events(team_id, seq);
-- Pruning the erased events (every consumer has passed them, or 30 days) finds them at once.
CREATE INDEX alert_events_erased ON alert_events(on_date) WHERE event = 'erased';

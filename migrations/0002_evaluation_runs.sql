-- Completed re-evaluations of every open client (SPEC §3: daily at 00:05 while serving, and
-- `continuity evaluate`). A server started after the day's run time catches up when the
-- latest run here is older than today.
CREATE TABLE evaluation_runs (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    as_of       TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    clients     INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    failures    INTEGER NOT NULL
);
CREATE INDEX evaluation_runs_by_date ON evaluation_runs(as_of);

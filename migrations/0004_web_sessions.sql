-- Sign-in sessions of the web pages (SPEC §9). A person pastes a token once; the browser then
-- holds a random session id in a cookie. Only the SHA-256 of that id is stored, so a copy of
-- the database cannot be used to sign in. A session ends when it expires, at sign-out (the row
-- is deleted), or when its token is revoked (the trigger below; the lookup also joins on a
-- live token, so nothing depends on the trigger alone).
CREATE TABLE web_sessions (
    id_hash    BLOB PRIMARY KEY,
    token_id   TEXT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_s  INTEGER NOT NULL           -- UTC epoch seconds
) WITHOUT ROWID;
CREATE INDEX web_sessions_by_token ON web_sessions(token_id);

CREATE TRIGGER web_sessions_end_on_revoke AFTER UPDATE OF revoked_at ON tokens
WHEN NEW.revoked_at IS NOT NULL
BEGIN DELETE FROM web_sessions WHERE token_id = NEW.id; END;

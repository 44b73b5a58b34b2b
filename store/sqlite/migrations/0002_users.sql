-- 0002_users: users, API tokens, browser sessions and the audit log.
--
-- Secrets are never stored: a password as its bcrypt hash, an API token and a
-- session id as the hex SHA-256 of the value the client holds, so that a copy
-- of this file lets nobody in.

-- users: name is unique without regard to ASCII case ("Alice" is "alice").
-- role is checked here as well as in Go: it is the security boundary, and the
-- table is small enough to rebuild if a role is ever added.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'planner', 'viewer')),
    password_hash TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
) STRICT;

-- api_tokens: a token acts as its user, limited to role when role is not
-- NULL. A revoked token keeps its row (revoked_at set) so that the list shows
-- what existed and when it stopped; deleting the user deletes its tokens.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label        TEXT    NOT NULL DEFAULT '',
    hash         TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64),
    role         TEXT    CHECK (role IN ('admin', 'planner', 'viewer')),
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;

CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- sessions: a signed-in browser. id_hash is the SHA-256 of the cookie value;
-- csrf is the session's CSRF token (useless without the cookie).
CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY CHECK (length(id_hash) = 64),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT    NOT NULL CHECK (csrf <> ''),
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- audit_log: every change, written in the transaction of the change. Actor,
-- portfolio and entity are text, not foreign keys, so that the history of a
-- deleted user or portfolio stays. before_data and after_data are JSON (NULL for
-- nothing): an entity's document, or for a whole-portfolio save the parts
-- that changed. id grows with time, so "newest first" is ORDER BY id DESC.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    portfolio_id TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL DEFAULT '',
    entity_id    TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 0,
    detail       TEXT    NOT NULL DEFAULT '',
    before_data  TEXT    CHECK (before_data IS NULL OR json_valid(before_data)),
    after_data   TEXT    CHECK (after_data IS NULL OR json_valid(after_data))
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_portfolio ON audit_log (portfolio_id, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);

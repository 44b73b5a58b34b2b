-- 0003_server_secret: settings of the server kept with the database.
--
-- One row per setting. Today only 'login_csrf_key': the 32 random bytes that
-- key the CSRF token of the login form, made on first use (DB.ServerSecret),
-- so that a login form left open across a restart of the server still works.
-- It guards only the anonymous login form (a signed-in session's token is
-- random and stored with the session): a copy of this file still lets nobody
-- in.
CREATE TABLE server_settings (
    key   TEXT NOT NULL PRIMARY KEY CHECK (key <> ''),
    value BLOB NOT NULL
) STRICT;

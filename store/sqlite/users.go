package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"blockplan/model"
)

var (
	_ model.UserStore    = (*DB)(nil)
	_ model.TokenStore   = (*DB)(nil)
	_ model.SessionStore = (*DB)(nil)
)

// tokenTouchEvery is how stale a token's last_used_at may get before a use
// writes it again: often enough to tell a live token from a forgotten one,
// rarely enough that API reads do not queue behind the write lock.
const tokenTouchEvery = time.Minute

// userRow is what the users table holds about one user.
type userRow struct {
	model.User
	hash string
}

func scanUser(s interface{ Scan(...any) error }) (userRow, error) {
	var u userRow
	var role, created, updated string
	if err := s.Scan(&u.ID, &u.Name, &role, &u.hash, &created, &updated); err != nil {
		return u, err
	}
	u.Role = model.Role(role)
	var err error
	if u.CreatedAt, err = parseTime(created); err != nil {
		return u, err
	}
	u.UpdatedAt, err = parseTime(updated)
	return u, err
}

const userColumns = `id, name, role, password_hash, created_at, updated_at`

// getUser reads user name with q (a *sql.Tx or *sql.DB); ENOTFOUND if none.
func getUser(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, name string) (userRow, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, model.Errorf(model.ENOTFOUND, "no user %s", name)
	}
	return u, dbError(err)
}

// userJSON is a user as the audit log shows it: never the password hash.
func userJSON(name string, role model.Role) []byte {
	return auditJSON(map[string]string{"name": name, "role": string(role)})
}

// CreateUser adds a user with a password hash (made by web/auth).
func (db *DB) CreateUser(ctx context.Context, name string, role model.Role, passwordHash string) (model.User, error) {
	if err := model.ValidUserName(name); err != nil {
		return model.User{}, err
	}
	if !role.Valid() {
		return model.User{}, model.Errorf(model.EINVALID, "unknown role %q: want admin, planner or viewer", role)
	}
	if passwordHash == "" {
		return model.User{}, model.Errorf(model.EINVALID, "user %s needs a password", name)
	}
	var u model.User
	err := db.write(ctx, func(tx *sql.Tx) error {
		if old, err := getUser(ctx, tx, name); err == nil {
			return model.Errorf(model.ECONFLICT, "user %s already exists", old.Name)
		} else if model.ErrorCode(err) != model.ENOTFOUND {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			name, string(role), passwordHash, formatTime(now), formatTime(now))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		created, _ := parseTime(formatTime(now)) // as it will read back
		u = model.User{ID: id, Name: name, Role: role, CreatedAt: created, UpdatedAt: created}
		return db.insertAudit(ctx, tx, model.AuditEntry{Action: model.ActionCreate, Kind: model.KindUser,
			EntityID: name, After: userJSON(name, role)})
	})
	if err != nil {
		return model.User{}, fmt.Errorf("create user %s: %w", name, err)
	}
	return u, nil
}

// GetUser reads one user.
func (db *DB) GetUser(ctx context.Context, name string) (model.User, error) {
	u, err := getUser(ctx, db.ro, name)
	if err != nil {
		return model.User{}, fmt.Errorf("get user %s: %w", name, err)
	}
	return u.User, nil
}

// UserPasswordHash reads a user and its password hash, for a login.
func (db *DB) UserPasswordHash(ctx context.Context, name string) (model.User, string, error) {
	u, err := getUser(ctx, db.ro, name)
	if err != nil {
		return model.User{}, "", fmt.Errorf("get user %s: %w", name, err)
	}
	return u.User, u.hash, nil
}

// ListUsers lists every user by name.
func (db *DB) ListUsers(ctx context.Context) ([]model.User, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", dbError(err))
	}
	defer rows.Close()
	users := []model.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", dbError(err))
		}
		users = append(users, u.User)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", dbError(err))
	}
	return users, nil
}

// keepAnAdmin refuses a change that would take the admin role from u when u
// is the last admin: nobody could manage users any more, short of the CLI.
func keepAnAdmin(ctx context.Context, tx *sql.Tx, u userRow, what string) error {
	if u.Role != model.RoleAdmin {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin'`).Scan(&n); err != nil {
		return err
	}
	if n <= 1 {
		return model.Errorf(model.ECONFLICT, "cannot %s %s: it is the last admin; make another admin first", what, u.Name)
	}
	return nil
}

// DeleteUser deletes a user and, by cascade, its sessions and tokens. The
// last admin cannot be deleted.
func (db *DB) DeleteUser(ctx context.Context, name string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := keepAnAdmin(ctx, tx, u, "remove"); err != nil {
			return err
		}
		var tokens, sessions int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL),
       (SELECT count(*) FROM sessions WHERE user_id = ?)`, u.ID, u.ID).Scan(&tokens, &sessions); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, u.ID); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx, model.AuditEntry{Action: model.ActionDelete, Kind: model.KindUser,
			EntityID: u.Name, Before: userJSON(u.Name, u.Role),
			Detail: fmt.Sprintf("%d live token(s) and %d session(s) ended", tokens, sessions)})
	})
	if err != nil {
		return fmt.Errorf("remove user %s: %w", name, err)
	}
	return nil
}

// SetPasswordHash changes a user's password and signs it out everywhere: a
// password is changed because it may be known to someone else.
func (db *DB) SetPasswordHash(ctx context.Context, name, passwordHash string) error {
	if passwordHash == "" {
		return model.Errorf(model.EINVALID, "user %s needs a password", name)
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
			passwordHash, formatTime(db.now()), u.ID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		return db.insertAudit(ctx, tx, model.AuditEntry{Action: model.ActionUpdate, Kind: model.KindUser,
			EntityID: u.Name, Detail: fmt.Sprintf("password changed; %d session(s) ended", n)})
	})
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	return nil
}

// SetRole changes a user's role. It applies at once to the user's sessions
// and tokens, which read the role on every request. The last admin keeps
// its role.
func (db *DB) SetRole(ctx context.Context, name string, role model.Role) error {
	if !role.Valid() {
		return model.Errorf(model.EINVALID, "unknown role %q: want admin, planner or viewer", role)
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, name)
		if err != nil {
			return err
		}
		if u.Role == role {
			return nil
		}
		if err := keepAnAdmin(ctx, tx, u, "change the role of"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, updated_at = ? WHERE id = ?`,
			string(role), formatTime(db.now()), u.ID); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx, model.AuditEntry{Action: model.ActionUpdate, Kind: model.KindUser,
			EntityID: u.Name, Before: userJSON(u.Name, u.Role), After: userJSON(u.Name, role)})
	})
	if err != nil {
		return fmt.Errorf("set role of %s: %w", name, err)
	}
	return nil
}

// validTokenLabel checks a token label: up to 64 printable characters, not
// all digits (RevokeToken takes an id or a label, so "12" must be an id).
func validTokenLabel(label string) error {
	if utf8.RuneCountInString(label) > 64 {
		return model.Errorf(model.EINVALID, "token label %q is longer than 64 characters", label)
	}
	digits := label != ""
	for _, c := range label {
		if !unicode.IsPrint(c) {
			return model.Errorf(model.EINVALID, "token label %q has a character that cannot be printed", label)
		}
		digits = digits && '0' <= c && c <= '9'
	}
	if digits {
		return model.Errorf(model.EINVALID, "token label %q is only digits, which would read as a token id", label)
	}
	return nil
}

// validHash checks a hex SHA-256 as web/auth makes it.
func validHash(what, h string) error {
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		return model.Errorf(model.EINVALID, "%s must be a lowercase hex SHA-256", what)
	}
	return nil
}

const tokenColumns = `t.id, u.name, t.label, coalesce(t.role, ''), t.created_at, t.last_used_at, t.revoked_at`

func scanToken(s interface{ Scan(...any) error }) (model.Token, error) {
	var t model.Token
	var role, created string
	var used, revoked sql.NullString
	if err := s.Scan(&t.ID, &t.UserName, &t.Label, &role, &created, &used, &revoked); err != nil {
		return t, err
	}
	t.Role = model.Role(role)
	var err error
	if t.CreatedAt, err = parseTime(created); err != nil {
		return t, err
	}
	if t.LastUsed, err = parseNullTime(used); err != nil {
		return t, err
	}
	t.RevokedAt, err = parseNullTime(revoked)
	return t, err
}

func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func tokenJSON(t model.Token) []byte {
	m := map[string]string{"user": t.UserName, "label": t.Label}
	if t.Role != "" {
		m["role"] = string(t.Role)
	}
	return auditJSON(m)
}

// CreateToken stores the hash of a new API token of user userName.
func (db *DB) CreateToken(ctx context.Context, userName, label string, role model.Role, tokenHash string) (model.Token, error) {
	if role != "" && !role.Valid() {
		return model.Token{}, model.Errorf(model.EINVALID, "unknown role %q: want admin, planner or viewer", role)
	}
	if err := validTokenLabel(label); err != nil {
		return model.Token{}, err
	}
	if err := validHash("a token hash", tokenHash); err != nil {
		return model.Token{}, err
	}
	var t model.Token
	err := db.write(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, userName)
		if err != nil {
			return err
		}
		if role != "" && !u.Role.Allows(role) {
			return model.Errorf(model.EINVALID, "user %s is %s: a token of it cannot be %s", u.Name, u.Role, role)
		}
		now := db.now()
		var roleArg any
		if role != "" {
			roleArg = string(role)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, label, hash, role, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.ID, label, tokenHash, roleArg, formatTime(now))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		created, _ := parseTime(formatTime(now))
		t = model.Token{ID: id, UserName: u.Name, Label: label, Role: role, CreatedAt: created}
		return db.insertAudit(ctx, tx, model.AuditEntry{Action: model.ActionCreate, Kind: model.KindToken,
			EntityID: strconv.FormatInt(id, 10), After: tokenJSON(t)})
	})
	if err != nil {
		return model.Token{}, fmt.Errorf("add token for %s: %w", userName, err)
	}
	return t, nil
}

// TokenUser finds the live token with tokenHash and its user, with the role
// the token acts with.
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (model.User, model.Token, error) {
	unauthorized := model.Errorf(model.EUNAUTHORIZED, "the API token is not valid")
	if validHash("a token hash", tokenHash) != nil {
		return model.User{}, model.Token{}, unauthorized
	}
	q := `SELECT ` + tokenColumns + `, ` + prefixed("u.", userColumns) + `
FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`
	var t model.Token
	var u userRow
	var role, created, updated string
	var tokRole, tokCreated string
	var used, revoked sql.NullString
	err := db.ro.QueryRowContext(ctx, q, tokenHash).Scan(&t.ID, &t.UserName, &t.Label, &tokRole, &tokCreated, &used, &revoked,
		&u.ID, &u.Name, &role, &u.hash, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return model.User{}, model.Token{}, unauthorized
	} else if err != nil {
		return model.User{}, model.Token{}, fmt.Errorf("check token: %w", dbError(err))
	}
	if revoked.Valid {
		return model.User{}, model.Token{}, model.Errorf(model.EUNAUTHORIZED, "the API token was revoked")
	}
	t.Role, u.Role = model.Role(tokRole), model.Role(role)
	for _, p := range []struct {
		s   string
		dst *time.Time
	}{{tokCreated, &t.CreatedAt}, {created, &u.CreatedAt}, {updated, &u.UpdatedAt}} {
		if *p.dst, err = parseTime(p.s); err != nil {
			return model.User{}, model.Token{}, fmt.Errorf("check token: %w", err)
		}
	}
	if t.LastUsed, err = parseNullTime(used); err != nil {
		return model.User{}, model.Token{}, fmt.Errorf("check token: %w", err)
	}
	if t.Role != "" {
		u.Role = u.Role.Lesser(t.Role)
	}
	now := db.now()
	if t.LastUsed == nil || now.Sub(*t.LastUsed) >= tokenTouchEvery {
		// Noting the use is bookkeeping: a failure to write it (a busy
		// database) does not refuse a valid token.
		err := db.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, formatTime(now), t.ID)
			return err
		})
		if err == nil {
			t.LastUsed = &now
		}
	}
	return u.User, t, nil
}

// prefixed puts p before each column of a comma-separated list.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

// ListTokens lists tokens, newest first: of userName, or of everyone.
func (db *DB) ListTokens(ctx context.Context, userName string) ([]model.Token, error) {
	tokens := []model.Token{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		q := `SELECT ` + tokenColumns + ` FROM api_tokens t JOIN users u ON u.id = t.user_id`
		var args []any
		if userName != "" {
			u, err := getUser(ctx, tx, userName)
			if err != nil {
				return err
			}
			q += ` WHERE t.user_id = ?`
			args = append(args, u.ID)
		}
		rows, err := tx.QueryContext(ctx, q+` ORDER BY t.id DESC`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			tokens = append(tokens, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken revokes the token with id idOrLabel (all digits) or the one
// live token with that label. A revoked token stays listed.
func (db *DB) RevokeToken(ctx context.Context, idOrLabel string) (model.Token, error) {
	var t model.Token
	err := db.write(ctx, func(tx *sql.Tx) error {
		q := `SELECT ` + tokenColumns + ` FROM api_tokens t JOIN users u ON u.id = t.user_id`
		var arg any
		if id, err := strconv.ParseInt(idOrLabel, 10, 64); err == nil {
			q, arg = q+` WHERE t.id = ?`, id
		} else {
			q, arg = q+` WHERE t.label = ? AND t.revoked_at IS NULL`, idOrLabel
		}
		rows, err := tx.QueryContext(ctx, q+` ORDER BY t.id`, arg)
		if err != nil {
			return err
		}
		defer rows.Close()
		var found []model.Token
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			found = append(found, t)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		switch {
		case len(found) == 0:
			return model.Errorf(model.ENOTFOUND, "no live token %s", idOrLabel)
		case len(found) > 1:
			ids := make([]string, len(found))
			for i, f := range found {
				ids[i] = strconv.FormatInt(f.ID, 10)
			}
			return model.Errorf(model.EINVALID, "label %q names %d tokens (ids %s); give the id", idOrLabel, len(found), strings.Join(ids, ", "))
		case found[0].Revoked():
			return model.Errorf(model.ECONFLICT, "token %d was already revoked", found[0].ID)
		}
		t = found[0]
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, formatTime(now), t.ID); err != nil {
			return err
		}
		revoked, _ := parseTime(formatTime(now))
		t.RevokedAt = &revoked
		return db.insertAudit(ctx, tx, model.AuditEntry{Action: model.ActionRevoke, Kind: model.KindToken,
			EntityID: strconv.FormatInt(t.ID, 10), Before: tokenJSON(t)})
	})
	if err != nil {
		return model.Token{}, fmt.Errorf("revoke token %s: %w", idOrLabel, err)
	}
	return t, nil
}

// CreateSession stores a signed-in session and records the login. The
// session's user is s.User.ID or, when that is 0, s.User.Name.
func (db *DB) CreateSession(ctx context.Context, s model.Session) error {
	if err := validHash("a session id hash", s.IDHash); err != nil {
		return err
	}
	if s.CSRFToken == "" {
		return model.Errorf(model.EINVALID, "a session needs a CSRF token")
	}
	now := db.now()
	if !s.ExpiresAt.After(now) {
		return model.Errorf(model.EINVALID, "a session must expire after it starts")
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		var u userRow
		var err error
		if s.User.ID != 0 {
			u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, s.User.ID))
			if errors.Is(err, sql.ErrNoRows) {
				return model.Errorf(model.ENOTFOUND, "no user with id %d", s.User.ID)
			}
		} else {
			u, err = getUser(ctx, tx, s.User.Name)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			s.IDHash, u.ID, s.CSRFToken, formatTime(now), formatTime(s.ExpiresAt)); err != nil {
			return err
		}
		e := model.AuditEntry{Actor: u.Name, Action: model.ActionLogin, Kind: model.KindSession, EntityID: u.Name,
			Detail: "until " + formatTime(s.ExpiresAt)}
		if actor, ok := model.ActorFrom(ctx); ok {
			e.Actor = actor
		}
		return db.insertAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash reads the live session with idHash and its user.
func (db *DB) SessionByHash(ctx context.Context, idHash string) (model.Session, error) {
	unauthorized := model.Errorf(model.EUNAUTHORIZED, "not signed in")
	if validHash("a session id hash", idHash) != nil {
		return model.Session{}, unauthorized
	}
	q := `SELECT s.id_hash, s.csrf, s.created_at, s.expires_at, ` + prefixed("u.", userColumns) + `
FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`
	var s model.Session
	var created, expires string
	var u userRow
	var role, uCreated, uUpdated string
	err := db.ro.QueryRowContext(ctx, q, idHash).Scan(&s.IDHash, &s.CSRFToken, &created, &expires,
		&u.ID, &u.Name, &role, &u.hash, &uCreated, &uUpdated)
	if errors.Is(err, sql.ErrNoRows) {
		return model.Session{}, unauthorized
	} else if err != nil {
		return model.Session{}, fmt.Errorf("read session: %w", dbError(err))
	}
	u.Role = model.Role(role)
	for _, p := range []struct {
		s   string
		dst *time.Time
	}{{created, &s.CreatedAt}, {expires, &s.ExpiresAt}, {uCreated, &u.CreatedAt}, {uUpdated, &u.UpdatedAt}} {
		if *p.dst, err = parseTime(p.s); err != nil {
			return model.Session{}, fmt.Errorf("read session: %w", err)
		}
	}
	if !db.now().Before(s.ExpiresAt) {
		return model.Session{}, model.Errorf(model.EUNAUTHORIZED, "the session has expired; sign in again")
	}
	s.User = u.User
	return s, nil
}

// DeleteSession ends a session and records the logout.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
			return err
		}
		e := model.AuditEntry{Actor: name, Action: model.ActionLogout, Kind: model.KindSession, EntityID: name}
		if actor, ok := model.ActorFrom(ctx); ok {
			e.Actor = actor
		}
		return db.insertAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions past their expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(db.now()))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(n), nil
}

package model

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user may do on a shared blockplan server. Roles nest: an
// admin may do everything a planner may, and a planner everything a viewer
// may.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin   Role = "admin"   // users, tokens, the audit log and everything a planner does
	RolePlanner Role = "planner" // edit portfolios: import, entity edits, settings
	RoleViewer  Role = "viewer"  // read pages, export, reports (donors)
)

// Roles lists the roles from most to least powerful.
var Roles = []Role{RoleAdmin, RolePlanner, RoleViewer}

// roleRank orders the roles; an unknown role ranks 0 and is allowed nothing.
func roleRank(r Role) int {
	switch r {
	case RoleAdmin:
		return 3
	case RolePlanner:
		return 2
	case RoleViewer:
		return 1
	}
	return 0
}

// ParseRole reads a role name (case and surrounding space ignored).
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if roleRank(r) == 0 {
		return "", Errorf(EINVALID, "unknown role %q: want admin, planner or viewer", s)
	}
	return r, nil
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return roleRank(r) > 0 }

// Allows reports whether a user with role r may do what needs role min. An
// unknown role allows nothing, and nothing allows an unknown role.
func (r Role) Allows(min Role) bool {
	return roleRank(r) > 0 && roleRank(min) > 0 && roleRank(r) >= roleRank(min)
}

// Lesser is the less powerful of r and o: a token limited to a role acts with
// at most that role, whatever its user may do.
func (r Role) Lesser(o Role) Role {
	if roleRank(o) < roleRank(r) {
		return o
	}
	return r
}

// ValidUserName checks a user name: 1 to 64 characters, letters, digits and
// . _ - @ only, starting with a letter or digit, and not "unknown". Names are
// compared without regard to ASCII case ("Alice" and "alice" are one user).
// The rules keep names readable in the audit log and safe in a terminal, and
// no user can pass for the command line ("cli:…") or ActorUnknown there.
func ValidUserName(name string) error {
	if name == "" {
		return Errorf(EINVALID, "a user name cannot be empty")
	}
	if strings.EqualFold(name, ActorUnknown) {
		return Errorf(EINVALID, "user name %q is reserved", name)
	}
	if utf8.RuneCountInString(name) > 64 {
		return Errorf(EINVALID, "user name %q is longer than 64 characters", name)
	}
	for i, c := range name {
		ok := unicode.IsLetter(c) || unicode.IsDigit(c)
		if i > 0 {
			ok = ok || c == '.' || c == '_' || c == '-' || c == '@'
		}
		if !ok {
			return Errorf(EINVALID, "user name %q: use letters, digits and . _ - @ only, starting with a letter or digit", name)
		}
	}
	return nil
}

// User is a person (or a service) that may sign in. The password hash is not
// part of it: only UserStore.UserPasswordHash hands that out, for a login.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Token is an API token. It acts as its user (UserName), with at most Role
// when Role is set. Only a hash of the token is stored, so a stored Token
// never gives the token back; it is shown once, when made.
type Token struct {
	ID       int64  `json:"id"`
	UserName string `json:"user"`
	// Label tells a user's tokens apart ("ci", "donor dashboard"); optional.
	Label string `json:"label,omitempty"`
	// Role, when set, limits the token to that role (a planner's read-only
	// token for a script); empty means the user's role, whatever it is now.
	Role      Role       `json:"role,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	LastUsed  *time.Time `json:"last_used,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Revoked reports whether the token may no longer be used.
func (t Token) Revoked() bool { return t.RevokedAt != nil }

// Session is a signed-in browser. The session id lives only in the cookie;
// the store keeps its hash, so that a copy of the database does not let
// anyone in.
type Session struct {
	IDHash string `json:"-"`
	// User is the user as stored now (role changes apply at once).
	User User `json:"user"`
	// CSRFToken is the session's CSRF token, random per session: every write
	// that comes with the session cookie must carry it.
	CSRFToken string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Kinds of audit entries beyond the entity kinds (KindProgramme, …).
const (
	KindPortfolio = "portfolio" // a whole-portfolio save or delete
	KindUser      = "user"
	KindToken     = "token"
	KindSession   = "session" // sign-in and sign-out
)

// Audit actions.
const (
	ActionCreate      = "create"
	ActionUpdate      = "update"
	ActionRename      = "rename" // an entity edit that changed its id
	ActionDelete      = "delete"
	ActionRevoke      = "revoke"
	ActionLogin       = "login"
	ActionLoginFailed = "login_failed"
	ActionLogout      = "logout"
	ActionRestore     = "restore"
)

// AuditEntry is one change (or sign-in) in the audit log: who, when, what,
// and the state before and after. Before is null for a creation and After
// for a deletion; neither ever holds a password or token hash.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	// PortfolioID, Kind and EntityID say what changed: an entity of a
	// portfolio (all three), a whole portfolio (Kind "portfolio"), a user
	// or a token (Kind "user"/"token", EntityID its name or id).
	PortfolioID string `json:"portfolio_id,omitempty"`
	Kind        string `json:"kind,omitempty"`
	EntityID    string `json:"entity_id,omitempty"`
	// Version is the portfolio version the change made (0 when not a
	// portfolio change).
	Version int `json:"version,omitempty"`
	// Detail is a short summary for a list ("3 created, 1 updated") or a
	// note (a failed sign-in's client address).
	Detail string          `json:"detail,omitempty"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	PortfolioID string // only changes to this portfolio
	Actor       string // only changes by this actor
	Kind        string // only this kind
	EntityID    string // only this entity (with Kind)
	// BeforeID, when > 0, starts after the entry with that id (keyset
	// paging: pass the last ID of the previous page).
	BeforeID int64
	Limit    int // default 100, at most 1000
	Offset   int
	// Bodies asks for Before and After too; a list page leaves them out,
	// since a portfolio import carries the whole document.
	Bodies bool
}

// UserStore keeps users. Names are unique regardless of ASCII case. Every
// change is recorded in the audit log in the same transaction, under the
// actor of the context (see WithActor). Errors: ENOTFOUND, ECONFLICT (the
// name is taken; or the change would leave no admin), EINVALID.
type UserStore interface {
	CreateUser(ctx context.Context, name string, role Role, passwordHash string) (User, error)
	GetUser(ctx context.Context, name string) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
	// UserPasswordHash is the user and its password hash, for a login.
	UserPasswordHash(ctx context.Context, name string) (User, string, error)
	// DeleteUser deletes the user with its sessions and tokens.
	DeleteUser(ctx context.Context, name string) error
	// SetPasswordHash changes the password and ends the user's sessions.
	SetPasswordHash(ctx context.Context, name, passwordHash string) error
	SetRole(ctx context.Context, name string, role Role) error
}

// TokenStore keeps API tokens by the hash of the token.
type TokenStore interface {
	// CreateToken stores the hash of a new token of user userName. role,
	// when not empty, limits the token to that role.
	CreateToken(ctx context.Context, userName, label string, role Role, tokenHash string) (Token, error)
	// TokenUser finds the live token with tokenHash and its user, whose Role
	// is the role the token acts with (the lesser of the user's and the
	// token's). An unknown or revoked token is EUNAUTHORIZED. It notes when
	// the token was last used (at most once a minute, so that reads do not
	// turn into writes).
	TokenUser(ctx context.Context, tokenHash string) (User, Token, error)
	// ListTokens lists the tokens of userName, or of everyone when "",
	// revoked ones included.
	ListTokens(ctx context.Context, userName string) ([]Token, error)
	// RevokeToken revokes the token whose id (decimal) or label is
	// idOrLabel; a label that names several live tokens is EINVALID.
	RevokeToken(ctx context.Context, idOrLabel string) (Token, error)
}

// SessionStore keeps signed-in browser sessions by the hash of their id.
type SessionStore interface {
	// CreateSession stores s (IDHash, User.ID or User.Name, CSRFToken,
	// ExpiresAt; CreatedAt is set by the store) and records a login.
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash is the live session with idHash and its user as stored
	// now; an unknown or expired session is EUNAUTHORIZED.
	SessionByHash(ctx context.Context, idHash string) (Session, error)
	// DeleteSession ends a session (logout); ending one that is gone is not
	// an error.
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteExpiredSessions removes sessions past their expiry and says how
	// many it removed.
	DeleteExpiredSessions(ctx context.Context) (int, error)
}

// AuditLog is the record of every change. Stores write it themselves, in the
// transaction of each change; RecordAudit is for events that change nothing
// stored (a failed sign-in).
type AuditLog interface {
	RecordAudit(ctx context.Context, e AuditEntry) error
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	GetAudit(ctx context.Context, id int64) (AuditEntry, error)
}

type actorKey struct{}

// WithActor returns a context whose writes are recorded in the audit log as
// made by name: the signed-in user's name in web, "cli:" and the OS user in
// the command line.
func WithActor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, actorKey{}, name)
}

// ActorFrom is the actor WithActor put in ctx, if any.
func ActorFrom(ctx context.Context) (string, bool) {
	name, ok := ctx.Value(actorKey{}).(string)
	return name, ok && name != ""
}

// ActorUnknown is the actor recorded for a write whose context carries none:
// a write is never left out of the audit log, but an entry by "unknown"
// shows a caller that forgot WithActor.
const ActorUnknown = "unknown"

// Actor is the actor of ctx, or ActorUnknown.
func Actor(ctx context.Context) string {
	if name, ok := ActorFrom(ctx); ok {
		return name
	}
	return ActorUnknown
}

package auth

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"blockplan/model"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "bp_session"

// SessionLifetime is how long a sign-in lasts: a working day, so that a
// browser left open overnight is signed out.
const SessionLifetime = 12 * time.Hour

// How a request was authenticated.
const (
	ViaNone   = ""
	ViaCookie = "cookie"
	ViaBearer = "bearer"
)

// Stores are the stores the Authenticator reads and writes.
type Stores interface {
	model.UserStore
	model.TokenStore
	model.SessionStore
	model.AuditLog
}

// Authenticator signs users in and out and finds who sent a request. It
// knows nothing of gin: web calls it from its middleware and handlers.
type Authenticator struct {
	Store   Stores
	Limiter *Limiter
	// Now is the clock (time.Now if nil).
	Now func() time.Time
}

// NewAuthenticator makes an Authenticator with the default limits.
func NewAuthenticator(st Stores) *Authenticator {
	return &Authenticator{Store: st, Limiter: NewLimiter(DefaultLimits, nil)}
}

func (a *Authenticator) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Identity is who sent a request. User is nil for the anonymous; Reason then
// says why a credential that was given was not accepted ("the API token was
// revoked"), for the 401.
type Identity struct {
	User *model.User
	Via  string
	// Session is the signed-in session when Via is ViaCookie: its
	// CSRFToken is what a write must carry.
	Session *model.Session
	// Token is the API token when Via is ViaBearer.
	Token  *model.Token
	Reason string
}

// Actor is the name audit entries give to what this identity changes (see
// model.WithActor): the user's name, whether it came by cookie or token, so
// that an admin can list everything one person did.
func (id Identity) Actor() string {
	if id.User == nil {
		return "anonymous"
	}
	return id.User.Name
}

// Authenticate finds who sent r: an "Authorization: Bearer TOKEN" header
// first (a script that sends one means it), else the session cookie. A
// missing or bad credential gives an anonymous Identity and a nil error; an
// error is a failure of the store. An Authorization header that is present
// but not a bearer token is a bad credential.
func (a *Authenticator) Authenticate(ctx context.Context, r *http.Request) (Identity, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := ParseBearer(h)
		if !ok {
			return Identity{Reason: "the Authorization header must be 'Bearer TOKEN'"}, nil
		}
		if !LooksLikeToken(token) {
			return Identity{Reason: "the API token is not valid"}, nil
		}
		u, t, err := a.Store.TokenUser(ctx, HashToken(token))
		if model.ErrorCode(err) == model.EUNAUTHORIZED {
			return Identity{Reason: model.ErrorMessage(err)}, nil
		} else if err != nil {
			return Identity{}, err
		}
		return Identity{User: &u, Via: ViaBearer, Token: &t}, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || !ValidSessionID(c.Value) {
		return Identity{}, nil
	}
	s, err := a.Store.SessionByHash(ctx, HashSessionID(c.Value))
	if model.ErrorCode(err) == model.EUNAUTHORIZED {
		return Identity{Reason: model.ErrorMessage(err)}, nil
	} else if err != nil {
		return Identity{}, err
	}
	return Identity{User: &s.User, Via: ViaCookie, Session: &s}, nil
}

// LimitedError refuses a sign-in attempt without checking the password:
// too many failed ones came before it. Web answers 429 with Retry-After.
type LimitedError struct {
	RetryAfter time.Duration
	Locked     bool
}

func (e *LimitedError) Error() string {
	secs := int(e.RetryAfter.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	if e.Locked {
		return fmt.Sprintf("too many failed sign-ins; sign-in is locked for %d seconds", secs)
	}
	return fmt.Sprintf("too many failed sign-ins; wait %d seconds and try again", secs)
}

// errBadLogin is the one answer to a wrong name or a wrong password, so that
// it does not tell which names exist.
func errBadLogin() error {
	return model.Errorf(model.EUNAUTHORIZED, "wrong user name or password")
}

// Login checks a name and password from client address addr and, if they
// are right, starts a session: sessionID goes in the cookie (see Cookie),
// the returned session holds the user and the CSRF token. It answers a
// *LimitedError while the limiter refuses, and EUNAUTHORIZED for a wrong
// name or password; failures are recorded in the audit log. Sign-in with a
// session cookie should start a new session (this one) and end the old one:
// the id changes at sign-in, so that one planted before it is worthless.
func (a *Authenticator) Login(ctx context.Context, name, password, addr string) (sessionID string, s model.Session, err error) {
	if d := a.Limiter.Check(name, addr); !d.Allowed {
		return "", model.Session{}, &LimitedError{RetryAfter: d.RetryAfter, Locked: d.Locked}
	}
	u, hash, err := a.Store.UserPasswordHash(ctx, name)
	if err != nil && model.ErrorCode(err) != model.ENOTFOUND {
		return "", model.Session{}, err
	}
	if !CheckPassword(hash, password) { // hash is "" for an unknown name
		a.Limiter.Fail(name, addr)
		rerr := a.Store.RecordAudit(ctx, model.AuditEntry{Actor: "anonymous", Action: model.ActionLoginFailed,
			Kind: model.KindSession, EntityID: truncate(name, 64), Detail: "from " + ClientKey(addr)})
		if rerr != nil {
			return "", model.Session{}, rerr
		}
		return "", model.Session{}, errBadLogin()
	}
	a.Limiter.Succeed(name)
	id, idHash := NewSessionID()
	s = model.Session{IDHash: idHash, User: u, CSRFToken: NewCSRFToken(), ExpiresAt: a.now().Add(SessionLifetime)}
	if err := a.Store.CreateSession(model.WithActor(ctx, u.Name), s); err != nil {
		return "", model.Session{}, err
	}
	s.CreatedAt = a.now()
	return id, s, nil
}

// Logout ends the session whose id is in the cookie (nothing if none).
func (a *Authenticator) Logout(ctx context.Context, r *http.Request) error {
	c, err := r.Cookie(SessionCookie)
	if err != nil || !ValidSessionID(c.Value) {
		return nil
	}
	return a.Store.DeleteSession(ctx, HashSessionID(c.Value))
}

// Cookie is the session cookie for id: HttpOnly (scripts cannot read it),
// SameSite=Lax (other sites' forms do not carry it), Secure when the server
// is reached over TLS. An empty id with maxAge < 0 deletes the cookie.
func Cookie(id string, maxAge time.Duration, secure bool) *http.Cookie {
	c := &http.Cookie{Name: SessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure}
	switch {
	case maxAge < 0:
		c.MaxAge = -1
	case maxAge > 0:
		c.MaxAge = int(maxAge / time.Second)
	}
	return c
}

// truncate cuts s to at most n runes: a name typed at the login form is
// recorded, but a megabyte of it is not.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

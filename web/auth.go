package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"blockplan/model"
	"blockplan/web/auth"
)

// Role is what a user may do. Roles are ordered: each may do everything the
// ones below it may.
type Role int

// Roles, lowest first. RolePublic marks routes anyone may use, signed in or
// not (static files, the health check, the login page).
const (
	RolePublic  Role = iota // no user needed
	RoleViewer              // read every page, the read API, exports and reports (donors)
	RolePlanner             // edit portfolios: entities, uploads, settings
	RoleAdmin               // users, tokens, the audit log, deleting whole portfolios
)

func (r Role) String() string {
	switch r {
	case RolePublic:
		return "public"
	case RoleViewer:
		return "viewer"
	case RolePlanner:
		return "planner"
	case RoleAdmin:
		return "admin"
	}
	return "unknown"
}

// roleOf is the web role of a stored user's role. An unknown role is
// RolePublic: it may use nothing that needs signing in.
func roleOf(r model.Role) Role {
	switch r {
	case model.RoleAdmin:
		return RoleAdmin
	case model.RolePlanner:
		return RolePlanner
	case model.RoleViewer:
		return RoleViewer
	}
	return RolePublic
}

// User is the person behind a request.
type User struct {
	ID   string
	Name string
	Role Role
}

// How a request was authenticated. CSRF checks depend on it: a browser
// sends cookies on its own, a bearer token is sent only on purpose.
const (
	ViaNone   = auth.ViaNone   // anonymous
	ViaCookie = auth.ViaCookie // a signed-in session's cookie
	ViaBearer = auth.ViaBearer // Authorization: Bearer TOKEN
)

// Identity is the result of authenticating one request. User is nil for an
// anonymous request; Reason then says why a credential that came with it was
// refused ("the API token was revoked"), for the 401.
type Identity struct {
	User *User
	Via  string
	// CSRF is the signed-in session's CSRF token (Via is ViaCookie): every
	// write that comes with the session cookie must carry it.
	CSRF string
	// SessionKey stands for the signed-in session (Via is ViaCookie) in
	// what the server keeps for it between requests (a new API token shown
	// once); it is the hash of the session id, never the id itself.
	SessionKey string
	Reason     string
}

// Authenticator signs users in and out and finds who sent a request. An
// error from Authenticate is an internal failure (the user store is down),
// not a bad credential: a bad or missing credential is an anonymous
// Identity, which routes that need a role answer with 401.
type Authenticator interface {
	Authenticate(r *http.Request) (Identity, error)
	// Login checks a name and password from client address addr and starts
	// a session, whose id goes in the cookie. A wrong name or password is
	// EUNAUTHORIZED; too many failures give *auth.LimitedError.
	Login(ctx context.Context, name, password, addr string) (sessionID string, err error)
	// Logout ends the session of r's cookie, if any.
	Logout(ctx context.Context, r *http.Request) error
}

// Accounts is the Authenticator of a shared server: users, API tokens and
// sessions in the stores, through web/auth.
type Accounts struct{ a *auth.Authenticator }

// NewAccounts wraps a.
func NewAccounts(a *auth.Authenticator) *Accounts { return &Accounts{a: a} }

// Authenticate maps web/auth's identity to the web's.
func (ac *Accounts) Authenticate(r *http.Request) (Identity, error) {
	id, err := ac.a.Authenticate(r.Context(), r)
	if err != nil {
		return Identity{}, err
	}
	out := Identity{Via: id.Via, Reason: id.Reason}
	if id.User != nil {
		out.User = &User{ID: strconv.FormatInt(id.User.ID, 10), Name: id.User.Name, Role: roleOf(id.User.Role)}
		if out.User.Role == RolePublic {
			return Identity{Reason: "the user's role is unknown"}, nil
		}
	}
	if id.Session != nil {
		out.CSRF, out.SessionKey = id.Session.CSRFToken, id.Session.IDHash
	}
	return out, nil
}

func (ac *Accounts) Login(ctx context.Context, name, password, addr string) (string, error) {
	id, _, err := ac.a.Login(ctx, name, password, addr)
	return id, err
}

func (ac *Accounts) Logout(ctx context.Context, r *http.Request) error { return ac.a.Logout(ctx, r) }

const identityKey = "blockplan.identity"

// authenticate is the currentUser hook: it runs the Authenticator once per
// request, keeps the Identity in the context for requireRole, CSRF, the
// request log and the pages, and names the user as the actor of every write
// the request makes, for the audit log.
func (s *Server) authenticate(c *gin.Context) {
	id, err := s.auth.Authenticate(c.Request)
	if err != nil {
		s.fail(c, &model.Error{Code: model.EINTERNAL, Message: "authentication failed", Err: err})
		c.Abort()
		return
	}
	c.Set(identityKey, id)
	if id.User != nil {
		c.Request = c.Request.WithContext(model.WithActor(c.Request.Context(), id.User.Name))
	}
	c.Next()
}

// currentIdentity is the request's Identity (anonymous before authenticate).
func currentIdentity(c *gin.Context) Identity {
	if v, ok := c.Get(identityKey); ok {
		return v.(Identity)
	}
	return Identity{}
}

// currentUser is the signed-in user, nil for the anonymous.
func currentUser(c *gin.Context) *User { return currentIdentity(c).User }

// requireRole answers the anonymous with 401 (a browser asking for a page
// is sent to the login page instead, and comes back after) and a user whose
// role is below need with 403. It is attached to every route from the route
// table.
func (s *Server) requireRole(need Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if need == RolePublic {
			c.Next()
			return
		}
		id := currentIdentity(c)
		lang := requestLang(c)
		switch u := id.User; {
		case u == nil && !isAPI(c) && isSafeMethod(c.Request.Method):
			target := "/login?next=" + url.QueryEscape(c.Request.URL.RequestURI())
			if wasSignedIn(c) {
				// The browser signed in, did not sign out, and its session
				// has ended (expired, or ended by a password change): say
				// so on the login page, once.
				s.setSignedIn(c, false)
				target += "&done=session_expired"
			}
			c.Redirect(http.StatusSeeOther, target)
			c.Abort()
			return
		case u == nil:
			msg := s.msg.must(lang, "error.unauthorized")
			if id.Reason != "" {
				msg += " (" + id.Reason + ")"
			}
			if isAPI(c) {
				c.Header("WWW-Authenticate", `Bearer realm="blockplan"`)
			}
			s.fail(c, model.Errorf(model.EUNAUTHORIZED, "%s", msg))
			c.Abort()
			return
		case u.Role < need:
			s.fail(c, model.Errorf(model.EFORBIDDEN, "%s", s.msg.must(lang, "error.forbidden_role",
				s.msg.must(lang, "role."+u.Role.String()), s.msg.must(lang, "role."+need.String()))))
			c.Abort()
			return
		}
		c.Next()
	}
}

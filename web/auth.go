package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// Role is what a user may do. Roles are ordered: each may do everything the
// ones below it may.
type Role int

// Roles, lowest first. RolePublic marks routes anyone may use, signed in or
// not (static files, the health check, and later the login page).
const (
	RolePublic  Role = iota // no user needed
	RoleViewer              // read every page and the read API
	RolePlanner             // edit portfolios: entities, uploads, settings
	RoleAdmin               // delete portfolios; later: users and tokens
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

// User is the person behind a request.
type User struct {
	ID   string
	Name string
	Role Role
}

// How a request was authenticated. CSRF checks depend on it: a browser
// sends cookies on its own, a bearer token is sent only on purpose.
const (
	ViaNone   = ""       // anonymous
	ViaLocal  = "local"  // LocalAdmin: no sign-in at all
	ViaCookie = "cookie" // a session cookie
	ViaBearer = "bearer" // Authorization: Bearer TOKEN
)

// Identity is the result of authenticating one request. User is nil for an
// anonymous request.
type Identity struct {
	User *User
	Via  string
}

// Authenticator finds who sent a request. An error is an internal failure
// (the user store is down), not a bad credential: a bad or missing credential
// is an anonymous Identity, which routes that need a role answer with 401.
type Authenticator interface {
	Authenticate(r *http.Request) (Identity, error)
}

// LocalAdmin admits every request as a local administrator: blockplan today
// runs on a planner's own machine or a trusted office network, with no
// accounts. The users/roles work replaces it with sessions and tokens; every
// route already declares the role it needs, so that change is one
// Authenticator.
type LocalAdmin struct{}

var localAdmin = &User{ID: "local", Name: "local", Role: RoleAdmin}

// Authenticate admits r. A request that carries the browser session cookie is
// treated as cookie-authenticated, so that writes from a browser need a CSRF
// token exactly as they will once sessions exist.
func (LocalAdmin) Authenticate(r *http.Request) (Identity, error) {
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return Identity{User: localAdmin, Via: ViaBearer}, nil
	}
	if _, err := r.Cookie(sessionCookie); err == nil {
		return Identity{User: localAdmin, Via: ViaCookie}, nil
	}
	return Identity{User: localAdmin, Via: ViaLocal}, nil
}

const identityKey = "blockplan.identity"

// authenticate is the currentUser hook: it runs the Authenticator once per
// request and keeps the Identity in the context for requireRole, CSRF, the
// request log and the pages.
func (s *Server) authenticate(c *gin.Context) {
	id, err := s.auth.Authenticate(c.Request)
	if err != nil {
		s.fail(c, &model.Error{Code: model.EINTERNAL, Message: "authentication failed", Err: err})
		c.Abort()
		return
	}
	c.Set(identityKey, id)
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

// requireRole answers 401 to the anonymous and 403 to a user whose role is
// below need. It is attached to every route from the route table.
func (s *Server) requireRole(need Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if need == RolePublic {
			c.Next()
			return
		}
		u := currentUser(c)
		switch {
		case u == nil:
			s.fail(c, model.Errorf(model.EUNAUTHORIZED, "sign in to use this page"))
			c.Abort()
			return
		case u.Role < need:
			s.fail(c, model.Errorf(model.EFORBIDDEN, "your role (%s) may not do this; it needs %s", u.Role, need))
			c.Abort()
			return
		}
		c.Next()
	}
}

package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"blockplan/model"
	"blockplan/web/auth"
)

// The browser cookie and CSRF tokens.
//
// Every browser gets the session cookie (auth.SessionCookie): HttpOnly,
// SameSite=Lax, Secure behind TLS. Before sign-in it holds a random value
// that names no stored session; signing in replaces it with a new session's
// id (so that a value planted before sign-in is worthless), and signing out
// deletes it.
//
// Every form carries a CSRF token (field csrf_token; a script sends it as
// X-CSRF-Token). A signed-in session's token is random and stored with the
// session, so it survives a restart of the server. Before sign-in (the login
// form) it is derived from the cookie's value with the server's key
// (auth.CSRFToken). Every write that comes with the cookie, form or API,
// must carry the token of that cookie: a page on another site can make the
// browser send the cookie but cannot read our pages to learn the token.
// Only bearer-token requests are exempt: a browser never adds those by
// itself.
//
// On top of that, http.CrossOriginProtection refuses every cross-origin
// browser write (by Sec-Fetch-Site or Origin).

const (
	sessionCookie = auth.SessionCookie
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
	cookieKey     = "blockplan.cookie"
)

// session makes sure a browser (any page request outside /api/) has the
// session cookie, and keeps its value in the context for CSRF tokens.
func (s *Server) session(c *gin.Context) {
	v := ""
	if ck, err := c.Request.Cookie(sessionCookie); err == nil && auth.ValidSessionID(ck.Value) {
		v = ck.Value
	}
	if v == "" && !isAPI(c) && isSafeMethod(c.Request.Method) {
		v, _ = auth.NewSessionID() // not stored: it only keys the anonymous CSRF token
		http.SetCookie(c.Writer, auth.Cookie(v, 0, s.secure(c.Request)))
	}
	c.Set(cookieKey, v)
	c.Next()
}

func requestCookie(c *gin.Context) string {
	if v, ok := c.Get(cookieKey); ok {
		return v.(string)
	}
	return ""
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfToken is the token the request's forms carry and its writes must send
// back: the signed-in session's, or the one derived from the anonymous
// cookie.
func (s *Server) csrfToken(c *gin.Context) string {
	if id := currentIdentity(c); id.Via == ViaCookie && id.CSRF != "" {
		return id.CSRF
	}
	return auth.CSRFToken(s.secret, requestCookie(c))
}

// csrf refuses forged writes: cross-origin browser writes always, and
// writes that need a token (every form, and API writes authenticated by the
// session cookie) without the right one. It runs after requireRole, so that
// the anonymous get 401 and a role that may not 403 whatever they send.
func (s *Server) csrf(c *gin.Context) {
	if isSafeMethod(c.Request.Method) {
		c.Next()
		return
	}
	lang := requestLang(c)
	if err := s.crossOrigin.Check(c.Request); err != nil {
		s.fail(c, &model.Error{Code: model.EFORBIDDEN, Message: s.msg.must(lang, "error.cross_origin"), Err: err})
		c.Abort()
		return
	}
	id := currentIdentity(c)
	if id.Via == ViaBearer || (isAPI(c) && id.Via != ViaCookie) {
		c.Next()
		return
	}
	got := c.GetHeader(csrfHeader)
	if got == "" {
		var err error
		if got, err = formValue(c, csrfField); err != nil {
			if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
				s.fail(c, err) // 413, not a missing token
				c.Abort()
				return
			}
		}
	}
	if !auth.CheckCSRF(s.csrfToken(c), got) {
		if c.FullPath() == loginPath {
			// A login form left open across a restart: show a fresh one.
			name, _ := formValue(c, "name")
			next, _ := formValue(c, "next")
			if err := s.renderLogin(c, http.StatusForbidden, loginPage{Name: name, Next: safeNext(next),
				Message: s.msg.must(lang, "login.expired")}); err != nil {
				s.fail(c, err)
			}
		} else {
			s.fail(c, model.Errorf(model.EFORBIDDEN, "%s", s.msg.must(lang, "error.csrf")))
		}
		c.Abort()
		return
	}
	c.Next()
}

// maxMultipartMemory is how much of a multipart form is kept in memory (the
// rest goes to temporary files), as gin's engine is told.
const maxMultipartMemory = 8 << 20

// formValue reads one field of a urlencoded or multipart form, parsing the
// body once (net/http keeps the parsed form for the handler). An error is a
// body that could not be read: too large (*http.MaxBytesError), or broken.
func formValue(c *gin.Context, name string) (string, error) {
	r := c.Request
	switch c.ContentType() {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return "", err
		}
	case "multipart/form-data":
		if r.MultipartForm == nil {
			if err := r.ParseMultipartForm(maxMultipartMemory); err != nil {
				return "", err
			}
		}
	default:
		return "", nil
	}
	return r.PostFormValue(name), nil
}

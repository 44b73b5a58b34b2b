package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// The browser session and its CSRF token.
//
// Every browser gets a session cookie: a random id, HttpOnly, SameSite=Lax,
// Secure behind TLS. Today it identifies nothing but the browser; the
// users/roles work will tie a signed-in user to it (and rotate it at login).
// The CSRF token of a session is HMAC-SHA256(server secret, session id): a
// page puts it in every form (field csrf_token) and a script may send it as
// X-CSRF-Token. A write that comes with the session cookie must carry the
// token of that session, so a page on another site, which can make the
// browser send the cookie but cannot read our pages, cannot forge one. Only
// bearer-token requests are exempt: a browser never adds those by itself.
//
// On top of that, http.CrossOriginProtection refuses every cross-origin
// browser write (by Sec-Fetch-Site or Origin), which also covers requests
// that come without any cookie.

const (
	sessionCookie = "bp_session"
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
	sessionKey    = "blockplan.session"
)

// newSessionID is 256 random bits, URL-safe.
func newSessionID() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validSessionID reports whether s has the shape newSessionID makes; anything
// else in the cookie is replaced.
func validSessionID(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// csrfToken is the CSRF token of a session.
func (s *Server) csrfToken(session string) string {
	if session == "" {
		return ""
	}
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte("blockplan csrf\x00"))
	mac.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// session makes sure a browser (any request outside /api/) has a session
// cookie, and keeps the session id in the context for pages and CSRF.
func (s *Server) session(c *gin.Context) {
	id := ""
	if ck, err := c.Request.Cookie(sessionCookie); err == nil && validSessionID(ck.Value) {
		id = ck.Value
	}
	if id == "" && !isAPI(c) && isSafeMethod(c.Request.Method) {
		id = newSessionID()
		http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: id, Path: "/",
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c.Request)})
	}
	c.Set(sessionKey, id)
	c.Next()
}

func requestSession(c *gin.Context) string {
	if v, ok := c.Get(sessionKey); ok {
		return v.(string)
	}
	return ""
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrf refuses forged writes: cross-origin browser writes always, and
// writes that need a token (every form, and API writes authenticated by the
// session cookie) without the right one.
func (s *Server) csrf(c *gin.Context) {
	if isSafeMethod(c.Request.Method) {
		c.Next()
		return
	}
	if err := s.crossOrigin.Check(c.Request); err != nil {
		s.fail(c, &model.Error{Code: model.EFORBIDDEN, Message: s.msg.must(requestLang(c), "error.cross_origin"), Err: err})
		c.Abort()
		return
	}
	id := currentIdentity(c)
	needToken := !isAPI(c) || id.Via == ViaCookie
	if id.Via == ViaBearer {
		needToken = false
	}
	if needToken {
		session := requestSession(c)
		got := c.GetHeader(csrfHeader)
		if got == "" {
			got = formValue(c, csrfField)
		}
		want := s.csrfToken(session)
		if session == "" || got == "" || !hmac.Equal([]byte(got), []byte(want)) {
			s.fail(c, model.Errorf(model.EFORBIDDEN, "%s", s.msg.must(requestLang(c), "error.csrf")))
			c.Abort()
			return
		}
	}
	c.Next()
}

// formValue reads one field of a urlencoded or multipart form without
// reading a multipart body into memory twice (gin and net/http cache the
// parsed form).
func formValue(c *gin.Context, name string) string {
	ct := c.ContentType()
	if ct != "application/x-www-form-urlencoded" && ct != "multipart/form-data" {
		return ""
	}
	return c.PostForm(name)
}

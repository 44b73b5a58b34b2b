package web

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"blockplan/model"
	"blockplan/web/auth"
)

// Signing in and out. The login form is public; a wrong name or password is
// answered 401 with the form again, too many failures 429 with Retry-After
// (web/auth's limiter, per user name and per client address). Signing in
// starts a new session whose id replaces the browser's cookie, and ends the
// session the browser had, if any.

const loginPath = "/login"

// loginPage is the login form, with what was typed (never the password)
// and why the last attempt failed.
type loginPage struct {
	Base
	Name    string
	Next    string
	Message string
}

func (s *Server) renderLogin(c *gin.Context, status int, p loginPage) error {
	lang := requestLang(c)
	p.Base = s.newBase(c, s.msg.must(lang, "login.title"), nil, nil)
	p.Section = "login"
	return s.render(c, status, "login", &p)
}

func (s *Server) loginForm(c *gin.Context) error {
	next := safeNext(c.Query("next"))
	if id := currentIdentity(c); id.User != nil && id.Via == ViaCookie {
		c.Redirect(http.StatusSeeOther, next)
		return nil
	}
	return s.renderLogin(c, http.StatusOK, loginPage{Next: next})
}

// loginForm is the login form as posted.
type loginFields struct {
	Name     string `form:"name"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

func (s *Server) login(c *gin.Context) error {
	var f loginFields
	if err := c.ShouldBind(&f); err != nil {
		return malformed(err.Error(), nil)
	}
	lang := requestLang(c)
	ctx := c.Request.Context()
	name, next := strings.TrimSpace(f.Name), safeNext(f.Next)
	sid, err := s.auth.Login(ctx, name, f.Password, s.clientIP(c))
	var limited *auth.LimitedError
	switch {
	case errors.As(err, &limited):
		secs := int((limited.RetryAfter + time.Second - 1) / time.Second)
		c.Header("Retry-After", strconv.Itoa(max(secs, 1)))
		key := "login.slowed"
		if limited.Locked {
			key = "login.locked"
		}
		return s.renderLogin(c, http.StatusTooManyRequests, loginPage{Name: name, Next: next, Message: s.msg.must(lang, key, max(secs, 1))})
	case model.ErrorCode(err) == model.EUNAUTHORIZED:
		return s.renderLogin(c, http.StatusUnauthorized, loginPage{Name: name, Next: next, Message: s.msg.must(lang, "login.wrong")})
	case err != nil:
		return err
	}
	// The browser's previous session, if it had one, ends here: one browser,
	// one session.
	if err := s.auth.Logout(ctx, c.Request); err != nil {
		s.log.Warn("end the previous session at sign-in", "err", err)
	}
	http.SetCookie(c.Writer, auth.Cookie(sid, auth.SessionLifetime, s.secure(c.Request)))
	s.setSignedIn(c, true)
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

func (s *Server) logout(c *gin.Context) error {
	if err := s.auth.Logout(c.Request.Context(), c.Request); err != nil {
		return err
	}
	http.SetCookie(c.Writer, auth.Cookie("", -1, s.secure(c.Request)))
	s.setSignedIn(c, false)
	redirectDone(c, loginPath, "signed_out")
	return nil
}

// signedInCookie marks a browser that signed in and has not signed out. The
// session cookie cannot tell it: every browser has one (csrf.go), and a
// session's cookie ends with the session. So when a page is asked for
// without a live session and this cookie is there, the session has ended
// under the user, and the login page says so (requireRole). It holds no
// secret and outlives the session by a while, to be there when the user
// comes back the next morning.
const (
	signedInCookie   = "bp_signed_in"
	signedInLifetime = auth.SessionLifetime + 7*24*time.Hour
)

// setSignedIn sets the signedInCookie, or deletes it.
func (s *Server) setSignedIn(c *gin.Context, on bool) {
	ck := &http.Cookie{Name: signedInCookie, Value: "1", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(c.Request), MaxAge: int(signedInLifetime / time.Second)}
	if !on {
		ck.Value, ck.MaxAge = "", -1
	}
	http.SetCookie(c.Writer, ck)
}

// wasSignedIn reports whether the request carries the signedInCookie.
func wasSignedIn(c *gin.Context) bool {
	ck, err := c.Request.Cookie(signedInCookie)
	return err == nil && ck.Value == "1"
}

// safeNext is where to go after signing in: next when it is a path of this
// site, else the portfolio list. A full URL, a scheme-relative "//host" or a
// backslash (which browsers read as a slash) would send the user elsewhere.
func safeNext(next string) string {
	const home = "/portfolios"
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') || len(next) > 2048 {
		return home
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return home
		}
	}
	pu, err := url.Parse(next)
	if err != nil || pu.Scheme != "" || pu.Host != "" || pu.User != nil || !strings.HasPrefix(pu.Path, "/") ||
		pu.Path == loginPath || pu.Path == "/logout" {
		return home
	}
	return next
}

// clientIP is the address of the client for the login limiter: the peer's,
// or with TrustProxy the last address in X-Forwarded-For (the one the proxy
// added: anything before it the client may have written).
func (s *Server) clientIP(c *gin.Context) string {
	if s.cfg.TrustProxy {
		if xff := c.Request.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); err == nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(c.Request.RemoteAddr)
	if err != nil {
		return c.Request.RemoteAddr
	}
	return host
}

package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// contentSecurityPolicy allows only this server's own scripts, styles and
// images (and data: images, which ECharts' "save as image" makes). No inline
// script or style: every script is a static file and chart options reach
// them as JSON data blocks.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// recovery turns a panic in a handler into a 500 page or JSON error and
// logs the stack. It is the outermost middleware.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.log.Error("panic", "method", c.Request.Method, "path", c.Request.URL.Path, "panic", r, "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				s.fail(c, &model.Error{Code: model.EINTERNAL, Message: "internal error", Err: fmt.Errorf("panic: %v", r)})
			}
			c.Abort()
		}
	}()
	c.Next()
}

// requestLog logs one line per request, after it is answered.
func (s *Server) requestLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(),
		"bytes", c.Writer.Size(), "duration", time.Since(start).Round(time.Microsecond)}
	if u := currentUser(c); u != nil {
		attrs = append(attrs, "user", u.ID)
	}
	if v, ok := c.Get(errorKey); ok && c.Writer.Status() < 500 {
		attrs = append(attrs, "error", v.(error).Error())
	}
	s.log.Info("request", attrs...)
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if s.secure(c.Request) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	// Pages and API answers are private and change with every edit; static
	// files override this with a long cache.
	h.Set("Cache-Control", "no-store")
	c.Next()
}

// limitBody bounds every request body: uploads to MaxUpload, anything else
// to what a form or an entity's JSON needs. Reading past the bound fails
// with *http.MaxBytesError, which fail answers with 413.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil && c.Request.Body != http.NoBody {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.maxUpload)
	}
	c.Next()
}

// secure reports whether the request came over TLS (directly, or through a
// proxy the operator said terminates TLS): cookies are then Secure.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || s.cfg.SecureCookies
}

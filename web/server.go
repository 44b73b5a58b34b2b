package web

import (
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"blockplan/catalog"
	"blockplan/model"
	"blockplan/web/auth"
)

// Store is where the app keeps portfolios (whole documents, and single
// entities with versions for the editor), the users, API tokens and
// sessions, and the audit log. store/sqlite implements it.
type Store interface {
	model.PortfolioStore
	model.EntityStore
	model.UserStore
	model.TokenStore
	model.SessionStore
	model.AuditLog
}

// DefaultMaxUpload bounds an uploaded file, and so any request body.
const DefaultMaxUpload = 32 << 20

// Config is what New needs. Only Store is required.
type Config struct {
	Store Store
	// Catalog is the reference catalogue; nil is catalog.Default().
	Catalog *catalog.Catalog
	// Auth signs users in and finds the user of each request; nil is
	// NewAccounts(auth.NewAuthenticator(Store)): the stored users, tokens and
	// sessions, with the default limits on failed sign-ins.
	Auth Authenticator
	// Secret keys the CSRF token of the login form (a signed-in session's
	// token is stored with it). Give the same one to every run over the same
	// data (serve keeps one in the database) so that a login form left open
	// across a restart still works. Nil makes a random one: such a form then
	// asks to sign in again.
	Secret []byte
	// MaxUpload bounds request bodies (uploads); 0 is DefaultMaxUpload.
	MaxUpload int64
	// SecureCookies marks cookies Secure even on plain HTTP: set it when a
	// proxy in front terminates TLS.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (the address
	// the proxy in front added, the last one) for the login limiter. Set it
	// only behind a proxy that sets that header: otherwise anyone may claim
	// any address and escape the limit per address.
	TrustProxy bool
	// Logger gets one line per request and every internal error; nil
	// discards.
	Logger *slog.Logger
}

// Server is the web app. Make it with New; it is safe for concurrent use.
type Server struct {
	cfg         Config
	store       Store
	cat         *catalog.Catalog
	auth        Authenticator
	secret      []byte
	maxUpload   int64
	log         *slog.Logger
	msg         messages
	pages       map[string]map[string]*pageTemplate // page → lang → template
	static      map[string]staticFile
	crossOrigin *http.CrossOriginProtection
	cache       *cache
	rendered    *pageCache
	catData     catalogData
	engine      *gin.Engine
	routes      []route
	// csrfSlot stands for the CSRF token in cached pages: each request gets
	// its own token put in its place (pagecache.go).
	csrfSlot []byte
	// newTokens is each session's API token just made on /admin/tokens,
	// until the page it is redirected to shows it.
	newTokens *shownOnce[newToken]
}

// New builds the server: it loads the messages, parses every page's
// templates (once), hashes the static files and declares the routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("web: Config.Store is required")
	}
	s := &Server{cfg: cfg, store: cfg.Store, cat: cfg.Catalog, auth: cfg.Auth, secret: cfg.Secret,
		maxUpload: cfg.MaxUpload, log: cfg.Logger, crossOrigin: http.NewCrossOriginProtection(), cache: newCache(),
		rendered: newPageCache(pageCacheBytes), newTokens: newShownOnce[newToken](2 * time.Minute)}
	if s.cat == nil {
		s.cat = catalog.Default()
	}
	s.catData = newCatalogData(s.cat)
	if s.auth == nil {
		s.auth = NewAccounts(auth.NewAuthenticator(cfg.Store))
	}
	switch {
	case len(s.secret) == 0:
		s.secret = auth.NewKey()
	case len(s.secret) < 32:
		sum := sha256.Sum256(s.secret)
		s.secret = sum[:]
	}
	s.csrfSlot = []byte("csrf-slot-" + auth.NewCSRFToken())
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUpload
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var err error
	if s.msg, err = loadMessages(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if s.pages, err = s.parsePages(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if s.static, err = loadStatic(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.engine = s.buildEngine()
	return s, nil
}

// Handler is the app as an http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// handler is a route's work: it writes a response or returns an error for
// fail to answer with.
type handler func(c *gin.Context) error

// route is one line of the route table: the method and path, the lowest
// role that may use it, and the handler.
type route struct {
	Method string
	Path   string
	Role   Role
	handle handler
}

// RouteRole is one route and the role it needs, for documentation and tests.
type RouteRole struct {
	Method, Path string
	Role         Role
}

// Routes lists every route with the role it needs.
func (s *Server) Routes() []RouteRole {
	out := make([]RouteRole, len(s.routes))
	for i, r := range s.routes {
		out[i] = RouteRole{r.Method, r.Path, r.Role}
	}
	return out
}

// routeTable is every route the app answers, each with the role it needs.
// Reading (pages, the read API, exports, reports, the roadmap) needs
// RoleViewer; editing RolePlanner; users, tokens, the audit log and deleting
// a whole portfolio RoleAdmin. Static files, the health check and signing in
// and out are public. Read pages wrapped in s.cached are rendered once per
// portfolio version (pagecache.go).
func (s *Server) routeTable() []route {
	get, post := http.MethodGet, http.MethodPost
	rs := []route{
		{get, "/healthz", RolePublic, s.healthz},
		{get, "/static/:file", RolePublic, s.serveStatic},
		{get, "/static/vendor/:file", RolePublic, s.serveStatic},
		{get, loginPath, RolePublic, s.loginForm},
		{post, loginPath, RolePublic, s.login},
		{post, "/logout", RolePublic, s.logout},

		{get, "/", RoleViewer, s.home},
		{get, "/switch", RoleViewer, s.switchPortfolio},
		{get, "/portfolios", RoleViewer, s.portfolioList},
		{post, "/portfolios", RolePlanner, s.createPortfolio},
		{post, "/upload", RolePlanner, s.upload},
		{get, "/template.xlsx", RoleViewer, s.downloadTemplate},
		{get, "/portfolios/:id", RoleViewer, s.cached(s.dashboard)},
		{get, "/portfolios/:id/scenario", RoleViewer, s.cached(s.scenarioPage)},
		{get, "/portfolios/:id/roadmap", RoleViewer, s.cached(s.roadmapPage)},
		{get, "/portfolios/:id/gaps", RoleViewer, s.cached(s.gapsPage)},
		{get, "/portfolios/:id/downloads", RoleViewer, s.cached(s.downloadsPage)},
		{get, "/portfolios/:id/export.json", RoleViewer, s.exportJSON},
		{get, "/portfolios/:id/export.xlsx", RoleViewer, s.exportWorkbook},
		{get, "/portfolios/:id/reports/:file", RoleViewer, s.downloadReport},
		{get, "/portfolios/:id/settings", RolePlanner, s.settingsForm},
		{post, "/portfolios/:id/settings", RolePlanner, s.saveSettings},
		{get, "/portfolios/:id/delete", RoleAdmin, s.confirmDeletePortfolio},
		{post, "/portfolios/:id/delete", RoleAdmin, s.deletePortfolio},
	}
	for _, k := range kinds {
		base := "/portfolios/:id/" + k.Segment
		rs = append(rs,
			route{get, base, RoleViewer, s.cached(s.entityList(k))},
			route{get, base + "/:eid", RoleViewer, s.cached(s.entityDetail(k))},
			route{get, base + "/" + newSegment, RolePlanner, s.entityNewForm(k)},
			route{post, base, RolePlanner, s.entityCreate(k)},
			route{get, base + "/:eid/edit", RolePlanner, s.entityEditForm(k)},
			route{post, base + "/:eid", RolePlanner, s.entityUpdate(k)},
			route{get, base + "/:eid/delete", RolePlanner, s.entityConfirmDelete(k)},
			route{post, base + "/:eid/delete", RolePlanner, s.entityDelete(k)},
		)
	}
	rs = append(rs,
		route{get, "/catalog", RoleViewer, s.cached(s.catalogHome)},
		route{get, "/catalog/sdgs/:goal", RoleViewer, s.cached(s.catalogSDG)},
		route{get, "/catalog/:kind", RoleViewer, s.cached(s.catalogList)},
		route{get, "/catalog/:kind/:cid", RoleViewer, s.cached(s.catalogItem)},

		route{get, "/admin", RoleAdmin, s.adminHome},
		route{get, "/admin/users", RoleAdmin, s.usersPage},
		route{post, "/admin/users", RoleAdmin, s.addUser},
		route{post, "/admin/users/:name/role", RoleAdmin, s.changeRole},
		route{post, "/admin/users/:name/password", RoleAdmin, s.resetPassword},
		route{get, "/admin/users/:name/delete", RoleAdmin, s.confirmRemoveUser},
		route{post, "/admin/users/:name/delete", RoleAdmin, s.removeUser},
		route{get, "/admin/tokens", RoleAdmin, s.tokensPage},
		route{post, "/admin/tokens", RoleAdmin, s.createToken},
		route{post, "/admin/tokens/:tid/revoke", RoleAdmin, s.revokeToken},
		route{get, "/admin/audit", RoleAdmin, s.auditPage},
		route{get, "/admin/audit/:aid", RoleAdmin, s.auditEntryPage},

		route{get, "/api/v1/openapi.json", RolePublic, s.apiOpenAPI},
		route{get, "/api/v1/me", RoleViewer, s.apiMe},
		route{get, "/api/v1/catalog", RoleViewer, s.apiCatalog},
		route{get, "/api/v1/portfolios", RoleViewer, s.apiListPortfolios},
		route{post, "/api/v1/portfolios", RolePlanner, s.apiCreatePortfolio},
		route{get, "/api/v1/portfolios/:id", RoleViewer, s.apiGetPortfolio},
		route{http.MethodPut, "/api/v1/portfolios/:id", RolePlanner, s.apiPutPortfolio},
		route{http.MethodDelete, "/api/v1/portfolios/:id", RoleAdmin, s.apiDeletePortfolio},
		route{get, "/api/v1/portfolios/:id/savings", RoleViewer, s.apiSavings},
		route{get, "/api/v1/portfolios/:id/trace", RoleViewer, s.apiTrace},
		route{get, "/api/v1/portfolios/:id/gaps", RoleViewer, s.apiGaps},
		route{get, "/api/v1/portfolios/:id/roadmap", RoleViewer, s.apiRoadmap},
		route{get, "/api/v1/portfolios/:id/:kind/:eid", RoleViewer, s.apiGetEntity},
		route{http.MethodPut, "/api/v1/portfolios/:id/:kind/:eid", RolePlanner, s.apiPutEntity},
		route{http.MethodDelete, "/api/v1/portfolios/:id/:kind/:eid", RolePlanner, s.apiDeleteEntity},
		route{get, "/api/v1/audit", RoleAdmin, s.apiAudit},
		route{get, "/api/v1/audit/:aid", RoleAdmin, s.apiAuditEntry},
	)
	return rs
}

// buildEngine assembles gin with the middleware chain, in order: recovery,
// request log, security headers, body limit, language, session and
// currentUser; then per route its role check, CSRF and handler. The role
// check comes before CSRF so that the anonymous get 401 and a role that may
// not 403 whatever they send.
func (s *Server) buildEngine() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.UseEscapedPath = true // an id may hold "/" or "?", escaped in links
	e.UnescapePathValues = true
	e.RedirectTrailingSlash = true
	e.HandleMethodNotAllowed = true
	e.MaxMultipartMemory = maxMultipartMemory
	e.ContextWithFallback = true
	e.Use(s.recovery, s.requestLog, s.securityHeaders, s.limitBody, s.language, s.session, s.authenticate)
	s.routes = s.routeTable()
	for _, r := range s.routes {
		e.Handle(r.Method, r.Path, s.requireRole(r.Role), s.csrf, s.wrap(r.handle))
	}
	e.NoRoute(func(c *gin.Context) {
		s.fail(c, model.Errorf(model.ENOTFOUND, "%s", s.msg.must(requestLang(c), "error.no_page")))
	})
	e.NoMethod(func(c *gin.Context) {
		s.fail(c, &model.Error{Code: model.EINVALID, Message: fmt.Sprintf("method %s is not allowed here", c.Request.Method),
			Err: errMethodNotAllowed})
	})
	return e
}

// wrap adapts a handler to gin: a returned error goes to fail.
func (s *Server) wrap(h handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.fail(c, err)
		}
	}
}

func (s *Server) healthz(c *gin.Context) error {
	if _, err := s.store.ListPortfolios(c.Request.Context()); err != nil {
		return &model.Error{Code: model.EINTERNAL, Message: "the database does not answer", Err: err}
	}
	writeJSON(c, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) home(c *gin.Context) error {
	c.Redirect(http.StatusSeeOther, "/portfolios")
	return nil
}

// switchPortfolio is the target of the top bar's portfolio switcher (a GET
// form, so it works without JavaScript).
func (s *Server) switchPortfolio(c *gin.Context) error {
	id := c.Query("portfolio")
	if id == "" {
		c.Redirect(http.StatusSeeOther, "/portfolios")
		return nil
	}
	c.Redirect(http.StatusSeeOther, u("portfolios", id))
	return nil
}

// u builds a path from segments, escaping each: u("portfolios", id, "goals").
func u(segments ...string) string {
	var b strings.Builder
	for _, seg := range segments {
		b.WriteByte('/')
		b.WriteString(pathEscape(seg))
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

package web_test

// The tests of package web run the real server (httptest, on 127.0.0.1)
// over a real SQLite file holding the demo portfolio. They live in package
// web_test so that package web itself never imports store/sqlite.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"blockplan/catalog"
	"blockplan/fixtures"
	"blockplan/model"
	"blockplan/store/sqlite"
	"blockplan/web"
	"blockplan/web/auth"
)

const demoID = "lagunie-2026"

// Every test app has one user of each role, all with testPassword, each
// with an API token.
const (
	adminName   = "ada"
	plannerName = "pat"
	viewerName  = "vic"
	// testPassword is every test user's password.
	testPassword = "correct horse battery"
)

var testUsers = []struct {
	name string
	role model.Role
}{{adminName, model.RoleAdmin}, {plannerName, model.RolePlanner}, {viewerName, model.RoleViewer}}

// testHash is testPassword hashed at bcrypt's lowest cost: signing in takes
// a millisecond instead of the quarter second auth.BcryptCost costs on
// purpose, and checking a password works the same.
var testHash = sync.OnceValue(func() string {
	h, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return string(h)
})

type testApp struct {
	t   testing.TB
	srv *httptest.Server
	db  *sqlite.DB
	app *web.Server
	// browser is a client with a cookie jar that does not follow redirects,
	// like a browser session whose every step the test checks. It is signed
	// in as the admin.
	browser *http.Client
	// tokens are the API tokens of the test users, by user name.
	tokens map[string]string
}

// newApp starts the web app over a fresh database holding the demo
// portfolio and the test users, and signs the browser in as the admin.
// Options change the configuration.
func newApp(t testing.TB, opts ...func(*web.Config)) *testApp {
	t.Helper()
	ctx := model.WithActor(context.Background(), "cli:test")
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	seedDemo(t, db)
	tokens := map[string]string{}
	for _, u := range testUsers {
		if _, err := db.CreateUser(ctx, u.name, u.role, testHash()); err != nil {
			t.Fatal(err)
		}
		tok, hash := auth.NewToken()
		if _, err := db.CreateToken(ctx, u.name, "test", "", hash); err != nil {
			t.Fatal(err)
		}
		tokens[u.name] = tok
	}
	cfg := web.Config{Store: db}
	for _, o := range opts {
		o(&cfg)
	}
	app, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(func() {
		srv.Close()
		db.Close()
	})
	a := &testApp{t: t, srv: srv, db: db, app: app, tokens: tokens}
	a.browser = a.newBrowser()
	if !cfg.SecureCookies { // a Secure cookie is never sent back over plain HTTP
		a.login(a.browser, adminName)
	}
	return a
}

// newBrowser is a client with its own cookie jar that does not follow
// redirects, not signed in.
func (a *testApp) newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs browser in as name with the login form, and fails the test
// unless that works.
func (a *testApp) login(browser *http.Client, name string) {
	a.t.Helper()
	if r := a.tryLogin(browser, name, testPassword, ""); r.Status != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: %d %.300s", name, r.Status, r.Body)
	}
}

// tryLogin opens the login form in browser and posts it.
func (a *testApp) tryLogin(browser *http.Client, name, password, next string) response {
	a.t.Helper()
	form := a.do(browser, a.request(http.MethodGet, "/login", nil))
	vals := url.Values{"name": {name}, "password": {password}, "next": {next}, "csrf_token": {csrfToken(a.t, form.Body)}}
	return a.do(browser, a.request(http.MethodPost, "/login", strings.NewReader(vals.Encode()), "Content-Type", "application/x-www-form-urlencoded"))
}

// signedIn is a new browser signed in as name.
func (a *testApp) signedIn(name string) *http.Client {
	a.t.Helper()
	b := a.newBrowser()
	a.login(b, name)
	return b
}

// bearer is the Authorization header of name's API token.
func (a *testApp) bearer(name string) []string {
	return []string{"Authorization", "Bearer " + a.tokens[name]}
}

func seedDemo(t testing.TB, st model.PortfolioStore) {
	t.Helper()
	p, err := model.DecodePortfolioBytes(fixtures.Demo)
	if err != nil {
		t.Fatal(err)
	}
	if _, ps := model.Resolve(p, catalog.Default()); ps.HasErrors() {
		t.Fatal(ps.Err("demo"))
	}
	if _, err := st.SavePortfolio(model.WithActor(context.Background(), "cli:test"), p, model.SaveOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
}

// demo is the demo portfolio, resolved.
func demo(t testing.TB) *model.Portfolio {
	t.Helper()
	p, err := model.DecodePortfolioBytes(fixtures.Demo)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := model.Resolve(p, catalog.Default())
	return res
}

type response struct {
	Status int
	Header http.Header
	Body   string
}

func (a *testApp) do(c *http.Client, req *http.Request) response {
	a.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func (a *testApp) request(method, path string, body io.Reader, header ...string) *http.Request {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// get is a browser GET (cookies kept, redirects not followed).
func (a *testApp) get(path string, header ...string) response {
	a.t.Helper()
	return a.do(a.browser, a.request(http.MethodGet, path, nil, header...))
}

// api is a request of a script: no cookies, the admin's API token unless
// header gives an Authorization of its own.
func (a *testApp) api(method, path string, body io.Reader, header ...string) response {
	a.t.Helper()
	hasAuth := false
	for i := 0; i < len(header); i += 2 {
		hasAuth = hasAuth || strings.EqualFold(header[i], "Authorization")
	}
	if !hasAuth {
		header = append(a.bearer(adminName), header...)
	}
	return a.do(noRedirect, a.request(method, path, body, header...))
}

// anon is a request of the anonymous: no cookies, no token.
func (a *testApp) anon(method, path string, body io.Reader, header ...string) response {
	a.t.Helper()
	return a.do(noRedirect, a.request(method, path, body, header...))
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// as sends a request from browser, with its cookies.
func (a *testApp) as(browser *http.Client, method, path string, body io.Reader, header ...string) response {
	a.t.Helper()
	return a.do(browser, a.request(method, path, body, header...))
}

// postForm submits a form as the browser, with the CSRF token of the page
// the form was on.
func (a *testApp) postForm(path string, page response, vals url.Values) response {
	a.t.Helper()
	vals.Set("csrf_token", csrfToken(a.t, page.Body))
	return a.do(a.browser, a.request(http.MethodPost, path, strings.NewReader(vals.Encode()), "Content-Type", "application/x-www-form-urlencoded"))
}

// makeToken posts the form that makes an API token, as the browser, and
// follows the redirect to the page that shows it once (POST/redirect/GET),
// failing the test unless the POST is answered 303 to /admin/tokens.
func (a *testApp) makeToken(vals url.Values) response {
	a.t.Helper()
	r := a.postForm("/admin/tokens", a.get("/admin/tokens"), vals)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/tokens" {
		a.t.Fatalf("make token: %d to %q %.300s", r.Status, r.Header.Get("Location"), r.Body)
	}
	return a.get("/admin/tokens")
}

// postFile uploads a file as the browser.
func (a *testApp) postFile(path string, page response, name string, data []byte, fields url.Values) response {
	a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", csrfToken(a.t, page.Body))
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return a.do(a.browser, a.request(http.MethodPost, path, &buf, "Content-Type", mw.FormDataContentType()))
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func csrfToken(t testing.TB, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token in the page")
	}
	return m[1]
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

func formVersion(t testing.TB, body string) string {
	t.Helper()
	m := versionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no version in the form")
	}
	return m[1]
}

// textOf is the text of the element with id in an HTML page (a simple
// scan, enough for the ids pages give their figures).
func textOf(t testing.TB, body, id string) string {
	t.Helper()
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no element #%s in the page", id)
	}
	return m[1]
}

// errorJSON decodes the API's error object.
type apiError struct {
	Error struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Details model.Problems  `json:"details"`
		Current json.RawMessage `json:"current"`
	} `json:"error"`
}

func decodeError(t testing.TB, r response) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(r.Body), &e); err != nil {
		t.Fatalf("error body is not the error object: %v\n%s", err, r.Body)
	}
	if e.Error.Code == "" || e.Error.Message == "" || e.Error.Details == nil {
		t.Fatalf("error object lacks code, message or details: %s", r.Body)
	}
	return e
}

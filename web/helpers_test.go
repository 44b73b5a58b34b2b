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
	"testing"

	"blockplan/catalog"
	"blockplan/fixtures"
	"blockplan/model"
	"blockplan/store/sqlite"
	"blockplan/web"
)

const demoID = "lagunie-2026"

type testApp struct {
	t   testing.TB
	srv *httptest.Server
	db  *sqlite.DB
	app *web.Server
	// browser is a client with a cookie jar that does not follow redirects,
	// like a browser session whose every step the test checks.
	browser *http.Client
}

// newApp starts the web app over a fresh database holding the demo
// portfolio. Options change the configuration.
func newApp(t testing.TB, opts ...func(*web.Config)) *testApp {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	seedDemo(t, db)
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
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &testApp{t: t, srv: srv, db: db, app: app, browser: browser}
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
	if _, err := st.SavePortfolio(context.Background(), p, model.SaveOptions{Replace: true}); err != nil {
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

// api is a request of a script: no cookies.
func (a *testApp) api(method, path string, body io.Reader, header ...string) response {
	a.t.Helper()
	return a.do(http.DefaultClient, a.request(method, path, body, header...))
}

// postForm submits a form as the browser, with the CSRF token of the page
// the form was on.
func (a *testApp) postForm(path string, page response, vals url.Values) response {
	a.t.Helper()
	vals.Set("csrf_token", csrfToken(a.t, page.Body))
	return a.do(a.browser, a.request(http.MethodPost, path, strings.NewReader(vals.Encode()), "Content-Type", "application/x-www-form-urlencoded"))
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

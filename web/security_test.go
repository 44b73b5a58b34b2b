package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"blockplan/catalog"
	"blockplan/model"
	"blockplan/web"
)

// TestCSRF: every form write needs the token of the browser's session; API
// writes need it when they come with the session cookie; bearer-token
// writes do not; cross-origin browser writes are refused whatever they
// carry. The login and logout forms need it too.
func TestCSRF(t *testing.T) {
	a := newApp(t)
	planner := a.signedIn(plannerName)
	page := a.as(planner, http.MethodGet, "/portfolios", nil)
	token := csrfToken(t, page.Body)

	post := func(vals url.Values, header ...string) response {
		return a.as(planner, http.MethodPost, "/portfolios", strings.NewReader(vals.Encode()),
			append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...)
	}
	form := func(name, token string) url.Values {
		v := url.Values{"name": {name}}
		if token != "" {
			v.Set("csrf_token", token)
		}
		return v
	}
	if r := post(form("no token", "")); r.Status != http.StatusForbidden {
		t.Errorf("form without token: %d", r.Status)
	}
	if r := post(form("wrong token", "x"+token[1:])); r.Status != http.StatusForbidden {
		t.Errorf("form with a wrong token: %d", r.Status)
	}
	// The same user signed in elsewhere has another session and token.
	other := csrfToken(t, a.as(a.signedIn(plannerName), http.MethodGet, "/portfolios", nil).Body)
	if other == token {
		t.Fatal("two sessions share a CSRF token")
	}
	if r := post(form("other session", other)); r.Status != http.StatusForbidden {
		t.Errorf("form with another session's token: %d", r.Status)
	}
	if r := post(form("cross site", token), "Sec-Fetch-Site", "cross-site"); r.Status != http.StatusForbidden {
		t.Errorf("cross-site form with a token: %d", r.Status)
	}
	if r := post(form("other origin", token), "Origin", "http://evil.example"); r.Status != http.StatusForbidden {
		t.Errorf("form from another origin: %d", r.Status)
	}
	if r := post(form("CSRF test", token)); r.Status != http.StatusSeeOther {
		t.Errorf("form with its token: %d %.300s", r.Status, r.Body)
	}

	// The API with the session cookie needs the token in X-CSRF-Token.
	doc := func(id string) *strings.Reader {
		return strings.NewReader(`{"format": "blockplan.portfolio/v1", "id": "` + id + `", "name": "x"}`)
	}
	r := a.as(planner, http.MethodPost, "/api/v1/portfolios", doc("csrf-api-0"), "Content-Type", "application/json")
	if r.Status != http.StatusForbidden || decodeError(t, r).Error.Code != "forbidden" {
		t.Errorf("API write with the session cookie and no token: %d %s", r.Status, r.Body)
	}
	r = a.as(planner, http.MethodPost, "/api/v1/portfolios", doc("csrf-api-0"), "Content-Type", "application/json", "X-CSRF-Token", other)
	if r.Status != http.StatusForbidden {
		t.Errorf("API write with the session cookie and another session's token: %d %s", r.Status, r.Body)
	}
	r = a.as(planner, http.MethodPost, "/api/v1/portfolios", doc("csrf-api-1"), "Content-Type", "application/json", "X-CSRF-Token", token)
	if r.Status != http.StatusCreated {
		t.Errorf("API write with the session cookie and its token: %d %s", r.Status, r.Body)
	}
	// A bearer token needs none, in the API or a form.
	if r := a.api(http.MethodPost, "/api/v1/portfolios", doc("csrf-api-2"), append(a.bearer(plannerName), "Content-Type", "application/json")...); r.Status != http.StatusCreated {
		t.Errorf("bearer API write without CSRF token: %d %s", r.Status, r.Body)
	}
	if r := a.api(http.MethodPost, "/portfolios", strings.NewReader(form("bearer form", "").Encode()),
		append(a.bearer(plannerName), "Content-Type", "application/x-www-form-urlencoded")...); r.Status != http.StatusSeeOther {
		t.Errorf("bearer form write without CSRF token: %d %.300s", r.Status, r.Body)
	}
	if r := a.api(http.MethodPost, "/api/v1/portfolios", doc("csrf-api-3"), append(a.bearer(plannerName), "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site")...); r.Status != http.StatusForbidden {
		t.Errorf("cross-site API write: %d", r.Status)
	}

	// Login: a form without the token gets the form again, not a session.
	b := a.newBrowser()
	a.as(b, http.MethodGet, "/login", nil)
	r = a.as(b, http.MethodPost, "/login", strings.NewReader(url.Values{"name": {viewerName}, "password": {testPassword}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded")
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, `id="login-error"`) || setsCookie(r, "bp_session") {
		t.Errorf("login without token: %d, want 403 with the form again and no session", r.Status)
	}
	// Logout: without the token the session stays.
	r = a.as(planner, http.MethodPost, "/logout", nil)
	if r.Status != http.StatusForbidden {
		t.Errorf("logout without token: %d", r.Status)
	}
	if r := a.as(planner, http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusOK {
		t.Errorf("a logout without token ended the session: %d", r.Status)
	}
}

// setsCookie reports whether r sets cookie name to a value.
func setsCookie(r response, name string) bool {
	for _, c := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") && !strings.HasPrefix(c, name+"=;") {
			return true
		}
	}
	return false
}

// TestRolesOnEachKindOfRoute sends each kind of route (an HTML page, a
// planner's HTML page, a form post, an API read, an API write, an admin
// page, an admin form, the admin API) as the anonymous and as each role,
// signed in by session cookie and by bearer token.
func TestRolesOnEachKindOfRoute(t *testing.T) {
	a := newApp(t)
	type caller struct {
		name   string // "" for the anonymous
		cookie bool
	}
	callers := []caller{{"", false}}
	for _, u := range []string{viewerName, plannerName, adminName} {
		callers = append(callers, caller{u, true}, caller{u, false})
	}
	browsers := map[string]*http.Client{}
	tokens := map[string]string{}
	for _, u := range []string{viewerName, plannerName, adminName} {
		browsers[u] = a.signedIn(u)
		tokens[u] = csrfToken(t, a.as(browsers[u], http.MethodGet, "/portfolios", nil).Body)
	}
	n := 0
	unique := func() string { n++; return "role-test-" + strconv.Itoa(n) }
	pid := "/portfolios/" + demoID
	type kind struct {
		name string
		// req makes the request's method, path, body and content type.
		req func() (method, path, body, ctype string)
		// want is the status for the anonymous, a viewer, a planner, an admin.
		want [4]int
	}
	get := func(path string) func() (string, string, string, string) {
		return func() (string, string, string, string) { return http.MethodGet, path, "", "" }
	}
	formPost := func(path string, vals func() url.Values) func() (string, string, string, string) {
		return func() (string, string, string, string) {
			return http.MethodPost, path, vals().Encode(), "application/x-www-form-urlencoded"
		}
	}
	kinds := []kind{
		{"HTML page", get(pid), [4]int{303, 200, 200, 200}},
		{"HTML roadmap", get(pid + "/roadmap?budget=2e9"), [4]int{303, 200, 200, 200}},
		{"HTML report", get(pid + "/reports/report.html"), [4]int{303, 200, 200, 200}},
		{"planner's HTML page", get(pid + "/goals/_new"), [4]int{303, 403, 200, 200}},
		{"HTML form post", formPost("/portfolios", func() url.Values { return url.Values{"name": {unique()}} }), [4]int{401, 403, 303, 303}},
		{"API read", get("/api/v1/portfolios/" + demoID), [4]int{401, 200, 200, 200}},
		{"API roadmap", get("/api/v1/portfolios/" + demoID + "/roadmap?budget=2000000000"), [4]int{401, 200, 200, 200}},
		{"API write", func() (string, string, string, string) {
			return http.MethodPost, "/api/v1/portfolios", `{"format": "blockplan.portfolio/v1", "id": "` + unique() + `", "name": "x"}`, "application/json"
		}, [4]int{401, 403, 201, 201}},
		{"API delete of a portfolio", func() (string, string, string, string) {
			return http.MethodDelete, "/api/v1/portfolios/nothing-here", "", ""
		}, [4]int{401, 403, 403, 404}},
		{"admin page", get("/admin/users"), [4]int{303, 403, 403, 200}},
		{"admin audit page", get("/admin/audit"), [4]int{303, 403, 403, 200}},
		{"admin form", formPost("/admin/users", func() url.Values {
			return url.Values{"name": {unique()}, "role": {"viewer"}, "password": {"a long enough password"}}
		}), [4]int{401, 403, 403, 303}},
		{"admin API", get("/api/v1/audit"), [4]int{401, 403, 403, 200}},
	}
	rank := map[string]int{"": 0, viewerName: 1, plannerName: 2, adminName: 3}
	for _, k := range kinds {
		for _, c := range callers {
			how := "bearer"
			if c.cookie {
				how = "cookie"
			}
			if c.name == "" {
				how = "anonymous"
			}
			t.Run(k.name+"/"+c.name+"/"+how, func(t *testing.T) {
				method, path, body, ctype := k.req()
				var header []string
				if ctype != "" {
					header = append(header, "Content-Type", ctype)
				}
				var r response
				switch {
				case c.name == "":
					r = a.anon(method, path, strings.NewReader(body), header...)
				case c.cookie:
					if method != http.MethodGet {
						header = append(header, "X-CSRF-Token", tokens[c.name])
					}
					r = a.as(browsers[c.name], method, path, strings.NewReader(body), header...)
				default:
					r = a.api(method, path, strings.NewReader(body), append(a.bearer(c.name), header...)...)
				}
				want := k.want[rank[c.name]]
				if r.Status != want {
					t.Fatalf("%s %s: %d, want %d\n%.300s", method, path, r.Status, want, r.Body)
				}
				switch {
				case want == 303 && c.name == "":
					if loc := r.Header.Get("Location"); loc != "/login?next="+url.QueryEscape(path) {
						t.Errorf("the anonymous are sent to %q", loc)
					}
				case want == 401 || want == 403:
					if strings.HasPrefix(path, "/api/") {
						decodeError(t, r)
					} else if !strings.Contains(r.Body, `id="error-message"`) {
						t.Errorf("no error page: %.300s", r.Body)
					}
				}
			})
		}
	}
}

// TestEveryRouteDeclaresItsRole sends every route of the table to the
// anonymous (401, or 303 to the login page for an HTML GET, unless public)
// and to each role below the route's (403), with bearer tokens.
func TestEveryRouteDeclaresItsRole(t *testing.T) {
	a := newApp(t)
	fill := strings.NewReplacer(":id", demoID, ":eid", "payments", ":kind", "blocks", ":file", "app.js", ":goal", "3",
		":cid", "payments", ":name", viewerName, ":tid", "1", ":aid", "1")
	routes := a.app.Routes()
	if len(routes) < 80 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, rt := range routes {
		path := fill.Replace(rt.Path)
		if rt.Role > web.RolePublic {
			r := a.anon(rt.Method, path, strings.NewReader(""))
			htmlGet := rt.Method == http.MethodGet && !strings.HasPrefix(rt.Path, "/api/")
			switch {
			case htmlGet && (r.Status != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=")):
				t.Errorf("%s %s as the anonymous: %d to %q, want 303 to the login page", rt.Method, rt.Path, r.Status, r.Header.Get("Location"))
			case !htmlGet && r.Status != 401:
				t.Errorf("%s %s as the anonymous: %d, want 401", rt.Method, rt.Path, r.Status)
			}
		}
		for _, who := range []struct {
			name string
			role web.Role
		}{{viewerName, web.RoleViewer}, {plannerName, web.RolePlanner}} {
			if rt.Role <= who.role {
				continue
			}
			r := a.api(rt.Method, path, strings.NewReader(""), a.bearer(who.name)...)
			if r.Status != 403 {
				t.Errorf("%s %s as %s (route needs %s): %d, want 403", rt.Method, rt.Path, who.role, rt.Role, r.Status)
			}
		}
		if rt.Role == web.RolePublic && rt.Method == http.MethodGet {
			if r := a.anon(rt.Method, path, nil); r.Status == 401 || r.Status == 403 {
				t.Errorf("public %s answered %d to the anonymous", rt.Path, r.Status)
			}
		}
	}
	// A viewer reads, and is shown no link to edit.
	r := a.as(a.signedIn(viewerName), http.MethodGet, "/portfolios/"+demoID, nil)
	if r.Status != 200 {
		t.Fatalf("viewer reading the dashboard: %d", r.Status)
	}
	if strings.Contains(r.Body, "/settings\"") || strings.Contains(r.Body, "/edit\"") || strings.Contains(r.Body, "/admin/") {
		t.Error("a viewer is shown links to edit or administer")
	}
}

var dataBlockRE = regexp.MustCompile(`(?s)<script type="application/json" id="chart-sankey">(.*?)</script>`)

// TestUserTextCannotBreakOut stores names that try to end the JSON data
// block or inject markup, and checks that the pages escape them and that
// the chart data still holds them exactly.
func TestUserTextCannotBreakOut(t *testing.T) {
	a := newApp(t)
	evil := `</script><script>alert("x")</script><img src=x onerror=alert(1)>`
	ctx := t.Context()
	p, _, err := a.db.GetPortfolio(ctx, demoID)
	if err != nil {
		t.Fatal(err)
	}
	p.Goals[0].Name, p.Goals[0].NameFR = evil, evil
	p.Programmes[0].Name, p.Programmes[0].NameFR = evil, evil
	p.Blocks[0].Name, p.Blocks[0].NameFR = evil, evil
	if _, ps := model.Resolve(p, catalog.Default()); ps.HasErrors() {
		t.Fatal(ps.Err("evil"))
	}
	if _, err := a.db.SavePortfolio(ctx, p, model.SaveOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/portfolios/" + demoID, "/portfolios/" + demoID + "/goals/" + p.Goals[0].ID,
		"/portfolios/" + demoID + "/programmes/" + p.Programmes[0].ID, "/portfolios/" + demoID + "/blocks/" + p.Blocks[0].ID,
		"/portfolios/" + demoID + "/scenario", "/portfolios/" + demoID + "/programmes"} {
		r := a.get(path)
		if r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		if strings.Contains(r.Body, `<script>alert`) || strings.Contains(r.Body, `<img src=x`) {
			t.Errorf("%s: user text reached the page unescaped", path)
		}
		checkNoInline(t, path, r.Body)
	}
	r := a.get("/portfolios/" + demoID)
	m := dataBlockRE.FindStringSubmatch(r.Body)
	if m == nil {
		t.Skip("this build has no ECharts bundle: no chart data to check")
	}
	var opt struct {
		Series []struct {
			Data []struct{ Display, Tip string } `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
		t.Fatalf("the chart data block is not JSON: %v", err)
	}
	found := false
	for _, n := range opt.Series[0].Data {
		if strings.Contains(n.Tip, evil) {
			found = true
		}
	}
	if !found {
		t.Error("the chart data lost the name: it must hold it exactly (ECharts draws it as text)")
	}
}

// Hostile texts, as the issue names them.
const (
	hostileScript = `<script>alert(1)</script>`
	hostileImg    = `<img src=x onerror=alert(1)>`
)

// hostilePortfolio is the demo with a hostile name on every entity and on
// the portfolio itself, stored as "hostile".
func hostilePortfolio(t *testing.T, a *testApp) *model.Portfolio {
	t.Helper()
	p, _, err := a.db.GetPortfolio(t.Context(), demoID)
	if err != nil {
		t.Fatal(err)
	}
	p.ID = "hostile"
	name := func(i int) string {
		if i%2 == 0 {
			return hostileScript + " " + strconv.Itoa(i)
		}
		return hostileImg + " " + strconv.Itoa(i)
	}
	p.Name = hostileScript + hostileImg
	for i := range p.Goals {
		p.Goals[i].Name, p.Goals[i].NameFR = name(i), name(i+1)
	}
	for i := range p.Programmes {
		p.Programmes[i].Name, p.Programmes[i].NameFR = name(i), name(i+1)
	}
	for i := range p.Blocks {
		p.Blocks[i].Name, p.Blocks[i].NameFR, p.Blocks[i].Description = name(i), name(i+1), hostileImg
	}
	for i := range p.Agencies {
		p.Agencies[i].Name, p.Agencies[i].NameFR = name(i), name(i+1)
	}
	for i := range p.UseCases {
		p.UseCases[i].Name, p.UseCases[i].NameFR = name(i), name(i+1)
	}
	for i := range p.Workflows {
		p.Workflows[i].Name, p.Workflows[i].NameFR = name(i), name(i+1)
	}
	if _, ps := model.Resolve(p, catalog.Default()); ps.HasErrors() {
		t.Fatal(ps.Err("hostile"))
	}
	if _, err := a.db.SavePortfolio(model.WithActor(t.Context(), "cli:test"), p, model.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkMarkup parses an HTML page and fails on markup that user text could
// have made: a script that is neither a file nor a JSON data block, an
// event-handler attribute, an <img> (the pages draw none), and a JSON data
// block that is not JSON. It returns the data blocks' texts.
func checkMarkup(t *testing.T, where, body string) []string {
	t.Helper()
	var blocks []string
	z := html.NewTokenizer(strings.NewReader(body))
	inJSON := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return blocks
		case html.TextToken:
			if inJSON {
				text := string(z.Text())
				if !json.Valid([]byte(text)) {
					t.Errorf("%s: a JSON data block is not JSON: %.200s", where, text)
				}
				blocks = append(blocks, text)
			}
		case html.EndTagToken:
			inJSON = false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			attrs := map[string]string{}
			for _, at := range tok.Attr {
				attrs[at.Key] = at.Val
				if strings.HasPrefix(at.Key, "on") {
					t.Errorf("%s: <%s %s=%q>: an event handler", where, tok.Data, at.Key, at.Val)
				}
			}
			switch tok.Data {
			case "script":
				inJSON = attrs["type"] == "application/json"
				if _, src := attrs["src"]; !src && !inJSON {
					t.Errorf("%s: an inline script", where)
				}
			case "img":
				t.Errorf("%s: an <img> tag: %v", where, attrs)
			}
		}
	}
}

// TestHostileNamesOnEveryPage builds a portfolio whose every name is
// hostile markup, puts hostile text in the audit log (a failed sign-in's
// user name, a token's label) and in queries, walks every HTML route, and
// checks that no page carries the raw text or markup made from it, in any
// language; chart data blocks must be JSON that holds the names as text.
func TestHostileNamesOnEveryPage(t *testing.T) {
	a := newApp(t)
	p := hostilePortfolio(t, a)
	// A failed sign-in records the name typed; a token's label is free text.
	if r := a.tryLogin(a.newBrowser(), hostileScript, "wrong password!", ""); r.Status != http.StatusUnauthorized {
		t.Fatalf("hostile login: %d", r.Status)
	}
	if r := a.makeToken(url.Values{"user": {viewerName}, "label": {hostileImg}}); r.Status != http.StatusOK {
		t.Fatalf("hostile token label: %d %.300s", r.Status, r.Body)
	}
	// A user name cannot be hostile: the form refuses it, showing it escaped.
	users := a.get("/admin/users")
	r := a.postForm("/admin/users", users, url.Values{"name": {hostileScript}, "role": {"viewer"}, "password": {"a long enough password"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("hostile user name: %d", r.Status)
	}
	checkEscaped(t, "refused user name", r.Body)
	failed, err := a.db.ListAudit(t.Context(), model.AuditFilter{Kind: model.KindSession, Limit: 1})
	if err != nil || len(failed) == 0 || failed[0].EntityID != hostileScript {
		t.Fatalf("the failed sign-in is not in the audit log: %v %v", failed, err)
	}

	res, _ := model.Resolve(p, catalog.Default()) // the demo's workflows come from the catalogue
	first := map[string]string{"goals": res.Goals[0].ID, "programmes": res.Programmes[0].ID, "use-cases": res.UseCases[0].ID,
		"workflows": res.Workflows[0].ID, "blocks": res.Blocks[0].ID, "agencies": res.Agencies[0].ID}
	var paths []string
	for _, rt := range a.app.Routes() {
		if rt.Method != http.MethodGet || strings.HasPrefix(rt.Path, "/api/") || strings.HasPrefix(rt.Path, "/static/") ||
			rt.Path == "/healthz" || strings.HasSuffix(rt.Path, ".xlsx") || strings.HasSuffix(rt.Path, ".json") {
			continue
		}
		path := rt.Path
		if seg, ok := strings.CutPrefix(path, "/portfolios/:id/"); ok {
			kind, _, _ := strings.Cut(seg, "/")
			path = strings.Replace(path, ":eid", first[kind], 1)
		}
		path = strings.NewReplacer(":id", p.ID, ":kind", "blocks", ":cid", "payments", ":goal", "3", ":name", viewerName,
			":file", "report.html", ":aid", strconv.FormatInt(failed[0].ID, 10)).Replace(path)
		paths = append(paths, path)
	}
	q := url.QueryEscape(hostileScript)
	paths = append(paths, "/portfolios/hostile/programmes?q="+q, "/portfolios/hostile/roadmap?budget=2e9",
		"/portfolios/hostile/roadmap?budget="+q, "/portfolios/hostile/scenario?scenario=true&discount_rate="+q,
		"/admin/audit?actor="+q+"&entity="+q, "/catalog/blocks?q="+q, "/portfolios/hostile/goals/"+url.PathEscape(hostileScript))
	// Every audit entry's page: the portfolio's import, the token's label.
	entries, err := a.db.ListAudit(t.Context(), model.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.PortfolioID == "hostile" || e.Kind == model.KindToken {
			paths = append(paths, "/admin/audit/"+strconv.FormatInt(e.ID, 10))
		}
	}

	charted, shown := false, 0
	for _, lang := range []string{"en", "fr"} {
		for _, path := range paths {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			r := a.get(path + sep + "lang=" + lang)
			if r.Status >= 500 || r.Status == 401 || r.Status == 403 {
				t.Errorf("%s (%s): %d", path, lang, r.Status)
				continue
			}
			where := path + " (" + lang + ")"
			checkEscaped(t, where, r.Body)
			if strings.Contains(r.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(r.Body, "&lt;img src=x onerror=alert(1)&gt;") {
				shown++
			}
			if strings.Contains(path, "/reports/") {
				// The offline HTML report is a download with its scripts
				// inline (it must work as a lone file); the app's CSP
				// would not run them, and it escapes names as the pages do.
				continue
			}
			for _, block := range checkMarkup(t, where, r.Body) {
				var v any
				json.Unmarshal([]byte(block), &v)
				if s := fmt.Sprint(v); strings.Contains(s, hostileScript) || strings.Contains(s, hostileImg) {
					charted = true
				}
			}
		}
	}
	if shown < len(paths) {
		t.Errorf("only %d of %d pages show the hostile text (escaped): the walk does not reach them", shown, 2*len(paths))
	}
	t.Logf("%d pages in two languages, %d showing hostile text escaped", len(paths), shown)
	if !charted && strings.Contains(a.get("/portfolios/hostile").Body, "data-chart") {
		t.Error("no chart data holds the hostile names as text")
	}
}

// checkEscaped fails when the hostile texts appear raw in body.
func checkEscaped(t *testing.T, where, body string) {
	t.Helper()
	for _, raw := range []string{hostileScript, hostileImg, "<script>alert", "<img src=x"} {
		if strings.Contains(body, raw) {
			i := strings.Index(body, raw)
			t.Errorf("%s: %q reached the page unescaped: …%s…", where, raw, body[max(0, i-80):min(len(body), i+80)])
		}
	}
}

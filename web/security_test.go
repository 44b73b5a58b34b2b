package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"blockplan/catalog"
	"blockplan/model"
	"blockplan/web"
)

// TestCSRF: every form write needs the session's token; API writes need it
// when they come with the session cookie; cross-origin browser writes are
// refused whatever they carry.
func TestCSRF(t *testing.T) {
	a := newApp(t)
	page := a.get("/portfolios")
	form := url.Values{"name": {"CSRF test"}}

	post := func(vals url.Values, header ...string) response {
		return a.do(a.browser, a.request(http.MethodPost, "/portfolios", strings.NewReader(vals.Encode()),
			append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...))
	}
	if r := post(form); r.Status != http.StatusForbidden {
		t.Errorf("form without token: %d", r.Status)
	}
	other := newApp(t)
	stolen := url.Values{"name": {"CSRF test"}, "csrf_token": {csrfToken(t, other.get("/portfolios").Body)}}
	if r := post(stolen); r.Status != http.StatusForbidden {
		t.Errorf("form with another session's token: %d", r.Status)
	}
	good := url.Values{"name": {"CSRF test"}, "csrf_token": {csrfToken(t, page.Body)}}
	if r := post(good, "Sec-Fetch-Site", "cross-site"); r.Status != http.StatusForbidden {
		t.Errorf("cross-site form with a token: %d", r.Status)
	}
	if r := post(good, "Origin", "http://evil.example"); r.Status != http.StatusForbidden {
		t.Errorf("form from another origin: %d", r.Status)
	}
	if r := post(good); r.Status != http.StatusSeeOther {
		t.Errorf("form with its token: %d %.300s", r.Status, r.Body)
	}

	// The API: a script without cookies needs no token (today everyone is
	// a local admin); a request with the session cookie does.
	doc := `{"format": "blockplan.portfolio/v1", "id": "csrf-api", "name": "x"}`
	r := a.do(a.browser, a.request(http.MethodPost, "/api/v1/portfolios", strings.NewReader(doc), "Content-Type", "application/json"))
	if r.Status != http.StatusForbidden || decodeError(t, r).Error.Code != "forbidden" {
		t.Errorf("API write with the session cookie and no token: %d %s", r.Status, r.Body)
	}
	r = a.do(a.browser, a.request(http.MethodPost, "/api/v1/portfolios", strings.NewReader(doc), "Content-Type", "application/json",
		"X-CSRF-Token", csrfToken(t, page.Body)))
	if r.Status != http.StatusCreated {
		t.Errorf("API write with the session cookie and its token: %d %s", r.Status, r.Body)
	}
	doc2 := strings.Replace(doc, "csrf-api", "csrf-api-2", 1)
	if r := a.api(http.MethodPost, "/api/v1/portfolios", strings.NewReader(doc2), "Content-Type", "application/json"); r.Status != http.StatusCreated {
		t.Errorf("API write without cookie: %d %s", r.Status, r.Body)
	}
	doc3 := strings.Replace(doc, "csrf-api", "csrf-api-3", 1)
	if r := a.api(http.MethodPost, "/api/v1/portfolios", strings.NewReader(doc3), "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"); r.Status != http.StatusForbidden {
		t.Errorf("cross-site API write: %d", r.Status)
	}
}

// roleAuth authenticates by the test header X-Test-Role, so that the tests
// can be anyone.
type roleAuth struct{}

func (roleAuth) Authenticate(r *http.Request) (web.Identity, error) {
	roles := map[string]web.Role{"viewer": web.RoleViewer, "planner": web.RolePlanner, "admin": web.RoleAdmin}
	role, ok := roles[r.Header.Get("X-Test-Role")]
	if !ok {
		return web.Identity{}, nil
	}
	return web.Identity{User: &web.User{ID: "u", Name: "u", Role: role}, Via: web.ViaBearer}, nil
}

// TestEveryRouteDeclaresItsRole sends every route of the table to the
// anonymous (401 unless public) and to each role below the route's (403).
func TestEveryRouteDeclaresItsRole(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.Auth = roleAuth{} })
	fill := strings.NewReplacer(":id", demoID, ":eid", "payments", ":kind", "blocks", ":file", "app.js", ":goal", "3", ":cid", "payments")
	routes := a.app.Routes()
	if len(routes) < 60 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, rt := range routes {
		path := fill.Replace(rt.Path)
		for _, who := range []struct {
			header string
			role   web.Role
			want   int
		}{{"", web.RolePublic, 401}, {"viewer", web.RoleViewer, 403}, {"planner", web.RolePlanner, 403}} {
			if rt.Role <= who.role {
				continue
			}
			r := a.api(rt.Method, path, strings.NewReader(""), "X-Test-Role", who.header)
			if r.Status != who.want {
				t.Errorf("%s %s as %q (route needs %s): %d, want %d", rt.Method, rt.Path, who.header, rt.Role, r.Status, who.want)
			}
		}
		if rt.Role == web.RolePublic && rt.Method == http.MethodGet {
			if r := a.api(rt.Method, path, nil); r.Status == 401 || r.Status == 403 {
				t.Errorf("public %s answered %d to the anonymous", rt.Path, r.Status)
			}
		}
	}
	// And a viewer can read.
	if r := a.api(http.MethodGet, "/portfolios/"+demoID, nil, "X-Test-Role", "viewer"); r.Status != 200 {
		t.Errorf("viewer reading the dashboard: %d", r.Status)
	}
	r := a.api(http.MethodGet, "/portfolios/"+demoID, nil, "X-Test-Role", "viewer")
	if strings.Contains(r.Body, "/settings\"") || strings.Contains(r.Body, "/edit\"") {
		t.Error("a viewer is shown links to edit")
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

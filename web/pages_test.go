package web_test

import (
	"blockplan/catalog"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"blockplan/model"
	"blockplan/reports/assets"
	"blockplan/web"
)

// pagePaths is every HTML page of the demo portfolio and of the catalogue,
// one of each kind at least.
func pagePaths(t testing.TB) []string {
	p := demo(t)
	pid := "/portfolios/" + demoID
	paths := []string{"/portfolios", pid, pid + "/scenario", pid + "/scenario?mc=true&discount_rate=10", pid + "/gaps",
		pid + "/downloads", pid + "/settings", pid + "/delete",
		"/catalog", "/catalog/sdgs/3", "/catalog/sdgs/17", "/catalog/blocks", "/catalog/blocks/payments",
		"/catalog/workflows", "/catalog/workflows/" + p.Workflows[0].ID, "/catalog/use-cases", "/catalog/use-cases/" + catalog.Default().UseCases()[0].ID, "/catalog/use-cases/inst-2",
		"/catalog/blocks?q=pay", "/portfolios/nope",
		pid + "/roadmap", pid + "/roadmap?budget=2+000+000+000", pid + "/roadmap?budget=100", pid + "/roadmap?budget=1e15",
		"/admin/users", "/admin/tokens", "/admin/audit", "/admin/audit?kind=user", "/admin/audit/1", "/admin/users/" + viewerName + "/delete"}
	seg := map[string]string{model.KindGoal: "goals", model.KindProgramme: "programmes", model.KindUseCase: "use-cases",
		model.KindWorkflow: "workflows", model.KindBlock: "blocks", model.KindAgency: "agencies"}
	first := map[string]string{model.KindGoal: p.Goals[0].ID, model.KindProgramme: p.Programmes[0].ID,
		model.KindUseCase: p.UseCases[0].ID, model.KindWorkflow: p.Workflows[0].ID, model.KindBlock: "payments",
		model.KindAgency: p.Agencies[0].ID}
	for _, kind := range model.EntityKinds {
		base := pid + "/" + seg[kind]
		paths = append(paths, base, base+"?q=a&page=1", base+"/_new", base+"/"+first[kind], base+"/"+first[kind]+"/edit")
		if kind != model.KindWorkflow { // the demo's workflows all come from the catalogue
			paths = append(paths, base+"/"+first[kind]+"/delete")
		}
	}
	// A use case the demo takes from the catalogue without defining it.
	paths = append(paths, pid+"/use-cases/"+p.UseCases[len(p.UseCases)-1].ID)
	return paths
}

var (
	inlineScriptRE = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	handlerAttrRE  = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
	styleAttrRE    = regexp.MustCompile(`(?i)<[^>]+\sstyle\s*=`)
	styleElemRE    = regexp.MustCompile(`(?i)<style\b`)
	jsURLRE        = regexp.MustCompile(`(?i)(href|src|action)\s*=\s*"\s*javascript:`)
)

// checkNoInline fails when a page has script or style the CSP would block:
// an inline script (other than a JSON data block), an event-handler
// attribute, a style attribute or element, a javascript: URL.
func checkNoInline(t *testing.T, path, body string) {
	t.Helper()
	for _, m := range inlineScriptRE.FindAllStringSubmatch(body, -1) {
		attrs, content := m[1], m[2]
		if strings.Contains(attrs, `type="application/json"`) {
			continue
		}
		if !strings.Contains(attrs, "src=") || strings.TrimSpace(content) != "" {
			t.Errorf("%s: inline script: %.120s", path, m[0])
		}
	}
	for _, re := range []*regexp.Regexp{handlerAttrRE, styleAttrRE, styleElemRE, jsURLRE} {
		if loc := re.FindStringIndex(body); loc != nil {
			t.Errorf("%s: %q in the page: %.120s", path, re.String(), body[loc[0]:])
		}
	}
}

// TestEveryPageInBothLanguages renders every page in English and French. A
// template that names a message the catalogue lacks fails to render (500),
// so this also fails when a key is missing from either language.
func TestEveryPageInBothLanguages(t *testing.T) {
	a := newApp(t)
	for _, lang := range []string{"en", "fr"} {
		for _, path := range pagePaths(t) {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			r := a.get(path + sep + "lang=" + lang)
			want := http.StatusOK
			if strings.HasSuffix(path, "/nope") {
				want = http.StatusNotFound
			}
			if r.Status != want {
				t.Errorf("%s (%s): status %d, want %d\n%.400s", path, lang, r.Status, want, r.Body)
				continue
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("%s (%s): Content-Type %q", path, lang, ct)
			}
			if !strings.Contains(r.Body, `<html lang="`+lang+`">`) {
				t.Errorf("%s: not in %s", path, lang)
			}
			checkNoInline(t, path, r.Body)
		}
		// Pages of the signed-out and of a role that may not.
		viewer := a.signedIn(viewerName)
		a.as(viewer, http.MethodGet, "/portfolios?lang="+lang, nil) // remembered in a cookie
		anon := a.newBrowser()
		a.as(anon, http.MethodGet, "/login?lang="+lang, nil)
		for _, pg := range []struct {
			name   string
			r      response
			status int
			text   string
		}{
			{"login", a.anon(http.MethodGet, "/login?lang="+lang, nil), 200, `id="login"`},
			{"wrong password", a.tryLogin(anon, viewerName, "not the password", ""), 401, `id="login-error"`},
			{"forbidden", a.as(viewer, http.MethodGet, "/admin/users", nil), 403, `id="error-message"`},
			{"unauthorized", a.anon(http.MethodPost, "/portfolios?lang="+lang, nil), 401, `id="error-message"`},
		} {
			if pg.r.Status != pg.status || !strings.Contains(pg.r.Body, pg.text) || !strings.Contains(pg.r.Body, `<html lang="`+lang+`">`) {
				t.Errorf("%s (%s): %d, want %d with %s\n%.400s", pg.name, lang, pg.r.Status, pg.status, pg.text, pg.r.Body)
			}
			checkNoInline(t, pg.name, pg.r.Body)
		}
	}
}

// TestFrenchIsFrench checks that a French page speaks French, with French
// number formatting, and that the language choice is remembered.
func TestFrenchIsFrench(t *testing.T) {
	a := newApp(t)
	r := a.get("/portfolios/" + demoID + "?lang=fr")
	for _, want := range []string{"Tableau de bord", "Économies", "Coût partagé (VA)", "Carte de traçabilité"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("French dashboard lacks %q", want)
		}
	}
	if s := textOf(t, r.Body, "fig-savings"); !strings.HasSuffix(s, "\u00a0XOF") || !strings.Contains(s, "\u00a0") {
		t.Errorf("French savings %q: want French grouping and the currency after", s)
	}
	// The lang cookie keeps French on the next page.
	r = a.get("/portfolios/" + demoID + "/gaps")
	if !strings.Contains(r.Body, `<html lang="fr">`) {
		t.Error("the language choice was not remembered")
	}
	// A French browser gets French without choosing.
	b := newApp(t)
	r = b.get("/portfolios", "Accept-Language", "fr-SN,fr;q=0.9,en;q=0.8")
	if !strings.Contains(r.Body, `<html lang="fr">`) {
		t.Error("Accept-Language fr did not give French")
	}
	r = b.api(http.MethodGet, "/portfolios", nil, "Accept-Language", "en-GB,en;q=0.9,fr;q=0.5")
	if !strings.Contains(r.Body, `<html lang="en">`) {
		t.Error("Accept-Language en did not give English")
	}
}

func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	for _, path := range []string{"/portfolios", "/portfolios/" + demoID, "/api/v1/portfolios", "/healthz", "/static/app.js", "/nope", "/api/v1/nope"} {
		r := a.get(path)
		want := map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
		}
		for h, v := range want {
			if got := r.Header.Get(h); got != v {
				t.Errorf("%s: %s = %q, want %q", path, h, got, v)
			}
		}
	}
	// Static files are cached for good under their hashed URL.
	r := a.get("/portfolios/" + demoID)
	m := regexp.MustCompile(`src="(/static/vendor/echarts\.min\.js\?v=[0-9a-f]+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Skip("this build has no ECharts bundle (run make assets)")
	}
	s := a.get(m[1])
	if s.Status != 200 || !strings.Contains(s.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(s.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("ECharts: status %d, Cache-Control %q, Content-Type %q", s.Status, s.Header.Get("Cache-Control"), s.Header.Get("Content-Type"))
	}
}

// TestSessionCookie checks the session cookie: HttpOnly and SameSite=Lax
// always, Secure behind TLS; a new id at sign-in (one planted before it is
// worthless), and none after sign-out.
func TestSessionCookie(t *testing.T) {
	a := newApp(t)
	cookieOf := func(r response) (value, line string) {
		for _, c := range r.Header.Values("Set-Cookie") {
			if v, ok := strings.CutPrefix(c, "bp_session="); ok {
				value, _, _ = strings.Cut(v, ";")
				return value, c
			}
		}
		return "", ""
	}
	b := a.newBrowser()
	before, line := cookieOf(a.as(b, http.MethodGet, "/login", nil))
	if before == "" {
		t.Fatal("the login page sets no cookie")
	}
	if !strings.Contains(line, "HttpOnly") || !strings.Contains(line, "SameSite=Lax") || strings.Contains(line, "Secure") {
		t.Errorf("cookie %q: want HttpOnly and SameSite=Lax, not Secure on plain HTTP", line)
	}
	r := a.tryLogin(b, plannerName, testPassword, "")
	after, line := cookieOf(r)
	if r.Status != http.StatusSeeOther || after == "" || after == before {
		t.Fatalf("sign-in: %d, cookie %q then %q: want a new session id", r.Status, before, after)
	}
	if !strings.Contains(line, "HttpOnly") || !strings.Contains(line, "SameSite=Lax") || !strings.Contains(line, "Max-Age=43200") {
		t.Errorf("session cookie %q: want HttpOnly, SameSite=Lax and a working day's Max-Age", line)
	}
	// The planted value names no session; the new one is the planner's.
	me := func(cookie string) int {
		return a.anon(http.MethodGet, "/api/v1/me", nil, "Cookie", "bp_session="+cookie).Status
	}
	if st := me(before); st != http.StatusUnauthorized {
		t.Errorf("the cookie from before sign-in: %d, want 401", st)
	}
	if st := me(after); st != http.StatusOK {
		t.Errorf("the session cookie: %d, want 200", st)
	}
	page := a.as(b, http.MethodGet, "/portfolios", nil)
	r = a.as(b, http.MethodPost, "/logout", strings.NewReader(url.Values{"csrf_token": {csrfToken(t, page.Body)}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded")
	if _, line := cookieOf(r); r.Status != http.StatusSeeOther || !strings.Contains(line, "Max-Age=0") {
		t.Errorf("sign-out: %d, cookie %q: want it deleted", r.Status, line)
	}
	if st := me(after); st != http.StatusUnauthorized {
		t.Errorf("the session after sign-out: %d, want 401", st)
	}

	sec := newApp(t, func(c *web.Config) { c.SecureCookies = true })
	for _, path := range []string{"/login", "/portfolios"} {
		_, line := cookieOf(sec.anon(http.MethodGet, path, nil))
		if !strings.Contains(line, "Secure") {
			t.Errorf("%s behind TLS: cookie %q must be Secure", path, line)
		}
	}
}

// TestWithoutChartAssets: a binary built without ECharts says so where each
// chart would be, and loads no chart script.
func TestWithoutChartAssets(t *testing.T) {
	a := newApp(t)
	web.WithoutCharts(a.app)
	for lang, msg := range map[string]string{"en": assets.MissingMessage, "fr": assets.MissingMessageFR} {
		r := a.get("/portfolios/" + demoID + "?lang=" + lang)
		if r.Status != 200 {
			t.Fatalf("dashboard: %d", r.Status)
		}
		if got := strings.Count(r.Body, html.EscapeString(msg)); got != 3 {
			t.Errorf("%s: the missing-charts message appears %d times, want 3 (one per chart)", lang, got)
		}
		if strings.Contains(r.Body, "echarts") || strings.Contains(r.Body, "data-chart=") {
			t.Errorf("%s: the page still loads or places charts", lang)
		}
	}
	if r := a.get("/static/vendor/echarts.min.js"); r.Status != 404 {
		t.Errorf("ECharts served: %d", r.Status)
	}
}

// TestPortfolioTitleInPageLanguage: the demo's title is in the page's
// language wherever a page names the plan (title, heading, portfolio menu,
// switcher, list), and the settings form edits the French title.
func TestPortfolioTitleInPageLanguage(t *testing.T) {
	const (
		en = "Lagunie — National digital investment plan 2026–2030 (demo)"
		fr = "Lagunie — Plan national d'investissement numérique 2026–2030 (démo)"
	)
	a := newApp(t)
	check := func(t *testing.T, lang, want, other string) {
		t.Helper()
		dash := html.UnescapeString(a.get("/portfolios/" + demoID + "?lang=" + lang).Body)
		for _, place := range []string{"<title>" + want + " · blockplan</title>", "<h1>" + want + "</h1>",
			`<a class="pname" href="/portfolios/` + demoID + `">` + want + "</a>", " selected>" + want + "</option>"} {
			if !strings.Contains(dash, place) {
				t.Errorf("%s dashboard lacks %q", lang, place)
			}
		}
		list := html.UnescapeString(a.get("/portfolios?lang=" + lang).Body)
		if !strings.Contains(list, ">"+want+"</a>") {
			t.Errorf("%s portfolio list lacks %q", lang, want)
		}
		for name, body := range map[string]string{"dashboard": dash, "list": list} {
			if strings.Contains(body, other) {
				t.Errorf("%s %s names the plan in the other language, %q", lang, name, other)
			}
		}
	}
	t.Run("en", func(t *testing.T) { check(t, "en", en, fr) })
	t.Run("fr", func(t *testing.T) { check(t, "fr", fr, en) })

	t.Run("settings", func(t *testing.T) {
		path := "/portfolios/" + demoID + "/settings"
		form := a.get(path + "?lang=en")
		if !strings.Contains(html.UnescapeString(form.Body), `name="name_fr" value="`+fr+`"`) {
			t.Fatalf("the settings form does not show name_fr %q", fr)
		}
		const newFR = "Lagunie — Plan révisé"
		vals := url.Values{"version": {formVersion(t, form.Body)}, "name": {en}, "name_fr": {"  " + newFR + " "},
			"country": {"LGN"}, "currency": {"XOF"}}
		if r := a.postForm(path, form, vals); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %.500s", r.Status, r.Body)
		}
		check(t, "fr", newFR, fr)
		check(t, "en", en, newFR)
	})
}

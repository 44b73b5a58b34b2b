package web_test

import (
	"bytes"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"blockplan/fixtures"
	"blockplan/model"
	"blockplan/web"
	"blockplan/web/auth"
)

// postFormAs submits a form from browser with the CSRF token of the page
// the form was on.
func (a *testApp) postFormAs(browser *http.Client, path string, page response, vals url.Values) response {
	a.t.Helper()
	vals.Set("csrf_token", csrfToken(a.t, page.Body))
	return a.do(browser, a.request(http.MethodPost, path, strings.NewReader(vals.Encode()), "Content-Type", "application/x-www-form-urlencoded"))
}

// TestLogin: a wrong name or password gives the form again (401, in the
// user's language, the name kept, not the password); the right one a
// session and the page asked for, never another site; a signed-in user
// asking for the login page goes on.
func TestLogin(t *testing.T) {
	a := newApp(t)
	b := a.newBrowser()
	for _, tc := range []struct{ name, password string }{{plannerName, "not the password"}, {"nobody", testPassword}} {
		r := a.tryLogin(b, tc.name, tc.password, "/portfolios/"+demoID)
		if r.Status != http.StatusUnauthorized || textOf(t, r.Body, "login-error") != "Wrong user name or password." {
			t.Errorf("%s/%s: %d %.300s", tc.name, tc.password, r.Status, r.Body)
		}
		if !strings.Contains(r.Body, `value="`+tc.name+`"`) || strings.Contains(r.Body, tc.password) {
			t.Errorf("%s: the form lost the name or shows the password", tc.name)
		}
		if setsCookie(r, "bp_session") {
			t.Errorf("%s: a failed sign-in set a session", tc.name)
		}
	}
	a.as(b, http.MethodGet, "/portfolios?lang=fr", nil)
	if r := a.tryLogin(b, plannerName, "pas le mot de passe", ""); htmlUnescape(textOf(t, r.Body, "login-error")) != "Nom d'utilisateur ou mot de passe incorrect." {
		t.Errorf("French wrong password: %.300s", r.Body)
	}

	for next, want := range map[string]string{
		"/portfolios/" + demoID + "/goals?q=a": "/portfolios/" + demoID + "/goals?q=a",
		"":                                     "/portfolios",
		"https://evil.example/":                "/portfolios",
		"//evil.example/x":                     "/portfolios",
		`/\evil.example`:                       "/portfolios",
		"/login":                               "/portfolios",
		"javascript:alert(1)":                  "/portfolios",
	} {
		r := a.tryLogin(a.newBrowser(), viewerName, testPassword, next)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Errorf("next=%q: %d to %q, want %q", next, r.Status, r.Header.Get("Location"), want)
		}
	}
	// The login form of a signed-in user goes on to next.
	if r := a.get("/login?next=/catalog"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/catalog" {
		t.Errorf("login page when signed in: %d %q", r.Status, r.Header.Get("Location"))
	}
	// Signing in again from a signed-in browser (as anyone) ends its first
	// session.
	v := a.signedIn(viewerName)
	first := sessionCookie(t, a, v)
	page := a.as(v, http.MethodGet, "/portfolios", nil)
	if r := a.postFormAs(v, "/login", page, url.Values{"name": {plannerName}, "password": {testPassword}}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign in again: %d", r.Status)
	}
	if r := a.as(v, http.MethodGet, "/api/v1/me", nil); !strings.Contains(r.Body, `"name":"`+plannerName+`"`) {
		t.Errorf("after signing in again: %s", r.Body)
	}
	if st := a.anon(http.MethodGet, "/api/v1/me", nil, "Cookie", "bp_session="+first).Status; st != http.StatusUnauthorized {
		t.Errorf("the session before signing in again still works: %d", st)
	}
	// Sign-ins and failures are in the audit log, failures with the name
	// typed and the address.
	failed, err := a.db.ListAudit(t.Context(), model.AuditFilter{Kind: model.KindSession, EntityID: "nobody"})
	if err != nil || len(failed) != 1 || failed[0].Action != model.ActionLoginFailed || !strings.Contains(failed[0].Detail, "127.0.0.1") {
		t.Errorf("failed sign-in in the audit log: %+v %v", failed, err)
	}
}

// sessionCookie is the session id browser sends to the app.
func sessionCookie(t *testing.T, a *testApp, browser *http.Client) string {
	t.Helper()
	u, _ := url.Parse(a.srv.URL)
	for _, c := range browser.Jar.Cookies(u) {
		if c.Name == "bp_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// TestLoginLimiter: after the free failures, sign-in attempts are refused
// with 429 and Retry-After, even with the right password, without checking
// it; another user from another address is not held up by a name's lock.
func TestLoginLimiter(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	a := newApp(t, func(c *web.Config) {
		c.Auth = web.NewAccounts(&auth.Authenticator{Store: c.Store, Limiter: auth.NewLimiter(auth.LimiterConfig{
			FreeFailures: 2, BaseDelay: 30 * time.Second, MaxDelay: time.Minute, LockAfter: 5, Window: time.Hour, MaxKeys: 100}, clock)})
	})
	b := a.newBrowser()
	for i := range 3 {
		if r := a.tryLogin(b, plannerName, "wrong "+strconv.Itoa(i), ""); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, r.Status)
		}
	}
	r := a.tryLogin(b, plannerName, testPassword, "")
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("after 3 failures: %d, want 429", r.Status)
	}
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 30 {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	if !strings.Contains(textOf(t, r.Body, "login-error"), "wait 30 seconds") || setsCookie(r, "bp_session") {
		t.Errorf("429 page: %.300s", r.Body)
	}
	now = now.Add(31 * time.Second)
	if r := a.tryLogin(b, plannerName, testPassword, ""); r.Status != http.StatusSeeOther {
		t.Errorf("after the wait: %d", r.Status)
	}
	// Locked after 5 failures from this address: for an hour, whatever the name.
	for i := range 3 {
		a.tryLogin(a.newBrowser(), viewerName, "wrong "+strconv.Itoa(i), "")
		now = now.Add(2 * time.Minute)
	}
	r = a.tryLogin(a.newBrowser(), adminName, testPassword, "")
	if r.Status != http.StatusTooManyRequests || !strings.Contains(textOf(t, r.Body, "login-error"), "locked") {
		t.Errorf("address locked: %d %.300s", r.Status, r.Body)
	}
}

// TestTrustProxy: behind a proxy the limiter counts the address the proxy
// names in X-Forwarded-For; without --trust-proxy that header is ignored.
func TestTrustProxy(t *testing.T) {
	limited := func(c *web.Config) {
		c.Auth = web.NewAccounts(&auth.Authenticator{Store: c.Store, Limiter: auth.NewLimiter(auth.LimiterConfig{
			FreeFailures: 0, BaseDelay: time.Hour, MaxDelay: time.Hour, LockAfter: 100, Window: time.Hour, MaxKeys: 100}, nil)})
	}
	from := func(a *testApp, ip, name, pw string) int {
		b := a.newBrowser()
		form := a.as(b, http.MethodGet, "/login", nil)
		vals := url.Values{"name": {name}, "password": {pw}, "csrf_token": {csrfToken(t, form.Body)}}
		return a.as(b, http.MethodPost, "/login", strings.NewReader(vals.Encode()),
			"Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", "203.0.113.9, "+ip).Status
	}
	a := newApp(t, limited, func(c *web.Config) { c.TrustProxy = true })
	if st := from(a, "198.51.100.1", "someone", "wrong"); st != 401 {
		t.Fatalf("first failure: %d", st)
	}
	if st := from(a, "198.51.100.1", viewerName, testPassword); st != 429 {
		t.Errorf("same client behind the proxy: %d, want 429", st)
	}
	if st := from(a, "198.51.100.2", viewerName, testPassword); st != 303 {
		t.Errorf("another client behind the proxy: %d, want 303", st)
	}
	b := newApp(t, limited)
	from(b, "198.51.100.1", "someone", "wrong")
	if st := from(b, "198.51.100.2", viewerName, testPassword); st != 429 {
		t.Errorf("without --trust-proxy X-Forwarded-For must not change the address: %d, want 429", st)
	}
}

// TestTokenRevocation: a revoked token is refused at once with 401 saying
// so; a token limited to viewer cannot write; a role change applies at once.
func TestTokenRevocation(t *testing.T) {
	a := newApp(t)
	tok := a.tokens[plannerName]
	bearer := []string{"Authorization", "Bearer " + tok}
	if r := a.api(http.MethodGet, "/api/v1/me", nil, bearer...); r.Status != 200 || !strings.Contains(r.Body, `"role":"planner"`) {
		t.Fatalf("token before: %d %s", r.Status, r.Body)
	}
	list, err := a.db.ListTokens(t.Context(), plannerName)
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	page := a.get("/admin/tokens")
	if r := a.postForm("/admin/tokens/"+strconv.FormatInt(list[0].ID, 10)+"/revoke", page, url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d %.300s", r.Status, r.Body)
	}
	r := a.api(http.MethodGet, "/api/v1/me", nil, bearer...)
	if r.Status != http.StatusUnauthorized || !strings.Contains(decodeError(t, r).Error.Message, "revoked") ||
		r.Header.Get("WWW-Authenticate") != `Bearer realm="blockplan"` {
		t.Errorf("revoked token: %d %s %q", r.Status, r.Body, r.Header.Get("WWW-Authenticate"))
	}
	if r := a.api(http.MethodGet, "/portfolios/"+demoID, nil, bearer...); r.Status != http.StatusSeeOther {
		t.Errorf("revoked token on a page: %d", r.Status)
	}
	if r := a.api(http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer bp_notatoken"); r.Status != http.StatusUnauthorized {
		t.Errorf("made-up token: %d", r.Status)
	}
	if r := a.api(http.MethodGet, "/api/v1/me", nil, "Authorization", "Basic YWRhOnB3"); r.Status != http.StatusUnauthorized {
		t.Errorf("basic auth: %d", r.Status)
	}

	// A read-only token of a planner.
	r = a.makeToken(url.Values{"user": {plannerName}, "label": {"donor dashboard"}, "role": {"viewer"}})
	if r.Status != http.StatusOK {
		t.Fatalf("the page after making a token: %d %.300s", r.Status, r.Body)
	}
	ro := textOf(t, r.Body, "new-token")
	if !auth.LooksLikeToken(ro) {
		t.Fatalf("the new token %q is not shown", ro)
	}
	if again := a.get("/admin/tokens"); strings.Contains(again.Body, ro) {
		t.Error("the token is shown again: only its hash may be kept")
	}
	roBearer := []string{"Authorization", "Bearer " + ro, "Content-Type", "application/json"}
	if r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID, nil, roBearer...); r.Status != 200 {
		t.Errorf("read-only token reads: %d", r.Status)
	}
	if r := a.api(http.MethodPost, "/api/v1/portfolios", strings.NewReader(`{"format": "blockplan.portfolio/v1", "id": "ro", "name": "x"}`), roBearer...); r.Status != http.StatusForbidden {
		t.Errorf("read-only token writes: %d", r.Status)
	}

	// Demoting a user applies to its signed-in session at once.
	p := a.signedIn(plannerName)
	if r := a.as(p, http.MethodGet, "/portfolios/"+demoID+"/settings", nil); r.Status != 200 {
		t.Fatalf("planner settings: %d", r.Status)
	}
	users := a.get("/admin/users")
	if r := a.postForm("/admin/users/"+plannerName+"/role", users, url.Values{"role": {"viewer"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("demote: %d %.300s", r.Status, r.Body)
	}
	if r := a.as(p, http.MethodGet, "/portfolios/"+demoID+"/settings", nil); r.Status != http.StatusForbidden {
		t.Errorf("demoted planner's settings: %d", r.Status)
	}
}

// TestStaleWriteConflict: an entity write based on a stale version gets 409
// and the entity as it is now, by bearer and by cookie, and nothing is
// overwritten.
func TestStaleWriteConflict(t *testing.T) {
	a := newApp(t)
	base := "/api/v1/portfolios/" + demoID + "/goals/NG1"
	var st struct {
		Version int
		Data    map[string]any
	}
	if err := json.Unmarshal([]byte(a.api(http.MethodGet, base, nil).Body), &st); err != nil {
		t.Fatal(err)
	}
	put := func(name string, version int, header ...string) response {
		st.Data["name"] = name
		body, _ := json.Marshal(map[string]any{"version": version, "data": st.Data})
		return a.api(http.MethodPut, base, bytes.NewReader(body), append(header, "Content-Type", "application/json")...)
	}
	if r := put("Planner's name", st.Version, a.bearer(plannerName)...); r.Status != 200 {
		t.Fatalf("first write: %d %s", r.Status, r.Body)
	}
	r := put("Admin's stale name", st.Version, a.bearer(adminName)...)
	if r.Status != http.StatusConflict {
		t.Fatalf("stale write: %d %s", r.Status, r.Body)
	}
	var cur struct {
		Version int
		Data    map[string]any
	}
	if err := json.Unmarshal(decodeError(t, r).Error.Current, &cur); err != nil || cur.Version <= st.Version || cur.Data["name"] != "Planner's name" {
		t.Errorf("409 without the current state: %v %s", err, r.Body)
	}
	// The same from a browser session, with its CSRF token.
	b := a.signedIn(plannerName)
	tok := csrfToken(t, a.as(b, http.MethodGet, "/portfolios", nil).Body)
	st.Data["name"] = "Browser's stale name"
	body, _ := json.Marshal(map[string]any{"version": st.Version, "data": st.Data})
	r = a.as(b, http.MethodPut, base, bytes.NewReader(body), "Content-Type", "application/json", "X-CSRF-Token", tok)
	if r.Status != http.StatusConflict || decodeError(t, r).Error.Current == nil {
		t.Errorf("stale write by cookie: %d %s", r.Status, r.Body)
	}
	p, _, _ := a.db.GetPortfolio(t.Context(), demoID)
	for _, g := range p.Goals {
		if g.ID == "NG1" && g.Name != "Planner's name" {
			t.Errorf("NG1 is now %q: a stale write overwrote it", g.Name)
		}
	}
}

// TestAuditActors: every change is recorded under the user who made it,
// whether by a form, the API or an upload, with its state before and
// after.
func TestAuditActors(t *testing.T) {
	a := newApp(t)
	planner := a.signedIn(plannerName)
	ctx := t.Context()

	// A form edit by the planner.
	path := "/portfolios/" + demoID + "/goals/NG2"
	form := a.as(planner, http.MethodGet, path+"/edit", nil)
	vals := formValues(form.Body)
	vals.Set("version", formVersion(t, form.Body))
	vals.Set("name", "Edited in a form")
	if r := a.postFormAs(planner, path, form, vals); r.Status != http.StatusSeeOther {
		t.Fatalf("form edit: %d", r.Status)
	}
	// An API write by the admin's token.
	r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/blocks/payments", nil)
	var st struct {
		Version int
		Data    map[string]any
	}
	json.Unmarshal([]byte(r.Body), &st)
	st.Data["name"] = "Paid by API"
	body, _ := json.Marshal(map[string]any{"version": st.Version, "data": st.Data})
	if r := a.api(http.MethodPut, "/api/v1/portfolios/"+demoID+"/blocks/payments", bytes.NewReader(body), "Content-Type", "application/json"); r.Status != 200 {
		t.Fatalf("API write: %d %s", r.Status, r.Body)
	}
	// An upload by the planner.
	page := a.as(planner, http.MethodGet, "/portfolios", nil)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", csrfToken(t, page.Body))
	fw, _ := mw.CreateFormFile("file", "worked-example.json")
	fw.Write(fixtures.WorkedExample)
	mw.Close()
	if r := a.as(planner, http.MethodPost, "/upload", &buf, "Content-Type", mw.FormDataContentType()); r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", r.Status, r.Body)
	}
	uploaded, _ := model.DecodePortfolioBytes(fixtures.WorkedExample)

	for _, tc := range []struct {
		what   string
		filter model.AuditFilter
		actor  string
		before string
		after  string
	}{
		{"form edit", model.AuditFilter{PortfolioID: demoID, Kind: model.KindGoal, EntityID: "NG2"}, plannerName, "", "Edited in a form"},
		{"API write", model.AuditFilter{PortfolioID: demoID, Kind: model.KindBlock, EntityID: "payments"}, adminName, "", "Paid by API"},
		{"upload", model.AuditFilter{PortfolioID: uploaded.ID, Kind: model.KindPortfolio}, plannerName, "", uploaded.Name},
	} {
		tc.filter.Limit = 1
		got, err := a.db.ListAudit(ctx, tc.filter)
		if err != nil || len(got) != 1 {
			t.Errorf("%s: no audit entry (%v)", tc.what, err)
			continue
		}
		e, err := a.db.GetAudit(ctx, got[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Actor != tc.actor {
			t.Errorf("%s recorded as %q, want %q", tc.what, e.Actor, tc.actor)
		}
		if !strings.Contains(string(e.After), tc.after) {
			t.Errorf("%s: after state lacks %q: %.200s", tc.what, tc.after, e.After)
		}
		// The admin sees the entry with its before and after.
		p := a.get("/admin/audit/" + strconv.FormatInt(e.ID, 10))
		if p.Status != 200 || !strings.Contains(textOf(t, p.Body, "audit-entry"), "") || !strings.Contains(p.Body, tc.actor) {
			t.Errorf("%s: entry page %d", tc.what, p.Status)
		}
		if len(e.Before) > 0 && !strings.Contains(p.Body, `id="audit-before"`) {
			t.Errorf("%s: the entry page lacks the state before", tc.what)
		}
	}
	if n, _ := a.db.ListAudit(ctx, model.AuditFilter{Actor: model.ActorUnknown}); len(n) != 0 {
		t.Errorf("%d changes recorded without an actor: %+v", len(n), n)
	}
}

// TestUploadsAreBounded: a body beyond MaxUpload is refused with 413, as a
// page and as JSON, and nothing is stored.
func TestUploadsAreBounded(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.MaxUpload = 4 << 10 })
	big := bytes.Repeat([]byte(" "), 8<<10)
	page := a.get("/portfolios")
	r := a.postFile("/upload", page, "big.json", append(big, fixtures.WorkedExample...), nil)
	if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "The file is too large.") {
		t.Errorf("big upload: %d %.300s", r.Status, r.Body)
	}
	r = a.api(http.MethodPost, "/api/v1/portfolios", bytes.NewReader(append(big, fixtures.WorkedExample...)), "Content-Type", "application/json")
	if r.Status != http.StatusRequestEntityTooLarge || decodeError(t, r).Error.Code != "invalid" {
		t.Errorf("big API body: %d %s", r.Status, r.Body)
	}
	if infos, _ := a.db.ListPortfolios(t.Context()); len(infos) != 1 {
		t.Errorf("%d portfolios: a refused upload was stored", len(infos))
	}
}

// TestSessionExpiredNotice: a browser whose session has ended (here by a
// password change, which ends every session of the user, as expiry does) is
// sent to the login page with a notice in its language saying why, once. A
// browser that never signed in, or signed out, is sent there without it,
// though it has a session cookie too (every browser has one).
func TestSessionExpiredNotice(t *testing.T) {
	a := newApp(t)
	for _, tc := range []struct {
		lang, want string
	}{
		{"en", "Your session has expired; please sign in again."},
		{"fr", "Votre session a expiré ; reconnectez-vous."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			browser := a.signedIn(viewerName)
			if r := a.do(browser, a.request(http.MethodGet, "/portfolios?lang="+tc.lang, nil)); r.Status != http.StatusOK {
				t.Fatalf("signed in: %d", r.Status)
			}
			if err := a.db.SetPasswordHash(t.Context(), viewerName, testHash()); err != nil {
				t.Fatal(err)
			}
			r := a.do(browser, a.request(http.MethodGet, "/portfolios", nil))
			loc := r.Header.Get("Location")
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?") {
				t.Fatalf("ended session: %d to %q", r.Status, loc)
			}
			login := a.do(browser, a.request(http.MethodGet, loc, nil))
			if login.Status != http.StatusOK || !strings.Contains(login.Body, html.EscapeString(tc.want)) {
				t.Errorf("login page after the session ended: %d, no %q in %.300s", login.Status, tc.want, login.Body)
			}
			if !strings.Contains(login.Body, `name="next" value="/portfolios"`) {
				t.Error("the login page forgot where to go back to")
			}
			// Told once: the next page asked for is a plain redirect.
			again := a.do(browser, a.request(http.MethodGet, "/portfolios", nil))
			if again.Status != http.StatusSeeOther || strings.Contains(again.Header.Get("Location"), "session_expired") {
				t.Errorf("second visit: %d to %q", again.Status, again.Header.Get("Location"))
			}
		})
	}
	anonymous := a.newBrowser()
	a.do(anonymous, a.request(http.MethodGet, "/login", nil)) // gets the anonymous session cookie
	signedOut := a.signedIn(viewerName)
	page := a.do(signedOut, a.request(http.MethodGet, "/portfolios", nil))
	if r := a.postFormAs(signedOut, "/logout", page, url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.Status)
	}
	for name, browser := range map[string]*http.Client{"never signed in": anonymous, "signed out": signedOut} {
		r := a.do(browser, a.request(http.MethodGet, "/portfolios", nil))
		loc := r.Header.Get("Location")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?") || strings.Contains(loc, "session_expired") {
			t.Errorf("%s: %d to %q", name, r.Status, loc)
			continue
		}
		if login := a.do(browser, a.request(http.MethodGet, loc, nil)); strings.Contains(login.Body, "session has expired") {
			t.Errorf("%s: told the session expired", name)
		}
	}
}

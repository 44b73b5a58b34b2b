package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"blockplan/model"
	"blockplan/web/auth"
)

// TestAdminUsers adds a user, changes its role, resets its password and
// removes it through the admin's forms; refusals come back on the page with
// what was typed (never the password), and the last admin stays.
func TestAdminUsers(t *testing.T) {
	a := newApp(t)
	add := func(name, role, pw string) response {
		return a.postForm("/admin/users", a.get("/admin/users"), url.Values{"name": {name}, "role": {role}, "password": {pw}})
	}
	for _, tc := range []struct {
		name, role, pw string
		status         int
		msg            string
	}{
		{"dora", "viewer", "short", 422, "A password needs 10 characters at least"},
		{"dora smith", "viewer", "long enough password", 422, "A user name is 1 to 64 letters"},
		{"dora", "owner", "long enough password", 422, "Choose a role"},
		{"PAT", "viewer", "long enough password", 409, "There is already a user named “PAT”."},
	} {
		r := add(tc.name, tc.role, tc.pw)
		if r.Status != tc.status || !strings.Contains(htmlUnescape(r.Body), tc.msg) {
			t.Errorf("add %q %q: %d, want %d with %q", tc.name, tc.role, r.Status, tc.status, tc.msg)
		}
		if strings.Contains(r.Body, tc.pw) && tc.pw != tc.name {
			t.Errorf("add %q: the page shows the password typed", tc.name)
		}
	}
	if r := add("dora", "planner", "dora's long password"); r.Status != http.StatusSeeOther {
		t.Fatalf("add dora: %d %.300s", r.Status, r.Body)
	}
	dora := a.newBrowser()
	if r := a.tryLogin(dora, "dora", "dora's long password", ""); r.Status != http.StatusSeeOther {
		t.Fatalf("dora signs in: %d", r.Status)
	}
	if r := a.as(dora, http.MethodGet, "/api/v1/me", nil); !strings.Contains(r.Body, `"role":"planner"`) {
		t.Errorf("dora: %s", r.Body)
	}

	// Reset her password: her session ends, the new password works.
	if r := a.postForm("/admin/users/dora/password", a.get("/admin/users"), url.Values{"password": {"a brand new password"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d %.300s", r.Status, r.Body)
	}
	if st := a.as(dora, http.MethodGet, "/api/v1/me", nil).Status; st != http.StatusUnauthorized {
		t.Errorf("dora's session after a reset: %d", st)
	}
	if r := a.tryLogin(a.newBrowser(), "dora", "a brand new password", ""); r.Status != http.StatusSeeOther {
		t.Errorf("the new password: %d", r.Status)
	}

	// The last admin can be neither demoted nor removed.
	r := a.postForm("/admin/users/"+adminName+"/role", a.get("/admin/users"), url.Values{"role": {"planner"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "is the last admin") {
		t.Errorf("demote the last admin: %d", r.Status)
	}
	a.get("/admin/users?lang=fr")
	r = a.postForm("/admin/users/"+adminName+"/delete", a.get("/admin/users"), url.Values{})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "dernier administrateur") {
		t.Errorf("remove the last admin: %d", r.Status)
	}
	a.get("/admin/users?lang=en")
	if r := a.postForm("/admin/users/nobody/role", a.get("/admin/users"), url.Values{"role": {"viewer"}}); r.Status != http.StatusNotFound {
		t.Errorf("role of nobody: %d", r.Status)
	}

	// Remove dora, after the confirmation page: she cannot sign in, and her
	// tokens go with her.
	confirm := a.get("/admin/users/dora/delete")
	if confirm.Status != 200 || !strings.Contains(confirm.Body, `action="/admin/users/dora/delete"`) {
		t.Fatalf("confirm removal: %d", confirm.Status)
	}
	token := textOf(t, a.makeToken(url.Values{"user": {"dora"}}).Body, "new-token")
	if r := a.postForm("/admin/users/dora/delete", confirm, url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("remove dora: %d", r.Status)
	}
	if r := a.tryLogin(a.newBrowser(), "dora", "a brand new password", ""); r.Status != http.StatusUnauthorized {
		t.Errorf("removed user signs in: %d", r.Status)
	}
	if r := a.api(http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer "+token); r.Status != http.StatusUnauthorized {
		t.Errorf("removed user's token: %d", r.Status)
	}
	// Every change is in the audit log, by the admin.
	entries, err := a.db.ListAudit(t.Context(), model.AuditFilter{Kind: model.KindUser, EntityID: "dora"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if e.Actor != adminName {
			t.Errorf("%s of dora recorded as by %q", e.Action, e.Actor)
		}
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "delete,update,create" {
		t.Errorf("audit of dora: %v", actions)
	}
	if strings.Contains(a.get("/admin/users").Body, ">dora<") {
		t.Error("dora is still listed")
	}
}

var auditRowRE = regexp.MustCompile(`<td class="num"><a href="/admin/audit/(\d+)">`)

// TestAuditLogPages: the admin's audit log filters by actor, kind and
// portfolio, pages by entry id, shows an entry's before and after as
// indented JSON; the API gives the same.
func TestAuditLogPages(t *testing.T) {
	a := newApp(t)
	ctx := model.WithActor(t.Context(), "cli:ops")
	for i := range 60 {
		if err := a.db.RecordAudit(ctx, model.AuditEntry{Action: model.ActionLoginFailed, Kind: model.KindSession,
			EntityID: "guess" + strconv.Itoa(i), Detail: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	// An edit by the planner, with before and after.
	planner := a.signedIn(plannerName)
	path := "/portfolios/" + demoID + "/goals/NG3"
	form := a.as(planner, http.MethodGet, path+"/edit", nil)
	vals := formValues(form.Body)
	vals.Set("version", formVersion(t, form.Body))
	vals.Set("name", "Goal <3 & more")
	if r := a.postFormAs(planner, path, form, vals); r.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.Status)
	}

	ids := func(body string) []int64 {
		var out []int64
		for _, m := range auditRowRE.FindAllStringSubmatch(body, -1) {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			out = append(out, n)
		}
		return out
	}
	first := a.get("/admin/audit")
	page1 := ids(first.Body)
	if len(page1) != 50 {
		t.Fatalf("first page: %d entries, want 50", len(page1))
	}
	next := regexp.MustCompile(`<a rel="next" href="([^"]+)">`).FindStringSubmatch(first.Body)
	if next == nil {
		t.Fatal("no link to older entries")
	}
	second := a.get(htmlUnescape(next[1]))
	page2 := ids(second.Body)
	if len(page2) == 0 || page2[0] >= page1[len(page1)-1] {
		t.Errorf("second page %v does not follow the first (last %d)", page2, page1[len(page1)-1])
	}
	for _, tc := range []struct {
		query string
		check func(model.AuditEntry) bool
	}{
		{"?actor=" + plannerName, func(e model.AuditEntry) bool { return e.Actor == plannerName }},
		{"?kind=goal", func(e model.AuditEntry) bool { return e.Kind == model.KindGoal }},
		{"?portfolio=" + demoID, func(e model.AuditEntry) bool { return e.PortfolioID == demoID }},
	} {
		r := a.get("/admin/audit" + tc.query)
		got := ids(r.Body)
		if r.Status != 200 || len(got) == 0 {
			t.Errorf("%s: %d, %d entries", tc.query, r.Status, len(got))
		}
		for _, id := range got {
			e, _ := a.db.GetAudit(t.Context(), id)
			if !tc.check(e) {
				t.Errorf("%s lists entry %d: %+v", tc.query, id, e)
			}
		}
	}
	if r := a.get("/admin/audit?before=x"); r.Status != http.StatusBadRequest {
		t.Errorf("before=x: %d", r.Status)
	}

	// The edit's entry: its before and after, indented, escaped.
	edits, _ := a.db.ListAudit(t.Context(), model.AuditFilter{Kind: model.KindGoal, EntityID: "NG3", Limit: 1})
	if len(edits) != 1 {
		t.Fatal("no audit entry for the edit")
	}
	r := a.get("/admin/audit/" + strconv.FormatInt(edits[0].ID, 10))
	after := regexp.MustCompile(`(?s)<pre class="json" id="audit-after">(.*?)</pre>`).FindStringSubmatch(r.Body)
	before := regexp.MustCompile(`(?s)<pre class="json" id="audit-before">(.*?)</pre>`).FindStringSubmatch(r.Body)
	if after == nil || before == nil {
		t.Fatalf("entry page without before and after: %.500s", r.Body)
	}
	if !strings.Contains(after[1], "\n  &#34;name&#34;: &#34;Goal &lt;3 &amp; more&#34;") {
		t.Errorf("after is not indented JSON with the name as written: %s", after[1])
	}
	if !strings.Contains(before[1], "&#34;name&#34;") || strings.Contains(before[1], "Goal &lt;3") {
		t.Errorf("before: %s", before[1])
	}
	if r := a.get("/admin/audit/999999"); r.Status != http.StatusNotFound {
		t.Errorf("missing entry: %d", r.Status)
	}

	// The API: pages with next_before, one entry with its bodies.
	var list struct {
		Entries    []model.AuditEntry `json:"entries"`
		NextBefore *int64             `json:"next_before"`
	}
	r = a.api(http.MethodGet, "/api/v1/audit?limit=10&actor=cli:ops", nil)
	if err := json.Unmarshal([]byte(r.Body), &list); err != nil || len(list.Entries) != 10 || list.NextBefore == nil {
		t.Fatalf("API list: %d %v %.300s", r.Status, err, r.Body)
	}
	r = a.api(http.MethodGet, "/api/v1/audit?limit=1000&actor=cli:ops&before="+strconv.FormatInt(*list.NextBefore, 10), nil)
	json.Unmarshal([]byte(r.Body), &list)
	if len(list.Entries) != 50 || list.NextBefore != nil {
		t.Errorf("API second page: %d entries, next %v", len(list.Entries), list.NextBefore)
	}
	var e model.AuditEntry
	r = a.api(http.MethodGet, "/api/v1/audit/"+strconv.FormatInt(edits[0].ID, 10), nil)
	if err := json.Unmarshal([]byte(r.Body), &e); err != nil || e.Actor != plannerName || !strings.Contains(string(e.After), "Goal <3 & more") && !strings.Contains(string(e.After), `Goal \u003c3`) {
		t.Errorf("API entry: %v %s", err, r.Body)
	}
	if r := a.api(http.MethodGet, "/api/v1/audit?limit=5000", nil); r.Status != http.StatusBadRequest {
		t.Errorf("limit=5000: %d", r.Status)
	}
}

// TestTokenPostRedirectGet: making a token answers 303 to the token list
// (the token is in no URL), which shows it once to the session that made it;
// reloading that page shows it no more and makes no other token, and another
// admin's session never sees it.
func TestTokenPostRedirectGet(t *testing.T) {
	a := newApp(t)
	count := func() int {
		t.Helper()
		list, err := a.db.ListTokens(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := count()
	other := a.signedIn(adminName)

	page := a.get("/admin/tokens")
	r := a.postForm("/admin/tokens", page, url.Values{"user": {viewerName}, "label": {"prg"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/tokens" {
		t.Fatalf("make token: %d to %q", r.Status, r.Header.Get("Location"))
	}
	if got := a.do(other, a.request(http.MethodGet, "/admin/tokens", nil)); strings.Contains(got.Body, `id="new-token"`) {
		t.Error("another session is shown the new token")
	}
	shown := a.get("/admin/tokens")
	token := textOf(t, shown.Body, "new-token")
	if !auth.LooksLikeToken(token) {
		t.Fatalf("the page after the redirect shows %q, not a token", token)
	}
	if r := a.api(http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer "+token); r.Status != http.StatusOK || !strings.Contains(r.Body, viewerName) {
		t.Errorf("the token shown: %d %s", r.Status, r.Body)
	}
	reload := a.get("/admin/tokens")
	if reload.Status != http.StatusOK || strings.Contains(reload.Body, token) || strings.Contains(reload.Body, `id="new-token"`) {
		t.Errorf("reload: %d, the token shown again", reload.Status)
	}
	if got, want := count(), before+1; got != want {
		t.Errorf("%d tokens after one POST and two GETs, want %d", got, want)
	}
	// A refused form is answered at once, with what was typed, and no redirect.
	r = a.postForm("/admin/tokens", reload, url.Values{"user": {"nobody"}, "label": {"kept label"}})
	if r.Status != http.StatusNotFound || !strings.Contains(r.Body, `value="kept label"`) {
		t.Errorf("token for nobody: %d", r.Status)
	}
}

package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"blockplan/fixtures"
	"blockplan/model"
)

// formValues reads the values of a form page's inputs, selects and
// textareas (enough for the pages blockplan draws).
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input id="f-[^"]*" name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		v.Add(m[1], htmlUnescape(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea id="f-[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(body, -1) {
		v.Add(m[1], htmlUnescape(m[2]))
	}
	for _, sel := range regexp.MustCompile(`(?s)<select id="f-[^"]*" name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		for _, o := range regexp.MustCompile(`<option value="([^"]*)" selected>`).FindAllStringSubmatch(sel[2], -1) {
			v.Add(sel[1], htmlUnescape(o[1]))
		}
	}
	return v
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&#34;", `"`, "&quot;", `"`, "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

func savings(t *testing.T, a *testApp) float64 {
	t.Helper()
	r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/savings", nil)
	var res model.Result
	if err := json.Unmarshal([]byte(r.Body), &res); err != nil {
		t.Fatal(err)
	}
	return res.Totals.Savings
}

// TestEditBlockCost edits a block's build cost through its form: the page
// redirects to the block, and the savings move.
func TestEditBlockCost(t *testing.T) {
	a := newApp(t)
	before := savings(t, a)
	dash := a.get("/portfolios/" + demoID)
	shownBefore := textOf(t, dash.Body, "fig-savings")

	form := a.get("/portfolios/" + demoID + "/blocks/payments/edit")
	if form.Status != 200 {
		t.Fatalf("edit form: %d", form.Status)
	}
	vals := formValues(form.Body)
	if vals.Get("build_cost") == "" || vals.Get("id") != "payments" {
		t.Fatalf("the form lacks its values: %v", vals)
	}
	vals.Set("version", formVersion(t, form.Body))
	vals.Set("build_cost", "9000000000")
	vals.Del("build_cost_low")
	vals.Del("build_cost_high")
	r := a.postForm("/portfolios/"+demoID+"/blocks/payments", form, vals)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/portfolios/"+demoID+"/blocks/payments") {
		t.Fatalf("save: %d %s\n%.1000s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if after := savings(t, a); after == before {
		t.Errorf("savings did not change: %v", after)
	}
	dash = a.get("/portfolios/" + demoID)
	if shownAfter := textOf(t, dash.Body, "fig-savings"); shownAfter == shownBefore {
		t.Errorf("the dashboard still shows %s", shownAfter)
	}
	page := a.get(r.Header.Get("Location"))
	if !strings.Contains(textOf(t, page.Body, "block-build-cost"), "9,000,000,000") || !strings.Contains(page.Body, `class="flash"`) {
		t.Errorf("the block page does not show the new cost and a notice")
	}
}

// TestFormShowsProblemsAtTheirFields submits bad values: the form comes back
// (422) with each message next to its field and the values as typed.
func TestFormShowsProblemsAtTheirFields(t *testing.T) {
	a := newApp(t)
	form := a.get("/portfolios/" + demoID + "/blocks/payments/edit?lang=fr")
	vals := formValues(form.Body)
	vals.Set("version", formVersion(t, form.Body))
	vals.Set("build_cost", "-5")
	vals.Set("annual_run_cost", "beaucoup")
	vals.Set("integration_cost_low", "10")
	r := a.postForm("/portfolios/"+demoID+"/blocks/payments", form, vals)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Status)
	}
	for _, field := range []string{"annual_run_cost", "integration_cost"} {
		if !regexp.MustCompile(`(?s)id="f-` + field + `".{0,1000}<ul class="field-errors" id="e-` + field + `"><li>`).MatchString(r.Body) {
			t.Errorf("no message next to %s", field)
		}
	}
	if !strings.Contains(r.Body, `value="beaucoup"`) {
		t.Error("the typed value was lost")
	}
	// Once the values read, the model's rule: a negative amount.
	vals.Set("annual_run_cost", "1000")
	vals.Del("integration_cost_low")
	r = a.postForm("/portfolios/"+demoID+"/blocks/payments", form, vals)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("negative cost: %d", r.Status)
	}
	m := regexp.MustCompile(`<ul class="field-errors" id="e-build_cost"><li>([^<]+)</li>`).FindStringSubmatch(r.Body)
	if m == nil || !strings.Contains(m[1], "négatif") {
		t.Errorf("no French message next to build_cost: %v", m)
	}
}

// TestStaleEditShowsCurrentValue opens one form twice; the second save is a
// conflict that shows what the first saved.
func TestStaleEditShowsCurrentValue(t *testing.T) {
	a := newApp(t)
	path := "/portfolios/" + demoID + "/goals/NG1"
	first := a.get(path + "/edit")
	second := a.get(path + "/edit")
	v1 := formValues(first.Body)
	v1.Set("version", formVersion(t, first.Body))
	v1.Set("name", "First editor's name")
	if r := a.postForm(path, first, v1); r.Status != http.StatusSeeOther {
		t.Fatalf("first save: %d", r.Status)
	}
	v2 := formValues(second.Body)
	v2.Set("version", formVersion(t, second.Body))
	v2.Set("name", "Second editor's name")
	r := a.postForm(path, second, v2)
	if r.Status != http.StatusConflict {
		t.Fatalf("stale save: %d", r.Status)
	}
	if !strings.Contains(r.Body, `id="conflict"`) || !strings.Contains(r.Body, "First editor&#39;s name") {
		t.Errorf("the conflict page does not show the current value")
	}
	if !strings.Contains(r.Body, `value="Second editor&#39;s name"`) {
		t.Error("the second editor's value was lost")
	}
	// Saving again, now at the current version, keeps the second value.
	v2.Set("version", formVersion(t, r.Body))
	if r := a.postForm(path, r, v2); r.Status != http.StatusSeeOther {
		t.Fatalf("save after conflict: %d", r.Status)
	}
	if page := a.get(path); !strings.Contains(page.Body, "Second editor&#39;s name") {
		t.Error("the second value was not saved")
	}
}

// TestRenameAndDeleteKeepReferences renames a goal (programmes follow) and
// deletes it (programmes lose it), each in one transaction.
func TestRenameAndDeleteKeepReferences(t *testing.T) {
	a := newApp(t)
	path := "/portfolios/" + demoID + "/goals/NG1"
	form := a.get(path + "/edit")
	vals := formValues(form.Body)
	vals.Set("version", formVersion(t, form.Body))
	vals.Set("id", "NG1-renamed")
	r := a.postForm(path, form, vals)
	if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "/goals/NG1-renamed?done=saved") {
		t.Fatalf("rename: %d %s", r.Status, r.Header.Get("Location"))
	}
	p, _, _ := a.db.GetPortfolio(t.Context(), demoID)
	for _, pr := range p.Programmes {
		for _, g := range pr.Goals {
			if g == "NG1" {
				t.Errorf("programme %s still names NG1", pr.ID)
			}
		}
	}
	if strings.Contains(a.get("/portfolios/"+demoID+"/gaps").Body, "NG1-renamed</a>") {
		t.Error("the renamed goal lost its programmes")
	}

	confirm := a.get("/portfolios/" + demoID + "/goals/NG1-renamed/delete")
	if confirm.Status != 200 || !strings.Contains(confirm.Body, "/programmes/") {
		t.Fatalf("delete confirmation: %d, lists no programme", confirm.Status)
	}
	r = a.postForm("/portfolios/"+demoID+"/goals/NG1-renamed/delete", confirm, url.Values{"version": {formVersion(t, confirm.Body)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d %.500s", r.Status, r.Body)
	}
	if r := a.get("/portfolios/" + demoID + "/goals/NG1-renamed"); r.Status != 404 {
		t.Errorf("deleted goal: %d", r.Status)
	}
	if d := a.get("/portfolios/" + demoID); !strings.Contains(d.Body, `id="fig-savings"`) {
		t.Error("the portfolio is no longer valid after the delete")
	}
}

// TestCreateAndOverride creates a programme and gives costs to a block the
// demo takes from the catalogue: only what differs from the catalogue is
// stored.
func TestCreateAndOverride(t *testing.T) {
	a := newApp(t)
	base := "/portfolios/" + demoID
	form := a.get(base + "/programmes/_new")
	vals := url.Values{"version": {"0"}, "id": {"P-NEW"}, "name": {"New programme"}, "goals": {"NG2"},
		"use_cases": {"maternal_and_newborn_health"}, "start_year": {"2027"}, "own_build_cost": {"1 000,5"}}
	r := a.postForm(base+"/programmes", form, vals)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %.800s", r.Status, r.Body)
	}
	p, _, _ := a.db.GetPortfolio(t.Context(), demoID)
	last := p.Programmes[len(p.Programmes)-1]
	if last.ID != "P-NEW" || last.OwnBuildCost.Likely != 1000.5 || *last.StartYear != 2027 {
		t.Errorf("stored %+v", last)
	}
	// The same id again is a problem at the id field.
	r = a.postForm(base+"/programmes", form, vals)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-id"`) {
		t.Errorf("duplicate id: %d", r.Status)
	}

	// A catalogue workflow the demo uses without defining: override its blocks.
	res := demo(t)
	wf := res.Workflows[0]
	form = a.get(base + "/workflows/" + wf.ID + "/edit")
	vals = formValues(form.Body)
	if formVersion(t, form.Body) != "0" {
		t.Fatal("a catalogue entry's form must create (version 0)")
	}
	vals.Set("version", "0")
	vals["blocks"] = []string{"payments"}
	if r := a.postForm(base+"/workflows/"+wf.ID, form, vals); r.Status != http.StatusSeeOther {
		t.Fatalf("override: %d %.800s", r.Status, r.Body)
	}
	r = a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/workflows/"+wf.ID, nil)
	var st struct{ Data map[string]any }
	json.Unmarshal([]byte(r.Body), &st)
	if len(st.Data) != 2 || st.Data["id"] != wf.ID {
		t.Errorf("the override stores more than what differs: %v", st.Data)
	}
}

// TestUploadWorkbookWithErrors uploads a workbook with errors: nothing is
// stored and the page lists the problems by sheet and row.
func TestUploadWorkbookWithErrors(t *testing.T) {
	a := newApp(t)
	page := a.get("/portfolios")
	r := a.postFile("/upload", page, "broken.xlsx", badWorkbook(t), nil)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Status)
	}
	if !strings.Contains(r.Body, `id="upload-problems"`) {
		t.Fatal("no problem list")
	}
	for _, want := range []string{"Sheet Programmes", "Sheet Blocks", "NG-NOPE"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the problem list lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<tr class="error"><td class="num">\d+</td>`).MatchString(r.Body) {
		t.Error("problems without row numbers")
	}
	if infos, _ := a.db.ListPortfolios(t.Context()); len(infos) != 1 {
		t.Error("a file with errors was stored")
	}

	// A good JSON file is stored, and the browser goes to its dashboard.
	r = a.postFile("/upload", page, "worked-example.json", fixtures.WorkedExample, nil)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/portfolios/") {
		t.Fatalf("good upload: %d %.500s", r.Status, r.Body)
	}
	if d := a.get(r.Header.Get("Location")); d.Status != 200 || !strings.Contains(d.Body, `id="fig-savings"`) {
		t.Errorf("dashboard of the upload: %d", d.Status)
	}
	// Again: it exists, and replacing needs the box ticked.
	r = a.postFile("/upload", page, "worked-example.json", fixtures.WorkedExample, nil)
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("second upload: %d", r.Status)
	}
	r = a.postFile("/upload", page, "worked-example.json", fixtures.WorkedExample, url.Values{"replace": {"true"}})
	if r.Status != http.StatusSeeOther {
		t.Errorf("replace: %d", r.Status)
	}
}

func TestSettingsForm(t *testing.T) {
	a := newApp(t)
	path := "/portfolios/" + demoID + "/settings"
	form := a.get(path)
	vals := url.Values{"version": {formVersion(t, form.Body)}, "name": {"Lagunie"}, "country": {"lgn"}, "currency": {"XOF"},
		"start_year": {"2026"}, "horizon_years": {"7"}, "discount_rate": {"4,5"}, "optimism_bias": {"0"}}
	if r := a.postForm(path, form, vals); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %.500s", r.Status, r.Body)
	}
	r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/savings", nil)
	var res model.Result
	json.Unmarshal([]byte(r.Body), &res)
	if res.Settings.HorizonYears != 7 || res.Settings.DiscountRate != 0.045 {
		t.Errorf("settings now %+v", res.Settings)
	}
	// The same form again is stale.
	if r := a.postForm(path, form, vals); r.Status != http.StatusConflict || !strings.Contains(r.Body, `id="conflict"`) {
		t.Errorf("stale settings: %d", r.Status)
	}
	vals.Set("version", formVersion(t, a.get(path).Body))
	vals.Set("horizon_years", "500")
	if r := a.postForm(path, form, vals); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-horizon_years"`) {
		t.Errorf("horizon 500: %d", r.Status)
	}
}

// TestScenarioPanel recomputes with other settings and with a block siloed.
func TestScenarioPanel(t *testing.T) {
	a := newApp(t)
	base := "/portfolios/" + demoID + "/scenario"
	plain := a.get(base)
	if plain.Status != 200 || !strings.Contains(plain.Body, `id="monte-carlo"`) {
		t.Fatalf("scenario: %d, Monte Carlo shown: %v", plain.Status, strings.Contains(plain.Body, `id="monte-carlo"`))
	}
	s0 := textOf(t, plain.Body, "sc-savings")
	r := a.get(base + "?scenario=true&discount_rate=12&horizon_years=5&optimism_bias=10")
	if s := textOf(t, r.Body, "sc-savings"); s == s0 {
		t.Errorf("a 12 %% discount rate left savings at %s", s)
	}
	// Every block ticked but payments: payments is costed siloed.
	res := demo(t)
	q := url.Values{"scenario": {"true"}}
	for _, b := range res.Blocks {
		if b.ID != "payments" {
			q.Add("shared", b.ID)
		}
	}
	r = a.get(base + "?" + q.Encode())
	if s := textOf(t, r.Body, "sc-savings"); s == s0 {
		t.Errorf("siloing payments left savings at %s", s)
	}
	if !regexp.MustCompile(`name="shared" value="payments">`).MatchString(r.Body) {
		t.Error("payments is still shown as shared")
	}
	if r := a.get(base + "?scenario=true&discount_rate=abc"); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad rate: %d", r.Status)
	}
}

package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"blockplan/model"
	"blockplan/reports"
)

// moneyEN is an amount as the English pages write it.
func moneyEN(v float64) string { return reports.FormatMoney(v, "XOF", "en") }

// demoRoadmap is model.Roadmap of the demo at its own settings, for budget.
func demoRoadmap(t *testing.T, budget *float64) *model.RoadmapResult {
	t.Helper()
	res := demo(t)
	r := model.Compute(res, model.EffectiveSettings(res.Settings, res.Programmes))
	return model.Roadmap(r, budget)
}

var (
	chosenRowRE   = regexp.MustCompile(`(?s)<table class="list" id="chosen-blocks">.*?</table>`)
	frontierRowRE = regexp.MustCompile(`(?s)<table class="list" id="frontier">.*?</table>`)
	frontierData  = regexp.MustCompile(`(?s)<script type="application/json" id="chart-frontier">(.*?)</script>`)
)

// TestRoadmapPage: the frontier alone without a budget; with a budget typed
// as analysts type it, the chosen set (the model's), each block with what it
// serves; a budget that cannot be read is said so at the field.
func TestRoadmapPage(t *testing.T) {
	a := newApp(t)
	base := "/portfolios/" + demoID + "/roadmap"
	all := demoRoadmap(t, nil)

	r := a.get(base)
	if r.Status != 200 || strings.Contains(r.Body, `id="chosen"`) {
		t.Fatalf("without a budget: %d, or a chosen set shown", r.Status)
	}
	// The table lists at most 60 points, spread over the frontier, first
	// and last included, and says so; the chart draws them all.
	table := frontierRowRE.FindString(r.Body)
	if n := strings.Count(table, "<tr") - 1; n != min(len(all.Frontier), 60) {
		t.Errorf("frontier table has %d rows, want %d of the model's %d points", n, min(len(all.Frontier), 60), len(all.Frontier))
	}
	last := all.Frontier[len(all.Frontier)-1]
	if !strings.Contains(table, moneyEN(0)+"</td>") || !strings.Contains(table, moneyEN(last.Cost)) {
		t.Error("the frontier table lacks its first or last point")
	}
	if len(all.Frontier) > 60 && !strings.Contains(r.Body, "60 of its "+strconv.Itoa(len(all.Frontier))+" points are listed") {
		t.Error("the table does not say it lists only some points")
	}

	budget := 2e9
	want := demoRoadmap(t, &budget)
	r = a.get(base + "?budget=" + url.QueryEscape("2 000 000 000"))
	if r.Status != 200 {
		t.Fatalf("with a budget: %d", r.Status)
	}
	chosen := chosenRowRE.FindString(r.Body)
	if n := strings.Count(chosen, "<tr") - 1; n != len(want.Chosen) || n == 0 {
		t.Errorf("%d chosen blocks shown, want %v", n, want.Chosen)
	}
	for _, id := range want.Chosen {
		if !strings.Contains(chosen, `href="/portfolios/`+demoID+`/blocks/`+id+`"`) {
			t.Errorf("chosen set lacks a link to %s", id)
		}
		for _, prog := range want.Serves[id].Programmes {
			if !strings.Contains(chosen, `/programmes/`+prog+`"`) {
				t.Errorf("%s serves %s: not linked", id, prog)
			}
		}
		for _, g := range want.Serves[id].Goals {
			if g != model.UnmappedID && !strings.Contains(chosen, `/goals/`+g+`"`) {
				t.Errorf("%s serves goal %s: not linked", id, g)
			}
		}
	}
	if got := textOf(t, r.Body, "rm-cost"); got != reports.FormatMoney(want.Cost, "XOF", "en") || !strings.HasPrefix(got, "XOF\u00a0") {
		t.Errorf("cost of the chosen set shown as %q", got)
	}
	if !strings.Contains(frontierRowRE.FindString(r.Body), `class="chosen"`) {
		t.Error("the frontier table does not mark the budget's point")
	}
	if !strings.Contains(r.Body, `value="2 000 000 000"`) {
		t.Error("the budget field lost what was typed")
	}
	// The chart: the model's frontier, tooltips as plain text.
	if m := frontierData.FindStringSubmatch(r.Body); m != nil {
		var opt struct {
			Title   any `json:"title"`
			Tooltip struct {
				RenderMode string `json:"renderMode"`
			} `json:"tooltip"`
			Series []struct {
				Data []struct {
					Value [2]float64 `json:"value"`
				} `json:"data"`
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
			t.Fatal(err)
		}
		if opt.Tooltip.RenderMode != "richText" || opt.Title != nil {
			t.Errorf("chart tooltip %q, title %v: want rich text and no title", opt.Tooltip.RenderMode, opt.Title)
		}
		if len(opt.Series) == 0 || len(opt.Series[0].Data) != len(want.Frontier) {
			t.Errorf("the chart does not draw the frontier's %d points", len(want.Frontier))
		}
	} else if strings.Contains(r.Body, "data-chart") {
		t.Error("a chart without its data")
	}

	// French: the page and a French number.
	r = a.get(base + "?lang=fr&budget=" + url.QueryEscape("2 000 000 000,00"))
	if r.Status != 200 || !strings.Contains(r.Body, "<h1>Feuille de route</h1>") || textOf(t, r.Body, "rm-cost") != reports.FormatMoney(want.Cost, "XOF", "fr") {
		t.Errorf("French roadmap: %d %q", r.Status, textOf(t, r.Body, "rm-cost"))
	}
	a.get(base + "?lang=en")

	for _, bad := range []string{"abc", "-5", "2 000 000 000 XOF"} {
		r := a.get(base + "?budget=" + url.QueryEscape(bad))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="budget-error"`) || strings.Contains(r.Body, `id="chosen"`) {
			t.Errorf("budget %q: %d", bad, r.Status)
		}
	}
	r = a.get(base + "?budget=100")
	if r.Status != 200 || !strings.Contains(r.Body, `id="chosen-none"`) {
		t.Errorf("a budget too small for any block: %d", r.Status)
	}
}

// TestRoadmapAPI: the roadmap JSON is model.RoadmapResult as it marshals,
// for the budget given as analysts write it.
func TestRoadmapAPI(t *testing.T) {
	a := newApp(t)
	for _, q := range []string{"", "2000000000", "2e9", url.QueryEscape("2 000 000 000"), "100"} {
		r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/roadmap?budget="+q, nil)
		if r.Status != 200 {
			t.Fatalf("budget %q: %d %s", q, r.Status, r.Body)
		}
		var budget *float64
		switch q {
		case "":
		case "100":
			b := 100.0
			budget = &b
		default:
			b := 2e9
			budget = &b
		}
		var got, want map[string]any
		data, _ := json.Marshal(demoRoadmap(t, budget))
		json.Unmarshal(data, &want)
		if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"budget", "chosen", "cost", "savings", "share", "frontier"} {
			if _, ok := got[k]; !ok {
				t.Errorf("budget %q: no %q in the JSON", q, k)
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("budget %q: the API differs from model.Roadmap (-want +got):\n%s", q, d)
		}
	}
	r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/roadmap?budget=lots", nil)
	if e := decodeError(t, r); r.Status != http.StatusBadRequest || len(e.Error.Details) != 1 || e.Error.Details[0].Field != "budget" {
		t.Errorf("bad budget: %d %s", r.Status, r.Body)
	}
	if r := a.api(http.MethodGet, "/api/v1/portfolios/nope/roadmap", nil); r.Status != http.StatusNotFound {
		t.Errorf("unknown portfolio: %d", r.Status)
	}
}

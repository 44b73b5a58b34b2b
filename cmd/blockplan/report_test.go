package main

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"blockplan/catalog"
	"blockplan/model"
	"blockplan/reports"
)

// TestReportBudgetAndTargets: --budget puts the roadmap's chosen set in the
// report, as `roadmap --budget` computes it, and the report carries the
// catalogue's SDG target texts.
func TestReportBudgetAndTargets(t *testing.T) {
	c := newCLI(t)
	const budget = 3e9
	code, out, errs := c.run("", "roadmap", "--json", "--budget", "3000000000", "--portfolio", "lagunie-2026")
	if code != 0 {
		t.Fatalf("roadmap: %d %s", code, errs)
	}
	var rm model.RoadmapResult
	if err := json.Unmarshal([]byte(out), &rm); err != nil {
		t.Fatal(err)
	}
	if len(rm.Chosen) == 0 {
		t.Fatal("the demo's roadmap chooses nothing for the test budget")
	}
	page := func(args ...string) string {
		t.Helper()
		path := filepath.Join(t.TempDir(), "r.html")
		args = append([]string{"report", "--format", "html", "--lang", "en", "--mc", "0", "-o", path, "--portfolio", "lagunie-2026"}, args...)
		if code, _, errs := c.run("", args...); code != 0 {
			t.Fatalf("report %v: %d %s", args, code, errs)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	withBudget := page("--budget", "3000000000")
	heading := html.EscapeString(reports.Labelf("en", "chosen_set", reports.FormatMoney(budget, "XOF", "en")))
	if !strings.Contains(withBudget, heading) {
		t.Errorf("chosen-set heading %q missing", heading)
	}
	for _, v := range []float64{rm.Cost, rm.Savings} {
		if want := reports.FormatNumber(v, 0, "en"); !strings.Contains(withBudget, want) {
			t.Errorf("chosen set figure %s (as `roadmap` gives it) missing", want)
		}
	}
	if !strings.Contains(withBudget, `id="chart-frontier"`) {
		t.Error("no frontier chart")
	}
	if without := page(); strings.Contains(without, `id="table-chosen"`) || !strings.Contains(without, `id="table-frontier"`) {
		t.Error("without --budget: want the frontier and no chosen set")
	}
	// Target texts from the catalogue.
	tgt, ok := catalog.Default().SDGTarget("3.2")
	if !ok {
		t.Fatal("catalogue has no target 3.2")
	}
	if want := html.EscapeString(tgt.Name); !strings.Contains(withBudget, want) {
		t.Errorf("target 3.2's text %q missing", want)
	}

	for _, bad := range [][]string{{"--budget", "-5"}, {"--budget", "lots"}} {
		args := append([]string{"report", "--format", "pdf", "-o", filepath.Join(t.TempDir(), "x.pdf"), "--portfolio", "lagunie-2026"}, bad...)
		if code, _, _ := c.run("", args...); code != 2 {
			t.Errorf("report %v: exit %d, want 2", bad, code)
		}
	}
}

// TestSDGTargetsFromReference: every target code of the portfolio and its
// figures gets its text, and codes the reference lacks are left out.
func TestSDGTargetsFromReference(t *testing.T) {
	p := &model.Portfolio{
		Goals:    []model.Goal{{ID: "G", SDGTargets: []string{"3.2", "99.9"}}},
		UseCases: []model.UseCase{{ID: "u", SDGTargets: []string{"16.9"}}},
	}
	r := &model.Result{SDGTargets: []model.TargetFigures{{ID: "3.2"}, {ID: model.UnmappedID}}}
	got := sdgTargets(catalog.Default(), p, r)
	if len(got) != 2 || got["3.2"].Name == "" || got["16.9"].Name == "" {
		t.Errorf("got %v, want the texts of 3.2 and 16.9 only", got)
	}
}

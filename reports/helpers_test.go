package reports

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"blockplan/catalog"
	"blockplan/fixtures"
	"blockplan/model"
)

// fixedTime is the generation time of every test report, so that output is
// byte-identical from run to run.
var fixedTime = time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)

// inputFor computes the cost model for a resolved portfolio the way the CLI
// does, with Monte Carlo and tornado when it has ranges.
func inputFor(tb testing.TB, p *model.Portfolio, ps model.Problems, lang string, draws int) Input {
	tb.Helper()
	opt := model.EffectiveSettings(p.Settings, p.Programmes)
	res := model.Compute(p, opt)
	res.Warnings = model.WarningsFrom(ps)
	if draws > 0 && hasRange(p) {
		res.MonteCarlo = model.MonteCarlo(p, opt, draws, model.DefaultSeed)
		res.Tornado = model.Tornado(p, opt)
	}
	return Input{Portfolio: p, Result: res, Lang: lang, Generated: fixedTime}
}

func hasRange(p *model.Portfolio) bool {
	for _, b := range p.Blocks {
		for _, a := range []model.Amount{b.BuildCost, b.AnnualRunCost, b.IntegrationCost, b.PerConsumerRunCost} {
			if a.Uncertain() {
				return true
			}
		}
	}
	for _, pr := range p.Programmes {
		for _, a := range []model.Amount{pr.OwnBuildCost, pr.OwnAnnualCost, pr.AnnualBenefit} {
			if a.Uncertain() {
				return true
			}
		}
	}
	return false
}

func decode(tb testing.TB, data []byte) *model.Portfolio {
	tb.Helper()
	p, err := model.DecodePortfolioBytes(data)
	if err != nil {
		tb.Fatalf("decode fixture: %v", err)
	}
	return p
}

// workedInput is the worked example of the cost-model specification; it
// stands alone (no catalogue).
func workedInput(tb testing.TB, lang string) Input {
	tb.Helper()
	p, ps := model.Resolve(decode(tb, fixtures.WorkedExample), anyTargets{})
	if ps.HasErrors() {
		tb.Fatalf("worked example: %v", ps.Err("worked example"))
	}
	return inputFor(tb, p, ps, lang, 2000)
}

// demoInput is the demo portfolio (Lagunie, XOF, bilingual, ranges).
func demoInput(tb testing.TB, lang string) Input {
	tb.Helper()
	// Tests may use the catalogue to resolve the demo; the package itself
	// never imports it (TestImportArrows).
	p, ps := model.Resolve(decode(tb, fixtures.Demo), catalog.Default())
	if ps.HasErrors() {
		tb.Fatalf("demo: %v", ps.Err("demo"))
	}
	return inputFor(tb, p, ps, lang, 2000)
}

// withTargets fills Input.Targets from the catalogue for every SDG target
// code of the result, as the CLI does.
func withTargets(in Input) Input {
	in.Targets = map[string]model.SDGTarget{}
	for _, t := range in.Result.SDGTargets {
		if x, ok := catalog.Default().SDGTarget(t.ID); ok {
			in.Targets[t.ID] = x
		}
	}
	return in
}

// syntheticInput is a large generated portfolio.
func syntheticInput(tb testing.TB, programmes int, lang string) Input {
	tb.Helper()
	p := model.Synthetic(programmes, 40, 60, 120, 5, 7)
	return inputFor(tb, p, nil, lang, 1000)
}

// keep writes an artefact to $BLOCKPLAN_REPORT_DIR when set, for looking at
// the reports by hand.
func keep(tb testing.TB, name string, data []byte) {
	dir := os.Getenv("BLOCKPLAN_REPORT_DIR")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		tb.Logf("keep %s: %v", name, err)
	}
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

// anyTargets is a reference with no catalogue entries that accepts every
// SDG target code: enough for portfolios that define all their entities.
type anyTargets struct{ model.NoReference }

func (anyTargets) SDGTarget(code string) (model.SDGTarget, bool) {
	return model.SDGTarget{Code: code, Name: "Target " + code}, true
}

// Hostile names: markup, a script breakout, a spreadsheet formula.
const (
	evilScript  = `</script><script>alert("x")</script>`
	evilImg     = `<img src=x onerror=alert(1)>`
	evilFormula = `=HYPERLINK("http://evil.example","click")`
)

// hostileInput is a small portfolio whose every name is hostile.
func hostileInput(tb testing.TB) Input {
	tb.Helper()
	src := `{"format":"blockplan.portfolio/v1","id":"evil","name":` + jsonString(evilScript) + `,"currency":"USD",
		"settings":{"start_year":2026,"horizon_years":3,"discount_rate":0.05},
		"goals":[{"id":"G1","name":` + jsonString(evilImg) + `,"sdg_targets":["3.1"]}],
		"programmes":[
		 {"id":"P1","name":` + jsonString(evilScript) + `,"goals":["G1"],"use_cases":["u1"],"annual_benefit":{"low":10,"likely":50,"high":90}},
		 {"id":"P2","name":` + jsonString(evilImg) + `,"goals":["G1"],"use_cases":["u1"],"start_year":2027}],
		"use_cases":[{"id":"u1","name":` + jsonString(evilImg) + `,"workflows":["w1"]}],
		"workflows":[{"id":"w1","name":` + jsonString(evilScript) + `,"blocks":["b1","b2"]}],
		"blocks":[
		 {"id":"b1","name":` + jsonString(evilFormula) + `,"build_cost":{"low":80,"likely":100,"high":150},"annual_run_cost":10,"integration_cost":5},
		 {"id":"b2","name":` + jsonString(evilImg+evilScript) + `,"build_cost":40,"annual_run_cost":4}]}`
	p, ps := model.Resolve(decode(tb, []byte(src)), anyTargets{})
	if ps.HasErrors() {
		tb.Fatalf("hostile portfolio: %v", ps.Err("hostile"))
	}
	return inputFor(tb, p, ps, LangEN, 500)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

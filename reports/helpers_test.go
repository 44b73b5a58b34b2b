package reports

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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

// demoResolver resolves the demo portfolio. The demo uses catalogue entries;
// demo_test.go (an external test package, which may import catalog without
// making reports depend on it) sets this to the real catalogue.
var demoResolver = func(raw *model.Portfolio) (*model.Portfolio, model.Problems) {
	return model.Resolve(raw, anyTargets{})
}

// demoInput is the demo portfolio (Lagunie, XOF, bilingual, ranges).
func demoInput(tb testing.TB, lang string) Input {
	tb.Helper()
	p, ps := demoResolver(decode(tb, fixtures.Demo))
	var warnings model.Problems
	for _, pr := range ps {
		if pr.Severity == model.SeverityWarning {
			warnings = append(warnings, pr)
		}
	}
	return inputFor(tb, p, warnings, lang, 2000)
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

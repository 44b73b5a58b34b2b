package model

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// update rewrites the golden files in testdata instead of comparing with
// them: go test ./model/ -run Golden -update. Other tests of the package use
// it too.
var update = flag.Bool("update", false, "rewrite golden files in testdata")

// loadPortfolio reads a self-contained portfolio with plain json.Unmarshal
// (the cost model receives resolved portfolios; decoding is not tested here).
func loadPortfolio(t testing.TB, name string) *Portfolio {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var p Portfolio
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &p
}

func optionsOf(p *Portfolio) Options { return EffectiveSettings(p.Settings, p.Programmes) }

// clonePortfolio is a deep copy through JSON (amounts keep their form).
func clonePortfolio(t testing.TB, p *Portfolio) *Portfolio {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Portfolio
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	return &q
}

// eachAmount calls f on every money amount of p.
func eachAmount(p *Portfolio, f func(kind string, a *Amount)) {
	for i := range p.Blocks {
		b := &p.Blocks[i]
		f("build", &b.BuildCost)
		f("run", &b.AnnualRunCost)
		f("integration", &b.IntegrationCost)
		f("per_consumer", &b.PerConsumerRunCost)
	}
	for i := range p.Programmes {
		pr := &p.Programmes[i]
		f("own_build", &pr.OwnBuildCost)
		f("own_annual", &pr.OwnAnnualCost)
		f("benefit", &pr.AnnualBenefit)
	}
}

func isOneOff(kind string) bool {
	return kind == "build" || kind == "integration" || kind == "own_build"
}

// shufflePortfolio reorders every list of p, entities and links alike.
func shufflePortfolio(p *Portfolio, rng *rand.Rand) {
	shuffle := func(n int, swap func(i, j int)) { rng.Shuffle(n, swap) }
	strs := func(xs []string) { shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] }) }
	shuffle(len(p.Goals), func(i, j int) { p.Goals[i], p.Goals[j] = p.Goals[j], p.Goals[i] })
	shuffle(len(p.Programmes), func(i, j int) { p.Programmes[i], p.Programmes[j] = p.Programmes[j], p.Programmes[i] })
	shuffle(len(p.UseCases), func(i, j int) { p.UseCases[i], p.UseCases[j] = p.UseCases[j], p.UseCases[i] })
	shuffle(len(p.Workflows), func(i, j int) { p.Workflows[i], p.Workflows[j] = p.Workflows[j], p.Workflows[i] })
	shuffle(len(p.Blocks), func(i, j int) { p.Blocks[i], p.Blocks[j] = p.Blocks[j], p.Blocks[i] })
	for i := range p.Goals {
		strs(p.Goals[i].SDGTargets)
	}
	for i := range p.Programmes {
		strs(p.Programmes[i].Goals)
		strs(p.Programmes[i].UseCases)
		strs(p.Programmes[i].Blocks)
	}
	for i := range p.UseCases {
		strs(p.UseCases[i].Workflows)
		strs(p.UseCases[i].Blocks)
	}
	for i := range p.Workflows {
		strs(p.Workflows[i].Blocks)
	}
}

// randomPortfolios are the small synthetic portfolios of the property tests:
// a spread of sizes and horizons, each with every rule of the model in play.
func randomPortfolios() []*Portfolio {
	var ps []*Portfolio
	for seed := int64(1); seed <= 24; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 99))
		ps = append(ps, Synthetic(3+r.IntN(30), 1+r.IntN(10), 1+r.IntN(12), 1+r.IntN(20), 1+r.IntN(8), seed))
	}
	return ps
}

// moneyFigures lists every money figure of a result, in a fixed order, with
// a name for messages: what scales with the amounts.
func moneyFigures(r *Result) (names []string, vals []float64) {
	add := func(name string, v float64) { names, vals = append(names, name), append(vals, v) }
	addp := func(name string, v *float64) {
		if v != nil {
			add(name, *v)
		}
	}
	t := r.Totals
	add("totals.pv_siloed", t.PVSiloed)
	add("totals.pv_shared", t.PVShared)
	add("totals.savings", t.Savings)
	add("totals.pv_own", t.PVOwn)
	add("totals.pv_benefits", t.PVBenefits)
	for _, s := range []struct {
		n string
		a Appraisal
	}{{"shared", r.Appraisal.Shared}, {"siloed", r.Appraisal.Siloed}} {
		add(s.n+".pv_cost", s.a.PVCost)
		add(s.n+".npv", s.a.NPV)
		addp(s.n+".cost_per_beneficiary", s.a.CostPerBeneficiary)
	}
	for _, y := range r.Years {
		p := fmt.Sprintf("years[%d].", y.Year)
		add(p+"siloed", y.Siloed)
		add(p+"shared", y.Shared)
		add(p+"own", y.Own)
		add(p+"benefits", y.Benefits)
	}
	for _, b := range r.Blocks {
		add("block "+b.ID+" pv_siloed", b.PVSiloed)
		add("block "+b.ID+" pv_shared", b.PVShared)
		add("block "+b.ID+" savings", b.Savings)
	}
	for _, p := range r.Programmes {
		add("programme "+p.ID+" pv_siloed", p.PVSiloed)
		add("programme "+p.ID+" pv_shared", p.PVShared)
		add("programme "+p.ID+" savings", p.Savings)
		add("programme "+p.ID+" pv_own", p.PVOwn)
		add("programme "+p.ID+" pv_benefits", p.PVBenefits)
		for _, c := range p.ByBlock {
			add("programme "+p.ID+" block "+c.Block+" pv_shared", c.PVShared)
		}
	}
	for _, g := range r.Goals {
		add("goal "+g.ID+" pv_shared", g.PVShared)
		add("goal "+g.ID+" pv_siloed", g.PVSiloed)
	}
	for _, g := range r.SDGTargets {
		add("target "+g.ID+" pv_shared", g.PVShared)
		add("target "+g.ID+" pv_siloed", g.PVSiloed)
	}
	return names, vals
}

// close reports whether got is within rel (relative) of want, with an
// absolute floor of rel·scale for figures that should be 0.
func closeTo(got, want, rel, scale float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= rel*max(math.Abs(want), math.Abs(got), scale)
}

// compareJSON compares two generic JSON trees: numbers to a relative rel,
// nulls, strings and booleans exactly. With extraOK, keys of got that want
// lacks are ignored; else key sets must match. It returns every difference.
func compareJSON(path string, got, want any, rel float64, extraOK bool) []string {
	var diffs []string
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %T, want object", path, got)}
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			diffs = append(diffs, compareJSON(path+"."+k, gv, w[k], rel, extraOK)...)
		}
		if !extraOK {
			for k := range g {
				if _, ok := w[k]; !ok {
					diffs = append(diffs, fmt.Sprintf("%s.%s: unexpected key", path, k))
				}
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %v, want %d items", path, got, len(w))}
		}
		for i := range w {
			diffs = append(diffs, compareJSON(fmt.Sprintf("%s[%d]", path, i), g[i], w[i], rel, extraOK)...)
		}
	case float64:
		g, ok := got.(float64)
		if !ok || !closeTo(g, w, rel, 1e-3) {
			diffs = append(diffs, fmt.Sprintf("%s: got %v, want %v", path, got, w))
		}
	default: // nil, string, bool
		if got != want {
			diffs = append(diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
		}
	}
	return diffs
}

// jsonTree marshals v and reads it back as a generic tree.
func jsonTree(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	return tree
}

// checkGolden compares v, as JSON, with testdata/name (numbers to 1e-12
// relative, so that a platform that fuses multiply-adds still passes), or
// rewrites the file with -update.
func checkGolden(t *testing.T, name string, v any) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var want any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for _, d := range compareJSON("", jsonTree(t, v), want, 1e-12, false) {
		t.Error(d)
	}
}

package model

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tornadoPortfolio is a one-year plan at 0 %, so that every figure can be
// checked by hand: two programmes use block a; savings = build + run −
// 2·integration − 2·per-consumer run (a degenerate range, not drawn).
func tornadoPortfolio() *Portfolio {
	y0, h, r := 2026, 1, 0.0
	return &Portfolio{Format: Format, Currency: "USD",
		Settings: Settings{StartYear: &y0, HorizonYears: &h, DiscountRate: &r},
		Programmes: []Programme{
			{ID: "P1", Blocks: []string{"a"}, AnnualBenefit: Triangle(0, 50, 100)},
			{ID: "P2", Blocks: []string{"a"}},
		},
		Blocks: []Block{{ID: "a", BuildCost: Triangle(80, 100, 150), AnnualRunCost: Triangle(10, 20, 40),
			IntegrationCost: Triangle(5, 10, 12), PerConsumerRunCost: Triangle(3, 3, 3)}},
	}
}

func TestTornadoHandChecked(t *testing.T) {
	p := tornadoPortfolio()
	got := Tornado(p, optionsOf(p))
	// Savings at likely: 100 + 20 − 2·10 − 2·3 = 94. Shared cost 100 + 20
	// + 2·10 + 2·3 = 146, benefits 50: NPV −96.
	want := []TornadoRow{
		{Parameter: "block:a:build_cost", Low: 74, High: 144, Swing: 70, NPVLow: -76, NPVHigh: -146, Range: Triangle(80, 100, 150)},
		{Parameter: "block:a:annual_run_cost", Low: 84, High: 114, Swing: 30, NPVLow: -86, NPVHigh: -116, Range: Triangle(10, 20, 40)},
		{Parameter: "block:a:integration_cost", Low: 104, High: 90, Swing: 14, NPVLow: -86, NPVHigh: -100, Range: Triangle(5, 10, 12)},
		{Parameter: "programme:P1:annual_benefit", Low: 94, High: 94, Swing: 0, NPVLow: -146, NPVHigh: -46, Range: Triangle(0, 50, 100)},
	}
	approx := cmp.Comparer(func(a, b float64) bool { return closeTo(a, b, 1e-12, 1e-9) })
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("Tornado (-want +got):\n%s", diff)
	}
}

func TestTornadoOrder(t *testing.T) {
	p := Synthetic(30, 8, 10, 12, 6, 5)
	rows := Tornado(p, optionsOf(p))
	if len(rows) < 10 {
		t.Fatalf("only %d rows", len(rows))
	}
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if a.Swing < b.Swing || (a.Swing == b.Swing && a.Parameter >= b.Parameter) {
			t.Errorf("rows %d and %d out of order: %s %v, %s %v", i-1, i, a.Parameter, a.Swing, b.Parameter, b.Swing)
		}
		if b.Swing != math.Abs(b.High-b.Low) {
			t.Errorf("%s: swing %v ≠ |%v − %v|", b.Parameter, b.Swing, b.High, b.Low)
		}
	}
}

// The linear shortcut is the model: with any values in the ranges, the dot
// product of the coefficients equals a full Compute on those values.
func TestLinearModelMatchesCompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i, p := range randomPortfolios() {
		o := optionsOf(p)
		o.OptimismBias = 0.2
		o.Siloed = map[string]bool{p.Blocks[len(p.Blocks)-1].ID: true}
		lm := newLinearModel(p, o)
		q := clonePortfolio(t, p)
		eachAmount(q, func(_ string, a *Amount) { *a = Point(a.Low + rng.Float64()*(a.High-a.Low)) })
		res := Compute(q, o)
		named := map[string]float64{}
		for j := range q.Blocks {
			b := q.Blocks[j]
			named["block:"+b.ID+":build_cost"] = b.BuildCost.Likely
			named["block:"+b.ID+":annual_run_cost"] = b.AnnualRunCost.Likely
			named["block:"+b.ID+":integration_cost"] = b.IntegrationCost.Likely
			named["block:"+b.ID+":per_consumer_run_cost"] = b.PerConsumerRunCost.Likely
		}
		for j := range q.Programmes {
			pr := q.Programmes[j]
			named["programme:"+pr.ID+":own_build_cost"] = pr.OwnBuildCost.Likely
			named["programme:"+pr.ID+":own_annual_cost"] = pr.OwnAnnualCost.Likely
			named["programme:"+pr.ID+":annual_benefit"] = pr.AnnualBenefit.Likely
		}
		sav, npv := 0.0, 0.0
		for _, prm := range lm.params {
			v, ok := named[prm.name]
			if !ok {
				t.Fatalf("parameter %s has no amount", prm.name)
			}
			sav += prm.cSav * v
			npv += prm.cNPV * v
		}
		if len(lm.params) != len(named) {
			t.Errorf("portfolio %d: %d parameters, want %d", i, len(lm.params), len(named))
		}
		scale := max(res.Totals.PVSiloed, 1)
		if !closeTo(sav, res.Totals.Savings, 1e-9, scale) {
			t.Errorf("portfolio %d: linear savings %v, Compute %v", i, sav, res.Totals.Savings)
		}
		if !closeTo(npv, res.Appraisal.Shared.NPV, 1e-9, scale) {
			t.Errorf("portfolio %d: linear npv %v, Compute %v", i, npv, res.Appraisal.Shared.NPV)
		}
	}
}

func TestMonteCarloDeterministic(t *testing.T) {
	p := Synthetic(60, 10, 12, 20, 6, 11)
	o := optionsOf(p)
	a := MonteCarlo(p, o, 3000, 42)
	b := MonteCarlo(p, o, 3000, 42)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same input, different output:\n%s", diff)
	}
	prev := runtime.GOMAXPROCS(1)
	c := MonteCarlo(p, o, 3000, 42)
	runtime.GOMAXPROCS(max(prev, 4))
	d := MonteCarlo(p, o, 3000, 42)
	runtime.GOMAXPROCS(prev)
	if diff := cmp.Diff(a, c); diff != "" {
		t.Errorf("one goroutine gives a different output:\n%s", diff)
	}
	if diff := cmp.Diff(a, d); diff != "" {
		t.Errorf("four goroutines give a different output:\n%s", diff)
	}
	if e := MonteCarlo(p, o, 3000, 43); e.Savings == a.Savings {
		t.Errorf("seed 43 gives the same savings as seed 42: %+v", e.Savings)
	}
	if a.Iterations != 3000 || a.Seed != 42 || a.Ranges == 0 {
		t.Errorf("iterations %d, seed %d, ranges %d", a.Iterations, a.Seed, a.Ranges)
	}
}

// With many draws the mean converges to the figure computed with every range
// at its mean (the model is linear). The tolerance is 5 standard errors,
// σ/√N with σ² = Σ c²·Var(X) and Var of a triangle (L²+M²+H²−LM−LH−MH)/18:
// a correct sampler fails it with probability below 1e-6 (and the seed is
// fixed); a sampler that drew the likely value, or a wrong triangle, misses
// it by many tolerances, which the test checks too.
func TestMonteCarloConvergesToMean(t *testing.T) {
	p := Synthetic(40, 10, 12, 20, 6, 3)
	o := optionsOf(p)
	const n = 40_000
	mc := MonteCarlo(p, o, n, 1)

	q := clonePortfolio(t, p)
	eachAmount(q, func(_ string, a *Amount) {
		if a.Set {
			*a = Point(a.Mean())
		}
	})
	atMean := Compute(q, o)
	atLikely := Compute(p, o)

	lm := newLinearModel(p, o)
	var varSav, varNPV float64
	for _, prm := range lm.params {
		a := prm.amount
		if !a.Uncertain() {
			continue
		}
		v := (a.Low*a.Low + a.Likely*a.Likely + a.High*a.High - a.Low*a.Likely - a.Low*a.High - a.Likely*a.High) / 18
		varSav += prm.cSav * prm.cSav * v
		varNPV += prm.cNPV * prm.cNPV * v
	}
	for _, c := range []struct {
		what                 string
		got, want, likely, v float64
	}{
		{"savings", mc.Savings.Mean, atMean.Totals.Savings, atLikely.Totals.Savings, varSav},
		{"npv_shared", mc.NPVShared.Mean, atMean.Appraisal.Shared.NPV, atLikely.Appraisal.Shared.NPV, varNPV},
	} {
		tol := 5 * math.Sqrt(c.v/n)
		if math.Abs(c.got-c.want) > tol {
			t.Errorf("%s: MC mean %v, point at the means %v: off by %v > %v", c.what, c.got, c.want, math.Abs(c.got-c.want), tol)
		}
		if math.Abs(c.likely-c.want) < 3*tol {
			t.Errorf("%s: the test cannot tell the mean (%v) from the likely value (%v) with tolerance %v", c.what, c.want, c.likely, tol)
		}
	}
	for _, d := range []Distribution{mc.Savings, mc.NPVShared} {
		if !(d.P10 <= d.P50 && d.P50 <= d.P90) || d.ProbNegative < 0 || d.ProbNegative > 1 {
			t.Errorf("distribution out of order: %+v", d)
		}
		if !(d.P10 < d.Mean && d.Mean < d.P90) {
			t.Errorf("mean outside p10–p90: %+v", d)
		}
	}
}

// With no range, every draw is the point figure.
func TestMonteCarloWithoutRanges(t *testing.T) {
	p := loadPortfolio(t, "worked-example.json")
	o := optionsOf(p)
	res := Compute(p, o)
	mc := MonteCarlo(p, o, 100, 1)
	for _, c := range []struct {
		what string
		d    Distribution
		want float64
	}{{"savings", mc.Savings, res.Totals.Savings}, {"npv_shared", mc.NPVShared, res.Appraisal.Shared.NPV}} {
		for _, v := range []float64{c.d.Mean, c.d.P10, c.d.P50, c.d.P90} {
			if !closeTo(v, c.want, 1e-12, 1) {
				t.Errorf("%s: %+v, want all %v", c.what, c.d, c.want)
			}
		}
	}
	if mc.Ranges != 0 || mc.Savings.ProbNegative != 0 {
		t.Errorf("ranges %d, prob_negative %v", mc.Ranges, mc.Savings.ProbNegative)
	}
	if d := MonteCarlo(p, o, 0, 1); d.Iterations != DefaultIterations {
		t.Errorf("n = 0 gives %d iterations, want the default %d", d.Iterations, DefaultIterations)
	}
}

// A portfolio whose savings straddle zero has a share of negative draws in
// between 0 and 1, and the same share for the same draws.
func TestMonteCarloProbNegative(t *testing.T) {
	y0, h, r := 2026, 1, 0.0
	// savings = build − integration·2 + run = X − 20 with X ~ (0, 20, 40):
	// symmetric around 0, so half the draws are negative.
	p := &Portfolio{Format: Format, Settings: Settings{StartYear: &y0, HorizonYears: &h, DiscountRate: &r},
		Programmes: []Programme{{ID: "P1", Blocks: []string{"a"}}, {ID: "P2", Blocks: []string{"a"}}},
		Blocks:     []Block{{ID: "a", BuildCost: Triangle(0, 20, 40), IntegrationCost: Point(10)}}}
	mc := MonteCarlo(p, optionsOf(p), 20_000, 9)
	if math.Abs(mc.Savings.ProbNegative-0.5) > 0.02 {
		t.Errorf("prob_negative = %v, want ≈ 0.5", mc.Savings.ProbNegative)
	}
	if math.Abs(mc.Savings.P50) > 0.5 || math.Abs(mc.Savings.Mean) > 0.3 {
		t.Errorf("median %v, mean %v, want ≈ 0", mc.Savings.P50, mc.Savings.Mean)
	}
	// Type-7 p10 of a triangle (0, 20, 40) − 20: x with F(x) = 0.1,
	// F(x) = x²/800 for x ≤ 20: x = √80, minus 20.
	if want := math.Sqrt(80) - 20; math.Abs(mc.Savings.P10-want) > 0.3 {
		t.Errorf("p10 = %v, want ≈ %v", mc.Savings.P10, want)
	}
}

func TestPercentile(t *testing.T) {
	xs := []float64{1, 2, 3, 4}
	tests := []struct {
		q, want float64
	}{{0, 1}, {0.1, 1.3}, {0.5, 2.5}, {0.9, 3.7}, {1, 4}}
	for _, tt := range tests {
		if got := Percentile(xs, tt.q); !closeTo(got, tt.want, 1e-12, 1e-12) {
			t.Errorf("Percentile(%v, %v) = %v, want %v", xs, tt.q, got, tt.want)
		}
	}
	if got := Percentile([]float64{7}, 0.9); got != 7 {
		t.Errorf("one value: %v", got)
	}
	if got := Percentile(nil, 0.5); !math.IsNaN(got) {
		t.Errorf("no value: %v, want NaN", got)
	}
}

func TestTriangleDraw(t *testing.T) {
	tr := newTriangle(Triangle(10, 20, 60))
	const top = math.MaxUint32
	for _, c := range []struct {
		u1, u2 uint32
		want   float64
	}{
		{0, 0, 10},                      // L
		{top, top, 60 - 50*0x1p-32},     // just below H
		{0, top, 20 - 10*0x1p-32},       // min 0, max 1: the mode
		{1 << 31, 1 << 31, 10 + 50*0.5}, // both ½: halfway from L to H
		{1 << 30, 3 << 30, 10 + 40*0.25 + 10*0.75},
	} {
		if got := tr.draw(uint64(c.u2)<<32 | uint64(c.u1)); !closeTo(got, c.want, 1e-12, 1e-12) {
			t.Errorf("draw(%d, %d) = %v, want %v", c.u1, c.u2, got, c.want)
		}
	}
}

// The sampler's draws follow the triangular CDF: F(x) = (x−L)²/((H−L)(M−L))
// up to the mode, 1 − (H−x)²/((H−L)(H−M)) after it. With 200,000 draws the
// standard error of an empirical CDF value is at most 0.0011; the tolerance
// 0.005 is over 4 of them.
func TestTriangleDistribution(t *testing.T) {
	L, M, H := 10.0, 20.0, 60.0
	tr := newTriangle(Triangle(L, M, H))
	src := rand.NewPCG(1, 2)
	const n = 200_000
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = tr.draw(src.Uint64())
	}
	cdf := func(x float64) float64 {
		if x <= M {
			return (x - L) * (x - L) / ((H - L) * (M - L))
		}
		return 1 - (H-x)*(H-x)/((H-L)*(H-M))
	}
	for _, x := range []float64{12, 16, 20, 30, 45, 55} {
		below := 0
		for _, v := range xs {
			if v <= x {
				below++
			}
		}
		if got, want := float64(below)/n, cdf(x); math.Abs(got-want) > 0.005 {
			t.Errorf("P(X ≤ %v) = %v, want %v", x, got, want)
		}
	}
}

// The uncertainty figures of the ranges example are pinned by a golden file.
func TestUncertaintyGolden(t *testing.T) {
	p := loadPortfolio(t, "ranges.json")
	o := optionsOf(p)
	res := Compute(p, o)
	res.MonteCarlo = MonteCarlo(p, o, 2000, DefaultSeed)
	res.Tornado = Tornado(p, o)
	checkGolden(t, "ranges.uncertainty.golden.json", struct {
		MonteCarlo *MonteCarloResult `json:"monte_carlo"`
		Tornado    []TornadoRow      `json:"tornado"`
	}{res.MonteCarlo, res.Tornado})
}

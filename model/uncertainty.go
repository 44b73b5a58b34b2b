package model

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// This file is the uncertainty analysis of cost-model.md §7. Every figure it
// reports (savings, the shared scenario's NPV) is linear in the amounts, so
// the model is walked once to find each amount's coefficient, and a Monte
// Carlo draw is a dot product of those coefficients with the drawn values.
// The coefficients are taken from the same flows Compute uses (a block or a
// programme evaluated with one amount set to 1), so there is one cost model.
// IRR and payback are not linear and are not drawn.

// Defaults of the Monte Carlo analysis (§7).
const (
	DefaultIterations = 10000
	DefaultSeed       = 1
)

// MonteCarloResult is the distribution of savings and of the shared
// scenario's NPV over independent triangular draws of every range.
type MonteCarloResult struct {
	Iterations int          `json:"iterations"`
	Seed       int64        `json:"seed"`
	Savings    Distribution `json:"savings"`
	NPVShared  Distribution `json:"npv_shared"`
	// Ranges is the number of amounts drawn (ranges with low < high).
	Ranges int `json:"ranges"`
}

// Distribution summarises draws: the mean, type-7 percentiles and the share
// of draws below zero.
type Distribution struct {
	Mean         float64 `json:"mean"`
	P10          float64 `json:"p10"`
	P50          float64 `json:"p50"`
	P90          float64 `json:"p90"`
	ProbNegative float64 `json:"prob_negative"`
}

// TornadoRow is savings with one range at its low and at its high value, all
// other amounts at likely. Swing is |High − Low|. NPVLow and NPVHigh are the
// shared scenario's NPV at the same two points (programme benefits and own
// costs move it, not savings).
type TornadoRow struct {
	Parameter string  `json:"parameter"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	Swing     float64 `json:"swing"`
	NPVLow    float64 `json:"npv_low"`
	NPVHigh   float64 `json:"npv_high"`
	// Range is the amount itself, for labels.
	Range Amount `json:"range"`
}

// linearParam is one amount with its coefficients on savings and on the
// shared scenario's NPV. Name is "block:<id>:<field>" or
// "programme:<id>:<field>", with the portfolio format's field names.
type linearParam struct {
	name       string
	amount     Amount
	cSav, cNPV float64
}

// linearModel is savings and npv_shared as Σ coefficient × amount.
type linearModel struct {
	params []linearParam // every amount, sorted by name
}

// newLinearModel finds the coefficient of every amount of p.
func newLinearModel(p *Portfolio, opt Options) *linearModel {
	pl := newPlan(p, opt)
	h := pl.h
	lm := &linearModel{}
	sil, sh := make([]float64, h), make([]float64, h)
	for j := range pl.blocks {
		bp := &pl.blocks[j]
		b := bp.b
		fields := []struct {
			name string
			a    Amount
			unit blockAmounts
		}{
			{"build_cost", b.BuildCost, blockAmounts{build: 1}},
			{"annual_run_cost", b.AnnualRunCost, blockAmounts{run: 1}},
			{"integration_cost", b.IntegrationCost, blockAmounts{integration: 1}},
			{"per_consumer_run_cost", b.PerConsumerRunCost, blockAmounts{perConsumer: 1}},
		}
		for _, f := range fields {
			zeroAll(sil, sh)
			pl.addBlock(bp, f.unit, sil, sh)
			pvSil, pvSh := pl.pv(sil), pl.pv(sh)
			lm.params = append(lm.params, linearParam{name: "block:" + b.ID + ":" + f.name, amount: f.a,
				cSav: pvSil - pvSh, cNPV: -pvSh})
		}
	}
	own, ben := make([]float64, h), make([]float64, h)
	for i := range pl.progs {
		pp := &pl.progs[i]
		pr := pp.p
		fields := []struct {
			name string
			a    Amount
			unit progAmounts
		}{
			{"own_build_cost", pr.OwnBuildCost, progAmounts{build: 1}},
			{"own_annual_cost", pr.OwnAnnualCost, progAmounts{annual: 1}},
			{"annual_benefit", pr.AnnualBenefit, progAmounts{benefit: 1}},
		}
		for _, f := range fields {
			zeroAll(own, ben)
			if pp.active() {
				pl.addOwn(pp, f.unit, own, ben)
			}
			lm.params = append(lm.params, linearParam{name: "programme:" + pr.ID + ":" + f.name, amount: f.a,
				cNPV: pl.pv(ben) - pl.pv(own)})
		}
	}
	sort.SliceStable(lm.params, func(i, j int) bool { return lm.params[i].name < lm.params[j].name })
	return lm
}

// at is savings and npv_shared with every amount at value(amount).
func (lm *linearModel) at(value func(Amount) float64) (savings, npv float64) {
	for _, q := range lm.params {
		v := value(q.amount)
		savings += q.cSav * v
		npv += q.cNPV * v
	}
	return savings, npv
}

func likelyOf(a Amount) float64 { return a.Likely }

// triangle is a range prepared for sampling the triangular distribution
// (L, M, H) by the method of Stein and Keblis (2009): with U1, U2 uniform on
// [0, 1), L + (H−M)·min(U1, U2) + (M−L)·max(U1, U2) is exactly triangular
// (L, M, H). It needs no square root and no branch (integer min and max
// compile to conditional moves), which makes a draw several times cheaper
// than the inverse CDF; both uniforms come from one 64-bit PCG output, 32
// bits each (a resolution of 2⁻³² of the range).
type triangle struct {
	low, toLow, toHigh float64 // L, (H−M)·2⁻³², (M−L)·2⁻³²
	cSav, cNPV         float64
}

func newTriangle(a Amount) triangle {
	return triangle{low: a.Low, toLow: (a.High - a.Likely) * 0x1p-32, toHigh: (a.Likely - a.Low) * 0x1p-32}
}

// draw is one value from 64 random bits.
func (tr *triangle) draw(r uint64) float64 {
	u1, u2 := uint32(r), uint32(r>>32)
	return tr.low + tr.toLow*float64(min(u1, u2)) + tr.toHigh*float64(max(u1, u2))
}

// MonteCarlo draws every range of p n times (n ≤ 0: DefaultIterations) from
// its triangular distribution, independently, and summarises savings and the
// shared scenario's NPV. Draw i uses its own PCG generator seeded from (seed,
// i), and ranges are drawn in the order of their parameter names, so the
// result depends only on n, seed and the input: not on the order of the
// input, on map iteration or on how many goroutines share the work.
func MonteCarlo(p *Portfolio, opt Options, n int, seed int64) *MonteCarloResult {
	if n <= 0 {
		n = DefaultIterations
	}
	lm := newLinearModel(p, opt)
	var base0, base1 float64 // the certain amounts' part
	var tri []triangle
	for _, q := range lm.params {
		a := q.amount
		if !a.Uncertain() {
			base0 += q.cSav * a.Likely
			base1 += q.cNPV * a.Likely
			continue
		}
		tr := newTriangle(a)
		tr.cSav, tr.cNPV = q.cSav, q.cNPV
		tri = append(tri, tr)
	}

	savings, npv := make([]float64, n), make([]float64, n)
	workers := min(runtime.GOMAXPROCS(0), max(1, n*len(tri)/200000))
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() {
			var src rand.PCG
			for i := lo; i < hi; i++ {
				src.Seed(drawSeed(seed, i))
				s, v := base0, base1
				for k := range tri {
					tr := &tri[k]
					x := tr.draw(src.Uint64())
					s += tr.cSav * x
					v += tr.cNPV * x
				}
				savings[i], npv[i] = s, v
			}
		})
	}
	wg.Wait()
	return &MonteCarloResult{Iterations: n, Seed: seed, Savings: summarise(savings), NPVShared: summarise(npv), Ranges: len(tri)}
}

// drawSeed is the PCG seed of draw i: both halves pass through splitmix64 so
// that neighbouring draws start from unrelated states.
func drawSeed(seed int64, i int) (uint64, uint64) {
	a := splitmix64(uint64(seed))
	b := splitmix64(a + uint64(i)*0x9e3779b97f4a7c15)
	return b, splitmix64(b ^ a)
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// summarise sorts xs in place and describes them.
func summarise(xs []float64) Distribution {
	sum, neg := 0.0, 0
	for _, x := range xs {
		sum += x
		if x < 0 {
			neg++
		}
	}
	sort.Float64s(xs)
	n := float64(len(xs))
	return Distribution{Mean: sum / n, P10: Percentile(xs, 0.10), P50: Percentile(xs, 0.50), P90: Percentile(xs, 0.90),
		ProbNegative: float64(neg) / n}
}

// Percentile is the q-quantile (0 ≤ q ≤ 1) of sorted values by linear
// interpolation between order statistics (Hyndman and Fan's type 7, the
// default of R and NumPy): h = (n−1)q, x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
func Percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := float64(len(sorted)-1) * q
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	if i < 0 {
		return sorted[0]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// Tornado is savings with each range of p at its low and at its high value,
// all other amounts at likely: one row per range (low < high), sorted by
// swing, largest first, ties by parameter name.
func Tornado(p *Portfolio, opt Options) []TornadoRow {
	lm := newLinearModel(p, opt)
	sav, npv := lm.at(likelyOf)
	rows := []TornadoRow{}
	for _, q := range lm.params {
		a := q.amount
		if !a.Uncertain() {
			continue
		}
		r := TornadoRow{Parameter: q.name, Range: a,
			Low: sav + q.cSav*(a.Low-a.Likely), High: sav + q.cSav*(a.High-a.Likely),
			NPVLow: npv + q.cNPV*(a.Low-a.Likely), NPVHigh: npv + q.cNPV*(a.High-a.Likely)}
		r.Swing = math.Abs(r.High - r.Low)
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Swing != rows[j].Swing {
			return rows[i].Swing > rows[j].Swing
		}
		return rows[i].Parameter < rows[j].Parameter
	})
	return rows
}

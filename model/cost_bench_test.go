package model

import (
	"encoding/json"
	"io"
	"runtime"
	"slices"
	"sync"
	"testing"
)

// benchPortfolio is the size the issue sets the speed goals for: 5,000
// programmes, 40 blocks, 60 workflows, 300 use cases, a 10-year plan, ranges
// on most amounts.
var benchPortfolio = sync.OnceValue(func() *Portfolio { return Synthetic(5000, 40, 60, 300, 10, 1) })

// roadmapPortfolio has 60 blocks for the frontier's speed goal.
var roadmapPortfolio = sync.OnceValue(func() *Portfolio { return Synthetic(2000, 60, 90, 300, 10, 1) })

// Goal: under 200 ms.
func BenchmarkCompute(b *testing.B) {
	p := benchPortfolio()
	o := optionsOf(p)
	for b.Loop() {
		Compute(p, o)
	}
}

// Compute and the JSON of `blockplan savings --json`.
func BenchmarkComputeJSON(b *testing.B) {
	p := benchPortfolio()
	o := optionsOf(p)
	for b.Loop() {
		if err := json.NewEncoder(io.Discard).Encode(Compute(p, o)); err != nil {
			b.Fatal(err)
		}
	}
}

// Goal: 10,000 draws under 1 s.
func BenchmarkMonteCarlo10k(b *testing.B) {
	p := benchPortfolio()
	o := optionsOf(p)
	var mc *MonteCarloResult
	for b.Loop() {
		mc = MonteCarlo(p, o, 10_000, 1)
	}
	b.ReportMetric(float64(mc.Ranges), "ranges")
}

// The same on one core, for machines that have only one.
func BenchmarkMonteCarlo10kOneCore(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	p := benchPortfolio()
	o := optionsOf(p)
	for b.Loop() {
		MonteCarlo(p, o, 10_000, 1)
	}
}

func BenchmarkTornado(b *testing.B) {
	p := benchPortfolio()
	o := optionsOf(p)
	for b.Loop() {
		Tornado(p, o)
	}
}

// Goal: the frontier of a 60-block portfolio under 100 ms. The metrics show
// how many blocks save (the knapsack's items) and how many points the exact
// frontier has.
func BenchmarkRoadmapFrontier60(b *testing.B) {
	p := roadmapPortfolio()
	res := Compute(p, optionsOf(p))
	budget := res.Totals.PVShared / 3
	var rm *RoadmapResult
	for b.Loop() {
		rm = Roadmap(res, &budget)
	}
	b.ReportMetric(float64(rm.Candidates), "candidates")
	b.ReportMetric(float64(len(rm.Frontier)), "frontier-points")
}

// The 60-block benchmark portfolio's frontier is exact (no thinning), and the
// branch and bound finds the same set for the budget as the frontier.
func TestRoadmap60BlocksComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2,000-programme portfolio")
	}
	p := roadmapPortfolio()
	res := Compute(p, optionsOf(p))
	budget := res.Totals.PVShared / 3
	rm := Roadmap(res, &budget)
	if !rm.FrontierComplete || !rm.Exact || rm.Candidates < 40 {
		t.Errorf("complete %v, exact %v, candidates %d", rm.FrontierComplete, rm.Exact, rm.Candidates)
	}
	ks := knapsackOf(res)
	set, done := ks.solve(budget, roadmapNodeLimit)
	if got := ks.names(set); !done || !slices.Equal(got, rm.Chosen) {
		t.Errorf("branch and bound chooses %v (done %v), frontier %v", got, done, rm.Chosen)
	}
	t.Logf("%d candidates, %d frontier points", rm.Candidates, len(rm.Frontier))
}

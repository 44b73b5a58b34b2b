package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// knapsackResult is a Result with only the block figures the roadmap reads.
func knapsackResult(costs, savings []float64) *Result {
	res := &Result{}
	for i := range costs {
		res.Blocks = append(res.Blocks, BlockFigures{ID: fmt.Sprintf("b%02d", i), PVShared: costs[i], Savings: savings[i]})
	}
	return res
}

// subset is one subset of candidates for the brute force, sums in id order.
type subset struct {
	ids       []string
	cost, sav float64
}

// allSubsets lists every subset of the blocks of res that save (> 0).
func allSubsets(res *Result) []subset {
	var cand []BlockFigures
	for _, b := range res.Blocks {
		if b.Savings > 0 {
			cand = append(cand, b)
		}
	}
	sort.Slice(cand, func(i, j int) bool { return cand[i].ID < cand[j].ID })
	out := make([]subset, 0, 1<<len(cand))
	for mask := 0; mask < 1<<len(cand); mask++ {
		s := subset{ids: []string{}}
		for i, b := range cand {
			if mask&(1<<i) != 0 {
				s.ids = append(s.ids, b.ID)
				s.cost += b.PVShared
				s.sav += b.Savings
			}
		}
		out = append(out, s)
	}
	return out
}

// bruteBetter is the tie rule written independently: more savings, then less
// cost, then the lexicographically smaller list of ids.
func bruteBetter(a, b subset) bool {
	if a.sav != b.sav {
		return a.sav > b.sav
	}
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	return slices.Compare(a.ids, b.ids) < 0
}

func bruteBest(subs []subset, budget float64) subset {
	best := subset{cost: math.Inf(1), sav: math.Inf(-1)}
	found := false
	for _, s := range subs {
		if s.cost <= budget && (!found || bruteBetter(s, best)) {
			best, found = s, true
		}
	}
	return best
}

// bruteFrontier is the best set at every budget where it changes: sweep the
// subsets by cost, keeping the best so far.
func bruteFrontier(subs []subset) []FrontierPoint {
	subs = slices.Clone(subs)
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].cost < subs[j].cost })
	var out []FrontierPoint
	var best subset
	for i := 0; i < len(subs); {
		j := i
		for ; j < len(subs) && subs[j].cost == subs[i].cost; j++ {
			if (i == 0 && j == 0) || bruteBetter(subs[j], best) {
				best = subs[j]
			}
		}
		if len(out) == 0 || !slices.Equal(out[len(out)-1].Blocks, best.ids) {
			out = append(out, FrontierPoint{Cost: best.cost, Savings: best.sav, Blocks: best.ids})
		}
		i = j
	}
	return out
}

// randomKnapsack draws n blocks, about a quarter of which do not save.
func randomKnapsack(rng *rand.Rand, n int) *Result {
	costs, savings := make([]float64, n), make([]float64, n)
	for i := range n {
		costs[i] = 1000 * rng.Float64()
		savings[i] = costs[i] * (rng.Float64()*2 - 0.4)
		if rng.IntN(10) == 0 {
			costs[i] = math.Round(costs[i] / 100) // small integers: exact ties
			savings[i] = math.Round(savings[i] / 100)
		}
	}
	return knapsackResult(costs, savings)
}

// The chosen set and the frontier agree with a brute force over every subset,
// for up to 20 blocks, at random budgets and at every frontier cost exactly.
func TestRoadmapMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	sizes := []int{0, 1, 2, 3, 5, 8, 10, 12, 14, 16, 20}
	for _, n := range sizes {
		for rep := range 3 {
			if n == 20 && rep > 0 {
				break
			}
			res := randomKnapsack(rng, n)
			subs := allSubsets(res)
			name := fmt.Sprintf("%d blocks #%d", n, rep)
			rm := Roadmap(res, nil)
			if diff := cmp.Diff(bruteFrontier(subs), rm.Frontier); diff != "" {
				t.Errorf("%s: frontier (-brute +got):\n%s", name, diff)
			}
			if !rm.FrontierComplete || !rm.Exact {
				t.Errorf("%s: complete %v, exact %v", name, rm.FrontierComplete, rm.Exact)
			}
			budgets := []float64{0, -1}
			for range 15 {
				budgets = append(budgets, rng.Float64()*float64(n)*600)
			}
			step := max(1, len(rm.Frontier)/12) // each budget scans every subset
			for j := 0; j < len(rm.Frontier); j += step {
				pt := rm.Frontier[j]
				budgets = append(budgets, pt.Cost, math.Nextafter(pt.Cost, 0))
			}
			for _, k := range budgets {
				got := Roadmap(res, &k)
				want := bruteBest(subs, k)
				if k < 0 {
					want = subset{ids: []string{}}
				}
				if !slices.Equal(got.Chosen, want.ids) || got.Cost != want.cost || got.Savings != want.sav {
					t.Errorf("%s, budget %v: chose %v (%v, %v), brute force %v (%v, %v)",
						name, k, got.Chosen, got.Cost, got.Savings, want.ids, want.cost, want.sav)
				}
				if fp, ok := rm.FrontierAt(k); k >= 0 && (!ok || !slices.Equal(fp.Blocks, want.ids)) {
					t.Errorf("%s, budget %v: FrontierAt gives %v, want %v", name, k, fp.Blocks, want.ids)
				}
			}
		}
	}
}

func TestRoadmapTies(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name          string
		costs, savs   []float64
		budget        *float64
		want          []string
		wantFrontiers [][]string
	}{
		{"equal blocks: the first ids", []float64{10, 10, 10}, []float64{5, 5, 5}, f(20), []string{"b00", "b01"},
			[][]string{{}, {"b00"}, {"b00", "b01"}, {"b00", "b01", "b02"}}},
		{"equal savings: the smaller cost", []float64{10, 8}, []float64{5, 5}, f(10), []string{"b01"},
			[][]string{{}, {"b01"}, {"b00", "b01"}}},
		{"equal sums: the smaller list of ids", []float64{3, 1, 2}, []float64{3, 1, 2}, f(3), []string{"b00"},
			[][]string{{}, {"b01"}, {"b02"}, {"b00"}, {"b00", "b01"}, {"b00", "b02"}, {"b00", "b01", "b02"}}},
		{"blocks that do not save are never chosen", []float64{1, 1, 0}, []float64{0, -1, 0}, nil, []string{},
			[][]string{{}}},
		{"a free block that saves is always chosen", []float64{0, 5}, []float64{2, 4}, f(0), []string{"b00"},
			[][]string{{"b00"}, {"b00", "b01"}}},
		{"no budget: every block that saves", []float64{5, 7, 1}, []float64{1, 2, -3}, nil, []string{"b00", "b01"},
			[][]string{{}, {"b00"}, {"b01"}, {"b00", "b01"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rm := Roadmap(knapsackResult(tt.costs, tt.savs), tt.budget)
			if !slices.Equal(rm.Chosen, tt.want) {
				t.Errorf("chosen %v, want %v", rm.Chosen, tt.want)
			}
			var got [][]string
			for _, p := range rm.Frontier {
				got = append(got, p.Blocks)
			}
			if diff := cmp.Diff(tt.wantFrontiers, got); diff != "" {
				t.Errorf("frontier (-want +got):\n%s", diff)
			}
		})
	}
}

// The frontier is monotone (more budget never captures less) on real
// portfolios, share is savings over what all saving blocks save, and each
// chosen block says whom it serves.
func TestRoadmapOnPortfolios(t *testing.T) {
	for i, p := range append(randomPortfolios(), Synthetic(200, 30, 40, 60, 8, 77)) {
		res := Compute(p, optionsOf(p))
		rm := Roadmap(res, nil)
		for j := 1; j < len(rm.Frontier); j++ {
			a, b := rm.Frontier[j-1], rm.Frontier[j]
			if !(a.Cost < b.Cost && a.Savings < b.Savings) {
				t.Errorf("portfolio %d: frontier not monotone at %d: %+v then %+v", i, j, a, b)
			}
		}
		possible := 0.0
		for _, b := range res.Blocks {
			if b.Savings > 0 {
				possible += b.Savings
			}
		}
		if !closeTo(rm.PossibleSavings, possible, 1e-12, 1) {
			t.Errorf("portfolio %d: possible savings %v, want %v", i, rm.PossibleSavings, possible)
		}
		if possible > 0 && (rm.Share == nil || !closeTo(*rm.Share, 1, 1e-12, 1)) {
			t.Errorf("portfolio %d: no budget, share %v, want 1", i, deref(rm.Share))
		}
		half := rm.PossibleSavings // any budget in the middle of the frontier
		if n := len(rm.Frontier); n > 2 {
			half = rm.Frontier[n/2].Cost
		}
		rh := Roadmap(res, &half)
		if n := len(rm.Frontier); n > 2 && rh.Savings != rm.Frontier[n/2].Savings {
			t.Errorf("portfolio %d: budget %v saves %v, frontier says %v", i, half, rh.Savings, rm.Frontier[n/2].Savings)
		}
		if rh.Cost > half {
			t.Errorf("portfolio %d: chosen set costs %v > budget %v", i, rh.Cost, half)
		}
	}
}

func TestRoadmapWorkedExample(t *testing.T) {
	p := loadPortfolio(t, "worked-example.json")
	res := Compute(p, optionsOf(p))
	budget := 200.0
	rm := Roadmap(res, &budget)
	// Only ident saves (236.83 for 198.21); msg and payments cost more shared.
	want := &RoadmapResult{Budget: &budget, Chosen: []string{"ident"}, Cost: res.Blocks[0].PVShared,
		Savings: res.Blocks[0].Savings, Share: f64(1),
		Frontier: []FrontierPoint{{Cost: 0, Savings: 0, Blocks: []string{}},
			{Cost: res.Blocks[0].PVShared, Savings: res.Blocks[0].Savings, Blocks: []string{"ident"}}},
		Serves:          map[string]Serves{"ident": {Programmes: []string{"P1", "P2", "P3"}, Goals: []string{"G1", "G2"}}},
		PossibleSavings: res.Blocks[0].Savings, Candidates: 1, Exact: true, FrontierComplete: true}
	if diff := cmp.Diff(want, rm); diff != "" {
		t.Errorf("Roadmap (-want +got):\n%s", diff)
	}
	small := 100.0
	if rm := Roadmap(res, &small); len(rm.Chosen) != 0 || rm.Share == nil || *rm.Share != 0 || len(rm.Serves) != 0 {
		t.Errorf("budget 100: %+v", rm)
	}
	checkGolden(t, "ranges.roadmap.golden.json", Roadmap(Compute(loadPortfolio(t, "ranges.json"), optionsOf(loadPortfolio(t, "ranges.json"))), &budget))
}

func f64(v float64) *float64 { return &v }

func TestRoadmapShareNullWhenNothingSaves(t *testing.T) {
	rm := Roadmap(knapsackResult([]float64{5}, []float64{-1}), nil)
	if rm.Share != nil || rm.Candidates != 0 || len(rm.Frontier) != 1 {
		t.Errorf("share %v, candidates %d, frontier %v", deref(rm.Share), rm.Candidates, rm.Frontier)
	}
}

// knapsackOf is the roadmap's internal problem for the blocks of res.
func knapsackOf(res *Result) *knapsack {
	ks := &knapsack{}
	for _, b := range res.Blocks {
		if b.Savings > 0 {
			ks.ids, ks.cost, ks.sav = append(ks.ids, b.ID), append(ks.cost, b.PVShared), append(ks.sav, b.Savings)
		}
	}
	ks.sortByID()
	ks.words = (len(ks.ids) + 63) / 64
	return ks
}

// The branch and bound (used when the frontier is too large to keep whole)
// agrees with the brute force on its own.
func TestKnapsackSolveMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 4, 7, 10, 13, 16} {
		for rep := range 4 {
			res := randomKnapsack(rng, n)
			subs := allSubsets(res)
			ks := knapsackOf(res)
			budgets := []float64{0}
			for range 12 {
				budgets = append(budgets, rng.Float64()*float64(n)*600)
			}
			for _, pt := range bruteFrontier(subs) {
				budgets = append(budgets, pt.Cost)
			}
			for _, k := range budgets {
				set, done := ks.solve(k, roadmapNodeLimit)
				want := bruteBest(subs, k)
				c, s := ks.sums(set)
				if !done || !slices.Equal(ks.names(set), want.ids) || c != want.cost || s != want.sav {
					t.Errorf("%d blocks #%d, budget %v: solve gives %v (%v, %v, done %v), brute force %v (%v, %v)",
						n, rep, k, ks.names(set), c, s, done, want.ids, want.cost, want.sav)
				}
			}
		}
	}
}

// The branch and bound gives up past its node limit and says so.
func TestKnapsackNodeLimit(t *testing.T) {
	ks := knapsackOf(randomKnapsack(rand.New(rand.NewPCG(1, 2)), 16))
	if _, done := ks.solve(3000, 5); done {
		t.Error("solve finished within 5 nodes")
	}
	if _, done := ks.solve(3000, roadmapNodeLimit); !done {
		t.Error("solve did not finish")
	}
}

// Savings proportional to costs make every subset efficient (2⁶⁰ frontier
// points): the frontier is thinned, and says so, and the budget's set is
// still within the budget and close to the best (2·budget, rarely reached
// exactly).
func TestRoadmapProportionalSavings(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	costs, savs := make([]float64, 60), make([]float64, 60)
	total := 0.0
	for i := range costs {
		costs[i] = 1000 + 1e6*rng.Float64()
		savs[i] = 2 * costs[i]
		total += costs[i]
	}
	k := total / 3
	rm := Roadmap(knapsackResult(costs, savs), &k)
	if rm.FrontierComplete || len(rm.Frontier) > roadmapFrontierLimit {
		t.Errorf("frontier complete %v with %d points", rm.FrontierComplete, len(rm.Frontier))
	}
	for j := 1; j < len(rm.Frontier); j++ {
		if a, b := rm.Frontier[j-1], rm.Frontier[j]; !(a.Cost < b.Cost && a.Savings < b.Savings) {
			t.Fatalf("thinned frontier not monotone at %d", j)
		}
	}
	if rm.Cost > k || rm.Savings < 2*k*(1-1e-4) {
		t.Errorf("chosen set costs %v (budget %v) and saves %v (best possible %v)", rm.Cost, k, rm.Savings, 2*k)
	}
	if last := rm.Frontier[len(rm.Frontier)-1]; len(last.Blocks) != 60 {
		t.Errorf("the last frontier point has %d blocks, want all 60", len(last.Blocks))
	}
}

func TestBitsetLexLess(t *testing.T) {
	set := func(idx ...int) bitset {
		s := make(bitset, 2)
		for _, i := range idx {
			s.add(i)
		}
		return s
	}
	tests := []struct {
		a, b bitset
		want bool
	}{
		{set(0, 2), set(1), true},        // [0 2] < [1]
		{set(1), set(0, 2), false},       //
		{set(0), set(0, 1), true},        // a prefix is smaller
		{set(0, 1), set(0), false},       //
		{set(3), set(3), false},          // equal
		{set(), set(5), true},            // empty is smallest
		{set(70), set(5, 70), false},     // second word
		{set(5, 64), set(5, 100), true},  //
		{set(5, 100), set(5, 64), false}, //
	}
	for _, tt := range tests {
		if got := tt.a.lexLess(tt.b); got != tt.want {
			t.Errorf("%v lexLess %v = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

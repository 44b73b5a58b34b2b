package model

import (
	"math"
	"math/bits"
	"sort"
)

// This file is the investment roadmap (issue 8): which blocks to make shared
// first when money is short. The cost model is separable by block: making
// block b shared costs PV(shared_b) and saves savings_b, whatever is done with
// the other blocks. Given a budget K the best set S maximises Σ savings_b
// subject to Σ PV(shared_b) ≤ K, a 0/1 knapsack over real costs.
//
// Ties go to the smaller cost, then to the lexicographically smaller list of
// block ids. Sums over a set are always taken in block id order, so that every
// method here (and a brute force) sees the same floating-point figures for a
// set, and "equal" means equal to the last bit.

// RoadmapResult is the best set of blocks to share for a budget and the
// efficient frontier: every budget level at which the best set changes.
type RoadmapResult struct {
	// Budget is K; nil means no limit (every block that saves is chosen).
	Budget  *float64 `json:"budget"`
	Chosen  []string `json:"chosen"`
	Cost    float64  `json:"cost"`    // Σ PV(shared_b) over Chosen
	Savings float64  `json:"savings"` // Σ savings_b over Chosen
	// Share is Savings over PossibleSavings, nil when that is 0.
	Share    *float64        `json:"share"`
	Frontier []FrontierPoint `json:"frontier"`
	// Serves names, for each chosen block, the programmes that use it and
	// the national goals they pursue ("_unmapped" for programmes with none).
	Serves map[string]Serves `json:"serves"`

	// PossibleSavings is the savings of every block that saves (> 0).
	PossibleSavings float64 `json:"possible_savings"`
	// Candidates is the number of such blocks; no other is ever chosen.
	Candidates int `json:"candidates"`
	// Exact is false only when the frontier was thinned and the branch and
	// bound gave up (more than roadmapNodeLimit nodes): then Chosen is the
	// best set either found.
	Exact bool `json:"exact"`
	// FrontierComplete is false when the frontier had more than
	// roadmapFrontierLimit points and was thinned to points at least a small
	// step of savings apart (every point is still a feasible set).
	FrontierComplete bool `json:"frontier_complete"`
}

// FrontierPoint is the best set for budgets from Cost up to the next
// point's cost.
type FrontierPoint struct {
	Cost    float64  `json:"cost"`
	Savings float64  `json:"savings"`
	Blocks  []string `json:"blocks"`
}

// Serves is what one block serves.
type Serves struct {
	Programmes []string `json:"programmes"`
	Goals      []string `json:"goals"`
}

// Limits that keep the roadmap's worst cases (blocks whose savings are all
// proportional to their costs make every subset efficient) bounded in time
// and memory. Realistic portfolios stay far below them.
const (
	roadmapNodeLimit     = 1_000_000
	roadmapFrontierLimit = 1 << 16
)

// FrontierAt is the frontier point that is best for budget: the last one that
// costs no more than it (ok is false when none does).
func (r *RoadmapResult) FrontierAt(budget float64) (FrontierPoint, bool) {
	i := sort.Search(len(r.Frontier), func(i int) bool { return r.Frontier[i].Cost > budget })
	if i == 0 {
		return FrontierPoint{}, false
	}
	return r.Frontier[i-1], true
}

// Roadmap chooses the blocks to share within budget (nil: no limit) from the
// block figures of res, and traces the efficient frontier. Blocks with savings
// ≤ 0 (including blocks forced siloed in res) are never chosen.
//
// The frontier is exact unless it grows past roadmapFrontierLimit points; the
// best set for the budget is then read from it. When it had to be thinned
// (blocks whose savings are nearly proportional to their costs make almost
// every subset efficient: subset sum, which no exact method solves fast in
// general) the set is found by branch and bound, which is exact unless it
// too runs out of nodes.
func Roadmap(res *Result, budget *float64) *RoadmapResult {
	var ks knapsack
	for _, b := range res.Blocks {
		if b.Savings > 0 {
			ks.ids = append(ks.ids, b.ID)
			ks.cost = append(ks.cost, b.PVShared)
			ks.sav = append(ks.sav, b.Savings)
		}
	}
	ks.sortByID()
	ks.words = (len(ks.ids) + 63) / 64

	out := &RoadmapResult{Budget: budget, Candidates: len(ks.ids), Serves: map[string]Serves{}}
	all := ks.newSet()
	for i := range ks.ids {
		all.add(i)
	}
	_, out.PossibleSavings = ks.sums(all)

	front, sets, complete := ks.pareto(out.PossibleSavings)
	out.FrontierComplete = complete
	setOf := func(pt paretoPoint) bitset { return bitset(sets[pt.at*ks.words : (pt.at+1)*ks.words]) }
	out.Frontier = make([]FrontierPoint, len(front))
	for i, pt := range front {
		out.Frontier[i] = FrontierPoint{Cost: pt.cost, Savings: pt.sav, Blocks: ks.names(setOf(pt))}
	}

	// onFrontier is the best frontier point within budget k (the best set
	// there is, when the frontier is complete).
	onFrontier := func(k float64) (paretoPoint, bool) {
		i := sort.Search(len(front), func(i int) bool { return front[i].cost > k })
		return front[max(i-1, 0)], i > 0
	}
	var chosen bitset
	switch {
	case budget == nil:
		chosen, out.Exact = all, true
	case *budget < 0:
		chosen, out.Exact = ks.newSet(), true // nothing fits, not even the empty set; report it empty
	case complete:
		chosen, out.Exact = ks.newSet(), true
		if pt, ok := onFrontier(*budget); ok {
			chosen = setOf(pt)
		}
	default:
		chosen, out.Exact = ks.solve(*budget, roadmapNodeLimit)
		if pt, ok := onFrontier(*budget); ok && !out.Exact {
			if c, s := ks.sums(chosen); betterSet(pt.sav, pt.cost, setOf(pt), s, c, chosen) {
				chosen = setOf(pt)
			}
		}
	}
	out.Chosen = ks.names(chosen)
	out.Cost, out.Savings = ks.sums(chosen)
	out.Share = quotient(out.Savings, out.PossibleSavings)

	progs := make(map[string]*ProgrammeFigures, len(res.Programmes))
	for i := range res.Programmes {
		progs[res.Programmes[i].ID] = &res.Programmes[i]
	}
	for _, b := range res.Blocks {
		if !chosen.has(ks.index(b.ID)) {
			continue
		}
		goals := map[string]bool{}
		for _, p := range b.Programmes {
			pf := progs[p]
			if pf == nil {
				continue
			}
			for _, g := range pf.Goals {
				goals[g] = true
			}
			if len(pf.Goals) == 0 {
				goals[UnmappedID] = true
			}
		}
		gs := make([]string, 0, len(goals))
		for g := range goals {
			gs = append(gs, g)
		}
		sort.Strings(gs)
		out.Serves[b.ID] = Serves{Programmes: append([]string{}, b.Programmes...), Goals: gs}
	}
	return out
}

// knapsack is the candidate blocks, in id order: the index of a block is its
// bit in a bitset.
type knapsack struct {
	ids       []string
	cost, sav []float64
	words     int
}

func (ks *knapsack) sortByID() {
	idx := make([]int, len(ks.ids))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ks.ids[idx[a]] < ks.ids[idx[b]] })
	ids, cost, sav := make([]string, len(idx)), make([]float64, len(idx)), make([]float64, len(idx))
	for k, i := range idx {
		ids[k], cost[k], sav[k] = ks.ids[i], ks.cost[i], ks.sav[i]
	}
	ks.ids, ks.cost, ks.sav = ids, cost, sav
}

// index is the candidate index of id, −1 when it is not a candidate.
func (ks *knapsack) index(id string) int {
	i := sort.SearchStrings(ks.ids, id)
	if i < len(ks.ids) && ks.ids[i] == id {
		return i
	}
	return -1
}

func (ks *knapsack) newSet() bitset { return make(bitset, ks.words) }

// sums is a set's cost and savings, summed in id order.
func (ks *knapsack) sums(s bitset) (cost, sav float64) {
	for i := range ks.ids {
		if s.has(i) {
			cost += ks.cost[i]
			sav += ks.sav[i]
		}
	}
	return cost, sav
}

func (ks *knapsack) names(s bitset) []string {
	n := 0
	for _, x := range s {
		n += bits.OnesCount64(x)
	}
	out := make([]string, 0, n)
	for i, id := range ks.ids {
		if s.has(i) {
			out = append(out, id)
		}
	}
	return out
}

// betterSet reports whether a set with figures (c1, s1) beats one with (c2, s2):
// more savings, then less cost, then the smaller list of ids.
func betterSet(s1, c1 float64, a bitset, s2, c2 float64, b bitset) bool {
	if s1 != s2 {
		return s1 > s2
	}
	if c1 != c2 {
		return c1 < c2
	}
	return a.lexLess(b)
}

// solve finds the best set within budget k by depth-first branch and bound:
// blocks taken in order of savings per unit of cost, the bound of a node the
// greedy fractional (linear relaxation) fill of what is left of the budget.
// Nodes whose bound is below the best set found (less a relative 1e-9, so that
// rounding in the bound never hides a tie) are cut. Feasibility along the way
// allows the same slack; every leaf is then checked, and compared, on its sums
// in id order. done is false when the search gave up after nodeLimit nodes.
func (ks *knapsack) solve(k float64, nodeLimit int) (best bitset, done bool) {
	n := len(ks.ids)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	density := func(i int) float64 {
		if ks.cost[i] == 0 {
			return math.Inf(1)
		}
		return ks.sav[i] / ks.cost[i]
	}
	sort.SliceStable(order, func(a, b int) bool { return density(order[a]) > density(order[b]) })

	eps := 1e-9 * max(1, math.Abs(k))
	best = ks.newSet()
	bestCost, bestSav := 0.0, 0.0
	cur := ks.newSet()
	nodes := 0
	bound := func(pos int, cost, sav float64) float64 {
		room := k + eps - cost
		for _, i := range order[pos:] {
			if ks.cost[i] <= room {
				room -= ks.cost[i]
				sav += ks.sav[i]
				continue
			}
			return sav + ks.sav[i]*room/ks.cost[i]
		}
		return sav
	}
	var visit func(pos int, cost, sav float64)
	visit = func(pos int, cost, sav float64) {
		if nodes++; nodes > nodeLimit {
			return
		}
		if pos == n {
			c, s := ks.sums(cur)
			if c <= k && betterSet(s, c, cur, bestSav, bestCost, best) {
				copy(best, cur)
				bestCost, bestSav = c, s
			}
			return
		}
		if bound(pos, cost, sav) < bestSav-1e-9*max(1, math.Abs(bestSav)) {
			return
		}
		i := order[pos]
		if cost+ks.cost[i] <= k+eps {
			cur.add(i)
			visit(pos+1, cost+ks.cost[i], sav+ks.sav[i])
			cur.remove(i)
		}
		visit(pos+1, cost, sav)
	}
	visit(0, 0, 0)
	return best, nodes <= nodeLimit
}

// paretoPoint is one point of a frontier. Its set lives in a separate arena
// of words (sets[at·words : (at+1)·words]) so that the points hold no
// pointers for the garbage collector to scan.
type paretoPoint struct {
	cost, sav float64
	at        int
}

// pareto is the efficient frontier by the Nemhauser–Ullmann method: start
// from the empty set; for each block in id order, merge the frontier with a
// copy of itself that adds the block, in order of cost (then savings, largest
// first, then ids), and keep only the points that save strictly more than
// every cheaper one. A set on the final frontier has every prefix (its blocks
// among the first i) on the i-th frontier, so nothing efficient is lost, and
// each point's sums are built in id order. The result is ordered by cost,
// with savings strictly increasing. When a frontier grows past
// roadmapFrontierLimit points it is thinned, from then on, to points at
// least a step of savings apart (complete is then false); the step starts at
// 2⁻²⁰ of the possible savings and doubles until half the limit is left.
func (ks *knapsack) pareto(possible float64) (front []paretoPoint, sets []uint64, complete bool) {
	w := ks.words
	complete = true
	front, sets = []paretoPoint{{}}, make([]uint64, w)
	step := possible * 0x1p-20 // the thinning step, once thinning starts; it only grows
	scratchA, scratchB := ks.newSet(), ks.newSet()
	for i := range ks.ids {
		ci, si := ks.cost[i], ks.sav[i]
		set := func(pt paretoPoint, withI bool, dst bitset) bitset {
			copy(dst, sets[pt.at*w:(pt.at+1)*w])
			if withI {
				dst.add(i)
			}
			return dst
		}
		merged := make([]paretoPoint, 0, 2*len(front))
		arena := make([]uint64, 0, 2*len(front)*w)
		keep := func(cost, sav float64, from paretoPoint, withI bool) {
			if len(merged) > 0 && sav <= merged[len(merged)-1].sav {
				return // dominated: a cheaper (or preferred) point saves as much
			}
			at := len(arena) / w
			arena = append(arena, sets[from.at*w:(from.at+1)*w]...)
			if withI {
				bitset(arena[at*w:]).add(i)
			}
			merged = append(merged, paretoPoint{cost: cost, sav: sav, at: at})
		}
		// Merge front (without i) and front + i (with i), both sorted.
		for a, b := 0, 0; a < len(front) || b < len(front); {
			old := b == len(front)
			if !old && a < len(front) {
				p, q := front[a], front[b]
				qc, qs := q.cost+ci, q.sav+si
				switch {
				case p.cost != qc:
					old = p.cost < qc
				case p.sav != qs:
					old = p.sav > qs
				default:
					old = set(p, false, scratchA).lexLess(set(q, true, scratchB))
				}
			}
			if old {
				keep(front[a].cost, front[a].sav, front[a], false)
				a++
			} else {
				keep(front[b].cost+ci, front[b].sav+si, front[b], true)
				b++
			}
		}
		front, sets = merged, arena
		if len(front) > roadmapFrontierLimit {
			complete = false
			for front = thinFrontier(front, step); len(front) > roadmapFrontierLimit/2; front = thinFrontier(front, step) {
				step *= 2
			}
		} else if !complete {
			front = thinFrontier(front, step)
		}
	}
	return front, sets, complete
}

// thinFrontier keeps the first and last points and those that save at least
// step more than the last one kept, in place.
func thinFrontier(front []paretoPoint, step float64) []paretoPoint {
	n := 1
	for _, pt := range front[1 : len(front)-1] {
		if pt.sav >= front[n-1].sav+step {
			front[n] = pt
			n++
		}
	}
	front[n] = front[len(front)-1]
	return front[:n+1]
}

// bitset is a set of candidate indices.
type bitset []uint64

func (s bitset) has(i int) bool { return i >= 0 && s[i/64]&(1<<(i%64)) != 0 }
func (s bitset) add(i int)      { s[i/64] |= 1 << (i % 64) }
func (s bitset) remove(i int)   { s[i/64] &^= 1 << (i % 64) }

// lexLess compares two sets as sorted lists of indices (and so of ids):
// at the first index where they differ, the set holding it is smaller
// unless the other set has nothing after it (a proper prefix is smaller).
func (s bitset) lexLess(t bitset) bool {
	for w := range s {
		x := s[w] ^ t[w]
		if x == 0 {
			continue
		}
		i := w*64 + bits.TrailingZeros64(x)
		if s.has(i) {
			return t.hasAfter(i)
		}
		return !s.hasAfter(i)
	}
	return false
}

// hasAfter reports whether the set holds an index greater than i.
func (s bitset) hasAfter(i int) bool {
	w := i / 64
	if rest := s[w] >> (i % 64) >> 1; rest != 0 {
		return true
	}
	for _, x := range s[w+1:] {
		if x != 0 {
			return true
		}
	}
	return false
}

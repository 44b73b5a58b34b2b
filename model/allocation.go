package model

import "sort"

// This file is the allocation of cost-model.md §6 above the programme level:
// programmes to national goals, goals to SDG targets. (Blocks to programmes
// is in Compute, which builds both from the same flows.) Every level sums to
// the portfolio totals: a programme with no goal goes to the goal bucket
// "_unmapped", a goal with no SDG target (and that bucket) to the SDG target
// bucket "_unmapped".

// GoalFigures are a national goal's share of the portfolio figures: for
// each programme that pursues it, the programme's figures divided by the
// number of its goals.
type GoalFigures struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	PVSiloed float64 `json:"pv_siloed"`
	PVShared float64 `json:"pv_shared"`
	Savings  float64 `json:"savings"`

	PVOwn      float64 `json:"pv_own"`
	PVBenefits float64 `json:"pv_benefits"`
	// Programmes are the programmes taking part in the plan that pursue the
	// goal, by id, each with the share of its figures that goes to the goal.
	Programmes []Share `json:"programmes"`
}

// TargetFigures are an SDG target's share of the portfolio figures, from
// the goals that serve it, each goal's figures divided by the number of its
// targets.
type TargetFigures struct {
	ID       string  `json:"id"`
	PVSiloed float64 `json:"pv_siloed"`
	PVShared float64 `json:"pv_shared"`
	Savings  float64 `json:"savings"`

	PVOwn      float64 `json:"pv_own"`
	PVBenefits float64 `json:"pv_benefits"`
	// Goals are the goals (or the goal bucket "_unmapped") that serve the
	// target, by id, with the share of their figures that goes to it.
	Goals []Share `json:"goals"`
}

// Share is the part of an entity's figures that goes to the entity listing
// it: 1/n when it is split among n.
type Share struct {
	ID    string  `json:"id"`
	Share float64 `json:"share"`
}

// allocated is the five figures that flow down the allocation.
type allocated struct{ siloed, shared, savings, own, benefits float64 }

func (a *allocated) add(k float64, b allocated) {
	a.siloed += k * b.siloed
	a.shared += k * b.shared
	a.savings += k * b.savings
	a.own += k * b.own
	a.benefits += k * b.benefits
}

// allocate splits the programme figures of res among goals and SDG targets.
func (pl *plan) allocate(res *Result) ([]GoalFigures, []TargetFigures) {
	n := len(pl.goals)
	goalFig := make([]allocated, n+1) // [n] is the unmapped bucket
	goalFrom := make([][]Share, n+1)
	for i := range pl.progs {
		pp := &pl.progs[i]
		if !pp.active() {
			continue
		}
		pf := &res.Programmes[i]
		f := allocated{pf.PVSiloed, pf.PVShared, pf.Savings, pf.PVOwn, pf.PVBenefits}
		to := pp.goals
		if len(to) == 0 {
			to = []int{n}
		}
		k := 1 / float64(len(to))
		for _, g := range to {
			goalFig[g].add(k, f)
			goalFrom[g] = append(goalFrom[g], Share{ID: pp.p.ID, Share: k})
		}
	}

	goals := make([]GoalFigures, 0, n+1)
	for g := range n + 1 {
		if g == n && len(goalFrom[n]) == 0 {
			break
		}
		gf := GoalFigures{ID: UnmappedID, Name: "Not mapped to a national goal", Programmes: goalFrom[g]}
		if g < n {
			gf.ID, gf.Name = pl.goals[g].ID, pl.goals[g].Name
		}
		if gf.Programmes == nil {
			gf.Programmes = []Share{}
		}
		f := goalFig[g]
		gf.PVSiloed, gf.PVShared, gf.Savings, gf.PVOwn, gf.PVBenefits = f.siloed, f.shared, f.savings, f.own, f.benefits
		goals = append(goals, gf)
	}

	targetIdx := map[string]int{}
	var targets []TargetFigures
	var targetFig []allocated
	bucket := func(id string) int {
		t, ok := targetIdx[id]
		if !ok {
			t = len(targets)
			targetIdx[id] = t
			targets = append(targets, TargetFigures{ID: id, Goals: []Share{}})
			targetFig = append(targetFig, allocated{})
		}
		return t
	}
	for g := range n {
		for _, code := range pl.goals[g].SDGTargets {
			bucket(code)
		}
	}
	for g := range n + 1 {
		if g == n && len(goalFrom[n]) == 0 {
			break
		}
		id := UnmappedID
		var codes []string
		if g < n {
			id = pl.goals[g].ID
			codes = uniqueStrings(pl.goals[g].SDGTargets)
		}
		if len(codes) == 0 {
			codes = []string{UnmappedID}
		}
		k := 1 / float64(len(codes))
		for _, code := range codes {
			t := bucket(code)
			targetFig[t].add(k, goalFig[g])
			targets[t].Goals = append(targets[t].Goals, Share{ID: id, Share: k})
		}
	}
	for t := range targets {
		f := targetFig[t]
		targets[t].PVSiloed, targets[t].PVShared, targets[t].Savings = f.siloed, f.shared, f.savings
		targets[t].PVOwn, targets[t].PVBenefits = f.own, f.benefits
	}
	for t := range targets {
		sort.Slice(targets[t].Goals, func(i, j int) bool { return targets[t].Goals[i].ID < targets[t].Goals[j].ID })
	}
	sort.Slice(goals, func(i, j int) bool { return goals[i].ID < goals[j].ID })
	sort.Slice(targets, func(i, j int) bool { return targets[i].ID < targets[j].ID })
	if targets == nil {
		targets = []TargetFigures{}
	}
	return goals, targets
}

// uniqueStrings is xs without repeats, in first-seen order.
func uniqueStrings(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

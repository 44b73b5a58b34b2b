package model

import (
	"slices"
	"testing"
)

// Every level of the allocation (programmes, goals, SDG targets, with their
// "_unmapped" buckets, and the programme×block cells) adds up to the
// portfolio totals.
func TestAllocationSumsToTotals(t *testing.T) {
	ps := append(randomPortfolios(), loadPortfolio(t, "worked-example.json"), loadPortfolio(t, "ranges.json"))
	for i, p := range ps {
		res := Compute(p, optionsOf(p))
		tot := res.Totals
		type level struct {
			name                                   string
			siloed, shared, savings, own, benefits float64
		}
		var levels []level
		var pl, cells, gl, tl level
		pl.name, cells.name, gl.name, tl.name = "programmes", "programme×block", "goals", "sdg_targets"
		for _, p := range res.Programmes {
			pl.siloed += p.PVSiloed
			pl.shared += p.PVShared
			pl.savings += p.Savings
			pl.own += p.PVOwn
			pl.benefits += p.PVBenefits
			for _, c := range p.ByBlock {
				cells.siloed += c.PVSiloed
				cells.shared += c.PVShared
				cells.savings += c.Savings
			}
		}
		cells.own, cells.benefits = tot.PVOwn, tot.PVBenefits
		for _, g := range res.Goals {
			gl.siloed += g.PVSiloed
			gl.shared += g.PVShared
			gl.savings += g.Savings
			gl.own += g.PVOwn
			gl.benefits += g.PVBenefits
		}
		for _, g := range res.SDGTargets {
			tl.siloed += g.PVSiloed
			tl.shared += g.PVShared
			tl.savings += g.Savings
			tl.own += g.PVOwn
			tl.benefits += g.PVBenefits
		}
		levels = append(levels, pl, cells, gl, tl)
		scale := max(tot.PVSiloed, 1)
		for _, l := range levels {
			for _, c := range []struct {
				what      string
				got, want float64
			}{
				{"pv_siloed", l.siloed, tot.PVSiloed}, {"pv_shared", l.shared, tot.PVShared},
				{"savings", l.savings, tot.Savings}, {"pv_own", l.own, tot.PVOwn}, {"pv_benefits", l.benefits, tot.PVBenefits},
			} {
				if !closeTo(c.got, c.want, 1e-9, scale) {
					t.Errorf("portfolio %d: %s sum to %s = %v, want %v", i, l.name, c.what, c.got, c.want)
				}
			}
		}
	}
}

// The buckets: a programme with no goal goes to the goal "_unmapped"; a goal
// with no SDG target, and the goal bucket, to the target "_unmapped";
// programmes outside the plan are in no bucket; shares are 1/n.
func TestAllocationBuckets(t *testing.T) {
	p := loadPortfolio(t, "ranges.json")
	res := Compute(p, optionsOf(p))
	var goalIDs, targetIDs []string
	for _, g := range res.Goals {
		goalIDs = append(goalIDs, g.ID)
	}
	for _, g := range res.SDGTargets {
		targetIDs = append(targetIDs, g.ID)
	}
	if want := []string{"G1", "G2", "G3", UnmappedID}; !slices.Equal(goalIDs, want) {
		t.Errorf("goals = %v, want %v", goalIDs, want)
	}
	if want := []string{"1.3", "3.1", "3.2", UnmappedID}; !slices.Equal(targetIDs, want) {
		t.Errorf("sdg_targets = %v, want %v", targetIDs, want)
	}
	byID := map[string]GoalFigures{}
	for _, g := range res.Goals {
		byID[g.ID] = g
	}
	if got, want := byID["G1"].Programmes, []Share{{"P2", 1}, {"P3", 0.5}}; !slices.Equal(got, want) {
		t.Errorf("G1 programmes = %v, want %v (P5 is outside the plan)", got, want)
	}
	if got, want := byID[UnmappedID].Programmes, []Share{{"P4", 1}}; !slices.Equal(got, want) {
		t.Errorf("_unmapped programmes = %v, want %v", got, want)
	}
	prog := map[string]ProgrammeFigures{}
	for _, p := range res.Programmes {
		prog[p.ID] = p
	}
	if got, want := byID[UnmappedID].PVShared, prog["P4"].PVShared; got != want || want == 0 {
		t.Errorf("_unmapped pv_shared = %v, want P4's %v", got, want)
	}
	if got := byID["G3"]; got.PVShared != 0 || len(got.Programmes) != 0 {
		t.Errorf("G3 has no programme but got %+v", got)
	}
	last := res.SDGTargets[len(res.SDGTargets)-1]
	if want := []Share{{"G3", 1}, {UnmappedID, 1}}; !slices.Equal(last.Goals, want) {
		t.Errorf("target _unmapped goals = %v, want %v", last.Goals, want)
	}
	if !closeTo(last.PVShared, prog["P4"].PVShared, 1e-12, 1) {
		t.Errorf("target _unmapped pv_shared = %v, want %v", last.PVShared, prog["P4"].PVShared)
	}
	// G1 → 3.1 and 3.2, half each.
	for _, tf := range res.SDGTargets[1:3] {
		if !closeTo(tf.PVShared, byID["G1"].PVShared/2, 1e-12, 1) {
			t.Errorf("target %s pv_shared = %v, want half of G1's %v", tf.ID, tf.PVShared, byID["G1"].PVShared)
		}
	}
}

// A portfolio whose programmes all have goals with targets has no buckets.
func TestAllocationNoBucketWhenEmpty(t *testing.T) {
	p := loadPortfolio(t, "worked-example.json")
	res := Compute(p, optionsOf(p))
	for _, g := range res.Goals {
		if g.ID == UnmappedID {
			t.Errorf("goals has an _unmapped bucket: %+v", g)
		}
	}
	for _, g := range res.SDGTargets {
		if g.ID == UnmappedID {
			t.Errorf("sdg_targets has an _unmapped bucket: %+v", g)
		}
	}
}

package model

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// pvYears is Σ d(y) over the plan years in [from, to].
func pvYears(o Options, from, to int) float64 {
	s := 0.0
	for y := max(from, o.StartYear); y <= min(to, o.StartYear+o.HorizonYears-1); y++ {
		s += o.DiscountFactor(y)
	}
	return s
}

// oneOffPV is (1+ob)·d(y) when y is in the plan, else 0.
func oneOffPV(o Options, y int) float64 {
	if y < o.StartYear || y >= o.StartYear+o.HorizonYears {
		return 0
	}
	return (1 + o.OptimismBias) * o.DiscountFactor(y)
}

// A block with one consumer saves exactly −PV(integration + per-consumer
// costs) (plus its build cost when it already exists).
func TestSingleConsumerBlockSavings(t *testing.T) {
	checked := 0
	ps := randomPortfolios()
	for seed := range int64(10) { // few programmes, many blocks: many single consumers
		ps = append(ps, Synthetic(2+int(seed%3), 15, 15, 4, 6, seed))
	}
	for i, p := range ps {
		o := optionsOf(p)
		o.OptimismBias = 0.15
		res := Compute(p, o)
		blocks := map[string]*Block{}
		for j := range p.Blocks {
			blocks[p.Blocks[j].ID] = &p.Blocks[j]
		}
		progs := map[string]ProgrammeFigures{}
		for _, pf := range res.Programmes {
			progs[pf.ID] = pf
		}
		for _, bf := range res.Blocks {
			if bf.Consumers != 1 {
				continue
			}
			b, pf := blocks[bf.ID], progs[bf.Programmes[0]]
			want := -(b.IntegrationCost.Likely*oneOffPV(o, pf.StartYear) + b.PerConsumerRunCost.Likely*pvYears(o, pf.StartYear, pf.EndYear))
			if b.StatusOrDefault() == StatusExisting {
				want += b.BuildCost.Likely * oneOffPV(o, pf.StartYear)
			}
			if !closeTo(bf.Savings, want, 1e-9, 1e-6) {
				t.Errorf("portfolio %d block %s (%s, one consumer %s): savings = %v, want %v", i, bf.ID, bf.Status, pf.ID, bf.Savings, want)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d single-consumer blocks checked", checked)
	}
}

// With no integration and no per-consumer cost, sharing never costs more.
func TestNoConsumerCostsSharedNotAboveSiloed(t *testing.T) {
	for i, p := range randomPortfolios() {
		p = clonePortfolio(t, p)
		for j := range p.Blocks {
			p.Blocks[j].IntegrationCost, p.Blocks[j].PerConsumerRunCost = Amount{}, Amount{}
		}
		res := Compute(p, optionsOf(p))
		for _, b := range res.Blocks {
			if b.PVShared > b.PVSiloed*(1+1e-12) {
				t.Errorf("portfolio %d block %s: pv_shared %v > pv_siloed %v", i, b.ID, b.PVShared, b.PVSiloed)
			}
		}
		for _, pf := range res.Programmes {
			if pf.Savings < -1e-9*pf.PVSiloed {
				t.Errorf("portfolio %d programme %s: savings %v < 0", i, pf.ID, pf.Savings)
			}
		}
	}
}

// Scaling every amount by k scales every money figure by k and leaves the
// ratios, IRR and payback as they were.
func TestScalingAmounts(t *testing.T) {
	for i, p := range randomPortfolios()[:8] {
		base := Compute(p, optionsOf(p))
		names, want := moneyFigures(base)
		for _, k := range []float64{0.5, 3, 1000} {
			q := clonePortfolio(t, p)
			eachAmount(q, func(_ string, a *Amount) { *a = a.Scale(k) })
			res := Compute(q, optionsOf(q))
			_, got := moneyFigures(res)
			if len(got) != len(want) {
				t.Fatalf("portfolio %d ×%v: %d figures, want %d", i, k, len(got), len(want))
			}
			for j := range got {
				if !closeTo(got[j], k*want[j], 1e-9, k*1e-6) {
					t.Errorf("portfolio %d ×%v: %s = %v, want %v", i, k, names[j], got[j], k*want[j])
				}
			}
			ratios := func(r *Result) []*float64 {
				return []*float64{r.Totals.SavingsRatio, r.Appraisal.Shared.BCR, r.Appraisal.Shared.ROI, r.Appraisal.Shared.IRR,
					r.Appraisal.Siloed.BCR, r.Appraisal.Siloed.ROI, r.Appraisal.Siloed.IRR}
			}
			for j, g := range ratios(res) {
				w := ratios(base)[j]
				if (g == nil) != (w == nil) || (g != nil && !closeTo(*g, *w, 1e-9, 1e-9)) {
					t.Errorf("portfolio %d ×%v: ratio %d = %v, want %v", i, k, j, deref(g), deref(w))
				}
			}
			if a, b := res.Appraisal.Shared.PaybackYear, base.Appraisal.Shared.PaybackYear; (a == nil) != (b == nil) || (a != nil && *a != *b) {
				t.Errorf("portfolio %d ×%v: payback changed", i, k)
			}
		}
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// An existing block's build cost is sunk: none in the shared scenario, all of
// it in the siloed one.
func TestExistingBlockHasNoSharedBuild(t *testing.T) {
	for i, p := range randomPortfolios() {
		q := clonePortfolio(t, p)
		for j := range q.Blocks {
			b := &q.Blocks[j]
			b.Status = StatusExisting
			b.AnnualRunCost, b.IntegrationCost, b.PerConsumerRunCost = Amount{}, Amount{}, Amount{}
		}
		res := Compute(q, optionsOf(q))
		if res.Totals.PVShared != 0 {
			t.Errorf("portfolio %d: pv_shared = %v with only existing blocks' build costs, want 0", i, res.Totals.PVShared)
		}
		for _, b := range res.Blocks {
			if b.BuildYear != nil {
				t.Errorf("portfolio %d block %s: existing block has build_year %d", i, b.ID, *b.BuildYear)
			}
		}
		// The same blocks planned cost their build in f_b when it is in the plan.
		for j := range q.Blocks {
			q.Blocks[j].Status = StatusPlanned
		}
		planned := Compute(q, optionsOf(q))
		o := optionsOf(q)
		for j, b := range planned.Blocks {
			want := 0.0
			if b.FirstYear != nil {
				want = findBlock(q, b.ID).BuildCost.Likely * oneOffPV(o, *b.FirstYear)
			}
			if !closeTo(b.PVShared, want, 1e-12, 1) || res.Blocks[j].PVSiloed != b.PVSiloed {
				t.Errorf("portfolio %d block %s planned: pv_shared %v, want %v", i, b.ID, b.PVShared, want)
			}
		}
	}
}

func findBlock(p *Portfolio, id string) *Block {
	for i := range p.Blocks {
		if p.Blocks[i].ID == id {
			return &p.Blocks[i]
		}
	}
	return nil
}

// No figure depends on the order of anything in the file: the JSON output
// (and the uncertainty and roadmap figures) are identical to the last bit.
func TestOrderIndependence(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i, p := range append(randomPortfolios()[:10], loadPortfolio(t, "ranges.json")) {
		o := optionsOf(p)
		marshal := func(p *Portfolio) []byte {
			res := Compute(p, o)
			res.MonteCarlo = MonteCarlo(p, o, 200, 3)
			res.Tornado = Tornado(p, o)
			b, err := json.Marshal(struct {
				R  *Result
				RM *RoadmapResult
			}{res, Roadmap(res, new(float64))})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		want := marshal(p)
		for range 3 {
			q := clonePortfolio(t, p)
			shufflePortfolio(q, rng)
			if got := marshal(q); !bytes.Equal(got, want) {
				t.Errorf("portfolio %d: output changed when the file was reordered", i)
				break
			}
		}
	}
}

// Optimism bias multiplies the one-off amounts (build, integration, own
// build) and nothing else.
func TestOptimismBias(t *testing.T) {
	for i, p := range randomPortfolios()[:10] {
		o := optionsOf(p)
		o.OptimismBias = 0.25
		got := Compute(p, o)
		q := clonePortfolio(t, p)
		eachAmount(q, func(kind string, a *Amount) {
			if isOneOff(kind) {
				*a = a.Scale(1.25)
			}
		})
		o.OptimismBias = 0
		want := Compute(q, o)
		names, gv := moneyFigures(got)
		_, wv := moneyFigures(want)
		for j := range gv {
			if !closeTo(gv[j], wv[j], 1e-12, 1e-6) {
				t.Errorf("portfolio %d: %s = %v with ob 0.25, want %v", i, names[j], gv[j], wv[j])
			}
		}
	}
	t.Run("worked example", func(t *testing.T) {
		p := loadPortfolio(t, "worked-example.json")
		o := optionsOf(p)
		base := Compute(p, o)
		o.OptimismBias = 0.5
		res := Compute(p, o)
		// 2026 one-offs: siloed builds 100·2 + 200 = 400, shared builds 300
		// and integrations 10+10+15 = 335, own build 40; run costs unchanged.
		for _, c := range []struct {
			what      string
			got, want float64
		}{
			{"siloed 2026", res.Years[0].Siloed, base.Years[0].Siloed + 0.5*400},
			{"shared 2026", res.Years[0].Shared, base.Years[0].Shared + 0.5*335},
			{"own 2026", res.Years[0].Own, base.Years[0].Own + 0.5*40},
			{"siloed 2028", res.Years[2].Siloed, base.Years[2].Siloed},
			{"shared 2027", res.Years[1].Shared, base.Years[1].Shared + 0.5*(50+10+5)},
		} {
			if !closeTo(c.got, c.want, 1e-12, 1) {
				t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
			}
		}
	})
}

// A programme outside the plan window takes no part in any figure; one that
// started before the plan has no one-off costs but pays its running costs.
func TestProgrammeWindow(t *testing.T) {
	base := loadPortfolio(t, "worked-example.json")
	baseRes := Compute(base, optionsOf(base))
	y := func(v int) *int { return &v }
	outside := func(start, end *int) Programme {
		return Programme{ID: "P9", Name: "Out of the window", Goals: []string{"G1"}, UseCases: []string{"cash", "remind"},
			StartYear: start, EndYear: end, Beneficiaries: new(float64), OwnBuildCost: Point(1000), OwnAnnualCost: Point(100),
			AnnualBenefit: Point(5000)}
	}
	for _, tt := range []struct {
		name string
		pr   Programme
	}{
		{"after the plan", outside(y(2029), nil)},
		{"before the plan", outside(y(2020), y(2025))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := clonePortfolio(t, base)
			*tt.pr.Beneficiaries = 1e6
			p.Programmes = append(p.Programmes, tt.pr)
			res := Compute(p, optionsOf(p))
			gotNames, got := moneyFigures(res)
			_, want := moneyFigures(baseRes)
			// Same figures, plus P9's, all zero.
			j := 0
			for k, name := range gotNames {
				if len(name) > 12 && name[:12] == "programme P9" {
					if got[k] != 0 {
						t.Errorf("%s = %v, want 0", name, got[k])
					}
					continue
				}
				if got[k] != want[j] {
					t.Errorf("%s = %v, want %v", name, got[k], want[j])
				}
				j++
			}
			for _, b := range res.Blocks {
				for _, c := range b.Programmes {
					if c == "P9" {
						t.Errorf("block %s counts P9 as a consumer", b.ID)
					}
				}
			}
			if *res.Appraisal.Shared.CostPerBeneficiary != *baseRes.Appraisal.Shared.CostPerBeneficiary {
				t.Errorf("P9's beneficiaries were counted")
			}
		})
	}

	t.Run("started before the plan", func(t *testing.T) {
		p := clonePortfolio(t, base)
		for i := range p.Programmes {
			if p.Programmes[i].ID == "P3" {
				p.Programmes[i].StartYear = y(2024)
			}
		}
		o := optionsOf(p)
		res := Compute(p, o)
		var p3 ProgrammeFigures
		for _, pf := range res.Programmes {
			if pf.ID == "P3" {
				p3 = pf
			}
		}
		d1, d2 := 1/1.1, 1/1.21
		if want := 5 * (1 + d1 + d2); !closeTo(p3.PVOwn, want, 1e-12, 1) {
			t.Errorf("P3 pv_own = %v, want %v (no own build cost)", p3.PVOwn, want)
		}
		if want := 20 * (1 + d1 + d2); !closeTo(p3.PVSiloed, want, 1e-12, 1) {
			t.Errorf("P3 pv_siloed = %v, want %v (ident's run cost, no build)", p3.PVSiloed, want)
		}
		ident := res.Blocks[0]
		if ident.BuildYear != nil || *ident.FirstYear != 2024 {
			t.Errorf("ident build_year = %v, first_year = %v: its shared build is sunk", deref(ident.BuildYear), deref(ident.FirstYear))
		}
		// ident shared: run 20 a year, integrations of P1 (2026) and P2
		// (2027), per-consumer 2 for each active consumer.
		want := (20 + 10 + 2*2) + (20+10+2*3)*d1 + (20+2*3)*d2
		if !closeTo(ident.PVShared, want, 1e-12, 1) {
			t.Errorf("ident pv_shared = %v, want %v", ident.PVShared, want)
		}
		if math.IsNaN(res.Totals.Savings) {
			t.Error("NaN savings")
		}
	})
}

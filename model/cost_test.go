package model

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The worked example of cost-model.md §10 reproduces its published figures,
// every number to a relative 1e-9, nulls included.
func TestComputeWorkedExample(t *testing.T) {
	p := loadPortfolio(t, "worked-example.json")
	b, err := os.ReadFile(filepath.Join("testdata", "worked-example.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	got := jsonTree(t, Compute(p, optionsOf(p)))
	for _, d := range compareJSON("", got, want, 1e-9, true) {
		t.Error(d)
	}
	if w, ok := got.(map[string]any)["warnings"].([]any); !ok || len(w) != 0 {
		t.Errorf("warnings = %#v, want []", got.(map[string]any)["warnings"])
	}
}

// The full JSON output, extra keys included, is pinned by golden files.
func TestComputeGolden(t *testing.T) {
	tests := []struct {
		golden string
		p      *Portfolio
	}{
		{"worked-example.golden.json", loadPortfolio(t, "worked-example.json")},
		{"ranges.golden.json", loadPortfolio(t, "ranges.json")},
		{"synthetic.golden.json", Synthetic(12, 6, 8, 10, 5, 7)},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			checkGolden(t, tt.golden, Compute(tt.p, optionsOf(tt.p)))
		})
	}
}

// An IT system costing 1,000,000 in year 0 and saving 150,000 a year in years
// 1–10 at 3.5 % has an NPV of 247,491; with 100,000 a year, −168,339 (the
// annuity factor of 10 years at 3.5 % is 8.316605).
func TestPublishedAppraisalCase(t *testing.T) {
	tests := []struct {
		benefit float64
		want    float64
	}{
		{150_000, 247_491},
		{100_000, -168_339},
	}
	for _, tt := range tests {
		t.Run(fmtFloat(tt.benefit), func(t *testing.T) {
			y0, h, r := 2026, 11, 0.035
			p := &Portfolio{Format: Format, Currency: "GBP",
				Settings: Settings{StartYear: &y0, HorizonYears: &h, DiscountRate: &r},
				Programmes: []Programme{{ID: "it", Name: "IT system", StartYear: &y0,
					OwnBuildCost: Point(1_000_000), AnnualBenefit: Point(tt.benefit), BenefitStartYear: new(y0 + 1)}},
			}
			res := Compute(p, optionsOf(p))
			if got := math.Round(res.Appraisal.Shared.NPV); got != tt.want {
				t.Errorf("npv = %v (%.4f), want %v", got, res.Appraisal.Shared.NPV, tt.want)
			}
			if res.Appraisal.Shared.NPV != res.Appraisal.Siloed.NPV {
				t.Errorf("with no block the scenarios differ: %v vs %v", res.Appraisal.Shared.NPV, res.Appraisal.Siloed.NPV)
			}
		})
	}
}

func fmtFloat(f float64) string { b, _ := json.Marshal(f); return string(b) }

func TestEffectiveSettings(t *testing.T) {
	y := func(v int) *int { return &v }
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name  string
		s     Settings
		progs []Programme
		want  Options
	}{
		{"all given", Settings{StartYear: y(2030), HorizonYears: y(10), DiscountRate: f(0.05), OptimismBias: f(0.2)}, nil,
			Options{StartYear: 2030, HorizonYears: 10, DiscountRate: 0.05, OptimismBias: 0.2}},
		{"defaults", Settings{StartYear: y(2026)}, nil,
			Options{StartYear: 2026, HorizonYears: 5, DiscountRate: 0.035, OptimismBias: 0}},
		{"zero rate is kept", Settings{StartYear: y(2026), DiscountRate: f(0)}, nil,
			Options{StartYear: 2026, HorizonYears: 5, DiscountRate: 0, OptimismBias: 0}},
		{"start from the earliest programme", Settings{}, []Programme{{ID: "a", StartYear: y(2029)}, {ID: "b"}, {ID: "c", StartYear: y(2027)}},
			Options{StartYear: 2027, HorizonYears: 5, DiscountRate: 0.035}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EffectiveSettings(tt.s, tt.progs)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("EffectiveSettings (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("no start year anywhere", func(t *testing.T) {
		if got := EffectiveSettings(Settings{}, []Programme{{ID: "a"}}).StartYear; got < 2025 || got > 2200 {
			t.Errorf("start year = %d, want the current year", got)
		}
	})
}

func TestOptionsValidate(t *testing.T) {
	ok := Options{StartYear: 2026, HorizonYears: 5, DiscountRate: 0.035}
	tests := []struct {
		name   string
		edit   func(*Options)
		fields []string
	}{
		{"valid", func(*Options) {}, nil},
		{"rate 1 is allowed", func(o *Options) { o.DiscountRate = 1 }, nil},
		{"negative rate above -1 is allowed", func(o *Options) { o.DiscountRate = -0.5 }, nil},
		{"rate -1", func(o *Options) { o.DiscountRate = -1 }, []string{"discount_rate"}},
		{"rate NaN", func(o *Options) { o.DiscountRate = math.NaN() }, []string{"discount_rate"}},
		{"horizon 0 and 101", func(o *Options) { o.HorizonYears = 0; o.StartYear = 1800 }, []string{"start_year", "horizon_years"}},
		{"negative optimism bias", func(o *Options) { o.OptimismBias = -0.1 }, []string{"optimism_bias"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.edit(&o)
			err := o.Validate()
			var got []string
			for _, p := range ErrorDetails(err) {
				got = append(got, p.Field)
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields in error (-want +got):\n%s", diff)
			}
			if len(tt.fields) > 0 && ErrorCode(err) != EINVALID {
				t.Errorf("code = %q, want %q", ErrorCode(err), EINVALID)
			}
		})
	}
}

// naiveModel is cost-model.md §2–§6 written out as literally as possible,
// year by year with the [cond] indicators, and with B(p) computed here rather
// than by the trace graph: the oracle for the property tests.
type naiveModel struct {
	pvSiloed, pvShared       float64
	blockSiloed, blockShared map[string]float64
	progSiloed, progShared   map[string]float64
	pvOwn, pvBenefits        float64
}

func naive(p *Portfolio, o Options) naiveModel {
	m := naiveModel{blockSiloed: map[string]float64{}, blockShared: map[string]float64{},
		progSiloed: map[string]float64{}, progShared: map[string]float64{}}
	var years []int
	for y := o.StartYear; y < o.StartYear+o.HorizonYears; y++ {
		years = append(years, y)
	}
	d := func(y int) float64 { return math.Pow(1+o.DiscountRate, -float64(y-o.StartYear)) }
	ind := func(c bool) float64 {
		if c {
			return 1
		}
		return 0
	}
	ob := 1 + o.OptimismBias
	inY := func(y int) bool { return y >= o.StartYear && y < o.StartYear+o.HorizonYears }
	s := map[string]int{}
	e := map[string]int{}
	A := func(pid string, y int) bool { return inY(y) && s[pid] <= y && y <= e[pid] }
	nA := func(pid string) int {
		n := 0
		for _, y := range years {
			if A(pid, y) {
				n++
			}
		}
		return n
	}
	wf := map[string][]string{}
	for _, w := range p.Workflows {
		wf[w.ID] = w.Blocks
	}
	uc := map[string][]string{}
	for _, u := range p.UseCases {
		if len(u.Blocks) > 0 {
			uc[u.ID] = u.Blocks
		} else {
			for _, w := range u.Workflows {
				uc[u.ID] = append(uc[u.ID], wf[w]...)
			}
		}
	}
	B := map[string]map[string]bool{}
	for _, pr := range p.Programmes {
		s[pr.ID], e[pr.ID] = o.StartYear, o.StartYear+o.HorizonYears-1
		if pr.StartYear != nil {
			s[pr.ID] = *pr.StartYear
		}
		if pr.EndYear != nil {
			e[pr.ID] = *pr.EndYear
		}
		B[pr.ID] = map[string]bool{}
		for _, u := range pr.UseCases {
			for _, b := range uc[u] {
				B[pr.ID][b] = true
			}
		}
		for _, b := range pr.Blocks {
			B[pr.ID][b] = true
		}
		bs := s[pr.ID]
		if pr.BenefitStartYear != nil {
			bs = *pr.BenefitStartYear
		}
		for _, y := range years {
			own := ob*pr.OwnBuildCost.Likely*ind(y == s[pr.ID]) + pr.OwnAnnualCost.Likely*ind(A(pr.ID, y))
			m.pvOwn += own * d(y)
			m.pvBenefits += pr.AnnualBenefit.Likely * ind(A(pr.ID, y) && y >= bs) * d(y)
		}
	}
	for _, b := range p.Blocks {
		var C []string
		for _, pr := range p.Programmes {
			if B[pr.ID][b.ID] && nA(pr.ID) > 0 {
				C = append(C, pr.ID)
			}
		}
		if len(C) == 0 {
			continue
		}
		f, sum := s[C[0]], 0
		for _, q := range C {
			f = min(f, s[q])
			sum += nA(q)
		}
		planned := b.StatusOrDefault() == StatusPlanned
		build, run, integ, pcr := ob*b.BuildCost.Likely, b.AnnualRunCost.Likely, ob*b.IntegrationCost.Likely, b.PerConsumerRunCost.Likely
		pvCommon := 0.0
		for _, y := range years {
			any := false
			for _, q := range C {
				any = any || A(q, y)
			}
			pvCommon += (build*ind(y == f && planned) + run*ind(any)) * d(y)
		}
		m.blockShared[b.ID] += pvCommon
		for _, q := range C {
			sil, cons := 0.0, 0.0
			for _, y := range years {
				sil += (build*ind(y == s[q]) + run*ind(A(q, y))) * d(y)
				cons += (integ*ind(y == s[q]) + pcr*ind(A(q, y))) * d(y)
			}
			if o.Siloed[b.ID] {
				m.blockShared[b.ID] += sil
				m.progShared[q] += sil
			} else {
				m.blockShared[b.ID] += cons
				m.progShared[q] += float64(nA(q))/float64(sum)*pvCommon + cons
			}
			m.blockSiloed[b.ID] += sil
			m.progSiloed[q] += sil
		}
		if o.Siloed[b.ID] {
			m.blockShared[b.ID] -= pvCommon
		}
		m.pvSiloed += m.blockSiloed[b.ID]
		m.pvShared += m.blockShared[b.ID]
	}
	return m
}

// Compute agrees with the literal reading of the spec on random portfolios,
// with and without optimism bias and forced-siloed blocks.
func TestComputeMatchesNaiveModel(t *testing.T) {
	for i, p := range randomPortfolios() {
		for _, variant := range []string{"plain", "optimism bias and a siloed block"} {
			o := optionsOf(p)
			if variant != "plain" {
				o.OptimismBias = 0.3
				o.Siloed = map[string]bool{p.Blocks[0].ID: true}
			}
			res := Compute(p, o)
			want := naive(p, o)
			check := func(what string, got, want float64) {
				t.Helper()
				if !closeTo(got, want, 1e-9, 1) {
					t.Errorf("portfolio %d, %s: %s = %v, want %v", i, variant, what, got, want)
				}
			}
			check("pv_siloed", res.Totals.PVSiloed, want.pvSiloed)
			check("pv_shared", res.Totals.PVShared, want.pvShared)
			check("pv_own", res.Totals.PVOwn, want.pvOwn)
			check("pv_benefits", res.Totals.PVBenefits, want.pvBenefits)
			for _, b := range res.Blocks {
				check("block "+b.ID+" pv_siloed", b.PVSiloed, want.blockSiloed[b.ID])
				check("block "+b.ID+" pv_shared", b.PVShared, want.blockShared[b.ID])
			}
			for _, pr := range res.Programmes {
				check("programme "+pr.ID+" pv_siloed", pr.PVSiloed, want.progSiloed[pr.ID])
				check("programme "+pr.ID+" pv_shared", pr.PVShared, want.progShared[pr.ID])
			}
		}
	}
}

// A block forced siloed costs its siloed figures in the shared scenario and
// saves nothing; the other blocks are untouched.
func TestForcedSiloedBlock(t *testing.T) {
	p := loadPortfolio(t, "worked-example.json")
	o := optionsOf(p)
	base := Compute(p, o)
	o.Siloed = map[string]bool{"ident": true}
	res := Compute(p, o)
	for i, b := range res.Blocks {
		switch b.ID {
		case "ident":
			if b.PVShared != b.PVSiloed || b.Savings != 0 || !b.ForcedSiloed || b.BuildYear != nil {
				t.Errorf("ident forced siloed: %+v", b)
			}
		default:
			if b.PVShared != base.Blocks[i].PVShared || b.Savings != base.Blocks[i].Savings {
				t.Errorf("block %s changed: %v, want %v", b.ID, b.PVShared, base.Blocks[i].PVShared)
			}
		}
	}
	if want := base.Totals.Savings - base.Blocks[0].Savings; !closeTo(res.Totals.Savings, want, 1e-12, 1) {
		t.Errorf("savings = %v, want %v", res.Totals.Savings, want)
	}
	if got := res.Settings.SiloedBlocks; !slices.Equal(got, []string{"ident"}) {
		t.Errorf("settings.siloed_blocks = %v", got)
	}
	if rm := Roadmap(res, nil); slices.Contains(rm.Chosen, "ident") {
		t.Errorf("roadmap chose a block forced siloed: %v", rm.Chosen)
	}
}

// An empty portfolio (or an empty plan) gives zeros, nulls for the ratios and
// empty lists, never JSON null lists, and no panic.
func TestComputeEmpty(t *testing.T) {
	y0, h := 2026, 3
	for _, tt := range []struct {
		name string
		p    *Portfolio
		o    Options
	}{
		{"no entity", &Portfolio{Format: Format}, Options{StartYear: y0, HorizonYears: h, DiscountRate: 0.035}},
		{"zero horizon", loadPortfolio(t, "worked-example.json"), Options{StartYear: y0, HorizonYears: 0}},
		{"no goal", &Portfolio{Format: Format, Programmes: []Programme{{ID: "P"}}}, Options{StartYear: y0, HorizonYears: h}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := Compute(tt.p, tt.o)
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			tree := jsonTree(t, res).(map[string]any)
			for _, k := range []string{"years", "blocks", "programmes", "goals", "sdg_targets", "warnings"} {
				if _, ok := tree[k].([]any); !ok {
					t.Errorf("%s = %v, want a list in %s", k, tree[k], b)
				}
			}
			if res.Totals.SavingsRatio != nil || res.Totals.PVShared != 0 {
				t.Errorf("totals %+v", res.Totals)
			}
			if rm := Roadmap(res, nil); len(rm.Chosen) != 0 || rm.Share != nil {
				t.Errorf("roadmap %+v", rm)
			}
			if mc := MonteCarlo(tt.p, tt.o, 10, 1); mc.Savings.Mean != 0 {
				t.Errorf("monte carlo %+v", mc)
			}
		})
	}
}

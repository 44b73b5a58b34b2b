package model

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// This file is the cost model of spec/cost-model.md §1–§5: the plan window,
// demand, the siloed and shared scenarios and the portfolio figures. The
// appraisal (§5, second half) is in appraisal.go, the allocation to
// programmes, goals and SDG targets (§6) in allocation.go, uncertainty (§7)
// in uncertainty.go and the investment roadmap in roadmap.go. Every figure
// the product shows comes from here; nothing else recomputes one.

// Defaults of the cost model (cost-model.md §1).
const (
	DefaultHorizonYears = 5
	DefaultDiscountRate = 0.035
	DefaultOptimismBias = 0.0
)

// UnmappedID is the bucket of programmes with no national goal (in the goal
// figures) and of goals with no SDG target (in the SDG target figures).
const UnmappedID = "_unmapped"

// Options are the effective settings of one computation: the portfolio's
// settings with defaults applied (EffectiveSettings), possibly overridden for a
// what-if (the CLI's --discount-rate, --horizon, --optimism-bias set the plain
// fields directly; call Validate afterwards).
type Options struct {
	StartYear    int
	HorizonYears int
	DiscountRate float64
	OptimismBias float64

	// Siloed lists blocks a planner has marked as not shared (the web
	// scenario panel). Such a block is costed with its siloed figures in the
	// shared scenario too: every consumer builds and runs its own copy, so
	// its pv_shared equals its pv_siloed and its savings are 0, in the block,
	// programme, goal and SDG target figures alike. The investment roadmap
	// never chooses it.
	Siloed map[string]bool
}

// EffectiveSettings applies the defaults of cost-model.md §1 to a portfolio's
// settings: H = 5, r = 0.035, optimism bias 0. The spec's documents always
// give start_year; when one does not, the plan starts in the earliest
// programme start_year, so that no programme's one-off costs are silently
// sunk, and in the current calendar year when no programme gives one (the
// only case where the result depends on the clock).
func EffectiveSettings(s Settings, programmes []Programme) Options {
	o := Options{HorizonYears: DefaultHorizonYears, DiscountRate: DefaultDiscountRate, OptimismBias: DefaultOptimismBias}
	if s.HorizonYears != nil {
		o.HorizonYears = *s.HorizonYears
	}
	if s.DiscountRate != nil {
		o.DiscountRate = *s.DiscountRate
	}
	if s.OptimismBias != nil {
		o.OptimismBias = *s.OptimismBias
	}
	switch {
	case s.StartYear != nil:
		o.StartYear = *s.StartYear
	default:
		o.StartYear = time.Now().Year()
		first := true
		for _, p := range programmes {
			if p.StartYear != nil && (first || *p.StartYear < o.StartYear) {
				o.StartYear, first = *p.StartYear, false
			}
		}
	}
	return o
}

// Validate checks options that did not come through portfolio validation (a
// what-if on the command line or the web page): the ranges of §8 for the
// settings, and an optimism bias that is a finite number ≥ 0.
func (o Options) Validate() error {
	var ps Problems
	bad := func(field string, value any, msg string) {
		ps = append(ps, Problem{Severity: SeverityError, Code: "bad-setting", Kind: "settings", Field: field,
			Value: fmt.Sprint(value), Message: fmt.Sprintf("%s %v: %s", field, value, msg)})
	}
	if o.StartYear < 1900 || o.StartYear > 2200 {
		bad("start_year", o.StartYear, "must be a year from 1900 to 2200")
	}
	if o.HorizonYears < 1 || o.HorizonYears > 100 {
		bad("horizon_years", o.HorizonYears, "must be from 1 to 100")
	}
	if math.IsNaN(o.DiscountRate) || o.DiscountRate <= -1 || o.DiscountRate > 1 {
		bad("discount_rate", o.DiscountRate, "must be greater than -1 and at most 1")
	}
	if math.IsNaN(o.OptimismBias) || math.IsInf(o.OptimismBias, 0) || o.OptimismBias < 0 {
		bad("optimism_bias", o.OptimismBias, "must be a number ≥ 0")
	}
	return ps.Err("settings")
}

// DiscountFactor is d(y) = (1+r)^−(y−y0) of §1.
func (o Options) DiscountFactor(year int) float64 {
	return math.Pow(1+o.DiscountRate, -float64(year-o.StartYear))
}

// Warning is one validation warning as the JSON output lists it.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Kind and ID name the entity the warning is about, so that pages and
	// reports can say it in the reader's language.
	Kind string `json:"kind,omitempty"`
	ID   string `json:"id,omitempty"`
}

// WarningsFrom is the warnings among ps, in their order, for Result.Warnings.
// It never returns nil, so that the output always has a list.
func WarningsFrom(ps Problems) []Warning {
	out := []Warning{}
	for _, p := range ps.Warnings() {
		out = append(out, Warning{Code: p.Code, Message: p.Message, Kind: p.Kind, ID: p.ID})
	}
	return out
}

// Result is every point figure of the cost model for one portfolio and one set
// of options; it marshals to the JSON of cost-model.md §9 (amounts unrounded,
// lists ordered by id) plus extra keys for reports. Per-year figures of blocks
// and programmes are kept for charts and workbooks but not marshalled.
type Result struct {
	Currency   string             `json:"currency"`
	Settings   ResultSettings     `json:"settings"`
	Totals     Totals             `json:"totals"`
	Appraisal  Appraisals         `json:"appraisal"`
	Years      []YearFigures      `json:"years"`
	Blocks     []BlockFigures     `json:"blocks"`
	Programmes []ProgrammeFigures `json:"programmes"`
	Goals      []GoalFigures      `json:"goals"`
	SDGTargets []TargetFigures    `json:"sdg_targets"`
	// Warnings is filled by the caller from validation (see WarningsFrom);
	// it is marshalled as [] when empty.
	Warnings   []Warning         `json:"warnings"`
	MonteCarlo *MonteCarloResult `json:"monte_carlo,omitempty"`
	Tornado    []TornadoRow      `json:"tornado,omitempty"`
}

// MarshalJSON writes the result with an empty warning list as [].
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	q := plain(r)
	if q.Warnings == nil {
		q.Warnings = []Warning{}
	}
	return json.Marshal(q)
}

// ResultSettings are the options in force, printed with every result.
type ResultSettings struct {
	StartYear    int     `json:"start_year"`
	HorizonYears int     `json:"horizon_years"`
	DiscountRate float64 `json:"discount_rate"`
	OptimismBias float64 `json:"optimism_bias"`
	// SiloedBlocks are the blocks forced siloed (Options.Siloed), by id.
	SiloedBlocks []string `json:"siloed_blocks,omitempty"`
}

// Totals are the portfolio figures of §5.
type Totals struct {
	PVSiloed     float64  `json:"pv_siloed"`
	PVShared     float64  `json:"pv_shared"`
	Savings      float64  `json:"savings"`
	SavingsRatio *float64 `json:"savings_ratio"` // nil when pv_siloed = 0
	PVOwn        float64  `json:"pv_own"`
	PVBenefits   float64  `json:"pv_benefits"`
}

// YearFigures are one plan year's undiscounted flows. In Result.Years they
// are the portfolio's; in BlockFigures.Years a block's (Own and Benefits are
// 0); in ProgrammeFigures.Years a programme's allocated flows.
type YearFigures struct {
	Year           int     `json:"year"`
	DiscountFactor float64 `json:"discount_factor"`
	Siloed         float64 `json:"siloed"`
	Shared         float64 `json:"shared"`
	Own            float64 `json:"own"`
	Benefits       float64 `json:"benefits"`
}

// BlockFigures are one block's figures (§5 with one b).
type BlockFigures struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Status    string `json:"status"`
	Consumers int    `json:"consumers"`
	// BuildYear is the year the shared build cost is counted: f_b when the
	// block is planned, has a consumer, is not forced siloed and f_b is in
	// the plan; else nil.
	BuildYear *int    `json:"build_year"`
	PVSiloed  float64 `json:"pv_siloed"`
	PVShared  float64 `json:"pv_shared"`
	Savings   float64 `json:"savings"`

	// FirstYear is f_b, the first year any consumer needs the block (it may
	// be before the plan); nil when the block has no consumer.
	FirstYear *int `json:"first_year"`
	// ForcedSiloed is set when Options.Siloed names the block.
	ForcedSiloed bool `json:"forced_siloed,omitempty"`
	// Programmes are the consumers C(b), by id.
	Programmes []string `json:"programmes"`
	// Years are the block's siloed_b(y) and shared_b(y).
	Years []YearFigures `json:"-"`
}

// ProgrammeFigures are one programme's allocated figures (§6).
type ProgrammeFigures struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Blocks     []string `json:"blocks"` // B(p)
	PVSiloed   float64  `json:"pv_siloed"`
	PVShared   float64  `json:"pv_shared"`
	Savings    float64  `json:"savings"`
	PVOwn      float64  `json:"pv_own"`
	PVBenefits float64  `json:"pv_benefits"`

	// Goals are the programme's national goals, by id (its figures are split
	// equally among them).
	Goals []string `json:"goals"`
	// StartYear and EndYear are s_p and e_p with defaults applied;
	// ActiveYears is |A(p)| (0: the programme takes no part).
	StartYear     int      `json:"start_year"`
	EndYear       int      `json:"end_year"`
	ActiveYears   int      `json:"active_years"`
	Beneficiaries *float64 `json:"beneficiaries"`
	// CostPerBeneficiary is the programme's allocated cost in each scenario
	// (pv_shared or pv_siloed, plus pv_own) over its beneficiaries.
	CostPerBeneficiary ScenarioFigures `json:"cost_per_beneficiary"`
	// ByBlock splits the programme's figures by block: the programme×block
	// matrix behind Sankey diagrams and heat maps. Ordered by block id.
	ByBlock []BlockShare `json:"by_block"`
	// Years are the programme's allocated flows per plan year.
	Years []YearFigures `json:"-"`
}

// ScenarioFigures is one optional figure per scenario.
type ScenarioFigures struct {
	Shared *float64 `json:"shared"`
	Siloed *float64 `json:"siloed"`
}

// BlockShare is one programme's part of one block's figures: siloed(p,b)
// and w(p,b)·common_b + consumer(p,b), in present value.
type BlockShare struct {
	Block    string  `json:"block"`
	Weight   float64 `json:"weight"` // w(p,b)
	PVSiloed float64 `json:"pv_siloed"`
	PVShared float64 `json:"pv_shared"`
	Savings  float64 `json:"savings"`
}

// plan is the structure of one computation, independent of the amounts: who
// needs what, when. Compute evaluates it at the likely amounts; Monte Carlo
// and the tornado take each amount's coefficient from it. Programmes and
// blocks are kept in id order so that no figure depends on the order of the
// input.
type plan struct {
	opt     Options
	h       int
	df      []float64 // d(y0+t)
	oneOff  float64   // 1 + optimism bias
	progs   []progPlan
	blocks  []blockPlan
	goals   []*Goal // id order
	goalIdx map[string]int
}

// progPlan is one programme's timing and demand. Plan years are indexed by
// t = y − y0.
type progPlan struct {
	p          *Programme
	start, end int   // s_p, e_p
	a0, a1     int   // active t in [a0, a1); empty when a0 >= a1
	oneOffT    int   // t of the one-off costs, −1 when s_p is not in the plan
	benefitT0  int   // first t with benefits
	blocks     []int // B(p), block plan indices (id order)
	goals      []int // distinct goal indices (id order)
}

func (pp *progPlan) active() bool { return pp.a0 < pp.a1 }
func (pp *progPlan) years() int   { return max(0, pp.a1-pp.a0) }

// blockPlan is one block's consumers and the timing of its shared instance.
type blockPlan struct {
	b         *Block
	consumers []int  // C(b), programme plan indices (id order)
	first     int    // f_b (valid when there is a consumer)
	buildT    int    // t of the shared build, −1 when none is counted
	running   []bool // ∃p∈C(b): t ∈ A(p)
	sumActive int    // Σ_{q∈C(b)} |A(q)|
	forced    bool   // Options.Siloed
}

// blockAmounts are a block's four amounts at one point (likely, a draw, or a
// unit vector for coefficients).
type blockAmounts struct{ build, run, integration, perConsumer float64 }

func likelyBlock(b *Block) blockAmounts {
	return blockAmounts{b.BuildCost.Likely, b.AnnualRunCost.Likely, b.IntegrationCost.Likely, b.PerConsumerRunCost.Likely}
}

// progAmounts are a programme's own amounts at one point.
type progAmounts struct{ build, annual, benefit float64 }

func likelyProg(p *Programme) progAmounts {
	return progAmounts{p.OwnBuildCost.Likely, p.OwnAnnualCost.Likely, p.AnnualBenefit.Likely}
}

// newPlan builds the structure of the model for p under opt.
func newPlan(p *Portfolio, opt Options) *plan {
	h := max(opt.HorizonYears, 0)
	pl := &plan{opt: opt, h: h, df: make([]float64, h), oneOff: 1 + opt.OptimismBias}
	for t := range h {
		pl.df[t] = opt.DiscountFactor(opt.StartYear + t)
	}
	y0, yLast := opt.StartYear, opt.StartYear+h-1

	pl.goals = make([]*Goal, len(p.Goals))
	for i := range p.Goals {
		pl.goals[i] = &p.Goals[i]
	}
	sortEntitiesByID(pl.goals, func(g *Goal) string { return g.ID })
	pl.goalIdx = make(map[string]int, len(pl.goals))
	for i, g := range pl.goals {
		if _, dup := pl.goalIdx[g.ID]; !dup {
			pl.goalIdx[g.ID] = i
		}
	}

	bs := make([]*Block, len(p.Blocks))
	for i := range p.Blocks {
		bs[i] = &p.Blocks[i]
	}
	sortEntitiesByID(bs, func(b *Block) string { return b.ID })
	blockIdx := make(map[string]int, len(bs))
	pl.blocks = make([]blockPlan, len(bs))
	for i, b := range bs {
		blockIdx[b.ID] = i
		pl.blocks[i] = blockPlan{b: b, buildT: -1, running: make([]bool, h), forced: opt.Siloed[b.ID]}
	}

	ps := make([]*Programme, len(p.Programmes))
	for i := range p.Programmes {
		ps[i] = &p.Programmes[i]
	}
	sortEntitiesByID(ps, func(p *Programme) string { return p.ID })
	g := NewGraph(p) // B(p) of §2, one implementation for trace and cost
	pl.progs = make([]progPlan, len(ps))
	for i, pr := range ps {
		pp := progPlan{p: pr, start: y0, end: yLast, oneOffT: -1}
		if pr.StartYear != nil {
			pp.start = *pr.StartYear
		}
		if pr.EndYear != nil {
			pp.end = *pr.EndYear
		}
		pp.a0 = max(pp.start, y0) - y0
		pp.a1 = min(pp.end, yLast) - y0 + 1
		if pp.a1 < pp.a0 {
			pp.a1 = pp.a0
		}
		if pp.start >= y0 && pp.start <= yLast {
			pp.oneOffT = pp.start - y0
		}
		bs := pp.start
		if pr.BenefitStartYear != nil {
			bs = *pr.BenefitStartYear
		}
		pp.benefitT0 = max(bs-y0, pp.a0)
		for _, id := range g.ProgrammeBlocks(pr.ID) {
			if j, ok := blockIdx[id]; ok {
				pp.blocks = append(pp.blocks, j)
			}
		}
		slices.Sort(pp.blocks)
		pp.blocks = slices.Compact(pp.blocks)
		for _, id := range pr.Goals {
			if j, ok := pl.goalIdx[id]; ok {
				pp.goals = append(pp.goals, j)
			}
		}
		slices.Sort(pp.goals)
		pp.goals = slices.Compact(pp.goals)
		pl.progs[i] = pp
	}

	for i := range pl.progs {
		pp := &pl.progs[i]
		if !pp.active() {
			continue
		}
		for _, j := range pp.blocks {
			bp := &pl.blocks[j]
			if len(bp.consumers) == 0 || pp.start < bp.first {
				bp.first = pp.start
			}
			bp.consumers = append(bp.consumers, i)
			bp.sumActive += pp.years()
			for t := pp.a0; t < pp.a1; t++ {
				bp.running[t] = true
			}
		}
	}
	for j := range pl.blocks {
		bp := &pl.blocks[j]
		if len(bp.consumers) > 0 && !bp.forced && bp.b.StatusOrDefault() == StatusPlanned &&
			bp.first >= y0 && bp.first <= yLast {
			bp.buildT = bp.first - y0
		}
	}
	return pl
}

func sortEntitiesByID[T any](xs []T, id func(T) string) {
	sort.SliceStable(xs, func(i, j int) bool { return id(xs[i]) < id(xs[j]) })
}

// The three building stones of §4. Each adds a flow, per plan year, to out;
// every block, programme and portfolio figure, and every coefficient of the
// uncertainty analysis, is made of them.

// addSiloed adds siloed(p,b,·) = build·[y = s_p] + run·[y ∈ A(p)].
func (pl *plan) addSiloed(pp *progPlan, a blockAmounts, out []float64) {
	if pp.oneOffT >= 0 {
		out[pp.oneOffT] += a.build * pl.oneOff
	}
	for t := pp.a0; t < pp.a1; t++ {
		out[t] += a.run
	}
}

// addConsumer adds consumer(p,b,·) = integration·[y = s_p] +
// per_consumer_run·[y ∈ A(p)].
func (pl *plan) addConsumer(pp *progPlan, a blockAmounts, out []float64) {
	if pp.oneOffT >= 0 {
		out[pp.oneOffT] += a.integration * pl.oneOff
	}
	for t := pp.a0; t < pp.a1; t++ {
		out[t] += a.perConsumer
	}
}

// addCommon adds common_b(·) = build·[y = f_b, planned] + run·[∃p: y ∈ A(p)]
// times k (a consumer's weight, or 1).
func (pl *plan) addCommon(bp *blockPlan, a blockAmounts, k float64, out []float64) {
	if bp.buildT >= 0 {
		out[bp.buildT] += k * a.build * pl.oneOff
	}
	for t, on := range bp.running {
		if on {
			out[t] += k * a.run
		}
	}
}

// addBlock adds siloed_b and shared_b. A block forced siloed costs its
// siloed flows in both scenarios.
func (pl *plan) addBlock(bp *blockPlan, a blockAmounts, siloed, shared []float64) {
	if len(bp.consumers) == 0 {
		return
	}
	for _, i := range bp.consumers {
		pp := &pl.progs[i]
		pl.addSiloed(pp, a, siloed)
		if bp.forced {
			pl.addSiloed(pp, a, shared)
		} else {
			pl.addConsumer(pp, a, shared)
		}
	}
	if !bp.forced {
		pl.addCommon(bp, a, 1, shared)
	}
}

// addOwn adds own_p(·) and benefit_p(·) of §5.
func (pl *plan) addOwn(pp *progPlan, a progAmounts, own, benefit []float64) {
	if pp.oneOffT >= 0 {
		own[pp.oneOffT] += a.build * pl.oneOff
	}
	for t := pp.a0; t < pp.a1; t++ {
		own[t] += a.annual
	}
	for t := pp.benefitT0; t < pp.a1; t++ {
		benefit[t] += a.benefit
	}
}

// weight is w(p,b) = |A(p)| / Σ_{q∈C(b)} |A(q)|.
func (bp *blockPlan) weight(pp *progPlan) float64 {
	if bp.sumActive == 0 {
		return 0
	}
	return float64(pp.years()) / float64(bp.sumActive)
}

// pv is PV(x) = Σ x(y)·d(y).
func (pl *plan) pv(x []float64) float64 {
	s := 0.0
	for t, v := range x {
		s += v * pl.df[t]
	}
	return s
}

func zeroAll(xs ...[]float64) {
	for _, x := range xs {
		clear(x)
	}
}

// quotient is num/den, nil when den is 0 (the nulls of §5).
func quotient(num, den float64) *float64 {
	if den == 0 {
		return nil
	}
	v := num / den
	return &v
}

// Compute is the cost model's point figures (likely amounts) for an already
// resolved and valid portfolio (see Resolve): cost-model.md §2–§6. It does
// not validate and never fails; Warnings is left empty for the caller.
func Compute(p *Portfolio, opt Options) *Result {
	pl := newPlan(p, opt)
	h := pl.h
	res := &Result{
		Currency: p.Currency,
		Settings: ResultSettings{StartYear: opt.StartYear, HorizonYears: opt.HorizonYears,
			DiscountRate: opt.DiscountRate, OptimismBias: opt.OptimismBias},
		Years:      make([]YearFigures, h),
		Blocks:     make([]BlockFigures, len(pl.blocks)),
		Programmes: make([]ProgrammeFigures, len(pl.progs)),
		Warnings:   []Warning{},
	}
	for id, on := range opt.Siloed {
		if on {
			res.Settings.SiloedBlocks = append(res.Settings.SiloedBlocks, id)
		}
	}
	sort.Strings(res.Settings.SiloedBlocks)
	newYears := func() []YearFigures {
		ys := make([]YearFigures, h)
		for t := range ys {
			ys[t] = YearFigures{Year: opt.StartYear + t, DiscountFactor: pl.df[t]}
		}
		return ys
	}
	res.Years = newYears()

	// Programmes: own costs and benefits, and empty allocations.
	progSiloed := make([][]float64, len(pl.progs))
	progShared := make([][]float64, len(pl.progs))
	flows := make([]float64, 2*h*len(pl.progs))
	for i := range pl.progs {
		pp := &pl.progs[i]
		pr := pp.p
		pf := &res.Programmes[i]
		*pf = ProgrammeFigures{ID: pr.ID, Name: pr.Name, Blocks: make([]string, 0, len(pp.blocks)),
			Goals: make([]string, 0, len(pp.goals)), StartYear: pp.start, EndYear: pp.end,
			ActiveYears: pp.years(), Beneficiaries: pr.Beneficiaries, ByBlock: make([]BlockShare, 0, len(pp.blocks)),
			Years: newYears()}
		for _, j := range pp.blocks {
			pf.Blocks = append(pf.Blocks, pl.blocks[j].b.ID)
		}
		for _, j := range pp.goals {
			pf.Goals = append(pf.Goals, pl.goals[j].ID)
		}
		progSiloed[i], progShared[i] = flows[2*i*h:(2*i+1)*h:(2*i+1)*h], flows[(2*i+1)*h:(2*i+2)*h:(2*i+2)*h]
		if !pp.active() {
			continue
		}
		own, ben := make([]float64, h), make([]float64, h)
		pl.addOwn(pp, likelyProg(pr), own, ben)
		for t := range h {
			pf.Years[t].Own, pf.Years[t].Benefits = own[t], ben[t]
			res.Years[t].Own += own[t]
			res.Years[t].Benefits += ben[t]
		}
		pf.PVOwn, pf.PVBenefits = pl.pv(own), pl.pv(ben)
	}

	// Blocks, and their allocation to consumers.
	siloed, shared := make([]float64, h), make([]float64, h)
	common := make([]float64, h)
	pairSiloed, pairShared := make([]float64, h), make([]float64, h)
	for j := range pl.blocks {
		bp := &pl.blocks[j]
		b := bp.b
		a := likelyBlock(b)
		bf := &res.Blocks[j]
		*bf = BlockFigures{ID: b.ID, Name: b.Name, Status: b.StatusOrDefault(), Consumers: len(bp.consumers),
			ForcedSiloed: bp.forced, Programmes: make([]string, 0, len(bp.consumers)), Years: newYears()}
		if len(bp.consumers) > 0 {
			bf.FirstYear = new(bp.first)
		}
		if bp.buildT >= 0 {
			bf.BuildYear = new(opt.StartYear + bp.buildT)
		}
		zeroAll(siloed, shared, common)
		pl.addBlock(bp, a, siloed, shared)
		if !bp.forced {
			pl.addCommon(bp, a, 1, common)
		}
		for t := range h {
			bf.Years[t].Siloed, bf.Years[t].Shared = siloed[t], shared[t]
			res.Years[t].Siloed += siloed[t]
			res.Years[t].Shared += shared[t]
		}
		bf.PVSiloed, bf.PVShared = pl.pv(siloed), pl.pv(shared)
		bf.Savings = bf.PVSiloed - bf.PVShared

		for _, i := range bp.consumers {
			pp := &pl.progs[i]
			bf.Programmes = append(bf.Programmes, pp.p.ID)
			zeroAll(pairSiloed, pairShared)
			pl.addSiloed(pp, a, pairSiloed)
			w := bp.weight(pp)
			if bp.forced {
				pl.addSiloed(pp, a, pairShared)
			} else {
				pl.addConsumer(pp, a, pairShared)
				for t := range h {
					pairShared[t] += w * common[t]
				}
			}
			for t := range h {
				progSiloed[i][t] += pairSiloed[t]
				progShared[i][t] += pairShared[t]
			}
			s, sh := pl.pv(pairSiloed), pl.pv(pairShared)
			res.Programmes[i].ByBlock = append(res.Programmes[i].ByBlock,
				BlockShare{Block: b.ID, Weight: w, PVSiloed: s, PVShared: sh, Savings: s - sh})
		}
	}
	for i := range pl.progs {
		pf := &res.Programmes[i]
		for t := range h {
			pf.Years[t].Siloed, pf.Years[t].Shared = progSiloed[i][t], progShared[i][t]
		}
		pf.PVSiloed, pf.PVShared = pl.pv(progSiloed[i]), pl.pv(progShared[i])
		pf.Savings = pf.PVSiloed - pf.PVShared
		if b := pf.Beneficiaries; b != nil {
			pf.CostPerBeneficiary = ScenarioFigures{
				Shared: quotient(pf.PVShared+pf.PVOwn, *b),
				Siloed: quotient(pf.PVSiloed+pf.PVOwn, *b),
			}
		}
	}

	// Portfolio totals (§5).
	var totSiloed, totShared, totOwn, totBen []float64
	for _, y := range res.Years {
		totSiloed = append(totSiloed, y.Siloed)
		totShared = append(totShared, y.Shared)
		totOwn = append(totOwn, y.Own)
		totBen = append(totBen, y.Benefits)
	}
	res.Totals = Totals{PVSiloed: pl.pv(totSiloed), PVShared: pl.pv(totShared), PVOwn: pl.pv(totOwn), PVBenefits: pl.pv(totBen)}
	res.Totals.Savings = res.Totals.PVSiloed - res.Totals.PVShared
	res.Totals.SavingsRatio = quotient(res.Totals.Savings, res.Totals.PVSiloed)

	res.Appraisal = pl.appraise(res)
	res.Goals, res.SDGTargets = pl.allocate(res)
	return res
}

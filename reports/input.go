package reports

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"blockplan/model"
)

// Input is what every report is made from: a resolved portfolio and the cost
// model's result for it. Reports print the figures of Result and the names of
// Portfolio; they compute none.
type Input struct {
	Portfolio *model.Portfolio // resolved (model.Resolve)
	// Result is model.Compute(Portfolio, …) with Warnings filled in, and
	// MonteCarlo and Tornado set when the portfolio has ranges.
	Result *model.Result
	Lang   string // "en" or "fr"
	// Generated is printed on the cover and written into the files'
	// metadata; tests fix it so that the same input gives the same bytes.
	Generated time.Time
	// Roadmap is the investment roadmap to print: model.Roadmap(Result,
	// budget) for the budget a planner gave. When nil the report computes
	// model.Roadmap(Result, nil) itself: the frontier, with no chosen set.
	Roadmap *model.RoadmapResult
	// Targets are the texts of the SDG targets the portfolio names, by code,
	// filled by the caller from the catalogue (reports do not import it). A
	// code with no entry is printed alone ("SDG 3.2").
	Targets map[string]model.SDGTarget
}

// view is an Input prepared for writing: language fixed, entities indexed
// by id, display choices made once for every format.
type view struct {
	in   Input
	lang string
	p    *model.Portfolio
	r    *model.Result
	cur  string
	dec  int // decimals of money amounts in tables

	goals  map[string]*model.Goal
	progs  map[string]*model.Programme
	ucs    map[string]*model.UseCase
	wfs    map[string]*model.Workflow
	blocks map[string]*model.Block
	agency map[string]*model.Agency
	graph  *model.Graph

	progFig  map[string]*model.ProgrammeFigures
	blockFig map[string]*model.BlockFigures

	rm *model.RoadmapResult // see roadmap(); computed on first use
}

// ErrNoInput is returned when Input lacks the portfolio or the result.
var ErrNoInput = errors.New("reports: the input needs a resolved portfolio and its cost-model result")

func newView(in Input) (*view, error) {
	if in.Portfolio == nil || in.Result == nil {
		return nil, ErrNoInput
	}
	lang, ok := NormalizeLang(in.Lang)
	if !ok {
		return nil, fmt.Errorf("reports: language %q is not available (en or fr)", in.Lang)
	}
	if in.Generated.IsZero() {
		in.Generated = time.Now()
	}
	in.Generated = in.Generated.UTC()
	v := &view{in: in, lang: lang, p: in.Portfolio, r: in.Result, cur: in.Result.Currency,
		goals: map[string]*model.Goal{}, progs: map[string]*model.Programme{}, ucs: map[string]*model.UseCase{},
		wfs: map[string]*model.Workflow{}, blocks: map[string]*model.Block{}, agency: map[string]*model.Agency{},
		progFig: map[string]*model.ProgrammeFigures{}, blockFig: map[string]*model.BlockFigures{}}
	if v.cur == "" {
		v.cur = in.Portfolio.Currency
	}
	p := in.Portfolio
	for i := range p.Goals {
		putFirst(v.goals, p.Goals[i].ID, &p.Goals[i])
	}
	for i := range p.Programmes {
		putFirst(v.progs, p.Programmes[i].ID, &p.Programmes[i])
	}
	for i := range p.UseCases {
		putFirst(v.ucs, p.UseCases[i].ID, &p.UseCases[i])
	}
	for i := range p.Workflows {
		putFirst(v.wfs, p.Workflows[i].ID, &p.Workflows[i])
	}
	for i := range p.Blocks {
		putFirst(v.blocks, p.Blocks[i].ID, &p.Blocks[i])
	}
	for i := range p.Agencies {
		putFirst(v.agency, p.Agencies[i].ID, &p.Agencies[i])
	}
	for i := range v.r.Programmes {
		putFirst(v.progFig, v.r.Programmes[i].ID, &v.r.Programmes[i])
	}
	for i := range v.r.Blocks {
		putFirst(v.blockFig, v.r.Blocks[i].ID, &v.r.Blocks[i])
	}
	v.graph = model.NewGraph(p)
	// Money in tables: whole units for a national plan, cents for a toy one.
	big := 0.0
	for _, x := range []float64{v.r.Totals.PVSiloed, v.r.Totals.PVShared, v.r.Totals.PVOwn, v.r.Totals.PVBenefits} {
		big = max(big, math.Abs(x))
	}
	if big < 100000 {
		v.dec = 2
	}
	return v, nil
}

func putFirst[T any](m map[string]*T, id string, x *T) {
	if _, dup := m[id]; !dup {
		m[id] = x
	}
}

func (v *view) tr(key string) string               { return Label(v.lang, key) }
func (v *view) trf(key string, args ...any) string { return Labelf(v.lang, key, args...) }

// money is an amount in a table (currency in the column header).
func (v *view) money(x float64) string { return FormatNumber(x, v.dec, v.lang) }

// moneyC is an amount in running text, with its currency.
func (v *view) moneyC(x float64) string {
	n := FormatNumber(x, v.dec, v.lang)
	if v.cur == "" {
		return n
	}
	if v.lang == LangFR {
		return n + NBSP + v.cur
	}
	return v.cur + NBSP + n
}

func (v *view) pct(x float64) string     { return FormatPercent(x, 1, v.lang) }
func (v *view) num(x float64) string     { return FormatNumber(x, 0, v.lang) }
func (v *view) ratio(x float64) string   { return FormatRatio(x, v.lang) }
func (v *view) optPct(x *float64) string { return FormatOptional(x, v.pct) }
func (v *view) optRatio(x *float64) string {
	return FormatOptional(x, v.ratio)
}
func (v *view) optMoney(x *float64) string { return FormatOptional(x, v.money) }
func (v *view) optMoneyC(x *float64) string {
	return FormatOptional(x, func(f float64) string { return FormatMoney(f, v.cur, v.lang) })
}

// planSpan is "2026–2030".
func (v *view) planSpan() string {
	s := v.r.Settings
	if s.HorizonYears <= 1 {
		return FormatYear(s.StartYear)
	}
	return FormatYear(s.StartYear) + "–" + FormatYear(s.StartYear+s.HorizonYears-1)
}

// Names in the report's language, falling back to the id.

func orID(name, id string) string {
	if strings.TrimSpace(name) == "" {
		return id
	}
	return name
}

// portfolioName is the plan's title in the report's language, else its id,
// else the word "portfolio".
func (v *view) portfolioName() string {
	return orID(v.p.Label(v.lang), orID(v.p.ID, v.tr("portfolio")))
}

func (v *view) goalName(id string) string {
	if id == model.UnmappedID {
		return v.tr("unmapped_goal")
	}
	if g := v.goals[id]; g != nil {
		return orID(g.Label(v.lang), id)
	}
	return id
}

func (v *view) progName(id string) string {
	if p := v.progs[id]; p != nil {
		return orID(p.Label(v.lang), id)
	}
	return id
}

func (v *view) ucName(id string) string {
	if u := v.ucs[id]; u != nil {
		return orID(u.Label(v.lang), id)
	}
	return id
}

func (v *view) wfName(id string) string {
	if w := v.wfs[id]; w != nil {
		return orID(w.Label(v.lang), id)
	}
	return id
}

func (v *view) blockName(id string) string {
	if b := v.blocks[id]; b != nil {
		return orID(b.Label(v.lang), id)
	}
	return id
}

func (v *view) agencyName(id string) string {
	if a := v.agency[id]; a != nil {
		return orID(a.Label(v.lang), id)
	}
	return id
}

// targetName is "SDG 3.2" / "ODD 3.2". The portfolio carries target codes
// only; their texts live in the catalogue, which reports do not import, and
// come in through Input.Targets (targetText).
func (v *view) targetName(code string) string {
	if code == model.UnmappedID {
		return v.tr("unmapped_target")
	}
	return v.tr("sdg") + " " + code
}

// targetText is the text of an SDG target in the report's language, "" when
// the caller gave none.
func (v *view) targetText(code string) string {
	t, ok := v.in.Targets[code]
	if !ok {
		return ""
	}
	return strings.TrimSpace(t.Label(v.lang))
}

// targetLabel is "SDG 3.2 — By 2030, end preventable deaths…", or the code
// alone when its text is not known.
func (v *view) targetLabel(code string) string {
	if s := v.targetText(code); s != "" && code != model.UnmappedID {
		return v.targetName(code) + " — " + s
	}
	return v.targetName(code)
}

func (v *view) statusName(b *model.BlockFigures) string {
	s := v.tr("status_planned")
	if b.Status == model.StatusExisting {
		s = v.tr("status_existing")
	}
	if b.ForcedSiloed {
		s += ", " + v.tr("forced_siloed")
	}
	return s
}

// paramName is a tornado parameter ("block:payments:build_cost") for people:
// "Payments — build cost".
func (v *view) paramName(param string) string {
	parts := strings.SplitN(param, ":", 3)
	if len(parts) != 3 {
		return param
	}
	name := parts[1]
	switch parts[0] {
	case "block":
		name = v.blockName(parts[1])
	case "programme":
		name = v.progName(parts[1])
	}
	return name + " — " + v.tr("f_"+parts[2])
}

// warningText is a warning as a sentence in the report's language.
func (v *view) warningText(w model.Warning) string { return WarningText(w, v.lang) }

// warningTitle is the translated title of a warning code.
func (v *view) warningTitle(code string) string {
	if _, ok := labels["w_"+code]; ok {
		return v.tr("w_" + code)
	}
	return v.tr("w_other")
}

// sortedGoals are the portfolio's goals in natural id order.
func (v *view) sortedGoals() []*model.Goal {
	out := make([]*model.Goal, 0, len(v.p.Goals))
	seen := map[string]bool{}
	for i := range v.p.Goals {
		if g := &v.p.Goals[i]; !seen[g.ID] {
			seen[g.ID] = true
			out = append(out, g)
		}
	}
	slices.SortStableFunc(out, func(a, b *model.Goal) int { return model.CompareIDs(a.ID, b.ID) })
	return out
}

// sortedProgrammes are the portfolio's programmes in natural id order.
func (v *view) sortedProgrammes() []*model.Programme {
	out := make([]*model.Programme, 0, len(v.p.Programmes))
	seen := map[string]bool{}
	for i := range v.p.Programmes {
		if p := &v.p.Programmes[i]; !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b *model.Programme) int { return model.CompareIDs(a.ID, b.ID) })
	return out
}

// hasRanges reports whether the uncertainty section has anything to show.
func (v *view) hasRanges() bool {
	mc := v.r.MonteCarlo
	return (mc != nil && mc.Ranges > 0) || len(v.r.Tornado) > 0
}

// blocksBySavings are the block figures of blocks that take part (have a
// consumer), largest savings first; ties by id.
func (v *view) blocksBySavings() []*model.BlockFigures {
	var out []*model.BlockFigures
	for i := range v.r.Blocks {
		if v.r.Blocks[i].Consumers > 0 {
			out = append(out, &v.r.Blocks[i])
		}
	}
	slices.SortStableFunc(out, func(a, b *model.BlockFigures) int {
		switch {
		case a.Savings > b.Savings:
			return -1
		case a.Savings < b.Savings:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

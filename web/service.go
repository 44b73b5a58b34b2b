package web

import (
	"container/list"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"blockplan/model"
)

// snapshot is one version of a stored portfolio, resolved against the
// catalogue and computed with its own settings: everything the read pages
// need, built once per version and shared by every request (read-only).
type snapshot struct {
	Info     model.PortfolioInfo
	Raw      *model.Portfolio // as stored
	Resolved *model.Portfolio // with defaults and catalogue entries
	Problems model.Problems   // validation errors and warnings
	Graph    *model.Graph
	Options  model.Options // the portfolio's effective settings
	Result   *model.Result // nil when Problems holds errors
	Gaps     model.Gaps
	base     *scenarioResult // Result as a scenario that changes nothing

	rawIndex  map[model.EntityKey]int // position in Raw's list of that kind
	resIndex  map[model.EntityKey]int // position in Resolved's list
	progFig   map[string]int          // programme id → index in Result.Programmes
	blockFig  map[string]int
	goalFig   map[string]int
	targetFig map[string]int
	hasRanges bool
	// progsByAgency lists programme ids by agency, for agency pages.
	progsByAgency map[string][]string
}

// Valid reports whether the portfolio can be computed.
func (sn *snapshot) Valid() bool { return sn.Result != nil }

// newSnapshot resolves and computes raw. It never fails: a portfolio with
// validation errors gets a snapshot without figures, whose pages list the
// errors.
func (s *Server) newSnapshot(raw *model.Portfolio, info model.PortfolioInfo) *snapshot {
	res, ps := model.Resolve(raw, s.cat)
	sn := &snapshot{Info: info, Raw: raw, Resolved: res, Problems: ps}
	sn.rawIndex = entityIndex(raw)
	sn.resIndex = entityIndex(res)
	sn.progsByAgency = map[string][]string{}
	for _, p := range res.Programmes {
		if p.Agency != "" {
			sn.progsByAgency[p.Agency] = append(sn.progsByAgency[p.Agency], p.ID)
		}
	}
	sn.Graph = model.NewGraph(res)
	sn.Gaps = sn.Graph.Gaps()
	if ps.HasErrors() {
		return sn
	}
	sn.Options = model.EffectiveSettings(res.Settings, res.Programmes)
	sn.Result = model.Compute(res, sn.Options)
	sn.Result.Warnings = model.WarningsFrom(ps)
	sn.base = &scenarioResult{Options: sn.Options, Result: sn.Result}
	sn.progFig = indexBy(sn.Result.Programmes, func(x model.ProgrammeFigures) string { return x.ID })
	sn.blockFig = indexBy(sn.Result.Blocks, func(x model.BlockFigures) string { return x.ID })
	sn.goalFig = indexBy(sn.Result.Goals, func(x model.GoalFigures) string { return x.ID })
	sn.targetFig = indexBy(sn.Result.SDGTargets, func(x model.TargetFigures) string { return x.ID })
	sn.hasRanges = hasRanges(res)
	return sn
}

func indexBy[T any](xs []T, id func(T) string) map[string]int {
	m := make(map[string]int, len(xs))
	for i, x := range xs {
		m[id(x)] = i
	}
	return m
}

func entityIndex(p *model.Portfolio) map[model.EntityKey]int {
	m := make(map[model.EntityKey]int, len(p.Programmes)+len(p.Goals)+len(p.Blocks)+len(p.UseCases)+len(p.Workflows)+len(p.Agencies))
	add := func(kind string, ids []string) {
		for i, id := range ids {
			k := model.EntityKey{Kind: kind, ID: id}
			if _, dup := m[k]; !dup {
				m[k] = i
			}
		}
	}
	add(model.KindAgency, idsOf(p.Agencies, func(x model.Agency) string { return x.ID }))
	add(model.KindGoal, idsOf(p.Goals, func(x model.Goal) string { return x.ID }))
	add(model.KindProgramme, idsOf(p.Programmes, func(x model.Programme) string { return x.ID }))
	add(model.KindUseCase, idsOf(p.UseCases, func(x model.UseCase) string { return x.ID }))
	add(model.KindWorkflow, idsOf(p.Workflows, func(x model.Workflow) string { return x.ID }))
	add(model.KindBlock, idsOf(p.Blocks, func(x model.Block) string { return x.ID }))
	return m
}

func idsOf[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

// hasRanges reports whether any amount is uncertain, so that Monte Carlo
// has something to draw.
func hasRanges(p *model.Portfolio) bool {
	for _, b := range p.Blocks {
		if b.BuildCost.Uncertain() || b.AnnualRunCost.Uncertain() || b.IntegrationCost.Uncertain() || b.PerConsumerRunCost.Uncertain() {
			return true
		}
	}
	for _, pr := range p.Programmes {
		if pr.OwnBuildCost.Uncertain() || pr.OwnAnnualCost.Uncertain() || pr.AnnualBenefit.Uncertain() {
			return true
		}
	}
	return false
}

// Figures of one entity, nil when there are none (invalid portfolio, or an
// entity that takes no part).
func (sn *snapshot) programmeFigures(id string) *model.ProgrammeFigures {
	if i, ok := sn.progFig[id]; ok {
		return &sn.Result.Programmes[i]
	}
	return nil
}

func (sn *snapshot) blockFigures(id string) *model.BlockFigures {
	if i, ok := sn.blockFig[id]; ok {
		return &sn.Result.Blocks[i]
	}
	return nil
}

func (sn *snapshot) goalFigures(id string) *model.GoalFigures {
	if i, ok := sn.goalFig[id]; ok {
		return &sn.Result.Goals[i]
	}
	return nil
}

func (sn *snapshot) targetFigures(id string) *model.TargetFigures {
	if i, ok := sn.targetFig[id]; ok {
		return &sn.Result.SDGTargets[i]
	}
	return nil
}

// The resolved entities by id.
func (sn *snapshot) goal(id string) (model.Goal, bool) {
	i, ok := sn.resIndex[model.EntityKey{Kind: model.KindGoal, ID: id}]
	if !ok {
		return model.Goal{}, false
	}
	return sn.Resolved.Goals[i], true
}

func (sn *snapshot) programme(id string) (model.Programme, bool) {
	i, ok := sn.resIndex[model.EntityKey{Kind: model.KindProgramme, ID: id}]
	if !ok {
		return model.Programme{}, false
	}
	return sn.Resolved.Programmes[i], true
}

func (sn *snapshot) useCase(id string) (model.UseCase, bool) {
	i, ok := sn.resIndex[model.EntityKey{Kind: model.KindUseCase, ID: id}]
	if !ok {
		return model.UseCase{}, false
	}
	return sn.Resolved.UseCases[i], true
}

func (sn *snapshot) workflow(id string) (model.Workflow, bool) {
	i, ok := sn.resIndex[model.EntityKey{Kind: model.KindWorkflow, ID: id}]
	if !ok {
		return model.Workflow{}, false
	}
	return sn.Resolved.Workflows[i], true
}

func (sn *snapshot) block(id string) (model.Block, bool) {
	i, ok := sn.resIndex[model.EntityKey{Kind: model.KindBlock, ID: id}]
	if !ok {
		return model.Block{}, false
	}
	return sn.Resolved.Blocks[i], true
}

func (sn *snapshot) agency(id string) (model.Agency, bool) {
	i, ok := sn.resIndex[model.EntityKey{Kind: model.KindAgency, ID: id}]
	if !ok {
		return model.Agency{}, false
	}
	return sn.Resolved.Agencies[i], true
}

// label is the name of any node in lang, its id when it has none.
func (s *Server) label(sn *snapshot, lang, kind, id string) string {
	name := ""
	switch kind {
	case model.KindGoal:
		if x, ok := sn.goal(id); ok {
			name = x.Label(lang)
		}
	case model.KindProgramme:
		if x, ok := sn.programme(id); ok {
			name = x.Label(lang)
		}
	case model.KindUseCase:
		if x, ok := sn.useCase(id); ok {
			name = x.Label(lang)
		}
	case model.KindWorkflow:
		if x, ok := sn.workflow(id); ok {
			name = x.Label(lang)
		}
	case model.KindBlock:
		if x, ok := sn.block(id); ok {
			name = x.Label(lang)
		}
	case model.KindAgency:
		if x, ok := sn.agency(id); ok {
			name = x.Label(lang)
		}
	case model.KindSDGTarget:
		if t, ok := s.cat.SDGTarget(id); ok {
			name = t.Label(lang)
		}
	}
	if id == model.UnmappedID {
		return s.msg.must(lang, "label.unmapped")
	}
	if name == "" {
		return id
	}
	return name
}

// cache holds the latest snapshot of each portfolio and a few scenario
// results. A snapshot is keyed by portfolio version: a page first reads the
// portfolio list (which the top bar needs anyway) and so knows the current
// version without loading the portfolio.
type cache struct {
	mu        sync.Mutex
	snapshots map[string]*snapshot
	loading   map[string]*loadCall
	scenarios *lru
}

type loadCall struct {
	done    chan struct{}
	version int
	sn      *snapshot
	err     error
}

func newCache() *cache {
	return &cache{snapshots: map[string]*snapshot{}, loading: map[string]*loadCall{}, scenarios: newLRU(64)}
}

// portfolioInfo finds id among the stored portfolios.
func (s *Server) portfolioInfo(ctx context.Context, id string) (model.PortfolioInfo, []model.PortfolioInfo, error) {
	infos, err := s.store.ListPortfolios(ctx)
	if err != nil {
		return model.PortfolioInfo{}, nil, err
	}
	for _, in := range infos {
		if in.ID == id {
			return in, infos, nil
		}
	}
	return model.PortfolioInfo{}, infos, model.Errorf(model.ENOTFOUND, "no portfolio %q", id)
}

// snapshot is the current snapshot of portfolio id, and the list of every
// portfolio (for the switcher).
func (s *Server) snapshot(ctx context.Context, id string) (*snapshot, []model.PortfolioInfo, error) {
	info, infos, err := s.portfolioInfo(ctx, id)
	if err != nil {
		return nil, infos, err
	}
	sn, err := s.snapshotAt(ctx, info)
	return sn, infos, err
}

// snapshotAt is the snapshot of the portfolio want describes, at its version
// (or later, if the portfolio changed meanwhile). A zero CreatedAt in want
// matches any; else it must match too, so that a portfolio deleted and made
// again is never served from the old one's snapshot. Concurrent requests for
// a version not yet cached share one load.
func (s *Server) snapshotAt(ctx context.Context, want model.PortfolioInfo) (*snapshot, error) {
	id, version := want.ID, want.Version
	matches := func(in model.PortfolioInfo) bool {
		return in.Version == version && (want.CreatedAt.IsZero() || in.CreatedAt.Equal(want.CreatedAt))
	}
	c := s.cache
	c.mu.Lock()
	if sn, ok := c.snapshots[id]; ok && matches(sn.Info) {
		c.mu.Unlock()
		return sn, nil
	}
	if call, ok := c.loading[id]; ok && call.version >= version {
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.sn, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &loadCall{done: make(chan struct{}), version: version}
	c.loading[id] = call
	c.mu.Unlock()

	raw, info, err := s.store.GetPortfolio(context.WithoutCancel(ctx), id)
	if err == nil {
		call.sn = s.newSnapshot(raw, info)
	}
	call.err = err
	c.mu.Lock()
	if err == nil {
		c.snapshots[id] = call.sn
	}
	if c.loading[id] == call {
		delete(c.loading, id)
	}
	c.mu.Unlock()
	close(call.done)
	return call.sn, err
}

// forget drops a deleted portfolio's snapshot.
func (c *cache) forget(id string) {
	c.mu.Lock()
	delete(c.snapshots, id)
	c.mu.Unlock()
}

// scenario is a what-if on a portfolio's settings (the scenario panel and
// the savings API): nil fields keep the portfolio's own settings.
type scenario struct {
	DiscountRate *float64
	HorizonYears *int
	OptimismBias *float64
	Siloed       []string // blocks not shared, sorted
	MonteCarlo   int      // draws; 0 for none
	Seed         int64
}

// options applies the scenario to the portfolio's effective settings.
func (sc scenario) options(base model.Options) model.Options {
	o := base
	if sc.DiscountRate != nil {
		o.DiscountRate = *sc.DiscountRate
	}
	if sc.HorizonYears != nil {
		o.HorizonYears = *sc.HorizonYears
	}
	if sc.OptimismBias != nil {
		o.OptimismBias = *sc.OptimismBias
	}
	if len(sc.Siloed) > 0 {
		o.Siloed = map[string]bool{}
		for _, b := range sc.Siloed {
			o.Siloed[b] = true
		}
	}
	return o
}

// isBase reports whether the scenario changes nothing.
func (sc scenario) isBase(base model.Options) bool {
	o := sc.options(base)
	return o.DiscountRate == base.DiscountRate && o.HorizonYears == base.HorizonYears &&
		o.OptimismBias == base.OptimismBias && len(o.Siloed) == 0 && sc.MonteCarlo == 0
}

func (sc scenario) key(id string, version int) string {
	f := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	h := "-"
	if sc.HorizonYears != nil {
		h = strconv.Itoa(*sc.HorizonYears)
	}
	return fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00%s\x00%s\x00%d\x00%d", id, version, f(sc.DiscountRate), h, f(sc.OptimismBias),
		strings.Join(sc.Siloed, ","), sc.MonteCarlo, sc.Seed)
}

// scenarioResult is the cost model's result for a scenario, with Monte
// Carlo and tornado when asked.
type scenarioResult struct {
	Options model.Options
	Result  *model.Result

	jsonOnce sync.Once
	json     []byte
	jsonErr  error
}

// JSON is the result as the savings API writes it (cost-model.md §9),
// encoded once: for a 5,000-programme portfolio it is megabytes.
func (r *scenarioResult) JSON() ([]byte, error) {
	r.jsonOnce.Do(func() { r.json, r.jsonErr = encodeJSON(r.Result) })
	return r.json, r.jsonErr
}

// maxIterations bounds a Monte Carlo request.
const maxIterations = 100000

// compute is the cost model's result for portfolio sn under sc: the cached
// snapshot's own result when sc changes nothing, else model.Compute (and
// MonteCarlo, Tornado) with the scenario's options, cached.
func (s *Server) compute(sn *snapshot, sc scenario) (*scenarioResult, error) {
	if !sn.Valid() {
		return nil, sn.Problems.Err("portfolio " + sn.Info.ID)
	}
	if sc.isBase(sn.Options) {
		return sn.base, nil
	}
	opt := sc.options(sn.Options)
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	for _, b := range sc.Siloed {
		if _, ok := sn.block(b); !ok {
			return nil, (model.Problems{{Severity: model.SeverityError, Code: "unknown-reference", Kind: "settings",
				Field: "siloed", Value: b, Message: fmt.Sprintf("block %q is not in the portfolio", b)}}).Err("scenario")
		}
	}
	key := sc.key(sn.Info.ID, sn.Info.Version)
	if v, ok := s.cache.scenarios.get(key); ok {
		return v.(*scenarioResult), nil
	}
	res := model.Compute(sn.Resolved, opt)
	res.Warnings = sn.Result.Warnings
	if sc.MonteCarlo > 0 {
		res.MonteCarlo = model.MonteCarlo(sn.Resolved, opt, sc.MonteCarlo, sc.Seed)
		res.Tornado = model.Tornado(sn.Resolved, opt)
	}
	out := &scenarioResult{Options: opt, Result: res}
	s.cache.scenarios.put(key, out)
	return out, nil
}

// lru is a small least-recently-used map.
type lru struct {
	mu    sync.Mutex
	max   int
	order *list.List
	items map[string]*list.Element
}

type lruEntry struct {
	key string
	val any
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (l *lru) get(key string) (any, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[key]; ok {
		l.order.MoveToFront(e)
		return e.Value.(*lruEntry).val, true
	}
	return nil, false
}

func (l *lru) put(key string, val any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[key]; ok {
		e.Value.(*lruEntry).val = val
		l.order.MoveToFront(e)
		return
	}
	l.items[key] = l.order.PushFront(&lruEntry{key, val})
	for l.order.Len() > l.max {
		last := l.order.Back()
		l.order.Remove(last)
		delete(l.items, last.Value.(*lruEntry).key)
	}
}

// sortedUnique sorts and dedupes ids.
func sortedUnique(ids []string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return slices.Compact(out)
}

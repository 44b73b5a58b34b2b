package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/importers"
	"blockplan/model"
)

// dashboardPage is a portfolio's headline figures, charts and largest
// savings.
type dashboardPage struct {
	Base
	PID          string
	Name         string
	Country      string
	Valid        bool
	Errors       model.Problems
	Settings     model.ResultSettings
	Totals       model.Totals
	Shared       model.Appraisal
	Siloed       model.Appraisal
	Warnings     int
	Gaps         int
	Counts       counts
	TopBlocks    []blockRow
	SavingsChart any
	YearlyChart  any
	SankeyChart  any
	SankeyShown  int
	SankeyTotal  int
	HasRanges    bool
}

type counts struct{ Goals, Programmes, UseCases, Workflows, Blocks, Agencies int }

type blockRow struct {
	Node      nodeView
	Consumers int
	PVSiloed  float64
	PVShared  float64
	Savings   float64
	Siloed    bool // forced siloed in the scenario
}

func (s *Server) dashboard(c *gin.Context) error {
	sn, infos, err := s.portfolioSnapshot(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	p := &dashboardPage{Base: s.portfolioBase(c, sn, infos, sn.Info.Label(lang), "dashboard"), PID: sn.Info.ID, Name: sn.Info.Label(lang),
		Country: sn.Resolved.Country, Valid: sn.Valid(), Errors: sn.Problems.Errors(), Warnings: len(sn.Problems.Warnings()),
		Gaps: sn.Gaps.Count(), HasRanges: sn.hasRanges,
		Counts: counts{len(sn.Resolved.Goals), len(sn.Resolved.Programmes), len(sn.Resolved.UseCases), len(sn.Resolved.Workflows),
			len(sn.Resolved.Blocks), len(sn.Resolved.Agencies)}}
	if sn.Valid() {
		res := sn.Result
		p.Settings, p.Totals, p.Shared, p.Siloed = res.Settings, res.Totals, res.Appraisal.Shared, res.Appraisal.Siloed
		p.TopBlocks = s.blockRows(sn, lang, res, 10)
		if p.Charts {
			p.UsesCharts = true
			p.SavingsChart = s.savingsByBlockChart(sn, res, lang)
			p.YearlyChart = s.yearlyChart(sn, res, lang)
			p.SankeyChart, p.SankeyShown, p.SankeyTotal = s.sankeyChart(sn, res, lang)
		}
	}
	return s.render(c, http.StatusOK, "dashboard", p)
}

// blockRows are the blocks in use, largest savings first, at most n (all
// when n is 0).
func (s *Server) blockRows(sn *snapshot, lang string, res *model.Result, n int) []blockRow {
	var rows []blockRow
	for _, b := range res.Blocks {
		if b.Consumers == 0 {
			continue
		}
		rows = append(rows, blockRow{Node: s.node(sn, lang, model.KindBlock, b.ID), Consumers: b.Consumers,
			PVSiloed: b.PVSiloed, PVShared: b.PVShared, Savings: b.Savings, Siloed: b.ForcedSiloed})
	}
	byDesc(rows, func(r blockRow) float64 { return r.Savings }, func(r blockRow) string { return r.Node.ID })
	if n > 0 && len(rows) > n {
		rows = rows[:n]
	}
	return rows
}

// scenarioPage is the scenario panel: the settings and the shared/siloed
// choice of each block, the figures they give next to the portfolio's own,
// and Monte Carlo when amounts have ranges.
type scenarioPage struct {
	Base
	PID          string
	Valid        bool
	Errors       model.Problems
	Form         scenarioForm
	Blocks       []scenarioBlock
	Problems     []string
	Baseline     *model.Result
	Scenario     *model.Result
	HasRanges    bool
	MonteCarlo   *model.MonteCarloResult
	Tornado      []tornadoRow
	TornadoChart any
	SavingsChart any
	ResetURL     string
}

// mcByDefaultUpTo is the largest portfolio (in programmes) whose scenario
// panel runs Monte Carlo without being asked: on a 5,000-programme
// portfolio 10,000 draws take seconds, so the planner ticks the box.
const mcByDefaultUpTo = 1000

// scenarioForm is the scenario panel's form, as typed. It is a GET form:
// a scenario is a view, and its URL can be shared.
type scenarioForm struct {
	DiscountRate string   `form:"discount_rate"` // percent
	HorizonYears string   `form:"horizon_years"`
	OptimismBias string   `form:"optimism_bias"` // percent
	Submitted    bool     `form:"scenario"`
	Shared       []string `form:"shared"`
	Siloed       []string `form:"siloed"`
	MonteCarlo   bool     `form:"mc"`
	Seed         string   `form:"seed"`
}

// tornadoRow is a tornado row with its parameter named for people.
type tornadoRow struct {
	Label            string
	Low, High, Swing float64
}

// paramLabel names a tornado parameter ("block:payments:build_cost") for
// people: "Payments — build cost".
func (s *Server) paramLabel(sn *snapshot, lang, param string) string {
	kind, rest, ok1 := strings.Cut(param, ":")
	i := strings.LastIndexByte(rest, ':')
	if !ok1 || i < 0 {
		return param
	}
	return s.label(sn, lang, kind, rest[:i]) + " — " + s.fieldName(lang, rest[i+1:])
}

type scenarioBlock struct {
	Node      nodeView
	Shared    bool
	Consumers int
}

// percentInput writes a rate as the percentage the form shows ("3.5").
func percentInput(v float64, lang string) string {
	return inputNumber(roundTo(v*100, 6), lang)
}

func roundTo(v float64, digits int) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', digits, 64), 64)
	return f
}

// parsePercent reads "3.5", "3,5" or "3,5 %" as 0.035.
func parsePercent(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	x, err := importers.ParseNumber(s)
	if err != nil {
		return 0, err
	}
	return x / 100, nil
}

func (s *Server) scenarioPage(c *gin.Context) error {
	sn, infos, err := s.portfolioSnapshot(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	var f scenarioForm
	if err := c.ShouldBindQuery(&f); err != nil {
		return malformed(err.Error(), nil)
	}
	p := &scenarioPage{Base: s.portfolioBase(c, sn, infos, s.msg.must(lang, "nav.scenario")+" — "+sn.Info.Label(lang), "scenario"),
		PID: sn.Info.ID, Valid: sn.Valid(), Errors: sn.Problems.Errors(), HasRanges: sn.hasRanges,
		ResetURL: u("portfolios", sn.Info.ID, "scenario")}
	if !sn.Valid() {
		return s.render(c, http.StatusOK, "scenario", p)
	}
	sc, problems := s.scenarioFromForm(sn, f, lang)
	if !f.Submitted && c.Query("mc") == "" {
		sc.MonteCarlo = 0
		if sn.hasRanges && len(sn.Resolved.Programmes) <= mcByDefaultUpTo {
			sc.MonteCarlo, sc.Seed = model.DefaultIterations, model.DefaultSeed
			f.MonteCarlo = true
		}
	}
	// The form shows what is in force: the portfolio's settings where the
	// user typed nothing.
	if f.DiscountRate == "" {
		f.DiscountRate = percentInput(sn.Options.DiscountRate, lang)
	}
	if f.HorizonYears == "" {
		f.HorizonYears = strconv.Itoa(sn.Options.HorizonYears)
	}
	if f.OptimismBias == "" {
		f.OptimismBias = percentInput(sn.Options.OptimismBias, lang)
	}
	p.Form = f
	p.Baseline = sn.Result
	status := http.StatusOK
	if len(problems) > 0 {
		p.Problems = problems
		status = http.StatusUnprocessableEntity
		sc = scenario{}
	}
	r, err := s.compute(sn, sc)
	if err != nil {
		if model.ErrorCode(err) != model.EINVALID {
			return err
		}
		for _, pr := range model.ErrorDetails(err) {
			p.Problems = append(p.Problems, joinWhere(s.fieldName(lang, pr.Field), s.problemText(lang, pr)))
		}
		status = http.StatusUnprocessableEntity
		if r, err = s.compute(sn, scenario{}); err != nil {
			return err
		}
	}
	p.Scenario = r.Result
	siloed := map[string]bool{}
	for _, b := range sc.Siloed {
		siloed[b] = true
	}
	for _, b := range sn.Result.Blocks {
		if b.Consumers == 0 {
			continue
		}
		p.Blocks = append(p.Blocks, scenarioBlock{Node: s.node(sn, lang, model.KindBlock, b.ID), Shared: !siloed[b.ID], Consumers: b.Consumers})
	}
	if mc := r.Result.MonteCarlo; mc != nil {
		p.MonteCarlo = mc
		for i, t := range r.Result.Tornado {
			if i == 10 {
				break
			}
			p.Tornado = append(p.Tornado, tornadoRow{Label: s.paramLabel(sn, lang, t.Parameter), Low: t.Low, High: t.High, Swing: t.Swing})
		}
		if p.Charts && len(r.Result.Tornado) > 0 {
			p.TornadoChart = s.tornadoChart(sn, lang, r.Result.Tornado)
		}
	}
	if p.Charts {
		p.UsesCharts = true
		p.SavingsChart = s.savingsByBlockChart(sn, r.Result, lang)
	}
	return s.render(c, status, "scenario", p)
}

// scenarioFromForm reads the scenario panel's form. Problems are values
// that cannot be read, in lang.
func (s *Server) scenarioFromForm(sn *snapshot, f scenarioForm, lang string) (scenario, []string) {
	var sc scenario
	var problems []string
	bad := func(field string, err error) {
		problems = append(problems, s.fieldName(lang, field)+" : "+err.Error())
	}
	if strings.TrimSpace(f.DiscountRate) != "" {
		if x, err := parsePercent(f.DiscountRate); err != nil {
			bad("discount_rate", err)
		} else if x != sn.Options.DiscountRate {
			sc.DiscountRate = &x
		}
	}
	if strings.TrimSpace(f.HorizonYears) != "" {
		if n, err := importers.ParseWhole(f.HorizonYears); err != nil {
			bad("horizon_years", err)
		} else if n != sn.Options.HorizonYears {
			sc.HorizonYears = &n
		}
	}
	if strings.TrimSpace(f.OptimismBias) != "" {
		if x, err := parsePercent(f.OptimismBias); err != nil {
			bad("optimism_bias", err)
		} else if x != sn.Options.OptimismBias {
			sc.OptimismBias = &x
		}
	}
	siloed := slices.Clone(f.Siloed)
	if f.Submitted {
		shared := map[string]bool{}
		for _, b := range f.Shared {
			shared[b] = true
		}
		for _, b := range sn.Result.Blocks {
			if b.Consumers > 0 && !shared[b.ID] {
				siloed = append(siloed, b.ID)
			}
		}
	}
	sc.Siloed = sortedUnique(siloed)
	if f.MonteCarlo {
		sc.MonteCarlo = model.DefaultIterations
		sc.Seed = model.DefaultSeed
		if f.Seed != "" {
			if n, err := strconv.ParseInt(strings.TrimSpace(f.Seed), 10, 64); err == nil {
				sc.Seed = n
			} else {
				bad("seed", err)
			}
		}
	}
	return sc, problems
}

// gapsPage lists what breaks the line from goals to blocks, and every
// validation warning.
type gapsPage struct {
	Base
	PID      string
	Sections []gapSection
	Warnings model.Problems
	Errors   model.Problems
	Total    int
}

type gapSection struct {
	Key   string // message key of the heading
	Help  string // message key of the explanation
	Nodes []nodeView
	Links [][2]nodeView
	More  int
}

const maxGapRows = 200

func (s *Server) gapsPage(c *gin.Context) error {
	sn, infos, err := s.portfolioSnapshot(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	p := &gapsPage{Base: s.portfolioBase(c, sn, infos, s.msg.must(lang, "nav.gaps")+" — "+sn.Info.Label(lang), "gaps"), PID: sn.Info.ID,
		Warnings: sn.Problems.Warnings(), Errors: sn.Problems.Errors(), Total: sn.Gaps.Count()}
	g := sn.Gaps
	nodesSection := func(key string, refs []model.NodeRef) {
		sec := gapSection{Key: "gaps." + key, Help: "gaps." + key + ".help"}
		for _, r := range refs {
			if len(sec.Nodes) >= maxGapRows {
				sec.More++
				continue
			}
			sec.Nodes = append(sec.Nodes, s.node(sn, lang, r.Kind, r.ID))
		}
		p.Sections = append(p.Sections, sec)
	}
	nodesSection("goals_without_programmes", g.GoalsWithoutProgrammes)
	nodesSection("programmes_without_goals", g.ProgrammesWithoutGoals)
	nodesSection("programmes_without_use_cases", g.ProgrammesWithoutUseCases)
	nodesSection("use_cases_without_workflows", g.UseCasesWithoutWorkflows)
	links := gapSection{Key: "gaps.untraced_links", Help: "gaps.untraced_links.help"}
	for _, e := range g.UntracedLinks {
		if len(links.Links) >= maxGapRows {
			links.More++
			continue
		}
		links.Links = append(links.Links, [2]nodeView{s.node(sn, lang, e.From.Kind, e.From.ID), s.node(sn, lang, e.To.Kind, e.To.ID)})
	}
	p.Sections = append(p.Sections, links)
	nodesSection("blocks_without_cost", g.BlocksWithoutCost)
	if len(p.Warnings) > 500 {
		p.Warnings = p.Warnings[:500]
	}
	return s.render(c, http.StatusOK, "gaps", p)
}

package web

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/importers"
	"blockplan/model"
	"blockplan/reports"
)

// The investment roadmap: which building blocks to fund first as shared
// infrastructure. model.Roadmap traces the efficient frontier (the best set
// of blocks for every budget) and chooses the set for the budget a planner
// types; the page draws the frontier with reports.FrontierChart, lists its
// points, and says what each chosen block serves.

// maxFrontierRows bounds the frontier table; the chart draws every point.
const maxFrontierRows = 60

// roadmapPage is the roadmap of one portfolio, for the budget typed (none:
// the frontier alone).
type roadmapPage struct {
	Base
	PID    string
	Valid  bool
	Errors model.Problems
	// Budget is the budget as typed, BudgetError why it could not be read.
	Budget      string
	BudgetError string
	HasBudget   bool
	Result      *model.RoadmapResult
	Left        float64 // budget not spent by the chosen set
	Chosen      []chosenBlock
	Frontier    []frontierRow
	FrontierAll int
	Chart       any
	Warnings    []string
}

// chosenBlock is one block of the chosen set: its cost and savings, and the
// programmes and goals it serves (the first maxServes of each; the block's
// page lists them all).
type chosenBlock struct {
	Node           nodeView
	Cost           float64
	Savings        float64
	Programmes     []nodeView
	MoreProgrammes int
	Goals          []nodeView
	MoreGoals      int
}

// maxServes bounds the programmes and goals listed for a chosen block: on a
// large portfolio a block serves thousands.
const maxServes = 12

// firstN is ids cut to n, and how many were cut.
func firstN(ids []string, n int) ([]string, int) {
	if len(ids) <= n {
		return ids, 0
	}
	return ids[:n], len(ids) - n
}

// frontierRow is one point of the frontier. Its blocks are names, not
// links: a long frontier lists most blocks on most rows, and the chosen
// set's table links each.
type frontierRow struct {
	Cost, Savings float64
	Share         *float64
	Blocks        string
	Chosen        bool // the point of the budget's chosen set
}

// parseBudget reads a budget as an analyst types it ("1 500 000 000",
// "1,500,000,000", "1.5e9"); "" is no budget.
func parseBudget(s string) (*float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := importers.ParseNumber(s)
	if err != nil {
		return nil, model.Errorf(model.EINVALID, "%s", err.Error())
	}
	if v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return nil, model.Errorf(model.EINVALID, "a budget is a positive amount")
	}
	return &v, nil
}

func (s *Server) roadmapPage(c *gin.Context) error {
	sn, infos, err := s.portfolioSnapshot(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	title := s.msg.must(lang, "nav.roadmap")
	p := &roadmapPage{Base: s.portfolioBase(c, sn, infos, title+" — "+sn.Info.Label(lang), "roadmap"), PID: sn.Info.ID,
		Valid: sn.Valid(), Errors: sn.Problems.Errors(), Budget: c.Query("budget")}
	if !sn.Valid() {
		return s.render(c, http.StatusOK, "roadmap", p)
	}
	status := http.StatusOK
	budget, err := parseBudget(p.Budget)
	if err != nil {
		p.BudgetError = s.msg.must(lang, "roadmap.bad_budget", model.ErrorMessage(err))
		status = http.StatusUnprocessableEntity
	}
	rm := model.Roadmap(sn.Result, budget)
	p.Result, p.HasBudget = rm, budget != nil
	for _, w := range sn.Result.Warnings {
		p.Warnings = append(p.Warnings, reports.WarningText(w, lang))
	}
	if budget != nil {
		p.Left = *budget - rm.Cost
		for _, id := range rm.Chosen {
			cb := chosenBlock{Node: s.node(sn, lang, model.KindBlock, id)}
			if f := sn.blockFigures(id); f != nil {
				cb.Cost, cb.Savings = f.PVShared, f.Savings
			}
			sv := rm.Serves[id]
			progs, moreProgs := firstN(sv.Programmes, maxServes)
			goals, moreGoals := firstN(sv.Goals, maxServes)
			cb.Programmes, cb.MoreProgrammes = s.nodes(sn, lang, model.KindProgramme, progs), moreProgs
			cb.Goals, cb.MoreGoals = s.nodes(sn, lang, model.KindGoal, goals), moreGoals
			p.Chosen = append(p.Chosen, cb)
		}
	}
	p.FrontierAll = len(rm.Frontier)
	for _, i := range frontierShown(rm, maxFrontierRows) {
		pt := rm.Frontier[i]
		names := make([]string, len(pt.Blocks))
		for j, id := range pt.Blocks {
			names[j] = s.label(sn, lang, model.KindBlock, id)
		}
		row := frontierRow{Cost: pt.Cost, Savings: pt.Savings, Blocks: strings.Join(names, " · "),
			Chosen: budget != nil && len(rm.Chosen) > 0 && pt.Cost == rm.Cost && pt.Savings == rm.Savings}
		if rm.PossibleSavings > 0 {
			share := pt.Savings / rm.PossibleSavings
			row.Share = &share
		}
		p.Frontier = append(p.Frontier, row)
	}
	if p.Charts && len(rm.Frontier) > 0 {
		p.UsesCharts = true
		if p.Chart, err = frontierChart(sn, rm, lang); err != nil {
			return err
		}
	}
	return s.render(c, status, "roadmap", p)
}

// frontierShown is the frontier points the table lists: all of them up to
// n, else n spread evenly, with the last and the budget's own point.
func frontierShown(rm *model.RoadmapResult, n int) []int {
	total := len(rm.Frontier)
	var out []int
	if total <= n {
		for i := range total {
			out = append(out, i)
		}
		return out
	}
	step := float64(total-1) / float64(n-1)
	seen := map[int]bool{}
	for k := range n {
		i := int(math.Round(float64(k) * step))
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	if rm.Budget != nil {
		for i, pt := range rm.Frontier {
			if pt.Cost == rm.Cost && pt.Savings == rm.Savings && !seen[i] {
				out = append(out, i)
				seen[i] = true
			}
		}
	}
	sortInts(out)
	return out
}

func sortInts(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// frontierChart is reports.FrontierChart's option as the page's script
// draws it: its tooltips drawn as plain text on the canvas (never as HTML:
// a point's name lists block names), its money axes in the page's compact
// numbers, and no title (the page's caption says it).
func frontierChart(sn *snapshot, rm *model.RoadmapResult, lang string) (chartOptions, error) {
	ch := reports.FrontierChart(reports.Input{Portfolio: sn.Resolved, Result: sn.Result, Lang: lang, Roadmap: rm})
	data, err := json.Marshal(ch.JSON())
	if err != nil {
		return nil, err
	}
	var o chartOptions
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, err
	}
	delete(o, "title")
	o["bp"] = map[string]any{"lang": lang, "tooltip": "item"}
	o["tooltip"] = map[string]any{"trigger": "item", "renderMode": "richText", "confine": true}
	for _, k := range []string{"xAxis", "yAxis"} {
		axes, _ := o[k].([]any)
		for _, a := range axes {
			ax, ok := a.(map[string]any)
			if !ok || ax["type"] != "value" {
				continue
			}
			lab, _ := ax["axisLabel"].(map[string]any)
			if lab == nil {
				lab = map[string]any{}
			}
			if _, has := lab["formatter"]; !has {
				lab["bpFormat"] = "compact"
			}
			ax["axisLabel"] = lab
		}
	}
	return o, nil
}

func (s *Server) apiRoadmap(c *gin.Context) error {
	sn, _, err := s.snapshot(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	q := c.Query("budget")
	budget, err := parseBudget(q)
	if err != nil {
		return malformed("budget must be an amount in the portfolio's currency (present value): "+model.ErrorMessage(err),
			model.Problems{{Severity: model.SeverityError, Code: "bad-parameter", Field: "budget", Value: q, Message: model.ErrorMessage(err)}})
	}
	if !sn.Valid() {
		return sn.Problems.Err("portfolio " + sn.Info.ID)
	}
	writeJSON(c, http.StatusOK, model.Roadmap(sn.Result, budget))
	return nil
}

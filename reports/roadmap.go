package reports

import (
	"slices"
	"sort"
	"strings"

	"blockplan/model"
)

// This file is the investment roadmap as every format shows it: which
// frontier points the tables list, how a row names its blocks, and the PDF
// section. The roadmap itself (model.Roadmap) is the model's; nothing here
// chooses a block.

// Rows of the frontier table: every point up to these, then a selection at
// evenly spaced budgets (the workbook always lists every point).
const (
	maxFrontierRowsPDF  = 30
	maxFrontierRowsHTML = 100
)

// roadmap is Input.Roadmap, or the model's roadmap for no budget.
func (v *view) roadmap() *model.RoadmapResult {
	if v.rm == nil {
		v.rm = v.in.Roadmap
		if v.rm == nil {
			v.rm = model.Roadmap(v.r, nil)
		}
	}
	return v.rm
}

// frontierRow is one point of the frontier as a table shows it.
type frontierRow struct {
	index  int // in RoadmapResult.Frontier
	pt     model.FrontierPoint
	share  *float64 // of the possible savings
	nested bool     // the previous row's set is part of this one
	added  []string // this set less the previous row's, when nested
}

// frontierShare is a point's savings over the possible savings.
func frontierShare(rm *model.RoadmapResult, savings float64) *float64 {
	if rm.PossibleSavings <= 0 {
		return nil
	}
	s := savings / rm.PossibleSavings
	return &s
}

// budgetIndex is the index of the frontier point that is best for the
// roadmap's budget, −1 when there is no budget or no point within it.
func budgetIndex(rm *model.RoadmapResult) int {
	if rm.Budget == nil {
		return -1
	}
	return sort.Search(len(rm.Frontier), func(i int) bool { return rm.Frontier[i].Cost > *rm.Budget }) - 1
}

// chosenIndex is the index of the frontier point that is the chosen set
// for the budget, −1 when none is (no budget, or a set found off a thinned
// frontier).
func chosenIndex(rm *model.RoadmapResult) int {
	i := budgetIndex(rm)
	if i < 0 || !slices.Equal(rm.Frontier[i].Blocks, rm.Chosen) {
		return -1
	}
	return i
}

// frontierRows are the points a table lists: all of them when there are at
// most limit, else the first and the last, the point for the budget and the
// best point within evenly spaced budgets (limit ≤ 0: all). Each row names
// the blocks it adds to the row above when that row's set is part of its
// own, and its whole set otherwise.
func (v *view) frontierRows(limit int) []frontierRow {
	rm := v.roadmap()
	n := len(rm.Frontier)
	var idx []int
	if limit <= 0 || n <= limit {
		idx = make([]int, n)
		for i := range idx {
			idx[i] = i
		}
	} else {
		pick := map[int]bool{0: true, n - 1: true}
		if b := budgetIndex(rm); b >= 0 {
			pick[b] = true
		}
		top := rm.Frontier[n-1].Cost
		for k := 1; len(pick) < limit && k < limit-1; k++ {
			at := top * float64(k) / float64(limit-1)
			i := sort.Search(n, func(i int) bool { return rm.Frontier[i].Cost > at }) - 1
			pick[max(i, 0)] = true
		}
		for i := range pick {
			idx = append(idx, i)
		}
		slices.Sort(idx)
	}
	rows := make([]frontierRow, len(idx))
	var prev []string
	for k, i := range idx {
		pt := rm.Frontier[i]
		r := frontierRow{index: i, pt: pt, share: frontierShare(rm, pt.Savings)}
		if k > 0 && subset(prev, pt.Blocks) {
			r.nested = true
			for _, b := range pt.Blocks {
				if !slices.Contains(prev, b) {
					r.added = append(r.added, b)
				}
			}
		}
		rows[k] = r
		prev = pt.Blocks
	}
	return rows
}

// subset reports whether every element of a is in b.
func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// blockList is block names joined with commas, or "none".
func (v *view) blockList(ids []string) string {
	if len(ids) == 0 {
		return v.tr("none")
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = v.blockName(id)
	}
	return strings.Join(names, ", ")
}

// change is what a frontier row says of its blocks: "+ Payments" when it adds
// to the row above, the whole set otherwise.
func (v *view) change(r frontierRow) string {
	if r.nested && len(r.added) > 0 {
		return "+ " + v.blockList(r.added)
	}
	return v.blockList(r.pt.Blocks)
}

// roadmapSummary is the sentences that open the roadmap: what sharing every
// block that saves would cost and save, and the chosen set for the budget.
func (v *view) roadmapSummary() []string {
	rm := v.roadmap()
	if rm.Candidates == 0 || len(rm.Frontier) == 0 {
		return []string{v.tr("roadmap_none")}
	}
	last := rm.Frontier[len(rm.Frontier)-1]
	out := []string{v.trf("roadmap_all", rm.Candidates, v.moneyC(last.Cost), v.moneyC(last.Savings))}
	if rm.Budget != nil {
		if len(rm.Chosen) == 0 {
			out = append(out, v.trf("roadmap_budget_none", v.moneyC(*rm.Budget)))
		} else {
			out = append(out, v.trf("roadmap_budget", v.moneyC(*rm.Budget), len(rm.Chosen), v.moneyC(rm.Cost),
				v.moneyC(rm.Savings), v.optPct(rm.Share)))
		}
		if !rm.Exact {
			out = append(out, v.tr("roadmap_not_exact"))
		}
	}
	return out
}

// goalList is goal ids joined with commas, "_unmapped" in words.
func (v *view) goalList(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if id == model.UnmappedID {
			out[i] = v.tr("unmapped_goal")
		}
	}
	if len(out) == 0 {
		return v.tr("none")
	}
	return strings.Join(out, ", ")
}

// chosenRow is one block of the chosen set.
type chosenRow struct {
	id               string
	cost, savings    float64
	programmes, goal string
}

// maxServedListed bounds the programmes a page lists for one chosen block
// (a national plan's shared block may serve hundreds); the workbook lists
// them all.
const maxServedListed = 15

// chosenRows are the blocks chosen for the budget, in the roadmap's order,
// with what each serves: at most limit programmes each (limit ≤ 0: all).
func (v *view) chosenRows(limit int) []chosenRow {
	rm := v.roadmap()
	var out []chosenRow
	for _, id := range rm.Chosen {
		r := chosenRow{id: id}
		if bf := v.blockFig[id]; bf != nil {
			r.cost, r.savings = bf.PVShared, bf.Savings
		}
		s := rm.Serves[id]
		progs := s.Programmes
		if limit > 0 && len(progs) > limit {
			progs = progs[:limit]
		}
		r.programmes = strings.Join(progs, ", ")
		if more := len(s.Programmes) - len(progs); more > 0 {
			r.programmes += " " + v.trf("and_more", more)
		}
		if r.programmes == "" {
			r.programmes = v.tr("none")
		}
		r.goal = v.goalList(s.Goals)
		out = append(out, r)
	}
	return out
}

func (d *pdfDoc) roadmapSection() {
	rm := d.roadmap()
	// The heading, the sentences under it and the chart on one page.
	d.need(150)
	d.heading(d.tr("roadmap"), 0, 40)
	if rm.Candidates == 0 || len(rm.Frontier) == 0 {
		d.para(d.tr("roadmap_none"))
		return
	}
	d.para(d.tr("roadmap_intro"))
	for _, s := range d.roadmapSummary() {
		d.para(s)
	}
	d.heading(d.tr("frontier_chart"), 1, 95)
	pts := make([]stepPoint, len(rm.Frontier))
	for i, p := range rm.Frontier {
		pts[i] = stepPoint{p.Cost, p.Savings}
	}
	spec := stepChart{points: pts, full: rm.PossibleSavings, xTitle: d.moneyHead("frontier_x"),
		yTitle: d.moneyHead("frontier_y"), rightTitle: d.tr("share_possible")}
	if rm.Budget != nil {
		spec.budget, spec.budgetLabel = rm.Budget, d.tr("budget")+" "+FormatCompact(*rm.Budget, d.lang)
		if len(rm.Chosen) > 0 {
			spec.marker = &stepPoint{rm.Cost, rm.Savings}
		}
	}
	d.stepChart(spec, d.lang)
	note := d.tr("frontier_chart_note")
	if !rm.FrontierComplete {
		note += " " + d.tr("roadmap_thinned")
	}
	d.note(note)

	if rm.Budget != nil && len(rm.Chosen) > 0 {
		d.heading(d.trf("chosen_set", d.moneyC(*rm.Budget)), 1, 30)
		cols := []column{{d.tr("block"), 36, "L"}, {d.moneyHead("pv_shared_short"), 24, "R"}, {d.moneyHead("savings"), 24, "R"},
			{d.tr("serves_programmes"), 0, "L"}, {d.tr("serves_goals"), 34, "L"}}
		var rows []tableRow
		for _, r := range d.chosenRows(maxServedListed) {
			rows = append(rows, tableRow{cells: []string{d.blockName(r.id), d.money(r.cost), d.money(r.savings), r.programmes, r.goal}})
		}
		rows = append(rows, tableRow{bold: true, cells: []string{d.tr("total"), d.money(rm.Cost), d.money(rm.Savings), "", ""}})
		d.table(cols, rows)
	}

	d.heading(d.tr("frontier_table"), 1, 30)
	frows := d.frontierRows(maxFrontierRowsPDF)
	chosen := chosenIndex(rm)
	note = d.tr("frontier_note")
	if chosen >= 0 {
		note += " " + d.tr("frontier_bold")
	}
	if len(frows) < len(rm.Frontier) {
		note += " " + d.trf("frontier_rows", len(frows), len(rm.Frontier))
	}
	d.note(note)
	cols := []column{{d.moneyHead("budget_from"), 27, "R"}, {d.moneyHead("savings"), 27, "R"}, {d.tr("share_short"), 15, "R"},
		{d.tr("n_blocks"), 13, "R"}, {d.tr("blocks_change"), 0, "L"}}
	var rows []tableRow
	for _, r := range frows {
		rows = append(rows, tableRow{bold: r.index == chosen, cells: []string{d.money(max(r.pt.Cost, 0)), d.money(r.pt.Savings),
			d.optPct(r.share), d.num(float64(len(r.pt.Blocks))), d.change(r)}})
	}
	d.table(cols, rows)
}

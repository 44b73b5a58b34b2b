package reports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// SheetRoadmap is the workbook's investment roadmap: the efficient frontier
// and, for a budget, the chosen set. Unlike the other sheets its figures
// are the model's as delivered, not formulas: the roadmap is an
// optimisation over the block figures, which a spreadsheet does not redo.
const SheetRoadmap = "Roadmap"

// Columns of the Roadmap sheet's tables.
const (
	rmCost    = 1 + iota // frontier: budget from; chosen set: block
	rmSavings            // frontier: savings; chosen set: PV shared
	rmShare              // frontier: share of possible savings; chosen set: savings
	rmBlocks             // frontier: number of blocks; chosen set: number of programmes
	rmChange             // frontier: blocks added or whole set; chosen set: programmes served
	rmSet                // frontier: whole set; chosen set: goals served
	_
	rmStepX // chart data: the step line's corners
	rmStepY
)

// Widths of the Roadmap sheet's text columns.
const rmChangeW, rmSetW = 64, 90

// Rows of the Roadmap sheet: key figures from rmKeyRow, the chart beside
// them, the tables from rmTableRow on.
const (
	rmKeyRow      = 5
	rmPossibleRow = rmKeyRow + 1
	rmSummaryRow  = 23 // under the chart
	rmTableRow    = 27
)

// RoadmapFrontierRow0 is the first data row of the frontier table on the
// Roadmap sheet when no budget is given (the chosen set comes before it
// otherwise; see roadmapFrontierRow0).
const RoadmapFrontierRow0 = rmTableRow + 2

func (b *workbook) roadmapFrontierRow0() int {
	rm := b.roadmap()
	if rm.Budget == nil || len(rm.Chosen) == 0 {
		return RoadmapFrontierRow0
	}
	return RoadmapFrontierRow0 + len(rm.Chosen) + 5
}

func (b *workbook) roadmapSheet() {
	s := SheetRoadmap
	st := b.st
	rm := b.roadmap()
	b.set(s, 1, 1, b.tr("roadmap"), st.title)
	b.set(s, 1, 2, b.tr("wb_roadmap_note")+" "+b.trf("amounts_in", orID(b.cur, Dash)), st.note)
	b.header(s, rmKeyRow-1, 1, b.tr("indicator"), "", b.tr("value"))
	possible := abs(rmShare, rmPossibleRow)
	share := func(savings string) string { return fmt.Sprintf(`IF(%s=0,"",%s/%s)`, possible, savings, possible) }
	key := func(r int, label string, v any, style int) {
		b.set(s, 1, r, label, st.text)
		b.set(s, rmShare, r, v, style)
	}
	key(rmKeyRow, b.tr("candidates"), rm.Candidates, st.int)
	key(rmPossibleRow, b.tr("possible_savings"), rm.PossibleSavings, st.money)
	if rm.Budget != nil {
		key(rmPossibleRow+1, b.tr("budget"), *rm.Budget, st.money)
		key(rmPossibleRow+2, b.tr("chosen_short")+" — "+b.tr("pv_shared_short"), rm.Cost, st.money)
		key(rmPossibleRow+3, b.tr("chosen_short")+" — "+b.tr("savings"), rm.Savings, st.money)
		b.set(s, 1, rmPossibleRow+4, b.tr("chosen_short")+" — "+b.tr("share_possible"), st.text)
		b.formula(s, rmShare, rmPossibleRow+4, share(abs(rmShare, rmPossibleRow+3)), st.pct)
	}
	for i, line := range b.roadmapSummary() {
		b.set(s, 1, rmSummaryRow+i, line, st.note)
	}

	r := rmTableRow
	if rm.Budget != nil && len(rm.Chosen) > 0 {
		b.set(s, 1, r, b.trf("chosen_set", b.moneyC(*rm.Budget)), st.textBold)
		b.header(s, r+1, 1, b.tr("block"), b.moneyHead("pv_shared_short"), b.moneyHead("savings"), b.tr("programmes"),
			b.tr("serves_programmes"), b.tr("serves_goals"))
		b.fail(b.f.SetRowHeight(s, r+1, 27))
		for i, c := range b.chosenRows(0) {
			row := r + 2 + i
			b.set(s, rmCost, row, b.blockName(c.id), st.textTop)
			b.set(s, rmSavings, row, c.cost, st.moneyTop)
			b.set(s, rmShare, row, c.savings, st.moneyTop)
			b.set(s, rmBlocks, row, len(rm.Serves[c.id].Programmes), st.intTop)
			b.set(s, rmChange, row, c.programmes, st.wrap)
			b.set(s, rmSet, row, c.goal, st.wrap)
			if lines := max(wrappedLines(c.programmes, rmChangeW), wrappedLines(c.goal, rmSetW)); lines > 1 {
				b.fail(b.f.SetRowHeight(s, row, 13.5*float64(lines)))
			}
		}
		tot := r + 2 + len(rm.Chosen)
		b.set(s, rmCost, tot, b.tr("total"), st.bold)
		b.formula(s, rmSavings, tot, b.colSum(rmSavings, r+2, tot-1), st.moneyBold)
		b.formula(s, rmShare, tot, b.colSum(rmShare, r+2, tot-1), st.moneyBold)
		r = tot + 3
	}

	// The frontier, every point.
	r0 := b.roadmapFrontierRow0()
	b.set(s, 1, r0-2, b.tr("frontier_table")+" — "+b.tr("frontier_note"), st.textBold)
	b.header(s, r0-1, 1, b.moneyHead("budget_from"), b.moneyHead("savings"), b.tr("share_possible"), b.tr("n_blocks"),
		b.tr("blocks_change"), b.tr("whole_set"))
	b.header(s, r0-1, rmStepX, b.tr("wb_step_data")+" — "+b.tr("budget"), b.tr("savings"))
	b.fail(b.f.SetRowHeight(s, r0-1, 27))
	for i, fr := range b.frontierRows(0) {
		row := r0 + i
		b.set(s, rmCost, row, max(fr.pt.Cost, 0), st.money)
		b.set(s, rmSavings, row, fr.pt.Savings, st.money)
		b.formula(s, rmShare, row, share(cell(rmSavings, row)), st.pct)
		b.set(s, rmBlocks, row, len(fr.pt.Blocks), st.intC)
		b.set(s, rmChange, row, b.change(fr), st.text)
		b.set(s, rmSet, row, b.blockList(fr.pt.Blocks), st.text)
	}
	// The step line: each point holds its savings up to the next point's
	// budget, and the last a little beyond.
	n := len(rm.Frontier)
	step := r0
	put := func(x, y float64) {
		b.set(s, rmStepX, step, max(x, 0), st.money)
		b.set(s, rmStepY, step, y, st.money)
		step++
	}
	for i, p := range rm.Frontier {
		if i > 0 {
			put(p.Cost, rm.Frontier[i-1].Savings)
		}
		put(p.Cost, p.Savings)
	}
	if n > 0 {
		put(rm.Frontier[n-1].Cost*1.04, rm.Frontier[n-1].Savings)
	}
	b.widths(s, map[int]float64{rmCost: 30, rmSavings: 20, rmShare: 18, rmBlocks: 11, rmChange: rmChangeW, rmSet: rmSetW,
		rmStepX: 20, rmStepY: 20})
	b.freeze(s, 0, 2)
	if n < 2 {
		return
	}
	series := []excelize.ChartSeries{{
		Name:       ref(s, abs(rmSavings, r0-1)),
		Categories: rng(s, rmStepX, r0, rmStepX, step-1),
		Values:     rng(s, rmStepY, r0, rmStepY, step-1),
		Line:       excelize.LineOptions{Type: excelize.LineSolid, Width: 2},
		Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2A9D8F"}},
		Marker:     excelize.ChartMarker{Symbol: "none"},
	}}
	if rm.Budget != nil && len(rm.Chosen) > 0 {
		series = append(series, excelize.ChartSeries{
			Name:       ref(s, abs(1, rmPossibleRow+2)),
			Categories: rng(s, rmShare, rmPossibleRow+2, rmShare, rmPossibleRow+2),
			Values:     rng(s, rmShare, rmPossibleRow+3, rmShare, rmPossibleRow+3),
			Line:       excelize.LineOptions{Type: excelize.LineNone},
			Marker: excelize.ChartMarker{Symbol: "circle", Size: 9,
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E76F51"}}},
		})
	}
	xt := niceTicks(0, max(rm.Frontier[n-1].Cost*1.04, 1e-9), 6)
	b.fail(b.f.AddChart(s, cell(rmChange, rmKeyRow-1), &excelize.Chart{
		Type:      excelize.Scatter,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.tr("frontier_chart")}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 760, Height: 340},
		XAxis: excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}, Minimum: ptr(0.0), Maximum: ptr(xt[len(xt)-1]),
			Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.moneyHead("frontier_x")}}}},
		YAxis: excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}, Minimum: ptr(0.0), MajorGridLines: true,
			Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.moneyHead("frontier_y")}}}},
	}))
}

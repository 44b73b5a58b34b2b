package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"blockplan/model"
)

// The go-echarts charts of the HTML report, exported for the web app's
// dashboard. go-echarts renders pages that load ECharts from a CDN; neither
// the report nor the web app uses that: they take the chart's option with
// ChartJSON and hand it to the ECharts bundle they embed (reports/assets).
// Series data are float64 (go-echarts' own node and link types hold float32,
// which would round large amounts), and every text is the user's, so
// ChartJSON escapes it for a <script> element.

// Chart colours, shared with the PDF.
const (
	hexSiloed   = "#E76F51"
	hexShared   = "#2A9D8F"
	hexOwn      = "#A0A8B0"
	hexBenefit  = "#264653"
	hexNegative = "#C0392B"
	hexGoal     = "#E9C46A"
	hexTarget   = "#17324D"
	hexUseCase  = "#8AB17D"
	hexWorkflow = "#B5838D"
)

// EChartsOption is what ChartJSON needs of a go-echarts chart.
type EChartsOption interface {
	JSON() map[string]any
}

// ChartJSON is a chart's ECharts option as JSON that is safe to place in an
// HTML <script> element: <, > and & are written as \u003c, \u003e and
// \u0026 (and U+2028/U+2029 escaped), so that no user text, "</script>"
// included, can end the element or open markup.
func ChartJSON(c EChartsOption) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(c.JSON()); err != nil {
		return nil, fmt.Errorf("chart option: %w", err)
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

// chartView is the view of an Input for a chart builder; an Input that is
// not valid gives an empty chart rather than a nil one.
func chartView(in Input) *view {
	v, err := newView(in)
	if err != nil {
		return nil
	}
	return v
}

func baseOpts(title string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center", TitleStyle: &opts.TextStyle{FontSize: 14}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithAnimation(false),
	}
}

// names makes display names unique: ECharts identifies Sankey and graph
// nodes by name, and a use case and a block may share one.
type names struct {
	byKey map[string]string
	used  map[string]bool
}

func newNames() *names { return &names{byKey: map[string]string{}, used: map[string]bool{}} }

func (n *names) get(key, name string) string {
	if s, ok := n.byKey[key]; ok {
		return s
	}
	s := name
	for i := 2; n.used[s]; i++ {
		s = fmt.Sprintf("%s (%d)", name, i)
	}
	n.used[s] = true
	n.byKey[key] = s
	return s
}

type sankeyNode struct {
	Name      string          `json:"name"`
	Depth     int             `json:"depth"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label     *nodeLabel      `json:"label,omitempty"`
}

// nodeLabel cuts a long label short (the tooltip shows it whole) so that it
// does not run over the next column of a Sankey.
type nodeLabel struct {
	Show     bool   `json:"show"`
	Width    int    `json:"width,omitempty"`
	Overflow string `json:"overflow,omitempty"`
	FontSize int    `json:"fontSize,omitempty"`
	// Formatter, when set, is the label in place of the node's name: the
	// short "SDG 3.2" of a target whose name carries its text. ECharts
	// draws labels on the canvas, never as HTML.
	Formatter string `json:"formatter,omitempty"`
}

// targetNode is the name and the label of an SDG target's node: the name
// (which the tooltip shows, escaped) with the target's text, the label the
// code alone. Braces would be read as a label template: none are kept.
func (v *view) targetNode(code string) (name string, label string) {
	return v.targetLabel(code), strings.NewReplacer("{", "", "}", "").Replace(v.targetName(code))
}

type sankeyLink struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	Value  float64 `json:"value"`
}

// SankeyChart follows the shared cost from SDG targets through national
// goals and programmes to use cases and building blocks. Link widths are the
// present value of shared costs as the cost model allocates them (block →
// programme, programme → goal, goal → SDG target); a programme's share of a
// block is drawn through the use cases that need the block, in equal parts
// (the model allocates no lower than programmes), or straight to the block
// for a direct link.
func SankeyChart(in Input) *charts.Sankey {
	c := charts.NewSankey()
	v := chartView(in)
	if v == nil {
		return c
	}
	c.SetGlobalOptions(append(baseOpts(v.tr("sankey")), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))...)
	nm := newNames()
	var nodes []sankeyNode
	seen := map[string]bool{}
	node := func(key, name string, depth int, color string) string {
		s := nm.get(key, name)
		if !seen[key] {
			seen[key] = true
			n := sankeyNode{Name: s, Depth: depth, ItemStyle: &opts.ItemStyle{Color: color}}
			if depth < 4 {
				n.Label = &nodeLabel{Show: true, Width: 170, Overflow: "truncate"}
			}
			if code, ok := strings.CutPrefix(key, "t:"); ok {
				_, n.Label.Formatter = v.targetNode(code)
			}
			nodes = append(nodes, n)
		}
		return s
	}
	agg := map[[2]string]float64{}
	var order [][2]string
	link := func(from, to string, x float64) {
		if x <= 0 {
			return
		}
		k := [2]string{from, to}
		if _, ok := agg[k]; !ok {
			order = append(order, k)
		}
		agg[k] += x
	}
	goalPV := map[string]float64{}
	for _, g := range v.r.Goals {
		goalPV[g.ID] = g.PVShared
	}
	for _, t := range v.r.SDGTargets {
		name, _ := v.targetNode(t.ID)
		tn := node("t:"+t.ID, name, 0, hexTarget)
		for _, g := range t.Goals {
			link(tn, node("g:"+g.ID, v.goalName(g.ID), 1, hexGoal), g.Share*goalPV[g.ID])
		}
	}
	for _, g := range v.r.Goals {
		gn := node("g:"+g.ID, v.goalName(g.ID), 1, hexGoal)
		for _, p := range g.Programmes {
			if pf := v.progFig[p.ID]; pf != nil {
				link(gn, node("p:"+p.ID, v.progName(p.ID), 2, hexSiloed), p.Share*pf.PVShared)
			}
		}
	}
	for _, pf := range v.r.Programmes {
		p := v.progs[pf.ID]
		if p == nil || pf.ActiveYears == 0 {
			continue
		}
		pn := node("p:"+pf.ID, v.progName(pf.ID), 2, hexSiloed)
		for _, bs := range pf.ByBlock {
			bn := node("b:"+bs.Block, v.blockName(bs.Block), 4, hexShared)
			var via []string
			for _, u := range p.UseCases {
				if slices.Contains(v.graph.UseCaseBlocks(u), bs.Block) {
					via = append(via, u)
				}
			}
			if len(via) == 0 {
				link(pn, bn, bs.PVShared)
				continue
			}
			part := bs.PVShared / float64(len(via))
			for _, u := range via {
				un := node("u:"+u, v.ucName(u), 3, hexUseCase)
				link(pn, un, part)
				link(un, bn, part)
			}
		}
	}
	// Nodes with no link would float alone: keep linked ones only.
	linked := map[string]bool{}
	links := make([]sankeyLink, 0, len(order))
	for _, k := range order {
		links = append(links, sankeyLink{Source: k[0], Target: k[1], Value: agg[k]})
		linked[k[0]], linked[k[1]] = true, true
	}
	kept := nodes[:0]
	for _, n := range nodes {
		if linked[n.Name] {
			kept = append(kept, n)
		}
	}
	c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{
		Name: v.tr("pv_shared"), Type: types.ChartSankey, Data: kept, Links: links,
		Left: "2%", Right: "14%", Top: "40", Bottom: "10",
		Label:     &opts.Label{Show: opts.Bool(true), FontSize: 10},
		LineStyle: &opts.LineStyle{Color: "gradient", Opacity: opts.Float(0.35), Curveness: 0.5},
		Emphasis:  &opts.Emphasis{Focus: "adjacency"},
	})
	return c
}

type graphNode struct {
	Name       string     `json:"name"`
	Category   int        `json:"category"`
	SymbolSize float64    `json:"symbolSize"`
	Value      *float64   `json:"value,omitempty"`
	Label      *nodeLabel `json:"label,omitempty"`
}

type graphLink struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// PortfolioGraphChart is the portfolio as a graph: SDG targets, national
// goals, programmes, use cases, workflows and building blocks, linked as the
// portfolio links them. A programme's and a block's node carry their present
// value of shared cost.
func PortfolioGraphChart(in Input) *charts.Graph {
	c := charts.NewGraph()
	v := chartView(in)
	if v == nil {
		return c
	}
	c.SetGlobalOptions(append(baseOpts(v.tr("graph")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "28"}))...)
	kinds := []struct{ key, color string }{{"sdg_target", hexTarget}, {"goal", hexGoal}, {"programme", hexSiloed},
		{"kind_use_case", hexUseCase}, {"kind_workflow", hexWorkflow}, {"block", hexShared}}
	cats := make([]*opts.GraphCategory, len(kinds))
	for i, k := range kinds {
		cats[i] = &opts.GraphCategory{Name: v.tr(k.key), ItemStyle: &opts.ItemStyle{Color: k.color}}
	}
	nm := newNames()
	var nodes []graphNode
	seen := map[string]bool{}
	node := func(key, name string, cat int, size float64, value *float64) string {
		s := nm.get(key, name)
		if !seen[key] {
			seen[key] = true
			n := graphNode{Name: s, Category: cat, SymbolSize: size, Value: value}
			if cat == 1 || cat == 2 || cat == 5 { // goals, programmes, blocks
				n.Label = &nodeLabel{Show: true, Width: 140, Overflow: "truncate", FontSize: 9}
			}
			if code, ok := strings.CutPrefix(key, "t:"); ok {
				// Shown on hover (the series' emphasis), as the code alone.
				_, short := v.targetNode(code)
				n.Label = &nodeLabel{Show: false, Formatter: short}
			}
			nodes = append(nodes, n)
		}
		return s
	}
	var links []graphLink
	linkSeen := map[graphLink]bool{}
	link := func(a, b string) {
		l := graphLink{a, b}
		if !linkSeen[l] {
			linkSeen[l] = true
			links = append(links, l)
		}
	}
	for _, g := range v.sortedGoals() {
		gn := node("g:"+g.ID, v.goalName(g.ID), 1, 18, nil)
		for _, t := range g.SDGTargets {
			name, _ := v.targetNode(t)
			link(gn, node("t:"+t, name, 0, 12, nil))
		}
	}
	for _, p := range v.sortedProgrammes() {
		var val *float64
		if pf := v.progFig[p.ID]; pf != nil {
			x := pf.PVShared
			val = &x
		}
		pn := node("p:"+p.ID, v.progName(p.ID), 2, 16, val)
		for _, g := range p.Goals {
			if _, ok := v.goals[g]; ok {
				link(pn, node("g:"+g, v.goalName(g), 1, 18, nil))
			}
		}
		for _, u := range p.UseCases {
			uc := v.ucs[u]
			if uc == nil {
				continue
			}
			un := node("u:"+u, v.ucName(u), 3, 11, nil)
			link(pn, un)
			for _, w := range uc.Workflows {
				if wf := v.wfs[w]; wf != nil {
					wn := node("w:"+w, v.wfName(w), 4, 9, nil)
					link(un, wn)
					if len(uc.Blocks) == 0 {
						for _, b := range wf.Blocks {
							if _, ok := v.blocks[b]; ok {
								link(wn, node("b:"+b, v.blockName(b), 5, 13, blockValue(v, b)))
							}
						}
					}
				}
			}
			for _, b := range uc.Blocks {
				if _, ok := v.blocks[b]; ok {
					link(un, node("b:"+b, v.blockName(b), 5, 13, blockValue(v, b)))
				}
			}
		}
		for _, b := range p.Blocks {
			if _, ok := v.blocks[b]; ok {
				link(pn, node("b:"+b, v.blockName(b), 5, 13, blockValue(v, b)))
			}
		}
	}
	c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{
		Name: v.tr("graph"), Type: types.ChartGraph, Data: nodes, Links: links, Categories: cats,
		Layout: "force", Roam: opts.Bool(true), Draggable: opts.Bool(true),
		Force:     map[string]any{"repulsion": 110, "edgeLength": []int{35, 100}, "gravity": 0.18, "layoutAnimation": len(nodes) < 400},
		Label:     &opts.Label{Show: opts.Bool(false), Position: "right", FontSize: 9},
		LineStyle: &opts.LineStyle{Color: "source", Opacity: opts.Float(0.5), Curveness: 0.1},
		Emphasis:  &opts.Emphasis{Focus: "adjacency", Label: &opts.Label{Show: opts.Bool(true)}},
		Top:       "70",
	})
	return c
}

func blockValue(v *view, id string) *float64 {
	if bf := v.blockFig[id]; bf != nil {
		x := bf.PVShared
		return &x
	}
	return nil
}

// ReuseHeatmapChart is the programme × block matrix of shared cost allocated
// to each programme for each block it uses (present value): a column with
// many cells is a block that many programmes reuse.
func ReuseHeatmapChart(in Input) *charts.HeatMap {
	c := charts.NewHeatMap()
	v := chartView(in)
	if v == nil {
		return c
	}
	var blocks []string
	bIdx := map[string]int{}
	for _, b := range v.blocksBySavings() {
		bIdx[b.ID] = len(blocks)
		blocks = append(blocks, b.ID)
	}
	var progs []*model.ProgrammeFigures
	for _, p := range v.sortedProgrammes() {
		if pf := v.progFig[p.ID]; pf != nil && len(pf.ByBlock) > 0 {
			progs = append(progs, pf)
		}
	}
	xs := make([]string, len(blocks))
	for i, id := range blocks {
		xs[i] = v.blockName(id)
	}
	ys := make([]string, len(progs))
	data := [][3]float64{}
	top := 0.0
	for i, pf := range progs {
		ys[i] = v.progName(pf.ID)
		for _, bs := range pf.ByBlock {
			if j, ok := bIdx[bs.Block]; ok {
				data = append(data, [3]float64{float64(j), float64(i), bs.PVShared})
				top = math.Max(top, bs.PVShared)
			}
		}
	}
	c.SetGlobalOptions(append(baseOpts(v.tr("heatmap")), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, AxisLabel: &opts.AxisLabel{Rotate: 40, Interval: "0", FontSize: 9}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 9}}),
		charts.WithGridOpts(opts.Grid{Left: "22%", Right: "4%", Top: "50", Bottom: "170"}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Min: 0, Max: float32(top), Calculable: opts.Bool(false),
			Orient: "horizontal", Left: "center", Bottom: "0", Text: []string{v.tr("pv_shared_short"), "0"},
			InRange: &opts.VisualMapInRange{Color: []string{"#E8F4F2", hexShared, hexTarget}}}),
	)...)
	c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: v.tr("pv_shared"), Type: types.ChartHeatMap, Data: data,
		Emphasis: &opts.Emphasis{ItemStyle: &opts.ItemStyle{BorderColor: "#333", BorderWidth: 1}}})
	return c
}

type barDatum struct {
	Value     float64         `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
}

// SavingsByBlockChart is the savings of each block that takes part, largest
// first; a negative saving (sharing costs more) is a red bar to the left.
func SavingsByBlockChart(in Input) *charts.Bar {
	c := charts.NewBar()
	v := chartView(in)
	if v == nil {
		return c
	}
	blocks := v.blocksBySavings()
	cats := make([]string, len(blocks))
	data := make([]barDatum, len(blocks))
	for i, b := range blocks {
		cats[i] = v.blockName(b.ID)
		color := hexShared
		if b.Savings < 0 {
			color = hexNegative
		}
		data[i] = barDatum{Value: b.Savings, ItemStyle: &opts.ItemStyle{Color: color}}
	}
	c.SetGlobalOptions(append(baseOpts(v.tr("savings_chart")), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 10}}),
		charts.WithGridOpts(opts.Grid{Left: "4%", Right: "6%", Top: "40", Bottom: "20", ContainLabel: opts.Bool(true)}),
	)...)
	c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: v.tr("savings"), Type: types.ChartBar, Data: data})
	return c
}

// YearlyChart is the portfolio's undiscounted flows per plan year: block
// costs siloed and shared, programme own costs (bars) and benefits (line).
func YearlyChart(in Input) *charts.Bar {
	c := charts.NewBar()
	v := chartView(in)
	if v == nil {
		return c
	}
	ys := v.r.Years
	cats := make([]string, len(ys))
	sil, sh, own, ben := make([]float64, len(ys)), make([]float64, len(ys)), make([]float64, len(ys)), make([]float64, len(ys))
	for i, y := range ys {
		cats[i] = FormatYear(y.Year)
		sil[i], sh[i], own[i], ben[i] = y.Siloed, y.Shared, y.Own, y.Benefits
	}
	c.SetGlobalOptions(append(baseOpts(v.tr("yearly_chart")),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cats}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value"}),
		charts.WithGridOpts(opts.Grid{Left: "4%", Right: "4%", Top: "50", Bottom: "50", ContainLabel: opts.Bool(true)}),
	)...)
	for _, s := range []struct {
		key, color string
		data       []float64
		line       bool
	}{{"siloed_costs", hexSiloed, sil, false}, {"shared_costs", hexShared, sh, false}, {"own_costs", hexOwn, own, false}, {"benefits", hexBenefit, ben, true}} {
		typ := types.ChartBar
		if s.line {
			typ = types.ChartLine
		}
		c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: v.tr(s.key), Type: typ, Data: s.data,
			ItemStyle: &opts.ItemStyle{Color: s.color}})
	}
	return c
}

// frontierDatum is one point of the frontier chart: [budget, savings], named
// for its tooltip with the budget, the share of possible savings and the
// blocks (HTML-escaped by ECharts as any name).
type frontierDatum struct {
	Name  string     `json:"name"`
	Value [2]float64 `json:"value"`
}

// FrontierChart is the investment roadmap's efficient frontier as a step
// line: x the budget (present value of shared costs), y the savings of the
// best set of blocks within it, with the share of the possible savings on a
// second scale; with Input.Roadmap's budget, a dashed line at the budget
// and the chosen set marked. Its points are the model's frontier, one for
// one (Input.Roadmap, or model.Roadmap(Result, nil) when that is nil).
func FrontierChart(in Input) *charts.Line {
	c := charts.NewLine()
	v := chartView(in)
	if v == nil {
		return c
	}
	rm := v.roadmap()
	rows := v.frontierRows(0)
	data := make([]frontierDatum, len(rows))
	for i, r := range rows {
		data[i] = frontierDatum{Value: [2]float64{max(r.pt.Cost, 0), r.pt.Savings},
			Name: FormatMoney(max(r.pt.Cost, 0), v.cur, v.lang) + " · " + v.optPct(r.share) + " · " + v.change(r)}
	}
	top := rm.PossibleSavings
	for _, p := range rm.Frontier {
		top = max(top, p.Savings)
	}
	y := opts.YAxis{Type: "value", Name: v.moneyHead("frontier_y"), Min: 0}
	share := opts.YAxis{Type: "value", Name: v.tr("share_possible"), Min: 0, Max: 100, Position: "right",
		MinInterval: 25, MaxInterval: 25, AxisLabel: &opts.AxisLabel{Formatter: types.FuncStr("{value}" + percentSign(v.lang))},
		SplitLine: &opts.SplitLine{Show: opts.Bool(false)}}
	if rm.PossibleSavings > 0 {
		// The two scales share their grid lines: quarters of the possible savings.
		y.Max, y.MinInterval, y.MaxInterval = rm.PossibleSavings, rm.PossibleSavings/4, rm.PossibleSavings/4
	}
	c.SetGlobalOptions(append(baseOpts(v.tr("frontier_chart")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: v.moneyHead("frontier_x"), NameLocation: "middle", NameGap: 28, Min: 0}),
		charts.WithYAxisOpts(y),
		charts.WithGridOpts(opts.Grid{Left: "4%", Right: "4%", Top: "60", Bottom: "70", ContainLabel: opts.Bool(true)}),
	)...)
	c.ExtendYAxis(share)
	c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: v.tr("frontier_y"), Type: types.ChartLine, Step: "end",
		Data: data, Symbol: "circle", SymbolSize: 5, ShowSymbol: opts.Bool(len(data) <= 200),
		ItemStyle: &opts.ItemStyle{Color: hexShared}, LineStyle: &opts.LineStyle{Width: 2},
		AreaStyle: &opts.AreaStyle{Color: hexShared, Opacity: opts.Float(0.12)}})
	if rm.Budget != nil {
		k := *rm.Budget
		c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: v.tr("budget"), Type: types.ChartLine,
			Data: []frontierDatum{{Name: FormatMoney(k, v.cur, v.lang), Value: [2]float64{k, 0}},
				{Name: FormatMoney(k, v.cur, v.lang), Value: [2]float64{k, top}}},
			ShowSymbol: opts.Bool(false), ItemStyle: &opts.ItemStyle{Color: hexSiloed},
			LineStyle: &opts.LineStyle{Type: "dashed", Width: 1.5}})
		if len(rm.Chosen) > 0 {
			c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: v.tr("chosen_short"), Type: types.ChartScatter,
				Data: []frontierDatum{{Name: FormatMoney(rm.Cost, v.cur, v.lang) + " · " + v.optPct(rm.Share) + " · " + v.blockList(rm.Chosen),
					Value: [2]float64{rm.Cost, rm.Savings}}},
				SymbolSize: 14, ItemStyle: &opts.ItemStyle{Color: hexSiloed}})
		}
	}
	return c
}

// percentSign is how a percentage ends in lang: "%" or " %" (no-break).
func percentSign(lang string) string {
	if lang == LangFR {
		return NBSP + "%"
	}
	return "%"
}

// TornadoChart is the tornado of the savings: for each range that moves
// them (largest swing first, as the model sorts them, at most 15), a bar
// from the savings at likely values (the zero line) to the savings with the
// amount at its low value, and one to the savings with it at its high
// value. Bars are drawn as changes from the savings at likely values, which
// the chart's name and the page's note give.
func TornadoChart(in Input) *charts.Bar {
	c := charts.NewBar()
	v := chartView(in)
	if v == nil {
		return c
	}
	base := v.r.Totals.Savings
	var rows []model.TornadoRow
	for _, r := range v.r.Tornado {
		if r.Swing > 0 && len(rows) < maxTornadoBars {
			rows = append(rows, r)
		}
	}
	cats := make([]string, len(rows))
	low, high := make([]float64, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		cats[i] = v.paramName(r.Parameter)
		low[i], high[i] = r.Low-base, r.High-base
	}
	c.SetGlobalOptions(append(baseOpts(v.tr("tornado")),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: v.moneyHead("change_savings"), NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 10}}),
		charts.WithGridOpts(opts.Grid{Left: "4%", Right: "6%", Top: "40", Bottom: "60", ContainLabel: opts.Bool(true)}),
	)...)
	for _, s := range []struct {
		key, color string
		data       []float64
	}{{"amount_low", hexSiloed, low}, {"amount_high", hexShared, high}} {
		c.MultiSeries = append(c.MultiSeries, charts.SingleSeries{Name: v.tr(s.key), Type: types.ChartBar, Data: s.data,
			BarGap: "-100%", BarWidth: "60%", ItemStyle: &opts.ItemStyle{Color: s.color}})
	}
	return c
}

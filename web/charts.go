package web

import (
	"slices"
	"strconv"
	"strings"

	"blockplan/model"
)

// Chart options for ECharts, built from the cost model's figures. A page
// puts them in a <script type="application/json"> data block (html/template
// escapes them for that context) and static/app.js hands them to ECharts.
// Every label and tooltip text is a plain string in the data: tooltips are
// drawn as rich text on the canvas, never as HTML, so a name such as
// "<img onerror=…>" is shown as it is written. Numbers in tooltips are
// formatted here, with reports' formatter, in the page's language; "bp"
// holds the hints app.js needs (language, which formatter to install).

type chartOptions map[string]any

// Colours of the two scenarios and of savings, readable on white.
const (
	colourSiloed   = "#8c959f"
	colourShared   = "#0969da"
	colourSavings  = "#1a7f37"
	colourNegative = "#cf222e"
	colourOwn      = "#bf8700"
	colourBenefit  = "#8250df"
)

// maxBars bounds the bars of a bar chart; the table under the chart lists
// every row.
const maxBars = 20

// maxSankeyProgrammes bounds the programmes of the traceability map (the
// largest by shared cost); the programme list has them all.
const maxSankeyProgrammes = 25

type tipValue struct {
	Value     float64        `json:"value"`
	Tip       string         `json:"tip"`
	ItemStyle map[string]any `json:"itemStyle,omitempty"`
}

func (s *Server) chartBase(lang string, tooltip string) chartOptions {
	return chartOptions{
		"bp":        map[string]any{"lang": lang, "tooltip": tooltip},
		"animation": false,
		"textStyle": map[string]any{"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"},
		"tooltip":   map[string]any{"trigger": "item", "renderMode": "richText", "confine": true},
	}
}

// savingsByBlockChart is a horizontal bar per block: savings of sharing it,
// largest first, negative ones in red.
func (s *Server) savingsByBlockChart(sn *snapshot, res *model.Result, lang string) chartOptions {
	blocks := slices.Clone(res.Blocks)
	blocks = slices.DeleteFunc(blocks, func(b model.BlockFigures) bool { return b.Consumers == 0 })
	byDesc(blocks, func(b model.BlockFigures) float64 { return b.Savings }, func(b model.BlockFigures) string { return b.ID })
	if len(blocks) > maxBars {
		blocks = blocks[:maxBars]
	}
	slices.Reverse(blocks) // ECharts draws the first category at the bottom
	var names []string
	var data []tipValue
	cur := sn.Resolved.Currency
	for _, b := range blocks {
		label := s.label(sn, lang, model.KindBlock, b.ID)
		names = append(names, shorten(label, 28))
		v := tipValue{Value: b.Savings, Tip: label + "\n" + s.msg.must(lang, "fig.savings") + " : " + fmtMoney(b.Savings, cur, lang) +
			"\n" + s.msg.must(lang, "fig.consumers") + " : " + strconv.Itoa(b.Consumers)}
		if b.Savings < 0 {
			v.ItemStyle = map[string]any{"color": colourNegative}
		}
		data = append(data, v)
	}
	o := s.chartBase(lang, "item")
	o["grid"] = map[string]any{"left": 24, "right": 24, "top": 8, "bottom": 8, "containLabel": true}
	o["xAxis"] = map[string]any{"type": "value", "axisLabel": map[string]any{"bpFormat": "compact"}}
	o["yAxis"] = map[string]any{"type": "category", "data": names}
	o["series"] = []any{map[string]any{"type": "bar", "name": s.msg.must(lang, "fig.savings"), "data": data,
		"itemStyle": map[string]any{"color": colourSavings}, "barMaxWidth": 22}}
	return o
}

// yearlyChart is the cost per plan year of both scenarios (undiscounted),
// with programme own costs and benefits.
func (s *Server) yearlyChart(sn *snapshot, res *model.Result, lang string) chartOptions {
	cur := sn.Resolved.Currency
	var years []string
	series := []struct {
		key, colour string
		get         func(model.YearFigures) float64
	}{
		{"fig.siloed_cost", colourSiloed, func(y model.YearFigures) float64 { return y.Siloed }},
		{"fig.shared_cost", colourShared, func(y model.YearFigures) float64 { return y.Shared }},
		{"fig.own_cost", colourOwn, func(y model.YearFigures) float64 { return y.Own }},
		{"fig.benefits", colourBenefit, func(y model.YearFigures) float64 { return y.Benefits }},
	}
	for _, y := range res.Years {
		years = append(years, strconv.Itoa(y.Year))
	}
	var out []any
	for _, sr := range series {
		name := s.msg.must(lang, sr.key)
		var data []tipValue
		for _, y := range res.Years {
			v := sr.get(y)
			data = append(data, tipValue{Value: v, Tip: name + " " + strconv.Itoa(y.Year) + " : " + fmtMoney(v, cur, lang)})
		}
		kind := "bar"
		if sr.key == "fig.benefits" {
			kind = "line"
		}
		out = append(out, map[string]any{"type": kind, "name": name, "data": data, "itemStyle": map[string]any{"color": sr.colour}})
	}
	o := s.chartBase(lang, "item")
	o["legend"] = map[string]any{"top": 0}
	o["grid"] = map[string]any{"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": true}
	o["xAxis"] = map[string]any{"type": "category", "data": years}
	o["yAxis"] = map[string]any{"type": "value", "axisLabel": map[string]any{"bpFormat": "compact"}}
	o["series"] = out
	return o
}

// shorten cuts a label to n characters with an ellipsis; the tooltip keeps
// the whole of it.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

type sankeyNode struct {
	Name    string `json:"name"`
	Display string `json:"display"`
	Tip     string `json:"tip"`
	Depth   int    `json:"depth"`
}

type sankeyLink struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	Value  float64 `json:"value"`
	Tip    string  `json:"tip"`
}

// sankeyChart is the traceability map: SDG targets → national goals →
// programmes → building blocks, each band as wide as the shared cost that
// flows along it. Programme→block bands are the model's programme×block
// figures (ProgrammeFigures.ByBlock); goal→programme and target→goal bands
// are the model's allocation shares (GoalFigures.Programmes,
// TargetFigures.Goals) of the figures the model gives the programme and the
// goal, exactly as §6 of the cost model splits them. Only the largest
// programmes are drawn on a big portfolio.
func (s *Server) sankeyChart(sn *snapshot, res *model.Result, lang string) (chartOptions, int, int) {
	cur := sn.Resolved.Currency
	progs := slices.Clone(res.Programmes)
	progs = slices.DeleteFunc(progs, func(p model.ProgrammeFigures) bool { return p.PVShared <= 0 })
	total := len(progs)
	byDesc(progs, func(p model.ProgrammeFigures) float64 { return p.PVShared }, func(p model.ProgrammeFigures) string { return p.ID })
	if len(progs) > maxSankeyProgrammes {
		progs = progs[:maxSankeyProgrammes]
	}
	shown := map[string]bool{}
	for _, p := range progs {
		shown[p.ID] = true
	}
	var nodes []sankeyNode
	var links []sankeyLink
	labels := map[string]string{}
	addNode := func(kind, id string, depth int) string {
		name := kind + ":" + id
		if _, ok := labels[name]; !ok {
			label := s.label(sn, lang, kind, id)
			if kind == model.KindSDGTarget && id != model.UnmappedID {
				label = s.msg.must(lang, "kind.sdg_target") + " " + id
			}
			labels[name] = label
			nodes = append(nodes, sankeyNode{Name: name, Display: shorten(label, 30), Tip: s.msg.must(lang, "kind."+kind) + "\n" + label, Depth: depth})
		}
		return name
	}
	link := func(from, to string, v float64) {
		if v <= 0 {
			return
		}
		links = append(links, sankeyLink{Source: from, Target: to, Value: v,
			Tip: labels[from] + " → " + labels[to] + "\n" + fmtMoney(v, cur, lang)})
	}
	goalsShown := map[string]bool{}
	for _, g := range res.Goals {
		for _, sh := range g.Programmes {
			if !shown[sh.ID] {
				continue
			}
			pf := res.Programmes[sn.progFig[sh.ID]]
			gn := addNode(model.KindGoal, g.ID, 1)
			pn := addNode(model.KindProgramme, sh.ID, 2)
			link(gn, pn, sh.Share*pf.PVShared)
			goalsShown[g.ID] = true
		}
	}
	for _, t := range res.SDGTargets {
		for _, sh := range t.Goals {
			if !goalsShown[sh.ID] {
				continue
			}
			gf := res.Goals[sn.goalFig[sh.ID]]
			link(addNode(model.KindSDGTarget, t.ID, 0), addNode(model.KindGoal, sh.ID, 1), sh.Share*gf.PVShared)
		}
	}
	for _, p := range progs {
		pn := addNode(model.KindProgramme, p.ID, 2)
		for _, b := range p.ByBlock {
			link(pn, addNode(model.KindBlock, b.Block, 3), b.PVShared)
		}
	}
	o := s.chartBase(lang, "item")
	o["series"] = []any{map[string]any{
		"type": "sankey", "data": nodes, "links": links, "nodeAlign": "justify", "draggable": false,
		"left": 8, "right": 180, "top": 8, "bottom": 8, "nodeGap": 6,
		"emphasis":  map[string]any{"focus": "adjacency"},
		"lineStyle": map[string]any{"color": "gradient", "opacity": 0.35},
		"label":     map[string]any{"fontSize": 11},
		"levels": []any{
			map[string]any{"depth": 0, "itemStyle": map[string]any{"color": "#1b7f79"}},
			map[string]any{"depth": 1, "itemStyle": map[string]any{"color": colourBenefit}},
			map[string]any{"depth": 2, "itemStyle": map[string]any{"color": colourOwn}},
			map[string]any{"depth": 3, "itemStyle": map[string]any{"color": colourShared}},
		},
	}}
	return o, len(progs), total
}

// programmeBlocksChart is one programme's shared and siloed cost by block.
func (s *Server) programmeBlocksChart(sn *snapshot, lang string, f *model.ProgrammeFigures) chartOptions {
	cur := sn.Resolved.Currency
	var names []string
	var siloed, shared []tipValue
	rows := slices.Clone(f.ByBlock)
	if len(rows) > maxBars {
		byDesc(rows, func(b model.BlockShare) float64 { return b.PVSiloed }, func(b model.BlockShare) string { return b.Block })
		rows = rows[:maxBars]
	}
	slices.Reverse(rows)
	ns, nh := s.msg.must(lang, "fig.pv_siloed"), s.msg.must(lang, "fig.pv_shared")
	for _, b := range rows {
		label := s.label(sn, lang, model.KindBlock, b.Block)
		names = append(names, shorten(label, 28))
		siloed = append(siloed, tipValue{Value: b.PVSiloed, Tip: label + "\n" + ns + " : " + fmtMoney(b.PVSiloed, cur, lang)})
		shared = append(shared, tipValue{Value: b.PVShared, Tip: label + "\n" + nh + " : " + fmtMoney(b.PVShared, cur, lang)})
	}
	return s.pairedBars(lang, true, names, barSeries{ns, siloed, colourSiloed}, barSeries{nh, shared, colourShared})
}

// blockYearsChart is one block's cost per plan year in both scenarios.
func (s *Server) blockYearsChart(sn *snapshot, lang string, f *model.BlockFigures) chartOptions {
	cur := sn.Resolved.Currency
	var years []string
	var siloed, shared []tipValue
	ns, nh := s.msg.must(lang, "fig.siloed_cost"), s.msg.must(lang, "fig.shared_cost")
	for _, y := range f.Years {
		ys := strconv.Itoa(y.Year)
		years = append(years, ys)
		siloed = append(siloed, tipValue{Value: y.Siloed, Tip: ns + " " + ys + " : " + fmtMoney(y.Siloed, cur, lang)})
		shared = append(shared, tipValue{Value: y.Shared, Tip: nh + " " + ys + " : " + fmtMoney(y.Shared, cur, lang)})
	}
	return s.pairedBars(lang, false, years, barSeries{ns, siloed, colourSiloed}, barSeries{nh, shared, colourShared})
}

// tornadoChart shows, for the uncertain amounts that move savings most,
// savings with that amount at its low and at its high value (model.Tornado's
// figures, drawn as they are).
func (s *Server) tornadoChart(sn *snapshot, lang string, rows []model.TornadoRow) chartOptions {
	cur := sn.Resolved.Currency
	if len(rows) > 12 {
		rows = rows[:12]
	}
	rows = slices.Clone(rows)
	slices.Reverse(rows)
	var names []string
	var low, high []tipValue
	nl, nh := s.msg.must(lang, "mc.at_low"), s.msg.must(lang, "mc.at_high")
	for _, r := range rows {
		label := s.paramLabel(sn, lang, r.Parameter)
		names = append(names, shorten(label, 28))
		low = append(low, tipValue{Value: r.Low, Tip: label + "\n" + nl + " : " + fmtMoney(r.Low, cur, lang)})
		high = append(high, tipValue{Value: r.High, Tip: label + "\n" + nh + " : " + fmtMoney(r.High, cur, lang)})
	}
	return s.pairedBars(lang, true, names, barSeries{nl, low, colourNegative}, barSeries{nh, high, colourSavings})
}

// barSeries is one series of a paired bar chart.
type barSeries struct {
	name   string
	data   []tipValue
	colour string
}

// pairedBars is a bar chart of two series over the same categories, with a
// legend: horizontal bars (categories on the y axis, for long names) or
// vertical ones (for years).
func (s *Server) pairedBars(lang string, horizontal bool, categories []string, a, b barSeries) chartOptions {
	o := s.chartBase(lang, "item")
	o["legend"] = map[string]any{"top": 0}
	value := map[string]any{"type": "value", "axisLabel": map[string]any{"bpFormat": "compact"}}
	category := map[string]any{"type": "category", "data": categories}
	if horizontal {
		o["grid"] = map[string]any{"left": 24, "right": 24, "top": 32, "bottom": 8, "containLabel": true}
		o["xAxis"], o["yAxis"] = value, category
	} else {
		o["grid"] = map[string]any{"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": true}
		o["xAxis"], o["yAxis"] = category, value
	}
	o["series"] = []any{
		map[string]any{"type": "bar", "name": a.name, "data": a.data, "itemStyle": map[string]any{"color": a.colour}},
		map[string]any{"type": "bar", "name": b.name, "data": b.data, "itemStyle": map[string]any{"color": b.colour}},
	}
	return o
}

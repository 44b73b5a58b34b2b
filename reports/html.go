package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"blockplan/model"
	"blockplan/reports/assets"
)

// echartsBundle gives the embedded ECharts bundle; tests replace it to see
// the page a binary built without assets gives.
var echartsBundle = assets.ECharts

// HTML writes the planners' report: one self-contained page, readable with
// no network, with the ECharts bundle inlined, interactive charts (a Sankey
// from SDG targets to building blocks, the portfolio graph, the programme ×
// block reuse heat map, savings by block, yearly flows) and the tables
// behind them. Every user text is escaped, in the markup by html/template
// and in the charts' options by ChartJSON. A binary built without the
// ECharts bundle writes the same page with assets.MissingMessage where each
// chart would be.
func HTML(w io.Writer, in Input) error {
	v, err := newView(in)
	if err != nil {
		return err
	}
	page, err := v.htmlPage()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

type htmlPage struct {
	Lang, Title, Subtitle, Portfolio, PlanSpan, Generated string
	Currency                                              string
	Decimals                                              int
	Settings                                              [][2]string
	KPIs                                                  []htmlKPI
	Headline                                              []string
	Charts                                                []htmlChart
	Tables                                                []htmlTable
	Assumptions                                           []string
	Warnings                                              [][2]string
	WarningsTitle, NoWarnings, AssumptionsTitle           string
	TablesTitle, SettingsTitle, Footer                    string
	Missing                                               string
	ECharts                                               template.JS
	Boot                                                  template.JS
}

type htmlKPI struct {
	Label, Value string
	Neg          bool
}

type htmlChart struct {
	ID, Title, Note string
	Height          int
	JSON            template.JS
}

type htmlTable struct {
	ID, Title, Note string
	Head            []htmlCell
	Rows            [][]htmlCell
	Foot            []htmlCell
}

type htmlCell struct {
	Text string
	// Sub is a muted second line (an SDG target's text), clamped to three
	// lines on screen with the whole in its tooltip.
	Sub                      string
	Num, Neg, NoWrap, Strong bool
}

func txt(s string) htmlCell { return htmlCell{Text: s} }

func numCell(s string) htmlCell {
	return htmlCell{Text: s, Num: true, Neg: strings.HasPrefix(s, "-")}
}

// scriptClose matches the end of a script element in any letter case.
var scriptClose = regexp.MustCompile(`(?i)</script`)

func (v *view) htmlPage() (*htmlPage, error) {
	t := v.r.Totals
	sh := v.r.Appraisal.Shared
	pg := &htmlPage{
		Lang: v.lang, Title: v.tr("report_title"), Subtitle: v.tr("html_subtitle"),
		Portfolio: v.portfolioName(), PlanSpan: v.planSpan(),
		Generated: v.tr("generated") + " " + FormatDate(v.in.Generated, v.lang) + " · " + Producer,
		Currency:  v.cur, Decimals: v.dec,
		SettingsTitle: v.tr("settings"), TablesTitle: v.tr("tables"), AssumptionsTitle: v.tr("assumptions"),
		WarningsTitle: v.tr("warnings"), NoWarnings: v.tr("no_warnings"),
		Footer: v.trf("amounts_in", orID(v.cur, Dash)),
		Boot:   template.JS(bootJS),
	}
	pg.Settings = append([][2]string{{v.tr("country"), orID(v.p.Country, Dash)}, {v.tr("currency"), orID(v.cur, Dash)}}, v.settingsPairs()...)
	if t.Savings >= 0 {
		pg.Headline = append(pg.Headline, v.trf("headline", v.moneyC(t.PVShared), v.moneyC(t.PVSiloed), v.planSpan(), v.moneyC(t.Savings), v.optPct(t.SavingsRatio)))
	} else {
		pg.Headline = append(pg.Headline, v.trf("headline_loss", v.moneyC(t.PVShared), v.moneyC(t.PVSiloed), v.planSpan(), v.moneyC(-t.Savings)))
	}
	pg.Headline = append(pg.Headline, v.trf("headline_npv", v.moneyC(sh.NPV), v.optRatio(sh.BCR)))
	for _, k := range [][2]string{
		{v.tr("pv_siloed"), v.moneyC(t.PVSiloed)}, {v.tr("pv_shared"), v.moneyC(t.PVShared)},
		{v.tr("savings"), v.moneyC(t.Savings)}, {v.tr("savings_ratio"), v.optPct(t.SavingsRatio)},
		{v.tr("npv"), v.moneyC(sh.NPV)}, {v.tr("bcr"), v.optRatio(sh.BCR)}, {v.tr("irr"), v.optPct(sh.IRR)},
		{v.tr("payback"), FormatOptionalYear(sh.PaybackYear)}, {v.tr("cost_per_beneficiary"), v.optMoneyC(sh.CostPerBeneficiary)},
	} {
		pg.KPIs = append(pg.KPIs, htmlKPI{Label: k[0], Value: k[1], Neg: strings.HasPrefix(k[1], "-")})
	}

	bundle, ok := echartsBundle()
	if ok {
		pg.ECharts = template.JS(scriptClose.ReplaceAll(bundle, []byte(`<\/script`)))
	} else {
		pg.Missing = assets.MissingMessage
		if v.lang == LangFR {
			pg.Missing = assets.MissingMessageFR
		}
	}
	if err := v.htmlCharts(pg, ok); err != nil {
		return nil, err
	}
	v.htmlTables(pg)
	s := v.r.Settings
	pg.Assumptions = []string{
		v.trf("a_window", v.planSpan(), s.HorizonYears), v.trf("a_discount", FormatPercent(s.DiscountRate, 1, v.lang)),
		v.trf("a_bias", FormatPercent(s.OptimismBias, 1, v.lang)), v.tr("a_siloed"), v.tr("a_shared"), v.tr("a_existing"),
		v.tr("a_own"), v.tr("a_likely"), v.tr("alloc_note"), v.tr("split_note"),
	}
	for _, w := range v.r.Warnings {
		pg.Warnings = append(pg.Warnings, [2]string{v.warningTitle(w.Code), v.warningText(w)})
	}
	return pg, nil
}

func (v *view) htmlCharts(pg *htmlPage, withJSON bool) error {
	nBlocks := len(v.blocksBySavings())
	heatRows := 0
	for _, pf := range v.r.Programmes {
		if len(pf.ByBlock) > 0 {
			heatRows++
		}
	}
	rowH := 22
	if heatRows > 60 {
		rowH = 12
	}
	sankeyRows := max(len(v.r.Programmes), nBlocks, len(v.r.Goals), len(v.r.SDGTargets), len(v.p.UseCases))
	type chartItem struct {
		id, title, note string
		height          int
		chart           EChartsOption
	}
	list := []chartItem{
		{"sankey", v.tr("sankey"), v.tr("sankey_note"), max(520, 26*sankeyRows+80), SankeyChart(v.in)},
		{"savings", v.tr("savings_chart"), v.tr("negative_note"), max(260, 24*nBlocks+80), SavingsByBlockChart(v.in)},
	}
	if rm := v.roadmap(); rm.Candidates > 0 {
		note := strings.Join(append(v.roadmapSummary(), v.tr("frontier_chart_note")), " ")
		if !rm.FrontierComplete {
			note += " " + v.tr("roadmap_thinned")
		}
		list = append(list, chartItem{"frontier", v.tr("roadmap") + " — " + v.tr("frontier_chart"), note, 460, FrontierChart(v.in)})
	}
	list = append(list, chartItem{"yearly", v.tr("yearly_chart"), v.tr("yearly_chart_note"), 400, YearlyChart(v.in)})
	if n := v.tornadoRows(); n > 0 {
		list = append(list, chartItem{"tornado", v.tr("tornado"), v.trf("tornado_html_note", v.moneyC(v.r.Totals.Savings)),
			max(260, 34*n+110), TornadoChart(v.in)})
	}
	list = append(list,
		chartItem{"heatmap", v.tr("heatmap"), v.tr("alloc_note"), max(320, rowH*heatRows+240), ReuseHeatmapChart(v.in)},
		chartItem{"graph", v.tr("graph"), v.tr("graph_note"), 680, PortfolioGraphChart(v.in)})
	for _, c := range list {
		hc := htmlChart{ID: c.id, Title: c.title, Note: c.note, Height: c.height}
		// The page's heading titles the chart.
		untitle(c.chart)
		if withJSON {
			js, err := ChartJSON(c.chart)
			if err != nil {
				return err
			}
			hc.JSON = template.JS(js)
		}
		pg.Charts = append(pg.Charts, hc)
	}
	return nil
}

// untitle removes a chart's own title (and moves the graph's legend up).
func untitle(c EChartsOption) {
	switch x := c.(type) {
	case *charts.Sankey:
		x.Title = opts.Title{}
	case *charts.Bar:
		x.Title = opts.Title{}
	case *charts.Line:
		x.Title = opts.Title{}
	case *charts.HeatMap:
		x.Title = opts.Title{}
		if len(x.GridList) > 0 {
			x.GridList[0].Top = "10"
		}
	case *charts.Graph:
		x.Title = opts.Title{}
		x.Legend.Top = "0"
	}
}

// tornadoRows is the number of rows the tornado of savings has.
func (v *view) tornadoRows() int {
	n := 0
	for _, r := range v.r.Tornado {
		if r.Swing > 0 {
			n++
		}
	}
	return min(n, maxTornadoBars)
}

func (v *view) moneyHead(key string) string {
	if v.cur == "" {
		return v.tr(key)
	}
	return v.tr(key) + " (" + v.cur + ")"
}

func (v *view) htmlTables(pg *htmlPage) {
	t := v.r.Totals
	sh, si := v.r.Appraisal.Shared, v.r.Appraisal.Siloed
	heads := func(keys ...string) []htmlCell {
		out := make([]htmlCell, len(keys))
		for i, k := range keys {
			out[i] = htmlCell{Text: k, Num: i > 0}
		}
		return out
	}
	// Appraisal.
	pg.Tables = append(pg.Tables, htmlTable{ID: "appraisal", Title: v.tr("appraisal"),
		Head: heads(v.tr("indicator"), v.tr("scenario_shared"), v.tr("scenario_siloed")),
		Rows: [][]htmlCell{
			{txt(v.moneyHead("pv_cost")), numCell(v.money(sh.PVCost)), numCell(v.money(si.PVCost))},
			{txt(v.moneyHead("pv_benefits")), numCell(v.money(t.PVBenefits)), numCell(v.money(t.PVBenefits))},
			{txt(v.moneyHead("npv")), numCell(v.money(sh.NPV)), numCell(v.money(si.NPV))},
			{txt(v.tr("bcr")), numCell(v.optRatio(sh.BCR)), numCell(v.optRatio(si.BCR))},
			{txt(v.tr("roi")), numCell(v.optPct(sh.ROI)), numCell(v.optPct(si.ROI))},
			{txt(v.tr("irr")), numCell(v.optPct(sh.IRR)), numCell(v.optPct(si.IRR))},
			{txt(v.tr("payback")), numCell(FormatOptionalYear(sh.PaybackYear)), numCell(FormatOptionalYear(si.PaybackYear))},
			{txt(v.moneyHead("cost_per_beneficiary")), numCell(v.optMoney(sh.CostPerBeneficiary)), numCell(v.optMoney(si.CostPerBeneficiary))},
		}})
	// Blocks.
	bt := htmlTable{ID: "blocks", Title: v.tr("by_block"), Note: v.tr("negative_note"),
		Head: heads(v.tr("block"), v.tr("status"), v.tr("consumers"), v.tr("build_year"), v.moneyHead("pv_siloed_short"),
			v.moneyHead("pv_shared_short"), v.moneyHead("savings")),
		Foot: []htmlCell{txt(v.tr("total")), txt(""), txt(""), txt(""), numCell(v.money(t.PVSiloed)), numCell(v.money(t.PVShared)), numCell(v.money(t.Savings))}}
	bt.Head[1].Num = false
	for _, b := range v.blocksBySavings() {
		bt.Rows = append(bt.Rows, []htmlCell{txt(v.blockName(b.ID)), txt(v.statusName(b)), numCell(v.num(float64(b.Consumers))),
			numCell(FormatOptionalYear(b.BuildYear)), numCell(v.money(b.PVSiloed)), numCell(v.money(b.PVShared)), numCell(v.money(b.Savings))})
	}
	pg.Tables = append(pg.Tables, bt)
	v.htmlRoadmapTables(pg)
	// Programmes.
	pt := htmlTable{ID: "programmes", Title: v.tr("by_programme"), Note: v.tr("alloc_note"),
		Head: heads(v.tr("programme"), v.tr("years"), v.moneyHead("pv_siloed_short"), v.moneyHead("pv_shared_short"),
			v.moneyHead("savings"), v.moneyHead("pv_own_short"), v.moneyHead("pv_benefits_short"), v.moneyHead("cost_per_benef_short")),
		Foot: []htmlCell{txt(v.tr("total")), txt(""), numCell(v.money(t.PVSiloed)), numCell(v.money(t.PVShared)), numCell(v.money(t.Savings)),
			numCell(v.money(t.PVOwn)), numCell(v.money(t.PVBenefits)), numCell(v.optMoney(sh.CostPerBeneficiary))}}
	pt.Head[1].Num = false
	for _, p := range v.sortedProgrammes() {
		pf := v.progFig[p.ID]
		if pf == nil {
			continue
		}
		years := FormatYear(pf.StartYear) + "–" + FormatYear(pf.EndYear)
		if pf.ActiveYears == 0 {
			years += " (" + v.tr("inactive") + ")"
		}
		pt.Rows = append(pt.Rows, []htmlCell{txt(p.ID + " — " + v.progName(p.ID)), {Text: years, NoWrap: true}, numCell(v.money(pf.PVSiloed)),
			numCell(v.money(pf.PVShared)), numCell(v.money(pf.Savings)), numCell(v.money(pf.PVOwn)), numCell(v.money(pf.PVBenefits)),
			numCell(v.optMoney(pf.CostPerBeneficiary.Shared))})
	}
	pg.Tables = append(pg.Tables, pt)
	// Goals and SDG targets.
	allocHead := func(first string) []htmlCell {
		return heads(first, v.moneyHead("pv_siloed_short"), v.moneyHead("pv_shared_short"), v.moneyHead("savings"),
			v.moneyHead("pv_own_short"), v.moneyHead("pv_benefits_short"))
	}
	foot := []htmlCell{txt(v.tr("total")), numCell(v.money(t.PVSiloed)), numCell(v.money(t.PVShared)), numCell(v.money(t.Savings)),
		numCell(v.money(t.PVOwn)), numCell(v.money(t.PVBenefits))}
	gt := htmlTable{ID: "goals", Title: v.tr("by_goal"), Note: v.tr("split_note"), Head: allocHead(v.tr("goal")), Foot: foot}
	for _, g := range v.r.Goals {
		name := v.goalName(g.ID)
		if g.ID != model.UnmappedID {
			name = g.ID + " — " + name
		}
		gt.Rows = append(gt.Rows, []htmlCell{txt(name), numCell(v.money(g.PVSiloed)), numCell(v.money(g.PVShared)),
			numCell(v.money(g.Savings)), numCell(v.money(g.PVOwn)), numCell(v.money(g.PVBenefits))})
	}
	pg.Tables = append(pg.Tables, gt)
	tt := htmlTable{ID: "targets", Title: v.tr("by_target"), Head: allocHead(v.tr("sdg_target")), Foot: foot}
	targets := slices.Clone(v.r.SDGTargets)
	slices.SortStableFunc(targets, func(a, b model.TargetFigures) int { return model.CompareIDs(a.ID, b.ID) })
	for _, x := range targets {
		name := htmlCell{Text: v.targetName(x.ID)}
		if x.ID != model.UnmappedID {
			name.Sub = v.targetText(x.ID)
		}
		tt.Rows = append(tt.Rows, []htmlCell{name, numCell(v.money(x.PVSiloed)), numCell(v.money(x.PVShared)),
			numCell(v.money(x.Savings)), numCell(v.money(x.PVOwn)), numCell(v.money(x.PVBenefits))})
	}
	pg.Tables = append(pg.Tables, tt)
	// Years.
	yt := htmlTable{ID: "years", Title: v.tr("yearly"), Note: v.tr("yearly_note"),
		Head: heads(v.tr("year"), v.tr("discount_factor"), v.moneyHead("siloed_costs"), v.moneyHead("shared_costs"),
			v.moneyHead("own_costs"), v.moneyHead("benefits")),
		Foot: []htmlCell{txt(v.tr("present_value")), txt(""), numCell(v.money(t.PVSiloed)), numCell(v.money(t.PVShared)),
			numCell(v.money(t.PVOwn)), numCell(v.money(t.PVBenefits))}}
	for _, y := range v.r.Years {
		yt.Rows = append(yt.Rows, []htmlCell{txt(FormatYear(y.Year)), numCell(FormatNumber(y.DiscountFactor, 4, v.lang)),
			numCell(v.money(y.Siloed)), numCell(v.money(y.Shared)), numCell(v.money(y.Own)), numCell(v.money(y.Benefits))})
	}
	pg.Tables = append(pg.Tables, yt)
	// Uncertainty.
	if mc := v.r.MonteCarlo; mc != nil {
		ut := htmlTable{ID: "uncertainty", Title: v.tr("uncertainty"),
			Note: v.trf("mc_intro", mc.Ranges, v.num(float64(mc.Iterations)), mc.Seed),
			Head: heads(v.tr("indicator"), v.tr("mean"), v.tr("p10"), v.tr("p50"), v.tr("p90"), v.tr("prob_negative"))}
		for _, r := range []struct {
			key string
			d   model.Distribution
		}{{"savings", mc.Savings}, {"npv_shared", mc.NPVShared}} {
			ut.Rows = append(ut.Rows, []htmlCell{txt(v.moneyHead(r.key)), numCell(v.money(r.d.Mean)), numCell(v.money(r.d.P10)),
				numCell(v.money(r.d.P50)), numCell(v.money(r.d.P90)), numCell(FormatPercent(r.d.ProbNegative, 1, v.lang))})
		}
		pg.Tables = append(pg.Tables, ut)
	}
	var trs [][]htmlCell
	for _, r := range v.r.Tornado {
		if r.Swing > 0 && len(trs) < maxTornadoBars {
			a := r.Range
			trs = append(trs, []htmlCell{txt(v.paramName(r.Parameter)),
				numCell(v.money(a.Low) + " / " + v.money(a.Likely) + " / " + v.money(a.High)),
				numCell(v.money(r.Low)), numCell(v.money(r.High)), numCell(v.money(r.Swing))})
		}
	}
	if len(trs) > 0 {
		pg.Tables = append(pg.Tables, htmlTable{ID: "tornado", Title: v.tr("tornado"),
			Note: v.tr("base_savings") + ": " + v.moneyC(t.Savings) + ". " + v.tr("tornado_npv"),
			Head: heads(v.tr("parameter"), v.moneyHead("range"), v.moneyHead("at_low"), v.moneyHead("at_high"), v.moneyHead("swing")),
			Rows: trs})
	}
}

// ChartBootJS starts the charts of a page: for every element with a
// data-chart attribute it reads the option from the <script
// type="application/json"> whose id the attribute names (ChartJSON's
// output), formats tooltip values and value axes (those with no formatter
// of their own) for the language of
// <body data-lang="en|fr" data-decimals="N">, and draws it with the
// ECharts bundle (window.echarts) loaded before it. It holds no user text;
// the web app may serve it as a static script next to the bundle.
const ChartBootJS = bootJS

const bootJS = `(function () {
  "use strict";
  var body = document.body;
  var locale = body.getAttribute("data-lang") === "fr" ? "fr-FR" : "en-GB";
  var dec = parseInt(body.getAttribute("data-decimals") || "0", 10);
  var nf = new Intl.NumberFormat(locale, {minimumFractionDigits: dec, maximumFractionDigits: dec});
  var cf = new Intl.NumberFormat(locale, {notation: "compact", maximumFractionDigits: 1});
  function fmt(v) {
    if (Array.isArray(v)) { return fmt(v[v.length - 1]); }
    return typeof v === "number" ? nf.format(v) : String(v == null ? "" : v);
  }
  function compact(v) { return cf.format(v); }
  if (typeof window.echarts === "undefined") { return; }
  var drawn = [];
  var els = document.querySelectorAll("[data-chart]");
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    var src = document.getElementById(el.getAttribute("data-chart"));
    if (!src) { continue; }
    var opt = JSON.parse(src.textContent);
    opt.tooltip = opt.tooltip || {};
    opt.tooltip.valueFormatter = fmt;
    opt.tooltip.confine = true;
    opt.tooltip.extraCssText = "max-width:32em;white-space:normal;";
    ["xAxis", "yAxis"].forEach(function (k) {
      var axes = opt[k];
      if (!axes) { return; }
      (Array.isArray(axes) ? axes : [axes]).forEach(function (a) {
        if (a && a.type === "value") { a.axisLabel = a.axisLabel || {}; a.axisLabel.formatter = a.axisLabel.formatter || compact; }
      });
    });
    var chart = window.echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(opt);
    drawn.push(chart);
  }
  window.blockplanCharts = drawn;
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();`

var htmlTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="blockplan">
<title>{{.Title}} — {{.Portfolio}}</title>
<style>
:root { --ink:#212529; --muted:#6c757d; --head:#17324d; --rule:#ced4da; --fill:#e4ebf2; --neg:#c0392b; --shared:#2a9d8f; --accent:#e9c46a; }
* { box-sizing: border-box; }
body { margin:0; font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color:var(--ink); background:#f6f8fa; line-height:1.45; }
header.top { background:var(--head); color:#fff; padding:28px 40px 22px; border-bottom:4px solid var(--accent); }
header.top h1 { margin:0 0 6px; font-size:26px; }
header.top .portfolio { font-size:18px; font-weight:600; }
header.top .meta { color:#cfd8e3; font-size:13px; margin-top:6px; }
main { max-width:1280px; margin:0 auto; padding:24px 32px 48px; }
section { background:#fff; border:1px solid #e3e7eb; border-radius:6px; padding:18px 22px; margin:0 0 22px; }
h2 { color:var(--head); font-size:19px; margin:0 0 10px; }
p.note { color:var(--muted); font-size:13px; margin:4px 0 10px; }
.kpis { display:grid; grid-template-columns:repeat(auto-fill, minmax(230px, 1fr)); gap:12px; margin:14px 0 4px; }
.kpi { background:var(--fill); border-left:4px solid var(--shared); padding:10px 14px; border-radius:3px; }
.kpi .label { color:var(--muted); font-size:12.5px; }
.kpi .value { color:var(--head); font-size:21px; font-weight:700; font-variant-numeric:tabular-nums; }
.kpi .value.neg, td.neg { color:var(--neg); }
dl.settings { display:grid; grid-template-columns:max-content 1fr; gap:4px 18px; margin:0; font-size:14px; }
dl.settings dt { color:var(--muted); } dl.settings dd { margin:0; font-weight:600; }
.chart { width:100%; }
.missing { padding:18px; background:#fff3cd; border:1px solid #e9c46a; border-radius:4px; color:#5c4400; }
.tablewrap { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th { background:var(--fill); color:var(--head); text-align:left; padding:6px 8px; border-bottom:1px solid #9fb6cd; vertical-align:bottom; }
td { padding:5px 8px; border-bottom:1px solid #edf0f2; vertical-align:top; }
th.num, td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td.nowrap { white-space:nowrap; }
td:first-child { min-width:240px; }
td:has(.sub) { min-width:360px; }
.sub { color:var(--muted); font-size:12px; display:-webkit-box; -webkit-line-clamp:3; line-clamp:3; -webkit-box-orient:vertical; overflow:hidden; }
tbody tr:nth-child(even) td { background:#f8f9fa; }
tfoot td { font-weight:700; border-top:2px solid var(--head); }
ul.assumptions li { margin:3px 0; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:0 0 30px; }
@media print { body { background:#fff; } section { break-inside:avoid; border:none; } .sub { display:block; } }
</style>
</head>
<body data-lang="{{.Lang}}" data-decimals="{{.Decimals}}">
<header class="top">
<h1>{{.Title}}</h1>
<div class="portfolio">{{.Portfolio}}</div>
<div class="meta">{{.PlanSpan}} · {{.Generated}} · {{.Subtitle}}</div>
</header>
<main>
<section id="summary">
{{range .Headline}}<p>{{.}}</p>
{{end}}<div class="kpis">{{range .KPIs}}
<div class="kpi"><div class="label">{{.Label}}</div><div class="value{{if .Neg}} neg{{end}}">{{.Value}}</div></div>{{end}}
</div>
<p class="note">{{.Footer}}</p>
</section>
<section id="settings">
<h2>{{.SettingsTitle}}</h2>
<dl class="settings">{{range .Settings}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
</section>
{{$missing := .Missing}}{{range .Charts}}<section id="chart-{{.ID}}">
<h2>{{.Title}}</h2>
<p class="note">{{.Note}}</p>
{{if $missing}}<p class="missing" role="note">{{$missing}}</p>{{else}}<div class="chart" id="{{.ID}}" data-chart="opt-{{.ID}}" role="img" aria-label="{{.Title}}" style="height:{{.Height}}px"></div>{{end}}
</section>
{{end}}{{range .Tables}}<section id="table-{{.ID}}">
<h2>{{.Title}}</h2>
{{if .Note}}<p class="note">{{.Note}}</p>
{{end}}<div class="tablewrap"><table>
<thead><tr>{{range .Head}}<th{{if .Num}} class="num"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}
<tr>{{range .}}<td{{if .Num}} class="num{{if .Neg}} neg{{end}}"{{else if .NoWrap}} class="nowrap"{{end}}>{{if .Strong}}<strong>{{.Text}}</strong>{{else}}{{.Text}}{{end}}{{if .Sub}}<div class="sub" title="{{.Sub}}">{{.Sub}}</div>{{end}}</td>{{end}}</tr>{{end}}
</tbody>{{if .Foot}}
<tfoot><tr>{{range .Foot}}<td{{if .Num}} class="num{{if .Neg}} neg{{end}}"{{end}}>{{.Text}}</td>{{end}}</tr></tfoot>{{end}}
</table></div>
</section>
{{end}}<section id="assumptions">
<h2>{{.AssumptionsTitle}}</h2>
<ul class="assumptions">{{range .Assumptions}}<li>{{.}}</li>{{end}}</ul>
<h2>{{.WarningsTitle}}</h2>
{{if .Warnings}}<ul class="assumptions">{{range .Warnings}}<li><strong>{{index . 0}}</strong> — {{index . 1}}</li>{{end}}</ul>{{else}}<p>{{.NoWarnings}}</p>{{end}}
</section>
</main>
<footer>{{.Generated}}</footer>
{{if not .Missing}}<script>{{.ECharts}}</script>
{{range .Charts}}<script type="application/json" id="opt-{{.ID}}">{{.JSON}}</script>
{{end}}<script>{{.Boot}}</script>
{{end}}</body>
</html>
`))

// htmlRoadmapTables are the chosen set for the budget and the points of the
// frontier.
func (v *view) htmlRoadmapTables(pg *htmlPage) {
	rm := v.roadmap()
	if rm.Candidates == 0 || len(rm.Frontier) == 0 {
		return
	}
	if rm.Budget != nil && len(rm.Chosen) > 0 {
		ct := htmlTable{ID: "chosen", Title: v.trf("chosen_set", v.moneyC(*rm.Budget)), Note: strings.Join(v.roadmapSummary()[1:], " "),
			Head: []htmlCell{txt(v.tr("block")), {Text: v.moneyHead("pv_shared_short"), Num: true}, {Text: v.moneyHead("savings"), Num: true},
				txt(v.tr("serves_programmes")), txt(v.tr("serves_goals"))},
			Foot: []htmlCell{txt(v.tr("total")), numCell(v.money(rm.Cost)), numCell(v.money(rm.Savings)), txt(""), txt("")}}
		for _, r := range v.chosenRows(maxServedListed) {
			ct.Rows = append(ct.Rows, []htmlCell{txt(v.blockName(r.id)), numCell(v.money(r.cost)), numCell(v.money(r.savings)),
				txt(r.programmes), txt(r.goal)})
		}
		pg.Tables = append(pg.Tables, ct)
	}
	rows := v.frontierRows(maxFrontierRowsHTML)
	chosen := chosenIndex(rm)
	note := v.tr("frontier_note")
	if chosen >= 0 {
		note += " " + v.tr("frontier_bold")
	}
	if len(rows) < len(rm.Frontier) {
		note += " " + v.trf("frontier_rows", len(rows), len(rm.Frontier))
	}
	ft := htmlTable{ID: "frontier", Title: v.tr("roadmap") + " — " + v.tr("frontier_table"), Note: note,
		Head: []htmlCell{{Text: v.moneyHead("budget_from"), Num: true}, {Text: v.moneyHead("savings"), Num: true},
			{Text: v.tr("share_short"), Num: true}, {Text: v.tr("n_blocks"), Num: true}, txt(v.tr("blocks_change"))}}
	for _, r := range rows {
		cells := []htmlCell{numCell(v.money(max(r.pt.Cost, 0))), numCell(v.money(r.pt.Savings)), numCell(v.optPct(r.share)),
			numCell(v.num(float64(len(r.pt.Blocks)))), txt(v.change(r))}
		if r.index == chosen {
			for i := range cells {
				cells[i].Strong = true
			}
		}
		ft.Rows = append(ft.Rows, cells)
	}
	pg.Tables = append(pg.Tables, ft)
}

package reports

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"blockplan/model"
)

// Producer is written into the PDF's metadata.
const Producer = "blockplan"

// maxChartBars bounds the bars of a chart; tables list everything.
const maxChartBars = 30

// maxTornadoBars bounds the rows of the tornado chart and table.
const maxTornadoBars = 15

// PDF writes the donor report: cover, executive summary, savings by block,
// the investment roadmap (efficient frontier and, for a budget, the chosen
// set), by programme, by national goal and SDG target, year by year, uncertainty
// (when the portfolio has ranges), a traceability appendix and the
// assumptions and warnings. The same Input gives the same bytes.
func PDF(w io.Writer, in Input) error {
	v, err := newView(in)
	if err != nil {
		return err
	}
	d := &pdfDoc{view: v, pdfKit: newPDFKit()}
	d.build()
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("pdf report: %w", err)
	}
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("pdf report: %w", err)
	}
	return nil
}

type pdfDoc struct {
	*view
	*pdfKit
}

func (d *pdfDoc) build() {
	f := d.f
	gen := d.in.Generated
	f.SetCreationDate(gen)
	f.SetModificationDate(gen)
	f.SetProducer(Producer, true)
	f.SetCreator(Producer, true)
	f.SetCatalogSort(true)
	f.SetTitle(d.tr("report_short")+" — "+d.portfolioName(), true)
	f.SetSubject(d.tr("report_title"), true)
	f.SetLang(d.lang)
	f.AliasNbPages("{nb}")
	f.SetHeaderFuncMode(d.header, false)
	f.SetFooterFunc(d.footer)

	d.cover()
	f.AddPage()
	d.summary()
	d.blocksSection()
	d.roadmapSection()
	d.programmesSection()
	d.goalsSection()
	d.targetsSection()
	d.yearsSection()
	if d.hasRanges() {
		d.uncertaintySection()
	}
	d.traceSection()
	d.assumptionsSection()
}

func (d *pdfDoc) header() {
	if d.f.PageNo() == 1 {
		return
	}
	f := d.f
	d.font("", 7.5)
	d.text(colMuted)
	f.SetXY(d.left, 9)
	right := d.tr("report_short")
	rw := f.GetStringWidth(right) + 4
	f.CellFormat(d.width-rw, 4, d.fit(d.portfolioName(), d.width-rw-4), "", 0, "L", false, 0, "")
	f.CellFormat(rw, 4, right, "", 0, "R", false, 0, "")
	d.draw(colRule)
	f.SetLineWidth(0.2)
	f.Line(d.left, 14, d.left+d.width, 14)
	f.SetXY(d.left, d.top)
	d.text(colInk)
}

func (d *pdfDoc) footer() {
	f := d.f
	f.SetXY(d.left, d.pageH-11)
	d.font("", 7.5)
	d.text(colMuted)
	left := d.tr("generated") + " " + FormatDate(d.in.Generated, d.lang) + " · " + Producer
	f.CellFormat(d.width/2, 4, left, "", 0, "L", false, 0, "")
	f.CellFormat(d.width/2, 4, d.trf("page_of", f.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	d.text(colInk)
}

func (d *pdfDoc) cover() {
	f := d.f
	f.AddPage()
	// A band of colour, the title, the portfolio.
	d.fill(colHeading)
	f.Rect(0, 0, d.pageW, 62, "F")
	d.fill(colAccent)
	f.Rect(0, 62, d.pageW, 1.6, "F")
	f.Bookmark(d.tr("report_short"), 0, 0)
	f.SetXY(d.left, 20)
	d.font("B", 21)
	f.SetTextColor(255, 255, 255)
	f.MultiCell(d.width, 9, d.tr("report_title"), "", "L", false)
	f.SetXY(d.left, 76)
	d.font("B", 15)
	d.text(colHeading)
	f.MultiCell(d.width, 7, d.portfolioName(), "", "L", false)
	f.Ln(4)

	pairs := [][2]string{}
	if d.p.Country != "" {
		pairs = append(pairs, [2]string{d.tr("country"), d.p.Country})
	}
	pairs = append(pairs,
		[2]string{d.tr("currency"), orID(d.cur, Dash)},
		[2]string{d.tr("generated"), FormatDate(d.in.Generated, d.lang)},
	)
	d.keyValue(pairs, 48)
	f.Ln(4)
	d.heading(d.tr("settings"), 1, 30)
	d.keyValue(d.settingsPairs(), 48)
	f.Ln(4)
	d.heading(d.tr("contents"), 1, 30)
	d.keyValue([][2]string{
		{d.tr("goals"), d.num(float64(len(d.p.Goals)))},
		{d.tr("programmes"), d.num(float64(len(d.p.Programmes)))},
		{d.tr("use_cases"), d.num(float64(len(d.p.UseCases)))},
		{d.tr("workflows"), d.num(float64(len(d.p.Workflows)))},
		{d.tr("blocks"), d.num(float64(len(d.p.Blocks)))},
	}, 48)
	f.Ln(5)
	d.para(d.tr("report_intro"))
}

// settingsPairs are the settings in force, as printed on the cover.
func (v *view) settingsPairs() [][2]string {
	d := v
	s := d.r.Settings
	siloed := d.tr("none")
	if len(s.SiloedBlocks) > 0 {
		names := make([]string, len(s.SiloedBlocks))
		for i, id := range s.SiloedBlocks {
			names[i] = d.blockName(id)
		}
		siloed = strings.Join(names, ", ")
	}
	mc := d.tr("no_ranges_short")
	if m := d.r.MonteCarlo; m != nil {
		mc = d.trf("mc_draws", m.Iterations, m.Seed)
		mc = strings.Replace(mc, fmt.Sprint(m.Iterations), d.num(float64(m.Iterations)), 1)
	}
	return [][2]string{
		{d.tr("plan_years"), d.planSpan()},
		{d.tr("horizon"), d.trf("n_years", s.HorizonYears)},
		{d.tr("discount_rate"), FormatPercent(s.DiscountRate, 1, d.lang)},
		{d.tr("optimism_bias"), FormatPercent(s.OptimismBias, 1, d.lang)},
		{d.tr("siloed_blocks"), siloed},
		{d.tr("monte_carlo"), mc},
	}
}

func (d *pdfDoc) summary() {
	t := d.r.Totals
	sh, si := d.r.Appraisal.Shared, d.r.Appraisal.Siloed
	d.heading(d.tr("exec_summary"), 0, 40)
	if t.Savings >= 0 {
		d.para(d.trf("headline", d.moneyC(t.PVShared), d.moneyC(t.PVSiloed), d.planSpan(), d.moneyC(t.Savings), d.optPct(t.SavingsRatio)))
	} else {
		d.para(d.trf("headline_loss", d.moneyC(t.PVShared), d.moneyC(t.PVSiloed), d.planSpan(), d.moneyC(-t.Savings)))
	}
	d.para(d.trf("headline_npv", d.moneyC(sh.NPV), d.optRatio(sh.BCR)))

	// Key figures as tiles.
	tiles := [][2]string{
		{d.tr("pv_siloed"), d.moneyC(t.PVSiloed)},
		{d.tr("pv_shared"), d.moneyC(t.PVShared)},
		{d.tr("savings"), d.moneyC(t.Savings)},
		{d.tr("savings_ratio"), d.optPct(t.SavingsRatio)},
		{d.tr("npv"), d.moneyC(sh.NPV)},
		{d.tr("bcr"), d.optRatio(sh.BCR)},
		{d.tr("irr"), d.optPct(sh.IRR)},
		{d.tr("payback"), FormatOptionalYear(sh.PaybackYear)},
		{d.tr("cost_per_beneficiary"), d.optMoneyC(sh.CostPerBeneficiary)},
	}
	d.tiles(tiles)

	d.heading(d.tr("chart_pv"), 1, hbarHeight(3, 7))
	savCol := colSavings
	if t.Savings < 0 {
		savCol = colNegative
	}
	d.hbarChart([]barItem{
		{d.tr("pv_siloed"), t.PVSiloed, colSiloed},
		{d.tr("pv_shared"), t.PVShared, colShared},
		{d.tr("savings"), t.Savings, savCol},
	}, 7, d.money, d.lang)
	d.note(d.trf("amounts_in", orID(d.cur, Dash)))

	d.heading(d.tr("appraisal"), 1, 50)
	cols := []column{{d.tr("indicator"), 0, "L"}, {d.tr("scenario_shared"), 45, "R"}, {d.tr("scenario_siloed"), 45, "R"}}
	rows := []tableRow{
		{cells: []string{d.tr("pv_cost"), d.money(sh.PVCost), d.money(si.PVCost)}},
		{cells: []string{d.tr("pv_benefits"), d.money(t.PVBenefits), d.money(t.PVBenefits)}},
		{cells: []string{d.tr("npv"), d.money(sh.NPV), d.money(si.NPV)}},
		{cells: []string{d.tr("bcr"), d.optRatio(sh.BCR), d.optRatio(si.BCR)}},
		{cells: []string{d.tr("roi"), d.optPct(sh.ROI), d.optPct(si.ROI)}},
		{cells: []string{d.tr("irr"), d.optPct(sh.IRR), d.optPct(si.IRR)}},
		{cells: []string{d.tr("payback"), FormatOptionalYear(sh.PaybackYear), FormatOptionalYear(si.PaybackYear)}},
		{cells: []string{d.tr("cost_per_beneficiary"), d.optMoney(sh.CostPerBeneficiary), d.optMoney(si.CostPerBeneficiary)}},
	}
	d.table(cols, rows)
}

// tiles draws key figures three to a row.
func (d *pdfDoc) tiles(tiles [][2]string) {
	f := d.f
	const perRow, h, gap = 3, 17.0, 3.0
	w := (d.width - gap*(perRow-1)) / perRow
	for i := 0; i < len(tiles); i += perRow {
		d.need(h + gap)
		y := f.GetY()
		for j := 0; j < perRow && i+j < len(tiles); j++ {
			x := d.left + float64(j)*(w+gap)
			d.fill(colHeadFill)
			f.Rect(x, y, w, h, "F")
			d.fill(colShared)
			f.Rect(x, y, 1.2, h, "F")
			d.font("", 7.5)
			d.text(colMuted)
			f.SetXY(x+3, y+2)
			f.CellFormat(w-4, 3.5, d.fit(tiles[i+j][0], w-5), "", 0, "L", false, 0, "")
			d.font("B", 11.5)
			d.text(colHeading)
			if strings.HasPrefix(tiles[i+j][1], "-") {
				d.text(colNegative)
			}
			f.SetXY(x+3, y+8)
			f.CellFormat(w-4, 6, d.fit(tiles[i+j][1], w-5), "", 0, "L", false, 0, "")
		}
		f.SetXY(d.left, y+h+gap)
	}
	d.text(colInk)
	f.Ln(2)
}

func (d *pdfDoc) blocksSection() {
	f := d.f
	f.AddPage()
	d.heading(d.tr("by_block"), 0, 60)
	blocks := d.blocksBySavings()
	chart := blocks
	if len(chart) > maxChartBars {
		chart = slices.Clone(blocks)
		slices.SortStableFunc(chart, func(a, b *model.BlockFigures) int {
			return compareAbsDesc(a.Savings, b.Savings)
		})
		chart = chart[:maxChartBars]
		slices.SortStableFunc(chart, func(a, b *model.BlockFigures) int { return compareDesc(a.Savings, b.Savings) })
	}
	items := make([]barItem, len(chart))
	for i, b := range chart {
		c := colSavings
		if b.Savings < 0 {
			c = colNegative
		}
		items[i] = barItem{d.blockName(b.ID), b.Savings, c}
	}
	d.hbarChart(items, 3.3, d.money, d.lang)
	if len(chart) < len(blocks) {
		d.note(d.trf("chart_top_blocks", len(chart), len(blocks)))
	}
	note := d.trf("amounts_in", orID(d.cur, Dash))
	for _, b := range blocks {
		if b.Savings < 0 {
			note += " " + d.tr("negative_note")
			break
		}
	}
	if unused := len(d.r.Blocks) - len(blocks); unused > 0 {
		note += " " + d.trf("unused_blocks", unused)
	}
	d.note(note)

	cols := []column{
		{d.tr("block"), 0, "L"}, {d.tr("status"), 21, "L"}, {d.tr("consumers"), 18, "R"},
		{d.tr("build_year"), 24, "R"}, {d.moneyHead("pv_siloed_short"), 25, "R"},
		{d.moneyHead("pv_shared_short"), 25, "R"}, {d.moneyHead("savings"), 25, "R"},
	}
	var rows []tableRow
	for _, b := range blocks {
		rows = append(rows, tableRow{cells: []string{d.blockName(b.ID), d.statusName(b), d.num(float64(b.Consumers)),
			FormatOptionalYear(b.BuildYear), d.money(b.PVSiloed), d.money(b.PVShared), d.money(b.Savings)}})
	}
	t := d.r.Totals
	rows = append(rows, tableRow{bold: true, cells: []string{d.tr("total"), "", "", "", d.money(t.PVSiloed), d.money(t.PVShared), d.money(t.Savings)}})
	d.table(cols, rows)
}

func compareDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func compareAbsDesc(a, b float64) int {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	return compareDesc(a, b)
}

func (d *pdfDoc) programmesSection() {
	d.need(90)
	d.heading(d.tr("by_programme"), 0, 40)
	d.note(d.tr("alloc_note"))
	cols := []column{
		{d.tr("programme"), 0, "L"}, {d.tr("years"), 18, "L"},
		{d.moneyHead("pv_siloed_short"), 23, "R"}, {d.moneyHead("pv_shared_short"), 23, "R"},
		{d.moneyHead("savings"), 23, "R"}, {d.moneyHead("pv_benefits_short"), 23, "R"},
		{d.moneyHead("cost_per_benef_short"), 21, "R"},
	}
	var rows []tableRow
	for _, p := range d.sortedProgrammes() {
		pf := d.progFig[p.ID]
		if pf == nil {
			continue
		}
		years := FormatYear(pf.StartYear) + "–" + FormatYear(pf.EndYear)
		if pf.ActiveYears == 0 {
			years += " (" + d.tr("inactive") + ")"
		}
		rows = append(rows, tableRow{cells: []string{p.ID + " — " + d.progName(p.ID), years,
			d.money(pf.PVSiloed), d.money(pf.PVShared), d.money(pf.Savings), d.money(pf.PVBenefits),
			d.optMoney(pf.CostPerBeneficiary.Shared)}})
	}
	t := d.r.Totals
	rows = append(rows, tableRow{bold: true, cells: []string{d.tr("total"), "", d.money(t.PVSiloed), d.money(t.PVShared),
		d.money(t.Savings), d.money(t.PVBenefits), d.optMoney(d.r.Appraisal.Shared.CostPerBeneficiary)}})
	d.table(cols, rows)
}

func (d *pdfDoc) goalsSection() {
	d.heading(d.tr("by_goal"), 0, 60)
	d.note(d.tr("split_note"))
	var items []barItem
	for _, g := range d.r.Goals {
		c := colSavings
		if g.Savings < 0 {
			c = colNegative
		}
		items = append(items, barItem{d.goalName(g.ID), g.Savings, c})
	}
	if len(items) > 0 && len(items) <= maxChartBars {
		d.heading(d.tr("chart_by_goal"), 1, hbarHeight(len(items), 4))
		d.hbarChart(items, 4, d.money, d.lang)
	}
	cols := []column{
		{d.tr("goal"), 0, "L"}, {d.moneyHead("pv_siloed_short"), 25, "R"}, {d.moneyHead("pv_shared_short"), 25, "R"},
		{d.moneyHead("savings"), 25, "R"}, {d.moneyHead("pv_own_short"), 25, "R"}, {d.moneyHead("pv_benefits_short"), 25, "R"},
	}
	var rows []tableRow
	for _, g := range d.r.Goals {
		name := d.goalName(g.ID)
		if g.ID != model.UnmappedID {
			name = g.ID + " — " + name
		}
		rows = append(rows, tableRow{cells: []string{name, d.money(g.PVSiloed), d.money(g.PVShared), d.money(g.Savings),
			d.money(g.PVOwn), d.money(g.PVBenefits)}})
	}
	t := d.r.Totals
	rows = append(rows, tableRow{bold: true, cells: []string{d.tr("total"), d.money(t.PVSiloed), d.money(t.PVShared),
		d.money(t.Savings), d.money(t.PVOwn), d.money(t.PVBenefits)}})
	d.table(cols, rows)
}

func (d *pdfDoc) targetsSection() {
	d.heading(d.tr("by_target"), 0, 40)
	cols := []column{
		{d.tr("sdg_target"), 0, "L"}, {d.moneyHead("pv_siloed_short"), 24, "R"}, {d.moneyHead("pv_shared_short"), 24, "R"},
		{d.moneyHead("savings"), 24, "R"}, {d.moneyHead("pv_own_short"), 24, "R"}, {d.moneyHead("pv_benefits_short"), 24, "R"},
	}
	targets := slices.Clone(d.r.SDGTargets)
	slices.SortStableFunc(targets, func(a, b model.TargetFigures) int {
		if (a.ID == model.UnmappedID) != (b.ID == model.UnmappedID) {
			if a.ID == model.UnmappedID {
				return 1
			}
			return -1
		}
		return model.CompareIDs(a.ID, b.ID)
	})
	// A target's text runs to 560 characters: the table keeps four lines of
	// it, the traceability appendix has it whole.
	d.font("", sizeTable)
	var rows []tableRow
	for _, t := range targets {
		rows = append(rows, tableRow{cells: []string{d.clampLines(d.targetLabel(t.ID), d.width-5*24, 4), d.money(t.PVSiloed), d.money(t.PVShared),
			d.money(t.Savings), d.money(t.PVOwn), d.money(t.PVBenefits)}})
	}
	t := d.r.Totals
	rows = append(rows, tableRow{bold: true, cells: []string{d.tr("total"), d.money(t.PVSiloed), d.money(t.PVShared),
		d.money(t.Savings), d.money(t.PVOwn), d.money(t.PVBenefits)}})
	d.table(cols, rows)
}

func (d *pdfDoc) yearsSection() {
	d.need(150)
	d.heading(d.tr("yearly"), 0, 80)
	ys := d.r.Years
	cats := make([]string, len(ys))
	sil, sh, own, ben := make([]float64, len(ys)), make([]float64, len(ys)), make([]float64, len(ys)), make([]float64, len(ys))
	for i, y := range ys {
		cats[i] = FormatYear(y.Year)
		sil[i], sh[i], own[i], ben[i] = y.Siloed, y.Shared, y.Own, y.Benefits
	}
	if len(ys) > 0 {
		d.groupedBars(cats, []series{
			{name: d.tr("siloed_costs"), values: sil, color: colSiloed},
			{name: d.tr("shared_costs"), values: sh, color: colShared},
			{name: d.tr("own_costs"), values: own, color: colOwn},
			{name: d.tr("benefits"), values: ben, color: colBenefit, line: true},
		}, 62, d.lang)
	}
	d.note(d.trf("amounts_in", orID(d.cur, Dash)) + " " + d.tr("yearly_note"))
	cols := []column{
		{d.tr("year"), 0, "L"}, {d.tr("discount_factor"), 22, "R"}, {d.moneyHead("siloed_costs"), 30, "R"},
		{d.moneyHead("shared_costs"), 30, "R"}, {d.moneyHead("own_costs"), 30, "R"}, {d.moneyHead("benefits"), 30, "R"},
	}
	var rows []tableRow
	for _, y := range ys {
		rows = append(rows, tableRow{cells: []string{FormatYear(y.Year), FormatNumber(y.DiscountFactor, 4, d.lang),
			d.money(y.Siloed), d.money(y.Shared), d.money(y.Own), d.money(y.Benefits)}})
	}
	t := d.r.Totals
	rows = append(rows, tableRow{bold: true, cells: []string{d.tr("present_value"), "", d.money(t.PVSiloed), d.money(t.PVShared),
		d.money(t.PVOwn), d.money(t.PVBenefits)}})
	d.table(cols, rows)
}

func (d *pdfDoc) uncertaintySection() {
	d.need(120)
	d.heading(d.tr("uncertainty"), 0, 50)
	if mc := d.r.MonteCarlo; mc != nil {
		d.para(d.trf("mc_intro", mc.Ranges, d.num(float64(mc.Iterations)), mc.Seed))
		cols := []column{{d.tr("indicator"), 0, "L"}, {d.tr("mean"), 24, "R"}, {d.tr("p10"), 24, "R"},
			{d.tr("p50"), 24, "R"}, {d.tr("p90"), 24, "R"}, {d.tr("prob_negative"), 25, "R"}}
		row := func(name string, dist model.Distribution) tableRow {
			return tableRow{cells: []string{name, d.money(dist.Mean), d.money(dist.P10), d.money(dist.P50), d.money(dist.P90),
				FormatPercent(dist.ProbNegative, 1, d.lang)}}
		}
		d.table(cols, []tableRow{row(d.moneyHead("savings"), mc.Savings), row(d.moneyHead("npv_shared"), mc.NPVShared)})
	}
	// Ranges that move savings (block amounts), largest swing first as the
	// model sorts them; programme amounts move only the NPV.
	var moving []model.TornadoRow
	for _, r := range d.r.Tornado {
		if r.Swing > 0 {
			moving = append(moving, r)
		}
	}
	if len(moving) > 0 {
		shown := moving[:min(len(moving), maxTornadoBars)]
		d.heading(d.tr("tornado"), 1, tornadoHeight(len(shown)))
		bars := make([]tornadoBar, len(shown))
		for i, r := range shown {
			bars[i] = tornadoBar{d.paramName(r.Parameter), r.Low, r.High}
		}
		d.tornadoChart(bars, d.r.Totals.Savings, d.tr("amount_low"), d.tr("amount_high"), d.lang)
		d.note(d.tr("base_savings") + ": " + d.moneyC(d.r.Totals.Savings) + ".")
		cols := []column{{d.tr("parameter"), 0, "L"}, {d.moneyHead("range"), 46, "R"}, {d.moneyHead("at_low"), 24, "R"},
			{d.moneyHead("at_high"), 24, "R"}, {d.moneyHead("swing"), 22, "R"}}
		var trs []tableRow
		for _, r := range shown {
			a := r.Range
			trs = append(trs, tableRow{cells: []string{d.paramName(r.Parameter),
				d.money(a.Low) + " / " + d.money(a.Likely) + " / " + d.money(a.High),
				d.money(r.Low), d.money(r.High), d.money(r.Swing)}})
		}
		d.table(cols, trs)
		if more := len(moving) - len(shown); more > 0 {
			d.note(d.trf("tornado_more", more))
		}
	}
	// The same ranges, and the programmes' own, on the shared scenario's NPV.
	npv := slices.Clone(d.r.Tornado)
	slices.SortStableFunc(npv, func(a, b model.TornadoRow) int {
		return compareDesc(math.Abs(a.NPVHigh-a.NPVLow), math.Abs(b.NPVHigh-b.NPVLow))
	})
	var nbars []tornadoBar
	for _, r := range npv {
		if r.NPVHigh != r.NPVLow && len(nbars) < maxTornadoBars {
			nbars = append(nbars, tornadoBar{d.paramName(r.Parameter), r.NPVLow, r.NPVHigh})
		}
	}
	if len(nbars) > 0 {
		d.heading(d.tr("tornado_npv_title"), 1, tornadoHeight(len(nbars)))
		d.tornadoChart(nbars, d.r.Appraisal.Shared.NPV, d.tr("amount_low"), d.tr("amount_high"), d.lang)
		d.note(d.tr("base_npv") + ": " + d.moneyC(d.r.Appraisal.Shared.NPV) + ". " + d.tr("tornado_npv"))
	}
}

func (d *pdfDoc) traceSection() {
	f := d.f
	f.AddPage()
	d.heading(d.tr("traceability"), 0, 30)
	d.note(d.tr("trace_intro"))
	line := func(indent float64, style string, size float64, s string, c rgb) {
		d.font(style, size)
		d.text(c)
		lines := f.SplitText(s, d.width-indent)
		d.need(float64(len(lines)) * 3.9)
		for _, l := range lines {
			f.SetX(d.left + indent)
			f.CellFormat(d.width-indent, 3.9, l, "", 1, "L", false, 0, "")
		}
	}
	progsOf := func(goal string) []string {
		var out []string
		for _, p := range d.sortedProgrammes() {
			if goal == model.UnmappedID && len(p.Goals) == 0 || slices.Contains(p.Goals, goal) {
				out = append(out, p.ID)
			}
		}
		return out
	}
	programme := func(id string) {
		p := d.progs[id]
		line(5, "B", 8.5, id+" — "+d.progName(id), colInk)
		if len(p.UseCases) == 0 && len(p.Blocks) == 0 {
			line(10, "I", 8, d.tr("no_use_case"), colMuted)
		}
		for _, u := range p.UseCases {
			var names []string
			for _, b := range d.graph.UseCaseBlocks(u) {
				names = append(names, d.blockName(b))
			}
			bl := strings.Join(names, ", ")
			if bl == "" {
				bl = d.tr("no_block")
			}
			line(10, "", 8, d.ucName(u)+" → "+bl, colInk)
		}
		if len(p.Blocks) > 0 {
			names := make([]string, len(p.Blocks))
			for i, b := range p.Blocks {
				names[i] = d.blockName(b)
			}
			line(10, "I", 8, d.tr("direct_blocks")+" → "+strings.Join(names, ", "), colNegative)
		}
	}
	goals := d.sortedGoals()
	for _, g := range goals {
		title := g.ID + " — " + d.goalName(g.ID)
		// The goal's SDG targets: each with its text on a line of its own
		// when the texts are known, else their codes after the title.
		withText := false
		for _, c := range g.SDGTargets {
			withText = withText || d.targetText(c) != ""
		}
		if len(g.SDGTargets) > 0 && !withText {
			title += " (" + d.tr("sdg") + " " + strings.Join(g.SDGTargets, ", ") + ")"
		}
		d.need(12)
		f.Ln(1.5)
		line(0, "B", 9.5, title, colHeading)
		if withText {
			d.font("I", 7.5)
			for _, c := range g.SDGTargets {
				line(5, "I", 7.5, d.clampLines(d.targetLabel(c), d.width-5, 3), colMuted)
			}
			f.Ln(0.8)
		}
		ps := progsOf(g.ID)
		if len(ps) == 0 {
			line(5, "I", 8, d.tr("no_programme"), colMuted)
		}
		for _, p := range ps {
			programme(p)
		}
	}
	if ps := progsOf(model.UnmappedID); len(ps) > 0 {
		d.need(12)
		f.Ln(1.5)
		line(0, "B", 9.5, d.tr("unmapped_goal"), colHeading)
		for _, p := range ps {
			programme(p)
		}
	}
	d.text(colInk)
}

func (d *pdfDoc) assumptionsSection() {
	d.need(110)
	s := d.r.Settings
	d.heading(d.tr("assumptions"), 0, 40)
	for _, b := range []string{
		d.trf("a_window", d.planSpan(), s.HorizonYears),
		d.trf("a_discount", FormatPercent(s.DiscountRate, 1, d.lang)),
		d.trf("a_bias", FormatPercent(s.OptimismBias, 1, d.lang)),
		d.tr("a_siloed"), d.tr("a_shared"), d.tr("a_existing"), d.tr("a_own"), d.tr("a_likely"),
		d.tr("alloc_note"), d.tr("split_note"), d.tr("a_rounding"),
	} {
		d.bullet(b)
	}
	d.heading(d.tr("warnings"), 1, 20)
	if len(d.r.Warnings) == 0 {
		d.para(d.tr("no_warnings"))
		return
	}
	d.para(d.tr("warnings_intro"))
	cols := []column{{d.tr("warning"), 52, "L"}, {d.tr("detail"), 0, "L"}}
	var rows []tableRow
	for _, w := range d.r.Warnings {
		rows = append(rows, tableRow{cells: []string{d.warningTitle(w.Code), d.warningText(w)}})
	}
	d.table(cols, rows)
}

package reports

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"blockplan/model"
)

// The workbook re-expresses the cost model (cost-model.md §1–§6) as live
// formulas over one Inputs sheet, so that a finance officer who changes a
// build cost, a discount rate or a programme's years sees every total move.
// Structure that the formulas cannot sensibly rebuild (which programme needs
// which block, which goal a programme pursues) is written as 0/1 and share
// matrices on their own sheets; everything else is a formula:
//
//	Inputs        settings, block amounts, programme amounts and years (yellow = change me)
//	Activity      per programme and plan year: active, one-off year, benefit year,
//	              "started before" indicators; active years and their present values
//	Membership    the programme × block matrix B(p), and per-block helper rows
//	BlockCalc     per block and year: consumers starting, active, started before,
//	              the shared build year and the common (build + run) flow
//	Blocks        per block: siloed and shared flows per year, PV, savings
//	Programmes    the allocation of §6 to programmes
//	Goals, SDG targets   the equal splits of §6, via the GoalShares and TargetShares matrices
//	Years         portfolio flows per year, net flows and payback tests
//	Roadmap       the investment roadmap as delivered (an optimisation, not formulas)
//	Summary       totals and appraisal, next to the cost model's own figures
//
// Sheet names are the same in both languages so that formulas and scripts
// that point at them keep working; every label inside is translated.

// Sheet names of the workbook.
const (
	SheetSummary      = "Summary"
	SheetInputs       = "Inputs"
	SheetBlocks       = "Blocks"
	SheetProgrammes   = "Programmes"
	SheetGoals        = "Goals"
	SheetTargets      = "SDG targets"
	SheetYears        = "Years"
	SheetActivity     = "Activity"
	SheetMembership   = "Membership"
	SheetBlockCalc    = "BlockCalc"
	SheetGoalShares   = "GoalShares"
	SheetTargetShares = "TargetShares"
)

// Defined names of the settings cells on the Inputs sheet.
const (
	NameStartYear    = "StartYear"
	NameHorizon      = "Horizon"
	NameDiscountRate = "DiscountRate"
	NameOptimismBias = "OptimismBias"
)

// Workbook writes the Excel workbook (.xlsx) of the report.
func Workbook(w io.Writer, in Input) error {
	v, err := newView(in)
	if err != nil {
		return err
	}
	b := newWorkbook(v)
	b.build()
	if b.err != nil {
		return fmt.Errorf("workbook: %w", b.err)
	}
	defer b.f.Close()
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	return nil
}

type workbook struct {
	*view
	f   *excelize.File
	err error

	progs  []*model.Programme
	blocks []*model.BlockFigures
	goals  []model.GoalFigures
	tgts   []model.TargetFigures
	h      int // plan years (columns)

	st styles
	// Row anchors.
	inBlock0, inProg0 int // first data rows of the two Inputs tables
	actRow0           int // first programme row on Activity
	memRow0           int // first programme row of the membership matrix
	blkRow0           int // first block row on Blocks and BlockCalc
	prgRow0           int // first programme row on Programmes
	goalRow0          int
	tgtRow0           int
	yrsRow0           int // first year row on Years
	yrsPV             int // present-value row on Years
}

type styles struct {
	title, note, head, text, input, inputMoney, inputPct, inputYear, money, moneyBold,
	pct, df, share, int, intC, bold, textBold, wrap int
	// Top-aligned, for rows made tall by a wrapped cell.
	textTop, moneyTop, intTop int
}

func newWorkbook(v *view) *workbook {
	b := &workbook{view: v, f: excelize.NewFile(), progs: v.sortedProgrammes(), h: len(v.r.Years)}
	for i := range v.r.Blocks {
		b.blocks = append(b.blocks, &v.r.Blocks[i])
	}
	b.goals, b.tgts = v.r.Goals, v.r.SDGTargets
	return b
}

func (b *workbook) fail(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

// cell is the A1 name of (col, row), both 1-based.
func cell(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // only for coordinates out of Excel's range: a bug here
	}
	return s
}

// abs is the absolute reference $C$5.
func abs(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row, true)
	return s
}

func colName(col int) string {
	s, _ := excelize.ColumnNumberToName(col)
	return s
}

// ref is a reference to a cell of another sheet: 'SDG targets'!C5.
func ref(sheet, c string) string { return quoteSheet(sheet) + "!" + c }

// rng is a range on a sheet: Sheet!$C$5:$C$9.
func rng(sheet string, c1, r1, c2, r2 int) string {
	return quoteSheet(sheet) + "!" + abs(c1, r1) + ":" + abs(c2, r2)
}

func quoteSheet(s string) string {
	if strings.ContainsAny(s, " -'") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return s
}

func (b *workbook) set(sheet string, col, row int, v any, style int) {
	c := cell(col, row)
	b.fail(b.f.SetCellValue(sheet, c, v))
	if style != 0 {
		b.fail(b.f.SetCellStyle(sheet, c, c, style))
	}
}

func (b *workbook) formula(sheet string, col, row int, f string, style int) {
	c := cell(col, row)
	b.fail(b.f.SetCellFormula(sheet, c, f))
	if style != 0 {
		b.fail(b.f.SetCellStyle(sheet, c, c, style))
	}
}

func (b *workbook) style(s *excelize.Style) int {
	id, err := b.f.NewStyle(s)
	b.fail(err)
	return id
}

func (b *workbook) makeStyles() {
	moneyFmt := "#,##0"
	if b.dec > 0 {
		moneyFmt = "#,##0.00"
	}
	yellow := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}
	border := []excelize.Border{{Type: "bottom", Color: "9FB6CD", Style: 1}}
	font := &excelize.Font{Family: "Calibri", Size: 10}
	bold := &excelize.Font{Family: "Calibri", Size: 10, Bold: true}
	b.st = styles{
		title: b.style(&excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 14, Bold: true, Color: "17324D"}}),
		note:  b.style(&excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 9, Italic: true, Color: "6C757D"}}),
		head: b.style(&excelize.Style{Font: bold, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		text:       b.style(&excelize.Style{Font: font}),
		wrap:       b.style(&excelize.Style{Font: font, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		textBold:   b.style(&excelize.Style{Font: bold}),
		input:      b.style(&excelize.Style{Font: font, Fill: yellow}),
		inputMoney: b.style(&excelize.Style{Font: font, Fill: yellow, CustomNumFmt: &moneyFmt}),
		inputPct:   b.style(&excelize.Style{Font: font, Fill: yellow, CustomNumFmt: ptr("0.00%")}),
		inputYear:  b.style(&excelize.Style{Font: font, Fill: yellow, CustomNumFmt: ptr("0")}),
		money:      b.style(&excelize.Style{Font: font, CustomNumFmt: &moneyFmt}),
		moneyBold:  b.style(&excelize.Style{Font: bold, CustomNumFmt: &moneyFmt, Border: []excelize.Border{{Type: "top", Color: "17324D", Style: 1}}}),
		pct:        b.style(&excelize.Style{Font: font, CustomNumFmt: ptr("0.0%")}),
		df:         b.style(&excelize.Style{Font: font, CustomNumFmt: ptr("0.0000")}),
		share:      b.style(&excelize.Style{Font: font, CustomNumFmt: ptr("0.###")}),
		int:        b.style(&excelize.Style{Font: font, CustomNumFmt: ptr("0")}),
		intC:       b.style(&excelize.Style{Font: font, CustomNumFmt: ptr("0"), Alignment: &excelize.Alignment{Horizontal: "center"}}),
		textTop:    b.style(&excelize.Style{Font: font, Alignment: &excelize.Alignment{Vertical: "top"}}),
		moneyTop:   b.style(&excelize.Style{Font: font, CustomNumFmt: &moneyFmt, Alignment: &excelize.Alignment{Vertical: "top"}}),
		intTop:     b.style(&excelize.Style{Font: font, CustomNumFmt: ptr("0"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}),
		bold:       b.style(&excelize.Style{Font: bold, Border: []excelize.Border{{Type: "top", Color: "17324D", Style: 1}}}),
	}
}

func ptr[T any](v T) *T { return &v }

// wrappedLines estimates the lines text takes when wrapped in a column
// width characters wide (Calibri 10 fits about 1.2 characters per unit).
func wrappedLines(text string, width float64) int {
	per := int(width * 1.2)
	lines, n := 1, 0
	for _, w := range strings.Fields(text) {
		l := len([]rune(w))
		switch {
		case n == 0:
			n = l
		case n+1+l > per:
			lines++
			n = l
		default:
			n += 1 + l
		}
	}
	return lines
}

// header writes a header row.
func (b *workbook) header(sheet string, row int, col0 int, heads ...string) {
	for i, h := range heads {
		b.set(sheet, col0+i, row, h, b.st.head)
	}
}

func (b *workbook) build() {
	f := b.f
	b.fail(f.SetSheetName("Sheet1", SheetSummary))
	for _, s := range []string{SheetInputs, SheetBlocks, SheetProgrammes, SheetGoals, SheetTargets, SheetYears, SheetRoadmap,
		SheetActivity, SheetMembership, SheetBlockCalc, SheetGoalShares, SheetTargetShares} {
		_, err := f.NewSheet(s)
		b.fail(err)
	}
	b.makeStyles()
	gen := b.in.Generated.Format("2006-01-02T15:04:05Z")
	b.fail(f.SetDocProps(&excelize.DocProperties{Creator: Producer, LastModifiedBy: Producer, Created: gen, Modified: gen,
		Title: b.tr("report_short") + " — " + orID(b.p.Label(b.lang), b.p.ID), Subject: b.tr("report_title"), Language: b.lang}))
	b.fail(f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: ptr(true)}))

	// The order matters only for anchors: each sheet's rows are fixed
	// before another sheet's formulas refer to them.
	b.layout()
	b.inputs()
	b.activity()
	b.membership()
	b.blockCalc()
	b.blocksSheet()
	b.programmesSheet()
	b.sharesSheets()
	b.goalsSheet()
	b.targetsSheet()
	b.yearsSheet()
	b.roadmapSheet()
	b.summary()
	f.SetActiveSheet(0)
}

// layout fixes the rows every sheet's data starts on.
func (b *workbook) layout() {
	b.inBlock0 = 13
	b.inProg0 = b.inBlock0 + len(b.blocks) + 3
	b.actRow0 = 9
	b.memRow0 = 13
	b.blkRow0 = 5
	b.prgRow0 = 5
	b.goalRow0 = 5
	b.tgtRow0 = 5
	b.yrsRow0 = 5
	b.yrsPV = b.yrsRow0 + b.h
}

// Columns of the Inputs tables.
const (
	inBlockShared = 3 + iota
	inBlockExisting
	inBlockBuild
	inBlockRun
	inBlockIntegration
	inBlockPerConsumer
)

const (
	inProgStart = 3 + iota
	inProgEnd
	inProgOwnBuild
	inProgOwnAnnual
	inProgBenefit
	inProgBenefitStart
	inProgBeneficiaries
)

func (b *workbook) inBlockRow(j int) int { return b.inBlock0 + j }
func (b *workbook) inProgRow(i int) int  { return b.inProg0 + i }

func (b *workbook) inputs() {
	s := SheetInputs
	st := b.st
	b.set(s, 1, 1, b.tr("wb_inputs_title"), st.title)
	b.set(s, 1, 2, b.tr("wb_inputs_note"), st.note)
	b.header(s, 4, 1, b.tr("setting"), b.tr("value"))
	set := b.r.Settings
	rows := []struct {
		name, label string
		v           any
		style       int
	}{
		{NameStartYear, b.tr("start_year"), set.StartYear, st.inputYear},
		{NameHorizon, b.tr("horizon"), set.HorizonYears, st.inputYear},
		{NameDiscountRate, b.tr("discount_rate"), set.DiscountRate, st.inputPct},
		{NameOptimismBias, b.tr("optimism_bias"), set.OptimismBias, st.inputPct},
	}
	for i, r := range rows {
		b.set(s, 1, 5+i, r.label, st.text)
		b.set(s, 2, 5+i, r.v, r.style)
		b.fail(b.f.SetDefinedName(&excelize.DefinedName{Name: r.name, RefersTo: s + "!" + abs(2, 5+i)}))
	}
	b.set(s, 3, 6, b.tr("wb_horizon_note"), st.note)
	b.set(s, 1, 9, b.tr("currency"), st.text)
	b.set(s, 2, 9, b.cur, st.text)

	b.set(s, 1, b.inBlock0-2, b.tr("blocks"), st.textBold)
	b.header(s, b.inBlock0-1, 1, b.tr("id"), b.tr("block"), b.tr("wb_shared"), b.tr("wb_existing"),
		b.moneyHead("wb_h_build"), b.moneyHead("wb_h_run"), b.capital("f_integration_cost"), b.capital("f_per_consumer_run_cost"))
	for j, bf := range b.blocks {
		r := b.inBlockRow(j)
		blk := b.view.blocks[bf.ID]
		b.set(s, 1, r, bf.ID, st.text)
		b.set(s, 2, r, b.blockName(bf.ID), st.text)
		b.set(s, inBlockShared, r, boolInt(!bf.ForcedSiloed), st.input)
		b.set(s, inBlockExisting, r, boolInt(bf.Status == model.StatusExisting), st.input)
		var a [4]float64
		if blk != nil {
			a = [4]float64{blk.BuildCost.Likely, blk.AnnualRunCost.Likely, blk.IntegrationCost.Likely, blk.PerConsumerRunCost.Likely}
		}
		for k, x := range a {
			b.set(s, inBlockBuild+k, r, x, st.inputMoney)
		}
	}

	b.set(s, 1, b.inProg0-2, b.tr("programmes"), st.textBold)
	b.header(s, b.inProg0-1, 1, b.tr("id"), b.tr("programme"), b.tr("start_year"), b.tr("end_year"),
		b.capital("f_own_build_cost"), b.capital("f_own_annual_cost"), b.capital("f_annual_benefit"),
		b.tr("benefit_start_year"), b.tr("beneficiaries"))
	for i, p := range b.progs {
		r := b.inProgRow(i)
		b.set(s, 1, r, p.ID, st.text)
		b.set(s, 2, r, b.progName(p.ID), st.text)
		// Defaults stay formulas, so that they follow the settings.
		if p.StartYear != nil {
			b.set(s, inProgStart, r, *p.StartYear, st.inputYear)
		} else {
			b.formula(s, inProgStart, r, NameStartYear, st.inputYear)
		}
		if p.EndYear != nil {
			b.set(s, inProgEnd, r, *p.EndYear, st.inputYear)
		} else {
			b.formula(s, inProgEnd, r, NameStartYear+"+"+NameHorizon+"-1", st.inputYear)
		}
		b.set(s, inProgOwnBuild, r, p.OwnBuildCost.Likely, st.inputMoney)
		b.set(s, inProgOwnAnnual, r, p.OwnAnnualCost.Likely, st.inputMoney)
		b.set(s, inProgBenefit, r, p.AnnualBenefit.Likely, st.inputMoney)
		if p.BenefitStartYear != nil {
			b.set(s, inProgBenefitStart, r, *p.BenefitStartYear, st.inputYear)
		} else {
			b.formula(s, inProgBenefitStart, r, cell(inProgStart, r), st.inputYear)
		}
		if p.Beneficiaries != nil {
			b.set(s, inProgBeneficiaries, r, *p.Beneficiaries, st.input)
		}
	}
	b.widths(s, map[int]float64{1: 42, 2: 44, 3: 16, 4: 16, 5: 18, 6: 18, 7: 18, 8: 18, 9: 16})
	b.freeze(s, 0, b.inBlock0-1)
}

// capital is a label with its first letter upper-cased ("build cost" →
// "Build cost"), for field names used as headers.
func (b *workbook) capital(key string) string {
	s := b.tr(key)
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

func (b *workbook) widths(sheet string, w map[int]float64) {
	for c, x := range w {
		b.fail(b.f.SetColWidth(sheet, colName(c), colName(c), x))
	}
}

// freeze keeps the first cols columns and rows rows in view.
func (b *workbook) freeze(sheet string, cols, rows int) {
	b.fail(b.f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows,
		TopLeftCell: cell(cols+1, rows+1), ActivePane: "bottomRight"}))
}

// Activity: groups of plan-year columns.
const (
	actActive = iota
	actOneOff
	actBenefit
	actEarlier
	actGroups
)

func (b *workbook) actCol(group, t int) int { return 3 + group*b.h + t }
func (b *workbook) actRow(i int) int        { return b.actRow0 + i }

// Extra per-programme columns of Activity.
func (b *workbook) actNAct() int  { return 3 + actGroups*b.h }
func (b *workbook) actPVAct() int { return b.actNAct() + 1 }
func (b *workbook) actPVOne() int { return b.actNAct() + 2 }
func (b *workbook) actPVBen() int { return b.actNAct() + 3 }
func (b *workbook) actPart() int  { return b.actNAct() + 4 }

// Timeline rows of Activity (group 0 holds the formulas; the plan's years,
// "in plan" flags and discount factors for every other sheet).
const (
	actYearRow   = 5
	actInPlanRow = 6
	actDFRow     = 7
)

func (b *workbook) yearRef(t int) string { return ref(SheetActivity, abs(b.actCol(0, t), actYearRow)) }
func (b *workbook) inPlanRef(t int) string {
	return ref(SheetActivity, abs(b.actCol(0, t), actInPlanRow))
}

// dfRange is the discount factors as a row, for SUMPRODUCT with a row of flows.
func (b *workbook) dfRange() string {
	return rng(SheetActivity, b.actCol(0, 0), actDFRow, b.actCol(0, b.h-1), actDFRow)
}

func (b *workbook) activity() {
	s := SheetActivity
	st := b.st
	b.set(s, 1, 1, b.tr("wb_activity"), st.title)
	groups := []string{b.tr("wb_active"), b.tr("wb_oneoff"), b.tr("wb_benefit"), b.tr("wb_earlier")}
	b.set(s, 2, actYearRow, b.tr("year"), st.textBold)
	b.set(s, 2, actInPlanRow, b.tr("wb_in_plan"), st.textBold)
	b.set(s, 2, actDFRow, b.tr("discount_factor"), st.textBold)
	for g, name := range groups {
		b.set(s, b.actCol(g, 0), 4, name, st.textBold)
		for t := range b.h {
			c := b.actCol(g, t)
			if g == 0 {
				b.formula(s, c, actYearRow, fmt.Sprintf("%s+%d", NameStartYear, t), st.int)
				b.formula(s, c, actInPlanRow, fmt.Sprintf("IF(%d<%s,1,0)", t, NameHorizon), st.int)
				b.formula(s, c, actDFRow, fmt.Sprintf("IF(%s=1,(1+%s)^-%d,0)", cell(c, actInPlanRow), NameDiscountRate, t), st.df)
			} else {
				b.formula(s, c, actYearRow, abs(b.actCol(0, t), actYearRow), st.int)
			}
		}
	}
	heads := []string{b.tr("id"), b.tr("programme")}
	b.header(s, b.actRow0-1, 1, heads...)
	for g := range actGroups {
		for t := range b.h {
			b.formula(s, b.actCol(g, t), b.actRow0-1, abs(b.actCol(0, t), actYearRow), st.head)
		}
	}
	b.header(s, b.actRow0-1, b.actNAct(), b.tr("wb_active_years"), b.tr("wb_pv_active"), b.tr("wb_pv_oneoff"),
		b.tr("wb_pv_benefit"), b.tr("wb_participates"))

	for i, p := range b.progs {
		r := b.actRow(i)
		in := func(col int) string { return ref(SheetInputs, abs(col, b.inProgRow(i))) }
		b.set(s, 1, r, p.ID, st.text)
		b.set(s, 2, r, b.progName(p.ID), st.text)
		for t := range b.h {
			year, inPlan := abs(b.actCol(0, t), actYearRow), abs(b.actCol(0, t), actInPlanRow)
			active := cell(b.actCol(actActive, t), r)
			b.formula(s, b.actCol(actActive, t), r,
				fmt.Sprintf("IF(AND(%s>=%s,%s<=%s,%s=1),1,0)", year, in(inProgStart), year, in(inProgEnd), inPlan), st.int)
			b.formula(s, b.actCol(actOneOff, t), r,
				fmt.Sprintf("IF(AND(%s=%s,%s=1),1,0)", year, in(inProgStart), inPlan), st.int)
			b.formula(s, b.actCol(actBenefit, t), r,
				fmt.Sprintf("IF(AND(%s=1,%s>=%s),1,0)", active, year, in(inProgBenefitStart)), st.int)
			b.formula(s, b.actCol(actEarlier, t), r,
				fmt.Sprintf("IF(AND(%s<%s,%s=1),1,0)", in(inProgStart), year, cell(b.actPart(), r)), st.int)
		}
		row := func(g int) string { return cell(b.actCol(g, 0), r) + ":" + cell(b.actCol(g, b.h-1), r) }
		df := abs(b.actCol(0, 0), actDFRow) + ":" + abs(b.actCol(0, b.h-1), actDFRow)
		b.formula(s, b.actNAct(), r, "SUM("+row(actActive)+")", st.int)
		b.formula(s, b.actPVAct(), r, "SUMPRODUCT("+row(actActive)+","+df+")", st.df)
		b.formula(s, b.actPVOne(), r, "SUMPRODUCT("+row(actOneOff)+","+df+")", st.df)
		b.formula(s, b.actPVBen(), r, "SUMPRODUCT("+row(actBenefit)+","+df+")", st.df)
		b.formula(s, b.actPart(), r, fmt.Sprintf("IF(%s>0,1,0)", cell(b.actNAct(), r)), st.int)
	}
	b.widths(s, map[int]float64{1: 22, 2: 36})
	b.freeze(s, 2, b.actRow0-1)
}

// actColumn is one Activity column over all programmes, for SUMPRODUCT with a
// membership column.
func (b *workbook) actColumn(col int) string {
	return rng(SheetActivity, col, b.actRow0, col, b.actRow0+max(len(b.progs), 1)-1)
}

// Membership helper rows (per block column).
const (
	memBuildRow = 5 + iota
	memRunRow
	memSumActiveRow
	memCPYRow
	memOneOffRow
	memRecurringRow
)

func (b *workbook) memCol(j int) int { return 3 + j }

// memColumn is block j's column of the matrix.
func (b *workbook) memColumn(j int) string {
	return rng(SheetMembership, b.memCol(j), b.memRow0, b.memCol(j), b.memRow0+max(len(b.progs), 1)-1)
}

// memRow is programme i's row of the matrix.
func (b *workbook) memRow(i int) string {
	last := b.memCol(max(len(b.blocks), 1) - 1)
	return rng(SheetMembership, b.memCol(0), b.memRow0+i, last, b.memRow0+i)
}

// memHelper is one helper row over all block columns.
func (b *workbook) memHelper(row int) string {
	last := b.memCol(max(len(b.blocks), 1) - 1)
	return rng(SheetMembership, b.memCol(0), row, last, row)
}

func (b *workbook) membership() {
	s := SheetMembership
	st := b.st
	b.set(s, 1, 1, b.tr("wb_membership"), st.title)
	b.set(s, 1, 3, b.tr("wb_helpers"), st.textBold)
	b.header(s, 4, 1, "", b.tr("block"))
	for j, bf := range b.blocks {
		b.set(s, b.memCol(j), 4, bf.ID, st.head)
		b.set(s, b.memCol(j), b.memRow0-1, bf.ID, st.head)
	}
	for _, h := range []struct {
		row int
		key string
	}{{memBuildRow, "wb_h_build"}, {memRunRow, "wb_h_run"}, {memSumActiveRow, "wb_h_sumactive"}, {memCPYRow, "wb_h_cpy"},
		{memOneOffRow, "wb_h_oneoff"}, {memRecurringRow, "wb_h_recurring"}} {
		b.set(s, 2, h.row, b.tr(h.key), st.text)
	}
	for j := range b.blocks {
		c := b.memCol(j)
		in := func(col int) string { return ref(SheetInputs, abs(col, b.inBlockRow(j))) }
		b.formula(s, c, memBuildRow, in(inBlockBuild), st.money)
		b.formula(s, c, memRunRow, in(inBlockRun), st.money)
		b.formula(s, c, memSumActiveRow, "SUMPRODUCT("+b.memColumn(j)+","+b.actColumn(b.actNAct())+")", st.int)
		b.formula(s, c, memCPYRow, fmt.Sprintf("IF(%s=0,0,%s*%s/%s)", cell(c, memSumActiveRow), in(inBlockShared),
			ref(SheetBlocks, abs(blkPVCommon, b.blkRow0+j)), cell(c, memSumActiveRow)), st.money)
		b.formula(s, c, memOneOffRow, fmt.Sprintf("%s*%s+(1-%s)*%s", in(inBlockShared), in(inBlockIntegration),
			in(inBlockShared), in(inBlockBuild)), st.money)
		b.formula(s, c, memRecurringRow, fmt.Sprintf("%s*%s+(1-%s)*%s", in(inBlockShared), in(inBlockPerConsumer),
			in(inBlockShared), in(inBlockRun)), st.money)
	}
	b.set(s, 1, b.memRow0-2, b.tr("wb_membership"), st.textBold)
	b.set(s, 1, b.memRow0-1, b.tr("id"), st.head)
	b.set(s, 2, b.memRow0-1, b.tr("programme"), st.head)
	blockIdx := make(map[string]int, len(b.blocks))
	for j, bf := range b.blocks {
		blockIdx[bf.ID] = j
	}
	for i, p := range b.progs {
		r := b.memRow0 + i
		b.set(s, 1, r, p.ID, st.text)
		b.set(s, 2, r, b.progName(p.ID), st.text)
		in := make([]int, len(b.blocks))
		if pf := b.progFig[p.ID]; pf != nil {
			for _, id := range pf.Blocks {
				if j, ok := blockIdx[id]; ok {
					in[j] = 1
				}
			}
		}
		for j, x := range in {
			b.set(s, b.memCol(j), r, x, st.int)
		}
	}
	b.widths(s, map[int]float64{1: 22, 2: 40})
	b.freeze(s, 2, b.memRow0-1)
}

// BlockCalc groups of plan-year columns.
const (
	bcStarts = iota
	bcRunning
	bcEarlier
	bcBuild
	bcCommon
	bcGroups
)

func (b *workbook) bcCol(g, t int) int { return 3 + g*b.h + t }

func (b *workbook) blockCalc() {
	s := SheetBlockCalc
	st := b.st
	b.set(s, 1, 1, b.tr("wb_blockcalc"), st.title)
	groups := []string{b.tr("wb_starts"), b.tr("wb_running"), b.tr("wb_started_before"), b.tr("wb_build_ind"), b.tr("wb_common")}
	for g, name := range groups {
		b.set(s, b.bcCol(g, 0), 3, name, st.textBold)
		for t := range b.h {
			b.formula(s, b.bcCol(g, t), b.blkRow0-1, b.yearRef(t), st.head)
		}
	}
	b.set(s, 1, b.blkRow0-1, b.tr("id"), st.head)
	b.set(s, 2, b.blkRow0-1, b.tr("block"), st.head)
	ob := "(1+" + NameOptimismBias + ")"
	for j, bf := range b.blocks {
		r := b.blkRow0 + j
		in := func(col int) string { return ref(SheetInputs, abs(col, b.inBlockRow(j))) }
		b.set(s, 1, r, bf.ID, st.text)
		b.set(s, 2, r, b.blockName(bf.ID), st.text)
		for t := range b.h {
			sp := func(group int) string {
				return "SUMPRODUCT(" + b.memColumn(j) + "," + b.actColumn(b.actCol(group, t)) + ")"
			}
			b.formula(s, b.bcCol(bcStarts, t), r, sp(actOneOff), st.int)
			b.formula(s, b.bcCol(bcRunning, t), r, sp(actActive), st.int)
			b.formula(s, b.bcCol(bcEarlier, t), r, sp(actEarlier), st.int)
			b.formula(s, b.bcCol(bcBuild, t), r, fmt.Sprintf("IF(AND(%s=0,%s=1,%s>0,%s=0),1,0)", in(inBlockExisting),
				in(inBlockShared), cell(b.bcCol(bcStarts, t), r), cell(b.bcCol(bcEarlier, t), r)), st.int)
			b.formula(s, b.bcCol(bcCommon, t), r, fmt.Sprintf("%s*%s*%s+%s*IF(%s>0,1,0)", in(inBlockBuild), ob,
				cell(b.bcCol(bcBuild, t), r), in(inBlockRun), cell(b.bcCol(bcRunning, t), r)), st.money)
		}
	}
	b.widths(s, map[int]float64{1: 30, 2: 36})
	b.freeze(s, 2, b.blkRow0-1)
}

// Columns of the Blocks sheet.
const (
	blkStatus = 3 + iota
	blkConsumers
	blkBuildYear
	blkPVSiloed
	blkPVShared
	blkSavings
	blkPVCommon
	blkYear0 // first yearly column (siloed flows, then shared flows)
)

func (b *workbook) blkSiloedCol(t int) int { return blkYear0 + t }
func (b *workbook) blkSharedCol(t int) int { return blkYear0 + b.h + t }

// blkDFRow holds discount factors above the yearly columns.
const blkDFRow = 3

func (b *workbook) blocksSheet() {
	s := SheetBlocks
	st := b.st
	b.set(s, 1, 1, b.tr("by_block"), st.title)
	b.set(s, 1, 2, b.trf("amounts_in", orID(b.cur, Dash)), st.note)
	b.set(s, blkYear0-1, blkDFRow, b.tr("discount_factor"), st.textBold)
	b.header(s, b.blkRow0-1, 1, b.tr("id"), b.tr("block"), b.tr("status"), b.tr("consumers"), b.tr("build_year"),
		b.moneyHead("pv_siloed_short"), b.moneyHead("pv_shared_short"), b.moneyHead("savings"), b.moneyHead("wb_pv_common"))
	for t := range b.h {
		for _, c := range []int{b.blkSiloedCol(t), b.blkSharedCol(t)} {
			b.formula(s, c, blkDFRow, ref(SheetActivity, abs(b.actCol(0, t), actDFRow)), st.df)
		}
		b.formula(s, b.blkSiloedCol(t), b.blkRow0-1, fmt.Sprintf(`"%s "&%s`, escFormula(b.tr("scenario_siloed")), b.yearRef(t)), st.head)
		b.formula(s, b.blkSharedCol(t), b.blkRow0-1, fmt.Sprintf(`"%s "&%s`, escFormula(b.tr("scenario_shared")), b.yearRef(t)), st.head)
	}
	ob := "(1+" + NameOptimismBias + ")"
	bcRow := func(g, r int) string {
		return ref(SheetBlockCalc, cell(b.bcCol(g, 0), r)+":"+cell(b.bcCol(g, b.h-1), r))
	}
	for j, bf := range b.blocks {
		r := b.blkRow0 + j
		in := func(col int) string { return ref(SheetInputs, abs(col, b.inBlockRow(j))) }
		b.set(s, 1, r, bf.ID, st.text)
		b.set(s, 2, r, b.blockName(bf.ID), st.text)
		b.set(s, blkStatus, r, b.statusName(bf), st.text)
		b.formula(s, blkConsumers, r, "SUMPRODUCT("+b.memColumn(j)+","+b.actColumn(b.actPart())+")", st.int)
		years := rng(SheetBlockCalc, b.bcCol(bcBuild, 0), b.blkRow0-1, b.bcCol(bcBuild, b.h-1), b.blkRow0-1)
		b.formula(s, blkBuildYear, r, fmt.Sprintf(`IF(SUM(%s)=0,"",SUMPRODUCT(%s,%s))`, bcRow(bcBuild, r), bcRow(bcBuild, r), years), st.int)
		for t := range b.h {
			starts := ref(SheetBlockCalc, cell(b.bcCol(bcStarts, t), r))
			running := ref(SheetBlockCalc, cell(b.bcCol(bcRunning, t), r))
			common := ref(SheetBlockCalc, cell(b.bcCol(bcCommon, t), r))
			siloed := cell(b.blkSiloedCol(t), r)
			b.formula(s, b.blkSiloedCol(t), r, fmt.Sprintf("%s*%s*%s+%s*%s", in(inBlockBuild), ob, starts, in(inBlockRun), running), st.money)
			b.formula(s, b.blkSharedCol(t), r, fmt.Sprintf("IF(%s=1,%s+%s*%s*%s+%s*%s,%s)", in(inBlockShared), common,
				in(inBlockIntegration), ob, starts, in(inBlockPerConsumer), running, siloed), st.money)
		}
		row := func(c0 int) string { return cell(c0, r) + ":" + cell(c0+b.h-1, r) }
		dfRow := func(c0 int) string { return abs(c0, blkDFRow) + ":" + abs(c0+b.h-1, blkDFRow) }
		b.formula(s, blkPVSiloed, r, "SUMPRODUCT("+row(b.blkSiloedCol(0))+","+dfRow(b.blkSiloedCol(0))+")", st.money)
		b.formula(s, blkPVShared, r, "SUMPRODUCT("+row(b.blkSharedCol(0))+","+dfRow(b.blkSharedCol(0))+")", st.money)
		b.formula(s, blkSavings, r, cell(blkPVSiloed, r)+"-"+cell(blkPVShared, r), st.money)
		b.formula(s, blkPVCommon, r, "SUMPRODUCT("+bcRow(bcCommon, r)+","+b.dfRange()+")", st.money)
	}
	tr := b.blkTotalRow()
	b.set(s, 2, tr, b.tr("total"), st.bold)
	for _, c := range []int{blkPVSiloed, blkPVShared, blkSavings, blkPVCommon} {
		b.formula(s, c, tr, b.colSum(c, b.blkRow0, tr-1), st.moneyBold)
	}
	for t := range b.h {
		for _, c := range []int{b.blkSiloedCol(t), b.blkSharedCol(t)} {
			b.formula(s, c, tr, b.colSum(c, b.blkRow0, tr-1), st.moneyBold)
		}
	}
	w := map[int]float64{1: 30, 2: 36, blkStatus: 14, blkConsumers: 12, blkBuildYear: 12}
	for c := blkPVSiloed; c < blkYear0+2*b.h; c++ {
		w[c] = 17
	}
	b.widths(s, w)
	b.freeze(s, 2, b.blkRow0-1)
}

func (b *workbook) blkTotalRow() int { return b.blkRow0 + max(len(b.blocks), 1) }

// colSum is SUM over rows r1..r2 of column c (0 when the range is empty).
func (b *workbook) colSum(c, r1, r2 int) string {
	if r2 < r1 {
		return "0"
	}
	return "SUM(" + cell(c, r1) + ":" + cell(c, r2) + ")"
}

// escFormula escapes a string for a formula's string literal.
func escFormula(s string) string { return strings.ReplaceAll(s, `"`, `""`) }

// Columns of the Programmes sheet.
const (
	prgAgency = 3 + iota
	prgStart
	prgEnd
	prgActiveYears
	prgPVSiloed
	prgPVShared
	prgSavings
	prgPVOwn
	prgPVBenefits
	prgBeneficiaries
	prgCPBShared
	prgCPBSiloed
)

func (b *workbook) programmesSheet() {
	s := SheetProgrammes
	st := b.st
	b.set(s, 1, 1, b.tr("by_programme"), st.title)
	b.set(s, 1, 2, b.tr("alloc_note"), st.note)
	b.header(s, b.prgRow0-1, 1, b.tr("id"), b.tr("programme"), b.tr("archi_agency"), b.tr("start_year"), b.tr("end_year"),
		b.tr("wb_active_years"), b.moneyHead("pv_siloed_short"), b.moneyHead("pv_shared_short"), b.moneyHead("savings"),
		b.moneyHead("pv_own_short"), b.moneyHead("pv_benefits_short"), b.tr("beneficiaries"),
		b.moneyHead("cost_per_benef_short")+" — "+b.tr("scenario_shared"), b.moneyHead("cost_per_benef_short")+" — "+b.tr("scenario_siloed"))
	ob := "(1+" + NameOptimismBias + ")"
	for i, p := range b.progs {
		r := b.prgRow0 + i
		in := func(col int) string { return ref(SheetInputs, abs(col, b.inProgRow(i))) }
		act := func(col int) string { return ref(SheetActivity, abs(col, b.actRow(i))) }
		sp := func(helper int) string { return "SUMPRODUCT(" + b.memRow(i) + "," + b.memHelper(helper) + ")" }
		b.set(s, 1, r, p.ID, st.text)
		b.set(s, 2, r, b.progName(p.ID), st.text)
		if p.Agency != "" {
			b.set(s, prgAgency, r, b.agencyName(p.Agency), st.text)
		}
		b.formula(s, prgStart, r, in(inProgStart), st.int)
		b.formula(s, prgEnd, r, in(inProgEnd), st.int)
		b.formula(s, prgActiveYears, r, act(b.actNAct()), st.int)
		b.formula(s, prgPVSiloed, r, fmt.Sprintf("%s*%s*%s+%s*%s", ob, act(b.actPVOne()), sp(memBuildRow), act(b.actPVAct()), sp(memRunRow)), st.money)
		b.formula(s, prgPVShared, r, fmt.Sprintf("%s*%s+%s*%s*%s+%s*%s", act(b.actNAct()), sp(memCPYRow),
			ob, act(b.actPVOne()), sp(memOneOffRow), act(b.actPVAct()), sp(memRecurringRow)), st.money)
		b.formula(s, prgSavings, r, cell(prgPVSiloed, r)+"-"+cell(prgPVShared, r), st.money)
		b.formula(s, prgPVOwn, r, fmt.Sprintf("%s*%s*%s+%s*%s", ob, in(inProgOwnBuild), act(b.actPVOne()), in(inProgOwnAnnual), act(b.actPVAct())), st.money)
		b.formula(s, prgPVBenefits, r, in(inProgBenefit)+"*"+act(b.actPVBen()), st.money)
		if p.Beneficiaries != nil {
			b.formula(s, prgBeneficiaries, r, in(inProgBeneficiaries), st.int)
			ben := cell(prgBeneficiaries, r)
			b.formula(s, prgCPBShared, r, fmt.Sprintf(`IF(%s>0,(%s+%s)/%s,"")`, ben, cell(prgPVShared, r), cell(prgPVOwn, r), ben), st.money)
			b.formula(s, prgCPBSiloed, r, fmt.Sprintf(`IF(%s>0,(%s+%s)/%s,"")`, ben, cell(prgPVSiloed, r), cell(prgPVOwn, r), ben), st.money)
		}
	}
	tr := b.prgTotalRow()
	b.set(s, 2, tr, b.tr("total"), st.bold)
	for _, c := range []int{prgPVSiloed, prgPVShared, prgSavings, prgPVOwn, prgPVBenefits} {
		b.formula(s, c, tr, b.colSum(c, b.prgRow0, tr-1), st.moneyBold)
	}
	w := map[int]float64{1: 22, 2: 44, prgAgency: 28, prgStart: 10, prgEnd: 10, prgActiveYears: 10, prgBeneficiaries: 14}
	for c := prgPVSiloed; c <= prgCPBSiloed; c++ {
		if c != prgBeneficiaries {
			w[c] = 17
		}
	}
	b.widths(s, w)
	b.freeze(s, 2, b.prgRow0-1)
}

func (b *workbook) prgTotalRow() int { return b.prgRow0 + max(len(b.progs), 1) }

// prgColumn is one column of the Programmes sheet over all programmes.
func (b *workbook) prgColumn(c int) string {
	return rng(SheetProgrammes, c, b.prgRow0, c, b.prgRow0+max(len(b.progs), 1)-1)
}

// Share matrices: rows start at row 4 (row 3 is the header).
const shareRow0 = 4

func (b *workbook) sharesSheets() {
	progIDs := make([]string, len(b.progs))
	for i, p := range b.progs {
		progIDs[i] = p.ID
	}
	goalCols := make([]shareColumn, len(b.goals))
	goalIDs := make([]string, len(b.goals))
	for g, gf := range b.goals {
		goalCols[g] = shareColumn{gf.ID, gf.Programmes}
		goalIDs[g] = gf.ID
	}
	tgtCols := make([]shareColumn, len(b.tgts))
	for t, tf := range b.tgts {
		tgtCols[t] = shareColumn{tf.ID, tf.Goals}
	}
	b.shareMatrix(SheetGoalShares, "wb_goal_shares", "programme", progIDs, b.progName, goalCols)
	b.shareMatrix(SheetTargetShares, "wb_target_shares", "goal", goalIDs, b.goalName, tgtCols)
}

// shareColumn is one column of a share matrix: a goal (or SDG target) and
// the shares of the programmes (or goals) that feed it.
type shareColumn struct {
	id     string
	shares []model.Share
}

// shareMatrix writes a 0–1 matrix sheet: one row per id in rows, one column
// per allocation column, each cell the row's share of that column. The
// allocation formulas of the goal and target sheets read these grids.
func (b *workbook) shareMatrix(s, titleKey, rowKey string, rows []string, name func(string) string, cols []shareColumn) {
	st := b.st
	b.set(s, 1, 1, b.tr(titleKey), st.title)
	b.set(s, 1, shareRow0-1, b.tr("id"), st.head)
	b.set(s, 2, shareRow0-1, b.tr(rowKey), st.head)
	rowOf := make(map[string]int, len(rows))
	for i, id := range rows {
		rowOf[id] = i
		b.set(s, 1, shareRow0+i, id, st.text)
		b.set(s, 2, shareRow0+i, name(id), st.text)
	}
	for k, col := range cols {
		c := 3 + k
		b.set(s, c, shareRow0-1, col.id, st.head)
		share := make([]float64, len(rows))
		for _, sh := range col.shares {
			if i, ok := rowOf[sh.ID]; ok {
				share[i] = sh.Share
			}
		}
		for i, x := range share {
			b.set(s, c, shareRow0+i, x, st.share)
		}
	}
	b.widths(s, map[int]float64{1: 22, 2: 40})
	b.freeze(s, 2, shareRow0-1)
}

// Columns of the Goals and SDG targets sheets.
const (
	allocPVSiloed = 3 + iota
	allocPVShared
	allocSavings
	allocPVOwn
	allocPVBenefits
)

func (b *workbook) allocHeader(s string, first string) {
	b.header(s, 4, 1, b.tr("id"), first, b.moneyHead("pv_siloed_short"), b.moneyHead("pv_shared_short"),
		b.moneyHead("savings"), b.moneyHead("pv_own_short"), b.moneyHead("pv_benefits_short"))
	b.widths(s, map[int]float64{1: 16, 2: 48, 3: 17, 4: 17, 5: 17, 6: 17, 7: 17})
	b.freeze(s, 2, 4)
}

func (b *workbook) goalsSheet() {
	s := SheetGoals
	st := b.st
	b.set(s, 1, 1, b.tr("by_goal"), st.title)
	b.set(s, 1, 2, b.tr("split_note"), st.note)
	b.allocHeader(s, b.tr("goal"))
	from := map[int]int{allocPVSiloed: prgPVSiloed, allocPVShared: prgPVShared, allocSavings: prgSavings,
		allocPVOwn: prgPVOwn, allocPVBenefits: prgPVBenefits}
	for g, gf := range b.goals {
		r := b.goalRow0 + g
		b.set(s, 1, r, gf.ID, st.text)
		b.set(s, 2, r, b.goalName(gf.ID), st.text)
		shares := rng(SheetGoalShares, 3+g, shareRow0, 3+g, shareRow0+max(len(b.progs), 1)-1)
		for c := allocPVSiloed; c <= allocPVBenefits; c++ {
			b.formula(s, c, r, "SUMPRODUCT("+shares+","+b.prgColumn(from[c])+")", st.money)
		}
	}
	tr := b.goalRow0 + max(len(b.goals), 1)
	b.set(s, 2, tr, b.tr("total"), st.bold)
	for c := allocPVSiloed; c <= allocPVBenefits; c++ {
		b.formula(s, c, tr, b.colSum(c, b.goalRow0, tr-1), st.moneyBold)
	}
}

func (b *workbook) targetsSheet() {
	s := SheetTargets
	st := b.st
	b.set(s, 1, 1, b.tr("by_target"), st.title)
	b.set(s, 1, 2, b.tr("split_note"), st.note)
	b.allocHeader(s, b.tr("sdg_target"))
	// Column B holds the target's text, wrapped: rows are made tall enough
	// for it here, since no spreadsheet sizes them on opening.
	const textW = 70.0
	b.widths(s, map[int]float64{2: textW})
	for t, tf := range b.tgts {
		r := b.tgtRow0 + t
		b.set(s, 1, r, tf.ID, st.textTop)
		text := b.targetText(tf.ID) // the code is in column A
		if text == "" || tf.ID == model.UnmappedID {
			text = b.targetName(tf.ID)
		}
		b.set(s, 2, r, text, st.wrap)
		if lines := wrappedLines(text, textW); lines > 1 {
			b.fail(b.f.SetRowHeight(s, r, 13.5*float64(lines)))
		}
		shares := rng(SheetTargetShares, 3+t, shareRow0, 3+t, shareRow0+max(len(b.goals), 1)-1)
		for c := allocPVSiloed; c <= allocPVBenefits; c++ {
			goalsCol := rng(SheetGoals, c, b.goalRow0, c, b.goalRow0+max(len(b.goals), 1)-1)
			b.formula(s, c, r, "SUMPRODUCT("+shares+","+goalsCol+")", st.moneyTop)
		}
	}
	tr := b.tgtRow0 + max(len(b.tgts), 1)
	b.set(s, 2, tr, b.tr("total"), st.bold)
	for c := allocPVSiloed; c <= allocPVBenefits; c++ {
		b.formula(s, c, tr, b.colSum(c, b.tgtRow0, tr-1), st.moneyBold)
	}
}

// Columns of the Years sheet.
const (
	yrsYear = 1 + iota
	yrsInPlan
	yrsDF
	yrsSiloed
	yrsShared
	yrsOwn
	yrsBenefits
	yrsNetShared
	yrsNetSiloed
	yrsCumShared
	yrsCumSiloed
	yrsPayShared
	yrsPaySiloed
)

// noPayback marks a year that is not a payback year in the payback tests.
const noPayback = 9999

func (b *workbook) inProgColumn(col int) string {
	return rng(SheetInputs, col, b.inProg0, col, b.inProg0+max(len(b.progs), 1)-1)
}

func (b *workbook) yearsSheet() {
	s := SheetYears
	st := b.st
	b.set(s, 1, 1, b.tr("yearly"), st.title)
	b.set(s, 1, 2, b.trf("amounts_in", orID(b.cur, Dash))+" "+b.tr("yearly_note"), st.note)
	b.header(s, b.yrsRow0-1, 1, b.tr("year"), b.tr("wb_in_plan"), b.tr("discount_factor"), b.moneyHead("siloed_costs"),
		b.moneyHead("shared_costs"), b.moneyHead("own_costs"), b.moneyHead("benefits"), b.moneyHead("net_shared"),
		b.moneyHead("net_siloed"), b.moneyHead("cum_shared"), b.moneyHead("cum_siloed"),
		b.tr("wb_payback_flag")+" — "+b.tr("scenario_shared"), b.tr("wb_payback_flag")+" — "+b.tr("scenario_siloed"))
	ob := "(1+" + NameOptimismBias + ")"
	lastBlock := b.blkRow0 + max(len(b.blocks), 1) - 1
	for t := range b.h {
		r := b.yrsRow0 + t
		b.formula(s, yrsYear, r, b.yearRef(t), st.int)
		b.formula(s, yrsInPlan, r, b.inPlanRef(t), st.int)
		b.formula(s, yrsDF, r, ref(SheetActivity, abs(b.actCol(0, t), actDFRow)), st.df)
		b.formula(s, yrsSiloed, r, "SUM("+rng(SheetBlocks, b.blkSiloedCol(t), b.blkRow0, b.blkSiloedCol(t), lastBlock)+")", st.money)
		b.formula(s, yrsShared, r, "SUM("+rng(SheetBlocks, b.blkSharedCol(t), b.blkRow0, b.blkSharedCol(t), lastBlock)+")", st.money)
		b.formula(s, yrsOwn, r, fmt.Sprintf("%s*SUMPRODUCT(%s,%s)+SUMPRODUCT(%s,%s)", ob,
			b.inProgColumn(inProgOwnBuild), b.actColumn(b.actCol(actOneOff, t)),
			b.inProgColumn(inProgOwnAnnual), b.actColumn(b.actCol(actActive, t))), st.money)
		b.formula(s, yrsBenefits, r, fmt.Sprintf("SUMPRODUCT(%s,%s)", b.inProgColumn(inProgBenefit), b.actColumn(b.actCol(actBenefit, t))), st.money)
		b.formula(s, yrsNetShared, r, fmt.Sprintf("%s-%s-%s", cell(yrsBenefits, r), cell(yrsShared, r), cell(yrsOwn, r)), st.money)
		b.formula(s, yrsNetSiloed, r, fmt.Sprintf("%s-%s-%s", cell(yrsBenefits, r), cell(yrsSiloed, r), cell(yrsOwn, r)), st.money)
		for _, c := range [][2]int{{yrsCumShared, yrsNetShared}, {yrsCumSiloed, yrsNetSiloed}} {
			if t == 0 {
				b.formula(s, c[0], r, cell(c[1], r), st.money)
			} else {
				b.formula(s, c[0], r, cell(c[0], r-1)+"+"+cell(c[1], r), st.money)
			}
		}
		for _, c := range [][2]int{{yrsPayShared, yrsCumShared}, {yrsPaySiloed, yrsCumSiloed}} {
			b.formula(s, c[0], r, fmt.Sprintf("IF(AND(%s=1,%s>=0),%s,%d)", cell(yrsInPlan, r), cell(c[1], r), cell(yrsYear, r), noPayback), st.int)
		}
	}
	pv := b.yrsPV
	b.set(s, yrsYear, pv, b.tr("present_value"), st.bold)
	last := b.yrsRow0 + b.h - 1
	for c := yrsSiloed; c <= yrsNetSiloed; c++ {
		b.formula(s, c, pv, fmt.Sprintf("SUMPRODUCT(%s:%s,%s:%s)", cell(c, b.yrsRow0), cell(c, last),
			abs(yrsDF, b.yrsRow0), abs(yrsDF, last)), st.moneyBold)
	}
	w := map[int]float64{yrsYear: 16, yrsInPlan: 9, yrsDF: 12}
	for c := yrsSiloed; c <= yrsPaySiloed; c++ {
		w[c] = 18
	}
	b.widths(s, w)
	b.freeze(s, 1, b.yrsRow0-1)
}

// Summary rows, in order.
const (
	sumPVSiloed = 5 + iota
	sumPVShared
	sumSavings
	sumRatio
	sumPVOwn
	sumPVBenefits
	sumGap1
	sumShHead
	sumShPVCost
	sumShNPV
	sumShBCR
	sumShROI
	sumShIRR
	sumShPayback
	sumShCPB
	sumGap2
	sumSiHead
	sumSiPVCost
	sumSiNPV
	sumSiBCR
	sumSiROI
	sumSiIRR
	sumSiPayback
	sumSiCPB
)

// SummaryCells names the cells of the Summary sheet that hold the portfolio
// totals (column B is live, column C the cost model's figure as delivered).
var SummaryCells = map[string]string{
	"pv_siloed": "B5", "pv_shared": "B6", "savings": "B7", "savings_ratio": "B8", "pv_own": "B9", "pv_benefits": "B10",
	"shared.pv_cost": "B13", "shared.npv": "B14", "shared.bcr": "B15", "shared.roi": "B16", "shared.irr": "B17",
	"shared.payback_year": "B18", "shared.cost_per_beneficiary": "B19",
	"siloed.pv_cost": "B22", "siloed.npv": "B23", "siloed.bcr": "B24", "siloed.roi": "B25", "siloed.irr": "B26",
	"siloed.payback_year": "B27", "siloed.cost_per_beneficiary": "B28",
}

func (b *workbook) summary() {
	s := SheetSummary
	st := b.st
	b.set(s, 1, 1, b.tr("wb_summary_title"), st.title)
	b.set(s, 1, 2, orID(b.p.Label(b.lang), b.p.ID)+" — "+b.planSpan()+" — "+b.trf("amounts_in", orID(b.cur, Dash)), st.note)
	b.header(s, 4, 1, b.tr("indicator"), b.tr("wb_live"), b.tr("wb_model"))
	pv := func(c int) string { return ref(SheetYears, abs(c, b.yrsPV)) }
	B := func(r int) string { return cell(2, r) }
	t := b.r.Totals
	put := func(r int, key, f string, model any, style int) {
		b.set(s, 1, r, b.tr(key), st.text)
		b.formula(s, 2, r, f, style)
		if model != nil {
			b.set(s, 3, r, model, style)
		} else {
			b.set(s, 3, r, Dash, st.text)
		}
	}
	opt := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	optYear := func(p *int) any {
		if p == nil {
			return nil
		}
		return *p
	}
	put(sumPVSiloed, "pv_siloed", pv(yrsSiloed), t.PVSiloed, st.money)
	put(sumPVShared, "pv_shared", pv(yrsShared), t.PVShared, st.money)
	put(sumSavings, "savings", B(sumPVSiloed)+"-"+B(sumPVShared), t.Savings, st.money)
	put(sumRatio, "savings_ratio", fmt.Sprintf(`IF(%s=0,"",%s/%s)`, B(sumPVSiloed), B(sumSavings), B(sumPVSiloed)), opt(t.SavingsRatio), st.pct)
	put(sumPVOwn, "pv_own", pv(yrsOwn), t.PVOwn, st.money)
	put(sumPVBenefits, "pv_benefits", pv(yrsBenefits), t.PVBenefits, st.money)
	beneficiaries := fmt.Sprintf("SUMPRODUCT(%s,%s)", b.inProgColumn(inProgBeneficiaries), b.actColumn(b.actPart()))
	lastYear := b.yrsRow0 + b.h - 1
	for _, sc := range []struct {
		head, pvCost                      int
		costKey                           int
		netCol, payCol                    int
		label                             string
		a                                 model.Appraisal
		npv, bcr, roi, irr, payback, cpbR int
	}{
		{sumShHead, sumShPVCost, sumPVShared, yrsNetShared, yrsPayShared, "scenario_shared", b.r.Appraisal.Shared,
			sumShNPV, sumShBCR, sumShROI, sumShIRR, sumShPayback, sumShCPB},
		{sumSiHead, sumSiPVCost, sumPVSiloed, yrsNetSiloed, yrsPaySiloed, "scenario_siloed", b.r.Appraisal.Siloed,
			sumSiNPV, sumSiBCR, sumSiROI, sumSiIRR, sumSiPayback, sumSiCPB},
	} {
		b.set(s, 1, sc.head, b.tr(sc.label), st.textBold)
		put(sc.pvCost, "pv_cost", B(sc.costKey)+"+"+B(sumPVOwn), sc.a.PVCost, st.money)
		put(sc.npv, "npv", B(sumPVBenefits)+"-"+B(sc.pvCost), sc.a.NPV, st.money)
		put(sc.bcr, "bcr", fmt.Sprintf(`IF(%s=0,"",%s/%s)`, B(sc.pvCost), B(sumPVBenefits), B(sc.pvCost)), opt(sc.a.BCR), st.df)
		put(sc.roi, "roi", fmt.Sprintf(`IF(%s=0,"",%s/%s)`, B(sc.pvCost), B(sc.npv), B(sc.pvCost)), opt(sc.a.ROI), st.pct)
		// IRR iterates from a guess (Excel by Newton's method, excelize and
		// LibreOffice by widening a bracket from 0 to the guess). Starting
		// just beyond the cost model's rate, away from 0, makes every one of
		// them find the same root when flows have several.
		guess := ""
		if r := sc.a.IRR; r != nil && *r != 0 {
			g := *r*1.01 + math.Copysign(0.001, *r)
			guess = "," + strconv.FormatFloat(g, 'g', 8, 64)
		}
		put(sc.irr, "irr", fmt.Sprintf(`IFERROR(IRR(%s%s),"")`, rng(SheetYears, sc.netCol, b.yrsRow0, sc.netCol, lastYear), guess), opt(sc.a.IRR), st.pct)
		pay := rng(SheetYears, sc.payCol, b.yrsRow0, sc.payCol, lastYear)
		put(sc.payback, "payback", fmt.Sprintf(`IF(MIN(%s)=%d,"",MIN(%s))`, pay, noPayback, pay), optYear(sc.a.PaybackYear), st.int)
		put(sc.cpbR, "cost_per_beneficiary", fmt.Sprintf(`IF(%s=0,"",%s/%s)`, beneficiaries, B(sc.pvCost), beneficiaries), opt(sc.a.CostPerBeneficiary), st.money)
	}
	b.set(s, 1, sumSiCPB+2, b.tr("wb_model_note"), st.note)
	b.widths(s, map[int]float64{1: 44, 2: 22, 3: 22})
	b.freeze(s, 0, 4)
	b.charts(sumSiCPB + 4)
}

// charts puts native charts on the Summary sheet, over the live cells.
func (b *workbook) charts(row int) {
	if len(b.blocks) > 0 {
		n := len(b.blocks)
		height := uint(max(320, min(1400, 22*n+90)))
		b.fail(b.f.AddChart(SheetSummary, cell(5, 4), &excelize.Chart{
			Type: excelize.Bar,
			Series: []excelize.ChartSeries{{
				Name:       ref(SheetBlocks, abs(blkSavings, b.blkRow0-1)),
				Categories: rng(SheetBlocks, 2, b.blkRow0, 2, b.blkRow0+n-1),
				Values:     rng(SheetBlocks, blkSavings, b.blkRow0, blkSavings, b.blkRow0+n-1),
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2A9D8F"}},
			}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.tr("by_block")}}},
			Legend:    excelize.ChartLegend{Position: "none"},
			Dimension: excelize.ChartDimension{Width: 720, Height: height},
			PlotArea:  excelize.ChartPlotArea{ShowVal: false},
			YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
			XAxis:     excelize.ChartAxis{ReverseOrder: true},
		}))
	}
	if b.h > 0 {
		last := b.yrsRow0 + b.h - 1
		serie := func(c int, color string) excelize.ChartSeries {
			return excelize.ChartSeries{
				Name:       ref(SheetYears, abs(c, b.yrsRow0-1)),
				Categories: rng(SheetYears, yrsYear, b.yrsRow0, yrsYear, last),
				Values:     rng(SheetYears, c, b.yrsRow0, c, last),
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			}
		}
		b.fail(b.f.AddChart(SheetSummary, cell(1, row), &excelize.Chart{
			Type:      excelize.Col,
			Series:    []excelize.ChartSeries{serie(yrsSiloed, "E76F51"), serie(yrsShared, "2A9D8F"), serie(yrsOwn, "A0A8B0")},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.tr("yearly")}}},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 620, Height: 340},
			YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
		}, &excelize.Chart{
			Type: excelize.Line,
			Series: []excelize.ChartSeries{{
				Name:       ref(SheetYears, abs(yrsBenefits, b.yrsRow0-1)),
				Categories: rng(SheetYears, yrsYear, b.yrsRow0, yrsYear, last),
				Values:     rng(SheetYears, yrsBenefits, b.yrsRow0, yrsBenefits, last),
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"264653"}},
				Line:       excelize.LineOptions{Width: 2.25},
				Marker: excelize.ChartMarker{Symbol: "circle", Size: 6,
					Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"264653"}}},
			}},
		}))
	}
}

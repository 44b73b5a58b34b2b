package reports

import (
	"bytes"
	"math"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"blockplan/model"
)

func renderWorkbook(t *testing.T, in Input) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Workbook(&buf, in); err != nil {
		t.Fatalf("Workbook: %v", err)
	}
	keep(t, "workbook-"+in.Lang+".xlsx", buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// calc computes a cell's formula with excelize and parses the number; ok is
// false for an empty result (a figure that does not exist).
func calc(t *testing.T, f *excelize.File, sheet, c string) (float64, bool) {
	t.Helper()
	s, err := f.CalcCellValue(sheet, c, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("calc %s!%s: %v (%q)", sheet, c, err, s)
	}
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("calc %s!%s = %q: not a number", sheet, c, s)
	}
	return v, true
}

func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-6*math.Max(1, math.Max(math.Abs(got), math.Abs(want)))
}

// checkAgainstModel compares every live figure of the workbook with the cost
// model's result.
func checkAgainstModel(t *testing.T, f *excelize.File, r *model.Result) {
	t.Helper()
	checks := map[string]*float64{
		"pv_siloed": &r.Totals.PVSiloed, "pv_shared": &r.Totals.PVShared, "savings": &r.Totals.Savings,
		"savings_ratio": r.Totals.SavingsRatio, "pv_own": &r.Totals.PVOwn, "pv_benefits": &r.Totals.PVBenefits,
	}
	for name, a := range map[string]model.Appraisal{"shared": r.Appraisal.Shared, "siloed": r.Appraisal.Siloed} {
		a := a
		checks[name+".pv_cost"] = &a.PVCost
		checks[name+".npv"] = &a.NPV
		checks[name+".bcr"] = a.BCR
		checks[name+".roi"] = a.ROI
		checks[name+".cost_per_beneficiary"] = a.CostPerBeneficiary
		if a.PaybackYear != nil {
			y := float64(*a.PaybackYear)
			checks[name+".payback_year"] = &y
		} else {
			checks[name+".payback_year"] = nil
		}
		if a.IRR != nil {
			checks[name+".irr"] = a.IRR
		}
	}
	for name, want := range checks {
		got, ok := calc(t, f, SheetSummary, SummaryCells[name])
		switch {
		case want == nil && ok:
			t.Errorf("%s: workbook %v, model has none", name, got)
		case want != nil && !ok:
			t.Errorf("%s: workbook empty, model %v", name, *want)
		case want != nil && !near(got, *want):
			t.Errorf("%s: workbook %.10g, model %.10g", name, got, *want)
		}
	}
	// Per block, programme, goal and SDG target.
	for j, bf := range r.Blocks {
		row := 5 + j
		for _, c := range []struct {
			col  int
			want float64
		}{{blkPVSiloed, bf.PVSiloed}, {blkPVShared, bf.PVShared}, {blkSavings, bf.Savings}, {blkConsumers, float64(bf.Consumers)}} {
			if got, _ := calc(t, f, SheetBlocks, cell(c.col, row)); !near(got, c.want) {
				t.Errorf("block %s column %d: workbook %.10g, model %.10g", bf.ID, c.col, got, c.want)
			}
		}
		gotYear, ok := calc(t, f, SheetBlocks, cell(blkBuildYear, row))
		if (bf.BuildYear != nil) != ok || (ok && int(gotYear) != *bf.BuildYear) {
			t.Errorf("block %s build year: workbook %v (%v), model %v", bf.ID, gotYear, ok, bf.BuildYear)
		}
	}
	rows, _ := f.GetRows(SheetProgrammes)
	progRow := map[string]int{}
	for i, r := range rows {
		if i >= 4 && len(r) > 0 {
			progRow[r[0]] = i + 1
		}
	}
	for _, pf := range r.Programmes {
		row, ok := progRow[pf.ID]
		if !ok {
			t.Errorf("programme %s missing from the Programmes sheet", pf.ID)
			continue
		}
		for _, c := range []struct {
			col  int
			want float64
		}{{prgPVSiloed, pf.PVSiloed}, {prgPVShared, pf.PVShared}, {prgSavings, pf.Savings}, {prgPVOwn, pf.PVOwn},
			{prgPVBenefits, pf.PVBenefits}, {prgActiveYears, float64(pf.ActiveYears)}} {
			if got, _ := calc(t, f, SheetProgrammes, cell(c.col, row)); !near(got, c.want) {
				t.Errorf("programme %s column %d: workbook %.10g, model %.10g", pf.ID, c.col, got, c.want)
			}
		}
		if pf.CostPerBeneficiary.Shared != nil {
			if got, _ := calc(t, f, SheetProgrammes, cell(prgCPBShared, row)); !near(got, *pf.CostPerBeneficiary.Shared) {
				t.Errorf("programme %s cost per beneficiary: workbook %v, model %v", pf.ID, got, *pf.CostPerBeneficiary.Shared)
			}
		}
	}
	for g, gf := range r.Goals {
		for _, c := range []struct {
			col  int
			want float64
		}{{allocPVSiloed, gf.PVSiloed}, {allocPVShared, gf.PVShared}, {allocSavings, gf.Savings}, {allocPVBenefits, gf.PVBenefits}} {
			if got, _ := calc(t, f, SheetGoals, cell(c.col, 5+g)); !near(got, c.want) {
				t.Errorf("goal %s column %d: workbook %.10g, model %.10g", gf.ID, c.col, got, c.want)
			}
		}
	}
	for i, tf := range r.SDGTargets {
		for _, c := range []struct {
			col  int
			want float64
		}{{allocPVSiloed, tf.PVSiloed}, {allocPVShared, tf.PVShared}, {allocSavings, tf.Savings}, {allocPVOwn, tf.PVOwn}} {
			if got, _ := calc(t, f, SheetTargets, cell(c.col, 5+i)); !near(got, c.want) {
				t.Errorf("SDG target %s column %d: workbook %.10g, model %.10g", tf.ID, c.col, got, c.want)
			}
		}
	}
	for i, y := range r.Years {
		for _, c := range []struct {
			col  int
			want float64
		}{{yrsYear, float64(y.Year)}, {yrsDF, y.DiscountFactor}, {yrsSiloed, y.Siloed}, {yrsShared, y.Shared}, {yrsOwn, y.Own}, {yrsBenefits, y.Benefits}} {
			if got, _ := calc(t, f, SheetYears, cell(c.col, 5+i)); !near(got, c.want) {
				t.Errorf("year %d column %d: workbook %.10g, model %.10g", y.Year, c.col, got, c.want)
			}
		}
	}
}

func TestWorkbookFormulasMatchModel(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   func(testing.TB, string) Input
	}{{"worked", workedInput}, {"demo", demoInput}} {
		for _, lang := range []string{LangEN, LangFR} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				in := tc.in(t, lang)
				f := renderWorkbook(t, in)
				checkAgainstModel(t, f, in.Result)
			})
		}
	}
}

// TestWorkbookBuildCostChange is the donor's experiment: change one block's
// build cost on the Inputs sheet and every total moves as the cost model
// says it should.
func TestWorkbookBuildCostChange(t *testing.T) {
	in := demoInput(t, LangEN)
	f := renderWorkbook(t, in)
	var j int
	var id string
	for k, b := range in.Result.Blocks {
		if b.BuildYear != nil && b.Consumers > 1 {
			j, id = k, b.ID
			break
		}
	}
	if id == "" {
		t.Fatal("demo has no shared planned block")
	}
	c := cell(inBlockBuild, 13+j)
	if got, _ := f.GetCellValue(SheetInputs, cell(1, 13+j)); got != id {
		t.Fatalf("Inputs row for block %s holds %q", id, got)
	}
	old, _ := calc(t, f, SheetInputs, c)
	newCost := old*1.5 + 12345
	if err := f.SetCellValue(SheetInputs, c, newCost); err != nil {
		t.Fatal(err)
	}
	// The model with the same change.
	p := *in.Portfolio
	p.Blocks = append([]model.Block(nil), in.Portfolio.Blocks...)
	for k := range p.Blocks {
		if p.Blocks[k].ID == id {
			p.Blocks[k].BuildCost = model.Point(newCost)
		}
	}
	want := model.Compute(&p, model.EffectiveSettings(p.Settings, p.Programmes))
	before := in.Result.Totals.Savings
	if want.Totals.Savings == before {
		t.Fatal("the change does not move savings in the model: a useless test")
	}
	checkAgainstModel(t, f, want)
	got, _ := calc(t, f, SheetSummary, SummaryCells["savings"])
	t.Logf("build cost of %s %v → %v: savings %v → %v (model %v)", id, old, newCost, before, got, want.Totals.Savings)
}

// TestWorkbookSettingsChange changes the discount rate and the start year:
// programmes with default years follow, as in the model.
func TestWorkbookSettingsChange(t *testing.T) {
	in := workedInput(t, LangEN)
	f := renderWorkbook(t, in)
	if err := f.SetCellValue(SheetInputs, "B7", 0.04); err != nil {
		t.Fatal(err)
	}
	p := *in.Portfolio
	rate := 0.04
	p.Settings.DiscountRate = &rate
	checkAgainstModel(t, f, model.Compute(&p, model.EffectiveSettings(p.Settings, p.Programmes)))
}

func TestWorkbookShape(t *testing.T) {
	in := demoInput(t, LangFR)
	f := renderWorkbook(t, in)
	want := []string{SheetSummary, SheetInputs, SheetBlocks, SheetProgrammes, SheetGoals, SheetTargets, SheetYears, SheetRoadmap,
		SheetActivity, SheetMembership, SheetBlockCalc, SheetGoalShares, SheetTargetShares}
	got := f.GetSheetList()
	if len(got) != len(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sheet %d is %q, want %q", i, got[i], want[i])
		}
	}
	charts := 0
	for _, name := range f.GetSheetList() {
		// excelize has no chart reader; the drawing parts name them.
		_ = name
	}
	for _, path := range []string{"xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"} {
		if _, ok := f.Pkg.Load(path); ok {
			charts++
		}
	}
	if charts != 3 {
		t.Errorf("%d native charts, want 3", charts)
	}
	// Labels are translated, sheet names are not.
	if v, _ := f.GetCellValue(SheetSummary, "A5"); v != Label(LangFR, "pv_siloed") {
		t.Errorf("Summary!A5 = %q, want the French label", v)
	}
	// Frozen headers.
	panes, err := f.GetPanes(SheetBlocks)
	if err != nil || !panes.Freeze {
		t.Errorf("Blocks sheet has no frozen header: %+v %v", panes, err)
	}
	// Number format on money cells.
	style, _ := f.GetCellStyle(SheetBlocks, cell(blkPVSiloed, 5))
	st, _ := f.GetStyle(style)
	if st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "#,##0" {
		t.Errorf("money cells have no thousands format: %+v", st)
	}
	// Every Inputs amount is a value, every calculation a formula.
	if fm, _ := f.GetCellFormula(SheetInputs, cell(inBlockBuild, 13)); fm != "" {
		t.Errorf("Inputs build cost is a formula: %q", fm)
	}
	if fm, _ := f.GetCellFormula(SheetBlocks, cell(blkPVShared, 5)); fm == "" {
		t.Error("Blocks PV shared is not a formula")
	}
}

func TestWorkbookHostileNames(t *testing.T) {
	in := hostileInput(t)
	f := renderWorkbook(t, in)
	v, _ := f.GetCellValue(SheetInputs, cell(2, 13))
	if v == "" || v[0] != '=' {
		t.Fatalf("block name %q not kept as text", v)
	}
	if fm, _ := f.GetCellFormula(SheetInputs, cell(2, 13)); fm != "" {
		t.Errorf("a name became a formula: %q", fm)
	}
	checkAgainstModel(t, f, in.Result)
}

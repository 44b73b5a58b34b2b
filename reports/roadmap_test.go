package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"blockplan/model"
)

// demoBudget is a budget that buys some of the demo's blocks, not all.
func demoBudget(tb testing.TB, in Input) float64 {
	tb.Helper()
	rm := model.Roadmap(in.Result, nil)
	if len(rm.Frontier) < 4 {
		tb.Fatalf("demo frontier has %d points: too few to test", len(rm.Frontier))
	}
	return rm.Frontier[len(rm.Frontier)/3].Cost * 1.0001
}

// frontierOption is the part of FrontierChart's option the tests read.
type frontierOption struct {
	Series []struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Step string `json:"step"`
		Data []struct {
			Name  string     `json:"name"`
			Value [2]float64 `json:"value"`
		} `json:"data"`
	} `json:"series"`
	YAxis []struct {
		Max      any    `json:"max"`
		Position string `json:"position"`
	} `json:"yAxis"`
}

func decodeFrontier(t *testing.T, in Input) frontierOption {
	t.Helper()
	js, err := ChartJSON(FrontierChart(in))
	if err != nil {
		t.Fatal(err)
	}
	var opt frontierOption
	if err := json.Unmarshal(js, &opt); err != nil {
		t.Fatalf("frontier option: %v", err)
	}
	return opt
}

// TestFrontierChartPointsAreTheModels: the chart's step line has one point
// per frontier point of the model, with its cost and savings, with or
// without a budget (Input.Roadmap nil: the report computes the roadmap).
func TestFrontierChartPointsAreTheModels(t *testing.T) {
	in := demoInput(t, LangEN)
	k := demoBudget(t, in)
	for _, tc := range []struct {
		name   string
		budget *float64
	}{{"no budget", nil}, {"budget", &k}} {
		t.Run(tc.name, func(t *testing.T) {
			in := in
			want := model.Roadmap(in.Result, tc.budget)
			if tc.budget != nil {
				in.Roadmap = want
			}
			opt := decodeFrontier(t, in)
			if len(opt.Series) == 0 || opt.Series[0].Step != "end" || opt.Series[0].Type != "line" {
				t.Fatalf("first series is not a step line: %+v", opt.Series)
			}
			var got [][2]float64
			for _, d := range opt.Series[0].Data {
				got = append(got, d.Value)
			}
			var wantPts [][2]float64
			for _, p := range want.Frontier {
				wantPts = append(wantPts, [2]float64{p.Cost, p.Savings})
			}
			if diff := cmp.Diff(wantPts, got); diff != "" {
				t.Errorf("frontier points (-model +chart):\n%s", diff)
			}
			if len(opt.YAxis) != 2 || opt.YAxis[1].Position != "right" {
				t.Errorf("no share scale on the right: %+v", opt.YAxis)
			}
			if tc.budget == nil {
				if len(opt.Series) != 1 {
					t.Errorf("%d series without a budget, want the frontier alone", len(opt.Series))
				}
				return
			}
			if len(opt.Series) != 3 {
				t.Fatalf("%d series with a budget, want frontier, budget line and chosen set", len(opt.Series))
			}
			if b := opt.Series[1].Data; len(b) != 2 || b[0].Value[0] != k || b[1].Value[0] != k {
				t.Errorf("budget line %+v, want x = %v", b, k)
			}
			if c := opt.Series[2].Data; len(c) != 1 || c[0].Value != [2]float64{want.Cost, want.Savings} {
				t.Errorf("chosen set %+v, want (%v, %v)", c, want.Cost, want.Savings)
			}
		})
	}
}

func TestFrontierChartOfNothing(t *testing.T) {
	if c := FrontierChart(Input{}); c == nil || len(c.MultiSeries) != 0 {
		t.Error("an empty input gives a nil or non-empty chart")
	}
	p, ps := model.Resolve(decode(t, []byte(`{"format":"blockplan.portfolio/v1","currency":"USD","settings":{"start_year":2026}}`)), model.NoReference{})
	opt := decodeFrontier(t, inputFor(t, p, ps, LangEN, 0))
	if len(opt.Series) != 1 || len(opt.Series[0].Data) != 1 || opt.Series[0].Data[0].Value != [2]float64{} {
		t.Errorf("an empty portfolio's frontier: %+v, want the one point (0, 0)", opt.Series)
	}
}

// TestFrontierRows: the rows a table lists, and how each names its blocks.
func TestFrontierRows(t *testing.T) {
	in := workedInput(t, LangEN)
	v, err := newView(in)
	if err != nil {
		t.Fatal(err)
	}
	budget := 25.0
	v.rm = &model.RoadmapResult{Budget: &budget, PossibleSavings: 100, Candidates: 3, Chosen: []string{"a", "b"},
		Frontier: []model.FrontierPoint{
			{Cost: 0, Savings: 0},
			{Cost: 10, Savings: 30, Blocks: []string{"b"}},
			{Cost: 20, Savings: 50, Blocks: []string{"a", "b"}},
			{Cost: 30, Savings: 60, Blocks: []string{"c"}},
			{Cost: 40, Savings: 100, Blocks: []string{"a", "b", "c"}},
		}}
	v.blocks["a"] = &model.Block{ID: "a", Name: "Alpha"}
	got := func(rows []frontierRow) (out []string) {
		for _, r := range rows {
			out = append(out, fmt.Sprintf("%d %s", r.index, v.change(r)))
		}
		return out
	}
	want := []string{"0 none", "1 + b", "2 + Alpha", "3 c", "4 + Alpha, b"}
	if diff := cmp.Diff(want, got(v.frontierRows(0))); diff != "" {
		t.Errorf("all rows (-want +got):\n%s", diff)
	}
	// Three rows: the first, the last and the budget's (index 2), each
	// named against the row above it in the table.
	if diff := cmp.Diff([]string{"0 none", "2 + Alpha, b", "4 + c"}, got(v.frontierRows(3))); diff != "" {
		t.Errorf("three rows (-want +got):\n%s", diff)
	}
	if i := chosenIndex(v.rm); i != 2 {
		t.Errorf("chosen index %d, want 2", i)
	}
	if s := *v.frontierRows(0)[4].share; s != 1 {
		t.Errorf("last share %v, want 1", s)
	}
}

func TestPDFRoadmapSection(t *testing.T) {
	for _, lang := range []string{LangEN, LangFR} {
		t.Run(lang, func(t *testing.T) {
			in := demoInput(t, lang)
			k := demoBudget(t, in)
			in.Roadmap = model.Roadmap(in.Result, &k)
			rm := in.Roadmap
			pdf := renderPDF(t, in)
			keep(t, "roadmap-"+lang+".pdf", pdf)
			text := pdfText(t, pdf)
			flat := strings.Join(strings.Fields(text), " ")
			for _, key := range []string{"roadmap", "frontier_chart", "frontier_table", "share_possible"} {
				if !strings.Contains(flat, Label(lang, key)) {
					t.Errorf("%s %q missing", key, Label(lang, key))
				}
			}
			if want := plain(Labelf(lang, "chosen_set", FormatMoney(k, in.Result.Currency, lang))); !strings.Contains(flat, want) {
				t.Errorf("chosen set heading %q missing", want)
			}
			for _, v := range []float64{rm.Cost, rm.Savings, rm.PossibleSavings} {
				if want := plain(FormatNumber(v, 0, lang)); !strings.Contains(text, want) {
					t.Errorf("%s missing", want)
				}
			}
			v, err := newView(in)
			if err != nil {
				t.Fatal(err)
			}
			rows := v.frontierRows(maxFrontierRowsPDF)
			if len(rows) != maxFrontierRowsPDF || rows[len(rows)-1].index != len(rm.Frontier)-1 {
				t.Errorf("%d rows ending at point %d, want %d ending at the last (%d)", len(rows), rows[len(rows)-1].index,
					maxFrontierRowsPDF, len(rm.Frontier)-1)
			}
			for _, r := range rows {
				if want := plain(FormatNumber(r.pt.Cost, 0, lang) + " "); !strings.Contains(text, want) {
					t.Errorf("frontier point cost %s missing", want)
				}
				if want := plain(FormatNumber(r.pt.Savings, 0, lang)); !strings.Contains(text, want) {
					t.Errorf("frontier point savings %s missing", want)
				}
			}
			if !strings.Contains(text, "+ ") {
				t.Error("no row adds blocks to the one above")
			}
			for _, id := range rm.Chosen {
				for _, p := range rm.Serves[id].Programmes {
					if !strings.Contains(text, p) {
						t.Errorf("programme %s served by %s missing", p, id)
					}
				}
			}
		})
	}
}

// TestPDFRoadmapDeterministic: the same roadmap gives the same bytes.
func TestPDFRoadmapDeterministic(t *testing.T) {
	in := demoInput(t, LangEN)
	k := demoBudget(t, in)
	in.Roadmap = model.Roadmap(in.Result, &k)
	a := renderPDF(t, in)
	in.Roadmap = model.Roadmap(in.Result, &k)
	if !bytes.Equal(a, renderPDF(t, in)) {
		t.Error("two PDFs of the same roadmap differ")
	}
}

func TestWorkbookRoadmapSheet(t *testing.T) {
	in := demoInput(t, LangFR)
	k := demoBudget(t, in)
	for _, budget := range []*float64{nil, &k} {
		t.Run(fmt.Sprint(budget != nil), func(t *testing.T) {
			in := in
			in.Roadmap = model.Roadmap(in.Result, budget)
			rm := in.Roadmap
			f := renderWorkbook(t, in)
			r0 := RoadmapFrontierRow0
			if budget != nil {
				r0 += len(rm.Chosen) + 5
				for i, id := range rm.Chosen {
					row := RoadmapFrontierRow0 + i
					if got, _ := f.GetCellValue(SheetRoadmap, cell(rmCost, row)); got != blockNameOf(in, id) {
						t.Errorf("chosen row %d is %q, want block %s", row, got, id)
					}
				}
				if got, _ := calc(t, f, SheetRoadmap, cell(rmShare, rmPossibleRow+4)); !near(got, *rm.Share) {
					t.Errorf("chosen share %v, model %v", got, *rm.Share)
				}
			}
			if got, _ := calc(t, f, SheetRoadmap, cell(rmShare, rmPossibleRow)); !near(got, rm.PossibleSavings) {
				t.Errorf("possible savings %v, model %v", got, rm.PossibleSavings)
			}
			for i, p := range rm.Frontier {
				row := r0 + i
				cost, _ := calc(t, f, SheetRoadmap, cell(rmCost, row))
				sav, _ := calc(t, f, SheetRoadmap, cell(rmSavings, row))
				share, _ := calc(t, f, SheetRoadmap, cell(rmShare, row))
				n, _ := calc(t, f, SheetRoadmap, cell(rmBlocks, row))
				if !near(cost, math.Max(p.Cost, 0)) || !near(sav, p.Savings) || !near(share, p.Savings/rm.PossibleSavings) || int(n) != len(p.Blocks) {
					t.Errorf("frontier row %d: workbook (%v, %v, %v, %v), model (%v, %v, %v, %d)", i, cost, sav, share, n,
						p.Cost, p.Savings, p.Savings/rm.PossibleSavings, len(p.Blocks))
				}
			}
			if v, _ := f.GetCellValue(SheetRoadmap, cell(rmCost, r0+len(rm.Frontier))); v != "" {
				t.Errorf("a row after the frontier: %q", v)
			}
			if v, _ := f.GetCellValue(SheetRoadmap, "A1"); v != Label(LangFR, "roadmap") {
				t.Errorf("Roadmap!A1 = %q", v)
			}
		})
	}
}

func blockNameOf(in Input, id string) string {
	for _, b := range in.Portfolio.Blocks {
		if b.ID == id {
			return orID(b.Label(in.Lang), id)
		}
	}
	return id
}

// TestTargetTextsEverywhere: with Input.Targets, each format prints the
// targets' texts; without, the codes alone.
func TestTargetTextsEverywhere(t *testing.T) {
	for _, lang := range []string{LangEN, LangFR} {
		t.Run(lang, func(t *testing.T) {
			in := withTargets(demoInput(t, lang))
			if len(in.Targets) < 10 {
				t.Fatalf("the catalogue gives %d of the demo's targets", len(in.Targets))
			}
			// A target's text, as it begins (long texts are cut in tables).
			var code, begin, first string
			for _, tf := range in.Result.SDGTargets {
				if x, ok := in.Targets[tf.ID]; ok {
					code = tf.ID
					words := strings.Fields(x.Label(lang))
					begin = strings.Join(words[:min(8, len(words))], " ")
					first = strings.Join(words[:min(2, len(words))], " ")
					break
				}
			}
			pdf := pdfText(t, renderPDF(t, in))
			flat := strings.Join(strings.Fields(pdf), " ")
			// The table's narrow column holds the code and a word or two on
			// its first line; the appendix the text at full width.
			if want := Label(lang, "sdg") + " " + code + " — " + first; strings.Count(flat, want) < 2 {
				t.Errorf("PDF: %q not in the SDG table and the traceability appendix", want)
			}
			if !strings.Contains(flat, begin) {
				t.Errorf("PDF: %q missing", begin)
			}
			page := renderHTML(t, in, "targets-"+lang)
			if !strings.Contains(page, html.EscapeString(begin)) {
				t.Errorf("HTML: %q missing", begin)
			}
			f := renderWorkbook(t, in)
			found := false
			rows, _ := f.GetRows(SheetTargets)
			for _, r := range rows {
				if len(r) > 1 && r[0] == code && strings.HasPrefix(r[1], begin) {
					found = true
				}
			}
			if !found {
				t.Errorf("workbook: %s's text missing from the SDG sheet", code)
			}
			files := archiExport(t, in)
			if !strings.Contains(string(files[ArchiElementsFile]), begin) {
				t.Errorf("Archi: the Outcome of %s has no documentation", code)
			}
		})
	}
	// Without texts: codes alone, and nothing breaks.
	in := demoInput(t, LangEN)
	pdf := pdfText(t, renderPDF(t, in))
	if !strings.Contains(pdf, "SDG 3.2") || strings.Contains(pdf, "SDG 3.2 —") {
		t.Error("without texts the PDF should print the code alone")
	}
}

// warningCodes are the codes the model warns with, read from its source so
// that a new code cannot go without a sentence.
func warningCodes(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("../model/resolve.go")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, m := range regexp.MustCompile(`warnf\("([a-z-]+)"`).FindAllStringSubmatch(string(src), -1) {
		codes = append(codes, m[1])
	}
	if len(codes) < 8 {
		t.Fatalf("found %d warning codes in model/resolve.go: the pattern is broken", len(codes))
	}
	return codes
}

func TestWarningTextEveryCode(t *testing.T) {
	for _, code := range warningCodes(t) {
		w := model.Warning{Code: code, Kind: "programme", ID: "EDU-DIST", Message: "model message " + code}
		if code == "untraced-block-link" {
			w.Message = "programme EDU-DIST is linked to block payments directly, with no use case to say why"
		}
		en, fr := WarningText(w, LangEN), WarningText(w, LangFR)
		for lang, s := range map[string]string{"en": en, "fr": fr} {
			if s == w.Message || !strings.Contains(s, "EDU-DIST") || !strings.HasSuffix(s, ".") {
				t.Errorf("%s in %s: %q is not a sentence of its own with the id", code, lang, s)
			}
			if strings.Contains(s, "%!") {
				t.Errorf("%s in %s: bad format %q", code, lang, s)
			}
		}
		if en == fr {
			t.Errorf("%s: the French sentence is the English one", code)
		}
		if _, ok := labels["w_"+code]; !ok {
			t.Errorf("%s has no title", code)
		}
	}
	w := model.Warning{Code: "programme-before-plan", Kind: "programme", ID: "EDU-DIST"}
	if got, want := WarningText(w, LangFR), "Le programme EDU-DIST a commencé avant le plan : ses coûts ponctuels sont irrécouvrables et ne sont pas comptés."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	link := model.Warning{Code: "untraced-block-link", Kind: "programme", ID: "P1", Message: "programme P1 is linked to block msg directly, with no use case to say why"}
	if got := WarningText(link, LangFR); !strings.Contains(got, "bloc msg") {
		t.Errorf("the block of a direct link is lost: %q", got)
	}
	link.Message = "something else"
	if got := WarningText(link, LangEN); !strings.Contains(got, "P1") || strings.Contains(got, "%") {
		t.Errorf("a direct link with an unknown message: %q", got)
	}
	unknown := model.Warning{Code: "new-code", ID: "X", Message: "as the model says"}
	if got := WarningText(unknown, LangFR); got != unknown.Message {
		t.Errorf("unknown code: %q, want the model's message", got)
	}
}

// TestWarningSentencesInReports: the demo's warnings read as French
// sentences in the French PDF and HTML.
func TestWarningSentencesInReports(t *testing.T) {
	in := demoInput(t, LangFR)
	if len(in.Result.Warnings) == 0 {
		t.Fatal("the demo has no warning to show")
	}
	text := strings.Join(strings.Fields(pdfText(t, renderPDF(t, in))), " ")
	page := renderHTML(t, in, "warnings-fr")
	for _, w := range in.Result.Warnings {
		s := WarningText(w, LangFR)
		if !strings.Contains(text, plain(s)) {
			t.Errorf("PDF lacks %q", s)
		}
		if !strings.Contains(page, html.EscapeString(s)) {
			t.Errorf("HTML lacks %q", s)
		}
		if strings.Contains(text, w.Message) {
			t.Errorf("PDF still prints the English message %q", w.Message)
		}
	}
}

// TestHTMLTornado: the tornado is in the page, one bar pair per range that
// moves savings, each the change from the savings at likely values.
func TestHTMLTornado(t *testing.T) {
	in := demoInput(t, LangEN)
	page := renderHTML(t, in, "tornado-en")
	if !strings.Contains(page, `id="chart-tornado"`) {
		t.Fatal("no tornado section in the HTML report")
	}
	js, err := ChartJSON(TornadoChart(in))
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		Series []struct {
			Type string    `json:"type"`
			Data []float64 `json:"data"`
		} `json:"series"`
		YAxis []struct {
			Data []string `json:"data"`
		} `json:"yAxis"`
	}
	if err := json.Unmarshal(js, &opt); err != nil {
		t.Fatal(err)
	}
	var moving []model.TornadoRow
	for _, r := range in.Result.Tornado {
		if r.Swing > 0 {
			moving = append(moving, r)
		}
	}
	moving = moving[:min(len(moving), maxTornadoBars)]
	if len(moving) == 0 || len(opt.Series) != 2 || len(opt.YAxis) == 0 || len(opt.YAxis[0].Data) != len(moving) {
		t.Fatalf("tornado: %d rows in the model, chart %+v", len(moving), opt)
	}
	base := in.Result.Totals.Savings
	for i, r := range moving {
		if opt.Series[0].Type != "bar" || !near(opt.Series[0].Data[i]+base, r.Low) || !near(opt.Series[1].Data[i]+base, r.High) {
			t.Errorf("row %d (%s): chart %v/%v around %v, model %v/%v", i, r.Parameter, opt.Series[0].Data[i], opt.Series[1].Data[i], base, r.Low, r.High)
		}
	}
	// No ranges, no tornado.
	p, ps := model.Resolve(decode(t, []byte(`{"format":"blockplan.portfolio/v1","currency":"USD","settings":{"start_year":2026},
		"programmes":[{"id":"P1","blocks":["b"]},{"id":"P2","blocks":["b"]}],"blocks":[{"id":"b","build_cost":10}]}`)), model.NoReference{})
	if page := renderHTML(t, inputFor(t, p, ps, LangEN, 100), "no-tornado"); strings.Contains(page, `id="chart-tornado"`) {
		t.Error("a tornado for a portfolio with no ranges")
	}
}

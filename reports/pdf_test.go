package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"blockplan/model"
)

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is not installed, and CI must read PDFs back: apt-get install -y poppler-utils")
		}
		t.Skip("pdftotext (poppler-utils) is not installed: apt-get install -y poppler-utils")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "r.pdf")
	if err := writeFile(in, pdf); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.ReplaceAll(string(out), NBSP, " ")
}

// plain is s as pdftotext gives it back: no-break spaces become spaces.
func plain(s string) string { return strings.ReplaceAll(s, NBSP, " ") }

func renderPDF(t *testing.T, in Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, in); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output is not a PDF: %q", buf.Bytes()[:min(20, buf.Len())])
	}
	return buf.Bytes()
}

func TestPDFDemoReadsBack(t *testing.T) {
	for _, lang := range []string{LangEN, LangFR} {
		t.Run(lang, func(t *testing.T) {
			in := demoInput(t, lang)
			pdf := renderPDF(t, in)
			keep(t, "demo-"+lang+".pdf", pdf)
			text := pdfText(t, pdf)
			r := in.Result
			// Headings in the report's language.
			for _, key := range []string{"exec_summary", "by_block", "by_programme", "by_goal", "by_target", "yearly", "uncertainty", "assumptions"} {
				if want := Label(lang, key); !strings.Contains(text, want) {
					t.Errorf("heading %q (%s) missing", want, key)
				}
			}
			// Figures from the result, formatted for the language.
			for name, v := range map[string]float64{"pv_siloed": r.Totals.PVSiloed, "pv_shared": r.Totals.PVShared,
				"savings": r.Totals.Savings, "npv": r.Appraisal.Shared.NPV} {
				want := plain(FormatNumber(v, 0, lang))
				if !strings.Contains(text, want) {
					t.Errorf("%s = %s not in the PDF", name, want)
				}
			}
			for _, b := range r.Blocks {
				if b.Consumers > 0 && !strings.Contains(text, plain(FormatNumber(b.Savings, 0, lang))) {
					t.Errorf("block %s savings %s not in the PDF", b.ID, FormatNumber(b.Savings, 0, lang))
				}
			}
			if lang == LangFR {
				// "1 234 567" grouping with no-break spaces, decimal comma.
				big := FormatNumber(r.Totals.PVSiloed, 0, LangFR)
				if !strings.Contains(big, NBSP) || !strings.Contains(text, plain(big)) {
					t.Errorf("French grouping missing: %q", big)
				}
				if !strings.Contains(text, plain(FormatPercent(r.Settings.DiscountRate, 1, LangFR))) {
					t.Errorf("French percentage %q missing", FormatPercent(r.Settings.DiscountRate, 1, LangFR))
				}
				if strings.Contains(text, "Executive summary") || strings.Contains(text, "Savings by building block") {
					t.Error("English heading in the French report")
				}
				if strings.Contains(text, FormatNumber(r.Totals.PVSiloed, 0, LangEN)) {
					t.Error("English number formatting in the French report")
				}
			}
			if r.MonteCarlo != nil && !strings.Contains(text, plain(FormatNumber(r.MonteCarlo.Savings.P50, 0, lang))) {
				t.Errorf("Monte Carlo P50 %s missing", FormatNumber(r.MonteCarlo.Savings.P50, 0, lang))
			}
			// Traceability appendix names every goal.
			for _, g := range in.Portfolio.Goals {
				if !strings.Contains(text, g.ID+" — ") {
					t.Errorf("goal %s missing from the traceability appendix", g.ID)
				}
			}
		})
	}
}

func TestPDFWorkedExampleFigures(t *testing.T) {
	in := workedInput(t, LangEN)
	text := pdfText(t, renderPDF(t, in))
	r := in.Result
	for _, v := range []float64{r.Totals.PVSiloed, r.Totals.PVShared, r.Totals.Savings} {
		if want := FormatNumber(v, 2, LangEN); !strings.Contains(text, want) {
			t.Errorf("%s not in the PDF", want)
		}
	}
	// The messaging block has a single consumer: its negative saving is
	// printed plainly.
	for _, b := range r.Blocks {
		if b.ID == "msg" {
			if b.Savings >= 0 {
				t.Fatalf("worked example: msg savings %v, want negative", b.Savings)
			}
			if want := FormatNumber(b.Savings, 2, LangEN); !strings.Contains(text, want) {
				t.Errorf("negative saving %s not shown", want)
			}
		}
	}
}

func TestPDFIsDeterministic(t *testing.T) {
	in := demoInput(t, LangFR)
	a := renderPDF(t, in)
	b := renderPDF(t, demoInput(t, LangFR))
	if !bytes.Equal(a, b) {
		t.Fatal("two PDFs of the same input differ")
	}
	if !bytes.Contains(a, []byte("D:20260115093000")) {
		t.Error("creation date is not Input.Generated")
	}
	in2 := in
	in2.Generated = fixedTime.AddDate(0, 0, 1)
	if bytes.Equal(a, renderPDF(t, in2)) {
		t.Error("a different generation date gives the same bytes")
	}
}

func TestPDFRejectsBadInput(t *testing.T) {
	var buf bytes.Buffer
	if err := PDF(&buf, Input{}); err == nil {
		t.Error("PDF of an empty input: no error")
	}
	in := workedInput(t, "de")
	if err := PDF(&buf, in); err == nil {
		t.Error("PDF in German: no error")
	}
}

func TestPDFNoRanges(t *testing.T) {
	p, ps := model.Resolve(decode(t, []byte(`{"format":"blockplan.portfolio/v1","currency":"USD",
		"settings":{"start_year":2026,"horizon_years":2},
		"programmes":[{"id":"P1","name":"<b>One</b>","blocks":["b"]}],
		"blocks":[{"id":"b","name":"B","build_cost":10}]}`)), model.NoReference{})
	in := inputFor(t, p, ps, LangEN, 100)
	text := pdfText(t, renderPDF(t, in))
	if strings.Contains(text, Label(LangEN, "uncertainty")) {
		t.Error("uncertainty section without ranges")
	}
	if !strings.Contains(text, "<b>One</b>") {
		t.Error("programme name not printed as given")
	}
}

func BenchmarkPDF1000(b *testing.B) {
	in := syntheticInput(b, 1000, LangEN)
	var buf bytes.Buffer
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := PDF(&buf, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB")
}

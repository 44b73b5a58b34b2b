package reports

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The plan's title is in the report's language wherever a report names the
// plan: the PDF cover and running header, the HTML page, the workbook's
// summary and properties, and the Archi model.
func TestPortfolioTitleInReportLanguage(t *testing.T) {
	const (
		en = "Lagunie — National digital investment plan 2026–2030 (demo)"
		fr = "Lagunie — Plan national d'investissement numérique 2026–2030 (démo)"
	)
	collapse := func(s string) string { return strings.Join(strings.Fields(plain(s)), " ") }
	for _, tc := range []struct{ lang, want, other string }{{LangEN, en, fr}, {LangFR, fr, en}} {
		t.Run(tc.lang, func(t *testing.T) {
			in := demoInput(t, tc.lang)
			if got := in.Portfolio.Label(tc.lang); got != tc.want {
				t.Fatalf("demo title in %s = %q, want %q", tc.lang, got, tc.want)
			}

			text := collapse(pdfText(t, renderPDF(t, in)))
			if !strings.Contains(text, tc.want) {
				t.Errorf("PDF does not name the plan %q", tc.want)
			}
			if strings.Contains(text, tc.other) {
				t.Errorf("PDF names the plan in the other language, %q", tc.other)
			}

			page := renderHTML(t, in, "title-"+tc.lang)
			if !strings.Contains(page, html.EscapeString(tc.want)) {
				t.Errorf("HTML does not name the plan %q", tc.want)
			}
			if strings.Contains(page, html.EscapeString(tc.other)) {
				t.Errorf("HTML names the plan in the other language, %q", tc.other)
			}

			f := renderWorkbook(t, in)
			if v, _ := f.GetCellValue(SheetSummary, "A2"); !strings.HasPrefix(v, tc.want+" — ") {
				t.Errorf("Summary!A2 = %q, want it to start with %q", v, tc.want)
			}
			if props, err := f.GetDocProps(); err != nil || !strings.HasSuffix(props.Title, " — "+tc.want) {
				t.Errorf("workbook title = %q (%v), want it to end with %q", props.Title, err, tc.want)
			}

			elems, _, _ := checkArchi(t, archiExport(t, in))
			var model []string
			for _, e := range elems {
				if e[1] == ArchiModel {
					model = e
				}
			}
			if model == nil || model[2] != tc.want {
				t.Errorf("Archi model row %q, want the name %q", model, tc.want)
			}
		})
	}
}

package reports

import (
	"bytes"
	"testing"

	"blockplan/model"
)

// TestEdgePortfolios renders every format for portfolios at the edges: no
// programme and no block, a one-year plan, a programme outside the plan, a
// block kept siloed.
func TestEdgePortfolios(t *testing.T) {
	docs := map[string]string{
		"empty": `{"format":"blockplan.portfolio/v1","currency":"USD","settings":{"start_year":2026}}`,
		"one-year": `{"format":"blockplan.portfolio/v1","currency":"EUR","settings":{"start_year":2026,"horizon_years":1},
			"programmes":[{"id":"P1","blocks":["b"]},{"id":"P2","blocks":["b"],"start_year":2030}],
			"blocks":[{"id":"b","build_cost":100,"annual_run_cost":10,"integration_cost":5}]}`,
		"no-currency": `{"format":"blockplan.portfolio/v1","settings":{"start_year":2026,"horizon_years":3},
			"goals":[{"id":"G"}],
			"programmes":[{"id":"P1","goals":["G"],"blocks":["b"],"beneficiaries":0},{"id":"P2","blocks":["b"],"start_year":2020,"end_year":2021}],
			"blocks":[{"id":"b","status":"existing","annual_run_cost":10}]}`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			p, ps := model.Resolve(decode(t, []byte(doc)), anyTargets{})
			if ps.HasErrors() {
				t.Fatal(ps.Err(name))
			}
			in := inputFor(t, p, ps, LangFR, 100)
			if name == "one-year" {
				opt := model.EffectiveSettings(p.Settings, p.Programmes)
				opt.Siloed = map[string]bool{"b": true}
				in.Result = model.Compute(p, opt)
			}
			var buf bytes.Buffer
			for fname, f := range map[string]func(*bytes.Buffer, Input) error{
				"pdf":   func(b *bytes.Buffer, in Input) error { return PDF(b, in) },
				"xlsx":  func(b *bytes.Buffer, in Input) error { return Workbook(b, in) },
				"html":  func(b *bytes.Buffer, in Input) error { return HTML(b, in) },
				"archi": func(b *bytes.Buffer, in Input) error { return Archi(b, in) },
			} {
				buf.Reset()
				if err := f(&buf, in); err != nil {
					t.Errorf("%s: %v", fname, err)
				}
			}
			checkAgainstModel(t, renderWorkbook(t, in), in.Result)
		})
	}
}

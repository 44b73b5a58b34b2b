package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func mustDecode(t testing.TB, s string) *Portfolio {
	t.Helper()
	p, err := DecodePortfolioBytes([]byte(s))
	if err != nil {
		t.Fatalf("decode: %v (%v)", err, ErrorDetails(err))
	}
	return p
}

func TestResolvePullsAndInheritsFromCatalogue(t *testing.T) {
	p := mustDecode(t, `{"format":"blockplan.portfolio/v1","name":"x",
	  "goals":[{"id":"G","sdg_targets":["3.1"]}],
	  "programmes":[{"id":"P","goals":["G"],"use_cases":["reminders"]}],
	  "blocks":[{"id":"messaging","build_cost":10}]}`)
	r, ps := Resolve(p, fakeRef{})
	if ps.HasErrors() {
		t.Fatalf("errors: %v", ps)
	}
	if len(r.UseCases) != 1 || r.UseCases[0].ID != "reminders" || len(r.Workflows) != 1 {
		t.Fatalf("catalogue use case and workflow not pulled in: %+v %+v", r.UseCases, r.Workflows)
	}
	b := r.Blocks[0]
	if b.Name != "Messaging" || b.NameFR != "Messagerie" || b.BuildCost.Likely != 10 {
		t.Errorf("block did not inherit its name and keep its cost: %+v", b)
	}
	if len(p.UseCases) != 0 || p.Blocks[0].Name != "" {
		t.Error("Resolve modified its input")
	}
	if got := NewGraph(r).ProgrammeBlocks("P"); !slices.Equal(got, []string{"messaging"}) {
		t.Errorf("B(P) = %v", got)
	}
}

func TestResolveErrors(t *testing.T) {
	base := func(extra string) string {
		return `{"format":"blockplan.portfolio/v1","name":"x",
		  "agencies":[{"id":"moh"}],
		  "goals":[{"id":"G","sdg_targets":["3.1"]}],` + extra + `}`
	}
	tests := []struct {
		name, doc, code, kind, id, field, value string
	}{
		{"unknown use case", base(`"programmes":[{"id":"P","goals":["G"],"use_cases":["remnders"]}]`), "unknown-reference", "programme", "P", "use_cases", "remnders"},
		{"unknown goal", base(`"programmes":[{"id":"P","goals":["G2"],"blocks":["payments"]}]`), "unknown-reference", "programme", "P", "goals", "G2"},
		{"unknown agency", base(`"programmes":[{"id":"P","agency":"mof","blocks":["payments"]}]`), "unknown-reference", "programme", "P", "agency", "mof"},
		{"unknown block in workflow", base(`"workflows":[{"id":"w","blocks":["nope"]}]`), "unknown-reference", "workflow", "w", "blocks", "nope"},
		{"duplicate", base(`"blocks":[{"id":"b"},{"id":"b"}]`), "duplicate-id", "block", "b", "id", "b"},
		{"empty id", base(`"blocks":[{"id":""}]`), "missing-id", "block", "#1", "id", ""},
		{"negative", base(`"blocks":[{"id":"b","build_cost":-5}]`), "negative-amount", "block", "b", "build_cost", "-5"},
		{"bad range", base(`"blocks":[{"id":"b","annual_run_cost":{"low":5,"likely":3,"high":9}}]`), "bad-range", "block", "b", "annual_run_cost", "5/3/9"},
		{"rate", `{"format":"blockplan.portfolio/v1","settings":{"discount_rate":1.5}}`, "bad-discount-rate", "settings", "", "discount_rate", "1.5"},
		{"rate -1", `{"format":"blockplan.portfolio/v1","settings":{"discount_rate":-1}}`, "bad-discount-rate", "settings", "", "discount_rate", "-1"},
		{"horizon", `{"format":"blockplan.portfolio/v1","settings":{"horizon_years":0}}`, "bad-horizon", "settings", "", "horizon_years", "0"},
		{"start year", `{"format":"blockplan.portfolio/v1","settings":{"start_year":1800}}`, "bad-year", "settings", "", "start_year", "1800"},
		{"end before start", base(`"programmes":[{"id":"P","start_year":2028,"end_year":2027}]`), "end-before-start", "programme", "P", "end_year", "2027"},
		{"sdg target", `{"format":"blockplan.portfolio/v1","goals":[{"id":"G","sdg_targets":["3.99"]}]}`, "unknown-sdg-target", "goal", "G", "sdg_targets", "3.99"},
		{"status", base(`"blocks":[{"id":"b","status":"live"}]`), "bad-status", "block", "b", "status", "live"},
		{"priority", `{"format":"blockplan.portfolio/v1","goals":[{"id":"G","priority":0}]}`, "bad-priority", "goal", "G", "priority", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Validate(mustDecode(t, tt.doc), fakeRef{})
			for _, p := range ps.Errors() {
				if p.Code == tt.code && p.Kind == tt.kind && p.ID == tt.id && p.Field == tt.field && p.Value == tt.value {
					return
				}
			}
			t.Errorf("want error %s at %s %s .%s = %q; got %v", tt.code, tt.kind, tt.id, tt.field, tt.value, ps)
		})
	}
}

func TestResolveSuggestsCloseIDs(t *testing.T) {
	p := mustDecode(t, `{"format":"blockplan.portfolio/v1","goals":[{"id":"health"}],
	  "programmes":[{"id":"P","goals":["helth"]}]}`)
	for _, pr := range Validate(p, fakeRef{}) {
		if pr.Code == "unknown-reference" {
			if !slices.Contains(pr.Suggestions, "health") {
				t.Errorf("suggestions = %v, want health", pr.Suggestions)
			}
			return
		}
	}
	t.Error("no unknown-reference problem")
}

func TestResolveReportsAllErrorsAtOnce(t *testing.T) {
	p := mustDecode(t, `{"format":"blockplan.portfolio/v1","settings":{"horizon_years":0},
	  "programmes":[{"id":"P","goals":["x"],"use_cases":["y"],"own_build_cost":-1}],
	  "blocks":[{"id":"b","build_cost":{"low":3,"likely":2,"high":1}}]}`)
	if n := len(Validate(p, fakeRef{}).Errors()); n != 5 {
		t.Errorf("got %d errors, want 5", n)
	}
}

func TestWarnings(t *testing.T) {
	p := mustDecode(t, `{"format":"blockplan.portfolio/v1","settings":{"start_year":2026,"horizon_years":3},
	  "goals":[{"id":"G1"},{"id":"G2"}],
	  "programmes":[
	    {"id":"P1","goals":["G1"],"use_cases":["reminders"],"blocks":["payments"]},
	    {"id":"P2","start_year":2020,"end_year":2021},
	    {"id":"P3","goals":["G1"],"start_year":2024,"blocks":["payments"]}],
	  "blocks":[{"id":"payments","build_cost":1}]}`)
	ps := Validate(p, fakeRef{})
	if ps.HasErrors() {
		t.Fatalf("unexpected errors: %v", ps.Errors())
	}
	want := map[string]string{
		"untraced-block-link":     "P1",
		"programme-outside-plan":  "P2",
		"programme-no-goal":       "P2",
		"programme-no-use-case":   "P2",
		"programme-before-plan":   "P3",
		"goal-no-programme":       "G2",
		"block-no-cost":           "messaging",
		"block-build-before-plan": "payments", // planned, with a build cost, needed by P3 from 2024
	}
	got := map[string]bool{}
	for _, w := range ps.Warnings() {
		got[w.Code+" "+w.ID] = true
	}
	for code, id := range want {
		if !got[code+" "+id] {
			t.Errorf("no warning %s for %s (all: %v)", code, id, ps.Warnings())
		}
	}
	for _, w := range ps.Warnings() {
		if !strings.Contains(w.String(), "warning: ") {
			t.Errorf("warning string %q", w.String())
		}
	}
}

func TestBlockBuildBeforePlanWarning(t *testing.T) {
	doc := func(status string, start int) string {
		return `{"format":"blockplan.portfolio/v1","settings":{"start_year":2026},
		  "goals":[{"id":"G"}],
		  "programmes":[{"id":"P","goals":["G"],"blocks":["b"],"start_year":` + fmt.Sprint(start) + `}],
		  "blocks":[{"id":"b","status":"` + status + `","build_cost":10}]}`
	}
	tests := []struct {
		status string
		start  int
		want   bool
	}{{"planned", 2024, true}, {"planned", 2026, false}, {"existing", 2024, false}}
	for _, tt := range tests {
		var got bool
		for _, w := range Validate(mustDecode(t, doc(tt.status, tt.start)), fakeRef{}).Warnings() {
			got = got || w.Code == "block-build-before-plan"
		}
		if got != tt.want {
			t.Errorf("%s block needed from %d: warning %v, want %v", tt.status, tt.start, got, tt.want)
		}
	}
}

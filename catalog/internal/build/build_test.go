package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const shared = "../../../../shared"

// TestBuildIsStrict changes the curation in ways that must stop the build,
// so that a gap between the sources and the curation never passes silently.
func TestBuildIsStrict(t *testing.T) {
	if _, err := os.Stat(filepath.Join(shared, "data")); err != nil {
		t.Skipf("source data not here (%v); CI has it at %s", err, shared)
	}
	orig, err := os.ReadFile(filepath.Join("..", "..", "data", "curation.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(shared, orig, nil); err != nil {
		t.Fatalf("the committed curation does not build: %v", err)
	}
	tests := []struct {
		name   string
		change func(c map[string]any)
		want   string
	}{
		{"a framework block left out", func(c map[string]any) {
			c["blocks"] = c["blocks"].([]any)[1:]
		}, `no block for the framework's "analytics_and_business_intel"`},
		{"an unmatched GovStack workflow forgotten", func(c map[string]any) {
			delete(c["govstack_workflows"].(map[string]any)["unmatched"].(map[string]any), "Strategy development")
		}, `workflow "Strategy development" matches []`},
		{"a stale workflow mapping", func(c map[string]any) {
			c["govstack_workflows"].(map[string]any)["map"].(map[string]any)["Astrology"] = []any{"decision_support"}
		}, `"Astrology" is in no GovStack step`},
		{"a mapping that contradicts the names", func(c map[string]any) {
			c["govstack_workflows"].(map[string]any)["map"].(map[string]any)["Procurement:"] = []any{"marketplace"}
		}, `maps to [marketplace] but matches [procurement]`},
		{"a step without French", func(c map[string]any) {
			delete(c["step_names_fr"].(map[string]any), "Licensing")
		}, `no French for "Licensing"`},
		{"the INST-3 goal fix dropped", func(c map[string]any) {
			for _, u := range c["govstack_use_cases"].([]any) {
				delete(u.(map[string]any), "sdg_goal_fix")
			}
		}, `does not name goal 3`},
		{"the INST-2 id fix dropped", func(c map[string]any) {
			for _, u := range c["govstack_use_cases"].([]any) {
				delete(u.(map[string]any), "source_id_fix")
			}
		}, `use case inst-2: source id INST-1`},
		{"a GovStack block name without alias", func(c map[string]any) {
			for _, b := range c["blocks"].([]any) {
				if m := b.(map[string]any); m["id"] == "scheduling" {
					m["aliases"] = []any{}
				}
			}
		}, `block "Scheduler" matches []`},
		{"an ambiguous alias", func(c map[string]any) {
			b := c["blocks"].([]any)[0].(map[string]any)
			b["aliases"] = append(b["aliases"].([]any), "SMS")
		}, `alias "SMS" also matches messaging`},
		{"an unknown curation key", func(c map[string]any) { c["blokcs"] = []any{} }, `unknown field "blokcs"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c map[string]any
			if err := json.Unmarshal(orig, &c); err != nil {
				t.Fatal(err)
			}
			tt.change(c)
			data, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(shared, data, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Build = %v\nwant an error with %q", err, tt.want)
			}
		})
	}
}

func TestCleanStep(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4 - User Profile Account&#x20;", "User Profile Account"},
		{"**5 - Community Engagement**", "Community Engagement"},
		{"Step 2 - Outreach Communications", "Outreach Communications"},
		{`8 - Ongoing M\&E`, "Ongoing M&E"},
		{"7 - Archiving/Sunsetting", "Archiving/Sunsetting"},
	}
	for _, tt := range tests {
		if got := cleanStep(tt.in); got != tt.want {
			t.Errorf("cleanStep(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"blockplan/fixtures"
)

// cli runs the command line in-process against a database in a temp dir.
type cli struct {
	t  *testing.T
	db string
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, db: filepath.Join(t.TempDir(), "test.db")}
}

func (c *cli) run(stdin string, args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"--db", c.db}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageAndExitCodes(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		args []string
		code int
		want string // in stdout+stderr
	}{
		{nil, 2, "Usage: blockplan"},
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"validate"}, 2, "expected one portfolio FILE"},
		{[]string{"validate", "--nope", "x"}, 2, "flag provided but not defined"},
		{[]string{"validate", "--help"}, 0, "Usage: blockplan validate"},
		{[]string{"help", "savings"}, 0, "Usage: blockplan savings"},
		{[]string{"export", "no-such"}, 1, "no-such"},
		{[]string{"catalog", "list", "planets"}, 2, "unknown kind"},
		{[]string{"savings", "--portfolio", "x", "file.json"}, 2, "not both"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := c.run("", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if !strings.Contains(out+errs, tt.want) {
				t.Errorf("output lacks %q:\n%s%s", tt.want, out, errs)
			}
		})
	}
}

func TestBadInputs(t *testing.T) {
	const head = `{"format":"blockplan.portfolio/v1","name":"x",`
	tests := []struct {
		name, content, want string
	}{
		{"syntax", "{\n\"format\": \"blockplan.portfolio/v1\",\n\"name\": }", "line 3, column 9"},
		{"empty", "", "the file is empty"},
		{"binary", "\x00\x01\x02\x03binary", "binary"},
		{"version", `{"format":"blockplan.portfolio/v2"}`, "unknown format version"},
		{"unknown key", head + `"blocks":[{"id":"payments","buid_cost":5}]}`, `block payments, field buid_cost: unknown key "buid_cost" (did you mean "build_cost"?)`},
		{"bad reference", head + `"programmes":[{"id":"P1","use_cases":["nope_nope"]}]}`, `programme P1, field use_cases: use case "nope_nope"`},
		{"negative", head + `"blocks":[{"id":"payments","build_cost":-3}]}`, "block payments, field build_cost: build_cost must not be negative"},
		{"range", head + `"blocks":[{"id":"payments","build_cost":{"low":9,"likely":5,"high":7}}]}`, "low ≤ likely ≤ high"},
		{"sdg", head + `"goals":[{"id":"G","sdg_targets":["3.99"]}]}`, `goal G, field sdg_targets: "3.99" is not an SDG target`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			f := writeFile(t, "p.json", tt.content)
			code, out, errs := c.run("", "validate", f)
			if code != 1 {
				t.Errorf("validate: exit %d, want 1\n%s%s", code, out, errs)
			}
			if !strings.Contains(out+errs, tt.want) {
				t.Errorf("validate output lacks %q:\n%s%s", tt.want, out, errs)
			}
			code, out, errs = c.run("", "import", f)
			if code != 1 || !strings.Contains(out+errs, tt.want) {
				t.Errorf("import: exit %d, output lacks %q:\n%s%s", code, tt.want, out, errs)
			}
			if _, err := os.Stat(c.db); err == nil {
				// the database may exist only if something else created it;
				// the bad portfolio must not be in it
				_, out, _ := c.run("", "list", "--json")
				if strings.Contains(out, `"id": "x"`) {
					t.Error("a bad portfolio was stored")
				}
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	c := newCLI(t)
	f := writeFile(t, "p.json", `{"format":"blockplan.portfolio/v1","blocks":[{"id":"b","build_cost":-1}],
	  "programmes":[{"id":"P","blocks":["b"]}]}`)
	code, out, _ := c.run("", "validate", "--json", f)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var got struct {
		Valid    bool
		Errors   []map[string]any
		Warnings []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Valid || len(got.Errors) != 1 || got.Errors[0]["code"] != "negative-amount" || got.Errors[0]["field"] != "build_cost" {
		t.Errorf("got %+v", got)
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	c := newCLI(t)
	for _, doc := range []struct {
		name string
		data []byte
	}{{"worked", fixtures.WorkedExample}, {"demo", fixtures.Demo}} {
		t.Run(doc.name, func(t *testing.T) {
			f := writeFile(t, "p.json", string(doc.data))
			code, out, errs := c.run("", "import", "--replace", f)
			if code != 0 {
				t.Fatalf("import: exit %d\n%s%s", code, out, errs)
			}
			id := strings.TrimSpace(out)
			code, out, errs = c.run("", "export", id)
			if code != 0 {
				t.Fatalf("export: exit %d: %s", code, errs)
			}
			var got, want map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			json.Unmarshal(doc.data, &want)
			if _, had := want["id"]; !had {
				delete(got, "id") // derived from the name on import
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("export differs from the imported document:\n got %s\nwant %s", g, w)
			}
		})
	}
	// an existing id is replaced only with --replace
	f := writeFile(t, "p.json", string(fixtures.WorkedExample))
	if code, _, errs := c.run("", "import", f); code != 1 || !strings.Contains(errs, "--replace") {
		t.Errorf("re-import without --replace: exit %d, %s", code, errs)
	}
	if code, out, _ := c.run("", "import", "--dry-run", "--replace", f); code != 0 || !strings.Contains(out, "would store") {
		t.Errorf("dry run: exit %d, %s", code, out)
	}
}

func TestListTraceDelete(t *testing.T) {
	c := newCLI(t)
	code, out, errs := c.run("", "list", "--json")
	if code != 0 {
		t.Fatalf("list: %d %s", code, errs)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0]["id"] != "lagunie-2026" {
		t.Fatalf("a new database should hold the demo: %v %s", err, out)
	}
	code, out, errs = c.run("", "trace", "lagunie-2026", "payments", "--json")
	if code != 0 {
		t.Fatalf("trace: %d %s", code, errs)
	}
	var tr struct {
		Programmes []struct{ ID string }
		Goals      []struct{ ID string }
	}
	json.Unmarshal([]byte(out), &tr)
	if len(tr.Programmes) < 2 || len(tr.Goals) < 2 {
		t.Errorf("payments should serve several programmes and goals: %s", out)
	}
	if code, out, _ := c.run("", "trace", "lagunie-2026", "SOC-TMU"); code != 0 || !strings.Contains(out, "SDG targets") || !strings.Contains(out, "1.3") {
		t.Errorf("trace text: %d %s", code, out)
	}
	if code, _, errs := c.run("", "trace", "lagunie-2026", "nothing-here"); code != 1 || !strings.Contains(errs, "no node") {
		t.Errorf("unknown node: %d %s", code, errs)
	}
	if code, _, errs := c.run("", "delete", "lagunie-2026"); code != 0 {
		t.Fatalf("delete: %d %s", code, errs)
	}
	if code, _, _ := c.run("", "export", "lagunie-2026"); code != 1 {
		t.Errorf("export after delete: exit %d, want 1", code)
	}
}

func TestSavingsJSONMatchesWorkedExample(t *testing.T) {
	c := newCLI(t)
	f := writeFile(t, "w.json", string(fixtures.WorkedExample))
	code, out, errs := c.run("", "savings", "--json", f)
	if code != 0 {
		t.Fatalf("savings: %d %s", code, errs)
	}
	want, err := os.ReadFile("../../model/testdata/worked-example.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	json.Unmarshal([]byte(out), &g)
	json.Unmarshal(want, &w)
	compareJSON(t, "", g, w)
}

// compareJSON checks that every key of want is in got with the same value
// (numbers to a relative 1e-9); got may have extra keys.
func compareJSON(t *testing.T, path string, got, want any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s: got %T, want object", path, got)
			return
		}
		for k, v := range w {
			compareJSON(t, path+"."+k, g[k], v)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("%s: got %v, want %d items", path, got, len(w))
			return
		}
		for i := range w {
			compareJSON(t, path+"["+string(rune('0'+i%10))+"]", g[i], w[i])
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s = %v, want %v", path, got, w)
		}
	default:
		if got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
}

func TestSavingsWhatIfAndText(t *testing.T) {
	c := newCLI(t)
	f := writeFile(t, "w.json", string(fixtures.WorkedExample))
	_, out, _ := c.run("", "savings", "--json", "--discount-rate", "0", "--horizon", "3", f)
	var r struct {
		Settings struct {
			DiscountRate float64 `json:"discount_rate"`
		}
		Totals struct {
			PVSiloed float64 `json:"pv_siloed"`
		}
	}
	json.Unmarshal([]byte(out), &r)
	// Undiscounted siloed cost is the plain sum of the worked example's years.
	if r.Settings.DiscountRate != 0 || math.Abs(r.Totals.PVSiloed-820) > 1e-9 {
		t.Errorf("what-if: %+v", r)
	}
	code, _, errs := c.run("", "savings", "--discount-rate", "2", f)
	if code != 1 || !strings.Contains(errs, "discount_rate") {
		t.Errorf("bad override: %d %s", code, errs)
	}
	code, out, errs = c.run("", "savings", "--portfolio", "lagunie-2026", "--mc", "500")
	if code != 0 {
		t.Fatalf("demo savings: %d %s", code, errs)
	}
	for _, want := range []string{"Savings from reuse", "By building block", "By SDG target", "Monte Carlo", "Tornado", "warning"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
}

func TestRoadmap(t *testing.T) {
	c := newCLI(t)
	f := writeFile(t, "w.json", string(fixtures.WorkedExample))
	code, out, errs := c.run("", "roadmap", "--json", "--budget", "200", f)
	if code != 0 {
		t.Fatalf("roadmap: %d %s", code, errs)
	}
	var r struct {
		Chosen   []string
		Frontier []struct{ Cost, Savings float64 }
	}
	json.Unmarshal([]byte(out), &r)
	// Only ident saves money in the worked example; it costs 198.2 shared.
	if len(r.Chosen) != 1 || r.Chosen[0] != "ident" || len(r.Frontier) != 2 {
		t.Errorf("roadmap = %s", out)
	}
	if code, _, _ := c.run("", "roadmap", "--budget", "-1", f); code != 2 {
		t.Errorf("negative budget: exit %d, want 2", code)
	}
}

func TestCatalogCommands(t *testing.T) {
	c := newCLI(t)
	code, out, _ := c.run("", "catalog", "export", "--json")
	if code != 0 {
		t.Fatal("export failed")
	}
	var doc map[string][]map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for k, n := range map[string]int{"sdg_goals": 17, "sdg_targets": 169, "sdg_indicators": 248, "blocks": 26, "workflows": 16} {
		if len(doc[k]) != n {
			t.Errorf("%s: %d entries, want %d", k, len(doc[k]), n)
		}
	}
	if name, _ := doc["blocks"][0]["name"].(map[string]any); name["en"] == nil || name["fr"] == nil {
		t.Errorf("block names are not bilingual: %v", doc["blocks"][0])
	}
	if code, out, _ := c.run("", "catalog", "list", "blocks", "--lang", "fr"); code != 0 || !strings.Contains(out, "Paiements") {
		t.Errorf("list blocks fr: %d %s", code, out)
	}
	if code, out, _ := c.run("", "catalog", "show", "Identity"); code != 0 || !strings.Contains(out, "identification_and_authentication") {
		t.Errorf("show alias: %d %s", code, out)
	}
	if code, out, _ := c.run("", "catalog", "show", "inst-2"); code != 0 || !strings.Contains(out, "Anticipatory") {
		t.Errorf("show inst-2: %d %s", code, out)
	}
}

func TestTemplateThenImport(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	f := filepath.Join(dir, "plan.xlsx")
	if code, _, errs := c.run("", "template", f, "--lang", "fr"); code != 0 {
		t.Fatalf("template: %d %s", code, errs)
	}
	if code, _, errs := c.run("", "template", f); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("second template without --force: %d %s", code, errs)
	}
	// the template's example rows make a valid portfolio
	code, out, errs := c.run("", "validate", f)
	if code != 0 {
		t.Errorf("validate template: %d %s%s", code, out, errs)
	}
	if code, _, _ := c.run("", "template", filepath.Join(dir, "plan.csv")); code != 2 {
		t.Errorf("template to .csv: exit %d, want 2", code)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestReportFormats(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	for _, tt := range []struct {
		format, lang, file, magic string
	}{
		{"pdf", "fr", "r.pdf", "%PDF-"},
		{"pdf", "en", "r-en.pdf", "%PDF-"},
		{"xlsx", "fr", "r.xlsx", "PK"},
		{"html", "en", "r.html", "<!DOCTYPE html>"},
		{"archi", "en", "archi.zip", "PK"},
	} {
		t.Run(tt.format+"-"+tt.lang, func(t *testing.T) {
			out := filepath.Join(dir, tt.file)
			code, _, errs := c.run("", "report", "--format", tt.format, "--lang", tt.lang, "--mc", "200", "-o", out, "--portfolio", "lagunie-2026")
			if code != 0 {
				t.Fatalf("report: %d %s", code, errs)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(bytes.TrimSpace(b), []byte(tt.magic)) {
				t.Errorf("%s does not start with %q", tt.file, tt.magic)
			}
		})
	}
	archiDir := filepath.Join(dir, "archi")
	if code, _, errs := c.run("", "report", "--format", "archi", "-o", archiDir, "--portfolio", "lagunie-2026"); code != 0 {
		t.Fatalf("archi folder: %d %s", code, errs)
	}
	for _, f := range []string{"elements.csv", "relations.csv", "properties.csv"} {
		if _, err := os.Stat(filepath.Join(archiDir, f)); err != nil {
			t.Errorf("archi folder lacks %s", f)
		}
	}
	if code, _, _ := c.run("", "report", "--format", "docx", "--portfolio", "lagunie-2026"); code != 2 {
		t.Errorf("unknown format: exit %d, want 2", code)
	}
}

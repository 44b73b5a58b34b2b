package importers

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"blockplan/model"
)

// govstackUseCase is one GovStack use case with the union of its steps'
// workflows and blocks, as GovStack spells them.
type govstackUseCase struct {
	id, name, sector  string
	workflows, blocks []string
}

// govstackUseCases reads testdata/govstack_use_case_steps.csv (a copy of
// shared/data/dial's), one use case per id and name (INST-1 names two).
func govstackUseCases(t *testing.T) []*govstackUseCase {
	f, err := os.Open(filepath.Join("testdata", "govstack_use_case_steps.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []*govstackUseCase
	byKey := map[string]*govstackUseCase{}
	add := func(list []string, cell string) []string {
		for _, it := range strings.Split(cell, ";") {
			if it = strings.TrimSpace(it); it != "" && !slices.Contains(list, it) {
				list = append(list, it)
			}
		}
		return list
	}
	for _, r := range recs[1:] { // use_case_id,use_case_name,sector,step,workflows,building_blocks
		key := r[0] + "\x00" + r[1]
		u := byKey[key]
		if u == nil {
			u = &govstackUseCase{id: r[0], name: r[1], sector: r[2]}
			byKey[key] = u
			out = append(out, u)
		}
		u.workflows, u.blocks = add(u.workflows, r[4]), add(u.blocks, r[5])
	}
	return out
}

// TestGovStackUseCases imports a workbook made from GovStack's use-case
// tables, with GovStack's own spellings of workflows and blocks: every item
// resolves to a catalogue id, or its cell is named in a problem.
func TestGovStackUseCases(t *testing.T) {
	ucs := govstackUseCases(t)
	rows := [][]any{{"id", "name", "sector", "workflows", "blocks"}}
	for _, u := range ucs {
		rows = append(rows, []any{u.id, u.name, u.sector, strings.Join(u.workflows, "; "), strings.Join(u.blocks, "; ")})
	}
	data := workbook(t, sheet{"UseCases", rows})
	p, ps, err := readBytes(t, data, "govstack.xlsx", Options{MaxProblems: 10000})
	if err != nil {
		t.Fatal(err)
	}
	ref := testRef()
	type cell struct {
		row    int
		column string
		value  string
	}
	reported := map[cell]bool{}
	for _, pr := range ps.Errors() {
		if pr.Sheet != "UseCases" || pr.Row < 2 {
			t.Errorf("error not placed on a UseCases row: %s", pr)
		}
		reported[cell{pr.Row, pr.Column, pr.Value}] = true
	}
	if len(p.UseCases) != len(ucs) {
		t.Fatalf("%d use cases imported; want %d", len(p.UseCases), len(ucs))
	}
	resolved, unresolved := 0, 0
	for i, u := range p.UseCases {
		row := i + 2
		check := func(kind, column string, got, written []string) {
			if len(got) != len(written) {
				t.Errorf("row %d %s: %d items from %d written", row, column, len(got), len(written))
				return
			}
			for j, id := range got {
				var ok bool
				if kind == "workflow" {
					_, ok = ref.Workflow(id)
				} else {
					_, ok = ref.Block(id)
				}
				switch {
				case ok:
					resolved++
				case reported[cell{row, column, written[j]}]:
					unresolved++
				default:
					t.Errorf("row %d %s: %q became %q, which is no catalogue %s, and no problem names the cell", row, column, written[j], id, kind)
				}
			}
		}
		check("workflow", "D (workflows)", u.Workflows, ucs[i].workflows)
		check("block", "E (blocks)", u.Blocks, ucs[i].blocks)
	}
	t.Logf("GovStack items: %d resolved to catalogue ids, %d named in problems", resolved, unresolved)
	if testing.Verbose() {
		t.Log(problemText(ps))
	}
	if resolved < 10*unresolved {
		t.Errorf("only %d of %d GovStack items resolved", resolved, resolved+unresolved)
	}
	// Known spellings land where the catalogue says.
	byID := map[string]model.UseCase{}
	for _, u := range p.UseCases {
		byID[u.ID] = u
	}
	agr := byID["agr-1"]
	for _, want := range []string{"identification_and_authentication", "scheduling", "workflow_and_algorithm", "consent_management", "emarketplace"} {
		if !slices.Contains(agr.Blocks, want) {
			t.Errorf("agr-1 blocks %v lack %s", agr.Blocks, want)
		}
	}
	for _, want := range []string{"client_communication", "identification_and_registration", "marketplace", "procurement"} {
		if !slices.Contains(agr.Workflows, want) {
			t.Errorf("agr-1 workflows %v lack %s", agr.Workflows, want)
		}
	}
	// GovStack's duplicated INST-1 is one error, at the second row that uses it.
	dup := find(t, ps, "duplicate-id")
	if dup.Value != "inst-1" || dup.Column != "A (id)" {
		t.Errorf("duplicate id: %s", dup)
	}
	if w := find(t, ps, "catalogue-id"); w.Severity != model.SeverityWarning {
		t.Errorf("catalogue id: %s", w)
	}
}

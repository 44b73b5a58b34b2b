package importers

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The template is checked by reading it back with excelize: sheets,
// headers, drop-down lists, input messages, frozen panes, formats.
func TestTemplate(t *testing.T) {
	for _, tc := range []struct {
		lang                      string
		programmes, blocks, instr string
		headers                   []string
		marker                    string
	}{
		{"en", "Programmes", "Blocks", "How to fill in this workbook", []string{"id", "name", "name_fr", "agency", "goals", "use_cases"}, "e.g. "},
		{"fr", "Programmes", "Blocs", "Comment remplir ce classeur", []string{"Identifiant", "Nom", "Nom (FR)", "Agence", "Objectifs", "Cas d'usage"}, "ex. "},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteTemplate(&b, tc.lang, nil); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&b)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want := []string{"Instructions"}
			for _, d := range sheets {
				want = append(want, d.title(tc.lang))
			}
			want = append(want, listsSheet)
			if got := f.GetSheetList(); !slices.Equal(got, want) {
				t.Errorf("sheets %v; want %v", got, want)
			}
			if v, _ := f.GetSheetVisible(listsSheet); v {
				t.Errorf("the Lists sheet is visible")
			}
			if v, _ := f.GetCellValue("Instructions", "A1"); v != tc.instr {
				t.Errorf("instructions title %q", v)
			}
			rows, err := f.GetRows(tc.programmes)
			if err != nil {
				t.Fatal(err)
			}
			if got := rows[0][:len(tc.headers)]; !slices.Equal(got, tc.headers) {
				t.Errorf("programme headers %v; want %v", got, tc.headers)
			}
			if len(rows) != 2 || !strings.HasPrefix(rows[1][0], tc.marker) {
				t.Errorf("example row %v", rows[1:])
			}
			panes, err := f.GetPanes(tc.programmes)
			if err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("panes %+v, %v; want the header row frozen", panes, err)
			}
			dvs, err := f.GetDataValidations(tc.programmes)
			if err != nil {
				t.Fatal(err)
			}
			lists := map[string]string{} // column letter -> list formula
			prompts := 0
			for _, dv := range dvs {
				if dv.Formula1 != "" {
					lists[strings.TrimRight(strings.Split(dv.Sqref, ":")[0], "0123456789")] = dv.Formula1
				}
				if dv.ShowInputMessage && dv.Prompt != nil && *dv.Prompt != "" {
					prompts++
				}
			}
			if want := "'" + agenciesDef.title(tc.lang) + "'!$A$3:$A$"; !strings.Contains(lists["D"], want) {
				t.Errorf("agency drop-down %q; want the ids of sheet %s, %s", lists["D"], agenciesDef.title(tc.lang), want)
			}
			if !strings.Contains(lists["F"], "'"+listsSheet+"'!$E$2") {
				t.Errorf("use-case drop-down %q; want the Lists sheet's use-case ids", lists["F"])
			}
			if prompts < 2*len(programmesDef.cols) {
				t.Errorf("%d input messages; want one on each header and column", prompts)
			}
			lr, _ := f.GetRows(listsSheet)
			var blockIDs, targets []string
			for _, r := range lr[1:] {
				if len(r) > 0 && r[0] != "" {
					blockIDs = append(blockIDs, r[0])
				}
				if len(r) > 6 && r[6] != "" {
					targets = append(targets, r[6])
				}
			}
			if !slices.Contains(blockIDs, "payments") || len(targets) != 169 {
				t.Errorf("lists: %d block ids (payments: %v), %d SDG targets; want the catalogue's", len(blockIDs), slices.Contains(blockIDs, "payments"), len(targets))
			}
			// Number formats: the id and SDG columns are text, years are whole numbers.
			style, _ := f.GetCellStyle(tc.blocks, "H2")
			st, _ := f.GetStyle(style)
			if st == nil || st.NumFmt != 3 {
				t.Errorf("build_cost format %+v; want #,##0", st)
			}
			width, _ := f.GetColWidth(tc.programmes, "B")
			if width < 20 {
				t.Errorf("name column width %v", width)
			}
		})
	}
}

func TestUnknownLanguageIsRefused(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTemplate(&b, "de", nil); err == nil {
		t.Error("template in German accepted")
	}
	if err := WriteWorkbook(&b, richPortfolio(1), "xx"); err == nil {
		t.Error("workbook in xx accepted")
	}
}

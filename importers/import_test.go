package importers

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"blockplan/model"
)

func TestColumnsCoverTheModel(t *testing.T) {
	for _, def := range entitySheets {
		fields := fieldIndex(def.typ)
		covered := map[string]bool{}
		for _, c := range def.cols {
			if _, ok := fields[c.field]; !ok {
				t.Errorf("sheet %s: column %s is no field of %s", def.name, c.field, def.typ)
			}
			covered[c.field] = true
		}
		for f := range fields {
			if !covered[f] {
				t.Errorf("sheet %s: field %s of %s has no column: the spreadsheet would lose it", def.name, f, def.typ)
			}
		}
	}
	settingsFields := fieldIndex(reflect.TypeFor[model.Settings]())
	keys := map[string]bool{}
	for _, s := range settingsRows {
		keys[s.key] = true
	}
	for f := range settingsFields {
		if !keys[f] {
			t.Errorf("setting %s has no row in the Settings sheet", f)
		}
	}
	for _, f := range []string{"id", "name", "name_fr", "country", "currency"} {
		if !keys[f] {
			t.Errorf("portfolio field %s has no row in the Settings sheet", f)
		}
	}
}

func TestHeadersMatchLoosely(t *testing.T) {
	for _, tc := range []struct {
		sheet  *sheetDef
		header string
		field  string
		part   int
	}{
		{blocksDef, "build_cost", "build_cost", partLikely},
		{blocksDef, "Build Cost", "build_cost", partLikely},
		{blocksDef, "BUILD-COST", "build_cost", partLikely},
		{blocksDef, "  build cost ", "build_cost", partLikely},
		{blocksDef, "Coût de construction", "build_cost", partLikely},
		{blocksDef, "COUT DE CONSTRUCTION", "build_cost", partLikely},
		{blocksDef, "coût_de_construction", "build_cost", partLikely},
		{blocksDef, "Coût de construction (bas)", "build_cost", partLow},
		{blocksDef, "build_cost_high", "build_cost", partHigh},
		{blocksDef, "Build cost (max)", "build_cost", partHigh},
		{blocksDef, "Coût annuel d'exploitation", "annual_run_cost", partLikely},
		{blocksDef, "Coût d'intégration", "integration_cost", partLikely},
		{blocksDef, "Coût d'exploitation par consommateur", "per_consumer_run_cost", partLikely},
		{blocksDef, "Identifiant", "id", partLikely},
		{blocksDef, "Nom (FR)", "name_fr", partLikely},
		{blocksDef, "name_fr", "name_fr", partLikely},
		{programmesDef, "Année de début", "start_year", partLikely},
		{programmesDef, "annee de fin", "end_year", partLikely},
		{programmesDef, "Bénéficiaires", "beneficiaries", partLikely},
		{programmesDef, "Cas d'usage", "use_cases", partLikely},
		{programmesDef, "Objectifs", "goals", partLikely},
		{programmesDef, "Blocs", "blocks", partLikely},
		{useCasesDef, "Flux de travail", "workflows", partLikely},
		{goalsDef, "Cibles ODD", "sdg_targets", partLikely},
		{goalsDef, "Priorité", "priority", partLikely},
	} {
		i, ok := headerIndex[tc.sheet][headerKey(tc.header)]
		if !ok {
			t.Errorf("%s: header %q not recognised", tc.sheet.name, tc.header)
			continue
		}
		if c := tc.sheet.cols[i]; c.field != tc.field || c.part != tc.part {
			t.Errorf("%s: header %q is %s part %d; want %s part %d", tc.sheet.name, tc.header, c.field, c.part, tc.field, tc.part)
		}
	}
	for _, tc := range []struct{ name, want string }{
		{"Settings", "Settings"}, {"Paramètres", "Settings"}, {"parametres.csv", "Settings"},
		{"Agences", "Agencies"}, {"Organismes", "Agencies"}, {"Objectifs", "Goals"}, {"Programmes", "Programmes"},
		{"Cas d'usage", "UseCases"}, {"use_cases.csv", "UseCases"}, {"Use Cases", "UseCases"},
		{"Flux de travail", "Workflows"}, {"Blocs", "Blocks"}, {"BLOCKS.CSV", "Blocks"},
	} {
		if d := lookupSheet(tc.name); d == nil || d.name != tc.want {
			t.Errorf("sheet %q is %v; want %s", tc.name, d, tc.want)
		}
	}
}

// A French workbook with headers written every which way imports.
func TestFrenchWorkbookImports(t *testing.T) {
	data := workbook(t,
		sheet{"Paramètres", [][]any{{"Clé", "Valeur"}, {"Taux d'actualisation", "3,5 %"}, {"Année de début", 2027}, {"Devise", "XOF"}, {"biais d'optimisme", "10 %"},
			{"Nom", "Digital plan"}, {"nom_fr", "Plan numérique"}}},
		sheet{"Agences", [][]any{{"IDENTIFIANT", "nom"}, {"msas", "Ministère de la Santé"}}},
		sheet{"Objectifs", [][]any{{"Identifiant", "Nom", "Cibles ODD", "Priorité"}, {"ON1", "Santé maternelle", "3.1, 3.2", 1}}},
		sheet{"Programmes", [][]any{
			{"identifiant", "Nom", "Agence", "Objectifs", "Cas d'usage", "Année de début", "Bénéficiaires", "Coût de construction propre (bas)", "Coût de construction propre", "Coût de construction propre (haut)"},
			{"P1", "Suivi", "Ministère de la santé", "sante maternelle", "Santé maternelle et néonatale", "2 027", "1 234,5", "1 000", "1 200,5", "1 500"},
		}},
		sheet{"Blocs", [][]any{{"Identifiant", "Statut", "Coût de construction"}, {"payments", "existant", "12 000"}}},
	)
	p := mustImport(t, data, "fr.xlsx")
	if got := *p.Settings.DiscountRate; got != 0.035 {
		t.Errorf("discount rate %v; want 0.035", got)
	}
	if got := *p.Settings.OptimismBias; got != 0.1 {
		t.Errorf("optimism bias %v; want 0.1", got)
	}
	if p.Currency != "XOF" || *p.Settings.StartYear != 2027 {
		t.Errorf("settings: currency %q start %v", p.Currency, *p.Settings.StartYear)
	}
	if p.Name != "Digital plan" || p.NameFR != "Plan numérique" {
		t.Errorf("settings: name %q, name_fr %q; want \"Digital plan\", \"Plan numérique\"", p.Name, p.NameFR)
	}
	for _, key := range []string{"name_fr", "nom (FR)", "Nom_FR", "nom français", "Titre (FR)"} {
		if i, ok := settingKeys[headerKey(key)]; !ok || settingsRows[i].key != "name_fr" {
			t.Errorf("setting key %q does not stand for name_fr", key)
		}
	}
	want := model.Programme{ID: "P1", Name: "Suivi", Agency: "msas", Goals: []string{"ON1"}, UseCases: []string{"maternal_and_newborn_health"},
		StartYear: ip(2027), Beneficiaries: fp(1234.5), OwnBuildCost: model.Triangle(1000, 1200.5, 1500)}
	if d := cmp.Diff([]model.Programme{want}, p.Programmes); d != "" {
		t.Errorf("programme (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"3.1", "3.2"}, p.Goals[0].SDGTargets); d != "" {
		t.Errorf("targets split at ',': %s", d)
	}
	if b := p.Blocks[0]; b.Status != model.StatusExisting || b.BuildCost != model.Point(12000) {
		t.Errorf("block %+v", b)
	}
}

// programmesBook is a workbook whose Programmes sheet refers to others by
// every kind of name, good and bad.
func programmesBook(t *testing.T, rows ...[]any) []byte {
	return workbook(t,
		sheet{"Agencies", [][]any{{"id", "name", "name_fr"}, {"moh", "Ministry of Health", "Ministère de la Santé"}}},
		sheet{"Goals", [][]any{{"id", "name", "name_fr"}, {"G1", "Healthy mothers", "Mères en bonne santé"}, {"G2", "Social protection", ""}}},
		sheet{"UseCases", [][]any{{"id", "name", "workflows", "blocks"}, {"uc1", "Home visits", "Client Communication; Identification & Registration", "Identity; Scheduler; eMarketplace"}}},
		sheet{"Programmes", append([][]any{{"id", "name", "agency", "goals", "use_cases", "blocks"}}, rows...)},
	)
}

func TestReferencesByIDNameAliasAndFrenchName(t *testing.T) {
	data := programmesBook(t,
		[]any{"P1", "by id", "moh", "G1; G2", "uc1; maternal_and_newborn_health", "payments"},
		[]any{"P2", "by name", "ministry of health", "healthy MOTHERS, Social Protection", "Home Visits; Maternal and newborn health", "Payments"},
		[]any{"P3", "by French name", "Ministère de la santé", "meres en bonne sante", "Santé maternelle et néonatale", "Paiements"},
		[]any{"P4", "by alias", "MOH", "g1", "UC1", "Identity"},
	)
	p := mustImport(t, data, "refs.xlsx")
	want := map[string][3][]string{
		"P1": {{"G1", "G2"}, {"uc1", "maternal_and_newborn_health"}, {"payments"}},
		"P2": {{"G1", "G2"}, {"uc1", "maternal_and_newborn_health"}, {"payments"}},
		"P3": {{"G1"}, {"maternal_and_newborn_health"}, {"payments"}},
		"P4": {{"G1"}, {"uc1"}, {"identification_and_authentication"}},
	}
	for _, pr := range p.Programmes {
		w := want[pr.ID]
		got := [3][]string{pr.Goals, pr.UseCases, pr.Blocks}
		if d := cmp.Diff(w, got); d != "" {
			t.Errorf("%s (%s) (-want +got):\n%s", pr.ID, pr.Name, d)
		}
		if pr.Agency != "moh" {
			t.Errorf("%s agency %q; want moh", pr.ID, pr.Agency)
		}
	}
	uc := p.UseCases[0]
	if d := cmp.Diff([]string{"client_communication", "identification_and_registration"}, uc.Workflows); d != "" {
		t.Errorf("GovStack workflow spellings: %s", d)
	}
	if d := cmp.Diff([]string{"identification_and_authentication", "scheduling", "emarketplace"}, uc.Blocks); d != "" {
		t.Errorf("GovStack block spellings: %s", d)
	}
}

func TestWrongReferencesNameTheCell(t *testing.T) {
	data := programmesBook(t,
		[]any{"P1", "ok", "moh", "G1", "uc1", ""},
		[]any{"P2", "bad", "Ministry of Helth", "G1; G9", "Home visit", "Paymants"},
	)
	_, ps, err := readBytes(t, data, "refs.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	type cell struct{ column, value string }
	got := map[cell]model.Problem{}
	for _, p := range ps.Errors() {
		if p.Sheet != "Programmes" || p.Row != 3 {
			t.Errorf("problem not placed on Programmes row 3: %s", p)
		}
		got[cell{p.Column, p.Value}] = p
	}
	for _, tc := range []struct {
		column, value, suggestion string
	}{
		{"C (agency)", "Ministry of Helth", "Ministry of Health"},
		{"D (goals)", "G9", "G1"},
		{"E (use_cases)", "Home visit", "Home visits"},
		{"F (blocks)", "Paymants", "payments"},
	} {
		p, ok := got[cell{tc.column, tc.value}]
		if !ok {
			t.Errorf("no problem for %s = %q; got:\n%s", tc.column, tc.value, problemText(ps))
			continue
		}
		if p.Code != "unknown-reference" || !slices.Contains(p.Suggestions, tc.suggestion) {
			t.Errorf("%s: code %s suggestions %v; want unknown-reference suggesting %q", tc.column, p.Code, p.Suggestions, tc.suggestion)
		}
		if p.Kind != "programme" || p.ID != "P2" {
			t.Errorf("%s: kind %s id %s; want programme P2", tc.column, p.Kind, p.ID)
		}
	}
	if n := len(ps.Errors()); n != 4 {
		t.Errorf("%d errors; want exactly the 4 bad cells (no echo from validation):\n%s", n, problemText(ps))
	}
}

func TestAmbiguousNameIsRefused(t *testing.T) {
	data := workbook(t,
		sheet{"Goals", [][]any{{"id", "name"}, {"G1", "Health"}, {"G2", "health"}}},
		sheet{"Programmes", [][]any{{"id", "goals"}, {"P1", "Health"}}},
	)
	_, ps, err := readBytes(t, data, "amb.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := find(t, ps, "ambiguous-reference")
	if p.Row != 2 || p.Column != "B (goals)" || !strings.Contains(p.Message, "G1") || !strings.Contains(p.Message, "G2") {
		t.Errorf("ambiguous problem %s", p)
	}
}

func TestEveryProblemAtOnceAndTheCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("id;name;start_year;beneficiaries;own_build_cost;goals\n")
	for i := range 60 {
		fmt.Fprintf(&b, "P%d;n;year%d;1,234;-;G%d\n", i, i, i)
	}
	data := zipOf(t, map[string]string{"programmes.csv": b.String()})
	_, ps, err := readBytes(t, data, "many.zip", Options{MaxProblems: 1000})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, p := range ps.Errors() {
		counts[p.Code+" "+p.Column]++
	}
	for _, k := range []string{"bad-number C (start_year)", "bad-number D (beneficiaries)", "bad-number E (own_build_cost)", "unknown-reference F (goals)"} {
		if counts[k] != 60 {
			t.Errorf("%d problems %q; want one per row (60): %v", counts[k], k, counts)
		}
	}
	_, capped, err := readBytes(t, data, "many.zip", Options{MaxProblems: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(capped) != 11 {
		t.Fatalf("%d problems with MaxProblems 10; want 10 and a summary", len(capped))
	}
	last := capped[10]
	if last.Code != "too-many-problems" || last.Severity != model.SeverityError || !strings.Contains(last.Message, "230 more") {
		t.Errorf("summary %s; want an error counting 230 more", last)
	}
	_, def, _ := readBytes(t, data, "many.zip", Options{})
	if len(def) != DefaultMaxProblems+1 {
		t.Errorf("%d problems by default; want %d", len(def), DefaultMaxProblems+1)
	}
}

func TestHeaderProblems(t *testing.T) {
	data := workbook(t,
		sheet{"Blocks", [][]any{{"id", "buid_cost", "Nom"}, {"b1", 10, "x"}}},
		sheet{"Goals", [][]any{{"Objective", "Title"}, {"G1", "x"}}},
		sheet{"Programes", [][]any{{"id"}, {"P1"}}},
		sheet{"Notes", [][]any{{"anything"}}},
	)
	_, ps, err := readBytes(t, data, "h.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := find(t, ps, "unknown-column")
	if p.Sheet != "Blocks" || p.Column != "B (buid_cost)" || !slices.Contains(p.Suggestions, "build_cost") {
		t.Errorf("unknown column: %s", p)
	}
	p = find(t, ps, "no-header")
	if p.Sheet != "Goals" || p.Row != 1 {
		t.Errorf("no header: %s", p)
	}
	for _, q := range ps {
		if q.Sheet == "Goals" && q.Code == "unknown-column" {
			t.Errorf("an unrecognised header row must be one problem, not one per column: %s", q)
		}
	}
	p = find(t, ps, "unknown-sheet")
	if p.Sheet != "Programes" || !slices.Contains(p.Suggestions, "Programmes") {
		t.Errorf("unknown sheet: %s", p)
	}
	p = find(t, ps, "ignored-sheet")
	if p.Sheet != "Notes" || p.Severity != model.SeverityWarning {
		t.Errorf("ignored sheet: %s", p)
	}
}

func TestValidationProblemsAreMappedToCells(t *testing.T) {
	data := workbook(t,
		sheet{"Settings", [][]any{{"key", "value"}, {"name", "x"}, {"discount_rate", "250 %"}}},
		sheet{"Programmes", [][]any{{"id", "start_year", "end_year", "own_build_cost_low", "own_build_cost", "own_build_cost_high"},
			{"P1", 2026, 2028, 1, 2, 3}, {"P2", 2030, 2027, 5, 4, 3}, {"P1", 2026, "", "", 1, ""}}},
		sheet{"Blocks", [][]any{{"id", "status", "build_cost_low", "build_cost"}, {"b1", "maybe", 1, 2}}},
	)
	_, ps, err := readBytes(t, data, "v.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		code, sheet string
		row         int
		column      string
	}{
		{"bad-discount-rate", "Settings", 3, "B (value)"},
		{"end-before-start", "Programmes", 3, "C (end_year)"},
		{"bad-range", "Programmes", 3, "E (own_build_cost)"},
		{"duplicate-id", "Programmes", 4, "A (id)"},
		{"bad-status", "Blocks", 2, "B (status)"},
		{"incomplete-range", "Blocks", 2, "C (build_cost_low)"},
	} {
		p := find(t, ps, tc.code)
		if p.Sheet != tc.sheet || p.Row != tc.row || p.Column != tc.column {
			t.Errorf("%s at %s; want sheet %s row %d column %s", tc.code, p.Where(), tc.sheet, tc.row, tc.column)
		}
	}
}

func TestCatalogueEntryInheritsWhatIsLeftEmpty(t *testing.T) {
	data := workbook(t, sheet{"Blocks", [][]any{{"id", "name", "build_cost"}, {"payments", "", 5000}, {"", "Messaging", 100}, {"", "My own block", 1}}})
	p, ps, err := readBytes(t, data, "inh.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Blocks[0].Name != "" {
		t.Errorf("the import must keep what was written, not the inherited name: %+v", p.Blocks[0])
	}
	if p.Blocks[1].ID != "messaging" {
		t.Errorf("a row with no id but a catalogue name takes its id: got %q", p.Blocks[1].ID)
	}
	q := find(t, ps, "missing-id")
	if q.Row != 4 || !slices.Contains(q.Suggestions, "my-own-block") {
		t.Errorf("missing id: %s", q)
	}
	r, _ := model.Resolve(p, testRef())
	if r.Blocks[0].Name == "" || r.Blocks[0].BuildCost != model.Point(5000) {
		t.Errorf("resolved block %+v; want the catalogue's name and the workbook's cost", r.Blocks[0])
	}
}

func TestTemplateExampleRowIsNotImported(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		var b bytes.Buffer
		if err := WriteTemplate(&b, lang, nil); err != nil {
			t.Fatal(err)
		}
		p, ps, err := readBytes(t, b.Bytes(), "template.xlsx", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if ps.HasErrors() {
			t.Errorf("%s template: errors:\n%s", lang, problemText(ps))
		}
		if len(p.Programmes)+len(p.Blocks)+len(p.Goals)+len(p.Agencies)+len(p.UseCases)+len(p.Workflows) != 0 {
			t.Errorf("%s template imported entities: %s", lang, jsonOf(t, p))
		}
		if n := len(ps.Warnings()); n != 6 {
			t.Errorf("%s template: %d warnings; want one example-row warning per entity sheet:\n%s", lang, n, problemText(ps))
		}
	}
}

// The example rows, without their marker, are a valid portfolio: the
// template teaches what imports.
func TestTemplateExamplesAreValid(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		var b bytes.Buffer
		if err := WriteTemplate(&b, lang, nil); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		for _, def := range entitySheets {
			v, _ := f.GetCellValue(def.title(lang), "A2")
			f.SetCellValue(def.title(lang), "A2", strings.TrimPrefix(strings.TrimPrefix(v, "e.g. "), "ex. "))
		}
		var out bytes.Buffer
		if _, err := f.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		p := mustImport(t, out.Bytes(), "t.xlsx")
		if len(p.Programmes) != 1 || len(p.Blocks) != 1 || !p.Programmes[0].AnnualBenefit.Range {
			t.Errorf("%s: examples imported as %s", lang, jsonOf(t, p))
		}
	}
}

func TestCSVEncodingsAndSeparators(t *testing.T) {
	const body = "id;name;name_fr\nmsas;Ministry of Health;Ministère de la Santé\n"
	cp1252, err := charmap.Windows1252.NewEncoder().String(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data, warning string
	}{
		{"utf-8", body, ""},
		{"bom", "\ufeff" + body, ""},
		{"comma", strings.ReplaceAll(body, ";", ","), ""},
		{"tab", strings.ReplaceAll(body, ";", "\t"), ""},
		{"crlf", strings.ReplaceAll(body, "\n", "\r\n"), ""},
		{"windows-1252", cp1252, "not-utf8"},
		{"utf-16", "\xff\xfe" + utf16le(body), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ps, err := readBytes(t, []byte(tc.data), "agencies.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if ps.HasErrors() {
				t.Fatalf("problems:\n%s", problemText(ps))
			}
			if len(p.Agencies) != 1 || p.Agencies[0].NameFR != "Ministère de la Santé" {
				t.Errorf("agencies %+v", p.Agencies)
			}
			if tc.warning != "" {
				find(t, ps, tc.warning)
			} else if len(ps) > 0 {
				t.Errorf("unexpected problems:\n%s", problemText(ps))
			}
		})
	}
}

func utf16le(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

func TestBadCSVIsRefusedClearly(t *testing.T) {
	for _, tc := range []struct {
		name, data, code, says string
		row                    int
	}{
		{"mixed header", "id;name,name_fr\nx;y;z\n", "mixed-separators", "mixes separators", 1},
		{"mixed rows", "id;name;name_fr\nmoh;Health;Santé\nmof,Finance,Finances\n", "bad-row-width", "mixes separators", 3},
		{"short row", "id,name,name_fr\nmoh\n", "bad-row-width", "has 1 cells but the header has 3", 2},
		{"bare quote", "id,name\nmoh,\"Health\nx\n", "bad-csv", "malformed", 2},
		{"binary", "id,name\x00\x01\x02", "bad-encoding", "binary", 0},
		{"bad bom", "\xef\xbb\xbfid,name\n\xff,x\n", "bad-encoding", "UTF-8", 0},
		{"not cp1252", "id,name\nx,\x81\x8d\x8f\n", "bad-encoding", "Windows-1252", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ps, err := readBytes(t, []byte(tc.data), "agencies.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			p := find(t, ps, tc.code)
			if p.Severity != model.SeverityError || !strings.Contains(p.Message, tc.says) || p.Row != tc.row || p.Sheet != "agencies.csv" {
				t.Errorf("got %s; want an error on row %d saying %q", p, tc.row, tc.says)
			}
		})
	}
}

func TestSingleCSVMustBeNamedAfterItsSheet(t *testing.T) {
	_, _, err := readBytes(t, []byte("id,name\nx,y\n"), "data.csv", Options{})
	if model.ErrorCode(err) != model.EINVALID || !strings.Contains(model.ErrorMessage(err), "named after its sheet") {
		t.Errorf("err %v", err)
	}
}

func TestDamagedFilesAreRefused(t *testing.T) {
	var wb bytes.Buffer
	if err := WriteWorkbook(&wb, richPortfolio(1), "en"); err != nil {
		t.Fatal(err)
	}
	full := wb.Bytes()
	for _, tc := range []struct {
		name, file string
		data       []byte
		says       string
	}{
		{"truncated xlsx", "p.xlsx", full[:len(full)/2], "damaged or truncated"},
		{"truncated tail", "p.xlsx", full[:len(full)-10], "damaged or truncated"},
		{"text renamed xlsx", "p.xlsx", []byte("id,name\nP1,x\n"), "not an Excel workbook: it holds text"},
		{"binary renamed xlsx", "p.xlsx", []byte{0x00, 0x01, 0x02, 0xff}, "not an Excel workbook"},
		{"old xls", "p.xls", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 100)...), "97–2003"},
		{"zip of nothing", "p.zip", zipOf(t, map[string]string{"readme.txt": "hi"}), "neither an Excel workbook nor CSV"},
		{"zip named xlsx", "p.xlsx", zipOf(t, map[string]string{"readme.txt": "hi"}), "not an Excel workbook"},
		{"empty", "p.xlsx", nil, "empty"},
		{"unknown", "p.pdf", []byte("%PDF-1.4"), "unknown kind of file"},
		{"workbook of other sheets", "p.xlsx", workbook(t, sheet{"Data", [][]any{{"a"}}}), "no sheet of the portfolio format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ps, err := readBytes(t, tc.data, tc.file, Options{})
			if err == nil {
				t.Fatalf("accepted: %v %v", p, ps)
			}
			if model.ErrorCode(err) != model.EINVALID || !strings.Contains(model.ErrorMessage(err), tc.says) {
				t.Errorf("error %q (%s); want EINVALID saying %q", model.ErrorMessage(err), model.ErrorCode(err), tc.says)
			}
		})
	}
}

// zipBomb is a zip whose one part declares (and would inflate to) size
// bytes of zeros, built without allocating them.
func zipBomb(t *testing.T, name string, declared uint64) []byte {
	var raw bytes.Buffer
	zw := zip.NewWriter(&raw)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: 0, CompressedSize64: 16, UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(make([]byte, 16))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return raw.Bytes()
}

func TestZipBombIsRefusedBeforeInflating(t *testing.T) {
	for _, name := range []string{"xl/workbook.xml", "programmes.csv"} {
		data := zipBomb(t, name, 1<<40)
		_, _, err := readBytes(t, data, "bomb.zip", Options{})
		if model.ErrorCode(err) != model.EINVALID || !strings.Contains(model.ErrorMessage(err), "refused before reading") {
			t.Errorf("%s: err %v; want a refusal before inflating", name, err)
		}
	}
	// Many parts, each under the limit, adding up beyond it.
	var raw bytes.Buffer
	zw := zip.NewWriter(&raw)
	for i := range 5 {
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("p%d.csv", i), Method: zip.Deflate, CompressedSize64: 1, UncompressedSize64: MaxPart})
		w.Write([]byte{0})
	}
	zw.Close()
	_, _, err := readBytes(t, raw.Bytes(), "bomb.zip", Options{})
	if !strings.Contains(model.ErrorMessage(err), "would inflate to more than") {
		t.Errorf("sum of parts: err %v", err)
	}
}

// A part whose directory lies (declares little, inflates to much) is cut at
// its declared size.
func TestLyingZipPartIsBounded(t *testing.T) {
	var body bytes.Buffer
	body.WriteString("id,name\n")
	for body.Len() < 1<<20 {
		body.WriteString("x,yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n")
	}
	data := zipOf(t, map[string]string{"agencies.csv": body.String()})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f := zr.File[0]
	f.UncompressedSize64 = 100 // the lie
	if b, err := readZipPart(f, MaxCSVBytes); err == nil || len(b) > 101 {
		t.Errorf("read %d bytes, err %v; want an error within the declared size", len(b), err)
	}
}

func TestJSONProblemsAreProblems(t *testing.T) {
	p, ps, err := readBytes(t, []byte(`{"format":"blockplan.portfolio/v1","programmes":[{"id":"P1","buid_cost":1}]}`), "p.json", Options{})
	if err != nil || p != nil {
		t.Fatalf("p %v err %v; want problems only", p, err)
	}
	if q := find(t, ps, "unknown-key"); q.Field != "buid_cost" {
		t.Errorf("%s", q)
	}
	_, ps, err = readBytes(t, []byte(`{"format":"blockplan.portfolio/v1","programmes":[{"id":"P1","goals":["nope"]}]}`), "p.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	find(t, ps, "unknown-reference")
}

func TestLoadFromDisk(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	if err := WriteWorkbook(&b, richPortfolio(1), "fr"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "p.xlsx")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p, ps, err := Load(context.Background(), path, Options{})
	if err != nil || ps.HasErrors() || len(p.Programmes) != 40 {
		t.Errorf("load: %v\n%s", err, problemText(ps))
	}
	if _, _, err := Load(context.Background(), filepath.Join(dir, "missing.xlsx"), Options{}); model.ErrorCode(err) != model.EINVALID {
		t.Errorf("missing file: %v", err)
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	if _, _, err := Load(context.Background(), empty, Options{}); !strings.Contains(model.ErrorMessage(err), "no CSV files") {
		t.Errorf("empty folder: %v", err)
	}
}

func TestCancelledImportStops(t *testing.T) {
	var b bytes.Buffer
	if err := WriteWorkbook(&b, model.Synthetic(3000, 10, 5, 5, 5, 1), "en"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := Read(ctx, bytes.NewReader(b.Bytes()), int64(b.Len()), "p.xlsx", Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v; want context.Canceled", err)
	}
}

func TestProgressOnlyWhenAsked(t *testing.T) {
	var b bytes.Buffer
	if err := WriteWorkbook(&b, model.Synthetic(12000, 10, 5, 5, 5, 1), "en"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, _, err := Read(context.Background(), bytes.NewReader(b.Bytes()), int64(b.Len()), "big.xlsx", Options{Progress: &out}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "importing big.xlsx") || !strings.Contains(s, "9/9 sheets") || !strings.HasSuffix(s, "\n") {
		t.Errorf("progress output %q", s)
	}
}

func TestSmallFilesStayQuiet(t *testing.T) {
	var b bytes.Buffer
	if err := WriteWorkbook(&b, richPortfolio(1), "en"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, _, err := readBytes(t, b.Bytes(), "small.xlsx", Options{Progress: &out}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("progress on a small file: %q", out.String())
	}
}

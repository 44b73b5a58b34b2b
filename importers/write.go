package importers

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"blockplan/catalog"
	"blockplan/model"
)

// The round trip: Load(WriteWorkbook(p)) and Load(WriteCSV(p)) give p back,
// compared as JSON, except for what a spreadsheet cannot say:
//
//   - an empty list and a missing one are both an empty cell, read back as
//     missing (nil): "blocks": [] becomes no "blocks" key (for a use case or
//     workflow whose id is in the catalogue, that means it inherits the
//     catalogue's list instead of having none);
//   - text is trimmed: leading and trailing spaces, tabs and line breaks are
//     lost, and a cell is at most 32,767 characters (Excel's limit);
//   - an id or list item holding ';' (or ',' with no ';' in the cell) is cut
//     there, and items are written with "; " between them;
//   - a number keeps 15 significant digits, as in Excel (0.1+0.2 is written
//     0.3); the CSV form rounds the same way, so both forms agree;
//   - "format" is always model.Format;
//   - the order of entities and of list items is kept; the order of JSON keys
//     is not a thing a spreadsheet has.
//
// SpreadsheetForm applies exactly these rules to a portfolio, so that a test can
// compare what went in with what came out.
func SpreadsheetForm(p *model.Portfolio) *model.Portfolio {
	q := *p
	q.Format = model.Format
	trim := func(s string) string { return trimSpaces(s) }
	list := func(xs []string) []string {
		if len(xs) == 0 {
			return nil
		}
		var out []string
		for _, x := range xs {
			for _, part := range strings.Split(x, ";") {
				if part = trim(part); part != "" {
					out = append(out, part)
				}
			}
		}
		return out
	}
	q.ID, q.Name, q.NameFR, q.Country, q.Currency = trim(q.ID), trim(q.Name), trim(q.NameFR), trim(q.Country), trim(q.Currency)
	roundPtr := func(f *float64) *float64 {
		if f == nil {
			return nil
		}
		v := round15(*f)
		return &v
	}
	amt := func(a model.Amount) model.Amount {
		a.Low, a.Likely, a.High = round15(a.Low), round15(a.Likely), round15(a.High)
		return a
	}
	q.Settings.DiscountRate, q.Settings.OptimismBias = roundPtr(p.Settings.DiscountRate), roundPtr(p.Settings.OptimismBias)
	q.Agencies = mapSlice(p.Agencies, func(x model.Agency) model.Agency {
		x.ID, x.Name, x.NameFR = trim(x.ID), trim(x.Name), trim(x.NameFR)
		return x
	})
	q.Goals = mapSlice(p.Goals, func(x model.Goal) model.Goal {
		x.ID, x.Name, x.NameFR, x.SDGTargets = trim(x.ID), trim(x.Name), trim(x.NameFR), list(x.SDGTargets)
		return x
	})
	q.Programmes = mapSlice(p.Programmes, func(x model.Programme) model.Programme {
		x.ID, x.Name, x.NameFR, x.Agency = trim(x.ID), trim(x.Name), trim(x.NameFR), trim(x.Agency)
		x.Goals, x.UseCases, x.Blocks = list(x.Goals), list(x.UseCases), list(x.Blocks)
		x.Beneficiaries = roundPtr(x.Beneficiaries)
		x.OwnBuildCost, x.OwnAnnualCost, x.AnnualBenefit = amt(x.OwnBuildCost), amt(x.OwnAnnualCost), amt(x.AnnualBenefit)
		return x
	})
	q.UseCases = mapSlice(p.UseCases, func(x model.UseCase) model.UseCase {
		x.ID, x.Name, x.NameFR, x.Sector = trim(x.ID), trim(x.Name), trim(x.NameFR), trim(x.Sector)
		x.Description, x.DescriptionFR = trim(x.Description), trim(x.DescriptionFR)
		x.SDGTargets, x.Workflows, x.Blocks = list(x.SDGTargets), list(x.Workflows), list(x.Blocks)
		return x
	})
	q.Workflows = mapSlice(p.Workflows, func(x model.Workflow) model.Workflow {
		x.ID, x.Name, x.NameFR = trim(x.ID), trim(x.Name), trim(x.NameFR)
		x.Description, x.DescriptionFR, x.Blocks = trim(x.Description), trim(x.DescriptionFR), list(x.Blocks)
		return x
	})
	q.Blocks = mapSlice(p.Blocks, func(x model.Block) model.Block {
		x.ID, x.Name, x.NameFR, x.Status = trim(x.ID), trim(x.Name), trim(x.NameFR), trim(x.Status)
		x.Description, x.DescriptionFR = trim(x.Description), trim(x.DescriptionFR)
		x.BuildCost, x.AnnualRunCost = amt(x.BuildCost), amt(x.AnnualRunCost)
		x.IntegrationCost, x.PerConsumerRunCost = amt(x.IntegrationCost), amt(x.PerConsumerRunCost)
		return x
	})
	return &q
}

// round15 rounds to the 15 significant digits a spreadsheet keeps.
func round15(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return r
}

func mapSlice[T any](xs []T, f func(T) T) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func checkLang(lang string) (string, error) {
	switch strings.ToLower(lang) {
	case "", "en":
		return "en", nil
	case "fr":
		return "fr", nil
	}
	return "", model.Errorf(model.EINVALID, "unknown language %q: use en or fr", lang)
}

// cellValue is the value of one column of an entity, nil when not given.
func cellValue(v reflect.Value, c column) any {
	f := fieldOf(v, c.field)
	switch c.kind {
	case kID, kText, kStatus, kRef:
		if s := f.String(); s != "" {
			return s
		}
	case kRefList, kCodeList:
		if f.Len() > 0 {
			return strings.Join(f.Interface().([]string), "; ")
		}
	case kWhole:
		if !f.IsNil() {
			return int(f.Elem().Int())
		}
	case kNumber:
		if !f.IsNil() {
			return round15(f.Elem().Float())
		}
	case kAmount:
		a := f.Interface().(model.Amount)
		switch {
		case !a.Set:
		case c.part == partLikely:
			return round15(a.Likely)
		case !a.Range:
		case c.part == partLow:
			return round15(a.Low)
		case c.part == partHigh:
			return round15(a.High)
		}
	}
	return nil
}

// entities is every entity of a sheet's kind in p, as reflect values.
func entities(p *model.Portfolio, def *sheetDef) []reflect.Value {
	var s reflect.Value
	switch def.kind {
	case "agency":
		s = reflect.ValueOf(p.Agencies)
	case "goal":
		s = reflect.ValueOf(p.Goals)
	case "programme":
		s = reflect.ValueOf(p.Programmes)
	case "use_case":
		s = reflect.ValueOf(p.UseCases)
	case "workflow":
		s = reflect.ValueOf(p.Workflows)
	case "block":
		s = reflect.ValueOf(p.Blocks)
	}
	out := make([]reflect.Value, s.Len())
	for i := range out {
		out[i] = s.Index(i)
	}
	return out
}

// settingValue is the value of one Settings row, nil when not given.
func settingValue(p *model.Portfolio, key string) any {
	s := p.Settings
	switch key {
	case "id":
		return nilIfEmpty(p.ID)
	case "name":
		return nilIfEmpty(p.Name)
	case "name_fr":
		return nilIfEmpty(p.NameFR)
	case "country":
		return nilIfEmpty(p.Country)
	case "currency":
		return nilIfEmpty(p.Currency)
	case "start_year":
		if s.StartYear != nil {
			return *s.StartYear
		}
	case "horizon_years":
		if s.HorizonYears != nil {
			return *s.HorizonYears
		}
	case "discount_rate":
		if s.DiscountRate != nil {
			return round15(*s.DiscountRate)
		}
	case "optimism_bias":
		if s.OptimismBias != nil {
			return round15(*s.OptimismBias)
		}
	}
	return nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func settingLabel(s setting, lang string) string {
	if lang == "fr" {
		return s.fr
	}
	return s.key
}

// WriteCSV writes p as a folder of CSV files, one per sheet, into dir (made
// if needed): UTF-8 with a BOM (so that Excel shows accents), ',' between
// cells in English and ';' in French (what Excel in each expects), numbers
// with a '.' decimal point and no grouping.
func WriteCSV(dir string, p *model.Portfolio, lang string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writeCSVFiles(p, lang, func(name string, write func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}

// WriteCSVZip is WriteCSV into one zip archive written to w.
func WriteCSVZip(w io.Writer, p *model.Portfolio, lang string) error {
	zw := zip.NewWriter(w)
	err := writeCSVFiles(p, lang, func(name string, write func(io.Writer) error) error {
		fw, err := zw.Create(name)
		if err != nil {
			return err
		}
		return write(fw)
	})
	if err != nil {
		return err
	}
	return zw.Close()
}

func writeCSVFiles(p *model.Portfolio, lang string, create func(name string, write func(io.Writer) error) error) error {
	lang, err := checkLang(lang)
	if err != nil {
		return err
	}
	if p == nil {
		return model.Errorf(model.EINVALID, "no portfolio to write")
	}
	sep := ','
	if lang == "fr" {
		sep = ';'
	}
	text := func(v any) string {
		switch x := v.(type) {
		case nil:
			return ""
		case string:
			return csvInjectionGuard(x)
		case int:
			return strconv.Itoa(x)
		case float64:
			return formatNumber(x)
		}
		return fmt.Sprint(v)
	}
	for _, def := range sheets {
		err := create(def.csvName(lang), func(w io.Writer) error {
			bw := bufio.NewWriter(w)
			bw.WriteString("\ufeff")
			cw := csv.NewWriter(bw)
			cw.Comma = sep
			var header []string
			for _, c := range def.cols {
				header = append(header, c.header(lang))
			}
			cw.Write(header)
			rec := make([]string, len(def.cols))
			if def == settingsDef {
				for _, s := range settingsRows {
					cw.Write([]string{settingLabel(s, lang), text(settingValue(p, s.key))})
				}
			} else {
				for _, e := range entities(p, def) {
					for i, c := range def.cols {
						rec[i] = text(cellValue(e, c))
					}
					cw.Write(rec)
				}
			}
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			return bw.Flush()
		})
		if err != nil {
			return fmt.Errorf("write %s: %w", def.csvName(lang), err)
		}
	}
	return nil
}

// WriteWorkbook writes p as the workbook the importer reads: the template's
// sheets, headers, drop-down lists and formats, filled with p (see
// Normalize for what does not survive the trip). It streams the sheets, so a
// large portfolio costs little memory.
func WriteWorkbook(w io.Writer, p *model.Portfolio, lang string) error {
	if p == nil {
		return model.Errorf(model.EINVALID, "no portfolio to write")
	}
	return writeBook(w, p, lang, catalog.Default())
}

// WriteTemplate writes an empty workbook for analysts to fill in: an
// Instructions sheet, the portfolio's sheets with headers in lang ("en" or
// "fr") and an example row each, drop-down lists of the catalogue's ids and
// names (from a hidden Lists sheet) and of the workbook's own agencies and
// goals, input messages that explain each column, a frozen header row,
// column widths and number formats. ref nil is catalog.Default().
func WriteTemplate(w io.Writer, lang string, ref *catalog.Catalog) error {
	if ref == nil {
		ref = catalog.Default()
	}
	return writeBook(w, nil, lang, ref)
}

type styles struct {
	header, text, whole, number, percent, title, bold, wrap int
	exampleText, exampleWhole, exampleNumber                int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	textFmt := "@"
	pct := "0.0%"
	s.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}, CustomNumFmt: &textFmt})
	s.text = mk(&excelize.Style{CustomNumFmt: &textFmt})
	s.whole = mk(&excelize.Style{NumFmt: 1})
	s.number = mk(&excelize.Style{NumFmt: 3})
	s.percent = mk(&excelize.Style{CustomNumFmt: &pct})
	grey := &excelize.Font{Italic: true, Color: "7F7F7F"}
	s.exampleText = mk(&excelize.Style{Font: grey, CustomNumFmt: &textFmt})
	s.exampleWhole = mk(&excelize.Style{Font: grey, NumFmt: 1})
	s.exampleNumber = mk(&excelize.Style{Font: grey, NumFmt: 3})
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	s.bold = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	s.wrap = mk(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return s, err
}

func (s styles) forColumn(c column) int {
	switch c.kind {
	case kWhole:
		return s.whole
	case kNumber, kAmount:
		return s.number
	}
	return s.text // ids and codes stay text: "3.10" must not become 3.1
}

func (s styles) forExample(c column) int {
	switch c.kind {
	case kWhole:
		return s.exampleWhole
	case kNumber, kAmount:
		return s.exampleNumber
	}
	return s.exampleText
}

// listsSheet is the hidden sheet of drop-down values.
const listsSheet = "Lists"

// lists are the drop-down sources, as formulas over the Lists sheet.
type lists map[string]string

func writeLists(f *excelize.File, ref *catalog.Catalog, lang string) (lists, error) {
	if _, err := f.NewSheet(listsSheet); err != nil {
		return nil, err
	}
	var cols [][]string
	var keys []string
	add := func(key, header string, values []string) {
		keys = append(keys, key)
		cols = append(cols, append([]string{header}, values...))
	}
	var bIDs, bNames, wIDs, wNames, uIDs, uNames, targets []string
	for _, b := range ref.Blocks() {
		bIDs, bNames = append(bIDs, b.ID), append(bNames, b.Name.In(lang))
	}
	for _, x := range ref.Workflows() {
		wIDs, wNames = append(wIDs, x.ID), append(wNames, x.Name.In(lang))
	}
	for _, x := range ref.UseCases() {
		uIDs, uNames = append(uIDs, x.ID), append(uNames, x.Name.In(lang))
	}
	for _, t := range ref.Targets() {
		targets = append(targets, t.ID)
	}
	add("block", "block ids", bIDs)
	add("block_name", "block names", bNames)
	add("workflow", "workflow ids", wIDs)
	add("workflow_name", "workflow names", wNames)
	add("use_case", "use case ids", uIDs)
	add("use_case_name", "use case names", uNames)
	add("sdg_target", "SDG targets", targets)
	add("status", "status", []string{model.StatusPlanned, model.StatusExisting})
	sw, err := f.NewStreamWriter(listsSheet)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	out := lists{}
	for i, c := range cols {
		out[keys[i]] = fmt.Sprintf("'%s'!$%s$2:$%s$%d", listsSheet, columnLetter(i+1), columnLetter(i+1), max(len(c), 2))
	}
	for r := 0; r < n; r++ {
		row := make([]any, len(cols))
		for i, c := range cols {
			if r < len(c) {
				row[i] = excelize.Cell{Value: c[r]}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := sw.SetRow(cell, row); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	return out, f.SetSheetVisible(listsSheet, false)
}

func writeBook(w io.Writer, p *model.Portfolio, lang string, ref *catalog.Catalog) error {
	lang, err := checkLang(lang)
	if err != nil {
		return err
	}
	template := p == nil
	if template {
		p = &model.Portfolio{Format: model.Format}
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	instr := "Instructions"
	if err := f.SetSheetName("Sheet1", instr); err != nil {
		return err
	}
	for _, def := range sheets {
		if _, err := f.NewSheet(def.title(lang)); err != nil {
			return err
		}
	}
	// Before any sheet is streamed: SetActiveSheet reads every sheet back.
	f.SetActiveSheet(0)
	ls, err := writeLists(f, ref, lang)
	if err != nil {
		return err
	}
	if err := writeInstructions(f, instr, lang, st); err != nil {
		return err
	}
	if err := writeSettingsSheet(f, p, lang, st, template); err != nil {
		return err
	}
	examples := exampleRows(ref, lang)
	for _, def := range entitySheets {
		if err := writeEntitySheet(f, p, def, lang, st, ls, template, examples[def.kind]); err != nil {
			return fmt.Errorf("write sheet %s: %w", def.title(lang), err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return err
	}
	return nil
}

// clipUTF16 shortens a data-validation title (32) or message (255).
func clipUTF16(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (c column) helpIn(lang string) string {
	if lang == "fr" {
		return c.helpFR
	}
	return c.help
}

// prompt adds an input message (and, with list, a drop-down list that does
// not refuse other values) on sqref.
func prompt(f *excelize.File, sheet, sqref, title, msg, list string, warn bool) error {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	if msg != "" {
		dv.SetInput(clipUTF16(title, 32), clipUTF16(msg, 255))
	}
	if list != "" {
		dv.SetSqrefDropList(list)
		if warn {
			dv.SetError(excelize.DataValidationErrorStyleWarning, "", "")
			dv.Error, dv.ErrorTitle = nil, nil
		}
	}
	return f.AddDataValidation(sheet, dv)
}

func writeSettingsSheet(f *excelize.File, p *model.Portfolio, lang string, st styles, template bool) error {
	sheet := settingsDef.title(lang)
	for i, s := range settingsRows {
		help := s.help
		if lang == "fr" {
			help = s.helpFR
		}
		cell := fmt.Sprintf("B%d", i+2)
		if err := prompt(f, sheet, cell, settingLabel(s, lang), help, "", false); err != nil {
			return err
		}
	}
	for i, c := range settingsDef.cols {
		if err := prompt(f, sheet, fmt.Sprintf("%s1", columnLetter(i+1)), c.header(lang), c.helpIn(lang), "", false); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	sw.SetColWidth(1, 1, 24)
	sw.SetColWidth(2, 2, 44)
	sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err := sw.SetRow("A1", []any{
		excelize.Cell{StyleID: st.header, Value: settingsDef.cols[0].header(lang)},
		excelize.Cell{StyleID: st.header, Value: settingsDef.cols[1].header(lang)}}); err != nil {
		return err
	}
	for i, s := range settingsRows {
		style := st.text
		switch {
		case s.key == "discount_rate" || s.key == "optimism_bias":
			style = st.percent
		case s.kind == kWhole:
			style = st.whole
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), []any{
			excelize.Cell{StyleID: st.text, Value: settingLabel(s, lang)},
			excelize.Cell{StyleID: style, Value: settingValue(p, s.key)}}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func writeEntitySheet(f *excelize.File, p *model.Portfolio, def *sheetDef, lang string, st styles, ls lists, template bool, example map[string]any) error {
	sheet := def.title(lang)
	rows := entities(p, def)
	first := 2
	if template {
		first = 3
	}
	last := max(len(rows)+first+999, 1000)
	for i, c := range def.cols {
		col := columnLetter(i + 1)
		if err := prompt(f, sheet, col+"1", c.header(lang), c.helpIn(lang), "", false); err != nil {
			return err
		}
		list := ""
		switch c.kind {
		case kRef, kRefList, kCodeList, kStatus:
			switch c.target {
			case "agency", "goal":
				list = fmt.Sprintf("'%s'!$A$%d:$A$%d", strings.ReplaceAll(kindSheet[c.target].title(lang), "'", "''"), first, last)
			case "":
				list = ls["status"]
			default:
				list = ls[c.target]
			}
		case kID:
			list = ls[def.kind]
		case kText:
			if c.field == "name" || c.field == "name_fr" {
				if l, ok := ls[def.kind+"_name"]; ok && c.field == "name" {
					list = l
				}
			}
		}
		if list == "" && c.helpIn(lang) == "" {
			continue
		}
		sqref := fmt.Sprintf("%s2:%s%d", col, col, last)
		if err := prompt(f, sheet, sqref, c.header(lang), c.helpIn(lang), list, c.kind == kStatus); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, c := range def.cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, st.forColumn(c)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(def.cols))
	for i, c := range def.cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.header(lang)}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	row := make([]any, len(def.cols))
	if template {
		for i, c := range def.cols {
			row[i] = excelize.Cell{StyleID: st.forExample(c), Value: example[c.header("en")]}
		}
		return flushAfter(sw, sw.SetRow("A2", row))
	}
	for n, e := range rows {
		for i, c := range def.cols {
			v := cellValue(e, c)
			if s, ok := v.(string); ok && len(s) > MaxCellChars {
				return fmt.Errorf("%s %s: the %s is longer than the %d characters a cell holds", def.kind, fieldOf(e, "id").String(), c.field, MaxCellChars)
			}
			row[i] = excelize.Cell{StyleID: st.forColumn(c), Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func flushAfter(sw *excelize.StreamWriter, err error) error {
	if err != nil {
		return err
	}
	return sw.Flush()
}

package importers

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"blockplan/catalog"
	"blockplan/model"
)

// origin is where an entity or a setting came from in the file.
type origin struct {
	sheet string
	row   int
}

// pendingRef is a reference cell read but not yet resolved: resolution waits
// until every sheet is read, since a reference may name an entity by its name
// on a sheet that comes later.
type pendingRef struct {
	kind   string // the referring entity's kind
	idx    int    // its index in the portfolio's list of that kind
	field  string
	target string // the referenced kind
	text   string // the cell
	list   bool
	at     origin
	column string
}

// builder turns the rows of a file's tables into a portfolio, collecting
// every problem on the way.
type builder struct {
	ctx      context.Context
	ref      *catalog.Catalog
	csv      bool // cells come from CSV: undo the formula guard
	p        model.Portfolio
	ps       *sink
	progress *progress

	seen     map[*sheetDef]string         // sheets read, with the name they had
	byID     map[string]map[string]origin // kind -> id -> first row
	rowsOf   map[string][]origin          // kind -> origin of the i-th entity
	columns  map[string]map[string]string // kind -> JSON field -> column label
	settings map[string]origin            // setting key -> row
	refs     []pendingRef
	reported map[string]bool // references already reported, to drop Resolve's echo
	cache    map[string]resolved
}

func newBuilder(ctx context.Context, ref *catalog.Catalog, ps *sink, pr *progress) *builder {
	return &builder{ctx: ctx, ref: ref, ps: ps, progress: pr,
		p:    model.Portfolio{Format: model.Format},
		seen: map[*sheetDef]string{}, byID: map[string]map[string]origin{}, rowsOf: map[string][]origin{},
		columns: map[string]map[string]string{}, settings: map[string]origin{}, reported: map[string]bool{},
		cache: map[string]resolved{}}
}

// colLabel names a column for people: its letter and its header, "C (goals)".
func colLabel(i int, header string) string {
	return fmt.Sprintf("%s (%s)", columnLetter(i+1), header)
}

func columnLetter(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

// ignoredSheets are the template's own sheets, which hold no data.
var ignoredSheets = map[string]bool{"instructions": true, "lists": true, "listes": true, "lisezmoi": true, "readme": true, "notice": true}

// readTable reads one sheet or CSV file.
func (b *builder) readTable(t table) error {
	defer b.progress.sheetDone()
	def := lookupSheet(t.name)
	if def == nil {
		if ignoredSheets[headerKey(strings.TrimSuffix(strings.ToLower(t.name), ".csv"))] {
			return nil
		}
		var names []string
		for _, s := range sheets {
			names = append(names, s.name, s.fr)
		}
		if sug := closest(t.name, names, 3); len(sug) > 0 {
			b.ps.add(model.Problem{Severity: model.SeverityError, Code: "unknown-sheet", Sheet: t.name, Value: t.name,
				Message: fmt.Sprintf("%q is not a sheet of the portfolio format", t.name), Suggestions: sug})
		} else {
			b.ps.add(model.Problem{Severity: model.SeverityWarning, Code: "ignored-sheet", Sheet: t.name,
				Message: fmt.Sprintf("%q is not a sheet of the portfolio format (Settings, Agencies, Goals, Programmes, UseCases, Workflows, Blocks) and was not read", t.name)})
		}
		return nil
	}
	if prev, dup := b.seen[def]; dup {
		b.ps.add(model.Problem{Severity: model.SeverityError, Code: "duplicate-sheet", Sheet: t.name,
			Message: fmt.Sprintf("%q and %q are both the %s sheet: keep one", prev, t.name, def.name)})
		return nil
	}
	b.seen[def] = t.name
	r := &tableReader{b: b, def: def, name: t.name}
	// An empty sheet is fine: nothing to import.
	return t.rows(b.ctx, b.ps.add, r.row)
}

// tableReader reads the rows of one known sheet.
type tableReader struct {
	b      *builder
	def    *sheetDef
	name   string
	cols   []int    // file column -> index in def.cols, -1 for none
	labels []string // file column -> label for messages
	idCol  int
	bad    bool // the header row was refused: skip the data
}

func (r *tableReader) problem(sev, code string, row int, column, field, id, value, msg string, sug ...string) {
	r.b.ps.add(model.Problem{Severity: sev, Code: code, Kind: r.def.kind, ID: id, Field: field, Value: clip(value, 120),
		Message: msg, Sheet: r.name, Row: row, Column: column, Suggestions: sug})
}

func (r *tableReader) row(row int, cells []string) error {
	r.b.progress.row()
	if r.bad {
		return nil
	}
	if len(cells) > MaxColumns {
		if !blankRecord(cells[MaxColumns:]) {
			r.problem(model.SeverityError, "too-many-columns", row, "", "", "", "", fmt.Sprintf("the sheet has more than %d columns", MaxColumns))
			r.bad = true
			return nil
		}
		cells = cells[:MaxColumns]
	}
	if r.b.csv {
		for i, c := range cells {
			if strings.HasPrefix(c, "'") {
				cells[i] = unguard(c)
			}
		}
	}
	if r.cols == nil {
		if blankRecord(cells) {
			return nil // blank lines above the header
		}
		r.header(row, cells)
		return nil
	}
	if blankRecord(cells) {
		return nil
	}
	if row-1 > MaxRows {
		r.problem(model.SeverityError, "too-many-rows", row, "", "", "", "", fmt.Sprintf("the sheet has more than %d rows; split the portfolio", MaxRows))
		r.bad = true
		return nil
	}
	for i, c := range cells {
		if len(c) > MaxCellChars*3 || (len(c) > MaxCellChars && len([]rune(c)) > MaxCellChars) {
			label := ""
			if i < len(r.labels) {
				label = r.labels[i]
			}
			r.problem(model.SeverityError, "cell-too-long", row, label, "", "", clip(c, 40), fmt.Sprintf("the cell holds more than %d characters", MaxCellChars))
			cells[i] = ""
		}
	}
	for i := len(r.cols); i < len(cells); i++ {
		if trimSpaces(cells[i]) != "" {
			r.problem(model.SeverityError, "cell-without-header", row, columnLetter(i+1), "", "", cells[i],
				fmt.Sprintf("column %s holds data but has no header", columnLetter(i+1)))
		}
	}
	if r.def == settingsDef {
		r.setting(row, cells)
		return nil
	}
	r.entity(row, cells)
	return nil
}

// header maps the header row's cells to the sheet's columns.
func (r *tableReader) header(row int, cells []string) {
	idx := headerIndex[r.def]
	r.cols = make([]int, len(cells))
	r.labels = make([]string, len(cells))
	r.idCol = -1
	known := 0
	var unknown []int
	taken := map[int]int{}
	for i, c := range cells {
		h := trimSpaces(c)
		r.labels[i] = colLabel(i, h)
		r.cols[i] = -1
		if h == "" {
			r.labels[i] = columnLetter(i + 1)
			continue
		}
		j, ok := idx[headerKey(h)]
		if !ok {
			unknown = append(unknown, i)
			continue
		}
		known++
		if prev, dup := taken[j]; dup {
			r.problem(model.SeverityError, "duplicate-column", row, r.labels[i], r.def.cols[j].field, "", h,
				fmt.Sprintf("the column %q says the same as column %s: keep one", h, r.labels[prev]))
			continue
		}
		taken[j] = i
		r.cols[i] = j
		if r.def.cols[j].kind == kID {
			r.idCol = i
		}
		if r.def != settingsDef {
			c := r.def.cols[j]
			if c.part == partLikely || r.b.columns[r.def.kind][c.field] == "" {
				r.b.setColumn(r.def.kind, c.field, r.labels[i])
			}
		}
	}
	if known == 0 {
		var expect []string
		for _, c := range r.def.cols {
			expect = append(expect, c.header("en"))
		}
		r.problem(model.SeverityError, "no-header", row, "", "", "", strings.Join(cells, " | "),
			fmt.Sprintf("row %d of sheet %q is not a header row this sheet knows: the first row must hold the column headers, such as %s (or their French names)",
				row, r.name, strings.Join(expect[:min(len(expect), 6)], ", ")))
		r.bad = true
		return
	}
	var candidates []string
	for _, c := range r.def.cols {
		candidates = append(candidates, c.header("en"), c.header("fr"))
	}
	for _, i := range unknown {
		h := trimSpaces(cells[i])
		r.problem(model.SeverityError, "unknown-column", row, r.labels[i], "", "", h,
			fmt.Sprintf("unknown column %q in sheet %q", h, r.name), closest(h, candidates, 3)...)
	}
	if r.def == settingsDef {
		if len(taken) < 2 {
			r.problem(model.SeverityError, "no-header", row, "", "", "", strings.Join(cells, " | "),
				"the Settings sheet has two columns, key and value (clé, valeur)")
			r.bad = true
		}
		return
	}
	if r.idCol < 0 {
		r.problem(model.SeverityError, "no-id-column", row, "", "id", "", "",
			fmt.Sprintf("sheet %q has no id column (id or Identifiant): every %s needs an id", r.name, strings.ReplaceAll(r.def.kind, "_", " ")))
		r.bad = true
	}
}

func (b *builder) setColumn(kind, field, label string) {
	if b.columns[kind] == nil {
		b.columns[kind] = map[string]string{}
	}
	b.columns[kind][field] = label
}

func (r *tableReader) setting(row int, cells []string) {
	var key, value, keyLabel, valueLabel string
	for i, c := range cells {
		if i >= len(r.cols) || r.cols[i] < 0 {
			continue
		}
		switch r.def.cols[r.cols[i]].field {
		case "key":
			key, keyLabel = trimSpaces(c), r.labels[i]
		case "value":
			value, valueLabel = trimSpaces(c), r.labels[i]
		}
	}
	if key == "" {
		if value != "" {
			r.problem(model.SeverityError, "missing-key", row, keyLabel, "", "", value, "this value has no setting name in the key column")
		}
		return
	}
	i, ok := settingKeys[headerKey(key)]
	if !ok {
		var names []string
		for _, s := range settingsRows {
			names = append(names, s.key, s.fr)
		}
		r.problem(model.SeverityError, "unknown-setting", row, keyLabel, "", "", key, fmt.Sprintf("unknown setting %q", key), closest(key, names, 3)...)
		return
	}
	st := settingsRows[i]
	if prev, dup := r.b.settings[st.key]; dup {
		r.problem(model.SeverityError, "duplicate-setting", row, keyLabel, st.key, "", key, fmt.Sprintf("%s is already set on row %d", st.key, prev.row))
		return
	}
	r.b.settings[st.key] = origin{r.name, row}
	r.b.setColumn("settings", st.key, valueLabel)
	if value == "" {
		return
	}
	p := &r.b.p
	bad := func(err error) {
		r.problem(model.SeverityError, "bad-number", row, valueLabel, st.key, "", value, fmt.Sprintf("%s: %v", st.key, err))
	}
	switch st.key {
	case "id":
		p.ID = value
	case "name":
		p.Name = value
	case "name_fr":
		p.NameFR = value
	case "country":
		p.Country = value
	case "currency":
		p.Currency = value
	case "start_year", "horizon_years":
		n, err := ParseWhole(value)
		if err != nil {
			bad(err)
			return
		}
		if st.key == "start_year" {
			p.Settings.StartYear = &n
		} else {
			p.Settings.HorizonYears = &n
		}
	case "discount_rate", "optimism_bias":
		v, err := ParseRate(value)
		if err != nil {
			bad(err)
			return
		}
		if st.key == "discount_rate" {
			p.Settings.DiscountRate = &v
		} else {
			p.Settings.OptimismBias = &v
		}
	}
}

// exampleMarkers start the id of the template's example row.
var exampleMarkers = []string{"e.g. ", "ex. "}

func isExample(id string) bool {
	l := strings.ToLower(id)
	for _, m := range exampleMarkers {
		if strings.HasPrefix(l, m) {
			return true
		}
	}
	return false
}

// entity reads one row of an entity sheet into a new entity.
func (r *tableReader) entity(row int, cells []string) {
	b := r.b
	def := r.def
	id := ""
	if r.idCol < len(cells) {
		id = trimSpaces(cells[r.idCol])
	}
	if isExample(id) {
		r.problem(model.SeverityWarning, "example-row", row, r.labels[r.idCol], "id", "", id,
			fmt.Sprintf("this row is the template's example (its id starts with %q) and was not imported; remove that prefix to import it", strings.Fields(id)[0]))
		return
	}
	v := reflect.New(def.typ).Elem()
	kindIdx := len(b.rowsOf[def.kind])
	type amountParts struct {
		set   [3]bool
		vals  [3]float64
		label [3]string
	}
	amounts := map[string]*amountParts{}
	var order []string
	var refs []pendingRef
	for i, c := range cells {
		if i >= len(r.cols) || r.cols[i] < 0 {
			continue
		}
		col := def.cols[r.cols[i]]
		text := trimSpaces(c)
		if text == "" || col.kind == kID {
			continue
		}
		label := r.labels[i]
		f := func() reflect.Value { return fieldOf(v, col.field) }
		switch col.kind {
		case kText:
			f().SetString(text)
		case kWhole:
			n, err := ParseWhole(text)
			if err != nil {
				r.problem(model.SeverityError, "bad-number", row, label, col.field, id, text, fmt.Sprintf("%s: %v", col.field, err))
				continue
			}
			f().Set(reflect.ValueOf(&n))
		case kNumber:
			x, err := ParseNumber(text)
			if err != nil {
				r.problem(model.SeverityError, "bad-number", row, label, col.field, id, text, fmt.Sprintf("%s: %v", col.field, err))
				continue
			}
			f().Set(reflect.ValueOf(&x))
		case kAmount:
			x, err := ParseNumber(text)
			if err != nil {
				r.problem(model.SeverityError, "bad-number", row, label, col.field, id, text, fmt.Sprintf("%s: %v", col.header("en"), err))
				continue
			}
			a := amounts[col.field]
			if a == nil {
				a = &amountParts{}
				amounts[col.field] = a
				order = append(order, col.field)
			}
			a.set[col.part], a.vals[col.part], a.label[col.part] = true, x, label
		case kStatus:
			f().SetString(r.status(row, label, id, text))
		case kRef, kRefList, kCodeList:
			refs = append(refs, pendingRef{kind: def.kind, idx: kindIdx, field: col.field, target: col.target, text: text,
				list: col.kind != kRef, at: origin{r.name, row}, column: label})
		}
	}
	for _, field := range order {
		a := amounts[field]
		switch {
		case a.set[partLow] || a.set[partHigh]:
			if !a.set[partLow] || !a.set[partLikely] || !a.set[partHigh] {
				var missing []string
				for _, ps := range []struct {
					part   int
					suffix string
				}{{partLow, "_low"}, {partLikely, ""}, {partHigh, "_high"}} {
					if !a.set[ps.part] {
						missing = append(missing, field+ps.suffix)
					}
				}
				r.problem(model.SeverityError, "incomplete-range", row, a.label[firstSet(a.set)], field, id, "",
					fmt.Sprintf("%s is a range: give %s_low, %s and %s_high (missing: %s), or only %s for a single value",
						field, field, field, field, strings.Join(missing, ", "), field))
				continue
			}
			fieldOf(v, field).Set(reflect.ValueOf(model.Triangle(a.vals[partLow], a.vals[partLikely], a.vals[partHigh])))
		default:
			fieldOf(v, field).Set(reflect.ValueOf(model.Point(a.vals[partLikely])))
		}
	}
	name := ""
	if f, ok := fieldIndex(def.typ)["name"]; ok {
		name = v.Field(f).String()
	}
	if id == "" {
		id = r.idFromName(row, name)
	} else if inCatalogue(def.kind) && !b.catalogHas(def.kind, id) {
		// "AGR-1" or "Payments" in an id column is the catalogue's agr-1 or
		// payments written another way: take the catalogue's id, so that the
		// row inherits what it leaves empty, and say so.
		if ids := b.ref.Lookup(def.kind, id); len(ids) == 1 && catalog.Normalize(ids[0]) == catalog.Normalize(id) {
			r.problem(model.SeverityWarning, "catalogue-id", row, r.labels[r.idCol], "id", ids[0], id,
				fmt.Sprintf("%q is read as the catalogue's %s %q", id, strings.ReplaceAll(def.kind, "_", " "), ids[0]))
			id = ids[0]
		}
	}
	if id != "" {
		if b.byID[def.kind] == nil {
			b.byID[def.kind] = map[string]origin{}
		}
		if prev, dup := b.byID[def.kind][id]; dup {
			r.problem(model.SeverityError, "duplicate-id", row, r.labels[r.idCol], "id", id, id,
				fmt.Sprintf("the id %q is already used on row %d: each %s needs its own id", id, prev.row, strings.ReplaceAll(def.kind, "_", " ")))
		} else {
			b.byID[def.kind][id] = origin{r.name, row}
		}
	}
	fieldOf(v, "id").SetString(id)
	b.rowsOf[def.kind] = append(b.rowsOf[def.kind], origin{r.name, row})
	b.refs = append(b.refs, refs...)
	b.appendEntity(v)
}

func firstSet(set [3]bool) int {
	for _, p := range []int{partLow, partLikely, partHigh} {
		if set[p] {
			return p
		}
	}
	return partLikely
}

// idFromName gives a row with no id the id of the catalogue entry its name
// names (so that "Payments" in the name column of Blocks, with costs, gives
// the costs of the catalogue's payments block); otherwise the row is an
// error that proposes an id made from the name.
func (r *tableReader) idFromName(row int, name string) string {
	label := r.labels[r.idCol]
	if name == "" {
		r.problem(model.SeverityError, "missing-id", row, label, "id", "", "",
			fmt.Sprintf("this row has neither an id nor a name: every %s needs an id", strings.ReplaceAll(r.def.kind, "_", " ")))
		return ""
	}
	switch r.def.kind {
	case "block", "workflow", "use_case":
		if ids := r.b.ref.Lookup(r.def.kind, name); len(ids) == 1 {
			return ids[0]
		}
	}
	var sug []string
	if s := model.Slug(name); s != "" {
		sug = append(sug, s)
	}
	r.problem(model.SeverityError, "missing-id", row, label, "id", "", name,
		fmt.Sprintf("%q has no id: every %s needs one (letters, digits, - or _)", name, strings.ReplaceAll(r.def.kind, "_", " ")), sug...)
	return ""
}

// status reads a block's status, in English or French.
func (r *tableReader) status(row int, label, id, text string) string {
	switch headerKey(text) {
	case "planned", "prevu", "planifie", "aconstruire", "new", "nouveau":
		return model.StatusPlanned
	case "existing", "existant", "exists", "existe":
		return model.StatusExisting
	}
	r.problem(model.SeverityError, "bad-status", row, label, "status", id, text,
		fmt.Sprintf("status must be %q (prévu) or %q (existant), not %q", model.StatusPlanned, model.StatusExisting, text),
		closest(text, []string{model.StatusPlanned, model.StatusExisting}, 2)...)
	r.b.reported[reportKey("block", id, "status", text)] = true
	return text
}

func (b *builder) appendEntity(v reflect.Value) {
	switch e := v.Interface().(type) {
	case model.Agency:
		b.p.Agencies = append(b.p.Agencies, e)
	case model.Goal:
		b.p.Goals = append(b.p.Goals, e)
	case model.Programme:
		b.p.Programmes = append(b.p.Programmes, e)
	case model.UseCase:
		b.p.UseCases = append(b.p.UseCases, e)
	case model.Workflow:
		b.p.Workflows = append(b.p.Workflows, e)
	case model.Block:
		b.p.Blocks = append(b.p.Blocks, e)
	}
}

// entityValue is the i-th entity of kind, settable.
func (b *builder) entityValue(kind string, i int) reflect.Value {
	switch kind {
	case "agency":
		return reflect.ValueOf(&b.p.Agencies[i]).Elem()
	case "goal":
		return reflect.ValueOf(&b.p.Goals[i]).Elem()
	case "programme":
		return reflect.ValueOf(&b.p.Programmes[i]).Elem()
	case "use_case":
		return reflect.ValueOf(&b.p.UseCases[i]).Elem()
	case "workflow":
		return reflect.ValueOf(&b.p.Workflows[i]).Elem()
	case "block":
		return reflect.ValueOf(&b.p.Blocks[i]).Elem()
	}
	panic("importers: unknown kind " + kind)
}

func reportKey(kind, id, field, value string) string {
	return kind + "\x00" + id + "\x00" + field + "\x00" + value
}

// finish resolves the references, validates the portfolio with
// model.Resolve and maps its problems back to the rows they come from.
func (b *builder) finish() *model.Portfolio {
	b.resolveRefs()
	_, vps := model.Resolve(&b.p, b.ref)
	for _, pr := range vps {
		switch pr.Code {
		case "missing-id", "duplicate-id":
			if b.rowsOf[pr.Kind] != nil {
				continue // reported with the row already
			}
		case "unknown-reference", "unknown-sdg-target", "bad-status":
			if b.reported[reportKey(pr.Kind, pr.ID, pr.Field, pr.Value)] {
				continue
			}
		}
		b.place(&pr)
		b.ps.add(pr)
	}
	p := b.p
	return &p
}

// place fills in the sheet, row and column of a problem found on the model.
func (b *builder) place(pr *model.Problem) {
	if pr.Kind == "settings" {
		if o, ok := b.settings[pr.Field]; ok {
			pr.Sheet, pr.Row, pr.Column = o.sheet, o.row, b.columns["settings"][pr.Field]
		}
		return
	}
	var o origin
	found := false
	if n, ok := strings.CutPrefix(pr.ID, "#"); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 1 && i <= len(b.rowsOf[pr.Kind]) {
			o, found = b.rowsOf[pr.Kind][i-1], true
		}
	} else {
		o, found = b.byID[pr.Kind][pr.ID]
	}
	if !found {
		return
	}
	pr.Sheet, pr.Row = o.sheet, o.row
	pr.Column = b.columns[pr.Kind][pr.Field]
}

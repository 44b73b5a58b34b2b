package web

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"blockplan/importers"
	"blockplan/model"
)

// Entity forms are generic: entityFields says which fields a kind has and
// how each is typed; values go to the entity through its JSON, so that the
// form, the API and the portfolio format read an entity the same way
// (strictly, with the model's types).

// formField is one field of an entity form as the template draws it.
type formField struct {
	Name     string
	Label    string
	Help     string
	Type     string
	Value    string // text, numbers, a single reference
	Low      string // amounts
	High     string
	Groups   []optionGroup // refs, ref, status
	Required bool
	ReadOnly bool
	Errors   []string
	// Current is the stored value after a conflict (someone else's), shown
	// next to the field; Changed says it differs from what was submitted.
	Current string
	Changed bool
}

type optionGroup struct {
	Label   string
	Options []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// entityValues is an entity as form values: "name", "goals" (repeated),
// "build_cost" with "build_cost_low" and "build_cost_high".
func entityValues(kind string, e any, lang string) url.Values {
	v := url.Values{}
	if e == nil {
		return v
	}
	data, err := json.Marshal(e)
	if err != nil {
		return v
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return v
	}
	for _, f := range entityFields[kind] {
		raw, ok := m[f.Name]
		if !ok {
			continue
		}
		switch f.Type {
		case ftID, ftText, ftTextarea, ftRef, ftStatus:
			var s string
			json.Unmarshal(raw, &s)
			v.Set(f.Name, s)
		case ftInt, ftNumber:
			var x float64
			json.Unmarshal(raw, &x)
			v.Set(f.Name, inputNumber(x, lang))
		case ftAmount:
			var a model.Amount
			if json.Unmarshal(raw, &a) == nil {
				v.Set(f.Name, inputNumber(a.Likely, lang))
				if a.Range {
					v.Set(f.Name+"_low", inputNumber(a.Low, lang))
					v.Set(f.Name+"_high", inputNumber(a.High, lang))
				}
			}
		case ftRefs:
			var xs []string
			json.Unmarshal(raw, &xs)
			v[f.Name] = xs
		case ftCodes:
			var xs []string
			json.Unmarshal(raw, &xs)
			v.Set(f.Name, strings.Join(xs, "; "))
		}
	}
	return v
}

// inputNumber writes a number for an input box: all its digits, thousands
// grouped by spaces ("850 000 000", which reads the same in both languages
// and which importers.ParseNumber reads back), a decimal comma in French.
func inputNumber(x float64, lang string) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		if lang == "fr" {
			b.WriteByte(',')
		} else {
			b.WriteByte('.')
		}
		b.WriteString(frac)
	}
	return b.String()
}

// splitCodes reads "3.1; 3.2, 16.9" as a list.
func splitCodes(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// valuesEntity reads form values as an entity of kind. Problems are the
// values that cannot be read (a word where a number goes, half a range),
// each naming its field; the entity is nil when there is any.
func (s *Server) valuesEntity(kind string, v url.Values, lang string) (any, model.Problems) {
	m := map[string]any{}
	var ps model.Problems
	id := strings.TrimSpace(v.Get("id"))
	bad := func(field, value, msg string) {
		ps = append(ps, model.Problem{Severity: model.SeverityError, Code: "bad-value", Kind: kind, ID: id,
			Field: field, Value: value, Message: msg})
	}
	catalogued := s.inCatalog(kind, id)
	for _, f := range entityFields[kind] {
		val := strings.TrimSpace(v.Get(f.Name))
		switch f.Type {
		case ftID:
			if val == "" {
				ps = append(ps, model.Problem{Severity: model.SeverityError, Code: "missing-id", Kind: kind,
					Field: "id", Message: "every entity needs an id"})
				continue
			}
			m[f.Name] = val
		case ftText, ftTextarea, ftRef, ftStatus:
			if val == "" {
				if f.Required && !catalogued {
					ps = append(ps, model.Problem{Severity: model.SeverityError, Code: "required", Kind: kind, ID: id,
						Field: f.Name, Message: f.Name + " is required"})
				}
				continue
			}
			if f.Type == ftTextarea {
				val = strings.ReplaceAll(v.Get(f.Name), "\r\n", "\n")
				val = strings.TrimSpace(val)
			}
			m[f.Name] = val
		case ftInt:
			if val == "" {
				continue
			}
			n, err := importers.ParseWhole(val)
			if err != nil {
				bad(f.Name, val, err.Error())
				continue
			}
			m[f.Name] = n
		case ftNumber:
			if val == "" {
				continue
			}
			x, err := importers.ParseNumber(val)
			if err != nil {
				bad(f.Name, val, err.Error())
				continue
			}
			m[f.Name] = x
		case ftAmount:
			low, high := strings.TrimSpace(v.Get(f.Name+"_low")), strings.TrimSpace(v.Get(f.Name+"_high"))
			if val == "" && low == "" && high == "" {
				continue
			}
			num := func(part, s string) (float64, bool) {
				x, err := importers.ParseNumber(s)
				if err != nil {
					bad(f.Name, s, part+": "+err.Error())
					return 0, false
				}
				return x, true
			}
			switch {
			case val == "":
				bad(f.Name, low+"/"+high, "a range needs its likely value too")
			case low == "" && high == "":
				if x, ok := num("likely", val); ok {
					m[f.Name] = x
				}
			case low == "" || high == "":
				bad(f.Name, low+"/"+val+"/"+high, "a range needs both its low and its high value (or neither, for a single amount)")
			default:
				l, ok1 := num("low", low)
				x, ok2 := num("likely", val)
				h, ok3 := num("high", high)
				if ok1 && ok2 && ok3 {
					m[f.Name] = map[string]float64{"low": l, "likely": x, "high": h}
				}
			}
		case ftRefs:
			var xs []string
			for _, x := range v[f.Name] {
				if x = strings.TrimSpace(x); x != "" && !slices.Contains(xs, x) {
					xs = append(xs, x)
				}
			}
			if len(xs) > 0 {
				m[f.Name] = xs
			} else if catalogued {
				m[f.Name] = []string{} // an explicit "none", not "as in the catalogue"
			}
		case ftCodes:
			if xs := splitCodes(val); len(xs) > 0 {
				m[f.Name] = xs
			} else if catalogued {
				m[f.Name] = []string{}
			}
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if catalogued {
		s.dropInherited(kind, id, m)
	}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, model.Problems{{Severity: model.SeverityError, Code: "bad-value", Kind: kind, ID: id, Message: err.Error()}}
	}
	e, err := decodeEntity(kind, data)
	if err != nil {
		return nil, model.Problems{{Severity: model.SeverityError, Code: "bad-value", Kind: kind, ID: id, Message: err.Error()}}
	}
	return e, nil
}

// dropInherited removes from m the fields equal to the catalogue entry's, so
// that an entity overriding a catalogue entry stores only what differs (and
// keeps inheriting the rest, as the portfolio format says).
func (s *Server) dropInherited(kind, id string, m map[string]any) {
	c := s.catalogEntity(kind, id)
	if c == nil {
		return
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	var cm map[string]json.RawMessage
	if json.Unmarshal(data, &cm) != nil {
		return
	}
	for k, x := range m {
		if k == "id" {
			continue
		}
		mine, err := json.Marshal(x)
		if err != nil {
			continue
		}
		theirs, ok := cm[k]
		if !ok {
			// The catalogue leaves it empty: an explicit empty list says
			// nothing more.
			if string(mine) == "[]" {
				delete(m, k)
			}
			continue
		}
		if bytes.Equal(mine, theirs) {
			delete(m, k)
		}
	}
}

// fieldsView is the fields of a kind's form with their values, the problems
// next to the fields they name, and, after a conflict, the stored values.
// Problems that name no field of the form are returned apart.
func (s *Server) fieldsView(sn *snapshot, kind string, v url.Values, ps model.Problems, current url.Values, lang string, lockID bool) ([]formField, []string) {
	var out []formField
	byField := map[string][]string{}
	var other []string
	known := map[string]bool{}
	for _, f := range entityFields[kind] {
		known[f.Name] = true
	}
	id := v.Get("id")
	for _, p := range ps.Errors() {
		if known[p.Field] && (p.Kind == "" || p.Kind == kind) && (p.ID == "" || p.ID == id || p.Field == "id") {
			byField[p.Field] = append(byField[p.Field], s.problemText(lang, p))
			continue
		}
		other = append(other, joinWhere(s.problemWhere(lang, p), s.problemText(lang, p)))
	}
	for _, f := range entityFields[kind] {
		ff := formField{Name: f.Name, Type: f.Type, Label: s.fieldName(lang, f.Name), Required: f.Required,
			Value: v.Get(f.Name), Low: v.Get(f.Name + "_low"), High: v.Get(f.Name + "_high"), Errors: byField[f.Name]}
		if t, ok := s.msg[lang]["help."+f.Name]; ok {
			ff.Help = t
		}
		if f.Type == ftID && lockID {
			ff.ReadOnly = true
		}
		switch f.Type {
		case ftRef, ftRefs:
			ff.Groups = s.refOptions(sn, f.Target, v[f.Name], lang, f.Type == ftRef)
		case ftStatus:
			ff.Groups = []optionGroup{{Options: []option{
				{Value: "", Label: s.msg.must(lang, "status.default"), Selected: ff.Value == ""},
				{Value: model.StatusPlanned, Label: s.msg.must(lang, "status.planned"), Selected: ff.Value == model.StatusPlanned},
				{Value: model.StatusExisting, Label: s.msg.must(lang, "status.existing"), Selected: ff.Value == model.StatusExisting},
			}}}
		}
		if current != nil {
			ff.Current = s.displayValue(sn, f, current, lang)
			ff.Changed = ff.Current != s.displayValue(sn, f, v, lang)
		}
		out = append(out, ff)
	}
	return out, other
}

func joinWhere(where, msg string) string {
	if where == "" {
		return msg
	}
	return where + " : " + msg
}

// displayValue is a field's value as text, for the conflict notice.
func (s *Server) displayValue(sn *snapshot, f fieldSpec, v url.Values, lang string) string {
	switch f.Type {
	case ftAmount:
		low, mid, high := v.Get(f.Name+"_low"), v.Get(f.Name), v.Get(f.Name+"_high")
		if low == "" && high == "" {
			return mid
		}
		return low + " / " + mid + " / " + high
	case ftRefs:
		var names []string
		for _, id := range v[f.Name] {
			names = append(names, s.label(sn, lang, f.Target, id))
		}
		return strings.Join(names, ", ")
	case ftRef:
		if x := v.Get(f.Name); x != "" {
			return s.label(sn, lang, f.Target, x)
		}
		return ""
	}
	return v.Get(f.Name)
}

// refOptions are the choices of a reference field: the portfolio's own
// entities of kind target, then (for use cases, workflows and blocks) the
// catalogue's. Selected values that are neither stay listed, so that the
// problem about them shows and nothing is dropped silently.
func (s *Server) refOptions(sn *snapshot, target string, selected []string, lang string, single bool) []optionGroup {
	sel := map[string]bool{}
	for _, x := range selected {
		sel[x] = true
	}
	seen := map[string]bool{}
	var mine, cat []option
	add := func(list *[]option, id, name string) {
		if seen[id] {
			return
		}
		seen[id] = true
		label := id
		if name != "" && name != id {
			label = name + " — " + id
		}
		*list = append(*list, option{Value: id, Label: label, Selected: sel[id]})
	}
	p := sn.Resolved
	switch target {
	case model.KindAgency:
		for _, x := range p.Agencies {
			add(&mine, x.ID, x.Label(lang))
		}
	case model.KindGoal:
		for _, x := range p.Goals {
			add(&mine, x.ID, x.Label(lang))
		}
	case model.KindUseCase:
		for _, x := range p.UseCases {
			add(&mine, x.ID, x.Label(lang))
		}
		for _, x := range s.catData.useCases {
			add(&cat, x.ID, x.Name.In(lang))
		}
	case model.KindWorkflow:
		for _, x := range p.Workflows {
			add(&mine, x.ID, x.Label(lang))
		}
		for _, x := range s.catData.workflows {
			add(&cat, x.ID, x.Name.In(lang))
		}
	case model.KindBlock:
		for _, x := range p.Blocks {
			add(&mine, x.ID, x.Label(lang))
		}
		for _, x := range s.catData.blocks {
			add(&cat, x.ID, x.Name.In(lang))
		}
	}
	for _, x := range selected {
		if !seen[x] {
			add(&mine, x, x)
		}
	}
	var groups []optionGroup
	if single {
		mine = append([]option{{Value: "", Label: s.msg.must(lang, "form.none"), Selected: len(selected) == 0 || selected[0] == ""}}, mine...)
	}
	groups = append(groups, optionGroup{Label: s.msg.must(lang, "form.in_portfolio"), Options: mine})
	if len(cat) > 0 {
		groups = append(groups, optionGroup{Label: s.msg.must(lang, "form.in_catalog"), Options: cat})
	}
	return groups
}

package importers

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"blockplan/catalog"
	"blockplan/model"
)

// resolved is what a reference cell item names.
type resolved struct {
	id   string
	code string // "" when found; else the problem's code
	msg  string
	sug  []string
}

// wbIndex is the entities of one kind the workbook defines, for matching
// references by id or name.
type wbIndex struct {
	ids    map[string]bool
	names  map[string][]string // catalog.Normalize(id, name or name_fr) -> ids
	labels []string            // ids and names, for suggestions
	label  map[string]string   // id -> name, for messages
}

func (b *builder) index(kind string) *wbIndex {
	ix := &wbIndex{ids: map[string]bool{}, names: map[string][]string{}, label: map[string]string{}}
	add := func(id string, names ...string) {
		if id == "" {
			return
		}
		ix.ids[id] = true
		ix.labels = append(ix.labels, id)
		for _, n := range append([]string{id}, names...) {
			if n == "" {
				continue
			}
			k := catalog.Normalize(n)
			if !slices.Contains(ix.names[k], id) {
				ix.names[k] = append(ix.names[k], id)
			}
			if n != id {
				ix.labels = append(ix.labels, n)
				if ix.label[id] == "" {
					ix.label[id] = n
				}
			}
		}
	}
	switch kind {
	case "agency":
		for _, x := range b.p.Agencies {
			add(x.ID, x.Name, x.NameFR)
		}
	case "goal":
		for _, x := range b.p.Goals {
			add(x.ID, x.Name, x.NameFR)
		}
	case "use_case":
		for _, x := range b.p.UseCases {
			add(x.ID, x.Name, x.NameFR)
		}
	case "workflow":
		for _, x := range b.p.Workflows {
			add(x.ID, x.Name, x.NameFR)
		}
	case "block":
		for _, x := range b.p.Blocks {
			add(x.ID, x.Name, x.NameFR)
		}
	}
	return ix
}

// inCatalogue reports whether kind is a kind the catalogue also defines.
func inCatalogue(kind string) bool {
	return kind == "use_case" || kind == "workflow" || kind == "block"
}

func (b *builder) catalogHas(kind, id string) bool {
	switch kind {
	case "use_case":
		_, ok := b.ref.UseCase(id)
		return ok
	case "workflow":
		_, ok := b.ref.Workflow(id)
		return ok
	case "block":
		_, ok := b.ref.Block(id)
		return ok
	case "sdg_target":
		_, ok := b.ref.SDGTarget(id)
		return ok
	}
	return false
}

// resolve finds what text names among kind: an exact id of the workbook or
// the catalogue first, then a name or id of the workbook without regard to
// case, accents and punctuation, then a catalogue name or alias.
func (b *builder) resolve(ix map[string]*wbIndex, kind, text string) resolved {
	key := kind + "\x00" + text
	if r, ok := b.cache[key]; ok {
		return r
	}
	r := b.resolveUncached(ix[kind], kind, text)
	b.cache[key] = r
	return r
}

func (b *builder) resolveUncached(ix *wbIndex, kind, text string) resolved {
	what := strings.ReplaceAll(kind, "_", " ")
	if kind == "sdg_target" {
		if b.catalogHas(kind, text) {
			return resolved{id: text}
		}
		ids := b.ref.Lookup(catalog.KindTarget, text)
		switch len(ids) {
		case 1:
			return resolved{id: ids[0]}
		case 0:
			return resolved{code: "unknown-sdg-target",
				msg: fmt.Sprintf("%q is not an SDG target; targets are written as the UN codes, such as 3.2, 17.19 or 1.a", text),
				sug: b.ref.Suggest(catalog.KindTarget, text, 3)}
		}
		return resolved{code: "ambiguous-reference", msg: fmt.Sprintf("%q could be any of the SDG targets %s: write the code", text, strings.Join(ids, ", ")), sug: ids}
	}
	if ix.ids[text] || (inCatalogue(kind) && b.catalogHas(kind, text)) {
		return resolved{id: text}
	}
	if ids := ix.names[catalog.Normalize(text)]; len(ids) == 1 {
		return resolved{id: ids[0]}
	} else if len(ids) > 1 {
		var named []string
		for _, id := range ids {
			named = append(named, fmt.Sprintf("%s (%s)", id, ix.label[id]))
		}
		return resolved{code: "ambiguous-reference", sug: ids,
			msg: fmt.Sprintf("%q names more than one %s of this workbook: %s; write the id", text, what, strings.Join(named, ", "))}
	}
	sheet := kindSheet[kind].name
	if !inCatalogue(kind) {
		return resolved{code: "unknown-reference", sug: closest(text, ix.labels, 3),
			msg: fmt.Sprintf("no %s has the id or name %q: define it on the %s sheet, or use one of its ids", what, text, sheet)}
	}
	ids := b.ref.Lookup(kind, text)
	switch len(ids) {
	case 1:
		return resolved{id: ids[0]}
	case 0:
		sug := closest(text, ix.labels, 3)
		for _, s := range b.ref.Suggest(kind, text, 3) {
			if !slices.Contains(sug, s) {
				sug = append(sug, s)
			}
		}
		return resolved{code: "unknown-reference", sug: sug[:min(len(sug), 3)],
			msg: fmt.Sprintf("%q is neither a %s of this workbook (%s sheet, by id or name) nor of the catalogue (by id, name or alias)", text, what, sheet)}
	}
	return resolved{code: "ambiguous-reference", sug: ids,
		msg: fmt.Sprintf("%q could be any of the catalogue's %ss %s: write the id", text, what, strings.Join(ids, ", "))}
}

// splitItems cuts a list cell into items: at ';' or line breaks when it has
// any, else at ','. A cell that has commas but no ';' and names one thing
// as a whole (a name with a comma in it) is one item.
func (b *builder) splitItems(ix map[string]*wbIndex, kind, text string) []string {
	var parts []string
	switch {
	case strings.ContainsAny(text, ";\n\r"):
		parts = strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '\n' || r == '\r' })
	case strings.Contains(text, ","):
		if b.resolve(ix, kind, text).code == "" {
			return []string{text}
		}
		parts = strings.Split(text, ",")
	default:
		return []string{text}
	}
	out := parts[:0]
	for _, p := range parts {
		if p = trimSpaces(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// resolveRefs turns every reference cell into ids, reporting each item that
// names nothing, or more than one thing, at its cell. An item that does not
// resolve stays as written, so that the portfolio still shows it.
func (b *builder) resolveRefs() {
	ix := map[string]*wbIndex{}
	for _, k := range []string{"agency", "goal", "use_case", "workflow", "block"} {
		ix[k] = b.index(k)
	}
	for n, pr := range b.refs {
		if n%4096 == 0 && b.ctx.Err() != nil {
			return
		}
		v := b.entityValue(pr.kind, pr.idx)
		entityID := fieldOf(v, "id").String()
		items := []string{pr.text}
		if pr.list {
			items = b.splitItems(ix, pr.target, pr.text)
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			r := b.resolve(ix, pr.target, it)
			if r.code != "" {
				b.ps.add(model.Problem{Severity: model.SeverityError, Code: r.code, Kind: pr.kind, ID: entityID, Field: pr.field,
					Value: clip(it, 120), Message: r.msg, Sheet: pr.at.sheet, Row: pr.at.row, Column: pr.column, Suggestions: r.sug})
				b.reported[reportKey(pr.kind, entityID, pr.field, it)] = true
				out = append(out, it)
				continue
			}
			out = append(out, r.id)
		}
		f := fieldOf(v, pr.field)
		if pr.list {
			if len(out) > 0 {
				f.Set(reflect.ValueOf(out))
			}
		} else if len(out) > 0 {
			f.SetString(out[0])
		}
	}
}

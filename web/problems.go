package web

import (
	"fmt"
	"strings"

	"blockplan/model"
	"blockplan/reports"
)

// problemText is a problem's message for a reader of lang. The model and the
// importers write their messages in English, naming the entity, field and
// value; in French the message is rebuilt from the problem's stable code
// when the catalogue has it ("problem.<code>"), with the value and the
// field's French name, and the English text is kept otherwise.
func (s *Server) problemText(lang string, p model.Problem) string {
	msg := p.Message
	if p.Severity == model.SeverityWarning && p.Sheet == "" {
		// Warnings are worded as the reports word them.
		msg = reports.WarningText(model.Warning{Code: p.Code, Message: p.Message, Kind: p.Kind, ID: p.ID}, lang)
		if msg != p.Message || lang == "en" {
			return msg
		}
	}
	if lang != "en" {
		if t, err := s.msg.text(lang, "problem."+p.Code); err == nil {
			msg = strings.NewReplacer("{value}", p.Value, "{field}", s.fieldName(lang, p.Field),
				"{id}", p.ID, "{kind}", s.msg.must(lang, "kind."+p.Kind)).Replace(t)
		}
	}
	if len(p.Suggestions) > 0 {
		quoted := make([]string, len(p.Suggestions))
		for i, x := range p.Suggestions {
			quoted[i] = "« " + x + " »"
			if lang == "en" {
				quoted[i] = fmt.Sprintf("%q", x)
			}
		}
		msg += " " + s.msg.must(lang, "problem.did_you_mean", strings.Join(quoted, ", "))
	}
	return msg
}

// fieldName is a JSON field's name for people, in lang.
func (s *Server) fieldName(lang, field string) string {
	if field == "" {
		return ""
	}
	if t, ok := s.msg[lang]["field."+field]; ok {
		return t
	}
	return field
}

// problemWhere is a problem's place for people, in lang: "sheet Programmes,
// row 4, column goals" for a file, "programme P1, field goals" otherwise.
func (s *Server) problemWhere(lang string, p model.Problem) string {
	var parts []string
	if p.Sheet != "" {
		parts = append(parts, s.msg.must(lang, "where.sheet", p.Sheet))
		if p.Row > 0 {
			parts = append(parts, s.msg.must(lang, "where.row", p.Row))
		}
		if p.Column != "" {
			parts = append(parts, s.msg.must(lang, "where.column", p.Column))
		}
	}
	if p.Line > 0 {
		parts = append(parts, s.msg.must(lang, "where.line", p.Line, p.Col))
	}
	if p.Kind != "" && p.Sheet == "" {
		k := s.msg.must(lang, "kind."+p.Kind)
		if strings.HasPrefix(k, "kind.") {
			k = p.Kind
		}
		if p.ID != "" {
			k += " " + p.ID
		}
		parts = append(parts, k)
	}
	if p.Field != "" && p.Sheet == "" {
		parts = append(parts, s.msg.must(lang, "where.field", s.fieldName(lang, p.Field)))
	}
	return strings.Join(parts, ", ")
}

// sheetGroup is the problems of one sheet (or of the file as a whole), for
// the upload page's list "by sheet and row".
type sheetGroup struct {
	Sheet    string
	Problems model.Problems
}

// bySheet groups problems by sheet, in the order the sheets first appear,
// the problems without a sheet first; within a sheet they keep their order
// (by row, as importers sort them).
func bySheet(ps model.Problems) []sheetGroup {
	var out []sheetGroup
	idx := map[string]int{}
	for _, p := range ps {
		i, ok := idx[p.Sheet]
		if !ok {
			i = len(out)
			idx[p.Sheet] = i
			out = append(out, sheetGroup{Sheet: p.Sheet})
		}
		out[i].Problems = append(out[i].Problems, p)
	}
	return out
}

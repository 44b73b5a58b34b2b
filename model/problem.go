package model

import (
	"fmt"
	"sort"
	"strings"
)

// Severities of a Problem.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Problem is one finding of validation or import: what is wrong and exactly
// where, in the portfolio graph (Kind, ID, Field) and, for spreadsheets and
// CSV, in the file (Sheet, Row, Column). Code is stable: scripts match on it.
type Problem struct {
	Severity    string   `json:"severity"`
	Code        string   `json:"code"`
	Kind        string   `json:"kind,omitempty"`  // "programme", "block", …
	ID          string   `json:"id,omitempty"`    // the entity's id
	Field       string   `json:"field,omitempty"` // JSON field name
	Value       string   `json:"value,omitempty"` // the offending value, as text
	Message     string   `json:"message"`
	Sheet       string   `json:"sheet,omitempty"`
	Row         int      `json:"row,omitempty"` // 1-based, as the spreadsheet shows it
	Column      string   `json:"column,omitempty"`
	Line        int      `json:"line,omitempty"` // JSON syntax errors
	Col         int      `json:"col,omitempty"`
	Suggestions []string `json:"suggestions,omitempty"`
}

// Where is the problem's place, for people: "programme P1, field goals" or
// "sheet Programmes, row 4, column goals".
func (p Problem) Where() string {
	var parts []string
	if p.Sheet != "" {
		parts = append(parts, "sheet "+p.Sheet)
		if p.Row > 0 {
			parts = append(parts, fmt.Sprintf("row %d", p.Row))
		}
		if p.Column != "" {
			parts = append(parts, "column "+p.Column)
		}
	}
	if p.Line > 0 {
		parts = append(parts, fmt.Sprintf("line %d, column %d", p.Line, p.Col))
	}
	if p.Kind != "" {
		s := p.Kind
		if p.ID != "" {
			s += " " + p.ID
		}
		parts = append(parts, s)
	}
	if p.Field != "" && p.Sheet == "" {
		parts = append(parts, "field "+p.Field)
	}
	return strings.Join(parts, ", ")
}

// String is the problem as one line: "error: programme P1, field goals: …".
func (p Problem) String() string {
	s := p.Severity + ": "
	if w := p.Where(); w != "" {
		s += w + ": "
	}
	s += p.Message
	if len(p.Suggestions) > 0 {
		s += " (did you mean " + strings.Join(quoteAll(p.Suggestions), ", ") + "?)"
	}
	return s
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// Problems is a list of findings; it is never cut short at the first error.
type Problems []Problem

// HasErrors reports whether any problem is an error.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors is the error-severity problems.
func (ps Problems) Errors() Problems { return ps.filter(SeverityError) }

// Warnings is the warning-severity problems.
func (ps Problems) Warnings() Problems { return ps.filter(SeverityWarning) }

func (ps Problems) filter(sev string) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == sev {
			out = append(out, p)
		}
	}
	return out
}

// Sort orders problems errors first, then by place, for stable output.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Severity != b.Severity {
			return a.Severity == SeverityError
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.ID < b.ID
	})
}

// Err is nil when there is no error among the problems, else an EINVALID
// *Error carrying them all.
func (ps Problems) Err(what string) error {
	errs := ps.Errors()
	if len(errs) == 0 {
		return nil
	}
	msg := fmt.Sprintf("%s: %d error(s)", what, len(errs))
	if len(errs) == 1 {
		msg = what + ": " + errs[0].String()
	}
	return &Error{Code: EINVALID, Message: msg, Details: ps}
}

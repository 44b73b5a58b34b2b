package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxDocumentSize bounds a portfolio JSON document (64 MiB: far above any
// real plan, far below what would hurt the server).
const MaxDocumentSize = 64 << 20

// DecodePortfolio reads one portfolio JSON document. It is strict: the
// format version must be Format, every key must be known (a typo such as
// "buid_cost" is an error, not ignored), and each value must have its type.
// It reports every such problem at once, each with its place (line and
// column for syntax, kind, id and field otherwise), as an EINVALID *Error.
// It does not check references or amounts: that is Validate's job.
func DecodePortfolio(r io.Reader) (*Portfolio, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("read portfolio: %w", err)
	}
	return DecodePortfolioBytes(data)
}

// DecodePortfolioBytes is DecodePortfolio over bytes in memory.
func DecodePortfolioBytes(data []byte) (*Portfolio, error) {
	fail := func(code, msg string, line, col int) error {
		ps := Problems{{Severity: SeverityError, Code: code, Message: msg, Line: line, Col: col}}
		return ps.Err("portfolio")
	}
	if len(data) > MaxDocumentSize {
		return nil, fail("too-large", fmt.Sprintf("the document is larger than %d MiB", MaxDocumentSize>>20), 0, 0)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 BOM from Windows editors
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fail("empty-file", "the file is empty: expected a portfolio JSON document", 0, 0)
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, fail("not-json", "the file is not a JSON text document (it holds binary data or is not UTF-8); a spreadsheet must be imported as .xlsx", 0, 0)
	}

	// Pass 1: syntax, and the shape of every key, all problems at once.
	var tree any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		line, col := offsetToLineCol(data, syntaxOffset(err, dec))
		return nil, fail("syntax", "JSON syntax error: "+strings.TrimPrefix(err.Error(), "json: "), line, col)
	}
	if dec.More() {
		line, col := offsetToLineCol(data, dec.InputOffset())
		return nil, fail("syntax", "JSON syntax error: more than one value in the document", line, col)
	}
	root, ok := tree.(map[string]any)
	if !ok {
		return nil, fail("not-object", "the document must be a JSON object with \"format\": \""+Format+"\"", 1, 1)
	}
	var ps Problems
	switch f, _ := root["format"].(string); {
	case root["format"] == nil:
		ps = append(ps, Problem{Severity: SeverityError, Code: "bad-format", Field: "format",
			Message: fmt.Sprintf("the document has no \"format\"; expected %q", Format)})
	case f != Format:
		ps = append(ps, Problem{Severity: SeverityError, Code: "bad-format", Field: "format", Value: fmt.Sprint(root["format"]),
			Message: fmt.Sprintf("unknown format version %v; this version of blockplan reads %q", jsonText(root["format"]), Format)})
	}
	ps = append(ps, checkShape(root)...)
	if ps.HasErrors() {
		return nil, ps.Err("portfolio")
	}

	// Pass 2: into the types. The shape is known good, so what fails here is
	// a value of the wrong type; name where it is.
	var p Portfolio
	if err := json.Unmarshal(data, &p); err != nil {
		var te *json.UnmarshalTypeError
		var line, col int
		field := ""
		if errors.As(err, &te) {
			line, col = offsetToLineCol(data, te.Offset)
			field = te.Field
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		if te != nil {
			msg = fmt.Sprintf("%s must be %s, not a JSON %s", te.Field, typeName(te.Type), te.Value)
		}
		return nil, (Problems{{Severity: SeverityError, Code: "bad-type", Field: field, Message: msg, Line: line, Col: col}}).Err("portfolio")
	}
	return &p, nil
}

func syntaxOffset(err error, dec *json.Decoder) int64 {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read, the offending one included.
		return max(se.Offset-1, 0)
	}
	return dec.InputOffset()
}

// offsetToLineCol turns a byte offset into a 1-based line and column (in
// characters) for error messages.
func offsetToLineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// kinds of entity lists in the document, with the JSON key, the kind's name
// in messages and the Go type whose fields are the allowed keys.
var entityLists = []struct {
	key, kind string
	typ       reflect.Type
}{
	{"agencies", "agency", reflect.TypeFor[Agency]()},
	{"goals", "goal", reflect.TypeFor[Goal]()},
	{"programmes", "programme", reflect.TypeFor[Programme]()},
	{"use_cases", "use_case", reflect.TypeFor[UseCase]()},
	{"workflows", "workflow", reflect.TypeFor[Workflow]()},
	{"blocks", "block", reflect.TypeFor[Block]()},
}

// jsonFields maps a struct's JSON keys to their Go types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = f.Type
	}
	return m
}

var amountType = reflect.TypeFor[Amount]()

// checkShape walks the generic JSON tree and reports unknown keys, lists
// that are not lists, entities that are not objects and malformed amounts,
// naming kind, id and field for each.
func checkShape(root map[string]any) Problems {
	var ps Problems
	add := func(code, kind, id, field, value, msg string) {
		ps = append(ps, Problem{Severity: SeverityError, Code: code, Kind: kind, ID: id, Field: field, Value: value, Message: msg})
	}
	top := jsonFields(reflect.TypeFor[Portfolio]())
	for _, k := range sortedKeys(root) {
		if _, ok := top[k]; !ok {
			add("unknown-key", "portfolio", "", k, "", fmt.Sprintf("unknown key %q%s", k, suggestKey(k, top)))
		}
	}
	if s, ok := root["settings"]; ok && s != nil {
		if m, ok := s.(map[string]any); !ok {
			add("bad-type", "portfolio", "", "settings", jsonText(s), "settings must be an object")
		} else {
			allowed := jsonFields(reflect.TypeFor[Settings]())
			for _, k := range sortedKeys(m) {
				if _, ok := allowed[k]; !ok {
					add("unknown-key", "settings", "", k, "", fmt.Sprintf("unknown setting %q%s", k, suggestKey(k, allowed)))
				}
			}
		}
	}
	for _, l := range entityLists {
		v, ok := root[l.key]
		if !ok || v == nil {
			continue
		}
		list, ok := v.([]any)
		if !ok {
			add("bad-type", "portfolio", "", l.key, "", l.key+" must be a list of objects")
			continue
		}
		allowed := jsonFields(l.typ)
		for i, e := range list {
			obj, ok := e.(map[string]any)
			if !ok {
				add("bad-type", l.kind, fmt.Sprintf("#%d", i+1), "", jsonText(e), fmt.Sprintf("item %d of %s must be an object", i+1, l.key))
				continue
			}
			id, _ := obj["id"].(string)
			if id == "" {
				id = fmt.Sprintf("#%d", i+1)
			}
			for _, k := range sortedKeys(obj) {
				t, ok := allowed[k]
				if !ok {
					add("unknown-key", l.kind, id, k, "", fmt.Sprintf("unknown key %q%s", k, suggestKey(k, allowed)))
					continue
				}
				if t == amountType && obj[k] != nil {
					if msg := checkAmountShape(obj[k]); msg != "" {
						add("bad-amount", l.kind, id, k, jsonText(obj[k]), msg)
					}
				}
			}
		}
	}
	return ps
}

func checkAmountShape(v any) string {
	switch a := v.(type) {
	case json.Number:
		return ""
	case map[string]any:
		var missing, unknown []string
		for _, k := range []string{"low", "likely", "high"} {
			if _, ok := a[k]; !ok {
				missing = append(missing, k)
			} else if _, ok := a[k].(json.Number); !ok {
				return fmt.Sprintf("%s must be a number", k)
			}
		}
		for _, k := range sortedKeys(a) {
			if k != "low" && k != "likely" && k != "high" {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			return fmt.Sprintf("a range has only low, likely and high, not %s", strings.Join(unknown, ", "))
		}
		if len(missing) > 0 {
			return fmt.Sprintf("a range needs low, likely and high; %s missing", strings.Join(missing, ", "))
		}
		return ""
	}
	return "an amount must be a number or a {\"low\", \"likely\", \"high\"} range"
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// suggestKey proposes the closest allowed key for a typo.
func suggestKey(k string, allowed map[string]reflect.Type) string {
	best, bestD := "", 3
	for a := range allowed {
		if d := EditDistance(k, a); d < bestD || (d == bestD && a < best) {
			best, bestD = a, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// EditDistance is the Levenshtein distance between a and b, in runes.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// EncodePortfolio writes p as indented JSON, the interchange form.
func EncodePortfolio(w io.Writer, p *Portfolio) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

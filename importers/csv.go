package importers

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"blockplan/model"
)

// table is one sheet of a workbook or one CSV file: a name and a way to go
// through its rows once.
type table struct {
	name string // as the file names it: the sheet name or the CSV file name
	// rows calls fn for every row, with the row number as a spreadsheet shows
	// it (1 is the header). cells is only valid during the call. A problem in
	// the file's structure is reported through add, not returned; the error is
	// for I/O or cancellation.
	rows func(ctx context.Context, add func(model.Problem), fn func(row int, cells []string) error) error
}

// decodeText turns the bytes of a CSV file into UTF-8. It strips a UTF-8 BOM,
// decodes UTF-16 with a BOM (Excel's "Unicode text"), and reads text that is
// not valid UTF-8 as Windows-1252 (what Excel on Windows writes as "CSV"; a
// superset of Latin-1), saying so in note. Binary data is refused.
func decodeText(data []byte) (text []byte, note string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
		if !utf8.Valid(data) {
			return nil, "", errors.New("the file starts with a UTF-8 mark but is not valid UTF-8: save it again as \"CSV UTF-8\"")
		}
		return data, "", nil
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(out) {
			return nil, "", errors.New("the file is UTF-16 text that cannot be decoded: save it again as \"CSV UTF-8\"")
		}
		if bytes.IndexByte(out, 0) >= 0 {
			return nil, "", errors.New("the file holds binary data, not CSV text")
		}
		return out, "", nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, "", errors.New("the file holds binary data, not CSV text (is it a spreadsheet saved with a .csv name?)")
	}
	if utf8.Valid(data) {
		return data, "", nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return nil, "", errors.New("the file is neither UTF-8 nor Windows-1252 text: save it again as \"CSV UTF-8\"")
	}
	// Bytes Windows-1252 leaves undefined come out as C1 controls or U+FFFD:
	// the text is in some other encoding; do not guess further.
	for _, r := range string(out) {
		if (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return nil, "", errors.New("the file is not UTF-8 and not Windows-1252/Latin-1 text: save it again as \"CSV UTF-8\"")
		}
	}
	return out, "the file is not UTF-8; it was read as Windows-1252 (Latin-1), as Excel writes \"CSV\" on Windows: check the accented letters, or save it as \"CSV UTF-8\"", nil
}

// sniffSeparator picks the separator from the header line: ',', ';' or a
// tab, whichever it uses. A header that uses more than one is refused:
// headers never contain them, so it is a mix-up.
func sniffSeparator(text []byte) (rune, error) {
	counts := map[rune]int{}
	inQuote := false
	for _, r := range string(text) {
		if r == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if r == '\n' || r == '\r' {
			if len(counts) > 0 {
				break
			}
			continue // leading blank lines
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	switch len(counts) {
	case 0:
		return ',', nil
	case 1:
		for r := range counts {
			return r, nil
		}
	}
	var found []string
	for _, r := range []rune{';', ',', '\t'} {
		if counts[r] > 0 {
			found = append(found, sepName(r))
		}
	}
	return 0, fmt.Errorf("the header row mixes separators (%s): use one separator, ',' or ';', throughout the file", strings.Join(found, " and "))
}

func sepName(r rune) string {
	if r == '\t' {
		return "tab"
	}
	return "'" + string(r) + "'"
}

// csvTable reads one CSV file held in memory.
func csvTable(name string, data []byte) table {
	return table{name: name, rows: func(ctx context.Context, add func(model.Problem), fn func(int, []string) error) error {
		fail := func(row int, code, msg string) {
			add(model.Problem{Severity: model.SeverityError, Code: code, Sheet: name, Row: row, Message: msg})
		}
		if int64(len(data)) > MaxCSVBytes {
			fail(0, "too-large", fmt.Sprintf("the file is larger than %d MiB", MaxCSVBytes>>20))
			return nil
		}
		text, note, err := decodeText(data)
		if err != nil {
			fail(0, "bad-encoding", err.Error())
			return nil
		}
		if note != "" {
			add(model.Problem{Severity: model.SeverityWarning, Code: "not-utf8", Sheet: name, Message: note})
		}
		sep, err := sniffSeparator(text)
		if err != nil {
			fail(1, "mixed-separators", err.Error())
			return nil
		}
		r := csv.NewReader(bytes.NewReader(text))
		r.Comma = sep
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		width := -1
		other := ','
		if sep == ',' {
			other = ';'
		}
		for row := 1; ; row++ {
			if row%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			rec, err := r.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				var pe *csv.ParseError
				msg := err.Error()
				if errors.As(err, &pe) {
					msg = fmt.Sprintf("the CSV is malformed at line %d, column %d: %v (a quote inside a cell must be doubled, and a cell holding the separator must be in quotes)", pe.Line, pe.Column, pe.Err)
				}
				fail(row, "bad-csv", msg)
				return nil
			}
			if row > MaxRows+1 {
				fail(row, "too-many-rows", fmt.Sprintf("the file has more than %d rows; split the portfolio", MaxRows))
				return nil
			}
			if width < 0 {
				width = len(rec)
			} else if len(rec) != width && !blankRecord(rec) {
				extra := rec[min(width, len(rec)):]
				if len(rec) > width && blankRecord(extra) {
					rec = rec[:width]
				} else {
					msg := fmt.Sprintf("this row has %d cells but the header has %d", len(rec), width)
					if strings.ContainsRune(strings.Join(rec, ""), other) {
						msg += fmt.Sprintf(": the file mixes separators (%s and %s); use one throughout", sepName(sep), sepName(other))
					} else {
						msg += ": a cell holding the separator must be in quotes"
					}
					fail(row, "bad-row-width", msg)
					continue
				}
			}
			if err := fn(row, rec); err != nil {
				return err
			}
		}
	}}
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if trimSpaces(c) != "" {
			return false
		}
	}
	return true
}

// csvInjectionGuard returns a text cell as written to CSV: one that a
// spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe,
// which unguard takes off again on import.
func csvInjectionGuard(s string) string {
	if needsGuard(s) || (strings.HasPrefix(s, "'") && needsGuard(s[1:])) {
		return "'" + s
	}
	return s
}

func needsGuard(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// unguard undoes csvInjectionGuard.
func unguard(s string) string {
	if strings.HasPrefix(s, "'") && (needsGuard(s[1:]) || strings.HasPrefix(s[1:], "'") && needsGuard(s[2:])) {
		return s[1:]
	}
	return s
}

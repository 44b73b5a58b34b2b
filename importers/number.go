package importers

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseNumber reads a number as an analyst types it in a spreadsheet or a
// CSV file, in English or French notation:
//
//	1234.5   1234,5   1 234,5   1 234.5   1,234.5   1.234,5   1'234.5   -12   1.5e6
//
// A space (also the no-break and thin spaces French Excel puts there) or an
// apostrophe groups thousands; where both '.' and ',' appear the last one is
// the decimal mark. A lone '.' is always a decimal point (that is how
// programs and Excel's raw values write numbers). A lone ',' is a decimal
// comma, unless it is followed by exactly three digits after one to three
// digits, as in "1,234": that is one thousand two hundred and thirty-four to
// an English reader and one point two three four to a French one, so it is
// refused with a message that says how to write either. Percentages are not
// numbers here: see ParseRate.
func ParseNumber(s string) (float64, error) {
	t := trimSpaces(s)
	if t == "" {
		return 0, fmt.Errorf("expected a number, found nothing")
	}
	if strings.HasSuffix(t, "%") {
		return 0, fmt.Errorf("%q is a percentage; this column takes a plain number", s)
	}
	return parseNumber(s, t)
}

// ParseRate reads a rate: a number (0.035) or a percentage ("3,5 %",
// "3.5%"), which is divided by 100.
func ParseRate(s string) (float64, error) {
	t := trimSpaces(s)
	if num, ok := strings.CutSuffix(t, "%"); ok {
		num = trimSpaces(num)
		if num == "" {
			return 0, fmt.Errorf("%q: expected a number before %%", s)
		}
		v, err := parseNumber(s, num)
		if err != nil {
			return 0, err
		}
		return v / 100, nil
	}
	if t == "" {
		return 0, fmt.Errorf("expected a rate, found nothing")
	}
	return parseNumber(s, t)
}

// ParseWhole reads a whole number (a year, a priority, a horizon): any form
// ParseNumber takes, with no fraction.
func ParseWhole(s string) (int, error) {
	v, err := ParseNumber(s)
	if err != nil {
		return 0, err
	}
	if v != math.Trunc(v) || math.Abs(v) > 1e9 {
		return 0, fmt.Errorf("%q: expected a whole number", s)
	}
	return int(v), nil
}

func isSpaceLike(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u202f', '\u2009', '\u2007', '\u200a':
		return true
	}
	return false
}

func trimSpaces(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return isSpaceLike(r) || r == '\n' || r == '\r' })
}

// parseNumber parses the trimmed text t; orig is what the cell held, for
// messages.
func parseNumber(orig, t string) (float64, error) {
	bad := func() (float64, error) {
		return 0, fmt.Errorf("%q is not a number: write it as 1234.5 or 1 234,5", clip(orig, 40))
	}
	neg := false
	switch {
	case strings.HasPrefix(t, "-"):
		neg, t = true, t[1:]
	case strings.HasPrefix(t, "\u2212"): // the minus sign of typeset text
		neg, t = true, t[len("\u2212"):]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	if t == "" {
		return bad()
	}
	// The plain form, with an optional exponent: what Excel stores.
	if plain(t) {
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is out of range", clip(orig, 40))
		}
		if neg {
			v = -v
		}
		return v, nil
	}
	// Grouped forms: digits, at most one kind of grouping mark and a decimal mark.
	lastDot, lastComma := strings.LastIndexByte(t, '.'), strings.LastIndexByte(t, ',')
	dec := byte(0)
	switch {
	case lastDot >= 0 && lastComma >= 0:
		dec = '.'
		if lastComma > lastDot {
			dec = ','
		}
	case lastComma >= 0 && strings.Count(t, ",") == 1:
		dec = ','
	case lastDot >= 0 && strings.Count(t, ".") == 1:
		dec = '.'
	}
	intPart, frac := t, ""
	if dec != 0 {
		i := strings.LastIndexByte(t, dec)
		intPart, frac = t[:i], t[i+1:]
		if !allDigits(frac) || frac == "" {
			return bad()
		}
	}
	// The integer part: either plain digits or groups of three after a first
	// group of one to three, all separated by the same mark.
	var sep rune
	var groups []string
	start := 0
	for i, r := range intPart {
		switch {
		case r >= '0' && r <= '9':
		case isSpaceLike(r) || r == '\'' || r == '’' || r == '.' || r == ',':
			if r == rune(dec) {
				return bad()
			}
			if sep == 0 {
				sep = r
			} else if !sameGroupMark(sep, r) {
				return bad()
			}
			groups = append(groups, intPart[start:i])
			start = i + utf8.RuneLen(r)
		default:
			return bad()
		}
	}
	groups = append(groups, intPart[start:])
	if len(groups) > 1 {
		if n := len(groups[0]); n < 1 || n > 3 {
			return 0, fmt.Errorf("%q: thousands are grouped by three digits; write it as 1234.5 or 1 234,5", clip(orig, 40))
		}
		for _, g := range groups[1:] {
			if len(g) != 3 || !allDigits(g) {
				return 0, fmt.Errorf("%q: thousands are grouped by three digits; write it as 1234.5 or 1 234,5", clip(orig, 40))
			}
		}
	} else if intPart != "" && !allDigits(intPart) {
		return bad()
	}
	if intPart == "" && frac == "" {
		return bad()
	}
	// "1,234": a lone comma before exactly three digits, with no other mark.
	if dec == ',' && sep == 0 && len(frac) == 3 && len(intPart) >= 1 && len(intPart) <= 3 && intPart != "0" && lastDot < 0 {
		return 0, fmt.Errorf("%q is ambiguous: is the comma a thousands separator (%s%s) or a decimal comma (%s.%s)? Write %s%s or %s %s for the whole number, %s.%s for the decimal",
			orig, intPart, frac, intPart, frac, intPart, frac, intPart, frac, intPart, frac)
	}
	digits := strings.Join(groups, "")
	if digits == "" {
		digits = "0"
	}
	if frac != "" {
		digits += "." + frac
	}
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is out of range", clip(orig, 40))
	}
	if neg {
		v = -v
	}
	return v, nil
}

// sameGroupMark treats the various spaces as one mark, and the two
// apostrophes as one.
func sameGroupMark(a, b rune) bool {
	switch {
	case a == b:
		return true
	case isSpaceLike(a) && isSpaceLike(b):
		return true
	case (a == '\'' || a == '’') && (b == '\'' || b == '’'):
		return true
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plain reports whether t is digits[.digits][e[+-]digits] (or .digits):
// strconv's decimal syntax without its extras (underscores, hex, inf, nan).
func plain(t string) bool {
	i, n := 0, len(t)
	d := 0
	for i < n && t[i] >= '0' && t[i] <= '9' {
		i++
		d++
	}
	if i < n && t[i] == '.' {
		i++
		for i < n && t[i] >= '0' && t[i] <= '9' {
			i++
			d++
		}
	}
	if d == 0 {
		return false
	}
	if i < n && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < n && (t[i] == '+' || t[i] == '-') {
			i++
		}
		e := 0
		for i < n && t[i] >= '0' && t[i] <= '9' {
			i++
			e++
		}
		if e == 0 {
			return false
		}
	}
	return i == n
}

// clip shortens s for a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// formatNumber writes v as ParseNumber reads it back exactly.
func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

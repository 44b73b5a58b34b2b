package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file is the one place where numbers become text. The cost model keeps
// amounts unrounded (float64); they are rounded here, for display only.

// Languages the reports are written in.
const (
	LangEN = "en"
	LangFR = "fr"
)

// NBSP is the no-break space that groups thousands and precedes % and the
// currency in French ("1 234,5 %"). A plain space would let a number break
// across two lines of a table; the narrow no-break space (U+202F) of CLDR is
// missing from many fonts, including some on ministry desktops.
const NBSP = "\u00a0"

// Dash is written for a figure that does not exist (a BCR with no cost, an
// IRR with no sign change, a payback beyond the plan).
const Dash = "—"

// NormalizeLang is "fr" for French and "en" for anything else that is empty
// or English; ok is false for a language the reports are not written in.
func NormalizeLang(lang string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(lang)) {
	case "", "en", "en-gb", "en-us", "english":
		return LangEN, true
	case "fr", "fr-fr", "fr-sn", "fr-ci", "français", "francais", "french":
		return LangFR, true
	}
	return LangEN, false
}

// FormatNumber writes v with the given number of decimals, grouped by
// thousands: "1,234.5" in English, "1 234,5" (no-break space) in French.
// Negative numbers take an ASCII minus so that pasting into a spreadsheet
// keeps the sign. NaN and infinities, which the model never gives for a
// valid portfolio, are written as Dash.
func FormatNumber(v float64, decimals int, lang string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Dash
	}
	decimals = max(decimals, 0)
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	neg := v < 0 && strings.Trim(s, "0.") != "" // no "-0"
	intPart, frac, _ := strings.Cut(s, ".")
	group, point := ",", "."
	if lang == LangFR {
		group, point = NBSP, ","
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// MoneyDecimals is the number of decimals money is shown with: none for
// amounts of 1,000 and more (every figure of a national plan), two below
// (the worked example, a cost per beneficiary).
func MoneyDecimals(v float64) int {
	if math.Abs(v) >= 1000 || v == math.Trunc(v) {
		return 0
	}
	return 2
}

// FormatMoney writes an amount with its currency: "XOF 1,234,567" in
// English, "1 234 567 XOF" in French. Decimals follow MoneyDecimals.
func FormatMoney(v float64, currency, lang string) string {
	n := FormatNumber(v, MoneyDecimals(v), lang)
	if currency == "" {
		return n
	}
	if lang == LangFR {
		return n + NBSP + currency
	}
	return currency + NBSP + n
}

// FormatPercent writes a ratio (0.125) as a percentage: "12.5%" in English,
// "12,5 %" in French.
func FormatPercent(ratio float64, decimals int, lang string) string {
	n := FormatNumber(ratio*100, decimals, lang)
	if n == Dash {
		return n
	}
	if lang == LangFR {
		return n + NBSP + "%"
	}
	return n + "%"
}

// FormatRatio writes a ratio such as a benefit–cost ratio with two decimals.
func FormatRatio(v float64, lang string) string { return FormatNumber(v, 2, lang) }

// FormatOptional writes *v with format, or Dash when the figure does not
// exist (nil).
func FormatOptional(v *float64, format func(float64) string) string {
	if v == nil {
		return Dash
	}
	return format(*v)
}

// FormatYear writes a year without grouping ("2026", never "2,026").
func FormatYear(y int) string { return strconv.Itoa(y) }

// FormatOptionalYear writes *y, or Dash.
func FormatOptionalYear(y *int) string {
	if y == nil {
		return Dash
	}
	return FormatYear(*y)
}

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// FormatDate writes a date as people read it: "15 January 2026",
// "15 janvier 2026" ("1er janvier 2026" on the first of a month).
func FormatDate(t time.Time, lang string) string {
	if lang == LangFR {
		day := strconv.Itoa(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return fmt.Sprintf("%s %s %d", day, monthsFR[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), t.Month(), t.Year())
}

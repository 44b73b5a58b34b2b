package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLabelsComplete: every key has an English and a French text, with the
// same format verbs.
func TestLabelsComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	for _, k := range LabelKeys() {
		l := labels[k]
		if strings.TrimSpace(l[0]) == "" || strings.TrimSpace(l[1]) == "" {
			t.Errorf("label %q lacks a language: %q", k, l)
		}
		en, fr := verbs.FindAllString(l[0], -1), verbs.FindAllString(l[1], -1)
		if strings.Join(en, " ") != strings.Join(fr, " ") {
			t.Errorf("label %q: English verbs %v, French %v", k, en, fr)
		}
	}
	if Label(LangFR, "savings") != "Économies" || Label(LangEN, "savings") != "Savings" {
		t.Error("Label does not pick the language")
	}
	if Label(LangFR, "no-such-key") != "no-such-key" {
		t.Error("an unknown key does not come back as itself")
	}
}

// TestLabelKeysUsedExist finds the keys the package's code names in calls
// and checks each is in the table.
func TestLabelKeysUsedExist(t *testing.T) {
	call := regexp.MustCompile(`\b(?:tr|trf|Label|Labelf|capital|capitalHead|moneyHead)\((?:[a-zA-Z.]+,\s*)?"([a-z][a-z0-9_-]*)"\s*[,)]`)
	money := regexp.MustCompile(`\.money\([a-z]+,\s*"([a-z][a-z0-9_]*)"`)
	files, _ := filepath.Glob("*.go")
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{call, money} {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				seen++
				if _, ok := labels[m[1]]; !ok {
					t.Errorf("%s uses label %q, which is not in the table", f, m[1])
				}
			}
		}
	}
	if seen < 100 {
		t.Errorf("found only %d label uses: the pattern is broken", seen)
	}
}

// TestEveryRenderedLabelExists renders every format in both languages and
// listens for keys Label does not know (keys held in tables of the code,
// which TestLabelKeysUsedExist cannot see).
func TestEveryRenderedLabelExists(t *testing.T) {
	var mu sync.Mutex
	missing := map[string]bool{}
	missingLabel = func(k string) { mu.Lock(); missing[k] = true; mu.Unlock() }
	defer func() { missingLabel = nil }()
	for _, lang := range []string{LangEN, LangFR} {
		for _, in := range []Input{demoInput(t, lang), workedInput(t, lang), hostileInput(t)} {
			in.Lang = lang
			var buf bytes.Buffer
			for _, f := range []func(*bytes.Buffer, Input) error{
				func(b *bytes.Buffer, in Input) error { return PDF(b, in) },
				func(b *bytes.Buffer, in Input) error { return Workbook(b, in) },
				func(b *bytes.Buffer, in Input) error { return HTML(b, in) },
				func(b *bytes.Buffer, in Input) error { return Archi(b, in) },
			} {
				buf.Reset()
				if err := f(&buf, in); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var keys []string
	for k := range missing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		t.Errorf("labels used but missing from the table: %v", keys)
	}
}

func TestFormatNumber(t *testing.T) {
	nb := NBSP
	tests := []struct {
		v    float64
		dec  int
		lang string
		want string
	}{
		{1234.5, 1, LangEN, "1,234.5"},
		{1234.5, 1, LangFR, "1" + nb + "234,5"},
		{0, 0, LangEN, "0"},
		{-0.0001, 2, LangEN, "0.00"},
		{-1234567.891, 2, LangFR, "-1" + nb + "234" + nb + "567,89"},
		{999.996, 2, LangEN, "1,000.00"},
		{12, 0, LangFR, "12"},
		{123456, 0, LangEN, "123,456"},
		{20857820448, 0, LangFR, "20" + nb + "857" + nb + "820" + nb + "448"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.v, tt.dec, tt.lang); got != tt.want {
			t.Errorf("FormatNumber(%v, %d, %s) = %q, want %q", tt.v, tt.dec, tt.lang, got, tt.want)
		}
	}
}

func TestFormatMoneyPercentDate(t *testing.T) {
	nb := NBSP
	for _, tt := range []struct{ got, want string }{
		{FormatMoney(1234567, "XOF", LangEN), "XOF" + nb + "1,234,567"},
		{FormatMoney(1234567, "XOF", LangFR), "1" + nb + "234" + nb + "567" + nb + "XOF"},
		{FormatMoney(402.789, "USD", LangEN), "USD" + nb + "402.79"},
		{FormatMoney(12, "", LangEN), "12"},
		{FormatPercent(0.125, 1, LangEN), "12.5%"},
		{FormatPercent(0.125, 1, LangFR), "12,5" + nb + "%"},
		{FormatRatio(1.3149, LangFR), "1,31"},
		{FormatOptional(nil, func(float64) string { return "x" }), Dash},
		{FormatOptionalYear(nil), Dash},
		{FormatDate(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), LangFR), "15 janvier 2026"},
		{FormatDate(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), LangFR), "1er mars 2026"},
		{FormatDate(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), LangEN), "15 January 2026"},
		{FormatCompact(2.5e9, LangFR), "2,5" + nb + "Md"},
		{FormatCompact(-250e6, LangEN), "-250m"},
		{FormatCompact(0, LangEN), "0"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if l, ok := NormalizeLang("FR"); l != LangFR || !ok {
		t.Error("NormalizeLang(FR)")
	}
	if _, ok := NormalizeLang("de"); ok {
		t.Error("NormalizeLang(de) accepted")
	}
}

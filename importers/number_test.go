package importers

import (
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	accept := []struct {
		in   string
		want float64
	}{
		{"1234.5", 1234.5},
		{"1234,5", 1234.5},
		{"1 234,5", 1234.5},
		{"1\u00a0234,5", 1234.5}, // no-break space, as French Excel writes
		{"1\u202f234,5", 1234.5}, // narrow no-break space
		{"1 234.5", 1234.5},
		{"1,234.5", 1234.5},
		{"1.234,5", 1234.5},
		{"1'234.5", 1234.5},
		{"1 234 567", 1234567},
		{"1,234,567", 1234567},
		{"1.234.567", 1234567},
		{"1,234,567.25", 1234567.25},
		{"1.234", 1.234}, // a lone point is a decimal point
		{"0,123", 0.123}, // no thousands group starts with 0
		{"1234,567", 1234.567},
		{"1,5", 1.5},
		{"12,3456", 12.3456},
		{",5", 0.5},
		{".5", 0.5},
		{"-12", -12},
		{"\u22123,5", -3.5},
		{"+7", 7},
		{"  42  ", 42},
		{"1.5e6", 1.5e6},
		{"2E-3", 0.002},
		{"0", 0},
		{"2026", 2026},
	}
	for _, tc := range accept {
		got, err := ParseNumber(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	refuse := []struct {
		in, msg string
	}{
		{"1,234", "ambiguous"},
		{"12,345", "ambiguous"},
		{"999,000", "ambiguous"},
		{"-1,234", "ambiguous"},
		{"1 23,5", "grouped by three"},
		{"12 34", "grouped by three"},
		{"1,23,456", "grouped by three"},
		{"1.234.56", "grouped by three"},
		{"1 234'567", "not a number"},
		{"1,2,3.4,5", "not a number"},
		{"abc", "not a number"},
		{"12abc", "not a number"},
		{"NaN", "not a number"},
		{"Inf", "not a number"},
		{"0x10", "not a number"},
		{"1_000", "not a number"},
		{"1e", "not a number"},
		{"--1", "not a number"},
		{"", "nothing"},
		{"3,5 %", "percentage"},
		{"1e400", "out of range"},
		{"1.", ""}, // accepted: see below
	}
	for _, tc := range refuse {
		got, err := ParseNumber(tc.in)
		if tc.msg == "" {
			if err != nil {
				t.Errorf("ParseNumber(%q): %v", tc.in, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseNumber(%q) = %v; want an error about %q", tc.in, got, tc.msg)
		} else if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseNumber(%q): %v; want it to say %q", tc.in, err, tc.msg)
		}
	}
}

func TestAmbiguousMessageSaysHowToWriteBoth(t *testing.T) {
	_, err := ParseNumber("1,234")
	if err == nil {
		t.Fatal("1,234 accepted")
	}
	for _, want := range []string{"1234", "1.234", "1 234"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not show %q", err, want)
		}
	}
}

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{{"3,5 %", 0.035}, {"3.5%", 0.035}, {"0.035", 0.035}, {"0,035", 0.035}, {"20 %", 0.2}, {"-1 %", -0.01}} {
		got, err := ParseRate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"%", "abc %", "3,5 %%", "1,234 %"} {
		if v, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) = %v; want an error", in, v)
		}
	}
}

func TestParseWhole(t *testing.T) {
	if n, err := ParseWhole("2 026"); err != nil || n != 2026 {
		t.Errorf("ParseWhole(2 026) = %v, %v", n, err)
	}
	if n, err := ParseWhole("2026.0"); err != nil || n != 2026 {
		t.Errorf("ParseWhole(2026.0) = %v, %v", n, err)
	}
	if _, err := ParseWhole("2026.5"); err == nil || !strings.Contains(err.Error(), "whole number") {
		t.Errorf("ParseWhole(2026.5): %v; want a whole-number error", err)
	}
}

func TestFormatNumberReadsBack(t *testing.T) {
	for _, v := range []float64{0, 1.234, 1234, 0.035, 1e15, 1e-7, 123456789.125, -3.5} {
		got, err := ParseNumber(formatNumber(v))
		if err != nil || got != v {
			t.Errorf("ParseNumber(formatNumber(%v)) = %v, %v", v, got, err)
		}
	}
}

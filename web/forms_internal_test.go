package web

import (
	"testing"

	"blockplan/importers"
)

// TestInputNumberReadsBack checks that what a form shows in a number box is
// read back as the same number, in both languages.
func TestInputNumberReadsBack(t *testing.T) {
	for _, x := range []float64{0, 7, 1234, 850000000, 1234.5, -5000, 0.035, 1e15, 12345678.125} {
		for _, lang := range languages {
			s := inputNumber(x, lang)
			got, err := importers.ParseNumber(s)
			if err != nil || got != x {
				t.Errorf("%v in %s is %q, read back as %v (%v)", x, lang, s, got, err)
			}
		}
	}
	if got := inputNumber(850000000, "fr"); got != "850 000 000" {
		t.Errorf("850000000 shown as %q", got)
	}
	if got := inputNumber(1234.5, "fr"); got != "1 234,5" {
		t.Errorf("1234.5 in French shown as %q", got)
	}
}

package importers

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"blockplan/model"
)

// Fuzz targets: go test -fuzz FuzzParseNumber ./importers (likewise
// FuzzReadCSV, FuzzReadXLSX). Seeds are in testdata/fuzz and below.

// FuzzParseNumber: never panics; what it accepts is finite, and a number it
// prints reads back the same.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1234.5", "1 234,5", "1,234.5", "1,234", "3,5 %", "-1.5e3", "1\u00a0234", "1'234.5", ",5", "1.234.567,89", "", "%", "\u2212", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("ParseNumber(%q) = %v", s, v)
		}
		if err == nil {
			back, err := ParseNumber(formatNumber(v))
			if err != nil || back != v {
				t.Fatalf("ParseNumber(%q) = %v, which reads back as %v, %v", s, v, back, err)
			}
		}
		if r, err := ParseRate(s); err == nil && (math.IsNaN(r) || math.IsInf(r, 0)) {
			t.Fatalf("ParseRate(%q) = %v", s, r)
		}
	})
}

// FuzzReadCSV: any bytes as a CSV file give problems or an error, never a
// panic, and problems always say where they are.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"id,name\nP1,x\n",
		"\ufeffid;name;goals\nP1;x;G1, G2\n",
		"id;name,name_fr\n",
		"id,start_year,own_build_cost_low,own_build_cost,own_build_cost_high\nP1,2026,1,\"1 234,5\",3\n",
		"id,name\n\"P1,\"x\"\n",
		"\xff\xfei\x00d\x00\n\x00",
		"id,name\nx,caf\xe9\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, ps, err := readBytes(t, data, "programmes.csv", Options{})
		checkOutcome(t, p, ps, err)
	})
}

// FuzzReadXLSX: any bytes as an .xlsx give problems or an error, never a
// panic. The seeds are real workbooks, so that mutations reach the parsers
// behind the zip.
func FuzzReadXLSX(f *testing.F) {
	var b bytes.Buffer
	small := &model.Portfolio{Format: model.Format, Goals: []model.Goal{{ID: "G1", Name: "Santé", SDGTargets: []string{"3.1"}}},
		Programmes: []model.Programme{{ID: "P1", Goals: []string{"G1"}, OwnBuildCost: model.Triangle(1, 2, 3), StartYear: ip(2026)}},
		Blocks:     []model.Block{{ID: "payments", BuildCost: model.Point(10)}}}
	if err := WriteWorkbook(&b, small, "fr"); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(workbook(f, sheet{"Programmes", [][]any{{"id", "goals", "beneficiaries"}, {"P1", "G1", "1,234"}}}))
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, ps, err := readBytes(t, data, "book.xlsx", Options{})
		checkOutcome(t, p, ps, err)
	})
}

func checkOutcome(t *testing.T, p *model.Portfolio, ps model.Problems, err error) {
	t.Helper()
	if err != nil {
		if model.ErrorCode(err) != model.EINVALID || strings.TrimSpace(model.ErrorMessage(err)) == "" {
			t.Fatalf("error %v (code %s); want EINVALID with a message", err, model.ErrorCode(err))
		}
		return
	}
	if p == nil && !ps.HasErrors() {
		t.Fatal("no portfolio, no error and no error problem")
	}
	for _, q := range ps {
		if q.Message == "" || q.Severity == "" || q.Code == "" {
			t.Fatalf("problem without message, severity or code: %+v", q)
		}
	}
	if len(ps) > DefaultMaxProblems+1 {
		t.Fatalf("%d problems beyond the cap", len(ps))
	}
}

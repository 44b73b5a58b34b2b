package importers

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"blockplan/catalog"
	"blockplan/model"
)

// readBytes imports data as a file called name.
func readBytes(t testing.TB, data []byte, name string, opt Options) (*model.Portfolio, model.Problems, error) {
	t.Helper()
	return Read(context.Background(), bytes.NewReader(data), int64(len(data)), name, opt)
}

// mustImport imports data and fails the test on an error or an
// error-severity problem.
func mustImport(t testing.TB, data []byte, name string) *model.Portfolio {
	t.Helper()
	p, ps, err := readBytes(t, data, name, Options{})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	if ps.HasErrors() {
		t.Fatalf("import %s: problems:\n%s", name, problemText(ps))
	}
	return p
}

func problemText(ps model.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteString("\n")
	}
	return b.String()
}

func jsonOf(t testing.TB, p *model.Portfolio) string {
	t.Helper()
	var b bytes.Buffer
	if err := model.EncodePortfolio(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func loadJSON(t testing.TB, path string) *model.Portfolio {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := model.DecodePortfolio(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sheet is a sheet's rows for building test workbooks.
type sheet struct {
	name string
	rows [][]any
}

// workbook builds an .xlsx with the given sheets, in order.
func workbook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipOf builds a zip archive of the named files.
func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// find is the first problem with code, or fails.
func find(t testing.TB, ps model.Problems, code string) model.Problem {
	t.Helper()
	for _, p := range ps {
		if p.Code == code {
			return p
		}
	}
	t.Fatalf("no %q problem among:\n%s", code, problemText(ps))
	return model.Problem{}
}

func errorCodes(ps model.Problems) []string {
	var out []string
	for _, p := range ps.Errors() {
		out = append(out, p.Code)
	}
	return out
}

func testRef() *catalog.Catalog { return catalog.Default() }

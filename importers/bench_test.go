package importers

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"blockplan/model"
)

var (
	bigOnce sync.Once
	bigBook []byte
)

// bigPortfolio is the benchmark's portfolio: 20,000 programmes over 60
// blocks, 16 workflows and 40 use cases.
func bigPortfolio() *model.Portfolio { return model.Synthetic(20_000, 60, 16, 40, 5, 1) }

func bigWorkbook(b testing.TB) []byte {
	bigOnce.Do(func() {
		var buf bytes.Buffer
		if err := WriteWorkbook(&buf, bigPortfolio(), "en"); err != nil {
			b.Fatal(err)
		}
		bigBook = buf.Bytes()
	})
	return bigBook
}

// BenchmarkImport20k imports a 20,000-programme workbook (the issue's
// target: under 5 s and 500 MB).
func BenchmarkImport20k(b *testing.B) {
	data := bigWorkbook(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		p, ps, err := Read(context.Background(), bytes.NewReader(data), int64(len(data)), "big.xlsx", Options{})
		if err != nil || ps.HasErrors() || len(p.Programmes) != 20_000 {
			b.Fatalf("import: %v %v", err, ps.Errors())
		}
	}
}

// BenchmarkWriteWorkbook20k writes the same workbook.
func BenchmarkWriteWorkbook20k(b *testing.B) {
	p := bigPortfolio()
	b.ReportAllocs()
	for range b.N {
		var buf bytes.Buffer
		if err := WriteWorkbook(&buf, p, "en"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestImportFile imports the workbook named by $BLOCKPLAN_IMPORT_FILE and
// nothing else, so that a test binary run under /usr/bin/time -v measures
// the import's peak memory alone:
//
//	BLOCKPLAN_WRITE_FILE=/tmp/big.xlsx go test -run TestWriteBigFile ./importers
//	go test -c -o /tmp/imp.test ./importers
//	BLOCKPLAN_IMPORT_FILE=/tmp/big.xlsx /usr/bin/time -v /tmp/imp.test -test.run TestImportFile
func TestImportFile(t *testing.T) {
	path := os.Getenv("BLOCKPLAN_IMPORT_FILE")
	if path == "" {
		t.Skip("set BLOCKPLAN_IMPORT_FILE")
	}
	p, ps, err := Load(context.Background(), path, Options{})
	if err != nil || ps.HasErrors() {
		t.Fatalf("%v\n%s", err, problemText(ps))
	}
	t.Logf("%d programmes", len(p.Programmes))
}

// TestWriteBigFile writes the benchmark's workbook to $BLOCKPLAN_WRITE_FILE.
func TestWriteBigFile(t *testing.T) {
	path := os.Getenv("BLOCKPLAN_WRITE_FILE")
	if path == "" {
		t.Skip("set BLOCKPLAN_WRITE_FILE")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bigWorkbook(t), 0o644); err != nil {
		t.Fatal(err)
	}
}

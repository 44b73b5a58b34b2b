package model_test

import (
	"bytes"
	"testing"

	"blockplan/catalog"
	. "blockplan/model"
)

// BenchmarkLoadValidate5000 decodes and validates a 5,000-programme
// portfolio (40 blocks, 60 workflows, 300 use cases, 10 years): the
// foundation issue's goal is under 300 ms.
func BenchmarkLoadValidate5000(b *testing.B) {
	var buf bytes.Buffer
	if err := EncodePortfolio(&buf, Synthetic(5000, 40, 60, 300, 10, 1)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := DecodePortfolioBytes(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, ps := Resolve(p, catalog.Default()); ps.HasErrors() {
			b.Fatal(ps.Errors()[0])
		}
	}
}

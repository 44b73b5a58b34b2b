package sqlite

import (
	"context"
	"fmt"
	"testing"

	"blockplan/model"
)

// The benchmarks save and load a portfolio of 5,000 programmes (with 70
// blocks, 35 workflows, 130 use cases and 55 goals: about 5,300 entities).

const benchProgrammes = 5000

func entityCount(p *model.Portfolio) int {
	return len(p.Agencies) + len(p.Goals) + len(p.Programmes) + len(p.UseCases) + len(p.Workflows) + len(p.Blocks)
}

func BenchmarkSavePortfolio(b *testing.B) {
	ctx := context.Background()
	b.Run("create", func(b *testing.B) {
		db := openTest(b)
		p := genPortfolio("bench", benchProgrammes, 1)
		i := 0
		for b.Loop() {
			p.ID = fmt.Sprintf("bench-%d", i)
			i++
			if _, err := db.SavePortfolio(ctx, p, model.SaveOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(entityCount(p)), "entities")
	})
	b.Run("replace-all-changed", func(b *testing.B) {
		db := openTest(b)
		ps := []*model.Portfolio{genPortfolio("bench", benchProgrammes, 1), genPortfolio("bench", benchProgrammes, 2)}
		mustSave(b, db, ps[1], model.SaveOptions{})
		i := 0
		for b.Loop() {
			if _, err := db.SavePortfolio(ctx, ps[i%2], model.SaveOptions{Replace: true}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("replace-unchanged", func(b *testing.B) {
		db := openTest(b)
		p := genPortfolio("bench", benchProgrammes, 1)
		mustSave(b, db, p, model.SaveOptions{})
		for b.Loop() {
			if _, err := db.SavePortfolio(ctx, p, model.SaveOptions{Replace: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGetPortfolio(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	mustSave(b, db, genPortfolio("bench", benchProgrammes, 1), model.SaveOptions{})
	for b.Loop() {
		p, _, err := db.GetPortfolio(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Programmes) != benchProgrammes {
			b.Fatalf("%d programmes", len(p.Programmes))
		}
	}
}

func BenchmarkPutEntity(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	mustSave(b, db, genPortfolio("bench", benchProgrammes, 1), model.SaveOptions{})
	version := 1
	i := 0
	for b.Loop() {
		data := fmt.Appendf(nil, `{"name": "edit %d", "goals": ["G1"], "own_build_cost": 5}`, i)
		i++
		v, err := db.PutEntity(ctx, "bench", model.KindProgramme, "P2500", data, version)
		if err != nil {
			b.Fatal(err)
		}
		version = v
	}
}

package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"blockplan/model"
)

// openTest opens a fresh database file in t's temporary folder.
func openTest(t testing.TB) *DB {
	t.Helper()
	return openPath(t, filepath.Join(t.TempDir(), "blockplan.db"))
}

func openPath(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// richPortfolio is testdata/rich.json: ranges, pointers to zero values,
// lists given empty, lists left out, an empty top-level list, entities out of
// id order, text that needs escaping.
func richPortfolio(t testing.TB) (*model.Portfolio, []byte) {
	t.Helper()
	doc, err := os.ReadFile("testdata/rich.json")
	if err != nil {
		t.Fatal(err)
	}
	var p model.Portfolio
	if err := decodeStrict(doc, &p); err != nil {
		t.Fatalf("decode rich.json: %v", err)
	}
	return &p, doc
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustSave(t testing.TB, db *DB, p *model.Portfolio, opt model.SaveOptions) model.PortfolioInfo {
	t.Helper()
	info, err := db.SavePortfolio(context.Background(), p, opt)
	if err != nil {
		t.Fatalf("SavePortfolio(%s): %v", p.ID, err)
	}
	return info
}

func mustGet(t testing.TB, db *DB, id string) (*model.Portfolio, model.PortfolioInfo) {
	t.Helper()
	p, info, err := db.GetPortfolio(context.Background(), id)
	if err != nil {
		t.Fatalf("GetPortfolio(%s): %v", id, err)
	}
	return p, info
}

// wantCode fails t unless err carries the domain error code want.
func wantCode(t testing.TB, err error, want string) {
	t.Helper()
	if got := model.ErrorCode(err); got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
}

// genPortfolio makes a synthetic portfolio with n programmes. Every name
// carries gen, so that a reader can tell whether all of a portfolio comes
// from the same save.
func genPortfolio(id string, n, gen int) *model.Portfolio {
	ip := func(v int) *int { return &v }
	fp := func(v float64) *float64 { return &v }
	nBlocks, nWorkflows, nUseCases, nGoals := 20+n/100, 10+n/200, 30+n/50, 5+n/100
	p := &model.Portfolio{
		Format: model.Format, ID: id, Name: fmt.Sprintf("%s gen %d", id, gen), Country: "SEN", Currency: "USD",
		Settings: model.Settings{StartYear: ip(2026), HorizonYears: ip(10), DiscountRate: fp(0.035), OptimismBias: fp(0.2)},
		Agencies: []model.Agency{{ID: "moh", Name: fmt.Sprintf("Health gen %d", gen)}, {ID: "mosa", Name: fmt.Sprintf("Social gen %d", gen)}},
	}
	for i := range nGoals {
		p.Goals = append(p.Goals, model.Goal{ID: fmt.Sprintf("G%d", i), Name: fmt.Sprintf("Goal %d gen %d", i, gen),
			SDGTargets: []string{"3.2", "1.3"}, Priority: ip(i%3 + 1)})
	}
	for i := range nBlocks {
		b := model.Block{ID: fmt.Sprintf("B%d", i), Name: fmt.Sprintf("Block %d gen %d", i, gen),
			BuildCost: model.Triangle(80000, 100000+float64(i), 150000), AnnualRunCost: model.Point(20000),
			IntegrationCost: model.Point(5000)}
		if i%4 == 0 {
			b.Status = model.StatusExisting
		}
		p.Blocks = append(p.Blocks, b)
	}
	for i := range nWorkflows {
		p.Workflows = append(p.Workflows, model.Workflow{ID: fmt.Sprintf("W%d", i), Name: fmt.Sprintf("Workflow %d gen %d", i, gen),
			Blocks: []string{fmt.Sprintf("B%d", i%nBlocks), fmt.Sprintf("B%d", (i*7+1)%nBlocks)}})
	}
	for i := range nUseCases {
		p.UseCases = append(p.UseCases, model.UseCase{ID: fmt.Sprintf("U%d", i), Name: fmt.Sprintf("Use case %d gen %d", i, gen),
			SDGTargets: []string{"3.1"}, Workflows: []string{fmt.Sprintf("W%d", i%nWorkflows)}, Blocks: []string{}})
	}
	for i := range n {
		p.Programmes = append(p.Programmes, model.Programme{
			ID: fmt.Sprintf("P%d", i), Name: fmt.Sprintf("Programme %d gen %d", i, gen), Agency: []string{"moh", "mosa"}[i%2],
			Goals: []string{fmt.Sprintf("G%d", i%nGoals)}, UseCases: []string{fmt.Sprintf("U%d", i%nUseCases), fmt.Sprintf("U%d", (i+3)%nUseCases)},
			StartYear: ip(2026 + i%5), Beneficiaries: fp(float64(1000 * (i + 1))),
			OwnBuildCost: model.Point(float64(10000 + i)), AnnualBenefit: model.Triangle(1000, 2000, 4000),
		})
	}
	return p
}

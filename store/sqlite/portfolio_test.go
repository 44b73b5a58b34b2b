package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"blockplan/model"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	db := openTest(t)
	p, doc := richPortfolio(t)
	want := mustJSON(t, p)

	info := mustSave(t, db, p, model.SaveOptions{})
	if info.ID != "sen-2026" || info.Version != 1 || info.Programmes != 3 || info.Blocks != 3 || info.CreatedAt.IsZero() {
		t.Errorf("save info = %+v", info)
	}
	got, gotInfo := mustGet(t, db, "sen-2026")
	if b := mustJSON(t, got); !bytes.Equal(b, want) {
		t.Errorf("loaded portfolio differs from the saved one:\n got %s\nwant %s", b, want)
	}
	if diff := cmp.Diff(info, gotInfo); diff != "" {
		t.Errorf("GetPortfolio info differs from SavePortfolio's (-save +get):\n%s", diff)
	}

	// And the export is the document given, up to key order and spacing.
	var gotDoc, wantDoc any
	if err := json.Unmarshal(mustJSON(t, got), &gotDoc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc, &wantDoc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantDoc, gotDoc); diff != "" {
		t.Errorf("export differs from the imported document (-doc +export):\n%s", diff)
	}

	// Spot checks of what is easiest to lose.
	if got.NameFR != "Plan national d’investissement numérique 2026–2030" {
		t.Errorf("name_fr, kept in the head, came back as %q", got.NameFR)
	}
	if gotInfo.NameFR != got.NameFR {
		t.Errorf("GetPortfolio info name_fr = %q, want %q", gotInfo.NameFR, got.NameFR)
	}
	if infos, err := db.ListPortfolios(context.Background()); err != nil || len(infos) != 1 || infos[0].NameFR != got.NameFR {
		t.Errorf("ListPortfolios = %+v, %v; want name_fr %q", infos, err, got.NameFR)
	}
	if got.Workflows == nil || len(got.Workflows) != 0 {
		t.Errorf("workflows given as [] came back as %#v", got.Workflows)
	}
	if got.Programmes[0].Blocks == nil || got.Programmes[1].Goals == nil || got.Programmes[2].Goals != nil {
		t.Errorf("empty and missing lists mixed up: %#v", got.Programmes)
	}
	if got.Goals[2].Priority == nil || *got.Goals[2].Priority != 0 || got.Programmes[0].Beneficiaries == nil {
		t.Errorf("pointers to zero values lost: %#v %#v", got.Goals[2], got.Programmes[0])
	}
	if a := got.Programmes[0].AnnualBenefit; !a.Range || !a.Set {
		t.Errorf("a range with equal bounds came back as %+v", a)
	}
	if ids := []string{got.Programmes[0].ID, got.Programmes[1].ID, got.Programmes[2].ID}; ids[0] != "P2" || ids[1] != "P1" || ids[2] != "P10" {
		t.Errorf("programme order = %v, want the document's [P2 P1 P10]", ids)
	}
}

func TestRoundTripOfEmptyAndMinimalPortfolios(t *testing.T) {
	db := openTest(t)
	for _, p := range []*model.Portfolio{
		{ID: "bare"},
		{Format: model.Format, ID: "empty-lists", Agencies: []model.Agency{}, Goals: []model.Goal{},
			Programmes: []model.Programme{}, UseCases: []model.UseCase{}, Workflows: []model.Workflow{}, Blocks: []model.Block{}},
		genPortfolio("generated", 50, 3),
	} {
		t.Run(p.ID, func(t *testing.T) {
			want := mustJSON(t, p)
			mustSave(t, db, p, model.SaveOptions{})
			got, _ := mustGet(t, db, p.ID)
			if b := mustJSON(t, got); !bytes.Equal(b, want) {
				t.Errorf("round trip:\n got %s\nwant %s", b, want)
			}
		})
	}
}

func TestSeveralPortfolios(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	list, err := db.ListPortfolios(ctx)
	if err != nil || list == nil || len(list) != 0 {
		t.Fatalf("ListPortfolios on an empty database = %#v, %v; want an empty list", list, err)
	}
	for _, tc := range []struct {
		id string
		n  int
	}{{"tgo", 2}, {"ben", 5}, {"sen", 1}} {
		mustSave(t, db, genPortfolio(tc.id, tc.n, 1), model.SaveOptions{})
	}
	list, err = db.ListPortfolios(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, info := range list {
		got = append(got, fmt.Sprintf("%s:%d:%d:v%d", info.ID, info.Programmes, info.Blocks, info.Version))
		if info.Name != info.ID+" gen 1" || info.Country != "SEN" || info.Currency != "USD" || info.CreatedAt.IsZero() {
			t.Errorf("info = %+v", info)
		}
	}
	if want := []string{"ben:5:20:v1", "sen:1:20:v1", "tgo:2:20:v1"}; !cmp.Equal(got, want) {
		t.Errorf("ListPortfolios = %v, want %v", got, want)
	}
	for _, id := range []string{"tgo", "ben", "sen"} {
		p, _ := mustGet(t, db, id)
		if p.ID != id || p.Name != id+" gen 1" {
			t.Errorf("GetPortfolio(%s) gave %s %q", id, p.ID, p.Name)
		}
	}
	_, _, err = db.GetPortfolio(ctx, "nowhere")
	wantCode(t, err, model.ENOTFOUND)
}

func TestSaveConflictAndReplace(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	clock := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	db.now = func() time.Time { return clock }

	first := genPortfolio("sen-2026", 4, 1)
	mustSave(t, db, first, model.SaveOptions{})
	_, v1, err := db.EntityVersions(ctx, "sen-2026")
	if err != nil {
		t.Fatal(err)
	}

	second := genPortfolio("sen-2026", 4, 2)
	_, err = db.SavePortfolio(ctx, second, model.SaveOptions{})
	wantCode(t, err, model.ECONFLICT)
	if msg := model.ErrorMessage(err); msg != "portfolio sen-2026 already exists; use --replace" {
		t.Errorf("conflict message = %q", msg)
	}
	if got, _ := mustGet(t, db, "sen-2026"); !bytes.Equal(mustJSON(t, got), mustJSON(t, first)) {
		t.Error("a refused save changed the stored portfolio")
	}

	// Replace with: P0 unchanged, P1 changed, P2 dropped, P3 moved first,
	// P9 new; blocks unchanged.
	clock = clock.Add(time.Hour)
	third := genPortfolio("sen-2026", 4, 1)
	third.Programmes[1].Name = "renamed"
	third.Programmes = []model.Programme{third.Programmes[3], third.Programmes[0], third.Programmes[1],
		{ID: "P9", Name: "new"}}
	info := mustSave(t, db, third, model.SaveOptions{Replace: true})
	if info.Version != 2 || !info.UpdatedAt.Equal(clock) || !info.CreatedAt.Equal(clock.Add(-time.Hour)) || info.Programmes != 4 {
		t.Errorf("replace info = %+v", info)
	}
	got, gotInfo := mustGet(t, db, "sen-2026")
	if !bytes.Equal(mustJSON(t, got), mustJSON(t, third)) {
		t.Errorf("after replace:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, third))
	}
	if gotInfo.Version != 2 || !gotInfo.UpdatedAt.Equal(clock) {
		t.Errorf("info after replace = %+v", gotInfo)
	}

	// Entities whose JSON did not change keep their version.
	pv, v2, err := db.EntityVersions(ctx, "sen-2026")
	if err != nil {
		t.Fatal(err)
	}
	key := func(id string) model.EntityKey { return model.EntityKey{Kind: model.KindProgramme, ID: id} }
	for id, want := range map[string]int{"P0": 1, "P3": 1, "P1": 2, "P9": 2} {
		if v2[key(id)] != want {
			t.Errorf("version of %s = %d, want %d", id, v2[key(id)], want)
		}
	}
	if _, ok := v2[key("P2")]; ok {
		t.Error("P2, dropped by the replace, is still stored")
	}
	if pv != 2 || len(v2) != len(v1) || v2[model.EntityKey{Kind: model.KindBlock, ID: "B0"}] != 1 {
		t.Errorf("portfolio version %d, %d entities (was %d)", pv, len(v2), len(v1))
	}
}

func TestSaveExpectVersion(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("a", 1, 1), model.SaveOptions{})
	mustSave(t, db, genPortfolio("a", 1, 2), model.SaveOptions{Replace: true}) // now at version 2

	for _, tc := range []struct {
		name     string
		id       string
		opt      model.SaveOptions
		wantCode string
		wantVer  int
	}{
		{"stale", "a", model.SaveOptions{Replace: true, ExpectVersion: 1}, model.ECONFLICT, 0},
		{"ahead", "a", model.SaveOptions{Replace: true, ExpectVersion: 3}, model.ECONFLICT, 0},
		{"missing", "b", model.SaveOptions{Replace: true, ExpectVersion: 1}, model.ECONFLICT, 0},
		{"negative", "a", model.SaveOptions{Replace: true, ExpectVersion: -1}, model.EINVALID, 0},
		{"no replace", "a", model.SaveOptions{ExpectVersion: 2}, model.ECONFLICT, 0},
		{"current", "a", model.SaveOptions{Replace: true, ExpectVersion: 2}, "", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := db.SavePortfolio(ctx, genPortfolio(tc.id, 1, 9), tc.opt)
			wantCode(t, err, tc.wantCode)
			if info.Version != tc.wantVer {
				t.Errorf("version = %d, want %d", info.Version, tc.wantVer)
			}
		})
	}
	if _, _, err := db.GetPortfolio(ctx, "b"); model.ErrorCode(err) != model.ENOTFOUND {
		t.Errorf("a refused save created portfolio b: %v", err)
	}
}

func TestSaveRefusesBadPortfolios(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	dup := genPortfolio("dup", 3, 1)
	dup.Programmes = append(dup.Programmes, dup.Programmes[0])
	dup.Blocks = append(dup.Blocks, model.Block{})
	_, err := db.SavePortfolio(ctx, dup, model.SaveOptions{})
	wantCode(t, err, model.EINVALID)
	if ps := model.ErrorDetails(err); len(ps) != 2 || ps[0].Code != "duplicate_id" || ps[0].ID != "P0" || ps[1].Code != "missing_id" {
		t.Errorf("problems = %+v, want a duplicate P0 and a block without id", ps)
	}

	_, err = db.SavePortfolio(ctx, &model.Portfolio{}, model.SaveOptions{})
	wantCode(t, err, model.EINVALID)
	_, err = db.SavePortfolio(ctx, nil, model.SaveOptions{})
	wantCode(t, err, model.EINVALID)

	list, err := db.ListPortfolios(ctx)
	if err != nil || len(list) != 0 {
		t.Errorf("refused saves left %v, %v", list, err)
	}
}

// A save that fails inside its transaction leaves the previous state
// exactly as it was: nothing is half written.
func TestFailedSaveLeavesPreviousState(t *testing.T) {
	ctx := context.Background()
	for _, point := range []string{"portfolio row", "half the entities"} {
		for _, how := range []string{"error", "cancel"} {
			t.Run(point+"/"+how, func(t *testing.T) {
				db := openTest(t)
				before := genPortfolio("kept", 200, 1)
				mustSave(t, db, before, model.SaveOptions{})
				wantBefore := mustJSON(t, before)
				_, versionsBefore, err := db.EntityVersions(ctx, "kept")
				if err != nil {
					t.Fatal(err)
				}

				sctx, cancel := context.WithCancel(ctx)
				defer cancel()
				injected := errors.New("injected failure")
				db.failAfter = func(p string) error {
					if p != point {
						return nil
					}
					if how == "cancel" {
						cancel()
						return nil
					}
					return injected
				}
				after := genPortfolio("kept", 150, 2)
				after.Blocks = after.Blocks[:3]
				_, err = db.SavePortfolio(sctx, after, model.SaveOptions{Replace: true})
				if err == nil {
					t.Fatal("the save did not fail")
				}
				_, err = db.SavePortfolio(sctx, genPortfolio("new", 10, 1), model.SaveOptions{})
				if err == nil {
					t.Fatal("the save of a new portfolio did not fail")
				}
				db.failAfter = nil

				got, info := mustGet(t, db, "kept")
				if !bytes.Equal(mustJSON(t, got), wantBefore) || info.Version != 1 {
					t.Errorf("after a failed save: version %d, portfolio changed: %v", info.Version, !bytes.Equal(mustJSON(t, got), wantBefore))
				}
				_, versionsAfter, err := db.EntityVersions(ctx, "kept")
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(versionsBefore, versionsAfter); diff != "" {
					t.Errorf("entity versions changed (-before +after):\n%s", diff)
				}
				_, _, err = db.GetPortfolio(ctx, "new")
				wantCode(t, err, model.ENOTFOUND)
				var n int
				if err := db.ro.QueryRow(`SELECT count(*) FROM entities`).Scan(&n); err != nil || n != len(versionsBefore) {
					t.Errorf("%d entity rows stored (%v), want %d", n, err, len(versionsBefore))
				}
			})
		}
	}
}

func TestDeleteCascades(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("gone", 10, 1), model.SaveOptions{})
	mustSave(t, db, genPortfolio("kept", 10, 1), model.SaveOptions{})
	count := func() (n int) {
		t.Helper()
		if err := db.ro.QueryRow(`SELECT count(*) FROM entities`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	all := count()

	if err := db.DeletePortfolio(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != all/2 {
		t.Errorf("%d entity rows after deleting one of two equal portfolios, want %d", got, all/2)
	}
	_, _, err := db.GetPortfolio(ctx, "gone")
	wantCode(t, err, model.ENOTFOUND)
	wantCode(t, db.DeletePortfolio(ctx, "gone"), model.ENOTFOUND)
	if p, _ := mustGet(t, db, "kept"); len(p.Programmes) != 10 {
		t.Errorf("the other portfolio lost programmes: %d", len(p.Programmes))
	}
	// The id is free again.
	if info := mustSave(t, db, genPortfolio("gone", 1, 2), model.SaveOptions{}); info.Version != 1 {
		t.Errorf("recreated portfolio at version %d", info.Version)
	}
}

func TestConcurrentSaves(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	const writers, saves = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers*saves)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range saves {
				// Each writer replaces its own portfolio and the shared one.
				own := genPortfolio(fmt.Sprintf("w%d", w), 30, s)
				if _, err := db.SavePortfolio(ctx, own, model.SaveOptions{Replace: true}); err != nil {
					errs <- fmt.Errorf("writer %d save %d: %w", w, s, err)
				}
				shared := genPortfolio("shared", 30, w*100+s)
				if _, err := db.SavePortfolio(ctx, shared, model.SaveOptions{Replace: true}); err != nil {
					errs <- fmt.Errorf("writer %d shared save %d: %w", w, s, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := db.ListPortfolios(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != writers+1 {
		t.Fatalf("%d portfolios, want %d", len(list), writers+1)
	}
	for _, info := range list {
		want := saves
		if info.ID == "shared" {
			want = writers * saves
		}
		if info.Version != want {
			t.Errorf("%s at version %d, want %d", info.ID, info.Version, want)
		}
		p, _ := mustGet(t, db, info.ID)
		checkOneGeneration(t, p)
	}
}

// checkOneGeneration fails t unless every name in p carries the same
// generation as p's own name: all of p comes from one save.
func checkOneGeneration(t *testing.T, p *model.Portfolio) {
	t.Helper()
	_, gen, ok := strings.Cut(p.Name, " gen ")
	if !ok {
		t.Fatalf("portfolio %s has name %q", p.ID, p.Name)
	}
	suffix := " gen " + gen
	var names []string
	for _, e := range p.Programmes {
		names = append(names, e.Name)
	}
	for _, e := range p.Blocks {
		names = append(names, e.Name)
	}
	for _, e := range p.Goals {
		names = append(names, e.Name)
	}
	for _, n := range names {
		if !strings.HasSuffix(n, suffix) {
			t.Errorf("portfolio %s (%s) holds %q from another save", p.ID, p.Name, n)
			return
		}
	}
}

// Readers do not wait for a writer: while a write transaction is open,
// GetPortfolio and ListPortfolios answer at once with the last committed
// state.
func TestReadsDoNotWaitForWriters(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("a", 10, 1), model.SaveOptions{})
	tx, err := db.rw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE portfolios SET name = 'uncommitted'`); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	start := time.Now()
	p, _, err := db.GetPortfolio(rctx, "a")
	if err != nil {
		t.Fatalf("GetPortfolio during a write: %v", err)
	}
	if _, err := db.ListPortfolios(rctx); err != nil {
		t.Fatalf("ListPortfolios during a write: %v", err)
	}
	if p.Name != "a gen 1" {
		t.Errorf("read %q, want the committed name", p.Name)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("reads took %v while a writer held the lock", d)
	}
}

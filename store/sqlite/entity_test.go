package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"blockplan/model"
)

func programmeIDs(p *model.Portfolio) []string {
	var ids []string
	for _, e := range p.Programmes {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestPutAndDeleteEntity(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("a", 3, 1), model.SaveOptions{}) // P0 P1 P2, all at version 1
	const prog = model.KindProgramme
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }

	// Create: version 0 means "must not exist".
	v, err := db.PutEntity(ctx, "a", prog, "P9", raw(`{"id": "P9", "name": "new", "own_build_cost": {"low": 1, "likely": 2, "high": 3}}`), 0)
	if err != nil || v != 2 {
		t.Fatalf("create P9 = %d, %v; want version 2", v, err)
	}
	_, err = db.PutEntity(ctx, "a", prog, "P9", raw(`{"name": "again"}`), 0)
	wantCode(t, err, model.ECONFLICT)

	// Update: the stored version must be the one given.
	_, err = db.PutEntity(ctx, "a", prog, "P1", raw(`{"name": "stale"}`), 2)
	wantCode(t, err, model.ECONFLICT)
	v, err = db.PutEntity(ctx, "a", prog, "P1", raw(`{"name": "edited"}`), 1)
	if err != nil || v != 3 {
		t.Fatalf("update P1 = %d, %v; want version 3", v, err)
	}
	_, err = db.PutEntity(ctx, "a", prog, "P1", raw(`{"name": "lost update"}`), 1)
	wantCode(t, err, model.ECONFLICT)

	// An edit that changes nothing keeps the versions.
	v, err = db.PutEntity(ctx, "a", prog, "P1", raw(`{"id": "P1", "name": "edited"}`), 3)
	if err != nil || v != 3 {
		t.Fatalf("no-op update P1 = %d, %v; want version 3", v, err)
	}

	// Delete.
	wantCode(t, db.DeleteEntity(ctx, "a", prog, "P0", 2), model.ECONFLICT)
	wantCode(t, db.DeleteEntity(ctx, "a", prog, "P0", 0), model.EINVALID)
	if err := db.DeleteEntity(ctx, "a", prog, "P0", 1); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.DeleteEntity(ctx, "a", prog, "P0", 1), model.ENOTFOUND)
	_, err = db.PutEntity(ctx, "a", prog, "P0", raw(`{"name": "gone"}`), 1)
	wantCode(t, err, model.ENOTFOUND)

	// Bad input.
	for name, tc := range map[string]struct {
		portfolio, kind, id string
		data                string
		want                string
	}{
		"unknown field":   {"a", prog, "P1", `{"name": "x", "buid_cost": 1}`, model.EINVALID},
		"not an object":   {"a", prog, "P1", `["x"]`, model.EINVALID},
		"trailing data":   {"a", prog, "P1", `{"name": "x"} {}`, model.EINVALID},
		"unknown kind":    {"a", "sdg_target", "3.2", `{}`, model.EINVALID},
		"no id":           {"a", prog, "", `{}`, model.EINVALID},
		"id mismatch":     {"a", prog, "P7", `{"id": "P8"}`, model.EINVALID},
		"bad amount":      {"a", model.KindBlock, "B0", `{"build_cost": "lots"}`, model.EINVALID},
		"no portfolio":    {"zz", prog, "P1", `{}`, model.ENOTFOUND},
		"negative expect": {"a", prog, "P1", `{}`, model.EINVALID},
	} {
		t.Run(name, func(t *testing.T) {
			expect := 3
			if tc.id == "P7" {
				expect = 0
			} else if name == "negative expect" {
				expect = -1
			}
			_, err := db.PutEntity(ctx, tc.portfolio, tc.kind, tc.id, raw(tc.data), expect)
			wantCode(t, err, tc.want)
		})
	}
	_, err = db.PutEntity(ctx, "a", prog, "P1", nil, 3)
	wantCode(t, err, model.EINVALID)

	// The portfolio shows every edit: P9 appended, P1 edited in place, P0
	// gone, and its version was bumped by each change (3 changes).
	p, info := mustGet(t, db, "a")
	if got, want := programmeIDs(p), []string{"P1", "P2", "P9"}; !equal(got, want) {
		t.Errorf("programmes = %v, want %v", got, want)
	}
	if p.Programmes[0].Name != "edited" || p.Programmes[0].Goals != nil || !p.Programmes[2].OwnBuildCost.Range {
		t.Errorf("programmes = %+v", p.Programmes)
	}
	if info.Version != 4 || info.Programmes != 3 {
		t.Errorf("info = %+v, want version 4 and 3 programmes", info)
	}
	pv, versions, err := db.EntityVersions(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	key := func(id string) model.EntityKey { return model.EntityKey{Kind: prog, ID: id} }
	if pv != 4 || versions[key("P1")] != 3 || versions[key("P2")] != 1 || versions[key("P9")] != 2 {
		t.Errorf("versions: portfolio %d, %v", pv, versions)
	}
	if _, ok := versions[key("P0")]; ok {
		t.Error("P0 still has a version")
	}

	// A whole-portfolio save based on the version before the edits fails.
	_, err = db.SavePortfolio(ctx, genPortfolio("a", 3, 1), model.SaveOptions{Replace: true, ExpectVersion: 3})
	wantCode(t, err, model.ECONFLICT)

	// An entity deleted and made again gets a version never used before, so
	// a client holding the old one cannot overwrite it.
	if v, err := db.PutEntity(ctx, "a", prog, "P0", raw(`{"name": "back"}`), 0); err != nil || v != 5 {
		t.Errorf("recreate P0 = %d, %v; want version 5", v, err)
	}
	_, err = db.PutEntity(ctx, "a", prog, "P0", raw(`{"name": "old client"}`), 1)
	wantCode(t, err, model.ECONFLICT)

	_, _, err = db.EntityVersions(ctx, "zz")
	wantCode(t, err, model.ENOTFOUND)
}

func TestRenameEntityInPlace(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("a", 3, 1), model.SaveOptions{})
	const prog = model.KindProgramme

	_, err := db.PutEntity(ctx, "a", prog, "P1", json.RawMessage(`{"id": "P2"}`), 1)
	wantCode(t, err, model.ECONFLICT)
	v, err := db.PutEntity(ctx, "a", prog, "P1", json.RawMessage(`{"id": "P1b", "name": "renamed"}`), 1)
	if err != nil || v != 2 {
		t.Fatalf("rename = %d, %v", v, err)
	}
	p, _ := mustGet(t, db, "a")
	if got, want := programmeIDs(p), []string{"P0", "P1b", "P2"}; !equal(got, want) {
		t.Errorf("programmes after rename = %v, want %v", got, want)
	}
}

// A batch is all or nothing: a rename and the references to it land
// together, and a stale change anywhere in it refuses the whole batch.
func TestApplyEntityChangesIsAtomic(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("a", 2, 1), model.SaveOptions{})
	before, _ := mustGet(t, db, "a")

	rename := []model.EntityChange{
		{Kind: model.KindGoal, ID: "G0", Data: json.RawMessage(`{"id": "NG0", "name": "renamed"}`), ExpectVersion: 1},
		{Kind: model.KindProgramme, ID: "P0", Data: json.RawMessage(`{"id": "P0", "goals": ["NG0"]}`), ExpectVersion: 1},
		{Kind: model.KindProgramme, ID: "P1", ExpectVersion: 7}, // stale
	}
	_, err := db.ApplyEntityChanges(ctx, "a", rename)
	wantCode(t, err, model.ECONFLICT)
	after, info := mustGet(t, db, "a")
	if string(mustJSON(t, after)) != string(mustJSON(t, before)) || info.Version != 1 {
		t.Fatalf("a refused batch changed the portfolio (version %d)", info.Version)
	}

	rename[2].ExpectVersion = 1
	v, err := db.ApplyEntityChanges(ctx, "a", rename)
	if err != nil || v != 2 {
		t.Fatalf("ApplyEntityChanges = %d, %v", v, err)
	}
	after, _ = mustGet(t, db, "a")
	if after.Goals[0].ID != "NG0" || after.Programmes[0].Goals[0] != "NG0" || len(after.Programmes) != 1 {
		t.Errorf("after the batch: goals %+v, programmes %+v", after.Goals, after.Programmes)
	}

	// The same entity twice in one batch is refused before anything runs.
	_, err = db.ApplyEntityChanges(ctx, "a", []model.EntityChange{
		{Kind: model.KindGoal, ID: "G1", Data: json.RawMessage(`{"id": "X"}`), ExpectVersion: 1},
		{Kind: model.KindGoal, ID: "X", Data: json.RawMessage(`{}`), ExpectVersion: 0},
	})
	wantCode(t, err, model.EINVALID)

	// A batch that changes nothing keeps the portfolio version.
	v, err = db.ApplyEntityChanges(ctx, "a", nil)
	if err != nil || v != 2 {
		t.Errorf("empty batch = %d, %v; want 2", v, err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Of several editors who loaded the same version, exactly one wins.
func TestConcurrentEditsOfOneEntity(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("a", 3, 1), model.SaveOptions{})
	const editors = 8
	codes := make(chan string, editors)
	for i := range editors {
		go func() {
			_, err := db.PutEntity(ctx, "a", model.KindProgramme, "P1", json.RawMessage(fmt.Sprintf(`{"name": "editor %d"}`, i)), 1)
			codes <- model.ErrorCode(err)
		}()
	}
	count := map[string]int{}
	for range editors {
		count[<-codes]++
	}
	if count[""] != 1 || count[model.ECONFLICT] != editors-1 {
		t.Errorf("outcomes %v, want 1 success and %d conflicts", count, editors-1)
	}
}

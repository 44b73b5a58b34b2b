package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"blockplan/model"
)

func auditOf(t *testing.T, db *DB, f model.AuditFilter) []model.AuditEntry {
	t.Helper()
	f.Bodies = true
	entries, err := db.ListAudit(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// stateOf decodes the before or after of a whole-portfolio update.
func stateOf(t *testing.T, b json.RawMessage) portfolioState {
	t.Helper()
	var s portfolioState
	if len(b) > 0 {
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("decode %s: %v", b, err)
		}
	}
	return s
}

// entityKeys lists "kind/id" of a state's entities, sorted.
func entityKeys(s portfolioState) []string {
	keys := []string{}
	for kind, m := range s.Entities {
		for id := range m {
			keys = append(keys, kind+"/"+id)
		}
	}
	sort.Strings(keys)
	return keys
}

func TestAuditOfWholePortfolioChanges(t *testing.T) {
	db := openTest(t)
	ctx := model.WithActor(context.Background(), "ana")

	// A new portfolio is recorded whole: After is the document.
	p1 := genPortfolio("a", 5, 1)
	mustSave(t, db, p1, model.SaveOptions{})
	entries := auditOf(t, db, model.AuditFilter{PortfolioID: "a"})
	if len(entries) != 1 {
		t.Fatalf("%d entries after a create, want 1", len(entries))
	}
	e := entries[0]
	if e.Action != model.ActionCreate || e.Kind != model.KindPortfolio || e.EntityID != "a" || e.Version != 1 ||
		e.Actor != model.ActorUnknown || e.Before != nil {
		t.Errorf("create entry = %+v", e)
	}
	var doc model.Portfolio
	if err := decodeStrict(e.After, &doc); err != nil {
		t.Fatalf("the create entry's After is not a portfolio document: %v", err)
	}
	if diff := cmp.Diff(string(mustJSON(t, p1)), string(mustJSON(t, &doc))); diff != "" {
		t.Errorf("create entry's document differs from the portfolio (-saved +recorded):\n%s", diff)
	}

	// A replacement records the head and the entities that changed, only.
	p2 := genPortfolio("a", 5, 1)
	p2.Name = "renamed"
	p2.Programmes[1].Name = "edited"
	p2.Programmes = append(p2.Programmes[:4], model.Programme{ID: "P9", Name: "new"}) // P4 deleted
	p2.Blocks[0], p2.Blocks[1] = p2.Blocks[1], p2.Blocks[0]                           // moved: not a content change
	if _, err := db.SavePortfolio(ctx, p2, model.SaveOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	e = auditOf(t, db, model.AuditFilter{PortfolioID: "a", Limit: 1})[0]
	if e.Action != model.ActionUpdate || e.Actor != "ana" || e.Version != 2 ||
		e.Detail != "entities: 1 created, 1 updated, 1 deleted, 2 moved" {
		t.Errorf("update entry = %+v", e)
	}
	before, after := stateOf(t, e.Before), stateOf(t, e.After)
	if diff := cmp.Diff([]string{"programme/P1", "programme/P4"}, entityKeys(before)); diff != "" {
		t.Errorf("before holds (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"programme/P1", "programme/P9"}, entityKeys(after)); diff != "" {
		t.Errorf("after holds (-want +got):\n%s", diff)
	}
	if !bytes.Contains(before.Head, []byte(`"name":"a gen 1"`)) || !bytes.Contains(after.Head, []byte(`"name":"renamed"`)) {
		t.Errorf("heads: before %s, after %s", before.Head, after.Head)
	}
	if !bytes.Contains(after.Entities[model.KindProgramme]["P1"], []byte(`"edited"`)) {
		t.Errorf("after P1 = %s", after.Entities[model.KindProgramme]["P1"])
	}

	// Saving the same again changes no entity; the version still moves.
	if _, err := db.SavePortfolio(ctx, p2, model.SaveOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	e = auditOf(t, db, model.AuditFilter{PortfolioID: "a", Limit: 1})[0]
	if e.Version != 3 || e.Before != nil || e.After != nil || e.Detail != "no entity changed" {
		t.Errorf("unchanged save entry = %+v", e)
	}

	// A deletion records the whole portfolio, which can be saved back.
	last, _ := mustGet(t, db, "a")
	if err := db.DeletePortfolio(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	e = auditOf(t, db, model.AuditFilter{PortfolioID: "a", Limit: 1})[0]
	if e.Action != model.ActionDelete || e.Version != 3 || e.After != nil {
		t.Errorf("delete entry = %+v", e)
	}
	var back model.Portfolio
	if err := decodeStrict(e.Before, &back); err != nil {
		t.Fatalf("the delete entry's Before is not a portfolio document: %v", err)
	}
	mustSave(t, db, &back, model.SaveOptions{})
	restored, _ := mustGet(t, db, "a")
	if diff := cmp.Diff(string(mustJSON(t, last)), string(mustJSON(t, restored))); diff != "" {
		t.Errorf("portfolio saved back from the audit log differs (-deleted +restored):\n%s", diff)
	}
}

func TestAuditOfEntityEdits(t *testing.T) {
	db := openTest(t)
	ctx := model.WithActor(context.Background(), "ana")
	mustSave(t, db, genPortfolio("a", 3, 1), model.SaveOptions{})
	const prog = model.KindProgramme
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }

	if _, err := db.PutEntity(ctx, "a", prog, "P9", raw(`{"name":"new"}`), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutEntity(ctx, "a", prog, "P1", raw(`{"name":"edited"}`), 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutEntity(ctx, "a", prog, "P1", raw(`{"name":"stale"}`), 1); model.ErrorCode(err) != model.ECONFLICT {
		t.Fatalf("stale edit: %v", err)
	}
	if _, err := db.PutEntity(ctx, "a", prog, "P1", raw(`{"name":"edited"}`), 3); err != nil { // changes nothing
		t.Fatal(err)
	}
	if _, err := db.ApplyEntityChanges(ctx, "a", []model.EntityChange{
		{Kind: prog, ID: "P2", Data: raw(`{"id":"P2b","name":"moved"}`), ExpectVersion: 1},
		{Kind: prog, ID: "P0", ExpectVersion: 1},
	}); err != nil {
		t.Fatal(err)
	}

	var got []string
	for _, e := range auditOf(t, db, model.AuditFilter{PortfolioID: "a", Kind: prog}) {
		got = append(got, fmt.Sprintf("%s %s v%d before=%s after=%s", e.Action, e.EntityID, e.Version, nameIn(e.Before), nameIn(e.After)))
		if e.Actor != "ana" {
			t.Errorf("entry %d by %q, want ana", e.ID, e.Actor)
		}
	}
	want := []string{
		"delete P0 v4 before=Programme 0 gen 1 after=-",
		"rename P2 v4 before=Programme 2 gen 1 after=moved",
		"update P1 v3 before=Programme 1 gen 1 after=edited",
		"create P9 v2 before=- after=new",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entity audit entries (-want +got):\n%s", diff)
	}
}

// nameIn is the "name" of an entity's JSON, "-" for none.
func nameIn(b json.RawMessage) string {
	if b == nil {
		return "-"
	}
	var v struct{ Name string }
	json.Unmarshal(b, &v)
	return v.Name
}

// A change rolled back leaves no audit entry, and an entry is never written
// without its change: they share the transaction.
func TestAuditIsRolledBackWithItsChange(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("a", 50, 1), model.SaveOptions{})
	count := func() int {
		var n int
		if err := db.ro.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	n0 := count()
	injected := errors.New("injected")
	for _, point := range []string{"portfolio row", "half the entities", "entity change"} {
		db.failAfter = func(p string) error {
			if p == point {
				return injected
			}
			return nil
		}
		if point == "entity change" {
			_, err := db.ApplyEntityChanges(ctx, "a", []model.EntityChange{
				{Kind: model.KindGoal, ID: "G9", Data: json.RawMessage(`{"name":"x"}`)},
				{Kind: model.KindGoal, ID: "G8", Data: json.RawMessage(`{"name":"y"}`)},
			})
			if !errors.Is(err, injected) {
				t.Fatalf("entity change did not fail: %v", err)
			}
			continue
		}
		for _, p := range []*model.Portfolio{genPortfolio("a", 40, 2), genPortfolio("b", 40, 2)} {
			if _, err := db.SavePortfolio(ctx, p, model.SaveOptions{Replace: true}); !errors.Is(err, injected) {
				t.Fatalf("save of %s at %q did not fail: %v", p.ID, point, err)
			}
		}
	}
	db.failAfter = nil
	if n := count(); n != n0 {
		t.Errorf("%d audit entries after failed writes, want %d", n, n0)
	}
}

// Under concurrent edits, stale ones included, there is exactly one audit
// entry per change that was committed.
func TestAuditUnderConcurrentEdits(t *testing.T) {
	db := openTest(t)
	mustSave(t, db, genPortfolio("a", 20, 1), model.SaveOptions{})
	const workers, edits = 16, 15
	var ok, conflicts atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := model.WithActor(context.Background(), fmt.Sprintf("u%d", w))
			id := fmt.Sprintf("P%d", w%10) // two workers per programme: conflicts
			for i := range edits {
				_, versions, err := db.EntityVersions(ctx, "a")
				if err != nil {
					t.Error(err)
					return
				}
				data := json.RawMessage(fmt.Sprintf(`{"name":"w%d e%d"}`, w, i))
				_, err = db.PutEntity(ctx, "a", model.KindProgramme, id, data, versions[model.EntityKey{Kind: model.KindProgramme, ID: id}])
				switch model.ErrorCode(err) {
				case "":
					ok.Add(1)
				case model.ECONFLICT:
					conflicts.Add(1)
				default:
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	entries, err := db.ListAudit(context.Background(), model.AuditFilter{PortfolioID: "a", Kind: model.KindProgramme, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(entries)) != ok.Load() {
		t.Errorf("%d audit entries for %d committed edits (%d conflicts)", len(entries), ok.Load(), conflicts.Load())
	}
	_, info := mustGet(t, db, "a")
	if int64(info.Version) != 1+ok.Load() {
		t.Errorf("portfolio version %d after %d edits", info.Version, ok.Load())
	}
	t.Logf("%d edits committed, %d refused as stale", ok.Load(), conflicts.Load())
}

func TestListAuditFiltersAndPages(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for i := range 5 {
		actor := []string{"ana", "bob"}[i%2]
		if err := db.RecordAudit(model.WithActor(ctx, actor), model.AuditEntry{Action: model.ActionLoginFailed,
			Kind: model.KindSession, EntityID: fmt.Sprint("n", i), Detail: "from 192.0.2.1",
			After: json.RawMessage(`{"i":` + fmt.Sprint(i) + `}`)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.ListAudit(ctx, model.AuditFilter{})
	if err != nil || len(all) != 5 {
		t.Fatalf("ListAudit = %d entries, %v", len(all), err)
	}
	if all[0].EntityID != "n4" || all[0].After != nil {
		t.Errorf("newest first and without bodies: %+v", all[0])
	}
	page, _ := db.ListAudit(ctx, model.AuditFilter{Limit: 2, BeforeID: all[1].ID})
	if len(page) != 2 || page[0].ID != all[2].ID || page[1].ID != all[3].ID {
		t.Errorf("page after %d = %+v", all[1].ID, page)
	}
	page, _ = db.ListAudit(ctx, model.AuditFilter{Limit: 2, Offset: 4})
	if len(page) != 1 || page[0].ID != all[4].ID {
		t.Errorf("offset 4 = %+v", page)
	}
	bob, _ := db.ListAudit(ctx, model.AuditFilter{Actor: "bob"})
	if len(bob) != 2 {
		t.Errorf("bob's entries: %d, want 2", len(bob))
	}
	one, err := db.GetAudit(ctx, all[0].ID)
	if err != nil || string(one.After) != `{"i":4}` || one.Detail != "from 192.0.2.1" {
		t.Errorf("GetAudit = %+v, %v", one, err)
	}
	_, err = db.GetAudit(ctx, 999)
	wantCode(t, err, model.ENOTFOUND)
	wantCode(t, db.RecordAudit(ctx, model.AuditEntry{Kind: "x"}), model.EINVALID)
	wantCode(t, db.RecordAudit(ctx, model.AuditEntry{Action: "x", Before: json.RawMessage(`{nope`)}), model.EINVALID)
	_, err = db.ListAudit(ctx, model.AuditFilter{Limit: -1})
	wantCode(t, err, model.EINVALID)
}

// A database made before 0002 gains the new tables on opening and keeps its
// portfolios.
func TestUpgradeFromFirstSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, genPortfolio("kept", 10, 1), model.SaveOptions{})
	db.Close()
	execOn(t, path, `DROP TABLE server_settings; DROP TABLE audit_log; DROP TABLE sessions; DROP TABLE api_tokens; DROP TABLE users;
DELETE FROM schema_migrations WHERE version > 1`)

	db = openPath(t, path)
	checkAllApplied(t, db)
	p, _ := mustGet(t, db, "kept")
	checkOneGeneration(t, p)
	mustCreateUser(t, db, "root", model.RoleAdmin)
}

package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"blockplan/model"
)

func TestRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	backup := filepath.Join(dir, "backup.db")

	db, err := Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, genPortfolio("a", 50, 1), model.SaveOptions{})
	mustCreateUser(t, db, "root", model.RoleAdmin)
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// Changes after the backup, which the restore takes back.
	mustSave(t, db, genPortfolio("a", 50, 2), model.SaveOptions{Replace: true})
	mustSave(t, db, genPortfolio("b", 5, 1), model.SaveOptions{})

	// While the database is open, nothing is replaced.
	_, err = Restore(ctx, backup, live)
	wantCode(t, err, model.ECONFLICT)
	if p, _ := mustGet(t, db, "a"); !strings.HasSuffix(p.Name, "gen 2") {
		t.Errorf("a refused restore changed the database: %s", p.Name)
	}
	db.Close()

	kept, err := Restore(ctx, backup, live)
	if err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(live + suffix); err == nil {
			t.Errorf("%s%s left beside the restored database", live, suffix)
		}
	}
	restored := openPath(t, live)
	list, err := restored.ListPortfolios(ctx)
	if err != nil || len(list) != 1 || list[0].ID != "a" {
		t.Fatalf("restored portfolios = %+v, %v", list, err)
	}
	if p, _ := mustGet(t, restored, "a"); !strings.HasSuffix(p.Name, "gen 1") {
		t.Errorf("restored a is %q, want gen 1", p.Name)
	}
	if _, err := restored.GetUser(ctx, "root"); err != nil {
		t.Errorf("restored users: %v", err)
	}

	// The replaced database is kept whole.
	if !strings.HasPrefix(kept, live+".before-restore-") {
		t.Errorf("kept as %q", kept)
	}
	old := openPath(t, kept)
	if list, _ := old.ListPortfolios(ctx); len(list) != 2 {
		t.Errorf("the kept database holds %d portfolios, want 2", len(list))
	}
}

func TestRestoreRefusesBadFilesAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	db, err := Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, genPortfolio("a", 300, 1), model.SaveOptions{})
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db.Close()

	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("SQLite format 3\x00 but not really"), 0o644)
	damaged := filepath.Join(dir, "damaged.db")
	copyFile(t, backup, damaged)
	damage(t, damaged)
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not a database at all\n"), 0o644)

	// A live WAL database (a copy of a running server's file, with its
	// -wal) is refused: its main file alone is not the database.
	walDB := filepath.Join(dir, "wal.db")
	w := openPath(t, walDB)
	mustSave(t, w, genPortfolio("w", 5, 1), model.SaveOptions{})

	want, err := os.ReadFile(live)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path, code string }{
		{"missing", filepath.Join(dir, "none.db"), model.ENOTFOUND},
		{"junk", junk, model.EINVALID},
		{"damaged", damaged, model.EINVALID},
		{"text", text, model.EINVALID},
		{"itself", live, model.EINVALID},
		{"live WAL database", walDB, model.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Restore(ctx, tc.path, live)
			wantCode(t, err, tc.code)
			t.Log(err)
			got, _ := os.ReadFile(live)
			if !bytes.Equal(got, want) {
				t.Errorf("the database changed")
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".restore") || strings.Contains(e.Name(), "before-restore") {
					t.Errorf("left %s behind", e.Name())
				}
			}
		})
	}
}

// A damaged current database is what restore is for: it is replaced (and
// kept aside).
func TestRestoreReplacesADamagedDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	db, err := Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, genPortfolio("a", 300, 1), model.SaveOptions{})
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.WriteFile(live, []byte("garbage"), 0o644)

	if _, err := Restore(ctx, backup, live); err != nil {
		t.Fatal(err)
	}
	if err := CheckFile(ctx, live); err != nil {
		t.Fatal(err)
	}
	// And a database that did not exist yet is simply created.
	fresh := filepath.Join(dir, "fresh.db")
	kept, err := Restore(ctx, backup, fresh)
	if err != nil || kept != "" {
		t.Fatalf("restore to a new path: kept %q, %v", kept, err)
	}
	p, _ := mustGet(t, openPath(t, fresh), "a")
	checkOneGeneration(t, p)
}

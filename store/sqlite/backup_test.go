package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"blockplan/model"
)

// A backup taken while writers go on holds, for every portfolio, all of
// one save and nothing of another, and passes CheckFile.
func TestBackupWhileWriting(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	const writers = 4
	for w := range writers {
		mustSave(t, db, genPortfolio(fmt.Sprintf("w%d", w), 300, 0), model.SaveOptions{})
	}

	var stop atomic.Bool
	var saves atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for gen := 1; !stop.Load(); gen++ {
				p := genPortfolio(fmt.Sprintf("w%d", w), 300, gen)
				if gen%3 == 0 {
					p.Programmes = p.Programmes[:100] // deletes as well as updates
				}
				if _, err := db.SavePortfolio(ctx, p, model.SaveOptions{Replace: true}); err != nil {
					errs <- err
					return
				}
				saves.Add(1)
			}
		}()
	}
	for saves.Load() < writers {
		time.Sleep(5 * time.Millisecond)
	}

	dir := t.TempDir()
	dest := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(dest, []byte("an older backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := saves.Load()
	if err := db.Backup(ctx, dest); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	during := saves.Load() - before
	// Let the writers go on a little after the backup, then stop them.
	time.Sleep(20 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("writer: %v", err)
	}
	t.Logf("%d saves in all, %d while the backup ran", saves.Load(), during)

	if err := CheckFile(ctx, dest); err != nil {
		t.Fatalf("CheckFile(backup): %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the backup left %d files, want just backup.db: %v", len(entries), entries)
	}

	// The copy is one self-contained file, in rollback journal mode.
	raw, err := sql.Open("sqlite3", dsn(dest, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "delete" {
		t.Errorf("backup journal mode = %q, %v; want delete", mode, err)
	}
	raw.Close()

	copyDB := openPath(t, dest)
	list, err := copyDB.ListPortfolios(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != writers {
		t.Fatalf("backup holds %d portfolios, want %d", len(list), writers)
	}
	for _, info := range list {
		p, _ := mustGet(t, copyDB, info.ID)
		checkOneGeneration(t, p)
		if info.Programmes != len(p.Programmes) || (info.Programmes != 300 && info.Programmes != 100) {
			t.Errorf("%s: %d programmes (listed %d)", info.ID, len(p.Programmes), info.Programmes)
		}
	}
}

func TestBackupRefusesItself(t *testing.T) {
	db := openTest(t)
	err := db.Backup(context.Background(), db.Path())
	wantCode(t, err, model.EINVALID)
	if err := CheckFile(context.Background(), db.Path()); err != nil {
		t.Errorf("the database was harmed: %v", err)
	}
}

func TestCheckFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	good := filepath.Join(dir, "good.db")
	db := openPath(t, good)
	mustSave(t, db, genPortfolio("a", 500, 1), model.SaveOptions{})
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}

	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, make([]byte, 8192), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	other, err := sql.Open("sqlite3", dsn(foreign, ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec(`CREATE TABLE notes (text TEXT)`); err != nil {
		t.Fatal(err)
	}
	other.Close()

	newer := filepath.Join(dir, "newer.db")
	copyFile(t, backup, newer)
	execOn(t, newer, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 'x')`)

	dangling := filepath.Join(dir, "dangling.db")
	copyFile(t, backup, dangling)
	execOn(t, dangling, `PRAGMA foreign_keys = off; DELETE FROM portfolios`)

	damaged := filepath.Join(dir, "damaged.db")
	copyFile(t, backup, damaged)
	damage(t, damaged)

	for _, tc := range []struct {
		name, path, want string
	}{
		{"live database", good, ""},
		{"backup", backup, ""},
		{"missing", filepath.Join(dir, "nothing.db"), model.ENOTFOUND},
		{"folder", dir, model.EINVALID},
		{"not sqlite", junk, model.EINVALID},
		{"other sqlite", foreign, model.EINVALID},
		{"newer schema", newer, model.EINVALID},
		{"broken foreign keys", dangling, model.EINVALID},
		{"damaged pages", damaged, model.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckFile(ctx, tc.path)
			wantCode(t, err, tc.want)
			if err != nil {
				t.Log(err)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func execOn(t *testing.T, path, query string) {
	t.Helper()
	db, err := sql.Open("sqlite3", dsn(path, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

// damage overwrites the middle of every page but the first (the header and
// schema): the file still opens, but its b-trees are garbage.
func damage(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	if len(b) < 4*page {
		t.Fatalf("%s is too small to damage (%d bytes)", path, len(b))
	}
	for off := page; off+page <= len(b); off += page {
		for i := off + 100; i < off+300; i++ {
			b[i] = 0xA5
		}
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

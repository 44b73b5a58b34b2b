package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mattn/go-sqlite3"

	"blockplan/model"
)

type migrationRow struct {
	version   int
	name      string
	appliedAt string
}

func appliedMigrations(t *testing.T, db *DB) []migrationRow {
	t.Helper()
	rows, err := db.ro.QueryContext(context.Background(), `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []migrationRow
	for rows.Next() {
		var m migrationRow
		if err := rows.Scan(&m.version, &m.name, &m.appliedAt); err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestMigrationsApplyOnceAndAreRecorded(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].version != 1 || ms[0].name != "0001_init" {
		t.Fatalf("migrations() = %+v, want 0001_init first", ms)
	}
	path := filepath.Join(t.TempDir(), "blockplan.db")
	db := openPath(t, path)
	first := appliedMigrations(t, db)
	if len(first) != len(ms) {
		t.Fatalf("recorded %d migrations, want %d", len(first), len(ms))
	}
	for i, m := range ms {
		if first[i].version != m.version || first[i].name != m.name {
			t.Errorf("migration %d recorded as %+v, want %d %s", i, first[i], m.version, m.name)
		}
	}
	mustSave(t, db, genPortfolio("a", 3, 1), model.SaveOptions{})

	// Opening the same file again, while it is open, applies nothing and
	// keeps the data.
	again := openPath(t, path)
	second := appliedMigrations(t, again)
	if len(second) != len(first) {
		t.Fatalf("after reopening: %d migrations recorded, want %d", len(second), len(first))
	}
	for i := range first {
		if second[i] != first[i] {
			t.Errorf("migration record changed on reopening: %+v, want %+v", second[i], first[i])
		}
	}
	if _, _, err := again.GetPortfolio(context.Background(), "a"); err != nil {
		t.Errorf("portfolio lost on reopening: %v", err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blockplan.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.rw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 'x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(context.Background(), path)
	wantCode(t, err, model.EINVALID)
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(path, []byte("these are not the pages you are looking for, padded to more than a header's length"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path)
	wantCode(t, err, model.EINVALID)
}

// A file name with characters that mean something in a URI must name that
// file, not another one or a parameter.
func TestOpenEscapesPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a b?c#d%e&f=é")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "plan?mode=ro#x%20.db")
	db := openPath(t, path)
	mustSave(t, db, genPortfolio("a", 1, 1), model.SaveOptions{})
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not at its path: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); n != "plan?mode=ro#x%20.db" && n != "plan?mode=ro#x%20.db-wal" && n != "plan?mode=ro#x%20.db-shm" {
			t.Errorf("unexpected file %q beside the database", n)
		}
	}
}

func TestEveryPooledConnectionHasTheSettings(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for _, pool := range []struct {
		name      string
		db        *sql.DB
		queryOnly int
	}{{"rw", db.rw, 0}, {"ro", db.ro, 1}} {
		t.Run(pool.name, func(t *testing.T) {
			// Hold several connections at once so that they are distinct.
			var conns []*sql.Conn
			for range 4 {
				c, err := pool.db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				conns = append(conns, c)
			}
			if got := pool.db.Stats().OpenConnections; got < 4 {
				t.Fatalf("%d open connections, want at least 4", got)
			}
			for i, c := range conns {
				var fk, busy, queryOnly int
				var journal string
				if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
					t.Fatal(err)
				}
				if err := c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
					t.Fatal(err)
				}
				if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil {
					t.Fatal(err)
				}
				if err := c.QueryRowContext(ctx, `PRAGMA query_only`).Scan(&queryOnly); err != nil {
					t.Fatal(err)
				}
				if fk != 1 || busy != 5000 || journal != "wal" || queryOnly != pool.queryOnly {
					t.Errorf("connection %d: foreign_keys=%d busy_timeout=%d journal_mode=%s query_only=%d, want 1 5000 wal %d",
						i, fk, busy, journal, queryOnly, pool.queryOnly)
				}
			}
		})
	}
	// The read pool refuses writes.
	_, err := db.ro.ExecContext(ctx, `DELETE FROM portfolios`)
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrReadonly {
		t.Errorf("write through the read pool: %v, want a read-only error", err)
	}
}

func TestDriverErrorsBecomeDomainErrors(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustSave(t, db, genPortfolio("a", 1, 1), model.SaveOptions{})
	insert := `INSERT INTO portfolios (id, head, version, created_at, updated_at) VALUES (?, '{}', 1, 'x', 'x')`

	_, err := db.rw.ExecContext(ctx, insert, "a")
	wantCode(t, dbError(err), model.ECONFLICT)

	_, err = db.rw.ExecContext(ctx, insert, "")
	wantCode(t, dbError(err), model.EINVALID)

	// A writer holding the lock past another's busy timeout: busy.
	other, err := sql.Open("sqlite3", dsn(db.Path(), "_busy_timeout=1&_txlock=immediate"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := db.rw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	_, err = other.BeginTx(ctx, nil)
	err = dbError(err)
	wantCode(t, err, model.EINTERNAL)
	if msg := model.ErrorMessage(err); msg != "the database is busy (another program is writing to it); try again" {
		t.Errorf("busy message = %q", msg)
	}

	// Domain errors, nil and other errors pass through.
	if dbError(nil) != nil {
		t.Error("dbError(nil) != nil")
	}
	nf := model.Errorf(model.ENOTFOUND, "x")
	if dbError(nf) != error(nf) {
		t.Error("a domain error was changed")
	}
	if err := dbError(context.Canceled); !errors.Is(err, context.Canceled) {
		t.Errorf("dbError(context.Canceled) = %v", err)
	}
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"blockplan/model"
)

// Backup writes a consistent copy of the database to destPath while other
// connections go on writing, using SQLite's online backup API.
//
// The copy is made in one backup step, inside one read transaction: in WAL
// mode that does not stop writers, and it cannot be restarted over and over
// by them, as a copy made in small steps is after each write. The copy is
// written next to destPath under a temporary name, switched to rollback
// journal mode (so that it is one self-contained file that can be read from
// read-only media), checked with CheckFile, and only then renamed to
// destPath, replacing any file there: destPath never holds half a backup.
func (db *DB) Backup(ctx context.Context, destPath string) error {
	if err := db.backup(ctx, destPath); err != nil {
		return fmt.Errorf("backup to %s: %w", destPath, err)
	}
	return nil
}

func (db *DB) backup(ctx context.Context, destPath string) (err error) {
	dest, err := filepath.Abs(destPath)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(dest); err == nil {
		src, serr := os.Stat(db.path)
		if serr == nil && os.SameFile(fi, src) {
			return model.Errorf(model.EINVALID, "cannot back up the database onto itself")
		}
		if fi.IsDir() {
			return model.Errorf(model.EINVALID, "%s is a folder", destPath)
		}
	}
	tmpFile, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := tmpFile.Name()
	tmpFile.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
			os.Remove(tmp + "-journal")
			os.Remove(tmp + "-wal")
			os.Remove(tmp + "-shm")
		}
	}()

	if err := db.copyTo(ctx, tmp); err != nil {
		return err
	}
	if err := CheckFile(ctx, tmp); err != nil {
		return fmt.Errorf("the copy failed its check: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dest))
}

// copyTo copies the database into the (empty) file at path.
func (db *DB) copyTo(ctx context.Context, path string) error {
	destDB, err := sql.Open("sqlite3", dsn(path, "_sync=FULL"))
	if err != nil {
		return err
	}
	defer destDB.Close()
	destConn, err := destDB.Conn(ctx)
	if err != nil {
		return dbError(err)
	}
	defer destConn.Close()
	srcConn, err := db.ro.Conn(ctx)
	if err != nil {
		return dbError(err)
	}
	defer srcConn.Close()

	err = destConn.Raw(func(d any) error {
		return srcConn.Raw(func(s any) error {
			dc, ok1 := d.(*sqlite3.SQLiteConn)
			sc, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return fmt.Errorf("unexpected driver connections %T, %T", d, s)
			}
			b, err := dc.Backup("main", sc, "main")
			if err != nil {
				return err
			}
			for {
				// Step returns false without an error while the source
				// is busy or locked; wait and try again.
				done, err := b.Step(-1)
				if err != nil {
					b.Close()
					return err
				}
				if done {
					return b.Close()
				}
				select {
				case <-ctx.Done():
					b.Close()
					return ctx.Err()
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
	})
	if err != nil {
		return dbError(err)
	}
	var mode string
	if err := destConn.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil {
		return dbError(err)
	}
	if !strings.EqualFold(mode, "delete") {
		return fmt.Errorf("the copy stayed in journal mode %s", mode)
	}
	if err := destConn.Close(); err != nil {
		return dbError(err)
	}
	return dbError(destDB.Close())
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// CheckFile reports whether the file at path is a sound blockplan database:
// SQLite's integrity check passes, no foreign key is broken, and it has a
// schema_migrations table from this build or an older one. It opens the file
// read-only and changes nothing. A restore uses it before trusting a file.
func CheckFile(ctx context.Context, path string) error {
	if err := checkFile(ctx, path); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	return nil
}

func checkFile(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	fi, err := os.Stat(abs)
	if errors.Is(err, os.ErrNotExist) {
		return model.Errorf(model.ENOTFOUND, "no file %s", path)
	} else if err != nil {
		return err
	} else if !fi.Mode().IsRegular() {
		return model.Errorf(model.EINVALID, "%s is not a file", path)
	}
	db, err := sql.Open("sqlite3", dsn(abs, "mode=ro&_query_only=on"))
	if err != nil {
		return err
	}
	defer db.Close()
	notOurs := func(err error) error {
		if model.ErrorCode(err) == model.EINVALID {
			return model.Errorf(model.EINVALID, "%s is damaged or is not a blockplan database", path)
		}
		return err
	}

	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return notOurs(dbError(err))
	}
	defer rows.Close()
	var findings []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return notOurs(dbError(err))
		}
		findings = append(findings, s)
	}
	if err := rows.Err(); err != nil {
		return notOurs(dbError(err))
	}
	rows.Close()
	if len(findings) != 1 || findings[0] != "ok" {
		// SQLite may put many findings in one row, one a line; show a few.
		lines := strings.Split(strings.Join(findings, "\n"), "\n")
		if len(lines) > 4 {
			lines = append(lines[:4], "…")
		}
		return model.Errorf(model.EINVALID, "%s is damaged: %s", path, strings.Join(lines, "; "))
	}

	var n int
	const hasTable = `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`
	if err := db.QueryRowContext(ctx, hasTable).Scan(&n); err != nil {
		return notOurs(dbError(err))
	}
	if n == 0 {
		return model.Errorf(model.EINVALID, "%s is not a blockplan database (no schema_migrations table)", path)
	}
	var newest int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return notOurs(dbError(err))
	}
	if newest == 0 {
		return model.Errorf(model.EINVALID, "%s is not a blockplan database (no migration applied)", path)
	}
	if latest := latestVersion(); newest > latest {
		return model.Errorf(model.EINVALID, "%s was made by a newer blockplan (schema version %d; this build knows up to %d)", path, newest, latest)
	}

	fk, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return notOurs(dbError(err))
	}
	defer fk.Close()
	if fk.Next() {
		return model.Errorf(model.EINVALID, "%s is damaged: it has rows whose foreign keys point nowhere", path)
	}
	return notOurs(dbError(fk.Err()))
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"blockplan/model"
)

// Restore replaces the database file at dbPath with the backup at srcPath,
// and returns where it kept the database it replaced ("" if there was none).
//
// Nothing is replaced unless every step before the switch succeeds:
//   - srcPath must pass CheckFile, and must not be a live WAL database with
//     un-checkpointed changes beside it (copying its main file would lose
//     them);
//   - the copy, written beside dbPath and synced, must pass CheckFile too;
//   - no other connection may have dbPath open. Restore takes the database
//     out of WAL mode first, which SQLite allows only when no other
//     connection uses it, so a running server (or any blockplan command)
//     makes Restore fail with ECONFLICT instead of pulling the file from
//     under it. A server that opens the database after that check and before
//     the rename, a window of milliseconds, is not detected: stop servers
//     before restoring. A current database that is damaged (SQLite cannot
//     read it) is replaced all the same: that is what a restore is for.
//
// The old database is kept, hard-linked (or copied) as
// dbPath.before-restore-TIMESTAMP, then the copy is renamed over dbPath:
// a reader of dbPath sees the old file or the new one, never a mix.
func Restore(ctx context.Context, srcPath, dbPath string) (kept string, err error) {
	kept, err = restore(ctx, srcPath, dbPath)
	if err != nil {
		return "", fmt.Errorf("restore %s: %w", srcPath, err)
	}
	return kept, nil
}

func restore(ctx context.Context, srcPath, dbPath string) (string, error) {
	if err := CheckFile(ctx, srcPath); err != nil {
		return "", err
	}
	src, err := filepath.Abs(srcPath)
	if err != nil {
		return "", err
	}
	dest, err := filepath.Abs(dbPath)
	if err != nil {
		return "", err
	}
	srcInfo, err := os.Stat(src)
	if err != nil {
		return "", err
	}
	destInfo, err := os.Stat(dest)
	exists := err == nil
	switch {
	case exists && os.SameFile(srcInfo, destInfo):
		return "", model.Errorf(model.EINVALID, "%s is the database itself", srcPath)
	case exists && !destInfo.Mode().IsRegular():
		return "", model.Errorf(model.EINVALID, "%s is not a file", dbPath)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return "", err
	}
	if err := refuseLiveWAL(src, srcPath); err != nil {
		return "", err
	}

	tmp, err := copyBeside(src, dest)
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp)
		}
	}()
	if err := CheckFile(ctx, tmp); err != nil {
		return "", fmt.Errorf("the copy failed its check: %w", err)
	}
	if exists {
		// The database holds password hashes: the copy gets the old file's
		// permissions, not wider ones (a new one keeps CreateTemp's 0600).
		if err := os.Chmod(tmp, destInfo.Mode().Perm()); err != nil {
			return "", err
		}
	}

	kept := ""
	if exists {
		if err := takeOver(ctx, dest, dbPath); err != nil {
			return "", err
		}
		kept = fmt.Sprintf("%s.before-restore-%s", dest, time.Now().UTC().Format("20060102T150405Z"))
		if err := linkOrCopy(dest, kept); err != nil {
			return "", fmt.Errorf("keep the current database as %s: %w", kept, err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dest + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("remove stale %s%s: %w", dest, suffix, err)
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		return "", err
	}
	ok = true
	return kept, syncDir(filepath.Dir(dest))
}

// refuseLiveWAL refuses a source in WAL mode whose -wal file holds changes:
// they are part of the database but not of its main file.
func refuseLiveWAL(src, name string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	var header [20]byte
	if _, err := io.ReadFull(f, header[:]); err != nil {
		return model.Errorf(model.EINVALID, "%s is not a blockplan database", name)
	}
	// Bytes 18 and 19 of the header are the read and write format versions:
	// 2 for WAL.
	if header[18] != 2 && header[19] != 2 {
		return nil
	}
	if fi, err := os.Stat(src + "-wal"); err == nil && fi.Size() > 0 {
		return model.Errorf(model.EINVALID, "%s is a live database (it has a -wal file beside it), not a backup: make a backup of it with 'blockplan --db %s backup FILE' and restore that", name, name)
	}
	return nil
}

// copyBeside copies src to a new temporary file in dest's folder, synced to
// disk, and returns its name.
func copyBeside(src, dest string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.restore")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

// takeOver makes sure no other connection uses the database at path and
// leaves it as one self-contained file: it switches the database out of WAL
// mode, which checkpoints the WAL into the main file and removes it, and
// which SQLite refuses while another connection has the database open.
func takeOver(ctx context.Context, path, name string) error {
	db, err := sql.Open("sqlite3", dsn(path, "_busy_timeout=250"))
	if err != nil {
		return err
	}
	defer db.Close()
	inUse := func(err error) error {
		return &model.Error{Code: model.ECONFLICT, Err: err,
			Message: fmt.Sprintf("the database %s is in use (is 'blockplan serve' running?); stop what uses it, then restore", name)}
	}
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil {
		if model.ErrorCode(dbError(err)) == model.EINVALID {
			return nil // damaged: nothing to protect, replace it
		}
		return inUse(err)
	}
	if !strings.EqualFold(mode, "delete") {
		return inUse(fmt.Errorf("journal mode stayed %s", mode))
	}
	return db.Close()
}

// linkOrCopy makes kept a second name of path, or a copy of it where the file
// system cannot link.
func linkOrCopy(path, kept string) error {
	if err := os.Link(path, kept); err == nil {
		return nil
	}
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(kept, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"blockplan/model"
	"blockplan/store/sqlite"
)

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", "backup [--force] FILE\n\n"+
		"Writes a consistent copy of the database to FILE, with SQLite's online backup, while a\n"+
		"server goes on reading and writing it. The copy is checked before it is put in place,\n"+
		"and is one self-contained file: keep it anywhere, restore it with 'blockplan restore FILE'.")
	force := fs.Bool("force", false, "replace FILE if it exists")
	pos, err := parseExactly(fs, args, 1, "the backup FILE to write")
	if err != nil {
		return err
	}
	dest := pos[0]
	if _, err := os.Stat(e.dbPath); errors.Is(err, os.ErrNotExist) {
		return model.Errorf(model.ENOTFOUND, "no database at %s to back up", e.dbPath)
	}
	if fi, err := os.Stat(dest); err == nil {
		if fi.IsDir() {
			return model.Errorf(model.EINVALID, "%s is a folder: name the backup file", dest)
		}
		if !*force {
			return model.Errorf(model.ECONFLICT, "%s already exists (add --force to replace it)", dest)
		}
	}
	// sqlite.Open, not openStore: a backup must not seed a demo portfolio.
	db, err := sqlite.Open(ctx, e.dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, dest); err != nil {
		return err
	}
	size := ""
	if fi, err := os.Stat(dest); err == nil {
		size = fmt.Sprintf(" (%s)", humanBytes(fi.Size()))
	}
	fmt.Fprintf(e.stderr, "backed up %s to %s%s\n", e.dbPath, dest, size)
	return nil
}

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore", "restore FILE\n\n"+
		"Replaces the database with the backup FILE. FILE is checked first (SQLite's integrity and\n"+
		"foreign key checks, and that it is a blockplan database); if it fails, nothing changes.\n"+
		"The database must not be in use: stop 'blockplan serve' first (restore refuses while a\n"+
		"server has it open). The replaced database is kept beside it as\n"+
		"DB.before-restore-TIMESTAMP; the switch itself is one rename.")
	pos, err := parseExactly(fs, args, 1, "the backup FILE to restore")
	if err != nil {
		return err
	}
	kept, err := sqlite.Restore(ctx, pos[0], e.dbPath)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, e.dbPath) // brings an older backup's schema up to date
	if err != nil {
		return fmt.Errorf("the restored database does not open: %w", err)
	}
	defer db.Close()
	list, err := db.ListPortfolios(ctx)
	if err != nil {
		return err
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	detail := "from " + pos[0]
	if kept != "" {
		detail += "; the replaced database is kept as " + kept
	}
	if err := db.RecordAudit(ctx, model.AuditEntry{Action: model.ActionRestore, Detail: detail}); err != nil {
		return err
	}
	ids := make([]string, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	fmt.Fprintf(e.stdout, "restored %s into %s: %d portfolio(s)", pos[0], e.dbPath, len(list))
	if len(ids) > 0 {
		fmt.Fprintf(e.stdout, " (%s)", strings.Join(ids, ", "))
	}
	fmt.Fprintf(e.stdout, ", %d user(s)\n", len(users))
	if kept != "" {
		fmt.Fprintf(e.stderr, "the database it replaced is kept as %s\n", kept)
	}
	return nil
}

// humanBytes writes a size for a person.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

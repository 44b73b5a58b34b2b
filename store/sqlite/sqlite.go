// Package sqlite keeps blockplan's portfolios in one SQLite file: it
// implements model.PortfolioStore and model.EntityStore, migrates the schema
// from embedded numbered SQL files, and makes and checks online backups.
//
// It is the only package that imports github.com/mattn/go-sqlite3 (cgo), and
// it imports nothing of blockplan but model: web, importers and reports get
// the interfaces declared in model, never this package.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"blockplan/model"
)

// connParams are the settings every pooled connection gets. They live in the
// DSN because database/sql opens connections on its own: a PRAGMA run once
// would reach only one of them.
const connParams = "_foreign_keys=on&_busy_timeout=5000&_journal_mode=WAL"

// DB is an open blockplan database. It is safe for concurrent use.
//
// It holds two pools on the same file. Writes go through rw, whose
// transactions begin IMMEDIATE so that two writers queue on the busy timeout
// instead of failing when one upgrades a read lock. Reads go through ro,
// whose transactions begin DEFERRED and which refuses writes: in WAL mode a
// reader sees a consistent snapshot and never waits for a writer, so pages
// keep loading while an import runs.
type DB struct {
	path string
	rw   *sql.DB
	ro   *sql.DB

	now func() time.Time

	// writers admits one write transaction of this process at a time (a
	// semaphore: a send takes the turn). Blocked senders on a channel are
	// served in order, so writers queue fairly here, and for as long as
	// their context allows, instead of in SQLite's busy handler, which
	// polls with sleeps and gives up after busy_timeout: under 32
	// concurrent writers some of them waited more than 5 s there and
	// failed. Other processes (a CLI import beside a server) still meet on
	// the busy timeout.
	writers chan struct{}

	// failAfter, when set (by tests), is called at named points inside write
	// transactions; an error it returns aborts the transaction there.
	failAfter func(point string) error
}

var _ model.PortfolioStore = (*DB)(nil)
var _ model.EntityStore = (*DB)(nil)

// Open opens the database file at path, creating it on first use, and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{path: abs, now: time.Now, writers: make(chan struct{}, 1)}
	db.rw, err = sql.Open("sqlite3", dsn(abs, connParams+"&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.rw.PingContext(ctx); err != nil {
		db.rw.Close()
		return nil, fmt.Errorf("open database %s: %w", path, dbError(err))
	}
	if err := migrate(ctx, db.rw); err != nil {
		db.rw.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.ro, err = sql.Open("sqlite3", dsn(abs, connParams+"&_txlock=deferred&_query_only=on"))
	if err != nil {
		db.rw.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.ro.Close(), db.rw.Close())
}

// Path is the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// dsn is the go-sqlite3 DSN for the file at path: a file: URI (so that the
// query parameters are not taken for part of the name) whose path is escaped,
// so that a '?', '#' or '%' in a file name stays part of the name.
func dsn(path, params string) string {
	return "file:" + escapePath(path) + "?" + params
}

func escapePath(path string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '/', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded migrations in order. A file is named
// NNNN_what.sql; numbers must be distinct.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := filepath.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", base)
		}
		text, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: string(text)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// latestVersion is the schema version this build writes.
func latestVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies, in order, each migration not yet recorded in
// schema_migrations, each in its own transaction together with its record.
// Several processes may open the same file at once: each migration is
// checked again inside its (IMMEDIATE) transaction, so it runs once.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT`
	if _, err := db.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("create schema_migrations: %w", dbError(err))
	}
	var newest int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("read schema_migrations: %w", dbError(err))
	}
	if latest := latestVersion(); newest > latest {
		return model.Errorf(model.EINVALID, "the database was made by a newer blockplan (schema version %d; this build knows up to %d)", newest, latest)
	}
	for _, m := range ms {
		if err := applyMigration(ctx, db, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return dbError(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return dbError(err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return dbError(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, formatTime(time.Now())); err != nil {
		return dbError(err)
	}
	return dbError(tx.Commit())
}

// Times are stored as UTC text of fixed width, so that they sort as text and
// read well in the sqlite3 shell.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q in database: %w", s, err)
	}
	return t, nil
}

// write runs fn in one IMMEDIATE transaction: committed if fn returns nil,
// rolled back otherwise. Write transactions of this process take turns (see
// DB.writers).
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	select {
	case db.writers <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-db.writers }()
	tx, err := db.rw.BeginTx(ctx, nil)
	if err != nil {
		return dbError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return dbError(err)
	}
	return dbError(tx.Commit())
}

// read runs fn in one read-only transaction: its queries see one snapshot.
func (db *DB) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return dbError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return dbError(err)
	}
	return dbError(tx.Commit())
}

// hook gives tests a place to fail a write transaction midway.
func (db *DB) hook(point string) error {
	if db.failAfter == nil {
		return nil
	}
	return db.failAfter(point)
}

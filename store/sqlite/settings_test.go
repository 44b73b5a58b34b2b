package sqlite

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"

	"blockplan/model"
)

// checkAllApplied fails t unless every embedded migration, and nothing else,
// is recorded in db, in order.
func checkAllApplied(t *testing.T, db *DB) {
	t.Helper()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	got := appliedMigrations(t, db)
	if len(got) != len(ms) {
		t.Fatalf("recorded migrations %+v, want all %d of %+v", got, len(ms), ms)
	}
	for i, m := range ms {
		if got[i].version != m.version || got[i].name != m.name {
			t.Errorf("migration %d recorded as %+v, want %d %s", i, got[i], m.version, m.name)
		}
	}
}

func mustServerSecret(t *testing.T, db *DB) []byte {
	t.Helper()
	key, err := db.ServerSecret(context.Background())
	if err != nil {
		t.Fatalf("ServerSecret: %v", err)
	}
	if len(key) != 32 {
		t.Fatalf("ServerSecret has %d bytes, want 32", len(key))
	}
	return key
}

// The server's secret is made once per database: the same on a second call,
// after reopening, and from another handle on the same file; another database
// has another one.
func TestServerSecretIsKeptPerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blockplan.db")
	db := openPath(t, path)
	first := mustServerSecret(t, db)
	if bytes.Equal(first, make([]byte, 32)) {
		t.Fatal("ServerSecret is all zero bytes")
	}
	if again := mustServerSecret(t, db); !bytes.Equal(again, first) {
		t.Error("a second call gave another secret")
	}
	if other := mustServerSecret(t, openPath(t, path)); !bytes.Equal(other, first) {
		t.Error("another handle on the same file gave another secret")
	}
	db.Close()
	if reopened := mustServerSecret(t, openPath(t, path)); !bytes.Equal(reopened, first) {
		t.Error("the secret changed after reopening")
	}
	if elsewhere := mustServerSecret(t, openTest(t)); bytes.Equal(elsewhere, first) {
		t.Error("two databases have the same secret")
	}
}

// Handles that ask for the secret of a new database at once (as two
// processes would) all get the same one.
func TestServerSecretRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blockplan.db")
	dbs := make([]*DB, 8)
	for i := range dbs {
		dbs[i] = openPath(t, path)
	}
	keys := make([][]byte, len(dbs))
	errs := make([]error, len(dbs))
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() { keys[i], errs[i] = db.ServerSecret(context.Background()) })
	}
	wg.Wait()
	for i := range dbs {
		if errs[i] != nil {
			t.Fatalf("handle %d: %v", i, errs[i])
		}
		if len(keys[i]) != 32 || !bytes.Equal(keys[i], keys[0]) {
			t.Errorf("handle %d got secret %x, handle 0 %x", i, keys[i], keys[0])
		}
	}
}

// A stored secret of the wrong length is refused, not used.
func TestServerSecretRefusesBadStoredKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blockplan.db")
	openPath(t, path).Close()
	execOn(t, path, `INSERT INTO server_settings (key, value) VALUES ('login_csrf_key', x'0102')`)
	_, err := openPath(t, path).ServerSecret(context.Background())
	wantCode(t, err, model.EINVALID)
}

// A database made before 0003 gains server_settings on opening and keeps its
// users and portfolios.
func TestUpgradeFromUsersSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := openPath(t, path)
	mustSave(t, db, genPortfolio("kept", 10, 1), model.SaveOptions{})
	mustCreateUser(t, db, "root", model.RoleAdmin)
	db.Close()
	execOn(t, path, `DROP TABLE server_settings; DELETE FROM schema_migrations WHERE version > 2`)

	db = openPath(t, path)
	checkAllApplied(t, db)
	p, _ := mustGet(t, db, "kept")
	checkOneGeneration(t, p)
	if users, err := db.ListUsers(context.Background()); err != nil || len(users) != 1 || users[0].Name != "root" {
		t.Errorf("users after the upgrade: %+v, %v", users, err)
	}
	mustServerSecret(t, db)
}

package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"testing"
	"time"

	"blockplan/model"
)

// hashOf is a stand-in for web/auth's HashToken.
func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// clock is a settable time for db.now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func withClock(db *DB) *clock {
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db.now = c.now
	return c
}

func mustCreateUser(t *testing.T, db *DB, name string, role model.Role) model.User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), name, role, "$2a$12$fakehashfakehashfakehash")
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

func TestUserLifecycle(t *testing.T) {
	db := openTest(t)
	ctx := model.WithActor(context.Background(), "root")
	u, err := db.CreateUser(ctx, "Alice", model.RoleAdmin, "hash-a")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Name != "Alice" || u.Role != model.RoleAdmin || u.CreatedAt.IsZero() {
		t.Errorf("CreateUser = %+v", u)
	}
	if _, err := db.CreateUser(ctx, "bob", model.RoleViewer, "hash-bob"); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name     string
		role     model.Role
		hash     string
		wantCode string
	}{
		{"alice", model.RolePlanner, "h", model.ECONFLICT}, // case-insensitive
		{"", model.RoleViewer, "h", model.EINVALID},
		{"a b", model.RoleViewer, "h", model.EINVALID},
		{"<script>", model.RoleViewer, "h", model.EINVALID},
		{"-x", model.RoleViewer, "h", model.EINVALID},
		{"unknown", model.RoleViewer, "h", model.EINVALID},
		{"carol", "root", "h", model.EINVALID},
		{"carol", model.RoleViewer, "", model.EINVALID},
	} {
		_, err := db.CreateUser(ctx, tc.name, tc.role, tc.hash)
		if got := model.ErrorCode(err); got != tc.wantCode {
			t.Errorf("CreateUser(%q, %q, %q): code %q (%v), want %q", tc.name, tc.role, tc.hash, got, err, tc.wantCode)
		}
	}

	got, hash, err := db.UserPasswordHash(ctx, "ALICE")
	if err != nil || got.Name != "Alice" || hash != "hash-a" {
		t.Errorf("UserPasswordHash(ALICE) = %+v, %q, %v", got, hash, err)
	}
	_, err = db.GetUser(ctx, "nobody")
	wantCode(t, err, model.ENOTFOUND)

	list, err := db.ListUsers(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "Alice" || list[1].Name != "bob" {
		t.Fatalf("ListUsers = %+v, %v", list, err)
	}

	// The last admin can be neither removed nor demoted.
	wantCode(t, db.DeleteUser(ctx, "alice"), model.ECONFLICT)
	wantCode(t, db.SetRole(ctx, "alice", model.RoleViewer), model.ECONFLICT)
	if err := db.SetRole(ctx, "bob", model.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRole(ctx, "alice", model.RolePlanner); err != nil {
		t.Fatalf("demote alice once bob is admin: %v", err)
	}
	wantCode(t, db.SetRole(ctx, "bob", "god"), model.EINVALID)

	if err := db.SetPasswordHash(ctx, "alice", "hash-b"); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ := db.UserPasswordHash(ctx, "alice"); hash != "hash-b" {
		t.Errorf("password hash after SetPasswordHash = %q", hash)
	}
	wantCode(t, db.SetPasswordHash(ctx, "nobody", "x"), model.ENOTFOUND)
	if err := db.DeleteUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.DeleteUser(ctx, "alice"), model.ENOTFOUND)

	// Every change is in the audit log, by the context's actor, and no entry
	// holds a password hash.
	entries, err := db.ListAudit(ctx, model.AuditFilter{Kind: model.KindUser, Bodies: true})
	if err != nil {
		t.Fatal(err)
	}
	var got2 []string
	for _, e := range entries {
		got2 = append(got2, e.Action+" "+e.EntityID)
		if e.Actor != "root" {
			t.Errorf("entry %d actor %q, want root", e.ID, e.Actor)
		}
		for _, b := range [][]byte{e.Before, e.After} {
			if containsAny(string(b), "hash-a", "hash-b", "hash-bob") {
				t.Errorf("entry %d holds a password hash: %s", e.ID, b)
			}
		}
	}
	want := []string{"delete Alice", "update Alice", "update Alice", "update bob", "create bob", "create Alice"}
	if fmt.Sprint(got2) != fmt.Sprint(want) {
		t.Errorf("user audit entries = %v, want %v", got2, want)
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		for i := 0; i+len(sub) <= len(s); i++ {
			if s[i:i+len(sub)] == sub {
				return true
			}
		}
	}
	return false
}

func TestTokens(t *testing.T) {
	db := openTest(t)
	clk := withClock(db)
	ctx := context.Background()
	mustCreateUser(t, db, "ana", model.RolePlanner)
	mustCreateUser(t, db, "don", model.RoleViewer)

	tok, err := db.CreateToken(ctx, "ana", "ci", "", hashOf("t1"))
	if err != nil {
		t.Fatal(err)
	}
	readOnly, err := db.CreateToken(ctx, "ana", "dashboard", model.RoleViewer, hashOf("t2"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(ctx, "don", "ci", "", hashOf("t3")); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		user, label string
		role        model.Role
		hash        string
		want        string
	}{
		{"nobody", "", "", hashOf("x"), model.ENOTFOUND},
		{"don", "", model.RolePlanner, hashOf("x"), model.EINVALID}, // above the user's role
		{"don", "", "root", hashOf("x"), model.EINVALID},
		{"don", "123", "", hashOf("x"), model.EINVALID}, // would read as an id
		{"don", "", "", "not-a-hash", model.EINVALID},
		{"don", "", "", hashOf("t1"), model.ECONFLICT}, // same hash twice
	} {
		_, err := db.CreateToken(ctx, tc.user, tc.label, tc.role, tc.hash)
		if got := model.ErrorCode(err); got != tc.want {
			t.Errorf("CreateToken(%q, %q, %q): code %q (%v), want %q", tc.user, tc.label, tc.role, got, err, tc.want)
		}
	}

	u, got, err := db.TokenUser(ctx, hashOf("t1"))
	if err != nil || u.Name != "ana" || u.Role != model.RolePlanner || got.ID != tok.ID {
		t.Fatalf("TokenUser(t1) = %+v, %+v, %v", u, got, err)
	}
	if got.LastUsed == nil || !got.LastUsed.Equal(clk.t) {
		t.Errorf("last used = %v, want %v", got.LastUsed, clk.t)
	}
	u, _, err = db.TokenUser(ctx, hashOf("t2"))
	if err != nil || u.Role != model.RoleViewer {
		t.Errorf("a viewer token of a planner acts as %q (%v), want viewer", u.Role, err)
	}
	_, _, err = db.TokenUser(ctx, hashOf("never made"))
	wantCode(t, err, model.EUNAUTHORIZED)
	_, _, err = db.TokenUser(ctx, "")
	wantCode(t, err, model.EUNAUTHORIZED)

	// Last use is written at most once a minute.
	first := clk.t
	clk.t = clk.t.Add(30 * time.Second)
	db.TokenUser(ctx, hashOf("t1"))
	if list, _ := db.ListTokens(ctx, "ana"); !list[1].LastUsed.Equal(first) {
		t.Errorf("last used moved within a minute: %v", list[1].LastUsed)
	}
	clk.t = clk.t.Add(time.Minute)
	db.TokenUser(ctx, hashOf("t1"))
	if list, _ := db.ListTokens(ctx, "ana"); !list[1].LastUsed.Equal(clk.t) {
		t.Errorf("last used = %v, want %v", list[1].LastUsed, clk.t)
	}

	// A demotion applies to the user's tokens at once.
	if err := db.SetRole(ctx, "ana", model.RoleViewer); err != nil {
		t.Fatal(err)
	}
	if u, _, _ := db.TokenUser(ctx, hashOf("t1")); u.Role != model.RoleViewer {
		t.Errorf("token of a demoted user acts as %q", u.Role)
	}

	// Revoking: by label when it names one live token, by id always.
	_, err = db.RevokeToken(ctx, "ci")
	wantCode(t, err, model.EINVALID) // ana's and don's
	_, err = db.RevokeToken(ctx, "nope")
	wantCode(t, err, model.ENOTFOUND)
	r, err := db.RevokeToken(ctx, "dashboard")
	if err != nil || r.ID != readOnly.ID || !r.Revoked() {
		t.Fatalf("RevokeToken(dashboard) = %+v, %v", r, err)
	}
	if _, err := db.RevokeToken(ctx, strconv.FormatInt(tok.ID, 10)); err != nil {
		t.Fatal(err)
	}
	_, err = db.RevokeToken(ctx, strconv.FormatInt(tok.ID, 10))
	wantCode(t, err, model.ECONFLICT)
	for _, h := range []string{hashOf("t1"), hashOf("t2")} {
		_, _, err := db.TokenUser(ctx, h)
		wantCode(t, err, model.EUNAUTHORIZED)
	}
	if _, err := db.RevokeToken(ctx, "ci"); err != nil {
		t.Errorf("once ana's ci token is revoked, label ci names don's alone: %v", err)
	}

	all, err := db.ListTokens(ctx, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("ListTokens = %+v, %v", all, err)
	}
	for _, tk := range all {
		if !tk.Revoked() {
			t.Errorf("token %d is not revoked", tk.ID)
		}
	}
	_, err = db.ListTokens(ctx, "nobody")
	wantCode(t, err, model.ENOTFOUND)

	// Removing a user removes its tokens.
	tok4, _ := db.CreateToken(ctx, "don", "", "", hashOf("t4"))
	if err := db.DeleteUser(ctx, "don"); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.TokenUser(ctx, hashOf("t4"))
	wantCode(t, err, model.EUNAUTHORIZED)
	_, err = db.RevokeToken(ctx, strconv.FormatInt(tok4.ID, 10))
	wantCode(t, err, model.ENOTFOUND)
}

func TestSessions(t *testing.T) {
	db := openTest(t)
	clk := withClock(db)
	ctx := context.Background()
	ana := mustCreateUser(t, db, "ana", model.RolePlanner)
	mustCreateUser(t, db, "root", model.RoleAdmin)

	s := model.Session{IDHash: hashOf("s1"), User: model.User{ID: ana.ID}, CSRFToken: "csrf-1", ExpiresAt: clk.t.Add(time.Hour)}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, model.Session{IDHash: hashOf("s2"), User: model.User{Name: "ANA"},
		CSRFToken: "csrf-2", ExpiresAt: clk.t.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []model.Session{
		{IDHash: "short", User: model.User{ID: ana.ID}, CSRFToken: "c", ExpiresAt: clk.t.Add(time.Hour)},
		{IDHash: hashOf("x"), User: model.User{ID: ana.ID}, ExpiresAt: clk.t.Add(time.Hour)},
		{IDHash: hashOf("x"), User: model.User{ID: ana.ID}, CSRFToken: "c", ExpiresAt: clk.t},
	} {
		wantCode(t, db.CreateSession(ctx, bad), model.EINVALID)
	}
	wantCode(t, db.CreateSession(ctx, model.Session{IDHash: hashOf("x"), User: model.User{Name: "nobody"},
		CSRFToken: "c", ExpiresAt: clk.t.Add(time.Hour)}), model.ENOTFOUND)

	got, err := db.SessionByHash(ctx, hashOf("s1"))
	if err != nil || got.User.Name != "ana" || got.User.Role != model.RolePlanner || got.CSRFToken != "csrf-1" ||
		!got.ExpiresAt.Equal(s.ExpiresAt) {
		t.Fatalf("SessionByHash = %+v, %v", got, err)
	}
	_, err = db.SessionByHash(ctx, hashOf("never"))
	wantCode(t, err, model.EUNAUTHORIZED)

	// A role change applies to live sessions at once.
	if err := db.SetRole(ctx, "ana", model.RoleViewer); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.SessionByHash(ctx, hashOf("s1")); got.User.Role != model.RoleViewer {
		t.Errorf("session of a demoted user has role %q", got.User.Role)
	}

	// Expiry.
	clk.t = clk.t.Add(time.Hour)
	_, err = db.SessionByHash(ctx, hashOf("s1"))
	wantCode(t, err, model.EUNAUTHORIZED)
	if _, err := db.SessionByHash(ctx, hashOf("s2")); err != nil {
		t.Errorf("s2 should live another hour: %v", err)
	}
	if n, err := db.DeleteExpiredSessions(ctx); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}

	// Logout, twice.
	if err := db.DeleteSession(ctx, hashOf("s2")); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSession(ctx, hashOf("s2")); err != nil {
		t.Errorf("second logout: %v", err)
	}
	_, err = db.SessionByHash(ctx, hashOf("s2"))
	wantCode(t, err, model.EUNAUTHORIZED)

	// A new password ends every session of the user.
	for i := range 3 {
		db.CreateSession(ctx, model.Session{IDHash: hashOf(fmt.Sprint("p", i)), User: model.User{Name: "ana"},
			CSRFToken: "c", ExpiresAt: clk.t.Add(time.Hour)})
	}
	db.CreateSession(ctx, model.Session{IDHash: hashOf("root"), User: model.User{Name: "root"}, CSRFToken: "c", ExpiresAt: clk.t.Add(time.Hour)})
	if err := db.SetPasswordHash(ctx, "ana", "new"); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		_, err := db.SessionByHash(ctx, hashOf(fmt.Sprint("p", i)))
		wantCode(t, err, model.EUNAUTHORIZED)
	}
	if _, err := db.SessionByHash(ctx, hashOf("root")); err != nil {
		t.Errorf("another user's session ended too: %v", err)
	}

	// Logins and logouts are recorded, by the user.
	entries, err := db.ListAudit(ctx, model.AuditFilter{Kind: model.KindSession})
	if err != nil {
		t.Fatal(err)
	}
	var logins, logouts int
	for _, e := range entries {
		switch e.Action {
		case model.ActionLogin:
			logins++
		case model.ActionLogout:
			logouts++
			if e.Actor != "ana" {
				t.Errorf("logout by %q, want ana", e.Actor)
			}
		}
	}
	if logins != 6 || logouts != 1 {
		t.Errorf("%d logins and %d logouts recorded, want 6 and 1", logins, logouts)
	}
}

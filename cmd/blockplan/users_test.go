package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"blockplan/fixtures"
	"blockplan/model"
	"blockplan/store/sqlite"
	"blockplan/web/auth"
)

const goodPassword = "correct horse battery\n"

// mustRun runs the command line and fails t unless it exits with want.
func (c *cli) mustRun(want int, stdin string, args ...string) (stdout, stderr string) {
	c.t.Helper()
	code, out, errs := c.run(stdin, args...)
	if code != want {
		c.t.Fatalf("blockplan %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errs)
	}
	return out, errs
}

// open opens the CLI's database directly, to check what the commands did.
func (c *cli) open() *sqlite.DB {
	c.t.Helper()
	db, err := sqlite.Open(context.Background(), c.db)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { db.Close() })
	return db
}

func TestUserCommands(t *testing.T) {
	c := newCLI(t)
	c.mustRun(0, goodPassword, "user", "add", "root", "--role", "admin")
	c.mustRun(0, "another password\r\n", "user", "add", "--role=planner", "ana") // flags after or before; CRLF
	c.mustRun(0, goodPassword, "user", "add", "Don", "--role", "VIEWER")

	out, _ := c.mustRun(0, "", "user", "list")
	for _, want := range []string{"NAME", "root  admin", "ana   planner", "Don   viewer"} {
		if !strings.Contains(out, want) {
			t.Errorf("user list lacks %q:\n%s", want, out)
		}
	}
	out, _ = c.mustRun(0, "", "user", "list", "--json")
	var users []model.User
	if err := json.Unmarshal([]byte(out), &users); err != nil || len(users) != 3 {
		t.Fatalf("user list --json: %v\n%s", err, out)
	}
	if strings.Contains(out, "$2a$") || strings.Contains(out, "password") {
		t.Errorf("user list shows password hashes:\n%s", out)
	}

	db := c.open()
	_, hash, err := db.UserPasswordHash(context.Background(), "ana")
	if err != nil || !auth.CheckPassword(hash, "another password") {
		t.Fatalf("ana's password was not stored as typed (without the CR): %v", err)
	}

	c.mustRun(0, "", "user", "role", "ana", "admin")
	c.mustRun(0, "a new password!\n", "user", "passwd", "ana")
	if _, hash, _ := db.UserPasswordHash(context.Background(), "ana"); !auth.CheckPassword(hash, "a new password!") {
		t.Error("user passwd did not change the password")
	}
	c.mustRun(0, "", "user", "remove", "root")
	_, errs := c.mustRun(1, "", "user", "remove", "ana")
	if !strings.Contains(errs, "last admin") {
		t.Errorf("removing the last admin: %s", errs)
	}
	c.mustRun(1, "", "user", "role", "ana", "viewer")
	out, _ = c.mustRun(0, "", "user", "list")
	if strings.Contains(out, "root") || !strings.Contains(out, "ana   admin") {
		t.Errorf("after remove and role:\n%s", out)
	}

	// Every change was recorded, as made from the command line.
	entries, err := db.ListAudit(context.Background(), model.AuditFilter{Kind: model.KindUser})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 6 {
		t.Errorf("%d user changes recorded, want 6", len(entries))
	}
	for _, e := range entries {
		if e.Actor != cliActor() || !strings.HasPrefix(e.Actor, "cli") {
			t.Errorf("entry %s %s by %q, want %q", e.Action, e.EntityID, e.Actor, cliActor())
		}
	}
}

func TestUserCommandErrors(t *testing.T) {
	c := newCLI(t)
	c.mustRun(0, goodPassword, "user", "add", "root", "--role", "admin")
	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{goodPassword, []string{"user", "add", "x", "--role", "god"}, 2, `unknown role "god"`},
		{goodPassword, []string{"user", "add", "x"}, 2, "needs --role"},
		{goodPassword, []string{"user", "add", "--role", "viewer"}, 2, "expected a user NAME"},
		{goodPassword, []string{"user", "role", "root", "superuser"}, 2, "unknown role"},
		{"", []string{"user"}, 2, "needs a subcommand"},
		{"", []string{"user", "frob"}, 2, "unknown user subcommand"},
		{"short\n", []string{"user", "add", "x", "--role", "viewer"}, 1, "at least 10 characters"},
		{strings.Repeat("x", 73) + "\n", []string{"user", "add", "x", "--role", "viewer"}, 1, "at most 72 bytes"},
		{"", []string{"user", "add", "x", "--role", "viewer"}, 1, "no password on standard input"},
		{"\n", []string{"user", "add", "x", "--role", "viewer"}, 1, "no password on standard input"},
		{goodPassword, []string{"user", "add", "<b>x</b>", "--role", "viewer"}, 1, "use letters, digits"},
		{goodPassword, []string{"user", "add", "ROOT", "--role", "viewer"}, 1, "already exists"},
		{goodPassword, []string{"user", "passwd", "nobody"}, 1, "no user nobody"},
		{"", []string{"user", "remove", "nobody"}, 1, "no user nobody"},
		{"", []string{"user", "--help"}, 0, "Usage: blockplan user add"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errs := c.run(tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(out+errs, tc.want) {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, tc.code, tc.want, out, errs)
			}
		})
	}
	out, _ := c.mustRun(0, "", "user", "list", "--json")
	if n := strings.Count(out, `"name"`); n != 1 {
		t.Errorf("failed commands added users: %s", out)
	}
}

func TestTokenCommands(t *testing.T) {
	c := newCLI(t)
	ctx := context.Background()
	c.mustRun(0, goodPassword, "user", "add", "ana", "--role", "planner")
	c.mustRun(0, goodPassword, "user", "add", "don", "--role", "viewer")

	out, errs := c.mustRun(0, "", "token", "add", "ana", "--label", "ci")
	tok := strings.TrimSpace(out)
	if !auth.LooksLikeToken(tok) || strings.Count(out, "\n") != 1 {
		t.Fatalf("token add printed %q; want the token alone", out)
	}
	if !strings.Contains(errs, "shown only now") {
		t.Errorf("token add stderr: %s", errs)
	}
	out, _ = c.mustRun(0, "", "token", "add", "ana", "--label", "dashboard", "--role", "viewer")
	readOnly := strings.TrimSpace(out)
	out, _ = c.mustRun(0, "", "token", "add", "don")
	donTok := strings.TrimSpace(out)

	c.mustRun(1, "", "token", "add", "nobody")
	c.mustRun(1, "", "token", "add", "don", "--role", "admin") // above don's role
	c.mustRun(2, "", "token", "add", "don", "--role", "root")
	c.mustRun(2, "", "token", "add")

	db := c.open()
	for _, tc := range []struct {
		token string
		user  string
		role  model.Role
	}{{tok, "ana", model.RolePlanner}, {readOnly, "ana", model.RoleViewer}, {donTok, "don", model.RoleViewer}} {
		u, _, err := db.TokenUser(ctx, auth.HashToken(tc.token))
		if err != nil || u.Name != tc.user || u.Role != tc.role {
			t.Errorf("token of %s acts as %+v, %v; want %s", tc.user, u, err, tc.role)
		}
	}

	// The list never shows a token, in text or JSON.
	text, _ := c.mustRun(0, "", "token", "list")
	jsonOut, _ := c.mustRun(0, "", "token", "list", "--json", "--user", "ana")
	for _, secret := range []string{tok, readOnly, donTok, auth.HashToken(tok)} {
		if strings.Contains(text+jsonOut, secret) {
			t.Fatalf("token list shows a token or its hash")
		}
	}
	var listed []model.Token
	if err := json.Unmarshal([]byte(jsonOut), &listed); err != nil || len(listed) != 2 {
		t.Fatalf("token list --json --user ana: %v\n%s", err, jsonOut)
	}
	if !strings.Contains(text, "dashboard") || !strings.Contains(text, "(user's)") || strings.Count(text, "\n") != 4 {
		t.Errorf("token list:\n%s", text)
	}

	// Revocation, by label and by id, takes effect at once.
	c.mustRun(0, "", "token", "revoke", "ci")
	_, _, err := db.TokenUser(ctx, auth.HashToken(tok))
	if model.ErrorCode(err) != model.EUNAUTHORIZED {
		t.Errorf("revoked token: %v", err)
	}
	c.mustRun(1, "", "token", "revoke", "ci") // no live token is labelled ci any more
	c.mustRun(0, "", "token", "revoke", strconv.FormatInt(listed[0].ID, 10))
	c.mustRun(1, "", "token", "revoke", strconv.FormatInt(listed[0].ID, 10))
	if _, _, err := db.TokenUser(ctx, auth.HashToken(readOnly)); model.ErrorCode(err) != model.EUNAUTHORIZED {
		t.Errorf("token revoked by id: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, auth.HashToken(donTok)); err != nil {
		t.Errorf("another token was revoked too: %v", err)
	}
	text, _ = c.mustRun(0, "", "token", "list", "--user", "ana")
	if strings.Count(text, "\n") != 3 || strings.Contains(text, "  -\n") {
		t.Errorf("revoked tokens should stay listed, with when:\n%s", text)
	}

	// Removing a user revokes its tokens.
	c.mustRun(0, "", "user", "remove", "don")
	if _, _, err := db.TokenUser(ctx, auth.HashToken(donTok)); model.ErrorCode(err) != model.EUNAUTHORIZED {
		t.Errorf("token of a removed user: %v", err)
	}
}

// Portfolio changes made from the command line are in the audit log, by the
// command line.
func TestImportAndDeleteAreAudited(t *testing.T) {
	c := newCLI(t)
	f := writeFile(t, "p.json", string(fixtures.WorkedExample))
	out, _ := c.mustRun(0, "", "import", f)
	id := strings.TrimSpace(out)
	c.mustRun(0, "", "import", "--replace", f)
	c.mustRun(0, "", "delete", id)
	entries, err := c.open().ListAudit(context.Background(), model.AuditFilter{PortfolioID: id})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Action+" by "+e.Actor)
	}
	want := []string{"delete by " + cliActor(), "update by " + cliActor(), "create by " + cliActor()}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("audit of %s: %v, want %v", id, got, want)
	}
}

// genPortfolio is a portfolio of n programmes in which every name carries
// gen, so that a reader can tell whether all of it comes from one save.
func genPortfolio(id string, n, gen int) *model.Portfolio {
	p := &model.Portfolio{Format: model.Format, ID: id, Name: fmt.Sprintf("%s gen %d", id, gen), Currency: "USD",
		Agencies: []model.Agency{{ID: "moh", Name: fmt.Sprintf("Health gen %d", gen)}}}
	for i := range n / 10 {
		p.Blocks = append(p.Blocks, model.Block{ID: fmt.Sprintf("B%d", i), Name: fmt.Sprintf("Block %d gen %d", i, gen),
			BuildCost: model.Point(1000)})
	}
	for i := range n {
		p.Programmes = append(p.Programmes, model.Programme{ID: fmt.Sprintf("P%d", i),
			Name: fmt.Sprintf("Programme %d gen %d", i, gen), Agency: "moh", OwnBuildCost: model.Point(float64(i))})
	}
	return p
}

// checkComplete fails t unless every name in p carries the generation of
// p's own name and p has all its programmes.
func checkComplete(t *testing.T, p *model.Portfolio, programmes int) {
	t.Helper()
	_, gen, ok := strings.Cut(p.Name, " gen ")
	if !ok {
		return // not one of genPortfolio's
	}
	if len(p.Programmes) != programmes || len(p.Blocks) != programmes/10 {
		t.Errorf("%s: %d programmes and %d blocks, want %d and %d", p.ID, len(p.Programmes), len(p.Blocks), programmes, programmes/10)
	}
	names := []string{p.Agencies[0].Name}
	for _, e := range p.Programmes {
		names = append(names, e.Name)
	}
	for _, e := range p.Blocks {
		names = append(names, e.Name)
	}
	for _, n := range names {
		if !strings.HasSuffix(n, " gen "+gen) {
			t.Errorf("%s (%s) holds %q from another save", p.ID, p.Name, n)
			return
		}
	}
}

// A backup taken while portfolios keep being saved and imported passes the
// check, and restores, elsewhere, to a database in which every portfolio is
// whole: all of one save, none of a half-written one.
func TestBackupWhileWritingRestoresConsistently(t *testing.T) {
	c := newCLI(t)
	ctx := context.Background()
	db := c.open()
	const writers, programmes = 3, 400
	for w := range writers {
		if _, err := db.SavePortfolio(ctx, genPortfolio(fmt.Sprintf("w%d", w), programmes, 0), model.SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}

	var stop atomic.Bool
	var saves, imports atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, writers+1)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for gen := 1; !stop.Load(); gen++ {
				p := genPortfolio(fmt.Sprintf("w%d", w), programmes, gen)
				if _, err := db.SavePortfolio(ctx, p, model.SaveOptions{Replace: true}); err != nil {
					errc <- err
					return
				}
				saves.Add(1)
			}
		}()
	}
	wg.Add(1)
	go func() { // and the import command, in-process, over and over
		defer wg.Done()
		f := writeFile(t, "demo.json", string(fixtures.Demo))
		for !stop.Load() {
			var out, errb bytes.Buffer
			if code := run(ctx, []string{"--db", c.db, "import", "--replace", f}, strings.NewReader(""), &out, &errb); code != 0 {
				errc <- fmt.Errorf("import: exit %d: %s", code, errb.String())
				return
			}
			imports.Add(1)
		}
	}()
	for saves.Load() < writers || imports.Load() < 1 {
		time.Sleep(5 * time.Millisecond)
	}

	backup := filepath.Join(t.TempDir(), "backup.db")
	before := saves.Load()
	c.mustRun(0, "", "backup", backup)
	during := saves.Load() - before

	// Restoring over the live database is refused while it is in use.
	_, errs := c.mustRun(1, "", "restore", backup)
	if !strings.Contains(errs, "in use") {
		t.Errorf("restore over a database in use: %s", errs)
	}

	time.Sleep(20 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	t.Logf("%d saves and %d imports in all; %d saves while the backup ran", saves.Load(), imports.Load(), during)

	if err := sqlite.CheckFile(ctx, backup); err != nil {
		t.Fatalf("the backup fails its check: %v", err)
	}
	other := &cli{t: t, db: filepath.Join(t.TempDir(), "restored.db")}
	out, _ := other.mustRun(0, "", "restore", backup)
	if !strings.Contains(out, fmt.Sprintf("%d portfolio(s)", writers+1)) {
		t.Errorf("restore said: %s", out)
	}
	restored := other.open()
	list, err := restored.ListPortfolios(ctx)
	if err != nil || len(list) != writers+1 {
		t.Fatalf("restored database holds %d portfolios (%v), want %d", len(list), err, writers+1)
	}
	for _, info := range list {
		p, _, err := restored.GetPortfolio(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if info.ID == "lagunie-2026" {
			want, _ := model.DecodePortfolioBytes(fixtures.Demo)
			if len(p.Programmes) != len(want.Programmes) || len(p.Blocks) != len(want.Blocks) {
				t.Errorf("restored demo has %d programmes and %d blocks, want %d and %d",
					len(p.Programmes), len(p.Blocks), len(want.Programmes), len(want.Blocks))
			}
			continue
		}
		checkComplete(t, p, programmes)
	}
	// The audit log came along, and says the restore happened.
	entries, err := restored.ListAudit(ctx, model.AuditFilter{Limit: 1})
	if err != nil || len(entries) != 1 || entries[0].Action != model.ActionRestore || entries[0].Actor != cliActor() {
		t.Errorf("last audit entry of the restored database: %+v, %v", entries, err)
	}
}

func TestBackupAndRestoreRefusals(t *testing.T) {
	c := newCLI(t)
	ctx := context.Background()
	c.mustRun(0, goodPassword, "user", "add", "root", "--role", "admin") // makes the database
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	c.mustRun(0, "", "backup", backup)
	_, errs := c.mustRun(1, "", "backup", backup)
	if !strings.Contains(errs, "--force") {
		t.Errorf("backup over an existing file: %s", errs)
	}
	c.mustRun(0, "", "backup", "--force", backup)
	c.mustRun(1, "", "backup", dir)
	c.mustRun(2, "", "backup")
	missing := &cli{t: t, db: filepath.Join(dir, "none.db")}
	if _, errs := missing.mustRun(1, "", "backup", filepath.Join(dir, "x.db")); !strings.Contains(errs, "no database") {
		t.Errorf("backup of no database: %s", errs)
	}
	if _, err := os.Stat(missing.db); err == nil {
		t.Error("backup created the database it was asked to copy")
	}

	// Bad files are refused with the reason, and the database is untouched.
	damaged := filepath.Join(dir, "damaged.db")
	b, _ := os.ReadFile(backup)
	for off := 4096; off+4096 <= len(b); off += 4096 {
		for i := off + 100; i < off+300; i++ {
			b[i] = 0xA5
		}
	}
	os.WriteFile(damaged, b, 0o644)
	text := writeFile(t, "notes.txt", "these are not the data you are looking for\n")
	c.mustRun(0, "", "delete", "lagunie-2026") // so that the database differs from the backup
	want, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path, reason string }{
		{"damaged", damaged, "is damaged"},
		{"not a database", text, "not a blockplan database"},
		{"missing", filepath.Join(dir, "nothing.db"), "no file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := c.mustRun(1, "", "restore", tc.path)
			if !strings.Contains(errs, tc.reason) {
				t.Errorf("restore %s: %s", tc.name, errs)
			}
			got, _ := os.ReadFile(c.db)
			if !bytes.Equal(got, want) {
				t.Error("a refused restore changed the database")
			}
		})
	}
	entries, _ := os.ReadDir(filepath.Dir(c.db))
	if len(entries) != 1 {
		t.Errorf("refused restores left files beside the database: %v", entries)
	}

	// The good backup restores, and the replaced database is kept.
	out, errs := c.mustRun(0, "", "restore", backup)
	if !strings.Contains(out, "1 portfolio(s) (lagunie-2026), 1 user(s)") || !strings.Contains(errs, "before-restore") {
		t.Errorf("restore said: %s%s", out, errs)
	}
	list, _ := c.open().ListPortfolios(ctx)
	if len(list) != 1 {
		t.Errorf("after restore: %d portfolios, want the demo back", len(list))
	}
}

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"blockplan/model"
	"blockplan/store/sqlite"
	"blockplan/web/auth"
)

// cliActor is who the audit log says made a change from the command line:
// "cli:" and the operating-system user. (A blockplan user name cannot hold
// ':', so no user can pass for it.)
func cliActor() string {
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	for _, v := range []string{"USER", "USERNAME"} {
		if name == "" {
			name = os.Getenv(v)
		}
	}
	if name == "" {
		return "cli"
	}
	return "cli:" + name
}

// asCLI makes run's writes be recorded in the audit log as the command
// line's (see cliActor). Commands that write are wrapped with it in
// commands().
func asCLI(run func(context.Context, *env, []string) error) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		return run(model.WithActor(ctx, cliActor()), e, args)
	}
}

const userUsage = `user add NAME --role ROLE | user list [--json] | user remove NAME |
       user passwd NAME | user role NAME ROLE

Manages who may sign in to the web server. ROLE is one of:
  admin    users, tokens, the audit log, and everything a planner may do
  planner  edit portfolios (import, edit, delete entities)
  viewer   read pages, export and reports (for donors)
"add" and "passwd" read the password from standard input: one line, or, on a
terminal, typed twice without echo. A password has 10 characters to 72 bytes.
A new password signs the user out everywhere. The last admin can be neither
removed nor demoted.`

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("user needs a subcommand: add, list, remove, passwd or role")
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "user "+sub, userUsage)
	if sub == "-h" || sub == "--help" || sub == "help" {
		fs.Usage()
		return nil
	}
	var role *string
	var asJSON *bool
	n, what := 1, "a user NAME"
	switch sub {
	case "add":
		role = fs.String("role", "", "the user's role: admin, planner or viewer (required)")
	case "list":
		asJSON = fs.Bool("json", false, "print a JSON array of {id, name, role, created_at, updated_at}")
		n, what = 0, "no argument"
	case "remove", "passwd":
	case "role":
		n, what = 2, "a user NAME and a ROLE"
	default:
		return usagef("unknown user subcommand %q: use add, list, remove, passwd or role", sub)
	}
	pos, err := parseExactly(fs, args, n, what)
	if err != nil {
		return err
	}

	switch sub {
	case "add":
		if *role == "" {
			return usagef("user add needs --role admin, planner or viewer")
		}
		r, err := model.ParseRole(*role)
		if err != nil {
			return usagef("%s", model.ErrorMessage(err))
		}
		if err := model.ValidUserName(pos[0]); err != nil {
			return err
		}
		return withStore(ctx, e, func(db *sqlite.DB) error {
			if old, err := db.GetUser(ctx, pos[0]); err == nil { // before asking for a password in vain
				return model.Errorf(model.ECONFLICT, "user %s already exists", old.Name)
			}
			hash, err := newPasswordHash(e, pos[0])
			if err != nil {
				return err
			}
			u, err := db.CreateUser(ctx, pos[0], r, hash)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "added user %s (%s)\n", u.Name, u.Role)
			return nil
		})

	case "list":
		var users []model.User
		if err := withStore(ctx, e, func(db *sqlite.DB) (err error) {
			users, err = db.ListUsers(ctx)
			return err
		}); err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e.stdout, users)
		}
		if len(users) == 0 {
			fmt.Fprintln(e.stderr, "no users yet: add the first admin with 'blockplan user add NAME --role admin'")
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Role, u.CreatedAt.Local().Format("2006-01-02 15:04"))
		}
		return tw.Flush()

	case "remove":
		if err := withStore(ctx, e, func(db *sqlite.DB) error {
			return db.DeleteUser(ctx, pos[0])
		}); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "removed user %s, with their tokens and sessions\n", pos[0])
		return nil

	case "passwd":
		if err := withStore(ctx, e, func(db *sqlite.DB) error {
			if _, err := db.GetUser(ctx, pos[0]); err != nil {
				return err // before asking for a password in vain
			}
			hash, err := newPasswordHash(e, pos[0])
			if err != nil {
				return err
			}
			return db.SetPasswordHash(ctx, pos[0], hash)
		}); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "changed the password of %s and signed them out everywhere\n", pos[0])
		return nil

	case "role":
		r, err := model.ParseRole(pos[1])
		if err != nil {
			return usagef("%s", model.ErrorMessage(err))
		}
		if err := withStore(ctx, e, func(db *sqlite.DB) error {
			return db.SetRole(ctx, pos[0], r)
		}); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "%s is now %s\n", pos[0], r)
		return nil
	}
	return nil
}

// newPasswordHash reads a new password for name and hashes it. On a
// terminal it prompts on stderr and reads twice without echo; otherwise it
// reads one line of stdin (so that scripts can pipe it in, and it never
// appears in a process list as an argument would).
func newPasswordHash(e *env, name string) (string, error) {
	pw, err := readPassword(e, name)
	if err != nil {
		return "", err
	}
	return auth.HashPassword(pw)
}

func readPassword(e *env, name string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(e.stderr, "Password for %s: ", name)
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if err := auth.CheckPasswordRules(string(first)); err != nil {
			return "", err // say so before asking again
		}
		fmt.Fprintf(e.stderr, "Again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(again) {
			return "", model.Errorf(model.EINVALID, "the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", model.Errorf(model.EINVALID, "no password on standard input (give it as one line: echo ... | blockplan user add NAME --role ROLE)")
	}
	return line, nil
}

const tokenUsage = `token add NAME [--label LABEL] [--role ROLE] | token list [--user NAME] [--json] |
       token revoke ID|LABEL

API tokens for scripts: a request with "Authorization: Bearer TOKEN" acts as
user NAME. "add" prints the token once, on standard output; only its hash is
stored, so it cannot be shown again (make a new one if it is lost). --role
limits a token below its user's role (a planner's read-only token for a
dashboard); without it the token follows the user's role as it changes.
A revoked token is refused at once and stays listed. Removing a user
revokes its tokens.`

func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("token needs a subcommand: add, list or revoke")
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "token "+sub, tokenUsage)
	if sub == "-h" || sub == "--help" || sub == "help" {
		fs.Usage()
		return nil
	}
	var label, role, userName *string
	var asJSON *bool
	var n int
	var what string
	switch sub {
	case "add":
		label = fs.String("label", "", "a name to tell the user's tokens apart (\"ci\", \"donor dashboard\")")
		role = fs.String("role", "", "limit the token to this role (below the user's)")
		n, what = 1, "the user NAME the token acts as"
	case "list":
		userName = fs.String("user", "", "only this user's tokens")
		asJSON = fs.Bool("json", false, "print a JSON array of {id, user, label, role, created_at, last_used, revoked_at}")
		n, what = 0, "no argument"
	case "revoke":
		n, what = 1, "a token ID or LABEL"
	default:
		return usagef("unknown token subcommand %q: use add, list or revoke", sub)
	}
	pos, err := parseExactly(fs, args, n, what)
	if err != nil {
		return err
	}

	switch sub {
	case "add":
		var r model.Role
		if *role != "" {
			if r, err = model.ParseRole(*role); err != nil {
				return usagef("%s", model.ErrorMessage(err))
			}
		}
		token, hash := auth.NewToken()
		var t model.Token
		if err := withStore(ctx, e, func(db *sqlite.DB) (err error) {
			t, err = db.CreateToken(ctx, pos[0], *label, r, hash)
			return err
		}); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
		what := fmt.Sprintf("token %d for %s", t.ID, t.UserName)
		if t.Label != "" {
			what += fmt.Sprintf(" (%s)", t.Label)
		}
		if t.Role != "" {
			what += ", limited to " + string(t.Role)
		}
		fmt.Fprintf(e.stderr, "%s: keep it secret; it is shown only now\n", what)
		return nil

	case "list":
		var tokens []model.Token
		if err := withStore(ctx, e, func(db *sqlite.DB) (err error) {
			tokens, err = db.ListTokens(ctx, *userName)
			return err
		}); err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e.stdout, tokens)
		}
		if len(tokens) == 0 {
			fmt.Fprintln(e.stderr, "no tokens")
			return nil
		}
		when := func(t *time.Time) string {
			if t == nil {
				return "-"
			}
			return t.Local().Format("2006-01-02 15:04")
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSER\tLABEL\tROLE\tCREATED\tLAST USED\tREVOKED")
		for _, t := range tokens {
			label, role := t.Label, string(t.Role)
			if label == "" {
				label = "-"
			}
			if role == "" {
				role = "(user's)"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UserName, label, role,
				when(&t.CreatedAt), when(t.LastUsed), when(t.RevokedAt))
		}
		return tw.Flush()

	case "revoke":
		var t model.Token
		if err := withStore(ctx, e, func(db *sqlite.DB) (err error) {
			t, err = db.RevokeToken(ctx, pos[0])
			return err
		}); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "revoked token %d of %s\n", t.ID, t.UserName)
		return nil
	}
	return nil
}

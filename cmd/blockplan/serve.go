package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"blockplan/model"
	"blockplan/store/sqlite"
	"blockplan/web"
	"blockplan/web/auth"
)

const serveUsage = `serve [--addr ADDR] [--db PATH] [--secure-cookies] [--trust-proxy]

Serves blockplan in a browser: pages at http://ADDR/, the JSON API at http://ADDR/api/v1/.
Everything is embedded; no internet is needed. The database is created, with the
catalogue and a demo portfolio, on first use.

Everyone signs in. Roles: admin (users, API tokens, the audit log, and all a planner
does), planner (edits portfolios), viewer (reads pages, exports and reports: donors).
When the database has no user yet, serve makes one, "admin", with a random password
that it prints once on standard error: sign in with it, change it ("blockplan user
passwd admin"), and add the others under Administration > Users or with
"blockplan user add NAME --role ROLE". Scripts use API tokens ("blockplan token add").`

// runServe serves the web app until ctx is cancelled (Ctrl-C), then shuts
// down gracefully: requests in flight get a few seconds to finish.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", serveUsage)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (host:port); 127.0.0.1 keeps the app on this computer")
	db := fs.String("db", "", "database file (overrides the global --db and $BLOCKPLAN_DB)")
	secure := fs.Bool("secure-cookies", false, "mark the session cookie Secure: set it when users reach the app over HTTPS (a proxy in front terminates TLS)")
	trustProxy := fs.Bool("trust-proxy", false, "take the client's address from X-Forwarded-For, for the limit on failed sign-ins: only behind a proxy that sets that header")
	if _, err := parseExactly(fs, args, 0, "no argument"); err != nil {
		return err
	}
	if *db != "" {
		e.dbPath = *db
	}
	// What serve itself writes (the demo on a new database, the first
	// admin) is recorded in the audit log as the command line's.
	setup := model.WithActor(ctx, cliActor())
	store, err := openStore(setup, e)
	if err != nil {
		return err
	}
	defer store.Close()
	password, err := firstAdmin(setup, store)
	if err != nil {
		return err
	}

	// The key of the login form's CSRF token is kept in the database, so
	// that a login form left open across a restart still works.
	secret, err := store.ServerSecret(setup)
	if err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	app, err := web.New(web.Config{Store: store, Logger: logger, Auth: web.NewAccounts(auth.NewAuthenticator(store)),
		Secret: secret, SecureCookies: *secure, TrustProxy: *trustProxy})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // a large workbook on a slow link
		WriteTimeout:      5 * time.Minute, // a large PDF report
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	base := "http://" + ln.Addr().String()
	if password != "" {
		fmt.Fprintf(e.stderr, "blockplan: no users yet, so there is one now: sign in at %s/login as admin with password %s\n", base, password)
		fmt.Fprintln(e.stderr, "blockplan: the password is shown only this once; change it with 'blockplan user passwd admin',")
		fmt.Fprintln(e.stderr, "blockplan: and add the others under Administration > Users or with 'blockplan user add NAME --role ROLE'")
	}
	fmt.Fprintf(e.stderr, "blockplan: serving on %s\n", base)

	bg, stopBG := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { expireSessions(bg, store, logger, time.Hour) })
	defer func() {
		stopBG()
		wg.Wait() // before the store closes
	}()

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(e.stderr, "blockplan: stopped")
	return nil
}

// firstAdmin makes user "admin" with a random password when the database
// has no user at all, and returns the password (to be shown once); "" when
// there were users. A server nobody can sign in to would be useless, and one
// open to anyone is what accounts are for preventing: a password printed on
// the operator's terminal is neither.
func firstAdmin(ctx context.Context, db *sqlite.DB) (string, error) {
	users, err := db.ListUsers(ctx)
	if err != nil || len(users) > 0 {
		return "", err
	}
	password := newPassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", err
	}
	if _, err := db.CreateUser(ctx, "admin", model.RoleAdmin, hash); err != nil {
		if model.ErrorCode(err) == model.ECONFLICT {
			return "", nil // another serve on this database made it first
		}
		return "", fmt.Errorf("make the first admin: %w", err)
	}
	return password, nil
}

// newPassword is 100 random bits as four groups of five letters and digits
// (base32: no 0, 1, 8 or 9 to misread), easy to copy or type.
func newPassword() string {
	s := rand.Text()[:20]
	return strings.Join([]string{s[0:5], s[5:10], s[10:15], s[15:20]}, "-")
}

// expireSessions removes expired sessions now and then every interval
// until ctx ends: an expired session is refused anyway, this only keeps the
// table small.
func expireSessions(ctx context.Context, db model.SessionStore, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := db.DeleteExpiredSessions(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("remove expired sessions", "err", err)
		case n > 0:
			log.Info("removed expired sessions", "sessions", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"blockplan/web"
)

// runServe serves the web app until ctx is cancelled (Ctrl-C), then shuts
// down gracefully: requests in flight get a few seconds to finish.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "serve [--addr ADDR] [--db PATH]\n\nServes blockplan in a browser: pages at http://ADDR/, the JSON API at http://ADDR/api/v1/.\nEverything is embedded; no internet is needed. The database is created, with the\ncatalogue and a demo portfolio, on first use.")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (host:port); 127.0.0.1 keeps the app on this computer")
	db := fs.String("db", "", "database file (overrides the global --db and $BLOCKPLAN_DB)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "no argument"); err != nil {
		return err
	}
	if *db != "" {
		e.dbPath = *db
	}
	store, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close()

	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	app, err := web.New(web.Config{Store: store, Logger: logger})
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
	fmt.Fprintf(e.stderr, "blockplan: serving on http://%s\n", ln.Addr())

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

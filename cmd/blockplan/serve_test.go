package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a buffer the server's goroutines may write to while the
// test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	servingRE  = regexp.MustCompile(`serving on (http://\S+)`)
	passwordRE = regexp.MustCompile(`as admin with password (\S+)`)
)

// serveFor runs "blockplan serve" on a free loopback port until the test's
// function returns, and gives it the server's URL and what serve printed.
func serveFor(t *testing.T, db string, args []string, fn func(base, stderr string)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr lockedBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"--db", db, "serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), io.Discard, &stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	var base string
	for base == "" {
		if m := servingRE.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", stderr.String())
		} else {
			select {
			case c := <-code:
				t.Fatalf("serve exited with %d:\n%s", c, stderr.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	fn(base, stderr.String())
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("serve exited with %d:\n%s", c, stderr.String())
	}
	return stderr.String()
}

// TestServeFirstRun: on a new database serve makes user admin with a random
// password, printed once; with it a browser signs in, and every page needs
// signing in. The next run prints no password.
func TestServeFirstRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	serveFor(t, db, []string{"--secure-cookies"}, func(base, stderr string) {
		m := passwordRE.FindStringSubmatch(stderr)
		if m == nil {
			t.Fatalf("no first password printed:\n%s", stderr)
		}
		if !strings.Contains(stderr, base+"/login") || !strings.Contains(stderr, "blockplan user passwd admin") {
			t.Errorf("the first-run message does not say where to sign in and how to change it:\n%s", stderr)
		}
		noFollow := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := (&http.Client{CheckRedirect: noFollow}).Get(base + "/portfolios")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("a page for the anonymous: %d, want 303 to the login page", resp.StatusCode)
		}
		// Sign in. The cookie is Secure (--secure-cookies), so it is
		// carried by hand over this plain-HTTP test connection.
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: noFollow}
		page := get(t, c, base+"/login")
		token := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
		if token == nil {
			t.Fatal("no CSRF token on the login page")
		}
		anon := cookieValue(t, jar, base)
		form := url.Values{"name": {"admin"}, "password": {m[1]}, "csrf_token": {token[1]}}
		req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "bp_session="+anon)
		resp, err = http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var session string
		for _, ck := range resp.Cookies() {
			if ck.Name == "bp_session" {
				session = ck.Value
				if !ck.Secure || !ck.HttpOnly {
					t.Errorf("session cookie: Secure %v, HttpOnly %v", ck.Secure, ck.HttpOnly)
				}
			}
		}
		if resp.StatusCode != http.StatusSeeOther || session == "" {
			t.Fatalf("sign in with the printed password: %d", resp.StatusCode)
		}
		req, _ = http.NewRequest(http.MethodGet, base+"/api/v1/me", nil)
		req.Header.Set("Cookie", "bp_session="+session)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `"name":"admin","role":"admin"`) {
			t.Errorf("signed in as: %s", body)
		}
	})
	stderr := serveFor(t, db, nil, func(string, string) {})
	if passwordRE.MatchString(stderr) {
		t.Errorf("a second run printed a password again:\n%s", stderr)
	}
	// The first admin was made by the command line, in the audit log.
	code, out, _ := newCLIAt(t, db).run("", "user", "list", "--json")
	if code != 0 || !strings.Contains(out, `"name":"admin"`) && !strings.Contains(out, `"name": "admin"`) {
		t.Errorf("user list after the first run: %d %s", code, out)
	}
}

func newCLIAt(t *testing.T, db string) *cli { return &cli{t: t, db: db} }

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// cookieValue is the anonymous session cookie the login page set (the jar
// keeps Secure cookies but will not send them over plain HTTP).
func cookieValue(t *testing.T, jar *cookiejar.Jar, base string) string {
	t.Helper()
	u, _ := url.Parse(strings.Replace(base, "http://", "https://", 1))
	for _, c := range jar.Cookies(u) {
		if c.Name == "bp_session" {
			return c.Value
		}
	}
	t.Fatal("the login page set no session cookie")
	return ""
}

// TestServeLoginFormSurvivesRestart: the login form's CSRF token is keyed by
// a secret kept in the database, so a login form shown by one run of serve
// is accepted by the next run over the same database.
func TestServeLoginFormSurvivesRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	var password, anon, token string
	serveFor(t, db, nil, func(base, stderr string) {
		m := passwordRE.FindStringSubmatch(stderr)
		if m == nil {
			t.Fatalf("no first password printed:\n%s", stderr)
		}
		password = m[1]
		jar, _ := cookiejar.New(nil)
		page := get(t, &http.Client{Jar: jar}, base+"/login")
		tm := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
		if tm == nil {
			t.Fatal("no CSRF token on the login page")
		}
		token, anon = tm[1], cookieValue(t, jar, base)
	})
	serveFor(t, db, nil, func(base, _ string) {
		form := url.Values{"name": {"admin"}, "password": {password}, "csrf_token": {token}}
		req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "bp_session="+anon)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		signedIn := false
		for _, ck := range resp.Cookies() {
			signedIn = signedIn || ck.Name == "bp_session" && ck.Value != "" && ck.Value != anon
		}
		if resp.StatusCode != http.StatusSeeOther || !signedIn {
			t.Fatalf("sign in with the form of the previous run: %d, new session %v\n%s", resp.StatusCode, signedIn, body)
		}
	})
}

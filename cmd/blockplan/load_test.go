package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"blockplan/model"
	"blockplan/store/sqlite"
	"blockplan/web/auth"
)

// The load test runs the back end of the web server (web/auth's
// Authenticator over the SQLite stores, entity edits with versions, the
// audit log) behind a minimal net/http API on loopback, and drives it with
// 32 concurrent clients mixing reads and writes, half signed in by session
// cookie (with CSRF tokens), half by bearer token. No request may fail, no
// write may be lost, every write has its audit entry. The web package's
// real server should pass the same test once it is wired to these stores.

// loadAPI is the minimal API: GET a portfolio, PUT one programme with the
// version it is based on.
type loadAPI struct {
	db *sqlite.DB
	a  *auth.Authenticator
}

func (s *loadAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := s.a.Authenticate(ctx, r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	need := model.RoleViewer
	if r.Method != http.MethodGet {
		need = model.RolePlanner
	}
	switch {
	case id.User == nil:
		http.Error(w, "sign in", http.StatusUnauthorized)
		return
	case !id.User.Role.Allows(need):
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	case r.Method != http.MethodGet && id.Via == auth.ViaCookie &&
		!auth.CheckCSRF(id.Session.CSRFToken, r.Header.Get("X-CSRF-Token")):
		http.Error(w, "csrf", http.StatusForbidden)
		return
	}
	ctx = model.WithActor(ctx, id.Actor())
	portfolio, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/api/v1/portfolios/"), "/")
	switch r.Method {
	case http.MethodGet:
		p, info, err := s.db.GetPortfolio(ctx, portfolio)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(struct {
			Version   int              `json:"version"`
			Portfolio *model.Portfolio `json:"portfolio"`
		}{info.Version, p})
	case http.MethodPut:
		entityID := strings.TrimPrefix(rest, "programmes/")
		expect, _ := strconv.Atoi(r.Header.Get("If-Match"))
		body, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		v, err := s.db.PutEntity(ctx, portfolio, model.KindProgramme, entityID, body, expect)
		switch model.ErrorCode(err) {
		case "":
			fmt.Fprintf(w, `{"version":%d}`, v)
		case model.ECONFLICT:
			_, versions, _ := s.db.EntityVersions(ctx, portfolio)
			w.WriteHeader(http.StatusConflict)
			fmt.Fprintf(w, `{"current_version":%d}`, versions[model.EntityKey{Kind: model.KindProgramme, ID: entityID}])
		default:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	default:
		http.Error(w, "method", http.StatusMethodNotAllowed)
	}
}

type loadClient struct {
	http    *http.Client
	bearer  string
	csrf    string
	own     string // the programme this client edits alone
	version int    // its version, as last seen
}

func (c *loadClient) do(method, url, body, ifMatch string) (int, []byte, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[int(float64(len(ds)-1)*p)]
}

func TestLoopbackLoad32Clients(t *testing.T) {
	const clients = 32
	opsPerClient := 64
	if testing.Short() {
		opsPerClient = 16
	}
	if n, err := strconv.Atoi(os.Getenv("BLOCKPLAN_LOAD_OPS")); err == nil && n > 0 {
		opsPerClient = n // for a longer run: BLOCKPLAN_LOAD_OPS=500 go test -run Load ./cmd/blockplan
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SavePortfolio(ctx, genPortfolio("a", 200, 1), model.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("correct horse battery")
	for i := range clients {
		if _, err := db.CreateUser(ctx, fmt.Sprintf("planner%d", i), model.RolePlanner, hash); err != nil {
			t.Fatal(err)
		}
	}

	a := auth.NewAuthenticator(db)
	a.Limiter = auth.NewLimiter(auth.LimiterConfig{FreeFailures: 1000, LockAfter: 1000, Window: time.Minute, MaxKeys: 100}, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: &loadAPI{db: db, a: a}}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/api/v1/portfolios/a"

	// Half the clients sign in with a session cookie, half use a token.
	cs := make([]*loadClient, clients)
	for i := range cs {
		name := fmt.Sprintf("planner%d", i)
		tr := &http.Transport{MaxIdleConnsPerHost: 4}
		c := &loadClient{http: &http.Client{Transport: tr, Timeout: 30 * time.Second}, own: fmt.Sprintf("P%d", i), version: 1}
		if i%2 == 0 {
			tok, th := auth.NewToken()
			if _, err := db.CreateToken(ctx, name, "load", "", th); err != nil {
				t.Fatal(err)
			}
			c.bearer = tok
		} else {
			id, s, err := a.Login(ctx, name, "correct horse battery", "127.0.0.1:1")
			if err != nil {
				t.Fatal(err)
			}
			jar, _ := cookiejar.New(nil)
			u, _ := url.Parse(base)
			jar.SetCookies(u, []*http.Cookie{auth.Cookie(id, auth.SessionLifetime, false)})
			c.http.Jar, c.csrf = jar, s.CSRFToken
		}
		cs[i] = c
	}

	var (
		mu                     sync.Mutex
		reads, writes, shared  []time.Duration
		failures               []string
		conflicts, sharedWrite atomic.Int64
		lastWritten            = make([]string, clients)
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for op := range opsPerClient {
				t0 := time.Now()
				switch {
				case op%4 != 3: // three reads to a write
					code, body, err := c.do(http.MethodGet, base, "", "")
					if err != nil || code != http.StatusOK || !json.Valid(body) {
						fail("client %d read: %d %v %.80s", i, code, err, body)
						continue
					}
					mu.Lock()
					reads = append(reads, time.Since(t0))
					mu.Unlock()
				case op%16 == 15: // a write to the programme everyone edits: on a 409, read again and retry on the current version
					version := 0
					for attempt := 0; ; attempt++ {
						if version == 0 { // the first try is based on what the store says now
							_, vs, _ := db.EntityVersions(ctx, "a")
							version = vs[model.EntityKey{Kind: model.KindProgramme, ID: "P199"}]
						}
						data := fmt.Sprintf(`{"name":"shared by %d op %d"}`, i, op)
						code, body, err := c.do(http.MethodPut, base+"/programmes/P199", data, strconv.Itoa(version))
						if err == nil && code == http.StatusConflict {
							conflicts.Add(1)
							var cur struct {
								CurrentVersion int `json:"current_version"`
							}
							json.Unmarshal(body, &cur)
							version = cur.CurrentVersion
							if code, _, err := c.do(http.MethodGet, base, "", ""); err != nil || code != http.StatusOK {
								fail("client %d read after 409: %d %v", i, code, err)
							}
							continue
						}
						if err != nil || code != http.StatusOK {
							fail("client %d shared write: %d %v %s", i, code, err, body)
						} else {
							sharedWrite.Add(1)
							mu.Lock()
							shared = append(shared, time.Since(t0))
							mu.Unlock()
						}
						break
					}
				default: // a write to the client's own programme, based on its version
					name := fmt.Sprintf("client %d op %d", i, op)
					code, body, err := c.do(http.MethodPut, base+"/programmes/"+c.own, fmt.Sprintf(`{"name":%q}`, name), strconv.Itoa(c.version))
					if err != nil || code != http.StatusOK {
						fail("client %d write: %d %v %s", i, code, err, body)
						continue
					}
					var got struct{ Version int }
					json.Unmarshal(body, &got)
					c.version = got.Version
					lastWritten[i] = name
					mu.Lock()
					writes = append(writes, time.Since(t0))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	for _, f := range failures {
		t.Error(f)
	}
	// Nothing is lost: each client's last write is what is stored, every
	// write moved the version once and has its audit entry.
	p, info, err := db.GetPortfolio(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}
	for _, pr := range p.Programmes {
		byID[pr.ID] = pr.Name
	}
	for i, c := range cs {
		if lastWritten[i] != "" && byID[c.own] != lastWritten[i] {
			t.Errorf("%s holds %q, want client %d's last write %q", c.own, byID[c.own], i, lastWritten[i])
		}
	}
	committed := len(writes) + len(shared)
	if info.Version != 1+committed {
		t.Errorf("portfolio version %d after %d writes, want %d", info.Version, committed, 1+committed)
	}
	var entries []model.AuditEntry
	for before := int64(0); ; { // pages of at most 1000, newest first
		page, err := db.ListAudit(ctx, model.AuditFilter{PortfolioID: "a", Kind: model.KindProgramme, Limit: 1000, BeforeID: before})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		entries = append(entries, page...)
		before = page[len(page)-1].ID
	}
	if len(entries) != committed {
		t.Errorf("%d audit entries for %d writes", len(entries), committed)
	}
	actors := map[string]bool{}
	for _, e := range entries {
		actors[e.Actor] = true
	}
	if len(actors) != clients {
		t.Errorf("writes recorded under %d actors, want %d", len(actors), clients)
	}
	// Every 409 was followed by a read and a retry: requests in all.
	total := len(reads) + committed + 2*int(conflicts.Load())
	t.Logf("%d clients on loopback: %d requests in %v (%.0f/s), %d failed: %d reads of a 200-programme portfolio, "+
		"%d writes of a client's own programme, %d writes of one programme all clients edit (which met %d 409s, each followed by a read and a retry)",
		clients, total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), len(failures),
		len(reads), len(writes), len(shared), conflicts.Load())
	ms := func(ds []time.Duration) string {
		r := func(d time.Duration) string { return d.Round(100 * time.Microsecond).String() }
		return fmt.Sprintf("p50 %s p95 %s p99 %s", r(percentile(ds, .5)), r(percentile(ds, .95)), r(percentile(ds, .99)))
	}
	t.Logf("latency: reads %s; own writes %s; contended writes until they succeed %s", ms(reads), ms(writes), ms(shared))
	if err := errors.Join(srv.Close()); err != nil {
		t.Log(err)
	}
}

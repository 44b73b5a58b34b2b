package web_test

// The load test: the real server (gin, every middleware, the SQLite
// store) on 127.0.0.1 and 32 concurrent clients mixing reads and writes,
// half signed in with a session cookie (CSRF tokens, HTML forms), half with
// API tokens. No request may fail (a 409 on the entity every client edits
// is expected, and must be followed by a successful retry), no write may
// be lost, and every write has its audit entry under its author.
//
//	go test ./web -run MixedLoad -v                      # 48 operations per client
//	BLOCKPLAN_LOAD_OPS=500 go test ./web -run MixedLoad -v  # a longer run

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"blockplan/model"
	"blockplan/web/auth"
)

// loadPortfolio is the portfolio the clients edit: 64 programmes, each
// client owning one, and the last edited by all.
const loadPortfolio = "load"

// mixedClient is one of the 32 clients.
type mixedClient struct {
	i      int
	user   string
	http   *http.Client
	base   string
	bearer string // API token; "" for a browser session
	csrf   string // the session's CSRF token (browser clients)
	own    string // the programme this client alone edits
	// version is the own programme's version as this client last saw it.
	version int
	last    string // the name of its last committed own write
}

// timed is one request's outcome.
type timed struct {
	d      time.Duration
	status int
	write  bool
}

type loadLog struct {
	mu       sync.Mutex
	reqs     []timed
	failures []string
	// shared is each committed write of the shared programme: version → name.
	shared    map[int]string
	conflicts int
	retried   int
}

func (l *loadLog) add(t timed) {
	l.mu.Lock()
	l.reqs = append(l.reqs, t)
	l.mu.Unlock()
}

func (l *loadLog) fail(format string, args ...any) {
	l.mu.Lock()
	l.failures = append(l.failures, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

// do sends one request and times it.
func (c *mixedClient) do(log *loadLog, method, path string, body []byte, header ...string) (int, []byte, http.Header, error) {
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	t0 := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	log.add(timed{d: time.Since(t0), status: resp.StatusCode, write: method != http.MethodGet})
	return resp.StatusCode, b, resp.Header, err
}

// entityBody is an entity PUT's body.
func entityBody(version int, data map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"version": version, "data": data})
	return b
}

// apiEntity reads an entity by the API: its version and data.
func (c *mixedClient) apiEntity(log *loadLog, id string) (int, map[string]any, error) {
	code, body, _, err := c.do(log, http.MethodGet, "/api/v1/portfolios/"+loadPortfolio+"/programmes/"+id, nil)
	if err != nil || code != 200 {
		return 0, nil, fmt.Errorf("read %s: %d %v", id, code, err)
	}
	var st struct {
		Version int
		Data    map[string]any
	}
	if err := json.Unmarshal(body, &st); err != nil {
		return 0, nil, err
	}
	return st.Version, st.Data, nil
}

// writeOwn renames the client's own programme: browsers through the edit
// form (opened, then posted with its version and CSRF token), scripts
// through the API with the version they last saw.
func (c *mixedClient) writeOwn(log *loadLog, name string) error {
	path := "/portfolios/" + loadPortfolio + "/programmes/" + c.own
	if c.bearer == "" {
		code, page, _, err := c.do(log, http.MethodGet, path+"/edit", nil)
		if err != nil || code != 200 {
			return fmt.Errorf("edit form: %d %v", code, err)
		}
		version, token := versionRE.FindSubmatch(page), csrfRE.FindSubmatch(page)
		if version == nil || token == nil {
			return fmt.Errorf("the edit form has no version or no CSRF token")
		}
		vals := formValues(string(page))
		vals.Set("version", string(version[1]))
		vals.Set("csrf_token", string(token[1]))
		vals.Set("name", name)
		code, body, h, err := c.do(log, http.MethodPost, path, []byte(vals.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		if err != nil || code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), path+"?done=saved") {
			return fmt.Errorf("form save: %d %v %.200s", code, err, body)
		}
		c.last = name
		return nil
	}
	_, data, err := c.apiEntity(log, c.own)
	if err != nil {
		return err
	}
	data["name"] = name
	code, body, _, err := c.do(log, http.MethodPut, "/api/v1/portfolios/"+loadPortfolio+"/programmes/"+c.own,
		entityBody(c.version, data), "Content-Type", "application/json")
	if err != nil || code != 200 {
		return fmt.Errorf("API save at version %d: %d %v %.200s", c.version, code, err, body)
	}
	var st struct{ Version int }
	json.Unmarshal(body, &st)
	c.version, c.last = st.Version, name
	return nil
}

// writeShared renames the programme every client edits, based on the
// version it reads; on a 409 it takes the current state from the answer
// and tries again.
func (c *mixedClient) writeShared(log *loadLog, shared, name string) error {
	version, data, err := c.apiEntity(log, shared)
	if err != nil {
		return err
	}
	header := []string{"Content-Type", "application/json"}
	if c.bearer == "" {
		header = append(header, "X-CSRF-Token", c.csrf)
	}
	for attempt := 0; attempt < 100; attempt++ {
		data["name"] = name
		code, body, _, err := c.do(log, http.MethodPut, "/api/v1/portfolios/"+loadPortfolio+"/programmes/"+shared,
			entityBody(version, data), header...)
		if err != nil {
			return err
		}
		switch code {
		case http.StatusOK:
			var st struct{ Version int }
			json.Unmarshal(body, &st)
			log.mu.Lock()
			log.shared[st.Version] = name
			if attempt > 0 {
				log.retried++
			}
			log.mu.Unlock()
			return nil
		case http.StatusConflict:
			var e struct {
				Error struct {
					Current struct {
						Version int
						Data    map[string]any
					}
				}
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Error.Current.Version <= version {
				return fmt.Errorf("409 without a newer current state: %.200s", body)
			}
			log.mu.Lock()
			log.conflicts++
			log.mu.Unlock()
			version, data = e.Error.Current.Version, e.Error.Current.Data
		default:
			return fmt.Errorf("shared save: %d %.200s", code, body)
		}
	}
	return fmt.Errorf("shared save: still conflicting after 100 tries")
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[int(float64(len(ds)-1)*p)]
}

func TestMixedLoad32Clients(t *testing.T) {
	ops := 48
	if testing.Short() {
		ops = 16
	}
	if n, err := strconv.Atoi(os.Getenv("BLOCKPLAN_LOAD_OPS")); err == nil && n > 0 {
		ops = n
	}
	a := newApp(t)
	ctx := model.WithActor(t.Context(), "cli:test")
	p := model.Synthetic(2*clients, 20, 20, 40, 10, 7)
	p.ID, p.Name = loadPortfolio, "Load test"
	if _, err := a.db.SavePortfolio(ctx, p, model.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	shared := p.Programmes[len(p.Programmes)-1].ID
	_, versions, err := a.db.EntityVersions(ctx, loadPortfolio)
	if err != nil {
		t.Fatal(err)
	}
	_, startAudit, _ := auditCount(t, a, loadPortfolio)

	cs := make([]*mixedClient, clients)
	for i := range cs {
		name := fmt.Sprintf("load%02d", i)
		if _, err := a.db.CreateUser(ctx, name, model.RolePlanner, testHash()); err != nil {
			t.Fatal(err)
		}
		tr := &http.Transport{MaxIdleConnsPerHost: 4}
		t.Cleanup(tr.CloseIdleConnections)
		c := &mixedClient{i: i, user: name, base: a.srv.URL, own: p.Programmes[i].ID,
			http: &http.Client{Transport: tr, Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		c.version = versions[model.EntityKey{Kind: model.KindProgramme, ID: c.own}]
		if i%2 == 0 { // a script with a token
			tok, hash := auth.NewToken()
			if _, err := a.db.CreateToken(ctx, name, "load", "", hash); err != nil {
				t.Fatal(err)
			}
			c.bearer = tok
		} else { // a browser: the login form, then a page's CSRF token
			c.http.Jar, _ = cookiejar.New(nil)
			a.login(c.http, name)
			c.csrf = csrfToken(t, a.as(c.http, http.MethodGet, "/portfolios", nil).Body)
		}
		cs[i] = c
	}

	reads := []func(c *mixedClient) string{
		func(c *mixedClient) string { return "/portfolios/" + loadPortfolio },
		func(c *mixedClient) string { return "/portfolios/" + loadPortfolio + "/programmes/" + c.own },
		func(c *mixedClient) string { return "/api/v1/portfolios/" + loadPortfolio + "/programmes/" + c.own },
		func(c *mixedClient) string { return "/portfolios/" + loadPortfolio + "/programmes?page=2" },
		func(c *mixedClient) string { return "/portfolios/" + loadPortfolio + "/roadmap?budget=1e9" },
		func(c *mixedClient) string { return "/api/v1/portfolios/" + loadPortfolio + "/gaps" },
		func(c *mixedClient) string { return "/portfolios/" + loadPortfolio + "/blocks" },
		func(c *mixedClient) string { return "/api/v1/portfolios/" + loadPortfolio },
	}
	log := &loadLog{shared: map[int]string{}}
	// writes maps the name each committed write gave to its author.
	var writes, sharedWrites sync.Map
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Go(func() {
			for op := range ops {
				switch {
				case op%4 != 3: // three reads to a write
					path := reads[(op+c.i)%len(reads)](c)
					code, body, _, err := c.do(log, http.MethodGet, path, nil)
					if err != nil || code != 200 || len(body) == 0 {
						log.fail("client %d GET %s: %d %v", c.i, path, code, err)
					}
				case op%16 == 15:
					name := fmt.Sprintf("shared by %s op %d", c.user, op)
					if err := c.writeShared(log, shared, name); err != nil {
						log.fail("client %d shared write: %v", c.i, err)
					} else {
						writes.Store(name, c.user)
						sharedWrites.Store(name, c.user)
					}
				default:
					name := fmt.Sprintf("%s op %d", c.user, op)
					if err := c.writeOwn(log, name); err != nil {
						log.fail("client %d own write: %v", c.i, err)
					} else {
						writes.Store(name, c.user)
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	for _, f := range log.failures {
		t.Error(f)
	}
	// Nothing lost: each programme holds its client's last write, the shared
	// one the write that made its latest version, and every write moved the
	// portfolio's version once and left one audit entry under its author.
	stored, info, err := a.db.GetPortfolio(ctx, loadPortfolio)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, pr := range stored.Programmes {
		names[pr.ID] = pr.Name
	}
	for _, c := range cs {
		if c.last != "" && names[c.own] != c.last {
			t.Errorf("%s holds %q, want client %d's last write %q", c.own, names[c.own], c.i, c.last)
		}
	}
	latest := 0
	for v := range log.shared {
		latest = max(latest, v)
	}
	if latest > 0 && names[shared] != log.shared[latest] {
		t.Errorf("%s holds %q, want the latest committed write %q", shared, names[shared], log.shared[latest])
	}
	committed := 0
	writes.Range(func(any, any) bool { committed++; return true })
	nShared := 0
	sharedWrites.Range(func(any, any) bool { nShared++; return true })
	if nShared != len(log.shared) {
		t.Errorf("%d shared writes committed, %d versions recorded", nShared, len(log.shared))
	}
	if want := 1 + committed; info.Version != want {
		t.Errorf("portfolio version %d after %d writes, want %d", info.Version, committed, want)
	}
	entries, total, byActor := auditCount(t, a, loadPortfolio)
	if got := total - startAudit; got != committed {
		t.Errorf("%d audit entries for %d committed writes", got, committed)
	}
	for _, c := range cs {
		if byActor[c.user] == 0 {
			t.Errorf("no audit entry by %s", c.user)
		}
	}
	for _, e := range entries {
		if author, ok := writes.Load(nameIn(e.After)); ok && author != e.Actor {
			t.Errorf("audit entry %d: write %q by %s recorded as by %s", e.ID, nameIn(e.After), author, e.Actor)
		}
	}

	var all, rd, wr []time.Duration
	failed := 0
	for _, r := range log.reqs {
		all = append(all, r.d)
		if r.write {
			wr = append(wr, r.d)
		} else {
			rd = append(rd, r.d)
		}
		if r.status >= 400 && r.status != http.StatusConflict {
			failed++
		}
	}
	if failed != 0 {
		t.Errorf("%d requests failed", failed)
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	t.Logf("%d clients (16 browsers with forms and CSRF, 16 API tokens) on loopback, %d operations each: %d requests in %v, %.0f req/s; "+
		"%d failed; %d committed writes (%d of the programme all edit, which met %d 409s, each followed by a retry: %d writes needed one); "+
		"%d audit entries; nothing lost",
		clients, ops, len(log.reqs), elapsed.Round(time.Millisecond), float64(len(log.reqs))/elapsed.Seconds(),
		failed, committed, len(log.shared), log.conflicts, log.retried, total-startAudit)
	t.Logf("latency: all p50 %s p99 %s; reads (%d) p50 %s p99 %s; writes (%d) p50 %s p99 %s",
		ms(percentile(all, .5)), ms(percentile(all, .99)), len(rd), ms(percentile(rd, .5)), ms(percentile(rd, .99)),
		len(wr), ms(percentile(wr, .5)), ms(percentile(wr, .99)))
}

// auditCount pages through the audit entries of a portfolio's programmes
// (a page holds at most 1000): the entries, their number, and the number
// by actor.
func auditCount(t *testing.T, a *testApp, pid string) ([]model.AuditEntry, int, map[string]int) {
	t.Helper()
	var out []model.AuditEntry
	byActor := map[string]int{}
	for before := int64(0); ; {
		page, err := a.db.ListAudit(t.Context(), model.AuditFilter{PortfolioID: pid, Kind: model.KindProgramme, Limit: 1000, BeforeID: before})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			full, err := a.db.GetAudit(t.Context(), e.ID)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, full)
			byActor[e.Actor]++
		}
		before = page[len(page)-1].ID
	}
	return out, len(out), byActor
}

// nameIn is the "name" of an entity's JSON.
func nameIn(data json.RawMessage) string {
	var v struct{ Name string }
	json.Unmarshal(data, &v)
	return v.Name
}

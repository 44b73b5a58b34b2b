package web_test

// Browser tests: the real pages in headless Chromium, through the Chrome
// DevTools Protocol (github.com/chromedp/chromedp). They skip when no
// Chromium is installed, unless BLOCKPLAN_BROWSER_TESTS=1 (CI), which makes
// a missing browser a failure. BLOCKPLAN_CHROMIUM names the executable;
// otherwise chromium or chromium-browser is looked up on PATH. Screenshots
// are written to the temporary directory (blockplan-*.png) for people to
// look at.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"blockplan/model"
)

// chromiumPath finds the browser, or skips (fails in CI) without one.
func chromiumPath(t *testing.T) string {
	t.Helper()
	required := os.Getenv("BLOCKPLAN_BROWSER_TESTS") == "1"
	path := os.Getenv("BLOCKPLAN_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	if required {
		t.Fatalf("BLOCKPLAN_BROWSER_TESTS=1 but no Chromium (BLOCKPLAN_CHROMIUM=%q); install it: apt-get install chromium", path)
	}
	t.Skip("browser tests skipped: no Chromium found (install Debian's chromium package, or set BLOCKPLAN_CHROMIUM; BLOCKPLAN_BROWSER_TESTS=1 makes this a failure)")
	return ""
}

// consoleLog collects what the page writes to the console: errors,
// warnings and uncaught exceptions, CSP violations included.
type consoleLog struct {
	mu       sync.Mutex
	problems []string
}

// expectedStatus is Chrome's log line for a page answered with an error
// status on purpose (422 for a refused upload, 404 for a missing page).
func expectedStatus(msg string, statuses []int) bool {
	for _, st := range statuses {
		if strings.Contains(msg, fmt.Sprintf("Failed to load resource: the server responded with a status of %d ", st)) {
			return true
		}
	}
	return false
}

func (l *consoleLog) add(s string) {
	l.mu.Lock()
	l.problems = append(l.problems, s)
	l.mu.Unlock()
}

func (l *consoleLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.problems
	l.problems = nil
	return p
}

// newBrowser starts headless Chromium with a fresh profile and returns a
// tab's context, and the log of its console.
func newBrowser(t *testing.T, exe string) (context.Context, *consoleLog) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	log := &consoleLog{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleError, chromedp.ConsoleWarning, chromedp.ConsoleException:
				log.add(fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
			}
		}
	}()
	return ctx, log
}

// run runs one action that returns a value, failing the test on an error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// clickAndWait clicks and waits for the page the click loads; it returns
// the page's HTTP status.
func clickAndWait[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S) int64 {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		t.Fatal(err)
	}
	return resp.Status
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// screenshot saves the whole page as blockplan-<name>.png.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf := run(t, ctx, chromedp.FullScreenshot(100))
	path := filepath.Join(os.TempDir(), "blockplan-"+name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// navigate loads a page and waits for it, checking the HTTP status.
func navigate(t *testing.T, ctx context.Context, url string, status int64) {
	t.Helper()
	resp := run(t, ctx, chromedp.NavigateResponse(url))
	if resp.Status != status {
		t.Fatalf("%s: status %d, want %d", url, resp.Status, status)
	}
}

func text[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S) string {
	t.Helper()
	return strings.TrimSpace(run(t, ctx, chromedp.Text(sel)))
}

// chartsDrawn waits until every chart of the page has an ECharts canvas,
// and returns how many there are.
func chartsDrawn(t *testing.T, ctx context.Context) int {
	t.Helper()
	n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-chart]').length`))
	if n == 0 {
		return 0
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		drawn := run(t, ctx, chromedp.Evaluate[int](
			`document.querySelectorAll('[data-chart][data-chart-ready="true"] canvas').length`))
		if drawn >= n {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d charts drawn", drawn, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkConsole fails on every console error, warning or exception since
// the last check, but the log lines of the statuses the page was expected
// to answer with.
func checkConsole(t *testing.T, log *consoleLog, where string, statuses ...int) {
	t.Helper()
	for _, p := range log.take() {
		if !expectedStatus(p, statuses) {
			t.Errorf("%s: console: %s", where, p)
		}
	}
}

// signIn signs the browser in as name with the login form, as a person
// would, from the page the app sends the anonymous to.
func signIn(t *testing.T, ctx context.Context, url, name string) {
	t.Helper()
	navigate(t, ctx, url, 200) // after a redirect to the login page
	if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "/login?next=") {
		t.Fatalf("the anonymous are at %s, want the login page", loc)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("login-name"), name),
		chromedp.SendKeys(chromedp.ID("login-password"), testPassword),
	)
	if st := clickAndWait(t, ctx, chromedp.CSS(`#login button[type="submit"]`)); st != 200 {
		t.Fatalf("after signing in: status %d", st)
	}
	if loc := run(t, ctx, chromedp.Location()); loc != url {
		t.Fatalf("after signing in the browser is at %s, want %s", loc, url)
	}
}

func TestBrowser(t *testing.T) {
	exe := chromiumPath(t)
	a := newApp(t)
	ctx, log := newBrowser(t, exe)
	base := a.srv.URL + "/portfolios/" + demoID

	t.Run("signing in leads back to the page asked for", func(t *testing.T) {
		signIn(t, ctx, base, adminName)
		if who := text(t, ctx, chromedp.ID("signed-in-as")); !strings.Contains(who, adminName) {
			t.Errorf("top bar says %q", who)
		}
		checkConsole(t, log, "sign in")
	})

	t.Run("dashboard draws its charts", func(t *testing.T) {
		navigate(t, ctx, base, 200)
		if n := chartsDrawn(t, ctx); n != 3 {
			t.Errorf("%d charts, want 3 (savings by block, costs per year, Sankey)", n)
		}
		if s := text(t, ctx, chromedp.ID("fig-savings")); !strings.HasPrefix(s, "XOF") {
			t.Errorf("savings shown as %q", s)
		}
		screenshot(t, ctx, "dashboard")
		checkConsole(t, log, "dashboard")
	})

	t.Run("editing a block's cost changes the savings", func(t *testing.T) {
		before := text(t, ctx, chromedp.ID("fig-savings"))
		navigate(t, ctx, base+"/blocks/payments/edit", 200)
		// A planner types a French-style number and clears the range.
		do(t, ctx,
			chromedp.SetValue(chromedp.ID("f-build_cost"), "20 000 000 000"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("f-build_cost_low").value = "";
				document.getElementById("f-build_cost_high").value = "";`),
		)
		if st := clickAndWait(t, ctx, chromedp.CSS(`form.entity-form button[type="submit"]`)); st != 200 {
			t.Fatalf("after saving: status %d", st)
		}
		if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "/blocks/payments?done=saved") {
			t.Fatalf("after saving the browser is at %s", loc)
		}
		if cost := text(t, ctx, chromedp.ID("block-build-cost")); !strings.Contains(cost, "20,000,000,000") {
			t.Errorf("build cost shown as %q", cost)
		}
		chartsDrawn(t, ctx)
		screenshot(t, ctx, "block")
		navigate(t, ctx, base, 200)
		chartsDrawn(t, ctx)
		if after := text(t, ctx, chromedp.ID("fig-savings")); after == before {
			t.Errorf("savings still %s after the edit", after)
		}
		checkConsole(t, log, "edit")
	})

	t.Run("a stale edit shows the current value", func(t *testing.T) {
		navigate(t, ctx, base+"/goals/NG2/edit", 200)
		do(t, ctx, chromedp.SetValue(chromedp.ID("f-name"), "My name for NG2"))
		// Someone else saves the goal meanwhile, through the API.
		got := a.api("GET", "/api/v1/portfolios/"+demoID+"/goals/NG2", nil)
		var st struct {
			Version int
			Data    map[string]any
		}
		if err := json.Unmarshal([]byte(got.Body), &st); err != nil {
			t.Fatal(err)
		}
		st.Data["name"] = "Their name for NG2"
		body, _ := json.Marshal(map[string]any{"version": st.Version, "data": st.Data})
		if r := a.api("PUT", "/api/v1/portfolios/"+demoID+"/goals/NG2", bytes.NewReader(body), "Content-Type", "application/json"); r.Status != 200 {
			t.Fatalf("their save: %d %s", r.Status, r.Body)
		}
		if st := clickAndWait(t, ctx, chromedp.CSS(`form.entity-form button[type="submit"]`)); st != 409 {
			t.Errorf("stale save answered %d, want 409", st)
		}
		notice := text(t, ctx, chromedp.ID("conflict"))
		if !strings.Contains(notice, "Someone else changed this") {
			t.Errorf("conflict notice %q", notice)
		}
		if cur := text(t, ctx, chromedp.CSS("p.current")); !strings.Contains(cur, "Their name for NG2") {
			t.Errorf("current value shown as %q", cur)
		}
		if mine := run(t, ctx, chromedp.Value(chromedp.ID("f-name"))); mine != "My name for NG2" {
			t.Errorf("the form lost my value: %q", mine)
		}
		screenshot(t, ctx, "conflict")
		checkConsole(t, log, "conflict", 409)
	})

	t.Run("the scenario panel recomputes when a block is unticked", func(t *testing.T) {
		navigate(t, ctx, base+"/scenario", 200)
		chartsDrawn(t, ctx)
		before := text(t, ctx, chromedp.ID("sc-savings"))
		// No button: app.js submits the panel as soon as a box changes.
		if st := clickAndWait(t, ctx, chromedp.CSS(`input[name="shared"][value="payments"]`)); st != 200 {
			t.Fatalf("recompute: status %d", st)
		}
		chartsDrawn(t, ctx)
		if after := text(t, ctx, chromedp.ID("sc-savings")); after == before {
			t.Errorf("savings still %s with payments siloed", after)
		}
		screenshot(t, ctx, "scenario")
		checkConsole(t, log, "scenario")
	})

	t.Run("an upload with errors lists them by sheet and row", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "broken.xlsx")
		if err := os.WriteFile(file, badWorkbook(t), 0o644); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, a.srv.URL+"/portfolios", 200)
		do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}))
		if st := clickAndWait(t, ctx, chromedp.CSS(`#upload button[type="submit"]`)); st != 422 {
			t.Errorf("upload answered %d, want 422", st)
		}
		list := text(t, ctx, chromedp.ID("upload-problems"))
		for _, want := range []string{"broken.xlsx", "Sheet Programmes", "Sheet Blocks", "NG-NOPE", "Row"} {
			if !strings.Contains(list, want) {
				t.Errorf("the problem list lacks %q:\n%s", want, list)
			}
		}
		rows := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#upload-problems tr.error').length`))
		if rows < 2 {
			t.Errorf("%d error rows, want at least 2", rows)
		}
		screenshot(t, ctx, "upload-errors")
		checkConsole(t, log, "upload", 422)
	})

	t.Run("switching to French", func(t *testing.T) {
		navigate(t, ctx, base, 200)
		if st := clickAndWait(t, ctx, chromedp.CSS(`nav.lang a[hreflang="fr"]`)); st != 200 {
			t.Fatalf("French: status %d", st)
		}
		chartsDrawn(t, ctx)
		if lang := run(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "fr" {
			t.Errorf("page language %q", lang)
		}
		nav := text(t, ctx, chromedp.CSS("nav.portfolio-nav"))
		for _, want := range []string{"Tableau de bord", "Scénario", "Objectifs", "Lacunes", "Téléchargements"} {
			if !strings.Contains(nav, want) {
				t.Errorf("French menu lacks %q: %s", want, nav)
			}
		}
		if s := text(t, ctx, chromedp.ID("fig-savings")); !strings.HasSuffix(s, "XOF") || strings.Contains(s, ",") {
			t.Errorf("French savings %q: want 1 234 XOF", s)
		}
		screenshot(t, ctx, "dashboard-fr")
		// The choice holds on the next page.
		navigate(t, ctx, base+"/blocks/payments", 200)
		if h := text(t, ctx, chromedp.CSS("h2")); h != "Coûts d'une instance" {
			t.Errorf("block page heading %q, want French", h)
		}
		chartsDrawn(t, ctx)
		screenshot(t, ctx, "block-fr")
		// An upload's problems in French.
		file := filepath.Join(t.TempDir(), "classeur.xlsx")
		if err := os.WriteFile(file, badWorkbook(t), 0o644); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, a.srv.URL+"/portfolios", 200)
		do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}))
		clickAndWait(t, ctx, chromedp.CSS(`#upload button[type="submit"]`))
		list := text(t, ctx, chromedp.ID("upload-problems"))
		for _, want := range []string{"Feuille Programmes", "Feuille Blocks", "Ligne", "ERREUR", "négatif"} {
			if !strings.Contains(list, want) {
				t.Errorf("French problem list lacks %q:\n%s", want, list)
			}
		}
		screenshot(t, ctx, "upload-errors-fr")
		checkConsole(t, log, "French", 422)
	})

	t.Run("the roadmap chooses blocks for a budget typed", func(t *testing.T) {
		navigate(t, ctx, base+"?lang=en", 200)
		if st := clickAndWait(t, ctx, chromedp.CSS(`nav.portfolio-nav a[href$="/roadmap"]`)); st != 200 {
			t.Fatalf("roadmap: status %d", st)
		}
		if n := chartsDrawn(t, ctx); n != 1 {
			t.Errorf("%d charts, want the frontier", n)
		}
		// A French-style number, typed.
		do(t, ctx, chromedp.SendKeys(chromedp.ID("budget"), "2 000 000 000"))
		if st := clickAndWait(t, ctx, chromedp.CSS(`#budget-form button[type="submit"]`)); st != 200 {
			t.Fatalf("choose: status %d", st)
		}
		chartsDrawn(t, ctx)
		rm := roadmapAPI(t, a, "2000000000")
		blocks := text(t, ctx, chromedp.ID("chosen-blocks"))
		rows := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#chosen-blocks tbody tr').length`))
		if rows != len(rm.Chosen) || rows == 0 {
			t.Errorf("%d chosen blocks shown, want %d (%v)", rows, len(rm.Chosen), rm.Chosen)
		}
		for _, id := range rm.Chosen {
			name := demoBlockName(t, id)
			if !strings.Contains(blocks, name) {
				t.Errorf("the chosen set lacks %s (%s):\n%s", id, name, blocks)
			}
		}
		if !strings.Contains(blocks, "SOC-TMU") {
			t.Errorf("the chosen blocks do not say which programmes they serve:\n%s", blocks)
		}
		if cost := text(t, ctx, chromedp.ID("rm-cost")); !strings.HasPrefix(cost, "XOF") {
			t.Errorf("cost shown as %q", cost)
		}
		if v := run(t, ctx, chromedp.Value(chromedp.ID("budget"))); v != "2 000 000 000" {
			t.Errorf("the budget field holds %q after choosing", v)
		}
		screenshot(t, ctx, "roadmap")
		checkConsole(t, log, "roadmap")
	})

	t.Run("every other page loads without console errors", func(t *testing.T) {
		for _, path := range pagePaths(t) {
			want := int64(200)
			if strings.HasSuffix(path, "/nope") {
				want = 404
			}
			navigate(t, ctx, a.srv.URL+path, want)
			chartsDrawn(t, ctx)
			checkConsole(t, log, path, int(want))
		}
	})

	t.Run("an admin makes an API token, shown once, and revokes it", func(t *testing.T) {
		navigate(t, ctx, a.srv.URL+"/admin/users?lang=en", 200)
		screenshot(t, ctx, "admin-users")
		if st := clickAndWait(t, ctx, chromedp.CSS(`nav.admin-nav a[href="/admin/tokens"]`)); st != 200 {
			t.Fatalf("tokens: status %d", st)
		}
		do(t, ctx,
			chromedp.SetValue(chromedp.ID("token-user"), viewerName),
			chromedp.SendKeys(chromedp.ID("token-label"), "donor dashboard"),
		)
		// POST/redirect/GET: the browser lands on the list, the token at its top.
		if st := clickAndWait(t, ctx, chromedp.CSS(`#add-token button[type="submit"]`)); st != 200 {
			t.Fatalf("make token: status %d", st)
		}
		if loc := run(t, ctx, chromedp.Evaluate[string](`location.pathname + location.search`)); loc != "/admin/tokens" {
			t.Errorf("after making a token the browser is at %q", loc)
		}
		token := text(t, ctx, chromedp.ID("new-token"))
		if r := a.api("GET", "/api/v1/me", nil, "Authorization", "Bearer "+token); r.Status != 200 || !strings.Contains(r.Body, viewerName) {
			t.Fatalf("the token shown does not work: %d %s", r.Status, r.Body)
		}
		screenshot(t, ctx, "admin-tokens")
		id := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#tokens tr')].find(r => r.textContent.includes('donor dashboard')).id`))
		if st := clickAndWait(t, ctx, chromedp.CSS("#"+id+" button")); st != 200 {
			t.Fatalf("revoke: status %d", st)
		}
		if r := a.api("GET", "/api/v1/me", nil, "Authorization", "Bearer "+token); r.Status != 401 {
			t.Errorf("the revoked token: %d", r.Status)
		}
		if strings.Contains(run(t, ctx, chromedp.Evaluate[string](`document.body.innerHTML`)), token) {
			t.Error("the token is shown again")
		}
		checkConsole(t, log, "tokens")
	})

	t.Run("signing out", func(t *testing.T) {
		navigate(t, ctx, a.srv.URL+"/admin/audit", 200)
		screenshot(t, ctx, "audit")
		if st := clickAndWait(t, ctx, chromedp.CSS(`form.logout button`)); st != 200 {
			t.Fatalf("sign out: status %d", st)
		}
		if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "/login?done=signed_out") {
			t.Errorf("after signing out the browser is at %s", loc)
		}
		screenshot(t, ctx, "login")
		navigate(t, ctx, base, 200)
		if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "/login?next=") {
			t.Errorf("signed out, the dashboard sends to %s, want the login page", loc)
		}
		checkConsole(t, log, "sign out")
	})
}

// roadmapAPI is the roadmap for budget from the API.
func roadmapAPI(t *testing.T, a *testApp, budget string) model.RoadmapResult {
	t.Helper()
	r := a.api("GET", "/api/v1/portfolios/"+demoID+"/roadmap?budget="+budget, nil)
	var rm model.RoadmapResult
	if err := json.Unmarshal([]byte(r.Body), &rm); err != nil || r.Status != 200 {
		t.Fatalf("roadmap API: %d %v", r.Status, err)
	}
	return rm
}

// demoBlockName is the English name of a block of the demo.
func demoBlockName(t *testing.T, id string) string {
	for _, b := range demo(t).Blocks {
		if b.ID == id {
			return b.Name
		}
	}
	t.Fatalf("no block %s in the demo", id)
	return ""
}

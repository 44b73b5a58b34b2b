package reports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"blockplan/reports/assets"
)

// These tests open the HTML report in headless Chromium, as a planner would
// open the file, and read the browser's console. They are skipped where no
// Chromium is installed (apt-get install -y chromium), except in CI, where
// BLOCKPLAN_BROWSER_TESTS=1 makes a missing browser (or missing ECharts
// assets) a failure, as in package web.

func browserRequired() bool { return os.Getenv("BLOCKPLAN_BROWSER_TESTS") == "1" }

func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BLOCKPLAN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if browserRequired() {
		t.Fatal("BLOCKPLAN_BROWSER_TESTS=1 but no Chromium found: apt-get install -y chromium")
	}
	t.Skip("no Chromium installed: apt-get install -y chromium")
	return ""
}

// browse loads page in headless Chromium with no network and returns the
// console messages and the DOM after scripts ran.
func browse(t *testing.T, page string) (console []string, dom string) {
	t.Helper()
	bin := chromium(t)
	if _, ok := assets.ECharts(); !ok {
		if browserRequired() {
			t.Fatal("BLOCKPLAN_BROWSER_TESTS=1 but the binary has no ECharts assets (make assets)")
		}
		t.Skip("binary built without ECharts assets (make assets)")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--enable-logging=stderr", "--v=0", "--virtual-time-budget=4000", "--dump-dom", "file://"+file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	re := regexp.MustCompile(`CONSOLE:\d+\] "(.*)", source:`)
	for _, m := range re.FindAllStringSubmatch(stderr.String(), -1) {
		console = append(console, m[1])
	}
	return console, stdout.String()
}

func TestBrowserDemoHasNoConsoleError(t *testing.T) {
	for _, lang := range []string{LangEN, LangFR} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := HTML(&buf, demoInput(t, lang)); err != nil {
				t.Fatal(err)
			}
			console, dom := browse(t, buf.String())
			for _, m := range console {
				t.Errorf("console: %s", m)
			}
			if n := strings.Count(dom, "<canvas"); n != 7 {
				t.Errorf("%d charts drawn, want 7", n)
			}
		})
	}
}

// probeJS opens every chart's tooltips and counts what a hostile name could
// have planted: <img> elements and alert() calls.
const probeJS = `<script>
window.pwned = 0;
window.alert = function () { window.pwned++; };
setTimeout(function () {
  (window.blockplanCharts || []).forEach(function (c, i) {
    for (var d = 0; d < 6; d++) {
      ["node", "edge"].forEach(function (dt) {
        c.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: d, dataType: dt});
        document.querySelectorAll("div").forEach(function (el) {
          if (el.style && el.style.zIndex === "9999999" && el.innerHTML) { console.log("TIP " + el.innerHTML); }
        });
      });
    }
  });
  console.log("PROBE img=" + document.querySelectorAll("img").length + " alerts=" + window.pwned);
}, 300);
</script>
`

func TestBrowserHostileNamesInTooltips(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, hostileInput(t)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	i := strings.LastIndex(page, "</body>")
	page = page[:i] + probeJS + page[i:]
	console, _ := browse(t, page)
	var probe string
	tips, escaped := 0, 0
	for _, m := range console {
		switch {
		case strings.HasPrefix(m, "PROBE"):
			probe = m
		case strings.HasPrefix(m, "TIP "):
			tips++
			if strings.Contains(m, "&lt;img") {
				escaped++
			}
			if strings.Contains(m, "<img") || strings.Contains(m, "<script") {
				t.Errorf("markup from a name in a tooltip: %s", m)
			}
		default:
			t.Errorf("console: %s", m)
		}
	}
	if probe != "PROBE img=0 alerts=0" {
		t.Errorf("probe: %q", probe)
	}
	if tips == 0 || escaped == 0 {
		t.Errorf("%d tooltips, %d with an escaped hostile name: the probe tested nothing", tips, escaped)
	}
}

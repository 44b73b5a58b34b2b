package reports

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"blockplan/reports/assets"
)

func renderHTML(t *testing.T, in Input, name string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := HTML(&buf, in); err != nil {
		t.Fatalf("HTML: %v", err)
	}
	keep(t, name+".html", buf.Bytes())
	return buf.String()
}

// remoteRef finds a script or link that would reach the network.
var remoteRef = regexp.MustCompile(`(?i)<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//`)

func TestHTMLSelfContained(t *testing.T) {
	bundle, ok := assets.ECharts()
	for _, lang := range []string{LangEN, LangFR} {
		t.Run(lang, func(t *testing.T) {
			in := demoInput(t, lang)
			page := renderHTML(t, in, "demo-"+lang)
			if m := remoteRef.FindString(page); m != "" {
				t.Errorf("the page reaches the network: %q", m)
			}
			if strings.Contains(page, "<link") {
				t.Error("the page links an outside resource")
			}
			if !strings.Contains(page, `<html lang="`+lang+`">`) {
				t.Error("page language not set")
			}
			if ok {
				// The bundle is inlined whole.
				head := string(bundle[:200])
				if !strings.Contains(page, head) {
					t.Error("ECharts bundle not inlined")
				}
				for _, id := range []string{"sankey", "savings", "frontier", "yearly", "tornado", "heatmap", "graph"} {
					if !strings.Contains(page, `data-chart="opt-`+id+`"`) || !strings.Contains(page, `id="opt-`+id+`"`) {
						t.Errorf("chart %s missing", id)
					}
				}
			} else {
				t.Log("binary built without ECharts assets: checking the fallback page only")
			}
			for _, key := range []string{"sankey", "heatmap", "graph", "savings_chart", "yearly_chart", "by_programme"} {
				if !strings.Contains(page, html.EscapeString(Label(lang, key))) {
					t.Errorf("heading %s missing", key)
				}
			}
			// Figures of the result, formatted for the language.
			if want := html.EscapeString(FormatNumber(in.Result.Totals.Savings, 0, lang)); !strings.Contains(page, want) {
				t.Errorf("savings %s missing", want)
			}
			if _, err := html.Parse(strings.NewReader(page)); err != nil {
				t.Errorf("page does not parse: %v", err)
			}
		})
	}
}

func TestHTMLWithoutAssets(t *testing.T) {
	saved := echartsBundle
	echartsBundle = func() ([]byte, bool) { return nil, false }
	defer func() { echartsBundle = saved }()
	in := demoInput(t, LangFR)
	page := renderHTML(t, in, "no-assets-fr")
	if !strings.Contains(page, html.EscapeString(assets.MissingMessageFR)) {
		t.Error("no missing-assets message")
	}
	if strings.Contains(page, "<script") {
		t.Error("a page without charts still has scripts")
	}
	if !strings.Contains(page, `id="table-blocks"`) {
		t.Error("tables missing from the fallback page")
	}
}

// TestHTMLHostileNames: names made of markup appear as text, in the tables
// and in the charts' options, and never close the script that holds them.
func TestHTMLHostileNames(t *testing.T) {
	in := hostileInput(t)
	page := renderHTML(t, in, "hostile")
	for _, bad := range []string{evilScript, evilImg, "<script>alert", "<img src=x", "onerror=alert(1)>"} {
		if strings.Contains(page, bad) {
			t.Errorf("unescaped %q in the page", bad)
		}
	}
	// Walk the parsed page: the only elements are ours, the only scripts are
	// the bundle, the options and the boot script.
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	scripts, imgs := 0, 0
	var options []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				scripts++
				for _, a := range n.Attr {
					if a.Key == "type" && a.Val == "application/json" && n.FirstChild != nil {
						options = append(options, n.FirstChild.Data)
					}
				}
			case "img":
				imgs++
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("event handler attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if imgs != 0 {
		t.Errorf("%d <img> elements: a name became markup", imgs)
	}
	if _, ok := assets.ECharts(); ok {
		if want := 2 + 7; scripts != want {
			t.Errorf("%d script elements, want %d (a name broke out of one?)", scripts, want)
		}
		if len(options) != 7 {
			t.Fatalf("%d chart options, want 7", len(options))
		}
		// The options decode back to the hostile names, intact.
		found := false
		for _, o := range options {
			var v any
			if err := json.Unmarshal([]byte(o), &v); err != nil {
				t.Fatalf("chart option is not JSON: %v", err)
			}
			if strings.Contains(o, evilImg) || strings.Contains(o, "</script") {
				t.Error("raw markup in a chart option")
			}
			b, _ := json.Marshal(v)
			dec := string(b)
			dec = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(dec)
			if strings.Contains(dec, evilScript[2:10]) || strings.Contains(dec, "onerror") {
				found = true
			}
		}
		if !found {
			t.Error("hostile names lost from the chart options")
		}
	}
	// The tables show the names as text.
	if !strings.Contains(page, html.EscapeString(evilImg)) {
		t.Error("hostile name not shown escaped in the tables")
	}
}

func TestChartJSONEscapes(t *testing.T) {
	in := hostileInput(t)
	for name, c := range map[string]EChartsOption{
		"sankey": SankeyChart(in), "graph": PortfolioGraphChart(in), "heatmap": ReuseHeatmapChart(in),
		"savings": SavingsByBlockChart(in), "yearly": YearlyChart(in), "frontier": FrontierChart(in), "tornado": TornadoChart(in),
	} {
		js, err := ChartJSON(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bytes.ContainsAny(js, "<>") {
			t.Errorf("%s: < or > in the option JSON", name)
		}
		if !json.Valid(js) {
			t.Errorf("%s: invalid JSON", name)
		}
	}
}

// TestSankeyConservesCost: what enters each goal, programme and use case
// leaves it, and the links out of the SDG targets carry the whole shared
// cost of the programmes that have goals and targets.
func TestSankeyConservesCost(t *testing.T) {
	in := demoInput(t, LangEN)
	js, err := ChartJSON(SankeyChart(in))
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		Series []struct {
			Data []struct {
				Name  string `json:"name"`
				Depth int    `json:"depth"`
			} `json:"data"`
			Links []sankeyLink `json:"links"`
		} `json:"series"`
	}
	if err := json.Unmarshal(js, &opt); err != nil {
		t.Fatal(err)
	}
	if len(opt.Series) != 1 {
		t.Fatalf("%d series", len(opt.Series))
	}
	s := opt.Series[0]
	in2, out := map[string]float64{}, map[string]float64{}
	for _, l := range s.Links {
		out[l.Source] += l.Value
		in2[l.Target] += l.Value
	}
	sources := 0.0
	for _, n := range s.Data {
		if n.Depth == 0 {
			sources += out[n.Name]
		}
		if n.Depth > 0 && n.Depth < 4 && in2[n.Name] > 0 && !near(in2[n.Name], out[n.Name]) {
			t.Errorf("node %s: in %v, out %v", n.Name, in2[n.Name], out[n.Name])
		}
	}
	if !near(sources, in.Result.Totals.PVShared) {
		t.Errorf("SDG targets carry %v, portfolio shared PV %v", sources, in.Result.Totals.PVShared)
	}
}

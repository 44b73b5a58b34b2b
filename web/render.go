package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/model"
	"blockplan/reports"
	"blockplan/reports/assets"
)

//go:embed templates
var templateFiles embed.FS

// pageTemplate is one page's template set in one language.
type pageTemplate struct {
	*template.Template
}

// Shared template files every page is parsed with.
var sharedTemplates = []string{"templates/layout.html", "templates/parts.html"}

// pageNames lists the pages: templates/pages/<name>.html.
func pageNames() ([]string, error) {
	entries, err := fs.ReadDir(templateFiles, "templates/pages")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".html"); ok {
			names = append(names, n)
		}
	}
	return names, nil
}

// parsePages parses each page with the layout and shared parts, once, and
// clones it per language with that language's functions.
func (s *Server) parsePages() (map[string]map[string]*pageTemplate, error) {
	names, err := pageNames()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*pageTemplate{}
	for _, name := range names {
		files := append(slicesClone(sharedTemplates), "templates/pages/"+name+".html")
		base, err := template.New(name).Funcs(s.funcs(languages[0])).ParseFS(templateFiles, files...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = map[string]*pageTemplate{}
		for _, lang := range languages {
			t, err := base.Clone()
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			out[name][lang] = &pageTemplate{t.Funcs(s.funcs(lang))}
		}
	}
	return out, nil
}

func slicesClone(xs []string) []string { return append([]string(nil), xs...) }

// labeled is anything with a name per language (model entities).
type labeled interface{ Label(lang string) string }

// funcs are the template functions of one language.
func (s *Server) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) (string, error) { return s.msg.text(lang, key, args...) },
		"money": func(currency string, v float64) string {
			return reports.FormatMoney(v, currency, lang)
		},
		"moneyp": func(currency string, v *float64) string {
			return reports.FormatOptional(v, func(x float64) string { return reports.FormatMoney(x, currency, lang) })
		},
		"num":   func(v float64) string { return reports.FormatNumber(v, 0, lang) },
		"count": func(n int) string { return reports.FormatNumber(float64(n), 0, lang) },
		"nump": func(v *float64) string {
			return reports.FormatOptional(v, func(x float64) string { return reports.FormatNumber(x, 0, lang) })
		},
		"dec": func(v float64, d int) string { return reports.FormatNumber(v, d, lang) },
		"pct": func(v float64) string { return reports.FormatPercent(v, 1, lang) },
		"pctp": func(v *float64) string {
			return reports.FormatOptional(v, func(x float64) string { return reports.FormatPercent(x, 1, lang) })
		},
		"ratio": func(v *float64) string {
			return reports.FormatOptional(v, func(x float64) string { return reports.FormatRatio(x, lang) })
		},
		"year":    reports.FormatOptionalYear,
		"u":       u,
		"label":   func(x labeled) string { return x.Label(lang) },
		"problem": func(p model.Problem) string { return s.problemText(lang, p) },
		"where":   func(p model.Problem) string { return s.problemWhere(lang, p) },
		"amount":  func(currency string, a model.Amount) string { return formatAmount(a, currency, lang) },
		"join":    strings.Join,
		"settingsField": func(name, value string, errs []string, mode string) settingsFieldView {
			return settingsFieldView{Name: name, Value: value, Errors: errs, Mode: mode}
		},
		"add": func(a, b int) int { return a + b },
		"deref": func(v *float64) float64 {
			if v == nil {
				return 0
			}
			return *v
		},
		"neg": func(v float64) bool { return v < 0 },
		"kind": func(kind string, plural bool) string {
			key := "kind." + kind
			if plural {
				key += ".plural"
			}
			return s.msg.must(lang, key)
		},
	}
}

// formatAmount writes an amount: "XOF 12,000", or for a range its likely
// value and the range, "XOF 12,000 (10,000 – 15,000)"; "—" when not given.
func formatAmount(a model.Amount, currency, lang string) string {
	if !a.Set {
		return reports.Dash
	}
	s := reports.FormatMoney(a.Likely, currency, lang)
	if a.Range {
		s += " (" + reports.FormatNumber(a.Low, reports.MoneyDecimals(a.Low), lang) + " – " +
			reports.FormatNumber(a.High, reports.MoneyDecimals(a.High), lang) + ")"
	}
	return s
}

// settingsFieldView is one field of the settings form.
type settingsFieldView struct {
	Name, Value, Mode string
	Errors            []string
}

// Base is what every page has: the language, the top bar (portfolio
// switcher, language switch), the user and the CSRF token for its forms.
type Base struct {
	Lang       string
	Title      string
	Section    string // highlighted item of the portfolio menu
	CSRF       string
	User       *User
	Portfolios []model.PortfolioInfo
	Portfolio  *model.PortfolioInfo // the portfolio the page is about, if any
	Currency   string
	LangLinks  []langLink
	Assets     assetURLs
	Charts     bool   // the binary embeds ECharts
	UsesCharts bool   // the page draws charts: load ECharts
	NoCharts   string // what to show where a chart would be otherwise
	Flash      string // a translated one-line notice ("Saved.")
	CanEdit    bool
	CanAdmin   bool
	Admin      bool // an admin page: show the admin menu
}

func (b *Base) base() *Base { return b }

// page is a typed page struct: Base plus the page's own fields.
type page interface{ base() *Base }

type langLink struct {
	Lang, Name, URL string
	Current         bool
}

type assetURLs struct{ CSS, JS, ECharts, Icon string }

// newBase fills the common part of a page for this request.
func (s *Server) newBase(c *gin.Context, title string, infos []model.PortfolioInfo, current *model.PortfolioInfo) Base {
	lang := requestLang(c)
	b := Base{Lang: lang, Title: title, CSRF: s.formToken(c), User: currentUser(c),
		Portfolios: infos, Portfolio: current, Charts: s.chartsAvailable(),
		Assets: assetURLs{CSS: s.staticURL("/static/app.css"), JS: s.staticURL("/static/app.js"),
			ECharts: s.staticURL(echartsURLPath), Icon: s.staticURL("/static/favicon.svg")}}
	if current != nil {
		b.Currency = current.Currency
	}
	b.NoCharts = assets.MissingMessage
	if lang == "fr" {
		b.NoCharts = assets.MissingMessageFR
	}
	if u := b.User; u != nil {
		b.CanEdit = u.Role >= RolePlanner
		b.CanAdmin = u.Role >= RoleAdmin
	}
	names := map[string]string{"en": "English", "fr": "Français"}
	for _, l := range languages {
		q := c.Request.URL.Query()
		q.Set("lang", l)
		b.LangLinks = append(b.LangLinks, langLink{Lang: l, Name: names[l], URL: c.Request.URL.Path + "?" + q.Encode(), Current: l == lang})
	}
	if f := c.Query("done"); f != "" {
		if t, err := s.msg.text(lang, "flash."+f); err == nil {
			b.Flash = t
		}
	}
	return b
}

// render executes page name in the request's language into a buffer and
// writes it only when complete: an error in a template never sends half a
// page.
func (s *Server) render(c *gin.Context, status int, name string, p page) error {
	lang := requestLang(c)
	t, ok := s.pages[name][lang]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s (%s): %w", name, lang, err)
	}
	body := buf.Bytes()
	if cacheable(c) {
		s.keepPage(c, status, body)
		body = s.fillCSRF(c, body)
	}
	c.Data(status, "text/html; charset=utf-8", body)
	return nil
}

// errorPage is the HTML error page.
type errorPage struct {
	Base
	Status   int
	Code     string
	Message  string
	Problems model.Problems
	Current  *entityState
}

// renderError renders the error page in the request's language.
func (s *Server) renderError(c *gin.Context, status int, code string, err error) error {
	lang := requestLang(c)
	msg := model.ErrorMessage(err)
	switch code {
	case model.EINTERNAL:
		msg = s.msg.must(lang, "error.internal")
	}
	if status == http.StatusRequestEntityTooLarge {
		msg = s.msg.must(lang, "error.too_large")
	}
	title := s.msg.must(lang, "error.title."+code)
	p := &errorPage{Base: s.newBase(c, title, nil, nil), Status: status, Code: code, Message: msg,
		Problems: model.ErrorDetails(err)}
	return s.render(c, status, "error", p)
}

// redirectDone sends the browser to target after a successful write, with a
// flash notice (303, so that reloading does not post again).
func redirectDone(c *gin.Context, target, flash string) {
	if flash != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "done=" + url.QueryEscape(flash)
	}
	c.Redirect(http.StatusSeeOther, target)
}

// pathEscape escapes one path segment.
func pathEscape(s string) string { return url.PathEscape(s) }

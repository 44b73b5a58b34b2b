package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// Languages the app speaks; the first is the default.
var languages = []string{"en", "fr"}

// langCookie remembers a user's choice of language.
const langCookie = "lang"

//go:embed locales/*.json
var localeFiles embed.FS

// messages is the message catalogue: language → key → text. Every text is
// an fmt format, even without arguments: a literal percent sign is "%%".
type messages map[string]map[string]string

// loadMessages reads locales/<lang>.json for every language.
func loadMessages() (messages, error) {
	m := messages{}
	for _, lang := range languages {
		data, err := localeFiles.ReadFile("locales/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("messages %s: %w", lang, err)
		}
		var texts map[string]string
		if err := json.Unmarshal(data, &texts); err != nil {
			return nil, fmt.Errorf("messages %s: %w", lang, err)
		}
		m[lang] = texts
	}
	return m, nil
}

// missingTranslations lists "lang: key" for every key some language has and
// another lacks or leaves empty.
func (m messages) missingTranslations() []string {
	keys := map[string]bool{}
	for _, texts := range m {
		for k := range texts {
			keys[k] = true
		}
	}
	var out []string
	for k := range keys {
		for _, lang := range languages {
			if strings.TrimSpace(m[lang][k]) == "" {
				out = append(out, lang+": "+k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// text is the message key in lang, formatted with args. A key the catalogue
// lacks is an error, so that a template naming one fails to render (and the
// test that renders every page in both languages fails).
func (m messages) text(lang, key string, args ...any) (string, error) {
	s, ok := m[lang][key]
	if !ok {
		return "", fmt.Errorf("no %s translation for message %q", lang, key)
	}
	return fmt.Sprintf(s, args...), nil
}

// must is text for Go code whose keys are tested: a missing key shows as
// the key itself rather than failing a request.
func (m messages) must(lang, key string, args ...any) string {
	s, err := m.text(lang, key, args...)
	if err != nil {
		return key
	}
	return s
}

// chooseLanguage picks the language of a request: ?lang=, then the lang
// cookie, then the browser's Accept-Language (French when it prefers French
// to English), then English.
func chooseLanguage(r *http.Request) (lang string, fromQuery bool) {
	if l := r.URL.Query().Get("lang"); supported(l) {
		return l, true
	}
	if c, err := r.Cookie(langCookie); err == nil && supported(c.Value) {
		return c.Value, false
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language")), false
}

func supported(lang string) bool {
	for _, l := range languages {
		if l == lang {
			return true
		}
	}
	return false
}

// fromAcceptLanguage is the supported language with the highest q-value in
// an Accept-Language header ("fr-SN,fr;q=0.9,en;q=0.8" → fr), English when
// none is supported. Ties go to the one listed first.
func fromAcceptLanguage(h string) string {
	best, bestQ := languages[0], -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !supported(base) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}

const langKey = "blockplan.lang"

// language is the middleware that chooses the request's language and, when
// ?lang= chose it, remembers the choice in a cookie.
func (s *Server) language(c *gin.Context) {
	lang, fromQuery := chooseLanguage(c.Request)
	if fromQuery {
		http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c.Request)})
	}
	c.Set(langKey, lang)
	c.Next()
}

// requestLang is the request's language.
func requestLang(c *gin.Context) string {
	if v, ok := c.Get(langKey); ok {
		return v.(string)
	}
	return languages[0]
}

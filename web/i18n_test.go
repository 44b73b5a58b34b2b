package web

import (
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"blockplan/model"
)

// TestEveryKeyHasBothTranslations fails when a message lacks English or
// French, or when the two take different arguments.
func TestEveryKeyHasBothTranslations(t *testing.T) {
	m, err := loadMessages()
	if err != nil {
		t.Fatal(err)
	}
	for _, miss := range m.missingTranslations() {
		t.Errorf("missing translation: %s", miss)
	}
	verbs := regexp.MustCompile(`%[-+# 0]*\d*(\.\d+)?[a-zA-Z]`)
	for key, en := range m["en"] {
		fr := m["fr"][key]
		if g, w := verbs.FindAllString(strings.ReplaceAll(fr, "%%", ""), -1), verbs.FindAllString(strings.ReplaceAll(en, "%%", ""), -1); strings.Join(g, " ") != strings.Join(w, " ") {
			t.Errorf("%s: French takes %v, English %v", key, g, w)
		}
	}
}

// TestMissingKeyIsAnError checks that a template naming an unknown key fails
// to render instead of showing the key.
func TestMissingKeyIsAnError(t *testing.T) {
	m, _ := loadMessages()
	if _, err := m.text("fr", "no.such.key"); err == nil {
		t.Error("an unknown key gave no error")
	}
}

// usedKeys is every message key the code and templates name: literal keys,
// and the families built from a prefix and a known set of suffixes.
func usedKeys(t *testing.T) map[string]bool {
	keys := map[string]bool{}
	literal := []*regexp.Regexp{
		regexp.MustCompile(`\bt "([a-z0-9_.\-]+)"`),                          // templates
		regexp.MustCompile(`must\([^,()]*(?:\([^)]*\))?, "([a-z0-9_.\-]+)"`), // Go
		regexp.MustCompile(`(?:Key|Help|ButtonKey|NoteKey): +"([a-z0-9_.\-]+)"`),
		regexp.MustCompile(`[TN]\("([a-z0-9_.\-]+)"\)`),
	}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") || strings.HasPrefix(path, "_") {
			return err
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".html") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range literal {
			for _, m := range re.FindAllStringSubmatch(string(data), -1) {
				keys[m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	add := func(prefix string, suffixes ...string) {
		for _, s := range suffixes {
			keys[prefix+s] = true
		}
	}
	for _, k := range append(model.EntityKinds, model.KindSDGTarget, "sdg_goal") {
		add("kind."+k, "", ".plural")
	}
	for _, k := range model.EntityKinds {
		add("intro.", k)
	}
	add("status.", model.StatusPlanned, model.StatusExisting, "default")
	add("severity.", model.SeverityError, model.SeverityWarning)
	add("flash.", "created", "imported", "saved", "deleted", "signed_out", "user_added", "role_changed", "password_reset",
		"user_removed", "token_revoked")
	for _, r := range []string{"viewer", "planner", "admin"} {
		add("role."+r, "", ".help")
	}
	add("role.", "public")
	add("audit.action.", model.ActionCreate, model.ActionUpdate, model.ActionRename, model.ActionDelete, model.ActionRevoke,
		model.ActionLogin, model.ActionLoginFailed, model.ActionLogout, model.ActionRestore)
	add("audit.kind.", model.KindPortfolio, model.KindUser, model.KindToken, model.KindSession)
	for code := range statusOfCode {
		add("error.title.", code)
	}
	add("source.", "framework", "govstack")
	for _, k := range []string{"block", "workflow", "use_case"} {
		add("catalog."+k, "", ".plural", ".intro")
	}
	for _, g := range []string{"goals_without_programmes", "programmes_without_goals", "programmes_without_use_cases",
		"use_cases_without_workflows", "untraced_links", "blocks_without_cost"} {
		add("gaps."+g, "", ".help")
	}
	for _, r := range reportFiles() {
		add(r.Key, "", ".help")
	}
	for _, fields := range entityFields {
		for _, f := range fields {
			add("field.", f.Name)
		}
	}
	return keys
}

// TestEveryUsedKeyExists fails when the code or a template names a message
// the catalogue lacks (the page test catches the same at run time, for the
// pages it renders; this catches it for every branch).
func TestEveryUsedKeyExists(t *testing.T) {
	m, err := loadMessages()
	if err != nil {
		t.Fatal(err)
	}
	used := usedKeys(t)
	if len(used) < 200 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for k := range used {
		if strings.HasSuffix(k, ".") {
			continue // a prefix built on at run time, covered by its family
		}
		for _, lang := range languages {
			if _, ok := m[lang][k]; !ok {
				t.Errorf("key %q is used but has no %s text", k, lang)
			}
		}
	}
}

func TestChooseLanguage(t *testing.T) {
	tests := []struct {
		name, query, cookie, accept, want string
	}{
		{"default", "", "", "", "en"},
		{"query", "fr", "", "", "fr"},
		{"query wins over cookie", "en", "fr", "fr", "en"},
		{"cookie", "", "fr", "en", "fr"},
		{"accept French", "", "", "fr-SN,fr;q=0.9,en;q=0.8", "fr"},
		{"accept English first", "", "", "en-GB,en;q=0.9,fr;q=0.8", "en"},
		{"accept by q", "", "", "en;q=0.5,fr;q=0.9", "fr"},
		{"accept unknown", "", "", "de-DE,de;q=0.9", "en"},
		{"unsupported query", "de", "", "fr", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/?lang="+tt.query, nil)
			if tt.query == "" {
				r = httptest.NewRequest("GET", "/", nil)
			}
			if tt.cookie != "" {
				r.Header.Set("Cookie", "lang="+tt.cookie)
			}
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if got, _ := chooseLanguage(r); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestStatusOf(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{model.Errorf(model.EINVALID, "x"), 422},
		{malformed("x", nil), 400},
		{&model.Error{Code: model.EINVALID, Err: errMethodNotAllowed}, 405},
		{model.Errorf(model.ENOTFOUND, "x"), 404},
		{model.Errorf(model.ECONFLICT, "x"), 409},
		{&conflictError{err: model.Errorf(model.ECONFLICT, "x")}, 409},
		{model.Errorf(model.EUNAUTHORIZED, "x"), 401},
		{model.Errorf(model.EFORBIDDEN, "x"), 403},
		{model.Errorf(model.EINTERNAL, "x"), 500},
		{os.ErrClosed, 500},
	}
	for _, tt := range tests {
		if got := statusOf(tt.err); got != tt.want {
			t.Errorf("statusOf(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// The audit log, for admins: every change (who, when, what, before and
// after) and every sign-in, newest first, filtered by portfolio, actor and
// kind, in pages (keyset paging on the entry id: ?before=ID). The store
// writes each entry in the transaction of its change; these pages only read.

// auditPageSize is the number of entries on a page of the audit log.
const auditPageSize = 50

// maxAuditBody bounds the before/after JSON shown on an entry's page (a
// whole-portfolio import carries the whole document); the API gives all.
const maxAuditBody = 512 << 10

// auditQuery is the audit log's filter as the page and the API take it.
type auditQuery struct {
	Portfolio string `form:"portfolio"`
	Actor     string `form:"actor"`
	Kind      string `form:"kind"`
	Entity    string `form:"entity"`
	Before    string `form:"before"`
	Limit     string `form:"limit"`
}

// filter reads q into a store filter with at most limit entries (the API
// may ask for fewer or more, up to the store's 1000).
func (q auditQuery) filter(limit int) (model.AuditFilter, error) {
	f := model.AuditFilter{PortfolioID: strings.TrimSpace(q.Portfolio), Actor: strings.TrimSpace(q.Actor),
		Kind: strings.TrimSpace(q.Kind), EntityID: strings.TrimSpace(q.Entity), Limit: limit}
	var ps model.Problems
	if q.Before != "" {
		n, err := strconv.ParseInt(q.Before, 10, 64)
		if err != nil || n < 1 {
			ps = append(ps, model.Problem{Severity: model.SeverityError, Code: "bad-parameter", Field: "before", Value: q.Before,
				Message: "before is the id of the last entry of the previous page"})
		}
		f.BeforeID = n
	}
	if q.Limit != "" {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > 1000 {
			ps = append(ps, model.Problem{Severity: model.SeverityError, Code: "bad-parameter", Field: "limit", Value: q.Limit,
				Message: "limit is a number of entries, from 1 to 1000"})
		}
		f.Limit = n
	}
	if len(ps) > 0 {
		return f, malformed(ps[0].Message, ps)
	}
	return f, nil
}

// auditKinds are the kinds an entry may be about, for the filter.
func auditKinds() []string {
	return slices.Concat([]string{model.KindPortfolio}, model.EntityKinds,
		[]string{model.KindUser, model.KindToken, model.KindSession})
}

// auditPage is one page of the audit log.
type auditPage struct {
	Base
	Query     auditQuery
	Kinds     []kindOption
	Entries   []auditRow
	NextURL   string
	NewestURL string
}

type kindOption struct {
	Value, Label string
	Selected     bool
}

type auditRow struct {
	ID                      int64
	URL                     string
	At                      string
	Actor, Action, Kind     string
	Portfolio, PortfolioURL string
	Entity, EntityURL       string
	Version                 int
	Detail                  string
}

// auditText is an action or kind in lang: its message when the catalogue has
// one, else the code as stored.
func (s *Server) auditText(lang, family, code string) string {
	if code == "" {
		return ""
	}
	for _, key := range []string{"audit." + family + "." + code, "kind." + code} {
		if t, err := s.msg.text(lang, key); err == nil {
			return t
		}
	}
	return code
}

func (s *Server) auditRowOf(lang string, e model.AuditEntry) auditRow {
	r := auditRow{ID: e.ID, URL: u("admin", "audit", strconv.FormatInt(e.ID, 10)), At: when(&e.At), Actor: e.Actor,
		Action: s.auditText(lang, "action", e.Action), Kind: s.auditText(lang, "kind", e.Kind),
		Portfolio: e.PortfolioID, Entity: e.EntityID, Version: e.Version, Detail: e.Detail}
	if e.PortfolioID != "" {
		r.PortfolioURL = u("portfolios", e.PortfolioID)
		if e.EntityID != "" && slices.Contains(model.EntityKinds, e.Kind) && e.Action != model.ActionDelete {
			r.EntityURL = entityURL(e.PortfolioID, e.Kind, e.EntityID)
		}
	}
	return r
}

func (s *Server) auditPage(c *gin.Context) error {
	var q auditQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		return malformed(err.Error(), nil)
	}
	q.Limit = ""
	f, err := q.filter(auditPageSize)
	if err != nil {
		return err
	}
	entries, err := s.store.ListAudit(c.Request.Context(), f)
	if err != nil {
		return err
	}
	b, err := s.adminBase(c, "admin.audit.title", "audit")
	if err != nil {
		return err
	}
	lang := requestLang(c)
	p := &auditPage{Base: b, Query: q}
	for _, k := range auditKinds() {
		p.Kinds = append(p.Kinds, kindOption{Value: k, Label: s.auditText(lang, "kind", k), Selected: k == f.Kind})
	}
	for _, e := range entries {
		p.Entries = append(p.Entries, s.auditRowOf(lang, e))
	}
	if len(entries) == auditPageSize {
		p.NextURL = "/admin/audit" + query("portfolio", f.PortfolioID, "actor", f.Actor, "kind", f.Kind, "entity", f.EntityID,
			"before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
	}
	if f.BeforeID > 0 {
		p.NewestURL = "/admin/audit" + query("portfolio", f.PortfolioID, "actor", f.Actor, "kind", f.Kind, "entity", f.EntityID)
	}
	return s.render(c, http.StatusOK, "admin_audit", p)
}

// auditEntryPage is one entry with its before and after.
type auditEntryPage struct {
	Base
	Entry     auditRow
	Before    string
	After     string
	Truncated bool
	APIURL    string
}

func (s *Server) auditEntry(c *gin.Context) (model.AuditEntry, error) {
	id, err := strconv.ParseInt(c.Param("aid"), 10, 64)
	if err != nil || id < 1 {
		return model.AuditEntry{}, model.Errorf(model.ENOTFOUND, "no audit entry %q", c.Param("aid"))
	}
	return s.store.GetAudit(c.Request.Context(), id)
}

func (s *Server) auditEntryPage(c *gin.Context) error {
	e, err := s.auditEntry(c)
	if err != nil {
		return err
	}
	b, err := s.adminBase(c, "admin.audit.title", "audit")
	if err != nil {
		return err
	}
	lang := requestLang(c)
	b.Title = s.msg.must(lang, "admin.audit.entry", e.ID)
	p := &auditEntryPage{Base: b, Entry: s.auditRowOf(lang, e), APIURL: u("api", "v1", "audit", strconv.FormatInt(e.ID, 10))}
	var cut bool
	p.Before, cut = prettyJSON(e.Before, maxAuditBody)
	p.Truncated = cut
	p.After, cut = prettyJSON(e.After, maxAuditBody)
	p.Truncated = p.Truncated || cut
	return s.render(c, http.StatusOK, "admin_audit_entry", p)
}

// prettyJSON indents raw for reading, with <, > and & as themselves rather
// than the \u003c escapes Go's encoder writes (the page's template escapes
// them for HTML), cut at max bytes. Empty or null is "".
func prettyJSON(raw json.RawMessage, max int) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return string(raw), false
	}
	out := unescapeHTMLInJSON(b.Bytes())
	if len(out) > max {
		return strings.ToValidUTF8(string(out[:max]), "") + "\n…", true
	}
	return string(out), false
}

// unescapeHTMLInJSON turns the escapes \u003c, \u003e and \u0026 back into
// <, > and &. In valid JSON a backslash only ever starts an escape inside a
// string, so each is read with its escape, never split.
func unescapeHTMLInJSON(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+5 < len(b) {
			switch strings.ToLower(string(b[i+2 : i+6])) {
			case "003c":
				out = append(out, '<')
				i += 5
				continue
			case "003e":
				out = append(out, '>')
				i += 5
				continue
			case "0026":
				out = append(out, '&')
				i += 5
				continue
			}
		}
		out = append(out, b[i], b[i+1])
		i++
	}
	return out
}

// auditList is the API's page of the audit log. NextBefore, when set, is
// the before= of the next page.
type auditList struct {
	Entries    []model.AuditEntry `json:"entries"`
	NextBefore *int64             `json:"next_before"`
}

func (s *Server) apiAudit(c *gin.Context) error {
	var q auditQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		return malformed(err.Error(), nil)
	}
	f, err := q.filter(100)
	if err != nil {
		return err
	}
	entries, err := s.store.ListAudit(c.Request.Context(), f)
	if err != nil {
		return err
	}
	out := auditList{Entries: entries}
	if out.Entries == nil {
		out.Entries = []model.AuditEntry{}
	}
	if len(entries) == f.Limit && len(entries) > 0 {
		last := entries[len(entries)-1].ID
		out.NextBefore = &last
	}
	writeJSON(c, http.StatusOK, out)
	return nil
}

func (s *Server) apiAuditEntry(c *gin.Context) error {
	e, err := s.auditEntry(c)
	if err != nil {
		return err
	}
	writeJSON(c, http.StatusOK, e)
	return nil
}

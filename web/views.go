package web

import (
	"net/url"
	"strconv"
	"strings"

	"blockplan/catalog"
	"blockplan/model"
)

// Small view types the templates share.

// nodeView is a link to one node of the line (an entity or an SDG target).
type nodeView struct {
	Kind, ID, Label, URL string
	Title                string // the whole name, when Label is cut short
	FromCatalog          bool   // used by the portfolio but defined only in the catalogue
}

// ShowID reports whether the node's id says something its name does not:
// the short codes planners give goals, programmes and agencies.
func (n nodeView) ShowID() bool {
	return n.Label != n.ID && (n.Kind == model.KindGoal || n.Kind == model.KindProgramme || n.Kind == model.KindAgency)
}

func (s *Server) node(sn *snapshot, lang, kind, id string) nodeView {
	n := nodeView{Kind: kind, ID: id, Label: s.label(sn, lang, kind, id), URL: s.nodeURL(sn.Info.ID, kind, id)}
	if kind == model.KindSDGTarget && id != model.UnmappedID {
		// An SDG target's official text is long: its code and the start of
		// the text, the whole in the tooltip.
		n.Title = n.Label
		n.Label = id
		if n.Title != id {
			n.Label = id + " " + shorten(n.Title, 90)
		}
	}
	if kind == model.KindUseCase || kind == model.KindWorkflow || kind == model.KindBlock {
		_, own := sn.rawIndex[model.EntityKey{Kind: kind, ID: id}]
		n.FromCatalog = !own
	}
	return n
}

// nodeURL is the page of a node: an entity page, or the catalogue's page
// of an SDG target.
func (s *Server) nodeURL(pid, kind, id string) string {
	if id == model.UnmappedID {
		return ""
	}
	if kind == model.KindSDGTarget {
		goal, _, _ := strings.Cut(id, ".")
		return u("catalog", "sdgs", goal) + "#t-" + id
	}
	return entityURL(pid, kind, id)
}

func (s *Server) nodes(sn *snapshot, lang, kind string, ids []string) []nodeView {
	out := make([]nodeView, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.node(sn, lang, kind, id))
	}
	return out
}

// traceSection is one level of the line through a node.
type traceSection struct {
	Kind  string
	Nodes []nodeView
	More  int // nodes not listed
}

// maxTraceNodes bounds each level of a trace on a page: a block used by
// every one of 5,000 programmes lists the first ones and counts the rest.
const maxTraceNodes = 100

// traceView is the line through a node, top (SDG targets) to bottom
// (blocks), without the node itself.
func (s *Server) traceView(sn *snapshot, lang string, t *model.Trace) []traceSection {
	var out []traceSection
	add := func(kind string, refs []model.NodeRef) {
		sec := traceSection{Kind: kind}
		for _, r := range refs {
			if r.Kind == t.Node.Kind && r.ID == t.Node.ID {
				continue
			}
			if len(sec.Nodes) >= maxTraceNodes {
				sec.More++
				continue
			}
			sec.Nodes = append(sec.Nodes, s.node(sn, lang, r.Kind, r.ID))
		}
		if len(sec.Nodes) > 0 {
			out = append(out, sec)
		}
	}
	add(model.KindSDGTarget, t.SDGTargets)
	add(model.KindGoal, t.Goals)
	add(model.KindProgramme, t.Programmes)
	add(model.KindUseCase, t.UseCases)
	add(model.KindWorkflow, t.Workflows)
	add(model.KindBlock, t.Blocks)
	return out
}

// traceOf is the trace view of kind id, nil sections when it has none.
func (s *Server) traceOf(sn *snapshot, lang, kind, id string) []traceSection {
	t, err := sn.Graph.Trace(kind, id)
	if err != nil {
		return nil
	}
	return s.traceView(sn, lang, t)
}

// entityProblems is the problems about one entity, as text.
func (s *Server) entityProblems(sn *snapshot, lang, kind, id string) []string {
	var out []string
	for _, p := range sn.Problems {
		if p.Kind == kind && p.ID == id {
			out = append(out, s.problemText(lang, p))
		}
	}
	return out
}

// pager is a list's paging: pages of pageSize rows, with links that keep the
// search.
type pager struct {
	Page, Pages, Total, From, To int
	PrevURL, NextURL             string
}

const pageSize = 50

// paginate cuts n rows into pages and returns the range of page (1-based)
// with its links.
func paginate(base *url.URL, n, page int) (pager, int, int) {
	pages := max(1, (n+pageSize-1)/pageSize)
	page = min(max(page, 1), pages)
	lo, hi := (page-1)*pageSize, min(page*pageSize, n)
	p := pager{Page: page, Pages: pages, Total: n, From: lo + 1, To: hi}
	if n == 0 {
		p.From = 0
	}
	link := func(to int) string {
		q := base.Query()
		q.Set("page", strconv.Itoa(to))
		q.Del("done")
		return base.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.PrevURL = link(page - 1)
	}
	if page < pages {
		p.NextURL = link(page + 1)
	}
	return p, lo, hi
}

// matcher reports whether any of a row's texts contains the search, without
// regard to case, accents or punctuation. An empty search matches all.
type matcher string

func newMatcher(q string) matcher { return matcher(catalog.Normalize(q)) }

func (m matcher) match(texts ...string) bool {
	if m == "" {
		return true
	}
	for _, t := range texts {
		if strings.Contains(catalog.Normalize(t), string(m)) {
			return true
		}
	}
	return false
}

// cell is one cell of a list table.
type cell struct {
	Text  string
	URL   string
	Num   bool // right-aligned figure
	Neg   bool // a negative figure, shown as such
	Badge string
}

// listPage is the list of one kind of entity (or of catalogue entries):
// search, a table and paging.
type listPage struct {
	Base
	Heading  string
	Intro    string
	Kind     string
	Query    string
	Columns  []column
	Rows     [][]cell
	Pager    pager
	NewURL   string
	Action   string // the search form's target
	Empty    string
	Problems []string
}

type column struct {
	Label string
	Num   bool
}

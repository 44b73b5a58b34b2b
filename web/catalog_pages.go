package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/catalog"
	"blockplan/model"
)

// catalogData is the catalogue as the browser shows it, read once: the
// catalogue's accessors copy their lists on every call.
type catalogData struct {
	goals     []catalog.Goal
	targets   []catalog.Target
	blocks    []catalog.Block
	workflows []catalog.Workflow
	useCases  []catalog.UseCase
	// targetsOf lists the targets of each SDG by goal id.
	targetsOf map[string][]catalog.Target
	// indicatorsOf lists indicators by target.
	indicatorsOf map[string][]catalog.Indicator
}

func newCatalogData(c *catalog.Catalog) catalogData {
	d := catalogData{goals: c.Goals(), targets: c.Targets(), blocks: c.Blocks(), workflows: c.Workflows(), useCases: c.UseCases(),
		targetsOf: map[string][]catalog.Target{}, indicatorsOf: map[string][]catalog.Indicator{}}
	for _, t := range d.targets {
		d.targetsOf[t.Goal] = append(d.targetsOf[t.Goal], t)
	}
	for _, in := range c.Indicators() {
		d.indicatorsOf[in.Target] = append(d.indicatorsOf[in.Target], in)
	}
	return d
}

// catalogKinds are the catalogue's browsable kinds by URL segment.
var catalogKinds = map[string]string{"blocks": catalog.KindBlock, "workflows": catalog.KindWorkflow, "use-cases": catalog.KindUseCase}

// catalogHomePage shows the 17 SDGs and the framework's lists.
type catalogHomePage struct {
	Base
	Goals  []sdgCard
	Counts struct{ Targets, Blocks, Workflows, UseCases int }
}

type sdgCard struct {
	ID, Name, Title, URL string
	Targets              int
}

func (s *Server) catalogHome(c *gin.Context) error {
	infos, err := s.listInfos(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	p := &catalogHomePage{Base: s.newBase(c, s.msg.must(lang, "catalog.title"), infos, nil)}
	p.Section = "catalog"
	for _, g := range s.catData.goals {
		p.Goals = append(p.Goals, sdgCard{ID: g.ID, Name: g.Name.In(lang), Title: g.Title.In(lang), URL: u("catalog", "sdgs", g.ID),
			Targets: len(s.catData.targetsOf[g.ID])})
	}
	p.Counts.Targets, p.Counts.Blocks, p.Counts.Workflows, p.Counts.UseCases =
		len(s.catData.targets), len(s.catData.blocks), len(s.catData.workflows), len(s.catData.useCases)
	return s.render(c, http.StatusOK, "catalog", p)
}

// catalogSDGPage is one SDG with its targets and indicators, and the
// catalogue use cases that serve each target.
type catalogSDGPage struct {
	Base
	ID, Name, Title string
	Targets         []targetView
	Prev, Next      string
}

type targetView struct {
	ID, Name   string
	Indicators []catalog.Indicator
	UseCases   []linkView
}

type linkView struct{ ID, Label, URL string }

func (s *Server) catalogSDG(c *gin.Context) error {
	infos, err := s.listInfos(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	id := c.Param("goal")
	i := slices.IndexFunc(s.catData.goals, func(g catalog.Goal) bool { return g.ID == id })
	if i < 0 {
		return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(lang, "error.no_entity", s.msg.must(lang, "kind.sdg_goal"), id))
	}
	g := s.catData.goals[i]
	p := &catalogSDGPage{Base: s.newBase(c, s.msg.must(lang, "kind.sdg_goal")+" "+g.ID+" — "+g.Name.In(lang), infos, nil),
		ID: g.ID, Name: g.Name.In(lang), Title: g.Title.In(lang)}
	p.Section = "catalog"
	if i > 0 {
		p.Prev = u("catalog", "sdgs", s.catData.goals[i-1].ID)
	}
	if i < len(s.catData.goals)-1 {
		p.Next = u("catalog", "sdgs", s.catData.goals[i+1].ID)
	}
	for _, t := range s.catData.targetsOf[g.ID] {
		tv := targetView{ID: t.ID, Name: t.Name.In(lang), Indicators: s.catData.indicatorsOf[t.ID]}
		for _, uc := range s.catData.useCases {
			if slices.Contains(uc.SDGTargets, t.ID) {
				tv.UseCases = append(tv.UseCases, linkView{ID: uc.ID, Label: uc.Name.In(lang), URL: u("catalog", "use-cases", uc.ID)})
			}
		}
		p.Targets = append(p.Targets, tv)
	}
	return s.render(c, http.StatusOK, "catalog_sdg", p)
}

func (s *Server) catalogList(c *gin.Context) error {
	seg := c.Param("kind")
	kind, ok := catalogKinds[seg]
	lang := requestLang(c)
	if !ok {
		return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(lang, "error.no_page"))
	}
	infos, err := s.listInfos(c)
	if err != nil {
		return err
	}
	title := s.msg.must(lang, "catalog."+kind+".plural")
	p := &listPage{Base: s.newBase(c, title, infos, nil), Heading: title, Kind: kind, Query: c.Query("q"),
		Action: u("catalog", seg), Empty: s.msg.must(lang, "list.empty"), Intro: s.msg.must(lang, "catalog."+kind+".intro")}
	p.Section = "catalog"
	m := newMatcher(p.Query)
	page, _ := strconv.Atoi(c.Query("page"))
	T := func(key string) column { return column{Label: s.msg.must(lang, key)} }
	N := func(key string) column { return column{Label: s.msg.must(lang, key), Num: true} }
	source := func(src string) cell { return cell{Text: s.msg.must(lang, "source."+src)} }
	var rows [][]cell
	switch kind {
	case catalog.KindBlock:
		p.Columns = []column{T("field.id"), T("field.name"), T("col.source")}
		for _, b := range s.catData.blocks {
			if m.match(append([]string{b.ID, b.Name.EN, b.Name.FR}, b.Aliases...)...) {
				rows = append(rows, []cell{{Text: b.ID, URL: u("catalog", seg, b.ID)}, {Text: b.Name.In(lang), URL: u("catalog", seg, b.ID)}, source(b.Source)})
			}
		}
	case catalog.KindWorkflow:
		p.Columns = []column{T("field.id"), T("field.name"), N("col.blocks")}
		for _, w := range s.catData.workflows {
			if m.match(append([]string{w.ID, w.Name.EN, w.Name.FR}, w.Aliases...)...) {
				rows = append(rows, []cell{{Text: w.ID, URL: u("catalog", seg, w.ID)}, {Text: w.Name.In(lang), URL: u("catalog", seg, w.ID)},
					{Text: strconv.Itoa(len(w.Blocks)), Num: true}})
			}
		}
	case catalog.KindUseCase:
		p.Columns = []column{T("field.id"), T("field.name"), T("field.sector"), T("col.source"), T("field.sdg_targets")}
		for _, x := range s.catData.useCases {
			if m.match(append([]string{x.ID, x.Name.EN, x.Name.FR, x.Sector.EN, x.Sector.FR}, x.Aliases...)...) {
				rows = append(rows, []cell{{Text: x.ID, URL: u("catalog", seg, x.ID)}, {Text: x.Name.In(lang), URL: u("catalog", seg, x.ID)},
					{Text: x.Sector.In(lang)}, source(x.Source), {Text: joinList(x.SDGTargets)}})
			}
		}
	}
	pg, lo, hi := paginate(c.Request.URL, len(rows), page)
	p.Pager, p.Rows = pg, rows[lo:hi]
	return s.render(c, http.StatusOK, "list", p)
}

// catalogItemPage is one catalogue block, workflow or use case.
type catalogItemPage struct {
	Base
	Kind, ID, Name, NameOther, Description, Source, Sector string
	Aliases                                                []string
	Targets                                                []linkView
	Workflows                                              []linkView
	Blocks                                                 []linkView
	UsedBy                                                 []linkView // workflows or use cases that use it
	UsedByKind                                             string
	Steps                                                  []stepView
}

type stepView struct {
	Name      string
	Workflows []linkView
	Blocks    []linkView
}

func (s *Server) catalogItem(c *gin.Context) error {
	seg, id := c.Param("kind"), c.Param("cid")
	lang := requestLang(c)
	kind, ok := catalogKinds[seg]
	entry, found := s.cat.Entry(kind, id)
	if !ok || !found {
		return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(lang, "error.no_page"))
	}
	infos, err := s.listInfos(c)
	if err != nil {
		return err
	}
	other := "fr"
	if lang == "fr" {
		other = "en"
	}
	links := func(seg string, ids []string, name func(string) string) []linkView {
		var out []linkView
		for _, x := range ids {
			out = append(out, linkView{ID: x, Label: name(x), URL: u("catalog", seg, x)})
		}
		return out
	}
	blockName := func(x string) string {
		if b, ok := s.cat.Block(x); ok {
			return b.Label(lang)
		}
		return x
	}
	wfName := func(x string) string {
		if w, ok := s.cat.Workflow(x); ok {
			return w.Label(lang)
		}
		return x
	}
	p := &catalogItemPage{Kind: kind, ID: id}
	switch e := entry.(type) {
	case catalog.Block:
		p.Name, p.NameOther, p.Description, p.Source, p.Aliases = e.Name.In(lang), e.Name.In(other), e.Description.In(lang), e.Source, e.Aliases
		p.UsedByKind = catalog.KindWorkflow
		for _, w := range s.catData.workflows {
			if slices.Contains(w.Blocks, id) {
				p.UsedBy = append(p.UsedBy, linkView{ID: w.ID, Label: w.Name.In(lang), URL: u("catalog", "workflows", w.ID)})
			}
		}
		for _, uc := range s.catData.useCases {
			if slices.Contains(uc.Blocks, id) {
				p.UsedBy = append(p.UsedBy, linkView{ID: uc.ID, Label: uc.Name.In(lang), URL: u("catalog", "use-cases", uc.ID)})
			}
		}
	case catalog.Workflow:
		p.Name, p.NameOther, p.Description, p.Aliases = e.Name.In(lang), e.Name.In(other), e.Description.In(lang), e.Aliases
		p.Blocks = links("blocks", e.Blocks, blockName)
		p.UsedByKind = catalog.KindUseCase
		for _, uc := range s.catData.useCases {
			if slices.Contains(uc.Workflows, id) {
				p.UsedBy = append(p.UsedBy, linkView{ID: uc.ID, Label: uc.Name.In(lang), URL: u("catalog", "use-cases", uc.ID)})
			}
		}
	case catalog.UseCase:
		p.Name, p.NameOther, p.Description, p.Source, p.Sector, p.Aliases = e.Name.In(lang), e.Name.In(other), e.Description.In(lang), e.Source, e.Sector.In(lang), e.Aliases
		p.Workflows = links("workflows", e.Workflows, wfName)
		p.Blocks = links("blocks", e.Blocks, blockName)
		for _, t := range e.SDGTargets {
			name := t
			if x, ok := s.cat.SDGTarget(t); ok {
				name = x.Label(lang)
			}
			goal := t
			if i := strings.IndexByte(t, '.'); i > 0 {
				goal = t[:i]
			}
			p.Targets = append(p.Targets, linkView{ID: t, Label: name, URL: u("catalog", "sdgs", goal) + "#t-" + t})
		}
		for _, st := range e.Steps {
			p.Steps = append(p.Steps, stepView{Name: st.Name.In(lang), Workflows: links("workflows", st.Workflows, wfName), Blocks: links("blocks", st.Blocks, blockName)})
		}
	}
	if p.NameOther == p.Name {
		p.NameOther = ""
	}
	p.Base = s.newBase(c, s.msg.must(lang, "catalog."+kind)+" — "+p.Name, infos, nil)
	p.Section = "catalog"
	return s.render(c, http.StatusOK, "catalog_item", p)
}

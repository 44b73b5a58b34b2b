package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// portfolioSnapshot is the snapshot of the :id portfolio of the request, with
// the list of portfolios for the top bar.
func (s *Server) portfolioSnapshot(c *gin.Context) (*snapshot, []model.PortfolioInfo, error) {
	infos, err := s.listInfos(c)
	if err != nil {
		return nil, nil, err
	}
	id := c.Param("id")
	for _, in := range infos {
		if in.ID == id {
			sn, err := s.snapshotAt(c.Request.Context(), in)
			return sn, infos, err
		}
	}
	return nil, infos, model.Errorf(model.ENOTFOUND, "%s", s.msg.must(requestLang(c), "error.no_portfolio", id))
}

func (s *Server) portfolioBase(c *gin.Context, sn *snapshot, infos []model.PortfolioInfo, title, section string) Base {
	info := sn.Info
	b := s.newBase(c, title, infos, &info)
	b.Section = section
	return b
}

// entityList is the list of one kind of a portfolio's entities, with search
// and paging. Only the rows of the page shown are built, so that a
// 5,000-programme portfolio lists as fast as the demo.
func (s *Server) entityList(k kindInfo) handler {
	return func(c *gin.Context) error {
		sn, infos, err := s.portfolioSnapshot(c)
		if err != nil {
			return err
		}
		lang := requestLang(c)
		title := s.msg.must(lang, "kind."+k.Kind+".plural")
		p := &listPage{Base: s.portfolioBase(c, sn, infos, title, k.Kind), Heading: title, Kind: k.Kind,
			Query: c.Query("q"), Action: u("portfolios", sn.Info.ID, k.Segment), Empty: s.msg.must(lang, "list.empty")}
		p.Intro = s.msg.must(lang, "intro."+k.Kind)
		if p.CanEdit {
			p.NewURL = u("portfolios", sn.Info.ID, k.Segment, newSegment)
		}
		m := newMatcher(p.Query)
		page, _ := strconv.Atoi(c.Query("page"))
		res := sn.Resolved
		T := func(key string) column { return column{Label: s.msg.must(lang, key)} }
		N := func(key string) column { return column{Label: s.msg.must(lang, key), Num: true} }
		money := func(v float64) cell {
			return cell{Text: s.money(v, sn, lang), Num: true, Neg: v < 0}
		}
		count := func(n int) cell { return cell{Text: strconv.Itoa(n), Num: true} }
		name := func(kind, id, label string) cell { return cell{Text: label, URL: entityURL(sn.Info.ID, kind, id)} }
		idCell := func(kind, id string) cell { return cell{Text: id, URL: entityURL(sn.Info.ID, kind, id)} }
		fromCat := func(kind, id string) string {
			if _, own := sn.rawIndex[model.EntityKey{Kind: kind, ID: id}]; !own {
				return s.msg.must(lang, "badge.catalog")
			}
			return ""
		}
		var match []int
		switch k.Kind {
		case model.KindGoal:
			p.Columns = []column{T("field.id"), T("field.name"), T("field.sdg_targets"), N("field.priority"), N("col.programmes"), N("fig.pv_shared"), N("fig.savings")}
			for i, x := range res.Goals {
				if m.match(x.ID, x.Name, x.NameFR) {
					match = append(match, i)
				}
			}
			p.Pager, match = s.page(c, match, page)
			for _, i := range match {
				x := res.Goals[i]
				row := []cell{idCell(k.Kind, x.ID), name(k.Kind, x.ID, x.Label(lang)), {Text: joinList(x.SDGTargets)},
					{Text: optInt(x.Priority), Num: true}, count(len(sn.Graph.GoalProgrammes(x.ID)))}
				if f := sn.goalFigures(x.ID); f != nil {
					row = append(row, money(f.PVShared), money(f.Savings))
				} else {
					row = append(row, cell{}, cell{})
				}
				p.Rows = append(p.Rows, row)
			}
		case model.KindProgramme:
			p.Columns = []column{T("field.id"), T("field.name"), T("field.agency"), T("field.goals"), N("col.blocks"), N("fig.pv_shared"), N("fig.savings")}
			for i, x := range res.Programmes {
				if m.match(x.ID, x.Name, x.NameFR, x.Agency) {
					match = append(match, i)
				}
			}
			p.Pager, match = s.page(c, match, page)
			for _, i := range match {
				x := res.Programmes[i]
				agency := cell{}
				if x.Agency != "" {
					agency = cell{Text: s.label(sn, lang, model.KindAgency, x.Agency), URL: entityURL(sn.Info.ID, model.KindAgency, x.Agency)}
				}
				row := []cell{idCell(k.Kind, x.ID), name(k.Kind, x.ID, x.Label(lang)), agency, {Text: joinList(x.Goals)},
					count(len(sn.Graph.ProgrammeBlocks(x.ID)))}
				if f := sn.programmeFigures(x.ID); f != nil {
					row = append(row, money(f.PVShared), money(f.Savings))
				} else {
					row = append(row, cell{}, cell{})
				}
				p.Rows = append(p.Rows, row)
			}
		case model.KindUseCase:
			p.Columns = []column{T("field.id"), T("field.name"), T("field.sector"), N("col.workflows"), N("col.blocks"), N("col.programmes")}
			for i, x := range res.UseCases {
				if m.match(x.ID, x.Name, x.NameFR, x.Sector) {
					match = append(match, i)
				}
			}
			p.Pager, match = s.page(c, match, page)
			for _, i := range match {
				x := res.UseCases[i]
				nm := name(k.Kind, x.ID, x.Label(lang))
				nm.Badge = fromCat(k.Kind, x.ID)
				p.Rows = append(p.Rows, []cell{idCell(k.Kind, x.ID), nm, {Text: x.Sector}, count(len(x.Workflows)),
					count(len(sn.Graph.UseCaseBlocks(x.ID))), count(len(sn.Graph.UseCaseProgrammes(x.ID)))})
			}
		case model.KindWorkflow:
			p.Columns = []column{T("field.id"), T("field.name"), N("col.blocks")}
			for i, x := range res.Workflows {
				if m.match(x.ID, x.Name, x.NameFR) {
					match = append(match, i)
				}
			}
			p.Pager, match = s.page(c, match, page)
			for _, i := range match {
				x := res.Workflows[i]
				nm := name(k.Kind, x.ID, x.Label(lang))
				nm.Badge = fromCat(k.Kind, x.ID)
				p.Rows = append(p.Rows, []cell{idCell(k.Kind, x.ID), nm, count(len(x.Blocks))})
			}
		case model.KindBlock:
			p.Columns = []column{T("field.id"), T("field.name"), T("field.status"), N("fig.consumers"), N("field.build_cost"), N("fig.pv_siloed"), N("fig.pv_shared"), N("fig.savings")}
			for i, x := range res.Blocks {
				if m.match(x.ID, x.Name, x.NameFR) {
					match = append(match, i)
				}
			}
			p.Pager, match = s.page(c, match, page)
			for _, i := range match {
				x := res.Blocks[i]
				nm := name(k.Kind, x.ID, x.Label(lang))
				nm.Badge = fromCat(k.Kind, x.ID)
				if !x.HasCost() {
					nm.Badge = s.msg.must(lang, "badge.no_cost")
				}
				row := []cell{idCell(k.Kind, x.ID), nm, {Text: s.msg.must(lang, "status."+x.StatusOrDefault())}}
				if f := sn.blockFigures(x.ID); f != nil {
					row = append(row, count(f.Consumers), cell{Text: formatAmount(x.BuildCost, "", lang), Num: true},
						money(f.PVSiloed), money(f.PVShared), money(f.Savings))
				} else {
					row = append(row, cell{}, cell{Text: formatAmount(x.BuildCost, "", lang), Num: true}, cell{}, cell{}, cell{})
				}
				p.Rows = append(p.Rows, row)
			}
		case model.KindAgency:
			p.Columns = []column{T("field.id"), T("field.name"), N("col.programmes")}
			for i, x := range res.Agencies {
				if m.match(x.ID, x.Name, x.NameFR) {
					match = append(match, i)
				}
			}
			p.Pager, match = s.page(c, match, page)
			for _, i := range match {
				x := res.Agencies[i]
				p.Rows = append(p.Rows, []cell{idCell(k.Kind, x.ID), name(k.Kind, x.ID, x.Label(lang)), count(len(sn.progsByAgency[x.ID]))})
			}
		}
		return s.render(c, http.StatusOK, "list", p)
	}
}

// page cuts the matching rows to the requested page.
func (s *Server) page(c *gin.Context, match []int, page int) (pager, []int) {
	pg, lo, hi := paginate(c.Request.URL, len(match), page)
	return pg, match[lo:hi]
}

func joinList(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// money formats an amount in the portfolio's currency.
func (s *Server) money(v float64, sn *snapshot, lang string) string {
	return fmtMoney(v, sn.Resolved.Currency, lang)
}

// entityDetail is the page of one entity: its fields, its figures, and the
// line through it up to SDG targets and down to blocks.
func (s *Server) entityDetail(k kindInfo) handler {
	return func(c *gin.Context) error {
		sn, infos, err := s.portfolioSnapshot(c)
		if err != nil {
			return err
		}
		id := c.Param("eid")
		if resolvedEntity(sn, k.Kind, id) == nil {
			return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(requestLang(c), "error.no_entity", s.msg.must(requestLang(c), "kind."+k.Kind), id))
		}
		v := s.detailView(c, sn, infos, k, id)
		return s.render(c, http.StatusOK, "entity", v)
	}
}

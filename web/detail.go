package web

import (
	"cmp"
	"slices"

	"github.com/gin-gonic/gin"

	"blockplan/model"
	"blockplan/reports"
)

// entityPage is the detail page of any entity. The common part is here; the
// kind's own part is in exactly one of the pointers.
type entityPage struct {
	Base
	PID         string
	Kind        string
	ID          string
	Name        string
	NameOther   string // the name in the other language, when it differs
	Description string
	Own         bool // the portfolio defines it (else it comes from the catalogue)
	Catalogued  bool // its id is in the catalogue
	EditURL     string
	DeleteURL   string
	ListURL     string
	Trace       []traceSection
	Problems    []string

	Goal      *goalDetail
	Programme *programmeDetail
	UseCase   *useCaseDetail
	Workflow  *workflowDetail
	Block     *blockDetail
	Agency    *agencyDetail
}

type goalDetail struct {
	Targets    []nodeView
	Priority   *int
	Figures    *model.GoalFigures
	Programmes []shareRow
}

// shareRow is one programme's part of a goal, with the programme's figures.
type shareRow struct {
	Node     nodeView
	Share    float64
	PVShared float64
	Savings  float64
}

type programmeDetail struct {
	P       model.Programme
	Agency  *nodeView
	Goals   []nodeView
	Figures *model.ProgrammeFigures
	ByBlock []blockShareRow
	Direct  []nodeView // untraced blocks
	Chart   any
}

type blockShareRow struct {
	Node     nodeView
	Weight   float64
	PVSiloed float64
	PVShared float64
	Savings  float64
}

type useCaseDetail struct {
	U          model.UseCase
	Targets    []nodeView
	Workflows  []nodeView
	Blocks     []nodeView // B(u)
	OwnBlocks  bool       // the use case lists its blocks itself
	Programmes []nodeView
}

type workflowDetail struct {
	W        model.Workflow
	Blocks   []nodeView
	UseCases []nodeView
}

type blockDetail struct {
	B          model.Block
	Figures    *model.BlockFigures
	Years      []model.YearFigures
	Programmes int // how many depend on it
	Goals      int
	Chart      any
}

type agencyDetail struct {
	Programmes []programmeRow
}

type programmeRow struct {
	Node     nodeView
	PVShared *float64
	Savings  *float64
}

func (s *Server) detailView(c *gin.Context, sn *snapshot, infos []model.PortfolioInfo, k kindInfo, id string) *entityPage {
	lang := requestLang(c)
	pid := sn.Info.ID
	_, own := sn.rawIndex[model.EntityKey{Kind: k.Kind, ID: id}]
	p := &entityPage{PID: pid, Kind: k.Kind, ID: id, Own: own, Catalogued: s.inCatalog(k.Kind, id),
		ListURL: u("portfolios", pid, k.Segment)}
	other := "fr"
	if lang == "fr" {
		other = "en"
	}
	setNames := func(x labeled) {
		p.Name = x.Label(lang)
		if o := x.Label(other); o != p.Name {
			p.NameOther = o
		}
	}
	kindName := s.msg.must(lang, "kind."+k.Kind)
	switch k.Kind {
	case model.KindGoal:
		g, _ := sn.goal(id)
		setNames(g)
		d := &goalDetail{Priority: g.Priority, Targets: s.nodes(sn, lang, model.KindSDGTarget, g.SDGTargets), Figures: sn.goalFigures(id)}
		if d.Figures != nil {
			for _, sh := range d.Figures.Programmes {
				row := shareRow{Node: s.node(sn, lang, model.KindProgramme, sh.ID), Share: sh.Share}
				if f := sn.programmeFigures(sh.ID); f != nil {
					// The programme's own figures, and the share of them that
					// goes to this goal (cost-model.md §6), as the model gives them.
					row.PVShared, row.Savings = f.PVShared, f.Savings
				}
				d.Programmes = append(d.Programmes, row)
			}
		} else {
			for _, pr := range sn.Graph.GoalProgrammes(id) {
				d.Programmes = append(d.Programmes, shareRow{Node: s.node(sn, lang, model.KindProgramme, pr)})
			}
		}
		p.Goal = d
	case model.KindProgramme:
		pr, _ := sn.programme(id)
		setNames(pr)
		d := &programmeDetail{P: pr, Goals: s.nodes(sn, lang, model.KindGoal, pr.Goals), Figures: sn.programmeFigures(id),
			Direct: s.nodes(sn, lang, model.KindBlock, pr.Blocks)}
		if pr.Agency != "" {
			a := s.node(sn, lang, model.KindAgency, pr.Agency)
			d.Agency = &a
		}
		if d.Figures != nil {
			for _, b := range d.Figures.ByBlock {
				d.ByBlock = append(d.ByBlock, blockShareRow{Node: s.node(sn, lang, model.KindBlock, b.Block), Weight: b.Weight,
					PVSiloed: b.PVSiloed, PVShared: b.PVShared, Savings: b.Savings})
			}
			if s.chartsAvailable() && len(d.ByBlock) > 0 {
				d.Chart = s.programmeBlocksChart(sn, lang, d.Figures)
			}
		}
		p.Programme = d
	case model.KindUseCase:
		uc, _ := sn.useCase(id)
		setNames(uc)
		p.Description = model.Localized(lang, uc.Description, uc.DescriptionFR)
		p.UseCase = &useCaseDetail{U: uc, Targets: s.nodes(sn, lang, model.KindSDGTarget, uc.SDGTargets),
			Workflows: s.nodes(sn, lang, model.KindWorkflow, uc.Workflows), Blocks: s.nodes(sn, lang, model.KindBlock, sn.Graph.UseCaseBlocks(id)),
			OwnBlocks: len(uc.Blocks) > 0, Programmes: s.nodes(sn, lang, model.KindProgramme, sn.Graph.UseCaseProgrammes(id))}
	case model.KindWorkflow:
		w, _ := sn.workflow(id)
		setNames(w)
		p.Description = model.Localized(lang, w.Description, w.DescriptionFR)
		d := &workflowDetail{W: w, Blocks: s.nodes(sn, lang, model.KindBlock, w.Blocks)}
		for _, uc := range sn.Resolved.UseCases {
			if slices.Contains(uc.Workflows, id) {
				d.UseCases = append(d.UseCases, s.node(sn, lang, model.KindUseCase, uc.ID))
			}
		}
		p.Workflow = d
	case model.KindBlock:
		b, _ := sn.block(id)
		setNames(b)
		p.Description = model.Localized(lang, b.Description, b.DescriptionFR)
		d := &blockDetail{B: b, Figures: sn.blockFigures(id)}
		if d.Figures != nil {
			d.Years = d.Figures.Years
			if s.chartsAvailable() {
				d.Chart = s.blockYearsChart(sn, lang, d.Figures)
			}
		}
		if t, err := sn.Graph.Trace(model.KindBlock, id); err == nil {
			d.Programmes, d.Goals = len(t.Programmes), len(t.Goals)
		}
		p.Block = d
	case model.KindAgency:
		a, _ := sn.agency(id)
		setNames(a)
		d := &agencyDetail{}
		for _, prID := range sn.progsByAgency[id] {
			row := programmeRow{Node: s.node(sn, lang, model.KindProgramme, prID)}
			if f := sn.programmeFigures(prID); f != nil {
				row.PVShared, row.Savings = &f.PVShared, &f.Savings
			}
			d.Programmes = append(d.Programmes, row)
		}
		p.Agency = d
	}
	p.Base = s.portfolioBase(c, sn, infos, kindName+" "+id+" — "+p.Name, k.Kind)
	p.UsesCharts = (p.Programme != nil && p.Programme.Chart != nil) || (p.Block != nil && p.Block.Chart != nil)
	if k.Kind != model.KindAgency {
		p.Trace = s.traceOf(sn, lang, k.Kind, id)
	}
	p.Problems = s.entityProblems(sn, lang, k.Kind, id)
	if p.CanEdit {
		p.EditURL = u("portfolios", pid, k.Segment, id, "edit")
		if own {
			p.DeleteURL = u("portfolios", pid, k.Segment, id, "delete")
		}
	}
	return p
}

// fmtMoney formats money in lang (reports' one formatter).
func fmtMoney(v float64, currency, lang string) string {
	return reports.FormatMoney(v, currency, lang)
}

// byDesc sorts rows by a figure, largest first, then by id.
func byDesc[T any](xs []T, fig func(T) float64, id func(T) string) {
	slices.SortStableFunc(xs, func(a, b T) int {
		if c := cmp.Compare(fig(b), fig(a)); c != 0 {
			return c
		}
		return model.CompareIDs(id(a), id(b))
	})
}

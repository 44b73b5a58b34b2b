package model

import (
	"os"
	"slices"
	"testing"
)

func workedExample(t testing.TB) *Portfolio {
	t.Helper()
	data, err := os.ReadFile("../fixtures/worked-example.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodePortfolioBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	r, ps := Resolve(p, fakeRef{})
	if ps.HasErrors() {
		t.Fatal(ps)
	}
	return r
}

func nodeIDs(ns []NodeRef) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func TestTrace(t *testing.T) {
	g := NewGraph(workedExample(t))
	type want struct{ targets, goals, progs, ucs, wfs, blocks []string }
	tests := []struct {
		kind, id string
		want     want
	}{
		{KindProgramme, "P3", want{[]string{"1.3", "3.1", "3.2"}, []string{"G1", "G2"}, []string{"P3"}, []string{"enrol"}, []string{"register"}, []string{"ident"}}},
		{KindBlock, "ident", want{[]string{"1.3", "3.1", "3.2"}, []string{"G1", "G2"}, []string{"P1", "P2", "P3"}, []string{"cash", "enrol", "remind"}, []string{"register"}, []string{"ident"}}},
		{KindBlock, "msg", want{[]string{"3.1", "3.2"}, []string{"G1"}, []string{"P2"}, []string{"remind"}, []string{"notify"}, []string{"msg"}}},
		{KindGoal, "G2", want{[]string{"1.3"}, []string{"G2"}, []string{"P1", "P3"}, []string{"cash", "enrol"}, []string{"pay", "register"}, []string{"ident", "payments"}}},
		{KindSDGTarget, "1.3", want{[]string{"1.3"}, []string{"G2"}, []string{"P1", "P3"}, []string{"cash", "enrol"}, []string{"pay", "register"}, []string{"ident", "payments"}}},
		{KindWorkflow, "pay", want{[]string{"1.3"}, []string{"G2"}, []string{"P1"}, []string{"cash"}, []string{"pay"}, []string{"payments"}}},
		{KindUseCase, "remind", want{[]string{"3.1", "3.2"}, []string{"G1"}, []string{"P2"}, []string{"remind"}, []string{"notify", "register"}, []string{"ident", "msg"}}},
		{KindAgency, "mosa", want{[]string{"1.3"}, []string{"G2"}, []string{"P1"}, []string{"cash"}, []string{"pay", "register"}, []string{"ident", "payments"}}},
	}
	for _, tt := range tests {
		t.Run(tt.kind+":"+tt.id, func(t *testing.T) {
			tr, err := g.Trace(tt.kind, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			got := want{nodeIDs(tr.SDGTargets), nodeIDs(tr.Goals), nodeIDs(tr.Programmes), nodeIDs(tr.UseCases), nodeIDs(tr.Workflows), nodeIDs(tr.Blocks)}
			check := func(what string, g, w []string) {
				if !slices.Equal(g, w) {
					t.Errorf("%s = %v, want %v", what, g, w)
				}
			}
			check("targets", got.targets, tt.want.targets)
			check("goals", got.goals, tt.want.goals)
			check("programmes", got.progs, tt.want.progs)
			check("use cases", got.ucs, tt.want.ucs)
			check("workflows", got.wfs, tt.want.wfs)
			check("blocks", got.blocks, tt.want.blocks)
			for _, e := range tr.Edges {
				if e.From == e.To {
					t.Errorf("self edge %v", e)
				}
			}
		})
	}
	if _, err := g.Trace(KindBlock, "nope"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown node: err = %v, want not_found", err)
	}
}

func TestUseCaseOwnBlocksWin(t *testing.T) {
	p := mustDecode(t, `{"format":"blockplan.portfolio/v1",
	  "programmes":[{"id":"P","use_cases":["u"]}],
	  "use_cases":[{"id":"u","workflows":["w"],"blocks":["b2"]}],
	  "workflows":[{"id":"w","blocks":["b1","b2","b3"]}],
	  "blocks":[{"id":"b1"},{"id":"b2"},{"id":"b3"}]}`)
	r, _ := Resolve(p, fakeRef{})
	g := NewGraph(r)
	if got := g.ProgrammeBlocks("P"); !slices.Equal(got, []string{"b2"}) {
		t.Errorf("B(P) = %v, want the use case's own [b2]", got)
	}
	tr, _ := g.Trace(KindBlock, "b1")
	if len(tr.Programmes) != 0 {
		t.Errorf("b1 is not needed, but its impact lists %v", tr.Programmes)
	}
}

func TestLookup(t *testing.T) {
	p := mustDecode(t, `{"format":"blockplan.portfolio/v1",
	  "goals":[{"id":"G","sdg_targets":["3.1"]}],
	  "workflows":[{"id":"same","blocks":["same"]}], "blocks":[{"id":"same"}]}`)
	r, _ := Resolve(p, fakeRef{})
	g := NewGraph(r)
	if n := g.Lookup("same"); len(n) != 2 {
		t.Errorf("bare shared id: %v, want two nodes", n)
	}
	if n := g.Lookup("block:same"); len(n) != 1 || n[0].Kind != KindBlock {
		t.Errorf("kind:id: %v", n)
	}
	if n := g.Lookup("3.1"); len(n) != 1 || n[0].Kind != KindSDGTarget {
		t.Errorf("sdg target: %v", n)
	}
}

func TestGaps(t *testing.T) {
	p := mustDecode(t, `{"format":"blockplan.portfolio/v1",
	  "goals":[{"id":"G1"},{"id":"G2"}],
	  "programmes":[{"id":"P1","goals":["G1"],"use_cases":["u"],"blocks":["b"]},{"id":"P2"}],
	  "use_cases":[{"id":"u"}],
	  "blocks":[{"id":"b"}]}`)
	r, _ := Resolve(p, fakeRef{})
	gp := NewGraph(r).Gaps()
	if !slices.Equal(nodeIDs(gp.GoalsWithoutProgrammes), []string{"G2"}) ||
		!slices.Equal(nodeIDs(gp.ProgrammesWithoutGoals), []string{"P2"}) ||
		!slices.Equal(nodeIDs(gp.ProgrammesWithoutUseCases), []string{"P2"}) ||
		!slices.Equal(nodeIDs(gp.UseCasesWithoutWorkflows), []string{"u"}) ||
		len(gp.UntracedLinks) != 1 || !slices.Equal(nodeIDs(gp.BlocksWithoutCost), []string{"b"}) {
		t.Errorf("gaps = %+v", gp)
	}
	if gp.Count() != 6 {
		t.Errorf("count = %d, want 6", gp.Count())
	}
}

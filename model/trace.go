package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// KindSDGTarget is the node kind of an SDG target in the traceability graph;
// the other nodes are entities and use the entity kinds (KindGoal, …).
const KindSDGTarget = "sdg_target"

// NodeRef names one node of the graph.
type NodeRef struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

func (n NodeRef) String() string { return n.Kind + ":" + n.ID }

// Edge is a link of the graph, drawn from the "pursuing" side to what it
// pursues or needs: goal→sdg_target, programme→goal, programme→use_case,
// use_case→workflow, use_case→block (a use case's own list),
// workflow→block, programme→block (direct, untraced).
type Edge struct {
	From NodeRef `json:"from"`
	To   NodeRef `json:"to"`
}

// Graph answers traceability questions over a resolved portfolio. It is
// immutable once built and safe for concurrent use.
type Graph struct {
	p          *Portfolio
	goal       map[string]int
	programme  map[string]int
	useCase    map[string]int
	workflow   map[string]int
	block      map[string]int
	ucBlocks   map[string][]string // B(u)
	progBlocks map[string][]string // B(p)
	goalProgs  map[string][]string
	ucProgs    map[string][]string
}

// NewGraph indexes a resolved portfolio (see Resolve). Links to ids that do
// not exist are ignored: Resolve reports them.
func NewGraph(p *Portfolio) *Graph {
	g := &Graph{p: p,
		goal: index(p.Goals, func(x Goal) string { return x.ID }), programme: index(p.Programmes, func(x Programme) string { return x.ID }),
		useCase: index(p.UseCases, func(x UseCase) string { return x.ID }), workflow: index(p.Workflows, func(x Workflow) string { return x.ID }),
		block:    index(p.Blocks, func(x Block) string { return x.ID }),
		ucBlocks: map[string][]string{}, progBlocks: map[string][]string{}, goalProgs: map[string][]string{}, ucProgs: map[string][]string{},
	}
	for _, u := range p.UseCases {
		g.ucBlocks[u.ID] = g.computeUseCaseBlocks(u)
	}
	for _, pr := range p.Programmes {
		seen := map[string]bool{}
		for _, u := range pr.UseCases {
			if _, ok := g.useCase[u]; !ok {
				continue
			}
			for _, b := range g.ucBlocks[u] {
				seen[b] = true
			}
			if !slices.Contains(g.ucProgs[u], pr.ID) {
				g.ucProgs[u] = append(g.ucProgs[u], pr.ID)
			}
		}
		for _, b := range pr.Blocks {
			if _, ok := g.block[b]; ok {
				seen[b] = true
			}
		}
		g.progBlocks[pr.ID] = sortedSet(seen)
		for _, gl := range pr.Goals {
			if !slices.Contains(g.goalProgs[gl], pr.ID) {
				g.goalProgs[gl] = append(g.goalProgs[gl], pr.ID)
			}
		}
	}
	return g
}

func index[T any](xs []T, id func(T) string) map[string]int {
	m := make(map[string]int, len(xs))
	for i, x := range xs {
		if _, dup := m[id(x)]; !dup {
			m[id(x)] = i
		}
	}
	return m
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// computeUseCaseBlocks is B(u) of cost-model.md §2: the use case's own list
// when it gives one, else the union of its workflows' blocks.
func (g *Graph) computeUseCaseBlocks(u UseCase) []string {
	seen := map[string]bool{}
	if len(u.Blocks) > 0 {
		for _, b := range u.Blocks {
			if _, ok := g.block[b]; ok {
				seen[b] = true
			}
		}
		return sortedSet(seen)
	}
	for _, w := range u.Workflows {
		i, ok := g.workflow[w]
		if !ok {
			continue
		}
		for _, b := range g.p.Workflows[i].Blocks {
			if _, ok := g.block[b]; ok {
				seen[b] = true
			}
		}
	}
	return sortedSet(seen)
}

// Portfolio is the portfolio the graph was built on.
func (g *Graph) Portfolio() *Portfolio { return g.p }

// UseCaseBlocks is B(u), sorted.
func (g *Graph) UseCaseBlocks(useCase string) []string { return g.ucBlocks[useCase] }

// ProgrammeBlocks is B(p) of cost-model.md §2, sorted: the blocks of its use
// cases and its direct blocks.
func (g *Graph) ProgrammeBlocks(programme string) []string { return g.progBlocks[programme] }

// GoalProgrammes is the programmes that pursue a goal, in portfolio order.
func (g *Graph) GoalProgrammes(goal string) []string { return g.goalProgs[goal] }

// UseCaseProgrammes is the programmes that deliver a use case.
func (g *Graph) UseCaseProgrammes(useCase string) []string { return g.ucProgs[useCase] }

// Lookup finds the nodes a text names: "kind:id" names one kind; a bare id
// may match several kinds (a workflow and a block can share an id), and SDG
// target codes ("3.2") are recognised when some goal or use case uses them.
func (g *Graph) Lookup(text string) []NodeRef {
	kind, id, hasKind := strings.Cut(text, ":")
	if !hasKind {
		kind, id = "", text
	}
	var out []NodeRef
	try := func(k string) {
		if kind != "" && kind != k {
			return
		}
		if n, ok := g.node(k, id); ok {
			out = append(out, n)
		}
	}
	for _, k := range []string{KindSDGTarget, KindGoal, KindProgramme, KindUseCase, KindWorkflow, KindBlock, KindAgency} {
		try(k)
	}
	return out
}

// node is the NodeRef of an existing node.
func (g *Graph) node(kind, id string) (NodeRef, bool) {
	switch kind {
	case KindGoal:
		if i, ok := g.goal[id]; ok {
			return NodeRef{kind, id, g.p.Goals[i].Name}, true
		}
	case KindProgramme:
		if i, ok := g.programme[id]; ok {
			return NodeRef{kind, id, g.p.Programmes[i].Name}, true
		}
	case KindUseCase:
		if i, ok := g.useCase[id]; ok {
			return NodeRef{kind, id, g.p.UseCases[i].Name}, true
		}
	case KindWorkflow:
		if i, ok := g.workflow[id]; ok {
			return NodeRef{kind, id, g.p.Workflows[i].Name}, true
		}
	case KindBlock:
		if i, ok := g.block[id]; ok {
			return NodeRef{kind, id, g.p.Blocks[i].Name}, true
		}
	case KindAgency:
		for _, a := range g.p.Agencies {
			if a.ID == id {
				return NodeRef{kind, id, a.Name}, true
			}
		}
	case KindSDGTarget:
		for _, gl := range g.p.Goals {
			if slices.Contains(gl.SDGTargets, id) {
				return NodeRef{kind, id, ""}, true
			}
		}
		for _, u := range g.p.UseCases {
			if slices.Contains(u.SDGTargets, id) {
				return NodeRef{kind, id, ""}, true
			}
		}
	}
	return NodeRef{}, false
}

// Trace is the line through one node: everything up to SDG targets and down
// to building blocks, with the edges between them.
type Trace struct {
	Node       NodeRef   `json:"node"`
	SDGTargets []NodeRef `json:"sdg_targets"`
	Goals      []NodeRef `json:"goals"`
	Programmes []NodeRef `json:"programmes"`
	UseCases   []NodeRef `json:"use_cases"`
	Workflows  []NodeRef `json:"workflows"`
	Blocks     []NodeRef `json:"blocks"`
	Edges      []Edge    `json:"edges"`
}

// Trace follows the line through the node kind:id. The programmes on the
// line are found first (those that pursue, deliver or need the node); the
// line is then their goals and targets above and their use cases, workflows
// and blocks below, narrowed to what passes through the node. For a block it
// is the block's impact: what depends on it.
func (g *Graph) Trace(kind, id string) (*Trace, error) {
	n, ok := g.node(kind, id)
	if !ok {
		return nil, Errorf(ENOTFOUND, "no %s %q in this portfolio", strings.ReplaceAll(kind, "_", " "), id)
	}
	t := &traceBuilder{g: g, nodes: map[NodeRef]bool{}, edges: map[Edge]bool{}}
	switch kind {
	case KindProgramme:
		t.programme(id, nil)
	case KindGoal:
		t.targetsOf(id)
		for _, p := range g.goalProgs[id] {
			t.programme(p, &lineFilter{goal: id})
		}
	case KindSDGTarget:
		t.add(n)
		for _, gl := range g.p.Goals {
			if slices.Contains(gl.SDGTargets, id) {
				gn, _ := g.node(KindGoal, gl.ID)
				t.edge(gn, n)
				for _, p := range g.goalProgs[gl.ID] {
					t.programme(p, &lineFilter{goal: gl.ID})
				}
			}
		}
	case KindAgency:
		for _, pr := range g.p.Programmes {
			if pr.Agency == id {
				t.programme(pr.ID, nil)
			}
		}
	case KindUseCase:
		for _, p := range g.ucProgs[id] {
			t.programme(p, &lineFilter{useCase: id})
		}
		t.useCase(id, nil)
	case KindWorkflow:
		for _, pr := range g.p.Programmes {
			for _, u := range pr.UseCases {
				if ui, ok := g.useCase[u]; ok && slices.Contains(g.p.UseCases[ui].Workflows, id) {
					t.programme(pr.ID, &lineFilter{workflow: id})
				}
			}
		}
		t.workflow(id, nil)
	case KindBlock:
		t.add(n)
		for _, pr := range g.p.Programmes {
			if slices.Contains(g.progBlocks[pr.ID], id) {
				t.programme(pr.ID, &lineFilter{block: id})
			}
		}
	}
	t.add(n)
	return t.result(n), nil
}

// lineFilter narrows a programme's line to what passes through one node.
type lineFilter struct {
	goal, useCase, workflow, block string
}

type traceBuilder struct {
	g     *Graph
	nodes map[NodeRef]bool
	edges map[Edge]bool
}

func (t *traceBuilder) add(n NodeRef) { t.nodes[n] = true }

func (t *traceBuilder) edge(from, to NodeRef) {
	t.nodes[from], t.nodes[to] = true, true
	t.edges[Edge{from, to}] = true
}

func (t *traceBuilder) targetsOf(goal string) {
	gn, ok := t.g.node(KindGoal, goal)
	if !ok {
		return
	}
	t.add(gn)
	for _, code := range t.g.p.Goals[t.g.goal[goal]].SDGTargets {
		t.edge(gn, NodeRef{Kind: KindSDGTarget, ID: code})
	}
}

func (t *traceBuilder) programme(id string, f *lineFilter) {
	g := t.g
	pr := g.p.Programmes[g.programme[id]]
	pn, _ := g.node(KindProgramme, id)
	t.add(pn)
	for _, gl := range pr.Goals {
		if f != nil && f.goal != "" && f.goal != gl {
			continue
		}
		if gn, ok := g.node(KindGoal, gl); ok {
			t.edge(pn, gn)
			t.targetsOf(gl)
		}
	}
	for _, u := range pr.UseCases {
		if f != nil && f.useCase != "" && f.useCase != u {
			continue
		}
		un, ok := g.node(KindUseCase, u)
		if !ok {
			continue
		}
		uc := g.p.UseCases[g.useCase[u]]
		if f != nil && f.workflow != "" && !slices.Contains(uc.Workflows, f.workflow) {
			continue
		}
		if f != nil && f.block != "" && !slices.Contains(g.ucBlocks[u], f.block) {
			continue
		}
		t.edge(pn, un)
		t.useCase(u, f)
	}
	for _, b := range pr.Blocks {
		if f != nil && (f.useCase != "" || f.workflow != "" || (f.block != "" && f.block != b)) {
			continue
		}
		if bn, ok := g.node(KindBlock, b); ok {
			t.edge(pn, bn)
		}
	}
}

func (t *traceBuilder) useCase(id string, f *lineFilter) {
	g := t.g
	un, ok := g.node(KindUseCase, id)
	if !ok {
		return
	}
	t.add(un)
	uc := g.p.UseCases[g.useCase[id]]
	own := len(uc.Blocks) > 0
	for _, w := range uc.Workflows {
		if f != nil && f.workflow != "" && f.workflow != w {
			continue
		}
		wn, ok := g.node(KindWorkflow, w)
		if !ok {
			continue
		}
		if f != nil && f.block != "" && !own && !slices.Contains(g.p.Workflows[g.workflow[w]].Blocks, f.block) {
			continue
		}
		t.edge(un, wn)
		if !own {
			t.workflow(w, f)
		}
	}
	if own {
		for _, b := range uc.Blocks {
			if f != nil && f.block != "" && f.block != b {
				continue
			}
			if bn, ok := g.node(KindBlock, b); ok {
				t.edge(un, bn)
			}
		}
	}
}

func (t *traceBuilder) workflow(id string, f *lineFilter) {
	g := t.g
	wn, ok := g.node(KindWorkflow, id)
	if !ok {
		return
	}
	t.add(wn)
	for _, b := range g.p.Workflows[g.workflow[id]].Blocks {
		if f != nil && f.block != "" && f.block != b {
			continue
		}
		if bn, ok := g.node(KindBlock, b); ok {
			t.edge(wn, bn)
		}
	}
}

func (t *traceBuilder) result(n NodeRef) *Trace {
	tr := &Trace{Node: n, SDGTargets: []NodeRef{}, Goals: []NodeRef{}, Programmes: []NodeRef{},
		UseCases: []NodeRef{}, Workflows: []NodeRef{}, Blocks: []NodeRef{}, Edges: []Edge{}}
	for x := range t.nodes {
		switch x.Kind {
		case KindSDGTarget:
			tr.SDGTargets = append(tr.SDGTargets, x)
		case KindGoal:
			tr.Goals = append(tr.Goals, x)
		case KindProgramme:
			tr.Programmes = append(tr.Programmes, x)
		case KindUseCase:
			tr.UseCases = append(tr.UseCases, x)
		case KindWorkflow:
			tr.Workflows = append(tr.Workflows, x)
		case KindBlock:
			tr.Blocks = append(tr.Blocks, x)
		}
	}
	byID := func(a, b NodeRef) int { return CompareIDs(a.ID, b.ID) }
	for _, l := range [][]NodeRef{tr.SDGTargets, tr.Goals, tr.Programmes, tr.UseCases, tr.Workflows, tr.Blocks} {
		slices.SortFunc(l, byID)
	}
	for e := range t.edges {
		tr.Edges = append(tr.Edges, e)
	}
	slices.SortFunc(tr.Edges, func(a, b Edge) int {
		if c := strings.Compare(a.From.String(), b.From.String()); c != 0 {
			return c
		}
		return strings.Compare(a.To.String(), b.To.String())
	})
	return tr
}

// CompareIDs orders ids naturally: digit runs compare as numbers, so SDG
// target "17.2" comes before "17.19" and programme "P2" before "P10".
func CompareIDs(a, b string) int {
	for a != "" && b != "" {
		da, db := digitsPrefix(a), digitsPrefix(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitsPrefix(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// Gaps are the holes in a portfolio's line from goals to blocks.
type Gaps struct {
	GoalsWithoutProgrammes    []NodeRef `json:"goals_without_programmes"`
	ProgrammesWithoutGoals    []NodeRef `json:"programmes_without_goals"`
	ProgrammesWithoutUseCases []NodeRef `json:"programmes_without_use_cases"`
	UseCasesWithoutWorkflows  []NodeRef `json:"use_cases_without_workflows"`
	UntracedLinks             []Edge    `json:"untraced_links"`
	BlocksWithoutCost         []NodeRef `json:"blocks_without_cost"`
}

// Count is the number of gaps of every sort.
func (gp Gaps) Count() int {
	return len(gp.GoalsWithoutProgrammes) + len(gp.ProgrammesWithoutGoals) + len(gp.ProgrammesWithoutUseCases) +
		len(gp.UseCasesWithoutWorkflows) + len(gp.UntracedLinks) + len(gp.BlocksWithoutCost)
}

// Gaps lists what breaks the line: goals no programme pursues, programmes
// with no goal or no use case, use cases (in use) with no workflow or block,
// direct programme→block links that no use case explains, and blocks in use
// with no cost.
func (g *Graph) Gaps() Gaps {
	gp := Gaps{GoalsWithoutProgrammes: []NodeRef{}, ProgrammesWithoutGoals: []NodeRef{}, ProgrammesWithoutUseCases: []NodeRef{},
		UseCasesWithoutWorkflows: []NodeRef{}, UntracedLinks: []Edge{}, BlocksWithoutCost: []NodeRef{}}
	for _, gl := range g.p.Goals {
		if len(g.goalProgs[gl.ID]) == 0 {
			gp.GoalsWithoutProgrammes = append(gp.GoalsWithoutProgrammes, NodeRef{KindGoal, gl.ID, gl.Name})
		}
	}
	used := map[string]bool{}
	for _, pr := range g.p.Programmes {
		pn := NodeRef{KindProgramme, pr.ID, pr.Name}
		if len(pr.Goals) == 0 {
			gp.ProgrammesWithoutGoals = append(gp.ProgrammesWithoutGoals, pn)
		}
		if len(pr.UseCases) == 0 {
			gp.ProgrammesWithoutUseCases = append(gp.ProgrammesWithoutUseCases, pn)
		}
		for _, b := range pr.Blocks {
			if bn, ok := g.node(KindBlock, b); ok {
				gp.UntracedLinks = append(gp.UntracedLinks, Edge{pn, bn})
			}
		}
		for _, b := range g.progBlocks[pr.ID] {
			used[b] = true
		}
	}
	for _, u := range g.p.UseCases {
		if len(g.ucProgs[u.ID]) > 0 && len(u.Workflows) == 0 && len(u.Blocks) == 0 {
			gp.UseCasesWithoutWorkflows = append(gp.UseCasesWithoutWorkflows, NodeRef{KindUseCase, u.ID, u.Name})
		}
	}
	for _, b := range g.p.Blocks {
		if used[b.ID] && !b.HasCost() {
			gp.BlocksWithoutCost = append(gp.BlocksWithoutCost, NodeRef{KindBlock, b.ID, b.Name})
		}
	}
	return gp
}

// String is a short description of a trace for logs and tests.
func (t *Trace) String() string {
	return fmt.Sprintf("%s: %d targets, %d goals, %d programmes, %d use cases, %d workflows, %d blocks",
		t.Node, len(t.SDGTargets), len(t.Goals), len(t.Programmes), len(t.UseCases), len(t.Workflows), len(t.Blocks))
}

// Package catalog is blockplan's built-in reference catalogue: the 17 UN
// Sustainable Development Goals with their 169 targets and 248 indicators, the
// ICT building blocks, workflows and use cases of the ITU–DIAL SDG Digital
// Investment Framework, and GovStack's reference use cases, all in English and
// French. A portfolio names these by id and inherits what it leaves out
// (portfolio-format.md); importers match names and aliases against them.
//
// The data is embedded (data/catalog.json), so the tool needs no file or
// network at run time. That file is generated, never edited by hand: `go
// generate ./catalog` rebuilds it from the source facts in ../shared/data and
// from the hand-written data/curation.json (French names, descriptions in our
// own words, aliases, id clean-ups, GovStack mappings). A test fails when the
// committed file is out of date.
//
// catalog imports only blockplan/model, the standard library and
// golang.org/x/text (accent folding). It must not import store, importers,
// reports, web or cmd, nor any other outside library: everything above it
// uses it, and the model reaches it only through model.Reference.
package catalog

//go:generate go run ./internal/gen -shared ../../shared

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"blockplan/model"
)

// Kinds of catalogue entries, as Lookup, Suggest, Find and Entry name them.
const (
	KindGoal      = "sdg_goal"
	KindTarget    = "sdg_target"
	KindIndicator = "sdg_indicator"
	KindBlock     = "block"
	KindWorkflow  = "workflow"
	KindUseCase   = "use_case"
)

// kinds lists every kind, in the order Find reports them.
var kinds = []string{KindGoal, KindTarget, KindIndicator, KindBlock, KindWorkflow, KindUseCase}

// Sources of blocks and use cases.
const (
	SourceFramework = "framework" // ITU–DIAL SDG Digital Investment Framework (2019), via DIAL's 2020 catalogue
	SourceGovStack  = "govstack"  // GovStack specifications and reference use cases
)

// Text is a text in English and French. Both are always set in the catalogue
// (see Indicator.FRMissing for the only place French repeats English).
type Text struct {
	EN string `json:"en"`
	FR string `json:"fr"`
}

// In is the text in lang ("fr" for French, English otherwise).
func (t Text) In(lang string) string { return model.Localized(lang, t.EN, t.FR) }

// Goal is one of the 17 SDGs.
type Goal struct {
	ID      string   `json:"id"` // "3"
	Number  int      `json:"number"`
	Name    Text     `json:"name"`  // short name: "Good health and well-being"
	Title   Text     `json:"title"` // the official title: "Ensure healthy lives and …"
	Aliases []string `json:"aliases"`
}

// Target is one of the 169 SDG targets; its name is the official text.
type Target struct {
	ID   string `json:"id"`   // "3.2", "1.a"
	Goal string `json:"goal"` // "3"
	Name Text   `json:"name"`
}

// Indicator is one of the 248 SDG indicator codes (12 indicators repeat under
// several targets and have one code for each).
type Indicator struct {
	ID     string `json:"id"`     // "3.2.1"
	Target string `json:"target"` // "3.2"
	Name   Text   `json:"name"`
	// FRMissing is set for the 8 indicators whose French title the source
	// lacks (11.5.3 is newer than the translation; 10.7.2, 12.7.1, 13.2.1,
	// 13.b.1, 15.4.2, 16.1.4 and 17.3.1 were reworded since): Name.FR then
	// repeats the English.
	FRMissing bool `json:"fr_missing,omitempty"`
}

// Block is a reusable ICT building block.
type Block struct {
	ID          string   `json:"id"`
	Source      string   `json:"source"` // SourceFramework or SourceGovStack
	Name        Text     `json:"name"`
	Description Text     `json:"description"`
	Aliases     []string `json:"aliases"`
}

// Workflow is one of the framework's generic business processes, with the
// blocks it may use.
type Workflow struct {
	ID          string   `json:"id"`
	Name        Text     `json:"name"`
	Description Text     `json:"description"`
	Blocks      []string `json:"blocks"`
	Aliases     []string `json:"aliases"`
}

// UseCase is a service a government delivers, from the framework or from
// GovStack. Workflows and Blocks are the union of its steps' (when it has
// steps); Blocks is empty for framework use cases, which the framework ties to
// blocks only through workflows. SDGGoals holds the goals of its targets plus
// the goals a source names without giving a target.
type UseCase struct {
	ID          string   `json:"id"`
	Source      string   `json:"source"` // SourceFramework or SourceGovStack
	Name        Text     `json:"name"`
	Description Text     `json:"description"`
	Sector      Text     `json:"sector"`
	SDGGoals    []string `json:"sdg_goals"`
	SDGTargets  []string `json:"sdg_targets"`
	Workflows   []string `json:"workflows"`
	Blocks      []string `json:"blocks"`
	Steps       []Step   `json:"steps"`
	Aliases     []string `json:"aliases"`
}

// Step is one step of a use case, in order.
type Step struct {
	Name      Text     `json:"name"`
	Workflows []string `json:"workflows"`
	Blocks    []string `json:"blocks"`
}

// Document is the whole catalogue as one JSON object: the embedded file's
// shape and what `blockplan catalog export --json` prints. Its keys are a
// contract.
type Document struct {
	Goals      []Goal      `json:"sdg_goals"`
	Targets    []Target    `json:"sdg_targets"`
	Indicators []Indicator `json:"sdg_indicators"`
	Blocks     []Block     `json:"blocks"`
	Workflows  []Workflow  `json:"workflows"`
	UseCases   []UseCase   `json:"use_cases"`
}

// Catalog is a loaded, checked, read-only catalogue. It implements
// model.Reference. Its methods are safe for concurrent use and never hand out
// its own slices.
type Catalog struct {
	doc Document

	goals      map[string]int // id -> index in doc
	targets    map[string]int
	indicators map[string]int
	blocks     map[string]int
	workflows  map[string]int
	useCases   map[string]int

	match map[string]*kindIndex // by kind, for Lookup and Suggest
}

var _ model.Reference = (*Catalog)(nil)

//go:embed data/catalog.json
var embedded []byte

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
)

// Default is the built-in catalogue, parsed on first use. It panics only if
// the embedded file is corrupt, which TestDefault rules out.
func Default() *Catalog {
	defaultOnce.Do(func() {
		c, err := Parse(embedded)
		if err != nil {
			panic("catalog: embedded data/catalog.json is corrupt: " + err.Error())
		}
		defaultCat = c
	})
	return defaultCat
}

// Parse reads a catalogue document and checks it: unknown keys, duplicate
// ids, empty names or descriptions, references that do not resolve and
// ambiguous aliases are errors, all reported at once.
func Parse(data []byte) (*Catalog, error) {
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if dec.More() {
		return nil, errors.New("catalog: data after the JSON object")
	}
	fillNil(&doc)
	c := &Catalog{doc: doc}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	index := func(kind string, n int, id func(int) string) map[string]int {
		m := make(map[string]int, n)
		for i := range n {
			k := id(i)
			if k == "" {
				bad("%s #%d: empty id", kind, i+1)
			} else if _, dup := m[k]; dup {
				bad("%s %q: duplicate id", kind, k)
			}
			m[k] = i
		}
		return m
	}
	c.goals = index(KindGoal, len(doc.Goals), func(i int) string { return doc.Goals[i].ID })
	c.targets = index(KindTarget, len(doc.Targets), func(i int) string { return doc.Targets[i].ID })
	c.indicators = index(KindIndicator, len(doc.Indicators), func(i int) string { return doc.Indicators[i].ID })
	c.blocks = index(KindBlock, len(doc.Blocks), func(i int) string { return doc.Blocks[i].ID })
	c.workflows = index(KindWorkflow, len(doc.Workflows), func(i int) string { return doc.Workflows[i].ID })
	c.useCases = index(KindUseCase, len(doc.UseCases), func(i int) string { return doc.UseCases[i].ID })

	text := func(kind, id, field string, t Text) {
		if t.EN == "" || t.FR == "" {
			bad("%s %q: %s needs both English and French", kind, id, field)
		}
	}
	refs := func(kind, id, field string, to map[string]int, ids []string) {
		for _, r := range ids {
			if _, ok := to[r]; !ok {
				bad("%s %q: %s: unknown id %q", kind, id, field, r)
			}
		}
	}
	for _, g := range doc.Goals {
		text(KindGoal, g.ID, "name", g.Name)
		text(KindGoal, g.ID, "title", g.Title)
		if strconv.Itoa(g.Number) != g.ID {
			bad("sdg_goal %q: number %d does not match", g.ID, g.Number)
		}
	}
	for _, t := range doc.Targets {
		text(KindTarget, t.ID, "name", t.Name)
		refs(KindTarget, t.ID, "goal", c.goals, []string{t.Goal})
	}
	for _, in := range doc.Indicators {
		text(KindIndicator, in.ID, "name", in.Name)
		refs(KindIndicator, in.ID, "target", c.targets, []string{in.Target})
	}
	for _, b := range doc.Blocks {
		text(KindBlock, b.ID, "name", b.Name)
		text(KindBlock, b.ID, "description", b.Description)
		if b.Source != SourceFramework && b.Source != SourceGovStack {
			bad("block %q: unknown source %q", b.ID, b.Source)
		}
	}
	for _, w := range doc.Workflows {
		text(KindWorkflow, w.ID, "name", w.Name)
		text(KindWorkflow, w.ID, "description", w.Description)
		refs(KindWorkflow, w.ID, "blocks", c.blocks, w.Blocks)
	}
	for _, u := range doc.UseCases {
		text(KindUseCase, u.ID, "name", u.Name)
		text(KindUseCase, u.ID, "description", u.Description)
		text(KindUseCase, u.ID, "sector", u.Sector)
		if u.Source != SourceFramework && u.Source != SourceGovStack {
			bad("use_case %q: unknown source %q", u.ID, u.Source)
		}
		refs(KindUseCase, u.ID, "sdg_goals", c.goals, u.SDGGoals)
		refs(KindUseCase, u.ID, "sdg_targets", c.targets, u.SDGTargets)
		refs(KindUseCase, u.ID, "workflows", c.workflows, u.Workflows)
		refs(KindUseCase, u.ID, "blocks", c.blocks, u.Blocks)
		for i, s := range u.Steps {
			field := fmt.Sprintf("steps[%d]", i)
			text(KindUseCase, u.ID, field+".name", s.Name)
			refs(KindUseCase, u.ID, field+".workflows", c.workflows, s.Workflows)
			refs(KindUseCase, u.ID, field+".blocks", c.blocks, s.Blocks)
		}
	}
	c.match = c.buildIndexes(bad)
	if len(errs) > 0 {
		return nil, fmt.Errorf("catalog: %w", errors.Join(errs...))
	}
	return c, nil
}

// fillNil turns missing lists into empty ones, so that Export always writes
// [] rather than null.
func fillNil(d *Document) {
	nn := func(s *[]string) {
		if *s == nil {
			*s = []string{}
		}
	}
	for i := range d.Goals {
		nn(&d.Goals[i].Aliases)
	}
	for i := range d.Blocks {
		nn(&d.Blocks[i].Aliases)
	}
	for i := range d.Workflows {
		nn(&d.Workflows[i].Blocks)
		nn(&d.Workflows[i].Aliases)
	}
	for i := range d.UseCases {
		u := &d.UseCases[i]
		for _, s := range []*[]string{&u.SDGGoals, &u.SDGTargets, &u.Workflows, &u.Blocks, &u.Aliases} {
			nn(s)
		}
		if u.Steps == nil {
			u.Steps = []Step{}
		}
		for j := range u.Steps {
			nn(&u.Steps[j].Workflows)
			nn(&u.Steps[j].Blocks)
		}
	}
}

// --- model.Reference ---

// Block is the building block with id as the model sees it (names,
// descriptions, no costs).
func (c *Catalog) Block(id string) (model.Block, bool) {
	i, ok := c.blocks[id]
	if !ok {
		return model.Block{}, false
	}
	b := c.doc.Blocks[i]
	return model.Block{ID: b.ID, Name: b.Name.EN, NameFR: b.Name.FR,
		Description: b.Description.EN, DescriptionFR: b.Description.FR}, true
}

// Workflow is the workflow with id as the model sees it, with its blocks.
func (c *Catalog) Workflow(id string) (model.Workflow, bool) {
	i, ok := c.workflows[id]
	if !ok {
		return model.Workflow{}, false
	}
	w := c.doc.Workflows[i]
	return model.Workflow{ID: w.ID, Name: w.Name.EN, NameFR: w.Name.FR,
		Description: w.Description.EN, DescriptionFR: w.Description.FR,
		Blocks: slices.Clone(w.Blocks)}, true
}

// UseCase is the use case with id as the model sees it: English sector, SDG
// targets, workflows and (for GovStack use cases) blocks.
func (c *Catalog) UseCase(id string) (model.UseCase, bool) {
	i, ok := c.useCases[id]
	if !ok {
		return model.UseCase{}, false
	}
	u := c.doc.UseCases[i]
	return model.UseCase{ID: u.ID, Name: u.Name.EN, NameFR: u.Name.FR,
		Description: u.Description.EN, DescriptionFR: u.Description.FR,
		Sector: u.Sector.EN, SDGTargets: slices.Clone(u.SDGTargets),
		Workflows: slices.Clone(u.Workflows), Blocks: slices.Clone(u.Blocks)}, true
}

// SDGTarget is the target with the UN code ("3.2", "1.a"), exactly as written.
func (c *Catalog) SDGTarget(code string) (model.SDGTarget, bool) {
	i, ok := c.targets[code]
	if !ok {
		return model.SDGTarget{}, false
	}
	t := c.doc.Targets[i]
	g, _ := strconv.Atoi(t.Goal)
	return model.SDGTarget{Code: t.ID, Goal: g, Name: t.Name.EN, NameFR: t.Name.FR}, true
}

// --- the catalogue's own view ---

// Goals are the 17 SDGs in order.
func (c *Catalog) Goals() []Goal { return cloneAll(c.doc.Goals, Goal.clone) }

// Targets are the 169 targets in code order (1.1 … 1.5, 1.a, 1.b, 2.1 …).
func (c *Catalog) Targets() []Target { return slices.Clone(c.doc.Targets) }

// Indicators are the 248 indicator codes in code order.
func (c *Catalog) Indicators() []Indicator { return slices.Clone(c.doc.Indicators) }

// Blocks are the building blocks: the framework's 23 by id, then GovStack's.
func (c *Catalog) Blocks() []Block { return cloneAll(c.doc.Blocks, Block.clone) }

// Workflows are the framework's 16 workflows by id.
func (c *Catalog) Workflows() []Workflow { return cloneAll(c.doc.Workflows, Workflow.clone) }

// UseCases are the framework's use cases, then GovStack's by sector code.
func (c *Catalog) UseCases() []UseCase { return cloneAll(c.doc.UseCases, UseCase.clone) }

// Export is the whole catalogue, for `blockplan catalog export --json`.
func (c *Catalog) Export() Document {
	return Document{Goals: c.Goals(), Targets: c.Targets(), Indicators: c.Indicators(),
		Blocks: c.Blocks(), Workflows: c.Workflows(), UseCases: c.UseCases()}
}

// Entry is the entry of kind with exactly this id: a Goal, Target, Indicator,
// Block, Workflow or UseCase value (for `blockplan catalog show`).
func (c *Catalog) Entry(kind, id string) (any, bool) {
	var (
		i  int
		ok bool
	)
	switch kind {
	case KindGoal:
		if i, ok = c.goals[id]; ok {
			return c.doc.Goals[i].clone(), true
		}
	case KindTarget:
		if i, ok = c.targets[id]; ok {
			return c.doc.Targets[i], true
		}
	case KindIndicator:
		if i, ok = c.indicators[id]; ok {
			return c.doc.Indicators[i], true
		}
	case KindBlock:
		if i, ok = c.blocks[id]; ok {
			return c.doc.Blocks[i].clone(), true
		}
	case KindWorkflow:
		if i, ok = c.workflows[id]; ok {
			return c.doc.Workflows[i].clone(), true
		}
	case KindUseCase:
		if i, ok = c.useCases[id]; ok {
			return c.doc.UseCases[i].clone(), true
		}
	}
	return nil, false
}

// Ref names one catalogue entry.
type Ref struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// Find is what `blockplan catalog show TEXT` shows: the entries whose id is
// exactly text, in any kind (ids repeat across kinds: client_case_management
// is a block and a workflow); failing that, whatever Lookup matches in each
// kind. Nil when nothing matches.
func (c *Catalog) Find(text string) []Ref {
	var out []Ref
	for _, k := range kinds {
		if c.has(k, text) {
			out = append(out, Ref{k, text})
		}
	}
	if out != nil {
		return out
	}
	for _, k := range kinds {
		for _, id := range c.Lookup(k, text) {
			out = append(out, Ref{k, id})
		}
	}
	return out
}

func (c *Catalog) ids(kind string) map[string]int {
	switch kind {
	case KindGoal:
		return c.goals
	case KindTarget:
		return c.targets
	case KindIndicator:
		return c.indicators
	case KindBlock:
		return c.blocks
	case KindWorkflow:
		return c.workflows
	case KindUseCase:
		return c.useCases
	}
	return nil
}

func (c *Catalog) has(kind, id string) bool {
	_, ok := c.ids(kind)[id]
	return ok
}

func cloneAll[T any](xs []T, clone func(T) T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = clone(x)
	}
	return out
}

func (g Goal) clone() Goal {
	g.Aliases = slices.Clone(g.Aliases)
	return g
}

func (b Block) clone() Block {
	b.Aliases = slices.Clone(b.Aliases)
	return b
}

func (w Workflow) clone() Workflow {
	w.Blocks = slices.Clone(w.Blocks)
	w.Aliases = slices.Clone(w.Aliases)
	return w
}

func (u UseCase) clone() UseCase {
	u.SDGGoals = slices.Clone(u.SDGGoals)
	u.SDGTargets = slices.Clone(u.SDGTargets)
	u.Workflows = slices.Clone(u.Workflows)
	u.Blocks = slices.Clone(u.Blocks)
	u.Aliases = slices.Clone(u.Aliases)
	u.Steps = slices.Clone(u.Steps)
	for i, s := range u.Steps {
		s.Workflows = slices.Clone(s.Workflows)
		s.Blocks = slices.Clone(s.Blocks)
		u.Steps[i] = s
	}
	return u
}

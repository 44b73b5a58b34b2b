// Package build makes the embedded catalogue, catalog/data/catalog.json, from
// the shared source facts (../shared/data: UN SDG texts, the DIAL 2020
// framework catalogue, GovStack use cases) and the hand-written
// catalog/data/curation.json. catalog/internal/gen runs it for `go generate`;
// the catalog tests run it to check that the committed file is current.
//
// It is strict on purpose: a source row the curation does not cover, a
// curation entry that matches nothing in the sources, a GovStack spelling
// that maps to no framework workflow and is not listed as unmatched, or a
// missing French text stops the build, so that a change in the sources cannot
// slip silently into the catalogue.
//
// build imports blockplan/catalog (for its types, Normalize and Lookup) and
// the standard library only; catalog never imports build.
package build

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"blockplan/catalog"
)

// Generate reads the sources under shared and the curation file and writes
// the catalogue to out. Notes about source data left out (for a reviewer)
// go to notes, which may be nil.
func Generate(shared, curationPath, out string, notes io.Writer) error {
	cur, err := os.ReadFile(curationPath)
	if err != nil {
		return err
	}
	data, err := Build(shared, cur, notes)
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// Build is the catalogue document, encoded, checked by catalog.Parse.
func Build(shared string, curationJSON []byte, notes io.Writer) ([]byte, error) {
	if notes == nil {
		notes = io.Discard
	}
	var cur curation
	dec := json.NewDecoder(bytes.NewReader(curationJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cur); err != nil {
		return nil, fmt.Errorf("curation: %w", err)
	}
	b := &builder{shared: filepath.Join(shared, "data"), cur: &cur, notes: notes}
	if err := b.run(); err != nil {
		return nil, err
	}
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b.doc); err != nil {
		return nil, err
	}
	if _, err := catalog.Parse(buf.Bytes()); err != nil {
		return nil, fmt.Errorf("generated catalogue does not check: %w", err)
	}
	return buf.Bytes(), nil
}

// curation is data/curation.json.
type curation struct {
	About          string `json:"_about"`
	SDGGoalFRFixes []struct {
		Goal   int    `json:"goal"`
		Source string `json:"source"`
		FR     string `json:"fr"`
		Why    string `json:"why"`
	} `json:"sdg_goal_fr_fixes"`
	Sectors map[string]struct {
		EN  string `json:"en"`
		FR  string `json:"fr"`
		Why string `json:"why"`
	} `json:"sectors"`
	Blocks []struct {
		ID          string       `json:"id"`
		SourceSlug  string       `json:"source_slug"`
		Source      string       `json:"source"`
		Name        catalog.Text `json:"name"`
		Description catalog.Text `json:"description"`
		Aliases     []string     `json:"aliases"`
	} `json:"blocks"`
	Workflows []struct {
		ID          string       `json:"id"`
		Name        catalog.Text `json:"name"`
		Description catalog.Text `json:"description"`
		Aliases     []string     `json:"aliases"`
	} `json:"workflows"`
	GovStackWorkflows struct {
		Comment   string              `json:"_comment"`
		Map       map[string][]string `json:"map"`
		Unmatched map[string]string   `json:"unmatched"`
	} `json:"govstack_workflows"`
	FrameworkUseCases []struct {
		Slug        string       `json:"slug"`
		ID          string       `json:"id"`
		StepsTag    string       `json:"steps_tag"`
		Name        catalog.Text `json:"name"`
		Description catalog.Text `json:"description"`
		Aliases     []string     `json:"aliases"`
	} `json:"framework_use_cases"`
	GovStackUseCases []struct {
		File             string `json:"file"`
		ID               string `json:"id"`
		SourceIDFix      string `json:"source_id_fix"`
		BlocksFromHeader string `json:"blocks_from_header"`
		SDGGoalFix       *struct {
			Source string `json:"source"`
			Goal   int    `json:"goal"`
			Why    string `json:"why"`
		} `json:"sdg_goal_fix"`
		Name        catalog.Text `json:"name"`
		Description catalog.Text `json:"description"`
		Aliases     []string     `json:"aliases"`
	} `json:"govstack_use_cases"`
	StepNameFixes map[string]string `json:"step_name_fixes"`
	StepNamesFR   map[string]string `json:"step_names_fr"`
}

// dialCatalog is shared/data/dial/dial_catalog_2020.json.
type dialCatalog struct {
	SDGs []struct {
		Number int    `json:"number"`
		Slug   string `json:"slug"`
		Name   string `json:"name"`
	} `json:"sdgs"`
	SDGTargets []struct {
		SDGNumber    int    `json:"sdg_number"`
		TargetNumber string `json:"target_number"`
	} `json:"sdg_targets"`
	BuildingBlocks []struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"building_blocks"`
	Workflows []struct {
		Slug           string   `json:"slug"`
		Name           string   `json:"name"`
		BuildingBlocks []string `json:"building_blocks"`
	} `json:"workflows"`
	UseCases []struct {
		Slug       string   `json:"slug"`
		Name       string   `json:"name"`
		Sector     string   `json:"sector"`
		SDGTargets []string `json:"sdg_targets"`
		Workflows  []string `json:"workflows"`
	} `json:"use_cases"`
}

// govStackUseCase is one entry of shared/data/dial/govstack_use_cases.json.
type govStackUseCase struct {
	File           string   `json:"file"`
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Sector         string   `json:"sector"`
	SDGs           []string `json:"sdgs"`
	BuildingBlocks []string `json:"building_blocks"`
	Steps          []struct {
		Step           string   `json:"step"`
		Workflows      []string `json:"workflows"`
		BuildingBlocks []string `json:"building_blocks"`
	} `json:"steps"`
}

type builder struct {
	shared string
	cur    *curation
	notes  io.Writer
	errs   []error
	doc    catalog.Document

	dial      dialCatalog
	goalNames map[int][]string // goal number -> names, for checking GovStack's "SDG n: name"
	blockPos  map[string]int   // block id -> place, to order lists
	flowPos   map[string]int   // workflow id -> place
	partial   *catalog.Catalog // blocks and workflows, for matching GovStack's names
	usedFlows map[string]bool  // govstack_workflows entries that matched something
	usedSteps map[string]bool  // step_names_fr entries used
}

func (b *builder) fail(format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf(format, args...))
}

func (b *builder) run() error {
	if err := readJSON(filepath.Join(b.shared, "dial", "dial_catalog_2020.json"), &b.dial); err != nil {
		return err
	}
	if err := b.sdgs(); err != nil {
		return err
	}
	b.blocks()
	b.workflows()
	if len(b.errs) > 0 {
		return nil // matching GovStack names needs sound blocks and workflows
	}
	partial, err := json.Marshal(catalog.Document{Blocks: b.doc.Blocks, Workflows: b.doc.Workflows})
	if err != nil {
		return err
	}
	if b.partial, err = catalog.Parse(partial); err != nil {
		return fmt.Errorf("blocks and workflows: %w", err)
	}
	b.usedSteps = map[string]bool{}
	b.frameworkUseCases()
	if err := b.govStackUseCases(); err != nil {
		return err
	}
	for en := range b.cur.StepNamesFR {
		if !b.usedSteps[en] {
			b.fail("curation: step_names_fr: %q is no step's name", en)
		}
	}
	return nil
}

// --- SDGs ---

func (b *builder) sdgs() error {
	short, err := readCSV(filepath.Join(b.shared, "sdg", "sdg_goals.csv"), "goal", "title_en", "title_fr")
	if err != nil {
		return err
	}
	long, err := readCSV(filepath.Join(b.shared, "sdg", "sdg_goals_long.csv"), "goal", "title_en", "title_fr")
	if err != nil {
		return err
	}
	if len(short) != len(long) {
		return fmt.Errorf("sdg: %d goals but %d long titles", len(short), len(long))
	}
	frFix := map[int]string{}
	for _, f := range b.cur.SDGGoalFRFixes {
		frFix[f.Goal] = f.Source
	}
	dialSlug := map[int]string{}
	for _, g := range b.dial.SDGs {
		dialSlug[g.Number] = g.Slug
	}
	b.goalNames = map[int][]string{}
	for i, r := range short {
		n, err := strconv.Atoi(r[0])
		if err != nil || r[0] != long[i][0] {
			return fmt.Errorf("sdg: goal row %d: bad or mismatched number %q", i+1, r[0])
		}
		g := catalog.Goal{ID: r[0], Number: n, Name: catalog.Text{EN: r[1], FR: r[2]},
			Title: catalog.Text{EN: long[i][1], FR: long[i][2]}, Aliases: []string{}}
		for _, f := range b.cur.SDGGoalFRFixes {
			if f.Goal == n {
				if f.Source != g.Name.FR {
					b.fail("curation: sdg_goal_fr_fixes: goal %d's French is now %q, not %q", n, g.Name.FR, f.Source)
				}
				g.Name.FR = f.FR
				delete(frFix, n)
			}
		}
		// DIAL's slug ("no_poverty") is an alias when it is not just the name.
		if s := dialSlug[n]; s != "" && catalog.Normalize(s) != catalog.Normalize(g.Name.EN) {
			g.Aliases = append(g.Aliases, s)
		}
		b.goalNames[n] = []string{g.Name.EN, g.Name.FR}
		b.doc.Goals = append(b.doc.Goals, g)
	}
	for n := range frFix {
		b.fail("curation: sdg_goal_fr_fixes: no goal %d", n)
	}

	rows, err := readCSV(filepath.Join(b.shared, "sdg", "sdg_targets.csv"), "target", "goal", "title_en", "title_fr")
	if err != nil {
		return err
	}
	for _, r := range rows {
		if !strings.HasPrefix(r[0], r[1]+".") {
			b.fail("sdg: target %s is listed under goal %s", r[0], r[1])
		}
		b.doc.Targets = append(b.doc.Targets, catalog.Target{ID: r[0], Goal: r[1], Name: catalog.Text{EN: r[2], FR: r[3]}})
	}
	slices.SortStableFunc(b.doc.Targets, func(x, y catalog.Target) int { return catalog.CompareCodes(x.ID, y.ID) })

	// The framework's targets must be the UN's.
	var dialTargets, unTargets []string
	for _, t := range b.dial.SDGTargets {
		dialTargets = append(dialTargets, t.TargetNumber)
	}
	for _, t := range b.doc.Targets {
		unTargets = append(unTargets, t.ID)
	}
	slices.SortFunc(dialTargets, catalog.CompareCodes)
	if !slices.Equal(dialTargets, unTargets) {
		b.fail("sdg: the DIAL catalogue's targets differ from sdg_targets.csv")
	}

	rows, err = readCSV(filepath.Join(b.shared, "sdg", "sdg_indicators.csv"), "indicator", "target", "title_en", "title_fr")
	if err != nil {
		return err
	}
	for _, r := range rows {
		in := catalog.Indicator{ID: r[0], Target: r[1], Name: catalog.Text{EN: r[2], FR: r[3]}}
		if !strings.HasPrefix(in.ID, in.Target+".") {
			b.fail("sdg: indicator %s is listed under target %s", in.ID, in.Target)
		}
		if in.Name.FR == "" {
			// The source has no current French title (sdg/SOURCE.md): show
			// the English rather than nothing, and say so.
			in.Name.FR, in.FRMissing = in.Name.EN, true
		}
		b.doc.Indicators = append(b.doc.Indicators, in)
	}
	slices.SortStableFunc(b.doc.Indicators, func(x, y catalog.Indicator) int { return catalog.CompareCodes(x.ID, y.ID) })
	return nil
}

// --- blocks and workflows ---

func (b *builder) blocks() {
	source := map[string]string{} // slug -> name
	for _, s := range b.dial.BuildingBlocks {
		source[s.Slug] = s.Name
	}
	b.blockPos = map[string]int{}
	used := map[string]bool{}
	for _, c := range b.cur.Blocks {
		blk := catalog.Block{ID: c.ID, Source: catalog.SourceFramework, Name: c.Name,
			Description: c.Description, Aliases: append([]string{}, c.Aliases...)}
		switch {
		case c.Source == catalog.SourceGovStack && c.SourceSlug == "":
			blk.Source = catalog.SourceGovStack
		case c.Source == "" && c.SourceSlug != "":
			name, ok := source[c.SourceSlug]
			if !ok {
				b.fail("curation: block %s: no framework block %q", c.ID, c.SourceSlug)
			}
			used[c.SourceSlug] = true
			blk.Aliases = addAlias(blk.Aliases, c.SourceSlug, c.ID)
			blk.Aliases = addAlias(blk.Aliases, name, c.Name.EN, c.Name.FR)
		default:
			b.fail("curation: block %s: give either source_slug (framework) or source \"govstack\"", c.ID)
		}
		b.blockPos[c.ID] = len(b.doc.Blocks)
		b.doc.Blocks = append(b.doc.Blocks, blk)
	}
	for slug := range source {
		if !used[slug] {
			b.fail("curation: no block for the framework's %q", slug)
		}
	}
}

// blockID is the id of the framework block with this source slug.
func (b *builder) blockID(slug string) (string, bool) {
	for _, c := range b.cur.Blocks {
		if c.SourceSlug == slug {
			return c.ID, true
		}
	}
	return "", false
}

func (b *builder) workflows() {
	cur := map[string]int{}
	for i, c := range b.cur.Workflows {
		cur[c.ID] = i
	}
	if len(cur) != len(b.dial.Workflows) {
		b.fail("curation: %d workflows for the framework's %d", len(cur), len(b.dial.Workflows))
	}
	b.flowPos = map[string]int{}
	for _, s := range b.dial.Workflows {
		i, ok := cur[s.Slug]
		if !ok {
			b.fail("curation: no workflow %q", s.Slug)
			continue
		}
		c := b.cur.Workflows[i]
		w := catalog.Workflow{ID: c.ID, Name: c.Name, Description: c.Description,
			Blocks: []string{}, Aliases: addAlias(append([]string{}, c.Aliases...), s.Name, c.Name.EN, c.Name.FR)}
		for _, slug := range s.BuildingBlocks {
			id, ok := b.blockID(slug)
			if !ok {
				b.fail("workflow %s: unknown block %q", s.Slug, slug)
			}
			w.Blocks = append(w.Blocks, id)
		}
		b.flowPos[w.ID] = len(b.doc.Workflows)
		b.doc.Workflows = append(b.doc.Workflows, w)
	}
}

// --- framework use cases ---

// tagRe splits the framework's step rows, "[SP-UCT Step 2] Registration", and
// their parents, "[SP-UCT] Unconditional Social Cash Transfer".
var tagRe = regexp.MustCompile(`^\[([A-Z-]+)(?: Step (\d+))?\]\s*(.*?)\s*$`)

func (b *builder) frameworkUseCases() {
	src := map[string]int{}
	for i, u := range b.dial.UseCases {
		src[u.Slug] = i
	}
	consumed := map[string]bool{}
	for _, c := range b.cur.FrameworkUseCases {
		i, ok := src[c.Slug]
		if !ok {
			b.fail("curation: framework use case %q is not in the source", c.Slug)
			continue
		}
		s := b.dial.UseCases[i]
		consumed[s.Slug] = true
		u := catalog.UseCase{ID: c.ID, Source: catalog.SourceFramework, Name: c.Name, Description: c.Description,
			Sector: b.sector(c.ID, s.Sector), SDGTargets: b.targets(c.ID, s.SDGTargets),
			Workflows: b.flowIDs(c.ID, s.Workflows), Blocks: []string{}, Steps: []catalog.Step{},
			Aliases: append([]string{}, c.Aliases...)}
		if c.ID != c.Slug {
			u.Aliases = addAlias(u.Aliases, c.Slug, c.ID) // the source's truncated slug
		}
		u.Aliases = addAlias(u.Aliases, s.Name, c.Name.EN, c.Name.FR)
		if m := tagRe.FindStringSubmatch(s.Name); m != nil && m[2] == "" {
			if m[1] != c.StepsTag {
				b.fail("curation: framework use case %s: source tag %q, curation steps_tag %q", c.ID, m[1], c.StepsTag)
			}
		} else if c.StepsTag != "" {
			b.fail("curation: framework use case %s: steps_tag %q but the source row has no tag", c.ID, c.StepsTag)
		}
		if c.StepsTag != "" {
			for _, r := range b.dial.UseCases {
				m := tagRe.FindStringSubmatch(r.Name)
				if m == nil || m[1] != c.StepsTag || m[2] == "" {
					continue
				}
				consumed[r.Slug] = true
				if n, _ := strconv.Atoi(m[2]); n != len(u.Steps)+1 {
					b.fail("framework use case %s: step %s comes in place %d", c.ID, m[2], len(u.Steps)+1)
				}
				if r.Sector != s.Sector || !slices.Equal(r.SDGTargets, s.SDGTargets) {
					b.fail("framework use case %s: step %s has its own sector or targets", c.ID, m[2])
				}
				u.Steps = append(u.Steps, catalog.Step{Name: b.stepName(c.ID, m[3]),
					Workflows: b.flowIDs(c.ID, r.Workflows), Blocks: []string{}})
			}
			u.Workflows = b.union(b.flowPos, u.Workflows, stepLists(u.Steps, true)...)
		}
		u.SDGGoals = goalsOf(u.SDGTargets, nil)
		b.doc.UseCases = append(b.doc.UseCases, u)
	}
	for _, u := range b.dial.UseCases {
		if !consumed[u.Slug] {
			b.fail("curation: no framework use case for source row %q (%s)", u.Slug, u.Name)
		}
	}
}

// --- GovStack use cases ---

var (
	// "SDG 2: Zero Hunger"
	goalRe = regexp.MustCompile(`^SDG\s+(\d+)\s*:\s*(.+)$`)
	// "Goal 9.C – Significantly …", "8.3: Promote …"
	targetRe = regexp.MustCompile(`^(?:Goal\s+)?(\d+\.[0-9A-Za-z]+)\s*[:–-]`)
	// "4 - User Profile Account&#x20;", "**5 - Community Engagement**", "Step 2 - Outreach"
	stepNumRe = regexp.MustCompile(`^(?:Step\s+)?\d+\s*-\s*`)
)

func (b *builder) govStackUseCases() error {
	var src []govStackUseCase
	if err := readJSON(filepath.Join(b.shared, "dial", "govstack_use_cases.json"), &src); err != nil {
		return err
	}
	if err := checkStepsCSV(filepath.Join(b.shared, "dial", "govstack_use_case_steps.csv"), src); err != nil {
		return err
	}
	byFile := map[string]govStackUseCase{}
	for _, s := range src {
		byFile[s.File] = s
	}
	if len(b.cur.GovStackUseCases) != len(src) {
		b.fail("curation: %d GovStack use cases for the source's %d", len(b.cur.GovStackUseCases), len(src))
	}
	b.usedFlows = map[string]bool{}
	for _, c := range b.cur.GovStackUseCases {
		s, ok := byFile[c.File]
		if !ok {
			b.fail("curation: GovStack use case %s: no source file %q", c.ID, c.File)
			continue
		}
		delete(byFile, c.File)
		if same := strings.EqualFold(s.ID, c.ID); same == (c.SourceIDFix != "") {
			b.fail("curation: GovStack use case %s: source id %s; source_id_fix must be given exactly when they differ", c.ID, s.ID)
		}
		u := catalog.UseCase{ID: c.ID, Source: catalog.SourceGovStack, Name: c.Name, Description: c.Description,
			Sector: b.sector(c.ID, s.Sector), SDGTargets: []string{}, Steps: []catalog.Step{},
			Aliases: addAlias(append([]string{}, c.Aliases...), s.Name, c.Name.EN, c.Name.FR)}

		var goals []string
		fixUsed := false
		for _, raw := range s.SDGs {
			if m := targetRe.FindStringSubmatch(raw); m != nil {
				u.SDGTargets = append(u.SDGTargets, strings.ToLower(m[1]))
				continue
			}
			m := goalRe.FindStringSubmatch(raw)
			if m == nil {
				b.fail("GovStack use case %s: cannot read SDG %q", c.ID, raw)
				continue
			}
			n, _ := strconv.Atoi(m[1])
			if f := c.SDGGoalFix; f != nil && f.Source == raw {
				n, fixUsed = f.Goal, true
			}
			if !slices.ContainsFunc(b.goalNames[n], func(name string) bool {
				return catalog.Normalize(name) == catalog.Normalize(m[2])
			}) {
				b.fail("GovStack use case %s: %q does not name goal %d (add an sdg_goal_fix)", c.ID, raw, n)
			}
			goals = append(goals, strconv.Itoa(n))
		}
		if c.SDGGoalFix != nil && !fixUsed {
			b.fail("curation: GovStack use case %s: sdg_goal_fix %q matches no SDG of the source", c.ID, c.SDGGoalFix.Source)
		}
		u.SDGTargets = b.targets(c.ID, u.SDGTargets)
		u.SDGGoals = goalsOf(u.SDGTargets, goals)

		for _, st := range s.Steps {
			step := catalog.Step{Name: b.stepName(c.ID, cleanStep(st.Step)), Workflows: []string{}, Blocks: []string{}}
			for _, w := range st.Workflows {
				step.Workflows = append(step.Workflows, b.govStackWorkflow(c.ID, w)...)
			}
			for _, name := range st.BuildingBlocks {
				step.Blocks = append(step.Blocks, b.govStackBlock(c.ID, name)...)
			}
			step.Workflows = b.union(b.flowPos, step.Workflows)
			step.Blocks = b.union(b.blockPos, step.Blocks)
			u.Steps = append(u.Steps, step)
		}
		u.Workflows = b.union(b.flowPos, nil, stepLists(u.Steps, true)...)
		u.Blocks = b.union(b.blockPos, nil, stepLists(u.Steps, false)...)

		var header []string
		for _, name := range s.BuildingBlocks {
			header = append(header, b.govStackBlock(c.ID, name)...)
		}
		header = b.union(b.blockPos, header)
		// Blocks are what the steps use. Where the steps hardly name any,
		// the curation says so and the header's list is added.
		extra := without(header, u.Blocks)
		switch {
		case len(u.Blocks) == 0 && c.BlocksFromHeader == "":
			b.fail("GovStack use case %s: no step names a block; set blocks_from_header if the header's list should be used", c.ID)
		case c.BlocksFromHeader != "" && len(extra) == 0:
			b.fail("curation: GovStack use case %s: blocks_from_header adds nothing to its steps' blocks", c.ID)
		case c.BlocksFromHeader != "":
			u.Blocks = b.union(b.blockPos, u.Blocks, header)
			extra = nil
		}
		if len(extra) > 0 {
			fmt.Fprintf(b.notes, "note: %s: the header also names %s, which no step uses; left out\n", c.ID, strings.Join(extra, ", "))
		}
		b.doc.UseCases = append(b.doc.UseCases, u)
	}
	for f := range byFile {
		b.fail("curation: no GovStack use case for source file %q", f)
	}
	for spelling := range b.cur.GovStackWorkflows.Map {
		if !b.usedFlows[spelling] {
			b.fail("curation: govstack_workflows.map: %q is in no GovStack step", spelling)
		}
	}
	for spelling := range b.cur.GovStackWorkflows.Unmatched {
		if !b.usedFlows[spelling] {
			b.fail("curation: govstack_workflows.unmatched: %q is in no GovStack step", spelling)
		}
	}
	return nil
}

// govStackWorkflow maps one of GovStack's workflow spellings to framework
// workflow ids: a "/"-joined name part by part, each through the curation's
// map, else by id, name or alias; a spelling listed as unmatched maps to none.
func (b *builder) govStackWorkflow(uc, spelling string) []string {
	var out []string
	for _, part := range strings.Split(spelling, "/") {
		part = strings.TrimSpace(part)
		if ids, ok := b.mapped(part); ok {
			out = append(out, ids...)
			continue
		}
		if b.unmatched(part) {
			continue
		}
		ids := b.partial.Lookup(catalog.KindWorkflow, part)
		if len(ids) != 1 {
			b.fail("GovStack use case %s: workflow %q matches %v; map it in govstack_workflows", uc, part, ids)
			continue
		}
		out = append(out, ids...)
	}
	return out
}

func (b *builder) mapped(spelling string) ([]string, bool) {
	for k, ids := range b.cur.GovStackWorkflows.Map {
		if catalog.Normalize(k) != catalog.Normalize(spelling) {
			continue
		}
		b.usedFlows[k] = true
		for _, id := range ids {
			if _, ok := b.flowPos[id]; !ok {
				b.fail("curation: govstack_workflows.map: %q: unknown workflow %q", k, id)
			}
		}
		// A spelling the catalogue's own matching understands must not be
		// mapped elsewhere here.
		if got := b.partial.Lookup(catalog.KindWorkflow, spelling); len(got) == 1 && !slices.Equal(got, ids) {
			b.fail("curation: govstack_workflows.map: %q maps to %v but matches %v", k, ids, got)
		}
		return ids, true
	}
	return nil, false
}

func (b *builder) unmatched(spelling string) bool {
	for k := range b.cur.GovStackWorkflows.Unmatched {
		if catalog.Normalize(k) == catalog.Normalize(spelling) {
			b.usedFlows[k] = true
			return true
		}
	}
	return false
}

// govStackBlock maps one of GovStack's block names by the catalogue's own
// matching (ids, names, aliases): the aliases are what make "Identity" or
// "Scheduler" resolve, for GovStack's data as for a planner's spreadsheet.
func (b *builder) govStackBlock(uc, name string) []string {
	ids := b.partial.Lookup(catalog.KindBlock, name)
	if len(ids) != 1 {
		b.fail("GovStack use case %s: block %q matches %v; add an alias", uc, name, ids)
		return nil
	}
	return ids
}

// cleanStep is a GovStack step title without its number and markdown.
func cleanStep(s string) string {
	s = html.UnescapeString(s)
	s = strings.ReplaceAll(s, `\&`, "&")
	s = strings.ReplaceAll(s, "**", "")
	s = stepNumRe.ReplaceAllString(strings.TrimSpace(s), "")
	return strings.Join(strings.Fields(s), " ")
}

func (b *builder) stepName(uc, en string) catalog.Text {
	en = strings.TrimSpace(en)
	if fixed, ok := b.cur.StepNameFixes[en]; ok {
		en = fixed
	}
	fr, ok := b.cur.StepNamesFR[en]
	if !ok || fr == "" {
		b.fail("curation: step_names_fr: no French for %q (use case %s)", en, uc)
	}
	b.usedSteps[en] = true
	return catalog.Text{EN: en, FR: fr}
}

// --- helpers ---

func (b *builder) sector(uc, s string) catalog.Text {
	t, ok := b.cur.Sectors[s]
	if !ok || t.EN == "" || t.FR == "" {
		b.fail("curation: sectors: no English and French for %q (use case %s)", s, uc)
	}
	return catalog.Text{EN: t.EN, FR: t.FR}
}

func (b *builder) targets(uc string, codes []string) []string {
	out := []string{}
	for _, code := range codes {
		if _, ok := slices.BinarySearchFunc(b.doc.Targets, code, func(t catalog.Target, c string) int {
			return catalog.CompareCodes(t.ID, c)
		}); !ok {
			b.fail("use case %s: unknown SDG target %q", uc, code)
		}
		out = appendNew(out, code)
	}
	slices.SortFunc(out, catalog.CompareCodes)
	return out
}

func (b *builder) flowIDs(uc string, ids []string) []string {
	for _, id := range ids {
		if _, ok := b.flowPos[id]; !ok {
			b.fail("use case %s: unknown workflow %q", uc, id)
		}
	}
	return b.union(b.flowPos, ids)
}

// union is the ids of all lists, once each, in catalogue order.
func (b *builder) union(pos map[string]int, first []string, more ...[]string) []string {
	out := []string{}
	for _, l := range append([][]string{first}, more...) {
		for _, id := range l {
			out = appendNew(out, id)
		}
	}
	slices.SortStableFunc(out, func(x, y string) int { return cmp.Compare(pos[x], pos[y]) })
	return out
}

func stepLists(steps []catalog.Step, workflows bool) [][]string {
	var out [][]string
	for _, s := range steps {
		if workflows {
			out = append(out, s.Workflows)
		} else {
			out = append(out, s.Blocks)
		}
	}
	return out
}

// goalsOf is the goals named plus those of the targets, in number order.
func goalsOf(targets, named []string) []string {
	out := slices.Clone(named)
	for _, t := range targets {
		out = appendNew(out, strings.SplitN(t, ".", 2)[0])
	}
	out = slices.Compact(slices.SortedFunc(slices.Values(out), catalog.CompareCodes))
	if out == nil {
		out = []string{}
	}
	return out
}

// addAlias appends alias unless it is empty or already matches one of names
// or of the aliases.
func addAlias(aliases []string, alias string, names ...string) []string {
	k := catalog.Normalize(alias)
	if k == "" {
		return aliases
	}
	for _, n := range append(slices.Clone(names), aliases...) {
		if catalog.Normalize(n) == k {
			return aliases
		}
	}
	return append(aliases, alias)
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

func without(xs, drop []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// readCSV is the rows of a CSV file under its header, which must be want.
func readCSV(path string, want ...string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], want) {
		return nil, fmt.Errorf("%s: header is not %s", path, strings.Join(want, ","))
	}
	return rows[1:], nil
}

// checkStepsCSV makes sure the steps CSV says what the JSON says, so that
// the catalogue cannot be built from one while people read the other.
func checkStepsCSV(path string, src []govStackUseCase) error {
	rows, err := readCSV(path, "use_case_id", "use_case_name", "sector", "step", "workflows", "building_blocks")
	if err != nil {
		return err
	}
	i := 0
	for _, u := range src {
		for _, s := range u.Steps {
			if i >= len(rows) {
				return fmt.Errorf("%s: fewer steps than govstack_use_cases.json", path)
			}
			r := rows[i]
			if r[0] != u.ID || r[3] != s.Step || r[4] != strings.Join(s.Workflows, "; ") || r[5] != strings.Join(s.BuildingBlocks, "; ") {
				return fmt.Errorf("%s: row %d differs from govstack_use_cases.json (%s, %q)", path, i+2, u.ID, s.Step)
			}
			i++
		}
	}
	if i != len(rows) {
		return fmt.Errorf("%s: more steps than govstack_use_cases.json", path)
	}
	return nil
}

package model

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Suggester is implemented by references that can propose close matches for
// an unknown id (the catalogue does); Resolve uses it in error messages.
type Suggester interface {
	Suggest(kind, text string, n int) []string
}

// Resolve returns a complete copy of raw, ready for the cost model, together
// with every validation problem (cost-model.md §8), errors and warnings. In
// the copy:
//   - a use case, workflow or block that is referenced but not defined is
//     taken from the catalogue (appended after the portfolio's own, in the
//     order first referenced);
//   - an entity whose id is in the catalogue inherits every field it leaves
//     out from the catalogue entry (names, descriptions, links).
//
// raw is not modified. When the problems hold an error the copy must not be
// computed on.
func Resolve(raw *Portfolio, ref Reference) (*Portfolio, Problems) {
	if ref == nil {
		ref = NoReference{}
	}
	p := *raw
	p.Agencies = slices.Clone(raw.Agencies)
	p.Goals = slices.Clone(raw.Goals)
	p.Programmes = slices.Clone(raw.Programmes)
	p.UseCases = slices.Clone(raw.UseCases)
	p.Workflows = slices.Clone(raw.Workflows)
	p.Blocks = slices.Clone(raw.Blocks)

	v := &validator{p: &p, ref: ref}
	v.inherit()
	v.pullReferenced()
	v.checkIDs()
	v.checkSettings()
	v.checkReferences()
	v.checkAmounts()
	v.checkYears()
	v.warn()
	v.ps.Sort()
	return &p, v.ps
}

// Validate is Resolve for its problems only.
func Validate(raw *Portfolio, ref Reference) Problems {
	_, ps := Resolve(raw, ref)
	return ps
}

type validator struct {
	p         *Portfolio
	ref       Reference
	ps        Problems
	suggested int // suggestions computed so far; bounded, as each costs a scan
}

// maxSuggested bounds the suggestions computed for one portfolio: a file
// with thousands of bad references gets suggestions for the first ones,
// which is all a person reads, in bounded time.
const maxSuggested = 200

func (v *validator) errorf(code, kind, id, field string, value any, format string, args ...any) {
	v.ps = append(v.ps, Problem{Severity: SeverityError, Code: code, Kind: kind, ID: id, Field: field,
		Value: valueText(value), Message: fmt.Sprintf(format, args...)})
}

func (v *validator) warnf(code, kind, id, field string, format string, args ...any) {
	v.ps = append(v.ps, Problem{Severity: SeverityWarning, Code: code, Kind: kind, ID: id, Field: field,
		Message: fmt.Sprintf(format, args...)})
}

func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case *int:
		if x == nil {
			return ""
		}
		return fmt.Sprint(*x)
	case *float64:
		if x == nil {
			return ""
		}
		return fmt.Sprint(*x)
	}
	return fmt.Sprint(v)
}

func orList[T any](given, inherited []T) []T {
	if given == nil {
		return inherited
	}
	return given
}

func orString(given, inherited string) string {
	if given == "" {
		return inherited
	}
	return given
}

// inherit fills the fields a portfolio entity leaves out from its catalogue
// entry of the same id.
func (v *validator) inherit() {
	for i, u := range v.p.UseCases {
		if c, ok := v.ref.UseCase(u.ID); ok {
			v.p.UseCases[i] = mergeUseCase(u, c)
		}
	}
	for i, w := range v.p.Workflows {
		if c, ok := v.ref.Workflow(w.ID); ok {
			v.p.Workflows[i] = mergeWorkflow(w, c)
		}
	}
	for i, b := range v.p.Blocks {
		if c, ok := v.ref.Block(b.ID); ok {
			v.p.Blocks[i] = mergeBlock(b, c)
		}
	}
}

func mergeUseCase(u, c UseCase) UseCase {
	u.Name = orString(u.Name, c.Name)
	u.NameFR = orString(u.NameFR, c.NameFR)
	u.Description = orString(u.Description, c.Description)
	u.DescriptionFR = orString(u.DescriptionFR, c.DescriptionFR)
	u.Sector = orString(u.Sector, c.Sector)
	u.SDGTargets = orList(u.SDGTargets, c.SDGTargets)
	u.Workflows = orList(u.Workflows, c.Workflows)
	u.Blocks = orList(u.Blocks, c.Blocks)
	return u
}

func mergeWorkflow(w, c Workflow) Workflow {
	w.Name = orString(w.Name, c.Name)
	w.NameFR = orString(w.NameFR, c.NameFR)
	w.Description = orString(w.Description, c.Description)
	w.DescriptionFR = orString(w.DescriptionFR, c.DescriptionFR)
	w.Blocks = orList(w.Blocks, c.Blocks)
	return w
}

func mergeBlock(b, c Block) Block {
	b.Name = orString(b.Name, c.Name)
	b.NameFR = orString(b.NameFR, c.NameFR)
	b.Description = orString(b.Description, c.Description)
	b.DescriptionFR = orString(b.DescriptionFR, c.DescriptionFR)
	b.Status = orString(b.Status, c.Status)
	if !b.BuildCost.Set {
		b.BuildCost = c.BuildCost
	}
	if !b.AnnualRunCost.Set {
		b.AnnualRunCost = c.AnnualRunCost
	}
	if !b.IntegrationCost.Set {
		b.IntegrationCost = c.IntegrationCost
	}
	if !b.PerConsumerRunCost.Set {
		b.PerConsumerRunCost = c.PerConsumerRunCost
	}
	return b
}

// pullReferenced copies into the portfolio every catalogue use case,
// workflow and block that it references without defining, following links
// transitively. Unknown references are left for checkReferences.
func (v *validator) pullReferenced() {
	has := func(kind string) map[string]bool {
		m := map[string]bool{}
		switch kind {
		case "use_case":
			for _, x := range v.p.UseCases {
				m[x.ID] = true
			}
		case "workflow":
			for _, x := range v.p.Workflows {
				m[x.ID] = true
			}
		case "block":
			for _, x := range v.p.Blocks {
				m[x.ID] = true
			}
		}
		return m
	}
	useCases, workflows, blocks := has("use_case"), has("workflow"), has("block")
	needBlock := func(id string) {
		if blocks[id] {
			return
		}
		if c, ok := v.ref.Block(id); ok {
			blocks[id] = true
			v.p.Blocks = append(v.p.Blocks, c)
		}
	}
	needWorkflow := func(id string) {
		if workflows[id] {
			return
		}
		if c, ok := v.ref.Workflow(id); ok {
			workflows[id] = true
			v.p.Workflows = append(v.p.Workflows, c)
		}
	}
	needUseCase := func(id string) {
		if useCases[id] {
			return
		}
		if c, ok := v.ref.UseCase(id); ok {
			useCases[id] = true
			v.p.UseCases = append(v.p.UseCases, c)
		}
	}
	for _, pr := range v.p.Programmes {
		for _, id := range pr.UseCases {
			needUseCase(id)
		}
		for _, id := range pr.Blocks {
			needBlock(id)
		}
	}
	// Use cases (own and pulled) may name workflows and blocks; the slice
	// grows as we go, so index rather than range over a copy.
	for i := 0; i < len(v.p.UseCases); i++ {
		for _, id := range v.p.UseCases[i].Workflows {
			needWorkflow(id)
		}
		for _, id := range v.p.UseCases[i].Blocks {
			needBlock(id)
		}
	}
	for i := 0; i < len(v.p.Workflows); i++ {
		for _, id := range v.p.Workflows[i].Blocks {
			needBlock(id)
		}
	}
}

func (v *validator) checkIDs() {
	check := func(kind string, ids []string) {
		seen := map[string]bool{}
		for i, id := range ids {
			switch {
			case strings.TrimSpace(id) == "":
				v.errorf("missing-id", kind, fmt.Sprintf("#%d", i+1), "id", id, "every %s needs a non-empty id", kind)
			case seen[id]:
				v.errorf("duplicate-id", kind, id, "id", id, "the id %q is used by more than one %s", id, kind)
			}
			seen[id] = true
		}
	}
	check("agency", ids(v.p.Agencies, func(x Agency) string { return x.ID }))
	check("goal", ids(v.p.Goals, func(x Goal) string { return x.ID }))
	check("programme", ids(v.p.Programmes, func(x Programme) string { return x.ID }))
	check("use_case", ids(v.p.UseCases, func(x UseCase) string { return x.ID }))
	check("workflow", ids(v.p.Workflows, func(x Workflow) string { return x.ID }))
	check("block", ids(v.p.Blocks, func(x Block) string { return x.ID }))
}

func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func (v *validator) checkSettings() {
	s := v.p.Settings
	if r := s.DiscountRate; r != nil && !(*r > -1 && *r <= 1) {
		v.errorf("bad-discount-rate", "settings", "", "discount_rate", r, "discount_rate must be in (-1, 1] (0.035 is 3.5 %%), not %v", *r)
	}
	if h := s.HorizonYears; h != nil && (*h < 1 || *h > 100) {
		v.errorf("bad-horizon", "settings", "", "horizon_years", h, "horizon_years must be a whole number of years from 1 to 100, not %d", *h)
	}
	if y := s.StartYear; y != nil && !validYear(*y) {
		v.errorf("bad-year", "settings", "", "start_year", y, "start_year must be a year from 1900 to 2200, not %d", *y)
	}
	if ob := s.OptimismBias; ob != nil && (!finite(*ob) || *ob < 0) {
		v.errorf("bad-optimism-bias", "settings", "", "optimism_bias", ob, "optimism_bias must be 0 or more (0.2 adds 20 %% to one-off costs), not %v", *ob)
	}
	for _, f := range []*float64{s.DiscountRate} {
		if f != nil && !finite(*f) {
			v.errorf("not-finite", "settings", "", "discount_rate", f, "discount_rate must be a finite number")
		}
	}
}

func validYear(y int) bool { return y >= 1900 && y <= 2200 }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func (v *validator) checkReferences() {
	agencies := set(ids(v.p.Agencies, func(x Agency) string { return x.ID }))
	goals := set(ids(v.p.Goals, func(x Goal) string { return x.ID }))
	useCases := set(ids(v.p.UseCases, func(x UseCase) string { return x.ID }))
	workflows := set(ids(v.p.Workflows, func(x Workflow) string { return x.ID }))
	blocks := set(ids(v.p.Blocks, func(x Block) string { return x.ID }))

	ref := func(kind, id, field, targetKind string, known map[string]bool, target string) {
		if known[target] {
			return
		}
		msg := fmt.Sprintf("%s %q is neither in the portfolio nor in the catalogue", strings.ReplaceAll(targetKind, "_", " "), target)
		if targetKind == "agency" || targetKind == "goal" || targetKind == "programme" {
			msg = fmt.Sprintf("%s %q is not defined in the portfolio", targetKind, target)
		}
		v.ps = append(v.ps, Problem{Severity: SeverityError, Code: "unknown-reference", Kind: kind, ID: id,
			Field: field, Value: target, Message: msg, Suggestions: v.suggest(targetKind, target, known)})
	}
	for _, pr := range v.p.Programmes {
		if pr.Agency != "" {
			ref("programme", pr.ID, "agency", "agency", agencies, pr.Agency)
		}
		for _, g := range pr.Goals {
			ref("programme", pr.ID, "goals", "goal", goals, g)
		}
		for _, u := range pr.UseCases {
			ref("programme", pr.ID, "use_cases", "use_case", useCases, u)
		}
		for _, b := range pr.Blocks {
			ref("programme", pr.ID, "blocks", "block", blocks, b)
		}
	}
	for _, u := range v.p.UseCases {
		for _, w := range u.Workflows {
			ref("use_case", u.ID, "workflows", "workflow", workflows, w)
		}
		for _, b := range u.Blocks {
			ref("use_case", u.ID, "blocks", "block", blocks, b)
		}
		for _, t := range u.SDGTargets {
			v.checkTarget("use_case", u.ID, t)
		}
	}
	for _, w := range v.p.Workflows {
		for _, b := range w.Blocks {
			ref("workflow", w.ID, "blocks", "block", blocks, b)
		}
	}
	for _, g := range v.p.Goals {
		for _, t := range g.SDGTargets {
			v.checkTarget("goal", g.ID, t)
		}
		if g.Priority != nil && *g.Priority < 1 {
			v.errorf("bad-priority", "goal", g.ID, "priority", g.Priority, "priority is a whole number from 1 (highest), not %d", *g.Priority)
		}
	}
	for _, b := range v.p.Blocks {
		if b.Status != "" && b.Status != StatusPlanned && b.Status != StatusExisting {
			v.errorf("bad-status", "block", b.ID, "status", b.Status, "status must be %q or %q, not %q", StatusPlanned, StatusExisting, b.Status)
		}
	}
}

func (v *validator) checkTarget(kind, id, code string) {
	if _, ok := v.ref.SDGTarget(code); ok {
		return
	}
	v.ps = append(v.ps, Problem{Severity: SeverityError, Code: "unknown-sdg-target", Kind: kind, ID: id,
		Field: "sdg_targets", Value: code,
		Message:     fmt.Sprintf("%q is not an SDG target; targets are written as the UN codes, such as \"3.2\", \"17.19\" or \"1.a\"", code),
		Suggestions: v.suggest("sdg_target", code, nil)})
}

// suggest proposes up to three close matches, from the portfolio's own ids
// and, when the reference can, the catalogue.
func (v *validator) suggest(kind, text string, local map[string]bool) []string {
	if v.suggested++; v.suggested > maxSuggested || len(text) > 200 {
		return nil
	}
	type cand struct {
		s string
		d int
	}
	var cs []cand
	lt := strings.ToLower(text)
	for id := range local {
		d := EditDistance(lt, strings.ToLower(id))
		if d <= max(2, len([]rune(text))/3) {
			cs = append(cs, cand{id, d})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.s, b.s)
	})
	var out []string
	for _, c := range cs {
		out = append(out, c.s)
	}
	if s, ok := v.ref.(Suggester); ok && kind != "agency" && kind != "goal" && kind != "programme" {
		for _, x := range s.Suggest(kind, text, 3) {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func (v *validator) checkAmount(kind, id, field string, a Amount) {
	if !a.Set {
		return
	}
	for _, x := range []float64{a.Low, a.Likely, a.High} {
		if !finite(x) {
			v.errorf("not-finite", kind, id, field, x, "%s must be a finite number, not %v", field, x)
			return
		}
	}
	if a.Low < 0 || a.Likely < 0 || a.High < 0 {
		val := fmt.Sprint(a.Likely)
		if a.Range {
			val = fmt.Sprintf("%v/%v/%v", a.Low, a.Likely, a.High)
		}
		v.errorf("negative-amount", kind, id, field, val, "%s must not be negative (%s)", field, val)
		return
	}
	if a.Low > a.Likely || a.Likely > a.High {
		v.errorf("bad-range", kind, id, field, fmt.Sprintf("%v/%v/%v", a.Low, a.Likely, a.High),
			"%s range must have low ≤ likely ≤ high, not low %v, likely %v, high %v", field, a.Low, a.Likely, a.High)
	}
}

func (v *validator) checkAmounts() {
	for _, b := range v.p.Blocks {
		v.checkAmount("block", b.ID, "build_cost", b.BuildCost)
		v.checkAmount("block", b.ID, "annual_run_cost", b.AnnualRunCost)
		v.checkAmount("block", b.ID, "integration_cost", b.IntegrationCost)
		v.checkAmount("block", b.ID, "per_consumer_run_cost", b.PerConsumerRunCost)
	}
	for _, pr := range v.p.Programmes {
		v.checkAmount("programme", pr.ID, "own_build_cost", pr.OwnBuildCost)
		v.checkAmount("programme", pr.ID, "own_annual_cost", pr.OwnAnnualCost)
		v.checkAmount("programme", pr.ID, "annual_benefit", pr.AnnualBenefit)
		if b := pr.Beneficiaries; b != nil {
			if !finite(*b) {
				v.errorf("not-finite", "programme", pr.ID, "beneficiaries", b, "beneficiaries must be a finite number")
			} else if *b < 0 {
				v.errorf("negative-amount", "programme", pr.ID, "beneficiaries", b, "beneficiaries must not be negative (%v)", *b)
			}
		}
	}
}

func (v *validator) checkYears() {
	for _, pr := range v.p.Programmes {
		for _, f := range []struct {
			name string
			y    *int
		}{{"start_year", pr.StartYear}, {"end_year", pr.EndYear}, {"benefit_start_year", pr.BenefitStartYear}} {
			if f.y != nil && !validYear(*f.y) {
				v.errorf("bad-year", "programme", pr.ID, f.name, f.y, "%s must be a year from 1900 to 2200, not %d", f.name, *f.y)
			}
		}
		if pr.StartYear != nil && pr.EndYear != nil && *pr.EndYear < *pr.StartYear {
			v.errorf("end-before-start", "programme", pr.ID, "end_year", pr.EndYear,
				"end_year %d is before start_year %d", *pr.EndYear, *pr.StartYear)
		}
	}
}

// warn adds the warnings of §8: the plan is computed, but a planner should
// look at these.
func (v *validator) warn() {
	if v.ps.HasErrors() {
		return // warnings about a graph with broken links would mislead
	}
	first, last := planWindow(v.p)
	g := NewGraph(v.p)
	used := map[string]bool{}
	firstNeed := map[string]int{} // block → earliest start of an active consumer
	for _, pr := range v.p.Programmes {
		s, e := first, last
		if pr.StartYear != nil {
			s = *pr.StartYear
		}
		if pr.EndYear != nil {
			e = *pr.EndYear
		}
		active := max(s, first) <= min(e, last)
		switch {
		case !active:
			v.warnf("programme-outside-plan", "programme", pr.ID, "start_year",
				"programme %s runs %d–%d, outside the plan %d–%d: it takes no part in any figure", pr.ID, s, e, first, last)
		case s < first:
			v.warnf("programme-before-plan", "programme", pr.ID, "start_year",
				"programme %s started in %d, before the plan (%d): its one-off costs are sunk and not counted", pr.ID, s, first)
		}
		if len(pr.Goals) == 0 {
			v.warnf("programme-no-goal", "programme", pr.ID, "goals", "programme %s serves no national goal: its figures go to \"_unmapped\"", pr.ID)
		}
		if len(pr.UseCases) == 0 && len(pr.Blocks) == 0 {
			v.warnf("programme-no-use-case", "programme", pr.ID, "use_cases", "programme %s has no use case and no block: it needs no building block", pr.ID)
		}
		for _, b := range pr.Blocks {
			v.warnf("untraced-block-link", "programme", pr.ID, "blocks",
				"programme %s is linked to block %s directly, with no use case to say why", pr.ID, b)
		}
		if active {
			for _, b := range g.ProgrammeBlocks(pr.ID) {
				if y, ok := firstNeed[b]; !used[b] || (ok && s < y) {
					firstNeed[b] = s
				}
				used[b] = true
			}
		}
	}
	for _, gl := range v.p.Goals {
		if len(g.GoalProgrammes(gl.ID)) == 0 {
			v.warnf("goal-no-programme", "goal", gl.ID, "", "goal %s has no programme pursuing it", gl.ID)
		}
	}
	for _, u := range v.p.UseCases {
		if len(g.UseCaseProgrammes(u.ID)) > 0 && len(u.Workflows) == 0 && len(u.Blocks) == 0 {
			v.warnf("use-case-no-workflow", "use_case", u.ID, "workflows", "use case %s has no workflow and no block: it needs no building block", u.ID)
		}
	}
	for _, b := range v.p.Blocks {
		if used[b.ID] && !b.HasCost() {
			v.warnf("block-no-cost", "block", b.ID, "", "block %s is needed but has no cost: it counts as free", b.ID)
		}
		// The cost model takes the shared build of a block first needed
		// before the plan as already paid (f_b outside the plan): right for
		// a platform that exists, flattering for one still to build.
		if used[b.ID] && b.StatusOrDefault() == StatusPlanned && b.BuildCost.Likely > 0 && firstNeed[b.ID] < first {
			v.warnf("block-build-before-plan", "block", b.ID, "status",
				"block %s is planned but first needed in %d, before the plan (%d): its shared build cost is taken as already paid; if it is not built yet, start the programmes that need it in the plan or mark the block existing", b.ID, firstNeed[b.ID], first)
		}
	}
}

// Slug makes an id from a name: lower case ASCII letters, digits and
// dashes ("Plan numérique 2026–2030" → "plan-numerique-2026-2030").
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldAccents(strings.ToLower(name)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 64 {
		s = strings.TrimSuffix(s[:64], "-")
	}
	return s
}

// foldAccents strips the common Latin accents, enough for ids and matching
// of French and English names without a dependency.
func foldAccents(s string) string {
	return accentFolder.Replace(s)
}

var accentFolder = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "å", "a",
	"ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "í", "i", "ì", "i",
	"ô", "o", "ö", "o", "ó", "o", "ò", "o", "õ", "o",
	"ù", "u", "û", "u", "ü", "u", "ú", "u", "ÿ", "y", "ñ", "n",
	"œ", "oe", "æ", "ae",
	"À", "A", "Â", "A", "Ç", "C", "É", "E", "È", "E", "Ê", "E", "Î", "I", "Ô", "O", "Ù", "U", "Û", "U",
)

// planWindow is the plan's first and last year, with the cost model's
// defaults.
func planWindow(p *Portfolio) (int, int) {
	o := EffectiveSettings(p.Settings, p.Programmes)
	return o.StartYear, o.StartYear + o.HorizonYears - 1
}

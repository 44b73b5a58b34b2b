package catalog

import (
	"blockplan/model"

	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize is the form in which names are compared: accents folded, lower
// case, and only letters and digits kept, so that "Identification &
// Authentication", "identification_and_authentication" and
// "IDENTIFICATION-AND-AUTHENTICATION" are all "identificationauthentication".
//
// Connectors are dropped: '&' like any punctuation, and the words "and" and
// "et" when they stand alone. Spreadsheets write "Work Planning &
// Coordination" as often as "Work planning and coordination", and a French
// name with "et" must not fail to match because an importer wrote "&".
// Dropping them (rather than spelling '&' as "and") treats all three alike.
func Normalize(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if w == "and" || w == "et" {
			continue
		}
		b.WriteString(w)
	}
	return b.String()
}

// ligatures are letters that do not decompose into a base letter and marks.
var ligatures = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss",
	"ø", "o", "Ø", "o", "đ", "d", "Đ", "d", "ł", "l", "Ł", "l")

// fold lower-cases s and removes its accents (é → e, ç → c, œ → oe).
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(ligatures.Replace(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// codePrefixes are the words people put before an SDG code ("SDG 3.2",
// "Target 9.c", « ODD 3 », « cible 1.a »), longest first.
var codePrefixes = []string{"indicateur", "indicator", "objectif", "target", "cible", "goal", "sdg", "odd"}

// codeKey is an SDG code as people write it, reduced to the catalogue's form
// ("SDG 9.C" → "9.c"), or "" when text is not a code.
func codeKey(text string) string {
	s := strings.Join(strings.Fields(fold(text)), "")
	for _, p := range codePrefixes {
		if strings.HasPrefix(s, p) {
			s = strings.TrimLeft(s[len(p):], ":#-")
			break
		}
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return ""
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r == '.') {
			return ""
		}
	}
	return s
}

// kindIndex holds the matching keys of one kind.
type kindIndex struct {
	code   bool                // SDG kinds: ids are codes, matched with codeKey
	names  bool                // names are short enough to suggest by distance
	byID   map[string][]string // id key -> ids
	byName map[string][]string // Normalize(name or alias) -> ids, catalogue order
	yields map[string]bool     // ids that give way on a shared name (GovStack use cases)
	keys   []suggestKey        // for Suggest
}

type suggestKey struct {
	key string
	id  string
	pos int // the entry's place in the catalogue, to break ties
}

func (ix *kindIndex) idKey(s string) string {
	if ix.code {
		return codeKey(s)
	}
	return Normalize(s)
}

func (ix *kindIndex) addID(id string, pos int) {
	k := ix.idKey(id)
	ix.byID[k] = appendNew(ix.byID[k], id)
	ix.keys = append(ix.keys, suggestKey{k, id, pos})
}

func (ix *kindIndex) addName(name, id string, pos int) string {
	k := Normalize(name)
	if k == "" {
		return ""
	}
	ix.byName[k] = appendNew(ix.byName[k], id)
	if ix.names {
		ix.keys = append(ix.keys, suggestKey{k, id, pos})
	}
	return k
}

func appendNew(ids []string, id string) []string {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// buildIndexes builds the matching indexes and reports, through bad, aliases
// that normalize to nothing or could mean another entry of the same kind.
func (c *Catalog) buildIndexes(bad func(string, ...any)) map[string]*kindIndex {
	type entry struct {
		id      string
		names   []string
		aliases []string
	}
	entries := map[string][]entry{}
	for _, g := range c.doc.Goals {
		entries[KindGoal] = append(entries[KindGoal], entry{g.ID, []string{g.Name.EN, g.Name.FR, g.Title.EN, g.Title.FR}, g.Aliases})
	}
	for _, t := range c.doc.Targets {
		entries[KindTarget] = append(entries[KindTarget], entry{t.ID, []string{t.Name.EN, t.Name.FR}, nil})
	}
	for _, in := range c.doc.Indicators {
		entries[KindIndicator] = append(entries[KindIndicator], entry{in.ID, []string{in.Name.EN, in.Name.FR}, nil})
	}
	for _, b := range c.doc.Blocks {
		entries[KindBlock] = append(entries[KindBlock], entry{b.ID, []string{b.Name.EN, b.Name.FR}, b.Aliases})
	}
	for _, w := range c.doc.Workflows {
		entries[KindWorkflow] = append(entries[KindWorkflow], entry{w.ID, []string{w.Name.EN, w.Name.FR}, w.Aliases})
	}
	for _, u := range c.doc.UseCases {
		entries[KindUseCase] = append(entries[KindUseCase], entry{u.ID, []string{u.Name.EN, u.Name.FR}, u.Aliases})
	}

	out := map[string]*kindIndex{}
	for _, kind := range kinds {
		ix := &kindIndex{
			code:   kind == KindGoal || kind == KindTarget || kind == KindIndicator,
			byID:   map[string][]string{},
			byName: map[string][]string{},
			// Target and indicator texts are sentences: no typo of one is
			// worth suggesting by distance.
			names:  kind != KindTarget && kind != KindIndicator,
			yields: map[string]bool{},
		}
		if kind == KindUseCase {
			for _, u := range c.doc.UseCases {
				if u.Source == SourceGovStack {
					ix.yields[u.ID] = true
				}
			}
		}
		for pos, e := range entries[kind] {
			ix.addID(e.id, pos)
			for _, n := range e.names {
				ix.addName(n, e.id, pos)
			}
		}
		for pos, e := range entries[kind] {
			for _, a := range e.aliases {
				if ix.addName(a, e.id, pos) == "" {
					bad("%s %q: alias %q has no letter or digit", kind, e.id, a)
				}
			}
		}
		// An alias must mean its own entry and nothing else: no other
		// entry's id, name or alias may share its key.
		for _, e := range entries[kind] {
			for _, a := range e.aliases {
				k := Normalize(a)
				others := slices.DeleteFunc(slices.Clone(ix.byName[k]), func(id string) bool { return id == e.id })
				for _, id := range ix.byID[ix.idKey(a)] {
					if id != e.id {
						others = appendNew(others, id)
					}
				}
				if len(others) > 0 {
					bad("%s %q: alias %q also matches %s", kind, e.id, a, strings.Join(others, ", "))
				}
			}
		}
		out[kind] = ix
	}
	return out
}

// Lookup is the ids of the entries of kind ("block", "workflow", "use_case",
// "sdg_target", "sdg_goal", "sdg_indicator") that text names, for importers
// that accept names where ids are expected. Text matches, in this order and
// without regard to case, accents or punctuation (see Normalize): an id (for
// SDG kinds a code, also written "SDG 3.2", "Target 1.a", « ODD 3 »); else an
// English or French name or an alias. Where a framework use case and a
// GovStack one share a name (Market Linkage, Remote Learning, Postpartum and
// Infant Care, Unconditional Social Cash Transfer), the name means the
// framework's, in either language; the GovStack one is reached by its id
// ("AGR-1") or an alias.
//
// Nil means nothing matches; more than one id means text is ambiguous (a name
// two entries share, such as a repeated SDG indicator's text) and the caller
// should ask for an id. An unknown kind matches nothing.
func (c *Catalog) Lookup(kind, text string) []string {
	ix := c.match[kind]
	if ix == nil {
		return nil
	}
	if c.has(kind, text) {
		return []string{text}
	}
	if k := ix.idKey(text); k != "" {
		if ids := ix.byID[k]; len(ids) > 0 {
			return slices.Clone(ids)
		}
	}
	if k := Normalize(text); k != "" {
		ids := slices.Clone(ix.byName[k])
		if kept := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return ix.yields[id] }); len(kept) > 0 {
			ids = kept
		}
		return ids
	}
	return nil
}

// Suggest is up to n ids of kind whose id, name or alias is closest to text
// (edit distance between normalized forms), closest first, for "did you
// mean" in error messages. Entries too far from text to be a plausible typo
// are left out, so the list may be short or empty.
func (c *Catalog) Suggest(kind, text string, n int) []string {
	ix := c.match[kind]
	if ix == nil || n <= 0 {
		return nil
	}
	q := ix.idKey(text)
	if q == "" {
		q = Normalize(text)
	}
	if q == "" {
		return nil
	}
	limit := max(2, len([]rune(q))/3)
	type hit struct {
		id     string
		d, pos int
	}
	best := map[string]hit{}
	for _, k := range ix.keys {
		d := model.EditDistance(q, k.key)
		if d > limit && !contains(q, k.key) {
			continue
		}
		if h, seen := best[k.id]; !seen || d < h.d {
			best[k.id] = hit{k.id, d, k.pos}
		}
	}
	hits := make([]hit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.pos, b.pos))
	})
	var out []string
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.id)
	}
	return out
}

// contains reports whether one of a, b holds the other and the shorter is
// long enough (4 letters) for that to mean something: "payment gateway"
// suggests payments.
func contains(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 4 && strings.Contains(b, a)
}

// CompareCodes orders SDG codes naturally: by goal, then numbered targets
// before lettered ones, numbers by value ("1.2" < "1.10" < "1.a";
// "17.2" < "17.19"; "3.2.1" after "3.2"). It returns -1, 0 or +1.
func CompareCodes(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(pa), len(pb)) {
		na, errA := strconv.Atoi(pa[i])
		nb, errB := strconv.Atoi(pb[i])
		var c int
		switch {
		case errA == nil && errB == nil:
			c = cmp.Compare(na, nb)
		case errA == nil:
			c = -1
		case errB == nil:
			c = 1
		default:
			c = strings.Compare(pa[i], pb[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(pa), len(pb))
}

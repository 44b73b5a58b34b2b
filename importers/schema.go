package importers

import (
	"reflect"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"blockplan/model"
)

// fieldKind says how a column's cells are read and written.
type fieldKind int

const (
	kText     fieldKind = iota // free text
	kID                        // the entity's own id
	kWhole                     // *int: years, priority
	kNumber                    // *float64: beneficiaries
	kAmount                    // model.Amount, with _low and _high companions
	kRef                       // one reference (a programme's agency)
	kRefList                   // a list of references
	kCodeList                  // SDG target codes
	kStatus                    // a block's status
)

// Parts of an amount: the three columns X_low, X, X_high.
const (
	partLikely = iota
	partLow
	partHigh
)

// column is one column of a sheet: its JSON field, its headers and how to
// read it.
type column struct {
	field   string // JSON field name, the English header (without _low/_high)
	part    int    // for amounts
	fr      string // French header
	kind    fieldKind
	target  string // referenced kind for kRef/kRefList/kCodeList
	help    string // input message, English
	helpFR  string
	width   float64
	aliases []string // further accepted headers
}

// header is the column's header in lang.
func (c column) header(lang string) string {
	if lang == "fr" {
		switch c.part {
		case partLow:
			return c.fr + " (bas)"
		case partHigh:
			return c.fr + " (haut)"
		}
		return c.fr
	}
	switch c.part {
	case partLow:
		return c.field + "_low"
	case partHigh:
		return c.field + "_high"
	}
	return c.field
}

// headers are every header the column answers to, normalised.
func (c column) headers() []string {
	out := []string{headerKey(c.header("en")), headerKey(c.header("fr"))}
	suffixes := map[int][]string{partLow: {"low", "min", "minimum", "bas", "basse"}, partHigh: {"high", "max", "maximum", "haut", "haute"}}
	for _, base := range append([]string{c.field, c.fr}, c.aliases...) {
		if c.part == partLikely {
			out = append(out, headerKey(base))
			continue
		}
		for _, s := range suffixes[c.part] {
			out = append(out, headerKey(base+" "+s))
		}
	}
	return out
}

// sheetDef is one sheet of the workbook (one CSV file of a folder).
type sheetDef struct {
	name    string // English sheet name
	fr      string
	csv     string // English CSV file name
	csvFR   string
	kind    string // entity kind as model.Problem.Kind names it
	aliases []string
	cols    []column
	typ     reflect.Type
}

func (s *sheetDef) title(lang string) string {
	if lang == "fr" {
		return s.fr
	}
	return s.name
}

func (s *sheetDef) csvName(lang string) string {
	if lang == "fr" {
		return s.csvFR
	}
	return s.csv
}

// The Settings sheet is two columns, key and value.
var settingsDef = &sheetDef{name: "Settings", fr: "Paramètres", csv: "settings.csv", csvFR: "parametres.csv", kind: "settings",
	aliases: []string{"Parametres", "Réglages", "Options"},
	cols: []column{
		{field: "key", fr: "clé", kind: kText, width: 24, aliases: []string{"cle", "setting", "paramètre", "parametre"},
			help: "The name of the setting. Leave the names as they are.", helpFR: "Le nom du paramètre. Ne modifiez pas ces noms."},
		{field: "value", fr: "valeur", kind: kText, width: 40,
			help: "The value. Empty = the default.", helpFR: "La valeur. Vide = la valeur par défaut."},
	}}

// setting is one row of the Settings sheet.
type setting struct {
	key, fr string
	aliases []string
	kind    fieldKind // kText, kWhole, kNumber (a rate)
	help    string
	helpFR  string
	example string
}

var settingsRows = []setting{
	{"id", "identifiant", nil, kText, "Short id of the portfolio (letters, digits, dashes). Empty = made from the name.", "Identifiant court du portefeuille. Vide = dérivé du nom.", "sen-2026"},
	{"name", "nom", []string{"titre", "title"}, kText, "Name of the plan.", "Nom du plan.", "Digital investment plan 2026–2030"},
	{"name_fr", "nom (FR)", []string{"nom français", "nom en français", "titre (FR)", "title (FR)", "french name"}, kText, "Name of the plan in French, if different.", "Nom du plan en français.", "Plan d'investissement numérique 2026–2030"},
	{"country", "pays", nil, kText, "ISO 3166 alpha-3 country code, e.g. SEN.", "Code pays ISO 3166 alpha-3, p. ex. SEN.", "SEN"},
	{"currency", "devise", []string{"monnaie"}, kText, "ISO 4217 currency code of every amount, e.g. USD, XOF.", "Code ISO 4217 de la devise de tous les montants, p. ex. XOF.", "USD"},
	{"start_year", "année de début", nil, kWhole, "First year of the plan. Default 2026.", "Première année du plan. Par défaut 2026.", "2026"},
	{"horizon_years", "horizon (années)", []string{"horizon"}, kWhole, "Number of years the plan covers. Default 5.", "Nombre d'années couvertes par le plan. Par défaut 5.", "5"},
	{"discount_rate", "taux d'actualisation", nil, kNumber, "Real discount rate: 0.035 or 3.5 %. Default 3.5 %.", "Taux d'actualisation réel : 0,035 ou 3,5 %. Par défaut 3,5 %.", "3.5%"},
	{"optimism_bias", "biais d'optimisme", nil, kNumber, "Uplift on one-off costs: 0.2 or 20 %. Default 0.", "Majoration des coûts ponctuels : 0,2 ou 20 %. Par défaut 0.", "0"},
}

var (
	idCol = func(help, helpFR string) column {
		return column{field: "id", fr: "Identifiant", kind: kID, width: 16, aliases: []string{"identifier", "code", "id."},
			help: help, helpFR: helpFR}
	}
	nameCol   = column{field: "name", fr: "Nom", kind: kText, width: 36, aliases: []string{"nom (en)", "name (en)", "libellé"}, help: "Name in English (or in the plan's language).", helpFR: "Nom en anglais (ou dans la langue du plan)."}
	nameFRCol = column{field: "name_fr", fr: "Nom (FR)", kind: kText, width: 36, aliases: []string{"nom français", "nom en français", "french name"}, help: "Name in French, if different.", helpFR: "Nom en français."}
	descCol   = column{field: "description", fr: "Description", kind: kText, width: 48, help: "Short description.", helpFR: "Brève description (anglais)."}
	descFRCol = column{field: "description_fr", fr: "Description (FR)", kind: kText, width: 48, help: "Description in French.", helpFR: "Description en français."}
	sdgCol    = column{field: "sdg_targets", fr: "Cibles ODD", kind: kCodeList, target: "sdg_target", width: 18, aliases: []string{"sdg targets", "cibles des odd", "odd"},
		help: "UN SDG target codes, separated by ; — e.g. 3.1; 3.2; 17.19", helpFR: "Codes des cibles ODD de l'ONU, séparés par ; — p. ex. 3.1; 3.2; 17.19"}
	blocksCol = column{field: "blocks", fr: "Blocs", kind: kRefList, target: "block", width: 36, aliases: []string{"building blocks", "blocs de construction", "blocs fonctionnels"},
		help: "Building blocks: ids or names, separated by ;", helpFR: "Blocs : identifiants ou noms, séparés par ;"}
)

func amountCols(field, fr, help, helpFR string) []column {
	c := column{field: field, fr: fr, kind: kAmount, width: 16, help: help + " Range: fill _low and _high too.", helpFR: helpFR + " Fourchette : remplir aussi (bas) et (haut)."}
	lo, hi := c, c
	lo.part, hi.part = partLow, partHigh
	lo.help, lo.helpFR = "Low end of the range (optional).", "Bas de la fourchette (facultatif)."
	hi.help, hi.helpFR = "High end of the range (optional).", "Haut de la fourchette (facultatif)."
	return []column{lo, c, hi}
}

func cat(parts ...any) []column {
	var out []column
	for _, p := range parts {
		switch x := p.(type) {
		case column:
			out = append(out, x)
		case []column:
			out = append(out, x...)
		}
	}
	return out
}

var agenciesDef = &sheetDef{name: "Agencies", fr: "Agences", csv: "agencies.csv", csvFR: "agences.csv", kind: "agency",
	aliases: []string{"Organismes", "Ministères", "Ministries"}, typ: reflect.TypeFor[model.Agency](),
	cols: cat(idCol("Short id of the ministry or agency, e.g. moh.", "Identifiant court du ministère ou de l'organisme, p. ex. msas."), nameCol, nameFRCol)}

var goalsDef = &sheetDef{name: "Goals", fr: "Objectifs", csv: "goals.csv", csvFR: "objectifs.csv", kind: "goal",
	aliases: []string{"National goals", "Objectifs nationaux"}, typ: reflect.TypeFor[model.Goal](),
	cols: cat(idCol("Short id of the national goal, e.g. NG1.", "Identifiant court de l'objectif national, p. ex. ON1."), nameCol, nameFRCol, sdgCol,
		column{field: "priority", fr: "Priorité", kind: kWhole, width: 10, help: "Whole number, 1 = highest.", helpFR: "Nombre entier, 1 = la plus haute."})}

var programmesDef = &sheetDef{name: "Programmes", fr: "Programmes", csv: "programmes.csv", csvFR: "programmes.csv", kind: "programme",
	aliases: []string{"Programs", "Projets", "Projects"}, typ: reflect.TypeFor[model.Programme](),
	cols: cat(idCol("Short id of the programme, e.g. P1.", "Identifiant court du programme, p. ex. P1."), nameCol, nameFRCol,
		column{field: "agency", fr: "Agence", kind: kRef, target: "agency", width: 16, aliases: []string{"organisme", "ministère", "ministry"},
			help: "The agency that runs it: an id or name from the Agencies sheet.", helpFR: "L'organisme qui le mène : identifiant ou nom de la feuille Agences."},
		column{field: "goals", fr: "Objectifs", kind: kRefList, target: "goal", width: 18, aliases: []string{"objectifs nationaux", "national goals"},
			help: "National goals it pursues: ids or names from the Goals sheet, separated by ;", helpFR: "Objectifs nationaux : identifiants ou noms de la feuille Objectifs, séparés par ;"},
		column{field: "use_cases", fr: "Cas d'usage", kind: kRefList, target: "use_case", width: 36, aliases: []string{"cas d'utilisation"},
			help: "Use cases it delivers: ids or names (UseCases sheet or catalogue), separated by ;", helpFR: "Cas d'usage : identifiants ou noms (feuille Cas d'usage ou catalogue), séparés par ;"},
		blocksCol,
		column{field: "start_year", fr: "Année de début", kind: kWhole, width: 10, aliases: []string{"début", "start"}, help: "First year, e.g. 2026. Empty = start of the plan.", helpFR: "Première année, p. ex. 2026. Vide = début du plan."},
		column{field: "end_year", fr: "Année de fin", kind: kWhole, width: 10, aliases: []string{"fin", "end"}, help: "Last year. Empty = end of the plan.", helpFR: "Dernière année. Vide = fin du plan."},
		column{field: "beneficiaries", fr: "Bénéficiaires", kind: kNumber, width: 14, help: "Number of people reached.", helpFR: "Nombre de personnes touchées."},
		amountCols("own_build_cost", "Coût de construction propre", "One-off cost of the programme itself, outside building blocks.", "Coût ponctuel propre au programme, hors blocs."),
		amountCols("own_annual_cost", "Coût annuel propre", "Yearly cost of the programme itself, outside building blocks.", "Coût annuel propre au programme, hors blocs."),
		amountCols("annual_benefit", "Bénéfice annuel", "Yearly benefit, in money.", "Bénéfice annuel, en monnaie."),
		column{field: "benefit_start_year", fr: "Année de début des bénéfices", kind: kWhole, width: 10, help: "First year of benefits. Empty = start year.", helpFR: "Première année des bénéfices. Vide = année de début."},
	)}

var useCasesDef = &sheetDef{name: "UseCases", fr: "Cas d'usage", csv: "use_cases.csv", csvFR: "cas_d_usage.csv", kind: "use_case",
	aliases: []string{"Use cases", "Cas d'utilisation"}, typ: reflect.TypeFor[model.UseCase](),
	cols: cat(idCol("Id of the use case: a catalogue id to reuse it, or your own.", "Identifiant du cas d'usage : un identifiant du catalogue pour le reprendre, ou le vôtre."), nameCol, nameFRCol, descCol, descFRCol,
		column{field: "sector", fr: "Secteur", kind: kText, width: 18, help: "Sector, e.g. Health.", helpFR: "Secteur, p. ex. Santé."},
		sdgCol,
		column{field: "workflows", fr: "Flux de travail", kind: kRefList, target: "workflow", width: 40, aliases: []string{"flux", "processus", "workflow"},
			help: "Workflows it runs: ids or names (Workflows sheet or catalogue), separated by ;", helpFR: "Flux de travail : identifiants ou noms (feuille Flux de travail ou catalogue), séparés par ;"},
		blocksCol)}

var workflowsDef = &sheetDef{name: "Workflows", fr: "Flux de travail", csv: "workflows.csv", csvFR: "flux_de_travail.csv", kind: "workflow",
	aliases: []string{"Processus", "Flux"}, typ: reflect.TypeFor[model.Workflow](),
	cols: cat(idCol("Id of the workflow: a catalogue id to reuse it, or your own.", "Identifiant du flux : un identifiant du catalogue pour le reprendre, ou le vôtre."), nameCol, nameFRCol, descCol, descFRCol, blocksCol)}

var blocksDef = &sheetDef{name: "Blocks", fr: "Blocs", csv: "blocks.csv", csvFR: "blocs.csv", kind: "block",
	aliases: []string{"Building blocks", "Blocs de construction", "Blocs fonctionnels"}, typ: reflect.TypeFor[model.Block](),
	cols: cat(idCol("Id of the block: a catalogue id to give its costs, or your own.", "Identifiant du bloc : un identifiant du catalogue pour en donner les coûts, ou le vôtre."), nameCol, nameFRCol, descCol, descFRCol,
		column{field: "status", fr: "Statut", kind: kStatus, width: 12, aliases: []string{"état", "etat"}, help: "planned (default) or existing.", helpFR: "planned (prévu, par défaut) ou existing (existant)."},
		amountCols("build_cost", "Coût de construction", "One-off cost to build one instance.", "Coût ponctuel de construction d'une instance."),
		amountCols("annual_run_cost", "Coût annuel d'exploitation", "Yearly cost to run one instance.", "Coût annuel d'exploitation d'une instance."),
		amountCols("integration_cost", "Coût d'intégration", "One-off cost to connect one programme to a shared instance.", "Coût ponctuel de raccordement d'un programme à une instance partagée."),
		amountCols("per_consumer_run_cost", "Coût d'exploitation par consommateur", "Extra yearly cost of a shared instance per programme using it.", "Coût annuel supplémentaire d'une instance partagée par programme utilisateur."),
	)}

// sheets is every sheet in workbook order.
var sheets = []*sheetDef{settingsDef, agenciesDef, goalsDef, programmesDef, useCasesDef, workflowsDef, blocksDef}

// entitySheets are the sheets of entities (all but Settings).
var entitySheets = sheets[1:]

var (
	sheetIndex  = map[string]*sheetDef{}
	headerIndex = map[*sheetDef]map[string]int{}
	settingKeys = map[string]int{}
	kindSheet   = map[string]*sheetDef{}
)

func init() {
	for _, s := range sheets {
		for _, n := range append([]string{s.name, s.fr, s.csv, s.csvFR, s.kind, s.kind + "s"}, s.aliases...) {
			sheetIndex[headerKey(strings.TrimSuffix(strings.ToLower(n), ".csv"))] = s
		}
		m := map[string]int{}
		for i, c := range s.cols {
			for _, h := range c.headers() {
				if _, dup := m[h]; !dup {
					m[h] = i
				}
			}
		}
		headerIndex[s] = m
		kindSheet[s.kind] = s
	}
	for i, st := range settingsRows {
		settingKeys[headerKey(st.key)] = i
		settingKeys[headerKey(st.fr)] = i
		for _, a := range st.aliases {
			settingKeys[headerKey(a)] = i
		}
	}
}

// headerKey folds a header for matching: no case, accents, spaces,
// underscores or punctuation ("Coût d'intégration" → "coutdintegration").
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// lookupSheet finds the sheet a workbook sheet or CSV file name stands for.
func lookupSheet(name string) *sheetDef {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, ext := range []string{".csv", ".txt", ".tsv"} {
		n = strings.TrimSuffix(n, ext)
	}
	return sheetIndex[headerKey(n)]
}

// closest proposes up to n of the candidates nearest to text (by edit
// distance of the folded forms), for "did you mean".
func closest(text string, candidates []string, n int) []string {
	k := headerKey(text)
	type cand struct {
		s string
		d int
	}
	var cs []cand
	seen := map[string]bool{}
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		ck := headerKey(c)
		d := model.EditDistance(k, ck)
		if strings.HasPrefix(ck, k) || strings.HasPrefix(k, ck) {
			d = min(d, 2)
		}
		if d <= max(2, len([]rune(k))/3) {
			cs = append(cs, cand{c, d})
		}
	}
	for i := 1; i < len(cs); i++ { // insertion sort: short lists
		for j := i; j > 0 && (cs[j].d < cs[j-1].d || (cs[j].d == cs[j-1].d && cs[j].s < cs[j-1].s)); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	var out []string
	for _, c := range cs {
		if len(out) == n {
			break
		}
		out = append(out, c.s)
	}
	return out
}

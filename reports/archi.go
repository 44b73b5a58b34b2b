package reports

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"blockplan/model"
)

// Archi's CSV exchange format (Archi ≥ 4.9, File → Import → CSV): three
// files, every field quoted, UTF-8, CRLF line ends. The first row of
// elements.csv after the header may describe the model itself (Type
// ArchimateModel); IDs may hold only letters, digits, "-" and "_"; a
// relationship must be one ArchiMate allows between its two element types,
// or Archi refuses the whole import.
var (
	ArchiElementsHeader   = []string{"ID", "Type", "Name", "Documentation", "Specialization"}
	ArchiRelationsHeader  = []string{"ID", "Type", "Name", "Documentation", "Source", "Target", "Specialization"}
	ArchiPropertiesHeader = []string{"ID", "Key", "Value"}
)

// File names of the Archi exchange.
const (
	ArchiElementsFile   = "elements.csv"
	ArchiRelationsFile  = "relations.csv"
	ArchiPropertiesFile = "properties.csv"
)

// ArchiMate element types of the export: how each kind of the portfolio
// reads in ArchiMate.
const (
	ArchiModel       = "ArchimateModel"
	ArchiGoal        = "Goal"                 // national goal (motivation)
	ArchiOutcome     = "Outcome"              // SDG target: an end result the goals contribute to
	ArchiWorkPackage = "WorkPackage"          // programme (implementation and migration)
	ArchiService     = "BusinessService"      // use case: a service delivered to people
	ArchiProcess     = "BusinessProcess"      // workflow
	ArchiComponent   = "ApplicationComponent" // building block
)

// ArchiMate relationship types of the export.
const (
	ArchiInfluence   = "InfluenceRelationship"
	ArchiRealization = "RealizationRelationship"
	ArchiServing     = "ServingRelationship"
	ArchiAssociation = "AssociationRelationship"
)

// ArchiAllowed is, for each (source, target) pair of element types the
// export links, the relationships ArchiMate allows between them, from the
// relationship tables of ArchiMate 3.1 (Appendix B) as Archi encodes them in
// com.archimatetool.model/model/relationships.xml. The export uses:
//
//	Goal → Outcome                          Influence    a national goal contributes to an SDG target
//	BusinessService → Outcome               Influence    a use case contributes to an SDG target
//	WorkPackage → Goal                      Realization  a programme pursues (realises) a national goal
//	WorkPackage → BusinessService           Realization  a programme delivers a use case
//	BusinessProcess → BusinessService       Realization  a workflow realises the use case that runs it
//	ApplicationComponent → BusinessProcess  Serving      a block serves a workflow that may use it
//	ApplicationComponent → BusinessService  Serving      a block serves a use case that lists it
//	WorkPackage → ApplicationComponent      Association  a direct programme→block link, which no use case explains
//
// Influence is the motivation layer's "contributes to"; realisation is how
// ArchiMate says that implementation work (a work package) or behaviour (a
// process) brings about what it points at; serving is the application
// layer's support to the business layer; the untraced direct links stay a
// plain association so that they are not mistaken for traced ones.
var ArchiAllowed = map[[2]string][]string{
	{ArchiGoal, ArchiOutcome}:          {ArchiInfluence, ArchiAssociation},
	{ArchiService, ArchiOutcome}:       {ArchiInfluence, ArchiAssociation, ArchiRealization},
	{ArchiWorkPackage, ArchiGoal}:      {ArchiInfluence, ArchiAssociation, ArchiRealization},
	{ArchiWorkPackage, ArchiService}:   {ArchiAssociation, ArchiRealization},
	{ArchiProcess, ArchiService}:       {ArchiAssociation, ArchiRealization, ArchiServing, "FlowRelationship", "TriggeringRelationship"},
	{ArchiComponent, ArchiProcess}:     {ArchiAssociation, ArchiRealization, ArchiServing, "FlowRelationship", "TriggeringRelationship"},
	{ArchiComponent, ArchiService}:     {ArchiAssociation, ArchiRealization, ArchiServing, "FlowRelationship", "TriggeringRelationship"},
	{ArchiWorkPackage, ArchiComponent}: {ArchiAssociation, ArchiRealization},
}

// Archi writes the Archi exchange as a .zip holding elements.csv,
// relations.csv and properties.csv.
func Archi(w io.Writer, in Input) error {
	files, err := archiFiles(in)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{ArchiElementsFile, ArchiRelationsFile, ArchiPropertiesFile} {
		hdr := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: in.Generated.UTC()}
		f, err := zw.CreateHeader(hdr)
		if err != nil {
			return fmt.Errorf("archi export: %w", err)
		}
		if _, err := f.Write(files[name]); err != nil {
			return fmt.Errorf("archi export: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("archi export: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// ArchiFiles writes the three files of the Archi exchange into dir (created
// if missing). Each file is written to a temporary name and renamed, so that
// a failure leaves no half-written file.
func ArchiFiles(dir string, in Input) error {
	files, err := archiFiles(in)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("archi export: %w", err)
	}
	for _, name := range []string{ArchiElementsFile, ArchiRelationsFile, ArchiPropertiesFile} {
		tmp, err := os.CreateTemp(dir, "."+name+".*")
		if err != nil {
			return fmt.Errorf("archi export: %w", err)
		}
		_, werr := tmp.Write(files[name])
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), filepath.Join(dir, name))
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("archi export %s: %w", name, werr)
		}
	}
	return nil
}

// archiWriter collects the rows of the three files.
type archiWriter struct {
	*view
	ids                map[string]string // kind:id → Archi id
	used               map[string]bool
	links              map[string]bool // relationship ids written
	elems, rels, props bytes.Buffer
}

// archiID is a valid Archi id for kind:id, the same for the same input:
// "goal-NG1" when the portfolio id is made of allowed characters, else the
// cleaned id with a short hash of the original.
var archiIDChars = regexp.MustCompile(`[^A-Za-z0-9_-]`)

func (a *archiWriter) id(kind, id string) string {
	key := kind + ":" + id
	if s, ok := a.ids[key]; ok {
		return s
	}
	s := kind + "-" + archiIDChars.ReplaceAllString(id, "_")
	if s != kind+"-"+id || a.used[s] {
		sum := sha1.Sum([]byte(key))
		s += "-" + hex.EncodeToString(sum[:4])
	}
	a.ids[key] = s
	a.used[s] = true
	return s
}

// row writes one CSV record, every field quoted, CRLF-terminated.
func row(buf *bytes.Buffer, fields ...string) {
	for i, f := range fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('"')
		buf.WriteString(strings.ReplaceAll(f, `"`, `""`))
		buf.WriteByte('"')
	}
	buf.WriteString("\r\n")
}

func (a *archiWriter) element(archiID, typ, name, doc string) {
	row(&a.elems, archiID, typ, name, doc, "")
}

func (a *archiWriter) relation(typ, name, source, target string) {
	sum := sha1.Sum([]byte(typ + "|" + source + "|" + target))
	id := "rel-" + hex.EncodeToString(sum[:8])
	if a.links[id] {
		return
	}
	a.links[id] = true
	row(&a.rels, id, typ, name, "", source, target, "")
}

func (a *archiWriter) prop(archiID, key, value string) {
	if value == "" {
		return
	}
	row(&a.props, archiID, key, value)
}

func (a *archiWriter) money(archiID, key string, v float64) {
	a.prop(archiID, a.moneyHead(key), a.view.money(v))
}

func archiFiles(in Input) (map[string][]byte, error) {
	v, err := newView(in)
	if err != nil {
		return nil, err
	}
	a := &archiWriter{view: v, ids: map[string]string{}, used: map[string]bool{}, links: map[string]bool{}}
	row(&a.elems, ArchiElementsHeader...)
	row(&a.rels, ArchiRelationsHeader...)
	row(&a.props, ArchiPropertiesHeader...)
	a.build()
	return map[string][]byte{
		ArchiElementsFile:   a.elems.Bytes(),
		ArchiRelationsFile:  a.rels.Bytes(),
		ArchiPropertiesFile: a.props.Bytes(),
	}, nil
}

func (a *archiWriter) build() {
	p, r := a.p, a.r
	idKey := "blockplan id"
	if a.lang == LangFR {
		idKey = "identifiant blockplan"
	}

	// The model.
	mid := a.id("model", orID(p.ID, "portfolio"))
	a.element(mid, ArchiModel, a.portfolioName(), a.tr("archi_model_doc"))
	a.prop(mid, idKey, p.ID)
	a.prop(mid, a.tr("country"), p.Country)
	a.prop(mid, a.tr("currency"), a.cur)
	for _, kv := range a.settingsPairs() {
		a.prop(mid, kv[0], kv[1])
	}
	t := r.Totals
	a.money(mid, "pv_siloed", t.PVSiloed)
	a.money(mid, "pv_shared", t.PVShared)
	a.money(mid, "savings", t.Savings)
	a.prop(mid, a.tr("savings_ratio"), a.optPct(t.SavingsRatio))
	sh := r.Appraisal.Shared
	a.money(mid, "npv", sh.NPV)
	a.prop(mid, a.tr("bcr"), a.optRatio(sh.BCR))
	a.prop(mid, a.tr("irr"), a.optPct(sh.IRR))
	a.prop(mid, a.tr("payback"), FormatOptionalYear(sh.PaybackYear))
	a.prop(mid, a.tr("generated"), FormatDate(a.in.Generated, a.lang))

	// SDG targets (Outcome), from goals and use cases, in natural order.
	var codes []string
	seen := map[string]bool{}
	addCode := func(c string) {
		if !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	for _, g := range a.sortedGoals() {
		for _, c := range g.SDGTargets {
			addCode(c)
		}
	}
	for i := range p.UseCases {
		for _, c := range p.UseCases[i].SDGTargets {
			addCode(c)
		}
	}
	slices.SortStableFunc(codes, model.CompareIDs)
	tf := map[string]*model.TargetFigures{}
	for i := range r.SDGTargets {
		tf[r.SDGTargets[i].ID] = &r.SDGTargets[i]
	}
	for _, c := range codes {
		id := a.id("sdg", c)
		a.element(id, ArchiOutcome, a.targetName(c), a.targetText(c))
		a.prop(id, idKey, c)
		if f := tf[c]; f != nil {
			a.money(id, "pv_siloed", f.PVSiloed)
			a.money(id, "pv_shared", f.PVShared)
			a.money(id, "savings", f.Savings)
			a.money(id, "pv_benefits", f.PVBenefits)
		}
	}

	// National goals.
	gf := map[string]*model.GoalFigures{}
	for i := range r.Goals {
		gf[r.Goals[i].ID] = &r.Goals[i]
	}
	for _, g := range a.sortedGoals() {
		id := a.id("goal", g.ID)
		a.element(id, ArchiGoal, a.goalName(g.ID), "")
		a.prop(id, idKey, g.ID)
		if g.Priority != nil {
			a.prop(id, a.tr("archi_priority"), fmt.Sprint(*g.Priority))
		}
		if f := gf[g.ID]; f != nil {
			a.money(id, "pv_siloed", f.PVSiloed)
			a.money(id, "pv_shared", f.PVShared)
			a.money(id, "savings", f.Savings)
			a.money(id, "pv_benefits", f.PVBenefits)
		}
		for _, c := range g.SDGTargets {
			a.relation(ArchiInfluence, a.tr("archi_contrib"), id, a.id("sdg", c))
		}
	}

	// Building blocks.
	for i := range r.Blocks {
		bf := &r.Blocks[i]
		b := a.blocks[bf.ID]
		id := a.id("block", bf.ID)
		doc := ""
		if b != nil {
			doc = model.Localized(a.lang, b.Description, b.DescriptionFR)
		}
		a.element(id, ArchiComponent, a.blockName(bf.ID), doc)
		a.prop(id, idKey, bf.ID)
		a.prop(id, a.tr("status"), a.statusName(bf))
		if b != nil {
			for _, f := range []struct {
				key string
				amt model.Amount
			}{{"f_build_cost", b.BuildCost}, {"f_annual_run_cost", b.AnnualRunCost}, {"f_integration_cost", b.IntegrationCost},
				{"f_per_consumer_run_cost", b.PerConsumerRunCost}} {
				if f.amt.Set {
					a.prop(id, a.capitalHead(f.key), a.amount(f.amt))
				}
			}
		}
		a.prop(id, a.tr("consumers"), fmt.Sprint(bf.Consumers))
		a.prop(id, a.tr("build_year"), FormatOptionalYear(bf.BuildYear))
		if bf.Consumers > 0 {
			a.money(id, "pv_siloed", bf.PVSiloed)
			a.money(id, "pv_shared", bf.PVShared)
			a.money(id, "savings", bf.Savings)
		}
	}

	// Workflows.
	for i := range p.Workflows {
		w := &p.Workflows[i]
		if a.wfs[w.ID] != w {
			continue // a duplicate id: Resolve reports it
		}
		id := a.id("wf", w.ID)
		a.element(id, ArchiProcess, a.wfName(w.ID), model.Localized(a.lang, w.Description, w.DescriptionFR))
		a.prop(id, idKey, w.ID)
		for _, b := range uniq(w.Blocks) {
			if _, ok := a.blocks[b]; ok {
				a.relation(ArchiServing, a.tr("archi_serves"), a.id("block", b), id)
			}
		}
	}

	// Use cases.
	for i := range p.UseCases {
		u := &p.UseCases[i]
		if a.ucs[u.ID] != u {
			continue
		}
		id := a.id("uc", u.ID)
		a.element(id, ArchiService, a.ucName(u.ID), model.Localized(a.lang, u.Description, u.DescriptionFR))
		a.prop(id, idKey, u.ID)
		a.prop(id, a.tr("sector"), u.Sector)
		for _, w := range uniq(u.Workflows) {
			if _, ok := a.wfs[w]; ok {
				a.relation(ArchiRealization, a.tr("archi_runs"), a.id("wf", w), id)
			}
		}
		for _, b := range uniq(u.Blocks) {
			if _, ok := a.blocks[b]; ok {
				a.relation(ArchiServing, a.tr("archi_serves"), a.id("block", b), id)
			}
		}
		for _, c := range uniq(u.SDGTargets) {
			a.relation(ArchiInfluence, a.tr("archi_contrib"), id, a.id("sdg", c))
		}
	}

	// Programmes.
	for _, pr := range a.sortedProgrammes() {
		id := a.id("prog", pr.ID)
		pf := a.progFig[pr.ID]
		doc := ""
		if pr.Agency != "" {
			doc = a.tr("archi_agency") + ": " + a.agencyName(pr.Agency)
		}
		a.element(id, ArchiWorkPackage, a.progName(pr.ID), doc)
		a.prop(id, idKey, pr.ID)
		if pr.Agency != "" {
			a.prop(id, a.tr("archi_agency"), a.agencyName(pr.Agency))
		}
		if pf != nil {
			a.prop(id, a.tr("start_year"), FormatYear(pf.StartYear))
			a.prop(id, a.tr("end_year"), FormatYear(pf.EndYear))
			if pf.Beneficiaries != nil {
				a.prop(id, a.tr("beneficiaries"), a.num(*pf.Beneficiaries))
			}
			a.money(id, "pv_siloed", pf.PVSiloed)
			a.money(id, "pv_shared", pf.PVShared)
			a.money(id, "savings", pf.Savings)
			a.money(id, "pv_own", pf.PVOwn)
			a.money(id, "pv_benefits", pf.PVBenefits)
			if c := pf.CostPerBeneficiary.Shared; c != nil {
				a.money(id, "cost_per_beneficiary", *c)
			}
		}
		for _, g := range uniq(pr.Goals) {
			if _, ok := a.goals[g]; ok {
				a.relation(ArchiRealization, a.tr("archi_realizes"), id, a.id("goal", g))
			}
		}
		for _, u := range uniq(pr.UseCases) {
			if _, ok := a.ucs[u]; ok {
				a.relation(ArchiRealization, a.tr("archi_delivers"), id, a.id("uc", u))
			}
		}
		for _, b := range uniq(pr.Blocks) {
			if _, ok := a.blocks[b]; ok {
				a.relation(ArchiAssociation, a.tr("archi_direct"), id, a.id("block", b))
			}
		}
	}
}

// amount is a money amount for a property: the likely value, or
// "low / likely / high" for a range.
func (a *archiWriter) amount(x model.Amount) string {
	if x.Uncertain() {
		return a.view.money(x.Low) + " / " + a.view.money(x.Likely) + " / " + a.view.money(x.High)
	}
	return a.view.money(x.Likely)
}

// capitalHead is a field label, capitalised, with the currency.
func (a *archiWriter) capitalHead(key string) string {
	s := []rune(a.tr(key))
	if len(s) > 0 {
		s[0] = []rune(strings.ToUpper(string(s[0])))[0]
	}
	if a.cur == "" {
		return string(s)
	}
	return string(s) + " (" + a.cur + ")"
}

func uniq(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

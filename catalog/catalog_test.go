package catalog_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"blockplan/catalog"
	"blockplan/catalog/internal/build"
	"blockplan/model"
)

// shared is where CI and developers keep the source data, beside the repo.
const shared = "../../shared"

func TestDefault(t *testing.T) {
	c := catalog.Default() // panics if the embedded file is corrupt
	if c == nil || catalog.Default() != c {
		t.Fatal("Default must return the same non-nil catalogue every time")
	}
	var _ model.Reference = c
}

func TestCounts(t *testing.T) {
	c := catalog.Default()
	links := 0
	for _, w := range c.Workflows() {
		links += len(w.Blocks)
	}
	bySource := map[string]int{}
	for _, u := range c.UseCases() {
		bySource[u.Source]++
	}
	tests := []struct {
		what      string
		got, want int
	}{
		{"goals", len(c.Goals()), 17},
		{"targets", len(c.Targets()), 169},
		{"indicators", len(c.Indicators()), 248},
		{"blocks", len(c.Blocks()), 26},
		{"workflows", len(c.Workflows()), 16},
		{"workflow→block links", links, 104},
		{"framework use cases (37 rows less 16 folded steps)", bySource[catalog.SourceFramework], 21},
		{"GovStack use cases", bySource[catalog.SourceGovStack], 16},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.what, tt.got, tt.want)
		}
	}
}

func TestBlockIDs(t *testing.T) {
	want := strings.Fields(`analytics_and_business_intelligence artificial_intelligence client_case_management
		collaboration_management consent_management content_management data_collection digital_registries
		elearning emarketplace geographic_information_services identification_and_authentication
		information_mediator messaging mobility_management payments registration reporting_and_dashboards
		scheduling security shared_data_repositories terminology workflow_and_algorithm
		e_signature wallet cloud_infrastructure`)
	var got []string
	for _, b := range catalog.Default().Blocks() {
		got = append(got, b.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("block ids (-want +got):\n%s", diff)
	}
}

// TestWorkflowLinksMatchSource compares every workflow→block link with the
// framework's own list, with the two truncated slugs mapped.
func TestWorkflowLinksMatchSource(t *testing.T) {
	path := filepath.Join(shared, "data", "dial", "dial_catalog_2020.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("source data not here (%v); CI has it at %s", err, shared)
	}
	var src struct {
		Workflows []struct {
			Slug           string   `json:"slug"`
			BuildingBlocks []string `json:"building_blocks"`
		} `json:"workflows"`
	}
	if err := json.Unmarshal(data, &src); err != nil {
		t.Fatal(err)
	}
	fix := map[string]string{
		"analytics_and_business_intel":     "analytics_and_business_intelligence",
		"identification_and_authenticatio": "identification_and_authentication",
	}
	want := map[string][]string{}
	for _, w := range src.Workflows {
		for _, b := range w.BuildingBlocks {
			if id, ok := fix[b]; ok {
				b = id
			}
			want[w.Slug] = append(want[w.Slug], b)
		}
	}
	got := map[string][]string{}
	for _, w := range catalog.Default().Workflows() {
		got[w.ID] = w.Blocks
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("workflow blocks (-source +catalogue):\n%s", diff)
	}
}

func TestBilingual(t *testing.T) {
	c := catalog.Default()
	type entry struct {
		kind, id string
		texts    map[string]catalog.Text
	}
	var all []entry
	for _, g := range c.Goals() {
		all = append(all, entry{"goal", g.ID, map[string]catalog.Text{"name": g.Name, "title": g.Title}})
	}
	for _, x := range c.Targets() {
		all = append(all, entry{"target", x.ID, map[string]catalog.Text{"name": x.Name}})
	}
	for _, x := range c.Indicators() {
		all = append(all, entry{"indicator", x.ID, map[string]catalog.Text{"name": x.Name}})
	}
	for _, x := range c.Blocks() {
		all = append(all, entry{"block", x.ID, map[string]catalog.Text{"name": x.Name, "description": x.Description}})
	}
	for _, x := range c.Workflows() {
		all = append(all, entry{"workflow", x.ID, map[string]catalog.Text{"name": x.Name, "description": x.Description}})
	}
	for _, x := range c.UseCases() {
		m := map[string]catalog.Text{"name": x.Name, "description": x.Description, "sector": x.Sector}
		for i, s := range x.Steps {
			m["step "+string(rune('1'+i))] = s.Name
		}
		all = append(all, entry{"use case", x.ID, m})
	}
	for _, e := range all {
		for field, tx := range e.texts {
			if strings.TrimSpace(tx.EN) == "" || strings.TrimSpace(tx.FR) == "" {
				t.Errorf("%s %s: %s needs English and French, got %+v", e.kind, e.id, field, tx)
			}
		}
	}
	// Descriptions are ours and differ by language.
	for _, e := range all {
		if d, ok := e.texts["description"]; ok && d.EN == d.FR {
			t.Errorf("%s %s: French description is the English one", e.kind, e.id)
		}
	}
}

func TestFrenchNames(t *testing.T) {
	c := catalog.Default()
	tests := []struct {
		kind, id, want string
	}{
		{catalog.KindBlock, "identification_and_authentication", "Identification et authentification"},
		{catalog.KindBlock, "payments", "Paiements"},
		{catalog.KindBlock, "messaging", "Messagerie"},
		{catalog.KindBlock, "geographic_information_services", "Services d’information géographique (SIG)"},
		{catalog.KindBlock, "e_signature", "Signature électronique"},
		{catalog.KindWorkflow, "supply_chain_management", "Gestion de la chaîne d’approvisionnement"},
		{catalog.KindUseCase, "maternal_and_newborn_health", "Santé maternelle et néonatale"},
		{catalog.KindGoal, "8", "Travail décent et croissance économique"}, // the source has "Travaux décent"
		{catalog.KindGoal, "7", "Énergie propre et d’un coût abordable"},
	}
	for _, tt := range tests {
		e, ok := c.Entry(tt.kind, tt.id)
		if !ok {
			t.Errorf("%s %s: missing", tt.kind, tt.id)
			continue
		}
		var got string
		switch v := e.(type) {
		case catalog.Block:
			got = v.Name.FR
		case catalog.Workflow:
			got = v.Name.FR
		case catalog.UseCase:
			got = v.Name.FR
		case catalog.Goal:
			got = v.Name.FR
		}
		if got != tt.want {
			t.Errorf("%s %s: French name %q, want %q", tt.kind, tt.id, got, tt.want)
		}
	}
}

// The source lacks French for exactly these 8 indicators; they repeat the
// English and say so. Every other indicator has its own French.
func TestIndicatorsWithoutFrench(t *testing.T) {
	want := []string{"10.7.2", "11.5.3", "12.7.1", "13.2.1", "13.b.1", "15.4.2", "16.1.4", "17.3.1"}
	var got []string
	for _, in := range catalog.Default().Indicators() {
		if in.FRMissing {
			got = append(got, in.ID)
			if in.Name.FR != in.Name.EN {
				t.Errorf("%s: marked fr_missing but French differs from English", in.ID)
			}
		} else if in.Name.FR == in.Name.EN {
			t.Errorf("%s: French equals English but is not marked fr_missing", in.ID)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("indicators without French (-want +got):\n%s", diff)
	}
}

func TestUseCaseIDsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, u := range catalog.Default().UseCases() {
		if seen[u.ID] {
			t.Errorf("use case id %q twice", u.ID)
		}
		seen[u.ID] = true
	}
}

func TestGovStackUseCases(t *testing.T) {
	c := catalog.Default()
	var ids []string
	byID := map[string]catalog.UseCase{}
	for _, u := range c.UseCases() {
		if u.Source == catalog.SourceGovStack {
			ids = append(ids, u.ID)
		}
		byID[u.ID] = u
	}
	want := strings.Fields("agr-1 agr-2 clmt-1 edu-1 egov-1 env-1 finc-1 finc-2 hltc-1 hltc-2 hltc-3 hltc-4 urb-1 inst-1 inst-2 inst-3")
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("GovStack ids (-want +got):\n%s", diff)
	}

	names := []struct{ id, want string }{
		{"inst-1", "Unconditional Social Cash Transfer"},
		{"inst-2", "Anticipatory Cash Transfers"}, // the source labels it INST-1
		{"urb-1", "Construction Permit"},          // from inf-1-construction-permit.md
	}
	for _, tt := range names {
		if got := byID[tt.id].Name.EN; got != tt.want {
			t.Errorf("%s: name %q, want %q", tt.id, got, tt.want)
		}
	}

	sdgs := []struct {
		id             string
		goals, targets []string
	}{
		{"egov-1", []string{"9", "16", "17"}, []string{"9.c", "16.6", "17.6"}},
		{"finc-2", []string{"8"}, []string{"8.3", "8.10"}},
		{"inst-3", []string{"16"}, []string{}}, // the source's "SDG 3: Peace, Justice…" is goal 16
		{"inst-2", []string{"1", "11", "13"}, []string{}},
		{"agr-1", []string{"2", "8"}, []string{}},
	}
	for _, tt := range sdgs {
		u := byID[tt.id]
		if diff := cmp.Diff(tt.goals, u.SDGGoals); diff != "" {
			t.Errorf("%s: sdg_goals (-want +got):\n%s", tt.id, diff)
		}
		if diff := cmp.Diff(tt.targets, u.SDGTargets); diff != "" {
			t.Errorf("%s: sdg_targets (-want +got):\n%s", tt.id, diff)
		}
	}

	// Blocks and workflows are the union of the steps'; where the source
	// names blocks only in its header (egov-1, hltc-2), blocks hold more.
	for _, id := range want {
		u := byID[id]
		var flows, blocks []string
		for _, s := range u.Steps {
			flows = append(flows, s.Workflows...)
			blocks = append(blocks, s.Blocks...)
		}
		if got := sortedSet(u.Workflows); !slices.Equal(got, sortedSet(flows)) {
			t.Errorf("%s: workflows %v are not the union of its steps' %v", id, got, sortedSet(flows))
		}
		switch id {
		case "egov-1", "hltc-2":
			for _, b := range blocks {
				if !slices.Contains(u.Blocks, b) {
					t.Errorf("%s: step block %s missing from blocks", id, b)
				}
			}
			if len(u.Blocks) <= len(sortedSet(blocks)) {
				t.Errorf("%s: the header's blocks were not added: %v", id, u.Blocks)
			}
		default:
			if got := sortedSet(u.Blocks); !slices.Equal(got, sortedSet(blocks)) {
				t.Errorf("%s: blocks %v are not the union of its steps' %v", id, got, sortedSet(blocks))
			}
		}
		if len(u.Steps) == 0 {
			t.Errorf("%s: no steps", id)
		}
	}

	// Spot checks of the mapping of GovStack's spellings.
	steps := []struct {
		id              string
		step            int
		workflows, blks []string
	}{
		// "Data Analysis and Business Intelligence / Decision Support / Data Collection and Reporting",
		// "Work Planning & Coordination"; blocks Digital Registries, Scheduler, Workflow.
		{"agr-2", 1, []string{"content_management", "data_analysis_and_business_intelligence", "data_collection_and_reporting", "decision_support", "work_planning_and_coordination"},
			[]string{"digital_registries", "scheduling", "workflow_and_algorithm"}},
		// "Procurement:", "Client Case Management"; eMarketplace, Identity, …
		{"agr-1", 6, []string{"client_case_management", "financial_services", "identification_and_registration", "procurement"},
			[]string{"emarketplace", "identification_and_authentication", "information_mediator", "messaging", "payments", "scheduling"}},
		// "Supply-chain Management"
		{"agr-1", 8, []string{"client_case_management", "financial_services", "supply_chain_management"},
			[]string{"messaging", "payments", "workflow_and_algorithm"}},
		// "Strategy development" and "Selection and Identification" match nothing;
		// "Staff Communication and Education" is knowledge management.
		{"inst-3", 0, []string{"content_management", "knowledge_management"}, []string{}},
		// "Identification and Verification", "Data Collecting and Reporting"; E-Signature.
		{"hltc-4", 2, []string{"client_case_management", "data_collection_and_reporting", "identification_and_registration"},
			[]string{"consent_management", "identification_and_authentication", "information_mediator", "registration", "e_signature"}},
		// "e-Marketplace" (a workflow here), "Staff Communication and Education"
		{"urb-1", 0, []string{"client_communication", "content_management", "data_collection_and_reporting", "identification_and_registration", "knowledge_management", "marketplace"},
			[]string{"messaging", "scheduling"}},
	}
	for _, tt := range steps {
		s := byID[tt.id].Steps[tt.step]
		if diff := cmp.Diff(tt.workflows, s.Workflows); diff != "" {
			t.Errorf("%s step %d (%s) workflows (-want +got):\n%s", tt.id, tt.step+1, s.Name.EN, diff)
		}
		if diff := cmp.Diff(tt.blks, s.Blocks); diff != "" {
			t.Errorf("%s step %d (%s) blocks (-want +got):\n%s", tt.id, tt.step+1, s.Name.EN, diff)
		}
	}
}

func TestFrameworkUseCases(t *testing.T) {
	c := catalog.Default()
	tests := []struct {
		id      string
		steps   int
		sector  string
		targets []string
		alias   string // the source's raw slug, which must still resolve
	}{
		{"postpartum_and_infant_care", 7, "Health", []string{"3.1", "3.2"}, "mchpic_postpartum_and_infant_car"},
		{"unconditional_social_cash_transfer", 9, "Social Protection", []string{"1.3"}, "spuct_unconditional_social_cash"},
		{"covid19_surveillance_and_tracking", 0, "Health", []string{"3.b", "3.d"}, "covid19_surveillance_and_trackin"},
		{"maternal_and_newborn_health", 0, "Health", []string{"3.1", "3.2"}, "maternal_and_newborn_health"},
		{"market_linkage", 0, "Agriculture", []string{"2.1", "2.2", "2.3"}, "market_linkage"},
	}
	for _, tt := range tests {
		e, ok := c.Entry(catalog.KindUseCase, tt.id)
		if !ok {
			t.Errorf("%s: missing", tt.id)
			continue
		}
		u := e.(catalog.UseCase)
		if len(u.Steps) != tt.steps || u.Sector.EN != tt.sector || !slices.Equal(u.SDGTargets, tt.targets) {
			t.Errorf("%s: %d steps, sector %q, targets %v; want %d, %q, %v", tt.id, len(u.Steps), u.Sector.EN, u.SDGTargets, tt.steps, tt.sector, tt.targets)
		}
		if got := c.Lookup(catalog.KindUseCase, tt.alias); !slices.Equal(got, []string{tt.id}) {
			t.Errorf("Lookup(use_case, %q) = %v, want [%s]", tt.alias, got, tt.id)
		}
		if tt.steps > 0 {
			var flows []string
			for _, s := range u.Steps {
				flows = append(flows, s.Workflows...)
				if strings.Contains(s.Name.EN, "[") {
					t.Errorf("%s: step name %q keeps the source's tag", tt.id, s.Name.EN)
				}
			}
			if !slices.Equal(sortedSet(u.Workflows), sortedSet(flows)) {
				t.Errorf("%s: workflows %v are not the union of its steps' %v", tt.id, u.Workflows, sortedSet(flows))
			}
		}
	}
	for _, u := range c.UseCases() {
		if strings.Contains(u.ID, "step") || strings.HasPrefix(u.Name.EN, "[") {
			t.Errorf("%s (%s): a step row was not folded into its use case", u.ID, u.Name.EN)
		}
	}
}

// TestReferencesResolve follows every link in the catalogue through the
// model.Reference methods the rest of blockplan uses.
func TestReferencesResolve(t *testing.T) {
	c := catalog.Default()
	block := func(where, id string) {
		if _, ok := c.Block(id); !ok {
			t.Errorf("%s: block %q does not resolve", where, id)
		}
	}
	flow := func(where, id string) {
		if _, ok := c.Workflow(id); !ok {
			t.Errorf("%s: workflow %q does not resolve", where, id)
		}
	}
	for _, w := range c.Workflows() {
		for _, b := range w.Blocks {
			block("workflow "+w.ID, b)
		}
	}
	for _, u := range c.UseCases() {
		where := "use case " + u.ID
		for _, b := range u.Blocks {
			block(where, b)
		}
		for _, w := range u.Workflows {
			flow(where, w)
		}
		for _, code := range u.SDGTargets {
			if _, ok := c.SDGTarget(code); !ok {
				t.Errorf("%s: target %q does not resolve", where, code)
			}
		}
		for _, g := range u.SDGGoals {
			if _, ok := c.Entry(catalog.KindGoal, g); !ok {
				t.Errorf("%s: goal %q does not resolve", where, g)
			}
		}
		for _, s := range u.Steps {
			for _, b := range s.Blocks {
				block(where+" step "+s.Name.EN, b)
			}
			for _, w := range s.Workflows {
				flow(where+" step "+s.Name.EN, w)
			}
		}
	}
	for _, x := range c.Targets() {
		if _, ok := c.Entry(catalog.KindGoal, x.Goal); !ok {
			t.Errorf("target %s: goal %q does not resolve", x.ID, x.Goal)
		}
	}
	for _, x := range c.Indicators() {
		if _, ok := c.SDGTarget(x.Target); !ok {
			t.Errorf("indicator %s: target %q does not resolve", x.ID, x.Target)
		}
	}
}

func TestReference(t *testing.T) {
	c := catalog.Default()
	b, ok := c.Block("payments")
	if want := (model.Block{ID: "payments", Name: "Payments", NameFR: "Paiements",
		Description: b.Description, DescriptionFR: b.DescriptionFR}); !ok || b != want || b.Description == "" || b.DescriptionFR == "" {
		t.Errorf("Block(payments) = %+v, %v", b, ok)
	}
	if b.HasCost() {
		t.Error("catalogue blocks carry no costs")
	}
	w, ok := c.Workflow("decision_support")
	if !ok || !slices.Equal(w.Blocks, []string{"information_mediator"}) || w.NameFR != "Aide à la décision" {
		t.Errorf("Workflow(decision_support) = %+v, %v", w, ok)
	}
	u, ok := c.UseCase("hltc-1")
	if !ok || u.Sector != "Health" || len(u.Blocks) == 0 || len(u.Workflows) == 0 || u.NameFR == "" || u.DescriptionFR == "" {
		t.Errorf("UseCase(hltc-1) = %+v, %v", u, ok)
	}
	u, ok = c.UseCase("maternal_and_newborn_health")
	if !ok || !slices.Equal(u.SDGTargets, []string{"3.1", "3.2"}) || len(u.Blocks) != 0 {
		t.Errorf("UseCase(maternal_and_newborn_health) = %+v, %v (framework use cases reach blocks through workflows)", u, ok)
	}
	tg, ok := c.SDGTarget("17.19")
	if !ok || tg.Goal != 17 || tg.Code != "17.19" || tg.Name == "" || tg.NameFR == "" {
		t.Errorf("SDGTarget(17.19) = %+v, %v", tg, ok)
	}
	for _, id := range []string{"", "Payments", "identification_and_authenticatio", "3.2.1"} {
		if _, ok := c.Block(id); ok {
			t.Errorf("Block(%q) found; ids are exact", id)
		}
		if _, ok := c.SDGTarget(id); ok {
			t.Errorf("SDGTarget(%q) found", id)
		}
	}

	// What callers get is theirs to change.
	w.Blocks[0] = "changed"
	c.Workflows()[0].Blocks[0] = "changed"
	c.UseCases()[0].Workflows[0] = "changed"
	if w2, _ := c.Workflow("decision_support"); w2.Blocks[0] != "information_mediator" {
		t.Error("changing a returned workflow changed the catalogue")
	}
	if c.Workflows()[0].Blocks[0] == "changed" || c.UseCases()[0].Workflows[0] == "changed" {
		t.Error("changing a returned slice changed the catalogue")
	}
}

func TestOrder(t *testing.T) {
	c := catalog.Default()
	var targets []string
	for _, x := range c.Targets() {
		targets = append(targets, x.ID)
	}
	if !slices.IsSortedFunc(targets, catalog.CompareCodes) {
		t.Error("targets are not in code order")
	}
	if got := targets[:8]; !slices.Equal(got, []string{"1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b", "2.1"}) {
		t.Errorf("first targets %v", got)
	}
	if i, j := slices.Index(targets, "17.2"), slices.Index(targets, "17.19"); i < 0 || j < i || targets[len(targets)-1] != "17.19" {
		t.Errorf("17.2 at %d, 17.19 at %d, last %s", i, j, targets[len(targets)-1])
	}
	var inds []string
	for _, x := range c.Indicators() {
		inds = append(inds, x.ID)
	}
	if !slices.IsSortedFunc(inds, catalog.CompareCodes) {
		t.Error("indicators are not in code order")
	}

	cmps := []struct {
		a, b string
		want int
	}{
		{"1.2", "1.10", -1},
		{"1.10", "1.a", -1},
		{"1.a", "1.b", -1},
		{"17.19", "17.2", 1},
		{"9.c", "10.1", -1},
		{"3.2", "3.2.1", -1},
		{"3.2.1", "3.2.1", 0},
		{"3.b.1", "3.10.1", 1},
	}
	for _, tt := range cmps {
		if got := catalog.CompareCodes(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareCodes(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Identification & Authentication", "identificationauthentication"},
		{"identification_and_authentication", "identificationauthentication"},
		{"IDENTIFICATION-AND-AUTHENTICATION", "identificationauthentication"},
		{"Identification et authentification", "identificationauthentification"},
		{"Work Planning & Coordination", "workplanningcoordination"},
		{"Work planning and coordination", "workplanningcoordination"},
		{"  Procurement: ", "procurement"},
		{"Supply-chain Management", "supplychainmanagement"},
		{"Éducation de qualité", "educationdequalite"},
		{"Mettre en œuvre", "mettreenoeuvre"},
		{"d’apprentissage", "dapprentissage"},
		{"E-Signature", "esignature"},
		{"Standard", "standard"}, // "and" inside a word stays
		{"Bandwidth and  Etiquette", "bandwidthetiquette"},
		{"&", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := catalog.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAliases(t *testing.T) {
	c := catalog.Default()
	tests := []struct{ kind, text, want string }{
		{catalog.KindBlock, "Identity", "identification_and_authentication"},
		{catalog.KindBlock, "ID", "identification_and_authentication"},
		{catalog.KindBlock, "Identification", "identification_and_authentication"},
		{catalog.KindBlock, "Identification & Authentication", "identification_and_authentication"},
		{catalog.KindBlock, "identification et authentification", "identification_and_authentication"},
		{catalog.KindBlock, "identification_and_authenticatio", "identification_and_authentication"},
		{catalog.KindBlock, "analytics_and_business_intel", "analytics_and_business_intelligence"},
		{catalog.KindBlock, "Scheduler", "scheduling"},
		{catalog.KindBlock, "Workflow", "workflow_and_algorithm"},
		{catalog.KindBlock, "Consent", "consent_management"},
		{catalog.KindBlock, "GIS", "geographic_information_services"},
		{catalog.KindBlock, "E-Marketplace", "emarketplace"},
		{catalog.KindBlock, "eMarketplace", "emarketplace"},
		{catalog.KindBlock, "CMS", "content_management"},
		{catalog.KindBlock, "e-payments", "payments"},
		{catalog.KindBlock, "Mobile money", "payments"},
		{catalog.KindBlock, "E-Signature", "e_signature"},
		{catalog.KindBlock, "e-Signature", "e_signature"},
		{catalog.KindBlock, "Registries", "digital_registries"},
		{catalog.KindBlock, "Digital Registry", "digital_registries"},
		{catalog.KindBlock, "IM", "information_mediator"},
		{catalog.KindBlock, "X-Road", "information_mediator"},
		{catalog.KindBlock, "BI", "analytics_and_business_intelligence"},
		{catalog.KindBlock, "Dashboards", "reporting_and_dashboards"},
		{catalog.KindBlock, "Paiements", "payments"},
		{catalog.KindBlock, "MESSAGERIE", "messaging"},
		{catalog.KindBlock, "Cloud Infrastructure", "cloud_infrastructure"},
		{catalog.KindBlock, "Wallet", "wallet"},
		{catalog.KindWorkflow, "Client case Management", "client_case_management"},
		{catalog.KindWorkflow, "Supply-chain Management", "supply_chain_management"},
		{catalog.KindWorkflow, "Procurement:", "procurement"},
		{catalog.KindWorkflow, "Work Planning & Coordination", "work_planning_and_coordination"},
		{catalog.KindWorkflow, "e-Marketplace", "marketplace"},
		{catalog.KindWorkflow, "Identification and Verification", "identification_and_registration"},
		{catalog.KindWorkflow, "Aide à la décision", "decision_support"},
		{catalog.KindUseCase, "AGR-1", "agr-1"},
		{catalog.KindUseCase, "INF-1", "urb-1"},
		{catalog.KindUseCase, "Anticipatory Cash Transfers", "inst-2"},
		{catalog.KindUseCase, "SP-UCT", "unconditional_social_cash_transfer"},
		{catalog.KindUseCase, "Market Linkage", "market_linkage"}, // an id match wins over agr-1's name
		{catalog.KindTarget, "3.2", "3.2"},
		{catalog.KindTarget, "SDG 3.2", "3.2"},
		{catalog.KindTarget, "Target 1.A", "1.a"},
		{catalog.KindTarget, "cible 17.19", "17.19"},
		{catalog.KindGoal, "ODD 3", "3"},
		{catalog.KindGoal, "Quality education", "4"},
		{catalog.KindGoal, "Éducation de qualité", "4"},
		{catalog.KindIndicator, "Indicator 3.2.1", "3.2.1"},
	}
	for _, tt := range tests {
		if got := c.Lookup(tt.kind, tt.text); !slices.Equal(got, []string{tt.want}) {
			t.Errorf("Lookup(%s, %q) = %v, want [%s]", tt.kind, tt.text, got, tt.want)
		}
	}

	none := []struct{ kind, text string }{
		{catalog.KindBlock, "Strategy development"},
		{catalog.KindBlock, ""},
		{catalog.KindBlock, "&"},
		{catalog.KindWorkflow, "Strategy development"},
		{catalog.KindUseCase, "INST-1 bis"},
		{catalog.KindTarget, "3.99"},
		{"programme", "payments"},
	}
	for _, tt := range none {
		if got := c.Lookup(tt.kind, tt.text); got != nil {
			t.Errorf("Lookup(%s, %q) = %v, want nothing", tt.kind, tt.text, got)
		}
	}
}

// TestNoAmbiguousAlias checks every alias and name: an alias means exactly
// its own entry, and a name means its own entry except for the few names a
// framework and a GovStack use case share, where the framework's id wins.
func TestNoAmbiguousAlias(t *testing.T) {
	c := catalog.Default()
	shadowed := map[string]string{ // GovStack use case -> framework use case of the same name
		"agr-1":  "market_linkage",
		"edu-1":  "remote_learning",
		"hltc-1": "postpartum_and_infant_care",
		"inst-1": "unconditional_social_cash_transfer",
	}
	type named struct {
		kind, id       string
		names, aliases []string
	}
	var all []named
	for _, x := range c.Blocks() {
		all = append(all, named{catalog.KindBlock, x.ID, []string{x.Name.EN, x.Name.FR}, x.Aliases})
	}
	for _, x := range c.Workflows() {
		all = append(all, named{catalog.KindWorkflow, x.ID, []string{x.Name.EN, x.Name.FR}, x.Aliases})
	}
	for _, x := range c.UseCases() {
		all = append(all, named{catalog.KindUseCase, x.ID, []string{x.Name.EN, x.Name.FR}, x.Aliases})
	}
	for _, x := range c.Goals() {
		all = append(all, named{catalog.KindGoal, x.ID, []string{x.Name.EN, x.Name.FR, x.Title.EN, x.Title.FR}, x.Aliases})
	}
	aliases := 0
	for _, e := range all {
		for _, a := range e.aliases {
			aliases++
			if got := c.Lookup(e.kind, a); !slices.Equal(got, []string{e.id}) {
				t.Errorf("%s %s: alias %q looks up %v", e.kind, e.id, a, got)
			}
		}
		for _, n := range e.names {
			want := []string{e.id}
			if other, ok := shadowed[e.id]; ok {
				want = []string{other}
			}
			if got := c.Lookup(e.kind, n); !slices.Equal(got, want) {
				t.Errorf("%s %s: name %q looks up %v, want %v", e.kind, e.id, n, got, want)
			}
		}
	}
	if aliases < 150 {
		t.Errorf("only %d aliases: the curation is not being read", aliases)
	}
}

func TestSuggest(t *testing.T) {
	c := catalog.Default()
	tests := []struct {
		kind, text string
		want       string // must come first; "" means no suggestion
	}{
		{catalog.KindBlock, "Identty", "identification_and_authentication"},
		{catalog.KindBlock, "paymnts", "payments"},
		{catalog.KindBlock, "payment gateway", "payments"},
		{catalog.KindBlock, "messagin", "messaging"},
		{catalog.KindBlock, "sheduling", "scheduling"},
		{catalog.KindWorkflow, "procurment", "procurement"},
		{catalog.KindUseCase, "agr1x", "agr-1"},
		{catalog.KindTarget, "3.22", "3.2"},
		{catalog.KindBlock, "zzzzzzzzqqq", ""},
		{"nonsense", "payments", ""},
	}
	for _, tt := range tests {
		got := c.Suggest(tt.kind, tt.text, 3)
		if len(got) > 3 {
			t.Errorf("Suggest(%s, %q, 3) gave %d", tt.kind, tt.text, len(got))
		}
		switch {
		case tt.want == "" && len(got) > 0:
			t.Errorf("Suggest(%s, %q) = %v, want none", tt.kind, tt.text, got)
		case tt.want != "" && (len(got) == 0 || got[0] != tt.want):
			t.Errorf("Suggest(%s, %q) = %v, want %s first", tt.kind, tt.text, got, tt.want)
		}
	}
	if got := c.Suggest(catalog.KindBlock, "Identty", 0); got != nil {
		t.Errorf("Suggest with n=0 = %v", got)
	}
}

func TestFind(t *testing.T) {
	c := catalog.Default()
	tests := []struct {
		text string
		want []catalog.Ref
	}{
		{"client_case_management", []catalog.Ref{{catalog.KindBlock, "client_case_management"}, {catalog.KindWorkflow, "client_case_management"}}},
		{"3.2", []catalog.Ref{{catalog.KindTarget, "3.2"}}},
		{"3.2.1", []catalog.Ref{{catalog.KindIndicator, "3.2.1"}}},
		{"16", []catalog.Ref{{catalog.KindGoal, "16"}}},
		{"inst-2", []catalog.Ref{{catalog.KindUseCase, "inst-2"}}},
		{"Identity", []catalog.Ref{{catalog.KindBlock, "identification_and_authentication"}}},
		{"Marketplace", []catalog.Ref{{catalog.KindBlock, "emarketplace"}, {catalog.KindWorkflow, "marketplace"}}},
		{"no such thing", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, c.Find(tt.text)); diff != "" {
			t.Errorf("Find(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestExportJSON pins the shape `blockplan catalog export --json` prints.
func TestExportJSON(t *testing.T) {
	data, err := json.Marshal(catalog.Default().Export())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string][]map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"blocks", "sdg_goals", "sdg_indicators", "sdg_targets", "use_cases", "workflows"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Fatalf("export keys (-want +got):\n%s", diff)
	}
	lists := map[string][]string{
		"workflows": {"blocks"},
		"use_cases": {"sdg_targets", "workflows", "blocks", "sdg_goals", "steps"},
	}
	for _, k := range want {
		for i, e := range doc[k] {
			var id string
			var name catalog.Text
			if json.Unmarshal(e["id"], &id) != nil || id == "" {
				t.Errorf("%s[%d]: no string id", k, i)
			}
			if json.Unmarshal(e["name"], &name) != nil || name.EN == "" || name.FR == "" {
				t.Errorf("%s %s: name is not {\"en\", \"fr\"}: %s", k, id, e["name"])
			}
			if k == "blocks" || k == "workflows" || k == "use_cases" {
				var d catalog.Text
				if json.Unmarshal(e["description"], &d) != nil || d.EN == "" || d.FR == "" {
					t.Errorf("%s %s: description is not {\"en\", \"fr\"}: %s", k, id, e["description"])
				}
			}
			for _, l := range lists[k] {
				if !bytes.HasPrefix(e[l], []byte("[")) {
					t.Errorf("%s %s: %s is %s, want a list", k, id, l, e[l])
				}
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	good := catalog.Default().Export()
	tests := []struct {
		name   string
		change func(d *catalog.Document)
		want   string
	}{
		{"dangling workflow block", func(d *catalog.Document) { d.Workflows[0].Blocks[0] = "nope" }, `unknown id "nope"`},
		{"dangling use case target", func(d *catalog.Document) { d.UseCases[0].SDGTargets = []string{"3.99"} }, `unknown id "3.99"`},
		{"dangling step workflow", func(d *catalog.Document) { d.UseCases[25].Steps[0].Workflows = []string{"nope"} }, `steps[0].workflows: unknown id "nope"`},
		{"duplicate id", func(d *catalog.Document) { d.Blocks[1].ID = d.Blocks[0].ID }, "duplicate id"},
		{"missing French", func(d *catalog.Document) { d.Blocks[0].Description.FR = "" }, "needs both English and French"},
		{"ambiguous alias", func(d *catalog.Document) { d.Blocks[0].Aliases = append(d.Blocks[0].Aliases, "Payments") }, `alias "Payments" also matches payments`},
		{"alias shadowed by an id", func(d *catalog.Document) { d.Blocks[0].Aliases = append(d.Blocks[0].Aliases, "wallet") }, `also matches wallet`},
		{"unknown source", func(d *catalog.Document) { d.UseCases[0].Source = "dial" }, "unknown source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := catalog.Default().Export() // a fresh deep copy
			tt.change(&d)
			data, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			_, err = catalog.Parse(data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want an error with %q", err, tt.want)
			}
		})
	}
	for _, bad := range []string{`{"blocks": [], "extra": 1}`, `{"blocks": `, `{} {}`} {
		if _, err := catalog.Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s) accepted", bad)
		}
	}
	data, _ := json.Marshal(good)
	if _, err := catalog.Parse(data); err != nil {
		t.Errorf("Parse(Export()) = %v", err)
	}
}

// TestGeneratedIsCurrent rebuilds the catalogue from the shared sources and
// the curation, and compares it with the committed data/catalog.json.
func TestGeneratedIsCurrent(t *testing.T) {
	if _, err := os.Stat(filepath.Join(shared, "data")); err != nil {
		t.Skipf("source data not here (%v); CI has it at %s", err, shared)
	}
	out := filepath.Join(t.TempDir(), "catalog.json")
	if err := build.Generate(shared, filepath.Join("data", "curation.json"), out, nil); err != nil {
		t.Fatalf("generator: %v", err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("data", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("data/catalog.json is out of date: run `go generate ./catalog` and commit it")
	}
}

func sortedSet(xs []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(xs)))
}

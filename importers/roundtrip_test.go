package importers

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"blockplan/model"
)

func ip(i int) *int            { return &i }
func fp(f float64) *float64    { return &f }
func sp(xs ...string) []string { return xs }

// richPortfolio uses every optional field, ranges and points (0 and equal
// ends included), French names, text that a spreadsheet or a CSV file could
// mangle (quotes, separators, line breaks, a formula, accents), references
// to catalogue entries it does not define and a catalogue entry it
// overrides.
func richPortfolio(seed uint64) *model.Portfolio {
	rng := rand.New(rand.NewPCG(seed, 7))
	money := func() float64 { return float64(rng.IntN(2_000_000)) + float64(rng.IntN(100))/100 }
	amt := func() model.Amount {
		switch rng.IntN(4) {
		case 0:
			return model.Amount{}
		case 1:
			return model.Point(money())
		case 2:
			v := money()
			return model.Triangle(v*0.8, v, v*1.5)
		}
		return model.Triangle(5, 5, 5)
	}
	p := &model.Portfolio{Format: model.Format, ID: "rich-1", Name: "Digital plan \"2026–2030\", phase 1",
		NameFR: "Plan numérique « 2026–2030 », phase 1; été", Country: "SEN", Currency: "XOF",
		Settings: model.Settings{StartYear: ip(2026), HorizonYears: ip(7), DiscountRate: fp(0.035), OptimismBias: fp(0.125)},
		Agencies: []model.Agency{{ID: "msas", Name: "Ministry of Health and Social Action", NameFR: "Ministère de la Santé et de l'Action sociale"},
			{ID: "mef", Name: "Ministry of Finance, Budget; and Planning"}, {ID: "anonymous"}},
		Goals: []model.Goal{
			{ID: "ON1", Name: "Reduce maternal mortality", NameFR: "Réduire la mortalité maternelle", SDGTargets: sp("3.1", "3.2"), Priority: ip(1)},
			{ID: "ON2", Name: "Financial inclusion", SDGTargets: sp("8.10", "17.19", "1.a"), Priority: ip(2)},
			{ID: "ON3", Name: "Transparent \"open\" government"},
		},
		UseCases: []model.UseCase{
			{ID: "uc-visits", Name: "Home visits", NameFR: "Visites à domicile", Description: "Line one\nline two, with a comma; and a semicolon",
				DescriptionFR: "Première ligne\nseconde ligne", Sector: "Santé", SDGTargets: sp("3.8"), Workflows: sp("client_communication", "wf-own"),
				Blocks: sp("messaging", "b-own")},
			{ID: "maternal_and_newborn_health", Sector: "Health (overridden)"},
			{ID: "uc-bare"},
		},
		Workflows: []model.Workflow{{ID: "wf-own", Name: "Own workflow", NameFR: "Flux propre", Description: "=SUM(A1:A3) is not a formula",
			DescriptionFR: "'quoted' text", Blocks: sp("b-own", "payments")}},
	}
	p.Blocks = []model.Block{
		{ID: "payments", BuildCost: model.Point(0), AnnualRunCost: model.Triangle(1e-7, 0.1+0.2, 1e15)},
		{ID: "b-own", Name: "Own block", NameFR: "Bloc propre", Description: "+ plus sign", DescriptionFR: "@at", Status: model.StatusExisting,
			BuildCost: model.Triangle(100, 120.5, 150), AnnualRunCost: model.Point(30), IntegrationCost: model.Point(15), PerConsumerRunCost: model.Point(2.25)},
	}
	for i := range 40 {
		pr := model.Programme{ID: fmt.Sprintf("P%02d", i+1), Name: fmt.Sprintf("Programme %d", i+1)}
		if rng.IntN(2) == 0 {
			pr.NameFR = fmt.Sprintf("Programme n° %d – été", i+1)
		}
		if rng.IntN(3) > 0 {
			pr.Agency = p.Agencies[rng.IntN(len(p.Agencies))].ID
		}
		for _, g := range p.Goals {
			if rng.IntN(2) == 0 {
				pr.Goals = append(pr.Goals, g.ID)
			}
		}
		for _, u := range []string{"uc-visits", "maternal_and_newborn_health", "uc-bare", "mobile_payments"} {
			if rng.IntN(3) == 0 {
				pr.UseCases = append(pr.UseCases, u)
			}
		}
		if rng.IntN(5) == 0 {
			pr.Blocks = sp("b-own", "identification_and_authentication")
		}
		if rng.IntN(2) == 0 {
			pr.StartYear = ip(2026 + rng.IntN(3))
			pr.EndYear = ip(*pr.StartYear + rng.IntN(5))
		}
		if rng.IntN(2) == 0 {
			pr.Beneficiaries = fp(float64(rng.IntN(1_000_000)) + 0.5)
		}
		pr.OwnBuildCost, pr.OwnAnnualCost, pr.AnnualBenefit = amt(), amt(), amt()
		if rng.IntN(2) == 0 {
			pr.BenefitStartYear = ip(2027 + rng.IntN(3))
			if pr.StartYear != nil && *pr.BenefitStartYear < *pr.StartYear {
				pr.BenefitStartYear = pr.StartYear
			}
		}
		p.Programmes = append(p.Programmes, pr)
	}
	return p
}

func roundTripCases(t *testing.T) map[string]*model.Portfolio {
	return map[string]*model.Portfolio{
		"worked-example": loadJSON(t, filepath.Join("testdata", "worked-example.json")),
		"rich":           richPortfolio(1),
		"rich-2":         richPortfolio(2),
		"synthetic":      model.Synthetic(300, 25, 12, 30, 5, 3),
	}
}

// checkRoundTrip compares what came back with what went in, as JSON, after
// SpreadsheetForm; and the originals must be valid, so that the trip is of a
// real portfolio.
func checkRoundTrip(t *testing.T, want, got *model.Portfolio) {
	t.Helper()
	if d := cmp.Diff(jsonOf(t, SpreadsheetForm(want)), jsonOf(t, got)); d != "" {
		t.Errorf("round trip changed the portfolio (-want +got):\n%s", d)
	}
}

func TestRoundTripCasesAreValid(t *testing.T) {
	for name, p := range roundTripCases(t) {
		ps := model.Validate(p, testRef())
		if ps.HasErrors() {
			t.Errorf("%s is not valid:\n%s", name, problemText(ps.Errors()))
		}
	}
}

func TestRoundTripWorkbook(t *testing.T) {
	for name, p := range roundTripCases(t) {
		for _, lang := range []string{"en", "fr"} {
			t.Run(name+"/"+lang, func(t *testing.T) {
				var b bytes.Buffer
				if err := WriteWorkbook(&b, p, lang); err != nil {
					t.Fatal(err)
				}
				got := mustImport(t, b.Bytes(), "portfolio.xlsx")
				checkRoundTrip(t, p, got)
			})
		}
	}
}

func TestRoundTripCSVFolder(t *testing.T) {
	for name, p := range roundTripCases(t) {
		for _, lang := range []string{"en", "fr"} {
			t.Run(name+"/"+lang, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "portfolio")
				if err := WriteCSV(dir, p, lang); err != nil {
					t.Fatal(err)
				}
				got, ps, err := Load(context.Background(), dir, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if ps.HasErrors() {
					t.Fatalf("problems:\n%s", problemText(ps))
				}
				checkRoundTrip(t, p, got)
			})
		}
	}
}

func TestRoundTripCSVZip(t *testing.T) {
	for name, p := range roundTripCases(t) {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteCSVZip(&b, p, "fr"); err != nil {
				t.Fatal(err)
			}
			got := mustImport(t, b.Bytes(), "portfolio.zip")
			checkRoundTrip(t, p, got)
		})
	}
}

func TestRoundTripJSON(t *testing.T) {
	p := richPortfolio(3)
	var b bytes.Buffer
	if err := model.EncodePortfolio(&b, p); err != nil {
		t.Fatal(err)
	}
	got := mustImport(t, b.Bytes(), "p.json")
	if d := cmp.Diff(jsonOf(t, p), jsonOf(t, got)); d != "" {
		t.Errorf("JSON import changed the portfolio:\n%s", d)
	}
}

// TestSpreadsheetFormSaysWhatIsLost checks the documented losses are real:
// an empty list comes back missing, and text comes back trimmed.
func TestSpreadsheetFormSaysWhatIsLost(t *testing.T) {
	p := &model.Portfolio{Format: model.Format, Name: "  padded  ",
		Goals:      []model.Goal{{ID: "G1", Name: "Goal"}},
		Programmes: []model.Programme{{ID: "P1", Name: "x", Goals: []string{}, Blocks: []string{}, UseCases: []string{"mobile_payments"}}}}
	var b bytes.Buffer
	if err := WriteWorkbook(&b, p, "en"); err != nil {
		t.Fatal(err)
	}
	got := mustImport(t, b.Bytes(), "p.xlsx")
	if got.Name != "padded" || got.Programmes[0].Goals != nil || got.Programmes[0].Blocks != nil {
		t.Errorf("got name %q goals %#v blocks %#v; want trimmed name and nil lists", got.Name, got.Programmes[0].Goals, got.Programmes[0].Blocks)
	}
	checkRoundTrip(t, p, got)
	if jsonOf(t, p) == jsonOf(t, got) {
		t.Errorf("the portfolio came back byte for byte: this test no longer shows a loss")
	}
}

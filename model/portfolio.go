// Package model is blockplan's domain: the portfolio graph (national goals,
// programmes, use cases, workflows, building blocks), its validation, its
// traceability queries and the cost model. Every figure the product shows is
// computed here, once.
//
// model imports only the standard library. Other packages (catalog, store,
// importers, reports, web) depend on it, never the reverse: the built-in
// catalogue reaches the model through the Reference interface and storage
// through the interfaces in store.go.
package model

// Format is the only portfolio document version this build reads and writes.
const Format = "blockplan.portfolio/v1"

// Portfolio is one investment plan as a planner wrote it. It keeps exactly
// what was given (fields left out stay empty) so that exporting it gives the
// same document back; Resolve fills in defaults and catalogue entries for
// computing.
type Portfolio struct {
	Format     string      `json:"format"`
	ID         string      `json:"id,omitzero"`
	Name       string      `json:"name,omitzero"`
	NameFR     string      `json:"name_fr,omitzero"`
	Country    string      `json:"country,omitzero"`
	Currency   string      `json:"currency,omitzero"`
	Settings   Settings    `json:"settings,omitzero"`
	Agencies   []Agency    `json:"agencies,omitzero"`
	Goals      []Goal      `json:"goals,omitzero"`
	Programmes []Programme `json:"programmes,omitzero"`
	UseCases   []UseCase   `json:"use_cases,omitzero"`
	Workflows  []Workflow  `json:"workflows,omitzero"`
	Blocks     []Block     `json:"blocks,omitzero"`
}

// Settings are the plan window and appraisal parameters. Nil fields take the
// defaults of the cost model (see Defaults).
type Settings struct {
	StartYear    *int     `json:"start_year,omitzero"`
	HorizonYears *int     `json:"horizon_years,omitzero"`
	DiscountRate *float64 `json:"discount_rate,omitzero"`
	OptimismBias *float64 `json:"optimism_bias,omitzero"`
}

// Agency is a ministry or body that runs programmes.
type Agency struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitzero"`
	NameFR string `json:"name_fr,omitzero"`
}

// Goal is a national development goal, tied to the SDG targets it serves.
type Goal struct {
	ID         string   `json:"id"`
	Name       string   `json:"name,omitzero"`
	NameFR     string   `json:"name_fr,omitzero"`
	SDGTargets []string `json:"sdg_targets,omitzero"`
	Priority   *int     `json:"priority,omitzero"`
}

// Programme is a funded line of work that pursues goals by delivering use
// cases. Its own costs and benefits are the same whether blocks are shared or
// not.
type Programme struct {
	ID               string   `json:"id"`
	Name             string   `json:"name,omitzero"`
	NameFR           string   `json:"name_fr,omitzero"`
	Agency           string   `json:"agency,omitzero"`
	Goals            []string `json:"goals,omitzero"`
	UseCases         []string `json:"use_cases,omitzero"`
	Blocks           []string `json:"blocks,omitzero"` // direct, "untraced" links
	StartYear        *int     `json:"start_year,omitzero"`
	EndYear          *int     `json:"end_year,omitzero"`
	Beneficiaries    *float64 `json:"beneficiaries,omitzero"`
	OwnBuildCost     Amount   `json:"own_build_cost,omitzero"`
	OwnAnnualCost    Amount   `json:"own_annual_cost,omitzero"`
	AnnualBenefit    Amount   `json:"annual_benefit,omitzero"`
	BenefitStartYear *int     `json:"benefit_start_year,omitzero"`
}

// UseCase is a service a programme delivers. Blocks, when given, is the
// sharper statement of what it needs and wins over its workflows' blocks.
type UseCase struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitzero"`
	NameFR        string   `json:"name_fr,omitzero"`
	Description   string   `json:"description,omitzero"`
	DescriptionFR string   `json:"description_fr,omitzero"`
	Sector        string   `json:"sector,omitzero"`
	SDGTargets    []string `json:"sdg_targets,omitzero"`
	Workflows     []string `json:"workflows,omitzero"`
	Blocks        []string `json:"blocks,omitzero"`
}

// Workflow is a generic business process; Blocks are those it may use.
type Workflow struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitzero"`
	NameFR        string   `json:"name_fr,omitzero"`
	Description   string   `json:"description,omitzero"`
	DescriptionFR string   `json:"description_fr,omitzero"`
	Blocks        []string `json:"blocks,omitzero"`
}

// Block status values.
const (
	StatusPlanned  = "planned"
	StatusExisting = "existing"
)

// Block is a reusable ICT building block with the costs of one instance.
type Block struct {
	ID                 string `json:"id"`
	Name               string `json:"name,omitzero"`
	NameFR             string `json:"name_fr,omitzero"`
	Description        string `json:"description,omitzero"`
	DescriptionFR      string `json:"description_fr,omitzero"`
	Status             string `json:"status,omitzero"`
	BuildCost          Amount `json:"build_cost,omitzero"`
	AnnualRunCost      Amount `json:"annual_run_cost,omitzero"`
	IntegrationCost    Amount `json:"integration_cost,omitzero"`
	PerConsumerRunCost Amount `json:"per_consumer_run_cost,omitzero"`
}

// HasCost reports whether any cost of the block was given.
func (b Block) HasCost() bool {
	return b.BuildCost.Set || b.AnnualRunCost.Set || b.IntegrationCost.Set || b.PerConsumerRunCost.Set
}

// StatusOrDefault is the block's status, planned when none was given.
func (b Block) StatusOrDefault() string {
	if b.Status == "" {
		return StatusPlanned
	}
	return b.Status
}

// Localized picks the French text when lang is "fr" and one is given, else the
// English (default) text.
func Localized(lang, en, fr string) string {
	if lang == "fr" && fr != "" {
		return fr
	}
	return en
}

// Label is the portfolio's title in lang, so a francophone directorate can
// title its plan in French alongside the English.
func (p *Portfolio) Label(lang string) string { return Localized(lang, p.Name, p.NameFR) }

// Label is the goal's name in lang.
func (g Goal) Label(lang string) string { return Localized(lang, g.Name, g.NameFR) }

// Label is the programme's name in lang.
func (p Programme) Label(lang string) string { return Localized(lang, p.Name, p.NameFR) }

// Label is the use case's name in lang.
func (u UseCase) Label(lang string) string { return Localized(lang, u.Name, u.NameFR) }

// Label is the workflow's name in lang.
func (w Workflow) Label(lang string) string { return Localized(lang, w.Name, w.NameFR) }

// Label is the block's name in lang.
func (b Block) Label(lang string) string { return Localized(lang, b.Name, b.NameFR) }

// Label is the agency's name in lang.
func (a Agency) Label(lang string) string { return Localized(lang, a.Name, a.NameFR) }

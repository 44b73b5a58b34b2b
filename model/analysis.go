package model

// Overrides change a portfolio's settings for a what-if without editing it
// (the CLI's --discount-rate, --horizon, --optimism-bias; the web scenario
// panel). Nil fields keep the portfolio's value.
type Overrides struct {
	StartYear    *int
	HorizonYears *int
	DiscountRate *float64
	OptimismBias *float64
	// Siloed marks blocks as not shared (see Options.Siloed).
	Siloed map[string]bool
}

// AnalysisOptions say what Analyze computes beyond the point figures.
type AnalysisOptions struct {
	Overrides
	// MonteCarlo is the number of draws; 0 computes no Monte Carlo and no
	// tornado. Seed is the draws' seed.
	MonteCarlo int
	Seed       int64
}

// Analysis is everything the pages and reports show about one portfolio:
// the resolved portfolio, its graph, the cost model's result (with the
// validation warnings, and the uncertainty figures when asked for), and
// the effective options.
type Analysis struct {
	Portfolio *Portfolio
	Graph     *Graph
	Result    *Result
	Options   Options
	Problems  Problems // warnings only: an analysis with errors is not made
}

// Analyze is the one path from a stored or imported portfolio to its
// figures: apply the overrides, resolve against the catalogue, validate,
// compute. Every command, page and report goes through it, so they all show
// the same numbers. An invalid portfolio (or override) gives an EINVALID
// *Error with every problem.
func Analyze(raw *Portfolio, ref Reference, ao AnalysisOptions) (*Analysis, error) {
	p := *raw
	s := raw.Settings
	if ao.StartYear != nil {
		s.StartYear = ao.StartYear
	}
	if ao.HorizonYears != nil {
		s.HorizonYears = ao.HorizonYears
	}
	if ao.DiscountRate != nil {
		s.DiscountRate = ao.DiscountRate
	}
	if ao.OptimismBias != nil {
		s.OptimismBias = ao.OptimismBias
	}
	p.Settings = s
	resolved, ps := Resolve(&p, ref)
	if err := ps.Err("portfolio " + raw.ID); err != nil {
		return nil, err
	}
	opt := EffectiveSettings(resolved.Settings, resolved.Programmes)
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	if len(ao.Siloed) > 0 {
		known := map[string]bool{}
		for _, b := range resolved.Blocks {
			known[b.ID] = true
		}
		var bad Problems
		for id := range ao.Siloed {
			if !known[id] {
				bad = append(bad, Problem{Severity: SeverityError, Code: "unknown-reference", Kind: "settings",
					Field: "siloed", Value: id, Message: "no block " + id + " in this portfolio"})
			}
		}
		if err := bad.Err("scenario"); err != nil {
			return nil, err
		}
		opt.Siloed = ao.Siloed
	}
	res := Compute(resolved, opt)
	res.Warnings = WarningsFrom(ps)
	if ao.MonteCarlo > 0 {
		res.MonteCarlo = MonteCarlo(resolved, opt, ao.MonteCarlo, ao.Seed)
		res.Tornado = Tornado(resolved, opt)
	}
	return &Analysis{Portfolio: resolved, Graph: NewGraph(resolved), Result: res, Options: opt, Problems: ps}, nil
}

// HasRanges reports whether any amount of the portfolio is uncertain, that
// is whether Monte Carlo and tornado have anything to show.
func (p *Portfolio) HasRanges() bool {
	for _, b := range p.Blocks {
		if b.BuildCost.Uncertain() || b.AnnualRunCost.Uncertain() || b.IntegrationCost.Uncertain() || b.PerConsumerRunCost.Uncertain() {
			return true
		}
	}
	for _, pr := range p.Programmes {
		if pr.OwnBuildCost.Uncertain() || pr.OwnAnnualCost.Uncertain() || pr.AnnualBenefit.Uncertain() {
			return true
		}
	}
	return false
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"blockplan/catalog"
	"blockplan/model"
	"blockplan/reports"
)

// scenarioFlags are the what-if flags shared by savings, roadmap and report.
type scenarioFlags struct {
	discountRate, optimismBias optFloat
	horizon                    optInt
	mc                         *int
	seed                       *int64
}

func addScenarioFlags(fs *flag.FlagSet, withMC bool) *scenarioFlags {
	s := &scenarioFlags{}
	fs.Var(&s.discountRate, "discount-rate", "override the discount rate (0.035 is 3.5 %)")
	fs.Var(&s.horizon, "horizon", "override the plan horizon in years")
	fs.Var(&s.optimismBias, "optimism-bias", "override the optimism bias on one-off costs (0.2 is +20 %)")
	if withMC {
		s.mc = fs.Int("mc", 0, "Monte Carlo draws over the ranges (0: none), with a tornado")
		s.seed = fs.Int64("seed", model.DefaultSeed, "Monte Carlo seed")
	}
	return s
}

func (s *scenarioFlags) options() (model.AnalysisOptions, error) {
	var ao model.AnalysisOptions
	ao.DiscountRate, ao.HorizonYears, ao.OptimismBias = s.discountRate.p, s.horizon.p, s.optimismBias.p
	if s.mc != nil {
		if *s.mc < 0 || *s.mc > 10_000_000 {
			return ao, usagef("--mc must be from 0 to 10000000, not %d", *s.mc)
		}
		ao.MonteCarlo, ao.Seed = *s.mc, *s.seed
	}
	return ao, nil
}

// optFloat and optInt are flags that remember whether they were given.
type optFloat struct{ p *float64 }

func (f *optFloat) String() string {
	if f == nil || f.p == nil {
		return ""
	}
	return fmt.Sprint(*f.p)
}

func (f *optFloat) Set(s string) error {
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%q is not a number", s)
	}
	f.p = &v
	return nil
}

type optInt struct{ p *int }

func (f *optInt) String() string {
	if f == nil || f.p == nil {
		return ""
	}
	return fmt.Sprint(*f.p)
}

func (f *optInt) Set(s string) error {
	var v int
	if _, err := fmt.Sscan(s, &v); err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	f.p = &v
	return nil
}

// analyze loads the portfolio named by the arguments and runs the cost
// model over it with the what-if flags.
func analyze(ctx context.Context, e *env, src portfolioSource, pos []string, sf *scenarioFlags) (*model.Analysis, error) {
	ao, err := sf.options()
	if err != nil {
		return nil, err
	}
	raw, err := src.load(ctx, e, pos)
	if err != nil {
		return nil, err
	}
	return model.Analyze(raw, catalog.Default(), ao)
}

func runSavings(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "savings", "savings [--json] [--mc N] [--seed S] [--discount-rate R] [--horizon N] [--optimism-bias X] (FILE | --portfolio ID)\n\nComputes reuse savings and the investment appraisal of both scenarios (every programme\nbuilds its own blocks, or one shared instance per block). With --json, prints the\ndocument of cost-model.md §9.")
	asJSON := fs.Bool("json", false, "print the cost model's JSON document")
	src := addPortfolioFlag(fs)
	sf := addScenarioFlags(fs, true)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if sf.mc != nil && *sf.mc > 0 && !*asJSON && isTerminal(e.stderr) {
		fmt.Fprintf(e.stderr, "Computing %s Monte Carlo draws…\n", reports.FormatNumber(float64(*sf.mc), 0, "en"))
	}
	a, err := analyze(ctx, e, src, pos, sf)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, a.Result)
	}
	printSavings(e.stdout, a)
	return nil
}

// printSavings is the person's view of the figures: the same numbers as the
// JSON, rounded for reading.
func printSavings(w io.Writer, a *model.Analysis) {
	r, p := a.Result, a.Portfolio
	m := func(v float64) string { return reports.FormatNumber(v, 0, "en") }
	opt := func(v *float64, f func(float64) string) string {
		if v == nil {
			return "n/a"
		}
		return f(*v)
	}
	pct := func(v float64) string { return reports.FormatPercent(v, 1, "en") }
	year := func(v *int) string {
		if v == nil {
			return "none in the plan"
		}
		return fmt.Sprint(*v)
	}
	title := p.Name
	if title == "" {
		title = p.ID
	}
	fmt.Fprintf(w, "%s\n", title)
	fmt.Fprintf(w, "Plan %d–%d, discount rate %s, optimism bias %s, amounts in %s (present values)\n\n",
		r.Settings.StartYear, r.Settings.StartYear+r.Settings.HorizonYears-1, pct(r.Settings.DiscountRate), pct(r.Settings.OptimismBias), r.Currency)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Siloed (each programme builds its own)\t%s\t\n", m(r.Totals.PVSiloed))
	fmt.Fprintf(tw, "Shared (one instance per block)\t%s\t\n", m(r.Totals.PVShared))
	fmt.Fprintf(tw, "Savings from reuse\t%s\t\n", m(r.Totals.Savings))
	fmt.Fprintf(tw, "Savings ratio\t%s\t\n", opt(r.Totals.SavingsRatio, pct))
	tw.Flush()

	fmt.Fprintln(w, "\nAppraisal")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tShared\tSiloed\t")
	ap := r.Appraisal
	fmt.Fprintf(tw, "PV of costs\t%s\t%s\t\n", m(ap.Shared.PVCost), m(ap.Siloed.PVCost))
	fmt.Fprintf(tw, "PV of benefits\t%s\t%s\t\n", m(r.Totals.PVBenefits), m(r.Totals.PVBenefits))
	fmt.Fprintf(tw, "NPV\t%s\t%s\t\n", m(ap.Shared.NPV), m(ap.Siloed.NPV))
	ratio := func(v float64) string { return reports.FormatNumber(v, 2, "en") }
	fmt.Fprintf(tw, "BCR\t%s\t%s\t\n", opt(ap.Shared.BCR, ratio), opt(ap.Siloed.BCR, ratio))
	fmt.Fprintf(tw, "ROI\t%s\t%s\t\n", opt(ap.Shared.ROI, pct), opt(ap.Siloed.ROI, pct))
	fmt.Fprintf(tw, "IRR\t%s\t%s\t\n", opt(ap.Shared.IRR, pct), opt(ap.Siloed.IRR, pct))
	fmt.Fprintf(tw, "Payback year\t%s\t%s\t\n", year(ap.Shared.PaybackYear), year(ap.Siloed.PaybackYear))
	fmt.Fprintf(tw, "Cost per beneficiary\t%s\t%s\t\n", opt(ap.Shared.CostPerBeneficiary, ratio), opt(ap.Siloed.CostPerBeneficiary, ratio))
	tw.Flush()

	fmt.Fprintln(w, "\nBy building block")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Block\tStatus\tConsumers\tSiloed\tShared\tSavings\t")
	for _, b := range r.Blocks {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t\n", b.ID, b.Status, b.Consumers, m(b.PVSiloed), m(b.PVShared), m(b.Savings))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nBy programme")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Programme\tBlocks\tSiloed\tShared\tSavings\tOwn costs\tBenefits\t")
	for _, pr := range r.Programmes {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", pr.ID, len(pr.Blocks), m(pr.PVSiloed), m(pr.PVShared), m(pr.Savings), m(pr.PVOwn), m(pr.PVBenefits))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nBy national goal")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Goal\tSiloed\tShared\tSavings\t")
	for _, g := range r.Goals {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", g.ID, m(g.PVSiloed), m(g.PVShared), m(g.Savings))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nBy SDG target")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Target\tSiloed\tShared\tSavings\t")
	for _, t := range r.SDGTargets {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", t.ID, m(t.PVSiloed), m(t.PVShared), m(t.Savings))
	}
	tw.Flush()

	if mc := r.MonteCarlo; mc != nil {
		fmt.Fprintf(w, "\nUncertainty: %d Monte Carlo draws (seed %d) over %d ranges\n", mc.Iterations, mc.Seed, mc.Ranges)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "\tMean\tP10\tP50\tP90\tP(<0)\t")
		for _, d := range []struct {
			name string
			d    model.Distribution
		}{{"Savings", mc.Savings}, {"NPV (shared)", mc.NPVShared}} {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", d.name, m(d.d.Mean), m(d.d.P10), m(d.d.P50), m(d.d.P90), pct(d.d.ProbNegative))
		}
		tw.Flush()
	}
	if len(r.Tornado) > 0 {
		fmt.Fprintln(w, "\nTornado: savings with one range at its low and at its high value")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "Parameter\tLow\tHigh\tSwing\t")
		for i, t := range r.Tornado {
			if i == 15 {
				fmt.Fprintf(tw, "… %d more (see --json)\t\t\t\t\n", len(r.Tornado)-15)
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", t.Parameter, m(t.Low), m(t.High), m(t.Swing))
		}
		tw.Flush()
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(w, "\n%d warning(s)\n", len(r.Warnings))
		for _, wn := range r.Warnings {
			fmt.Fprintf(w, "  %s: %s\n", wn.Code, wn.Message)
		}
	}
}

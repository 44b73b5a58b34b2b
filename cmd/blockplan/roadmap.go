package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"blockplan/model"
	"blockplan/reports"
)

func runRoadmap(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "roadmap", "roadmap [--budget K] [--json] [--discount-rate R] [--horizon N] [--optimism-bias X] (FILE | --portfolio ID)\n\n"+
		"Which building blocks to fund first as shared infrastructure. Without --budget, the efficient\n"+
		"frontier: every budget at which the best set of blocks changes. With --budget K (present value,\n"+
		"in the portfolio's currency), the set that saves most within K, and what each chosen block serves.")
	asJSON := fs.Bool("json", false, "print {\"budget\", \"chosen\", \"cost\", \"savings\", \"share\", \"frontier\", …} as JSON")
	var budget optFloat
	fs.Var(&budget, "budget", "budget K for shared blocks (present value)")
	src := addPortfolioFlag(fs)
	sf := addScenarioFlags(fs, false)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if budget.p != nil && *budget.p < 0 {
		return usagef("--budget must not be negative, not %v", *budget.p)
	}
	a, err := analyze(ctx, e, src, pos, sf)
	if err != nil {
		return err
	}
	rm := model.Roadmap(a.Result, budget.p)
	if *asJSON {
		return writeJSON(e.stdout, rm)
	}
	printRoadmap(e.stdout, a, rm)
	return nil
}

func printRoadmap(w io.Writer, a *model.Analysis, rm *model.RoadmapResult) {
	m := func(v float64) string { return reports.FormatNumber(v, 0, "en") }
	pct := func(v *float64) string {
		if v == nil {
			return "n/a"
		}
		return reports.FormatPercent(*v, 1, "en")
	}
	cur := a.Result.Currency
	fmt.Fprintf(w, "%d block(s) save money when shared; all of them together save %s %s (present value).\n",
		rm.Candidates, m(rm.PossibleSavings), cur)
	if rm.Budget != nil {
		fmt.Fprintf(w, "\nWith a budget of %s %s, share: %s\n", m(*rm.Budget), cur, orNone(rm.Chosen))
		fmt.Fprintf(w, "  cost %s, savings %s, %s of the possible savings\n", m(rm.Cost), m(rm.Savings), pct(rm.Share))
		for _, id := range rm.Chosen {
			s := rm.Serves[id]
			fmt.Fprintf(w, "  %s serves programmes %s; goals %s\n", id, orNone(s.Programmes), orNone(s.Goals))
		}
	}
	fmt.Fprintln(w, "\nEfficient frontier (the best set for every budget from its cost up to the next):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Budget from\tSavings\tShare\tBlocks")
	for _, f := range rm.Frontier {
		var share *float64
		if rm.PossibleSavings > 0 {
			s := f.Savings / rm.PossibleSavings
			share = &s
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m(math.Max(f.Cost, 0)), m(f.Savings), pct(share), orNone(f.Blocks))
	}
	tw.Flush()
	if !rm.FrontierComplete {
		fmt.Fprintln(w, "(the frontier had too many points to list; it was thinned)")
	}
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

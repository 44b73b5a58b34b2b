package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"blockplan/catalog"
	"blockplan/model"
	"blockplan/reports"
)

// reportFormats are the writers of `blockplan report --format`, and what
// each gives.
var reportFormats = map[string]struct {
	write  func(io.Writer, reports.Input) error
	what   string
	binary bool
}{
	"pdf":   {reports.PDF, "PDF report", true},
	"xlsx":  {reports.Workbook, "Excel workbook", true},
	"html":  {reports.HTML, "HTML report", true}, // a megabyte of inlined JavaScript: no more readable on a terminal
	"archi": {reports.Archi, "Archi CSV exchange (zip)", true},
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "report", `report --format pdf|xlsx|html|archi [--lang en|fr] [-o PATH] [--mc N] [--seed S] [--budget K]
       [--discount-rate R] [--horizon N] [--optimism-bias X] (FILE | --portfolio ID)

Writes the report of a portfolio for its reader: a PDF for donors, an Excel workbook of
live formulas for finance officers, a self-contained HTML page of charts for planners
(it works with no network), or Archi's CSV exchange for enterprise architects. Every
figure comes from the cost model. The investment roadmap (the efficient frontier of which
blocks to share first) is in every report; with --budget K it also names the set of blocks
that saves most within K (present value, in the portfolio's currency), as 'roadmap' does.

With no -o the report goes to standard output, which must then not be a terminal.
For archi, a PATH ending in .zip gets the zip; any other PATH is a folder that receives
elements.csv, relations.csv and properties.csv. A report is written whole or not at all.`)
	format := fs.String("format", "", "pdf, xlsx, html or archi")
	lang := fs.String("lang", "en", "language of the report: en or fr")
	out := fs.String("o", "", "write to PATH instead of standard output")
	var mc optInt
	fs.Var(&mc, "mc", fmt.Sprintf("Monte Carlo draws for the uncertainty section (default %d when the portfolio has ranges; 0 for none)", model.DefaultIterations))
	seed := fs.Int64("seed", model.DefaultSeed, "Monte Carlo seed")
	var budget optFloat
	fs.Var(&budget, "budget", "budget K for shared blocks (present value): the roadmap's chosen set")
	src := addPortfolioFlag(fs)
	sf := addScenarioFlags(fs, false)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	f, ok := reportFormats[strings.ToLower(*format)]
	if !ok {
		if *format == "" {
			return usagef("--format is required: pdf, xlsx, html or archi")
		}
		return usagef("--format %q: choose pdf, xlsx, html or archi", *format)
	}
	fmtName := strings.ToLower(*format)
	language, ok := reports.NormalizeLang(*lang)
	if !ok || *lang == "" {
		return usagef("--lang %q: choose en or fr", *lang)
	}
	if mc.p != nil && (*mc.p < 0 || *mc.p > 10_000_000) {
		return usagef("--mc must be from 0 to 10000000, not %d", *mc.p)
	}
	if budget.p != nil && *budget.p < 0 {
		return usagef("--budget must not be negative, not %v", *budget.p)
	}
	toStdout := *out == "" || *out == "-"
	if toStdout && f.binary && isTerminal(e.stdout) {
		return usagef("refusing to write the %s to a terminal: give -o PATH or redirect the output (> report.%s)", f.what, reportExt(fmtName))
	}

	ao, err := sf.options()
	if err != nil {
		return err
	}
	raw, err := src.load(ctx, e, pos)
	if err != nil {
		return err
	}
	ao.Seed = *seed
	switch {
	case mc.p != nil:
		ao.MonteCarlo = *mc.p
	case raw.HasRanges(): // catalogue entries carry no amounts
		ao.MonteCarlo = model.DefaultIterations
	}
	progress := isTerminal(e.stderr)
	if progress && ao.MonteCarlo > 0 {
		fmt.Fprintf(e.stderr, "Computing %s Monte Carlo draws…\n", reports.FormatNumber(float64(ao.MonteCarlo), 0, "en"))
	}
	a, err := model.Analyze(raw, catalog.Default(), ao)
	if err != nil {
		return err
	}
	in := reports.Input{Portfolio: a.Portfolio, Result: a.Result, Lang: language, Generated: reportTime(),
		Roadmap: model.Roadmap(a.Result, budget.p), Targets: sdgTargets(catalog.Default(), a.Portfolio, a.Result)}

	if fmtName == "archi" && !toStdout && !strings.EqualFold(filepath.Ext(*out), ".zip") {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := reports.ArchiFiles(*out, in); err != nil {
			return err
		}
		if progress {
			fmt.Fprintf(e.stderr, "Wrote %s, %s and %s to %s\n", reports.ArchiElementsFile, reports.ArchiRelationsFile, reports.ArchiPropertiesFile, *out)
		}
		return nil
	}

	// The whole report is made in memory first: nothing is written if it
	// fails, and standard output never gets half a file.
	var buf bytes.Buffer
	if err := f.write(&buf, in); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if toStdout {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(*out, true, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	if progress {
		fmt.Fprintf(e.stderr, "Wrote the %s to %s (%s KB)\n", f.what, *out, reports.FormatNumber(float64(buf.Len())/1024, 0, "en"))
	}
	return nil
}

// sdgTargets are the catalogue's texts of every SDG target the portfolio and
// its figures name, for the reports (which do not import the catalogue).
func sdgTargets(ref model.Reference, p *model.Portfolio, r *model.Result) map[string]model.SDGTarget {
	out := map[string]model.SDGTarget{}
	add := func(code string) {
		if _, done := out[code]; done || code == model.UnmappedID {
			return
		}
		if t, ok := ref.SDGTarget(code); ok {
			out[code] = t
		}
	}
	for _, t := range r.SDGTargets {
		add(t.ID)
	}
	for _, g := range p.Goals {
		for _, c := range g.SDGTargets {
			add(c)
		}
	}
	for _, u := range p.UseCases {
		for _, c := range u.SDGTargets {
			add(c)
		}
	}
	return out
}

func reportExt(format string) string {
	if format == "archi" {
		return "zip"
	}
	return format
}

// reportTime is the generation time printed on a report: now, or
// $SOURCE_DATE_EPOCH (seconds) for reproducible output.
func reportTime() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(sec, 0).UTC()
		}
	}
	return time.Now()
}

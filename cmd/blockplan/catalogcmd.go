package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"blockplan/catalog"
)

// catalogKinds maps what people type after "catalog list" to catalogue
// kinds.
var catalogKinds = map[string]string{
	"goals": catalog.KindGoal, "sdgs": catalog.KindGoal, "sdg_goals": catalog.KindGoal,
	"targets": catalog.KindTarget, "sdg_targets": catalog.KindTarget,
	"indicators": catalog.KindIndicator, "sdg_indicators": catalog.KindIndicator,
	"blocks": catalog.KindBlock, "workflows": catalog.KindWorkflow,
	"use_cases": catalog.KindUseCase, "usecases": catalog.KindUseCase, "use-cases": catalog.KindUseCase,
}

func runCatalog(ctx context.Context, e *env, args []string) error {
	const usage = "catalog export --json | catalog list KIND [--lang fr] | catalog show ID [--lang fr]\n\n" +
		"The built-in reference catalogue: 17 SDGs, 169 targets and their indicators, the framework's\n" +
		"building blocks and workflows (with GovStack's), and reference use cases, in English and French.\n" +
		"KIND is one of: sdgs, targets, indicators, blocks, workflows, use_cases."
	if len(args) == 0 {
		return usagef("catalog needs a subcommand: export, list or show")
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "catalog "+sub, usage)
	asJSON := fs.Bool("json", false, "print JSON")
	lang := fs.String("lang", "en", "language of names: en or fr")
	if sub == "-h" || sub == "--help" || sub == "help" {
		fs.Usage()
		return nil
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *lang != "en" && *lang != "fr" {
		return usagef("--lang must be en or fr, not %q", *lang)
	}
	cat := catalog.Default()
	switch sub {
	case "export":
		if err := wantArgs(pos, 0, "no argument"); err != nil {
			return err
		}
		if !*asJSON {
			return usagef("catalog export writes JSON: add --json")
		}
		return writeJSON(e.stdout, cat.Export())
	case "list":
		if err := wantArgs(pos, 1, "a KIND (sdgs, targets, indicators, blocks, workflows, use_cases)"); err != nil {
			return err
		}
		kind, ok := catalogKinds[strings.ToLower(pos[0])]
		if !ok {
			return usagef("unknown kind %q: use sdgs, targets, indicators, blocks, workflows or use_cases", pos[0])
		}
		return listCatalog(e.stdout, cat, kind, *lang, *asJSON)
	case "show":
		if err := wantArgs(pos, 1, "an ID or name"); err != nil {
			return err
		}
		refs := cat.Find(pos[0])
		if len(refs) == 0 {
			msg := fmt.Sprintf("nothing in the catalogue is called %q", pos[0])
			var sugg []string
			for _, k := range []string{catalog.KindBlock, catalog.KindWorkflow, catalog.KindUseCase, catalog.KindTarget} {
				sugg = append(sugg, cat.Suggest(k, pos[0], 2)...)
			}
			if len(sugg) > 0 {
				msg += "; did you mean " + strings.Join(sugg, ", ") + "?"
			}
			return fmt.Errorf("%s", msg)
		}
		var entries []any
		for _, r := range refs {
			v, _ := cat.Entry(r.Kind, r.ID)
			entries = append(entries, v)
		}
		if *asJSON {
			if len(entries) == 1 {
				return writeJSON(e.stdout, entries[0])
			}
			return writeJSON(e.stdout, entries)
		}
		for i, v := range entries {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			showEntry(e.stdout, refs[i].Kind, v, *lang)
		}
		return nil
	}
	return usagef("unknown catalog subcommand %q: use export, list or show", sub)
}

// catalogRow is one line of "catalog list".
type catalogRow struct{ id, name string }

func rowsOf[T any](xs []T, id func(T) string, name func(T) catalog.Text, lang string) []catalogRow {
	rows := make([]catalogRow, len(xs))
	for i, x := range xs {
		rows[i] = catalogRow{id(x), name(x).In(lang)}
	}
	return rows
}

func listCatalog(w io.Writer, cat *catalog.Catalog, kind, lang string, asJSON bool) error {
	var rows []catalogRow
	var all any
	switch kind {
	case catalog.KindGoal:
		xs := cat.Goals()
		rows, all = rowsOf(xs, func(x catalog.Goal) string { return x.ID }, func(x catalog.Goal) catalog.Text { return x.Name }, lang), xs
	case catalog.KindTarget:
		xs := cat.Targets()
		rows, all = rowsOf(xs, func(x catalog.Target) string { return x.ID }, func(x catalog.Target) catalog.Text { return x.Name }, lang), xs
	case catalog.KindIndicator:
		xs := cat.Indicators()
		rows, all = rowsOf(xs, func(x catalog.Indicator) string { return x.ID }, func(x catalog.Indicator) catalog.Text { return x.Name }, lang), xs
	case catalog.KindBlock:
		xs := cat.Blocks()
		rows, all = rowsOf(xs, func(x catalog.Block) string { return x.ID }, func(x catalog.Block) catalog.Text { return x.Name }, lang), xs
	case catalog.KindWorkflow:
		xs := cat.Workflows()
		rows, all = rowsOf(xs, func(x catalog.Workflow) string { return x.ID }, func(x catalog.Workflow) catalog.Text { return x.Name }, lang), xs
	case catalog.KindUseCase:
		xs := cat.UseCases()
		rows, all = rowsOf(xs, func(x catalog.UseCase) string { return x.ID }, func(x catalog.UseCase) catalog.Text { return x.Name }, lang), xs
	}
	if asJSON {
		return writeJSON(w, all)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		name := r.name
		if len([]rune(name)) > 100 {
			name = string([]rune(name)[:99]) + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\n", r.id, name)
	}
	return tw.Flush()
}

// showEntry prints one catalogue entry for a person.
func showEntry(w io.Writer, kind string, v any, lang string) {
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-13s %s\n", label+":", value)
		}
	}
	list := func(label string, xs []string) {
		if len(xs) > 0 {
			line(label, strings.Join(xs, ", "))
		}
	}
	line("Kind", kind)
	switch x := v.(type) {
	case catalog.Goal:
		line("SDG", x.ID)
		line("Name", x.Name.In(lang))
		line("Title", x.Title.In(lang))
	case catalog.Target:
		line("Target", x.ID)
		line("Goal", x.Goal)
		line("Text", x.Name.In(lang))
	case catalog.Indicator:
		line("Indicator", x.ID)
		line("Target", x.Target)
		line("Text", x.Name.In(lang))
	case catalog.Block:
		line("Id", x.ID)
		line("Name", x.Name.In(lang))
		line("Description", x.Description.In(lang))
		line("Source", x.Source)
		list("Aliases", x.Aliases)
	case catalog.Workflow:
		line("Id", x.ID)
		line("Name", x.Name.In(lang))
		line("Description", x.Description.In(lang))
		list("Blocks", x.Blocks)
		list("Aliases", x.Aliases)
	case catalog.UseCase:
		line("Id", x.ID)
		line("Name", x.Name.In(lang))
		line("Description", x.Description.In(lang))
		line("Sector", x.Sector.In(lang))
		line("Source", x.Source)
		list("SDG targets", x.SDGTargets)
		list("SDG goals", x.SDGGoals)
		list("Workflows", x.Workflows)
		list("Blocks", x.Blocks)
		for i, s := range x.Steps {
			fmt.Fprintf(w, "  step %d: %s\n", i+1, s.Name.In(lang))
			if len(s.Blocks) > 0 {
				fmt.Fprintf(w, "          blocks: %s\n", strings.Join(s.Blocks, ", "))
			}
		}
	}
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"blockplan/catalog"
	"blockplan/fixtures"
	"blockplan/importers"
	"blockplan/model"
	"blockplan/store/sqlite"
)

// openStore opens the database, creating it on first use with the demo
// portfolio so that a newcomer has something to look at.
func openStore(ctx context.Context, e *env) (*sqlite.DB, error) {
	_, statErr := os.Stat(e.dbPath)
	fresh := errors.Is(statErr, os.ErrNotExist)
	db, err := sqlite.Open(ctx, e.dbPath)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", e.dbPath, err)
	}
	if fresh {
		if err := seedDemo(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("seed demo portfolio: %w", err)
		}
	}
	return db, nil
}

// seedDemo stores the embedded demo portfolio.
func seedDemo(ctx context.Context, st model.PortfolioStore) error {
	p, err := model.DecodePortfolioBytes(fixtures.Demo)
	if err != nil {
		return err
	}
	if _, ps := model.Resolve(p, catalog.Default()); ps.HasErrors() {
		return ps.Err("demo portfolio")
	}
	_, err = st.SavePortfolio(ctx, p, model.SaveOptions{Replace: true})
	return err
}

// loadFile reads a portfolio file of any supported form and checks it
// against the catalogue. Problems hold every error and warning; err is for a
// file that cannot be read at all.
func loadFile(ctx context.Context, e *env, path string, progress bool) (*model.Portfolio, model.Problems, error) {
	opt := importers.Options{Ref: catalog.Default()}
	if progress && isTerminal(e.stderr) {
		opt.Progress = e.stderr
	}
	return importers.Load(ctx, path, opt)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printProblems lists problems for a person, errors first.
func printProblems(w io.Writer, ps model.Problems) {
	for _, p := range ps {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "validate", "validate [--json] FILE\n\nChecks a portfolio (JSON, .xlsx, CSV folder or .zip) and lists every error and warning.\nExit status 1 if there is any error.")
	asJSON := fs.Bool("json", false, "print {\"valid\", \"errors\", \"warnings\"} as JSON")
	pos, err := parseExactly(fs, args, 1, "one portfolio FILE")
	if err != nil {
		return err
	}
	p, ps, err := loadFile(ctx, e, pos[0], !*asJSON)
	if err != nil {
		if *asJSON && model.ErrorCode(err) == model.EINVALID {
			ps = append(model.ErrorDetails(err), ps...)
			if len(ps) == 0 {
				ps = model.Problems{{Severity: model.SeverityError, Code: "unreadable", Message: model.ErrorMessage(err)}}
			}
		} else {
			return err
		}
	}
	ps.Sort()
	if *asJSON {
		out := struct {
			Valid    bool           `json:"valid"`
			Errors   model.Problems `json:"errors"`
			Warnings model.Problems `json:"warnings"`
		}{!ps.HasErrors(), orEmpty(ps.Errors()), orEmpty(ps.Warnings())}
		if err := writeJSON(e.stdout, out); err != nil {
			return err
		}
		if ps.HasErrors() {
			return errSilent
		}
		return nil
	}
	errs, warns := ps.Errors(), ps.Warnings()
	if len(errs) > 0 {
		fmt.Fprintf(e.stdout, "%s: %d error(s), %d warning(s)\n", pos[0], len(errs), len(warns))
		printProblems(e.stdout, ps)
		return errSilent
	}
	fmt.Fprintf(e.stdout, "%s: valid — %s; %d warning(s)\n", pos[0], describe(p), len(warns))
	printProblems(e.stdout, warns)
	return nil
}

func orEmpty(ps model.Problems) model.Problems {
	if ps == nil {
		return model.Problems{}
	}
	return ps
}

// describe counts a portfolio's entities for a one-line summary.
func describe(p *model.Portfolio) string {
	return fmt.Sprintf("%d goal(s), %d programme(s), %d use case(s), %d workflow(s), %d block(s)",
		len(p.Goals), len(p.Programmes), len(p.UseCases), len(p.Workflows), len(p.Blocks))
}

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "import [--dry-run] [--replace] FILE\n\nValidates a portfolio (JSON, .xlsx, CSV folder or .zip) and stores it; prints its id.\nNothing is written if there is any error.")
	dryRun := fs.Bool("dry-run", false, "check and report what would be stored, write nothing")
	replace := fs.Bool("replace", false, "replace a stored portfolio with the same id")
	pos, err := parseExactly(fs, args, 1, "one portfolio FILE")
	if err != nil {
		return err
	}
	p, ps, err := loadFile(ctx, e, pos[0], true)
	if err != nil {
		return err
	}
	if ps.HasErrors() {
		return ps.Err("import " + pos[0])
	}
	if p.ID == "" {
		p.ID = model.Slug(p.Name)
		if p.ID == "" {
			return model.Errorf(model.EINVALID, "import %s: the portfolio has neither an id nor a name to make one from", pos[0])
		}
	}
	if w := ps.Warnings(); len(w) > 0 {
		fmt.Fprintf(e.stderr, "%d warning(s):\n", len(w))
		printProblems(e.stderr, w)
	}
	if *dryRun {
		fmt.Fprintf(e.stdout, "would store portfolio %s (%s): %s\n", p.ID, p.Name, describe(p))
		return nil
	}
	db, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.SavePortfolio(ctx, p, model.SaveOptions{Replace: *replace}); err != nil {
		if model.ErrorCode(err) == model.ECONFLICT && !*replace {
			return model.Errorf(model.ECONFLICT, "portfolio %s already exists; add --replace to overwrite it", p.ID)
		}
		return err
	}
	fmt.Fprintln(e.stdout, p.ID)
	return nil
}

func runList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "list", "list [--json]\n\nLists the stored portfolios.")
	asJSON := fs.Bool("json", false, "print a JSON array of {id, name, …}")
	if _, err := parseExactly(fs, args, 0, "no argument"); err != nil {
		return err
	}
	var infos []model.PortfolioInfo
	if err := withStore(ctx, e, func(db *sqlite.DB) (err error) {
		infos, err = db.ListPortfolios(ctx)
		return err
	}); err != nil {
		return err
	}
	if *asJSON {
		if infos == nil {
			infos = []model.PortfolioInfo{}
		}
		return writeJSON(e.stdout, infos)
	}
	if len(infos) == 0 {
		fmt.Fprintln(e.stdout, "No portfolio stored. Import one with: blockplan import FILE")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCOUNTRY\tPROGRAMMES\tBLOCKS\tUPDATED")
	for _, in := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", in.ID, in.Name, in.Country, in.Programmes, in.Blocks, in.UpdatedAt.Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "export ID\n\nPrints a stored portfolio as JSON; importing it again gives the same portfolio.")
	pos, err := parseExactly(fs, args, 1, "a portfolio ID")
	if err != nil {
		return err
	}
	return withStore(ctx, e, func(db *sqlite.DB) error {
		p, _, err := db.GetPortfolio(ctx, pos[0])
		if err != nil {
			return err
		}
		return model.EncodePortfolio(e.stdout, p)
	})
}

func runDelete(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "delete", "delete ID\n\nDeletes a stored portfolio.")
	pos, err := parseExactly(fs, args, 1, "a portfolio ID")
	if err != nil {
		return err
	}
	if err := withStore(ctx, e, func(db *sqlite.DB) error { return db.DeletePortfolio(ctx, pos[0]) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "deleted portfolio %s\n", pos[0])
	return nil
}

// portfolioSource is how a command names its portfolio: a FILE argument or
// --portfolio ID from the database.
type portfolioSource struct {
	id *string
}

func addPortfolioFlag(fs interface {
	String(name, value, usage string) *string
}) portfolioSource {
	return portfolioSource{id: fs.String("portfolio", "", "a stored portfolio's ID (instead of FILE)")}
}

// load gets the raw portfolio named by the arguments: a file (any form
// the importers read; every error in it fails the command) or a stored one.
// Callers resolve and compute it with model.Analyze.
func (s portfolioSource) load(ctx context.Context, e *env, pos []string) (*model.Portfolio, error) {
	switch {
	case *s.id != "" && len(pos) > 0:
		return nil, usagef("give either FILE or --portfolio ID, not both")
	case *s.id == "" && len(pos) != 1:
		return nil, usagef("expected one portfolio FILE or --portfolio ID")
	}
	if *s.id != "" {
		var raw *model.Portfolio
		err := withStore(ctx, e, func(db *sqlite.DB) (err error) {
			raw, _, err = db.GetPortfolio(ctx, *s.id)
			return err
		})
		return raw, err
	}
	raw, ps, err := loadFile(ctx, e, pos[0], true)
	if err != nil {
		return nil, err
	}
	if err := ps.Err(pos[0]); err != nil {
		return nil, err
	}
	return raw, nil
}

// withStore opens the database for the length of fn.
func withStore(ctx context.Context, e *env, fn func(db *sqlite.DB) error) error {
	db, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// parseExactly parses a command's flags and checks that exactly n
// positional arguments remain.
func parseExactly(fs *flag.FlagSet, args []string, n int, what string) ([]string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	return pos, wantArgs(pos, n, what)
}

func runTrace(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "trace", "trace ID NODE [--json]\n\nShows the line through NODE of stored portfolio ID: up to SDG targets, down to building blocks.\nNODE is an id (P1, payments, 3.2) or kind:id when an id is shared by kinds\n(kinds: sdg_target, goal, programme, use_case, workflow, block, agency).\nFor a block this is its impact: what depends on it.")
	asJSON := fs.Bool("json", false, "print the trace as JSON")
	pos, err := parseExactly(fs, args, 2, "a portfolio ID and a NODE")
	if err != nil {
		return err
	}
	var raw *model.Portfolio
	if err := withStore(ctx, e, func(db *sqlite.DB) (err error) {
		raw, _, err = db.GetPortfolio(ctx, pos[0])
		return err
	}); err != nil {
		return err
	}
	p, ps := model.Resolve(raw, catalog.Default())
	if ps.HasErrors() {
		return ps.Err("portfolio " + pos[0])
	}
	g := model.NewGraph(p)
	nodes := g.Lookup(pos[1])
	switch len(nodes) {
	case 0:
		return model.Errorf(model.ENOTFOUND, "no node %q in portfolio %s", pos[1], pos[0])
	case 1:
	default:
		var names []string
		for _, n := range nodes {
			names = append(names, n.String())
		}
		return usagef("%q names several nodes: %s; write kind:id", pos[1], strings.Join(names, ", "))
	}
	t, err := g.Trace(nodes[0].Kind, nodes[0].ID)
	if err != nil {
		return err
	}
	for i, n := range t.SDGTargets {
		if st, ok := catalog.Default().SDGTarget(n.ID); ok {
			t.SDGTargets[i].Name = st.Name
		}
	}
	if *asJSON {
		return writeJSON(e.stdout, t)
	}
	printTrace(e.stdout, t)
	return nil
}

func printTrace(w io.Writer, t *model.Trace) {
	fmt.Fprintf(w, "Line through %s", t.Node)
	if t.Node.Name != "" {
		fmt.Fprintf(w, " (%s)", t.Node.Name)
	}
	fmt.Fprintln(w)
	section := func(title string, ns []model.NodeRef) {
		if len(ns) == 0 {
			return
		}
		fmt.Fprintf(w, "  %s:\n", title)
		for _, n := range ns {
			if name := []rune(n.Name); len(name) > 90 {
				n.Name = string(name[:89]) + "…"
			}
			if n.Name != "" {
				fmt.Fprintf(w, "    %-40s %s\n", n.ID, n.Name)
			} else {
				fmt.Fprintf(w, "    %s\n", n.ID)
			}
		}
	}
	section("SDG targets", t.SDGTargets)
	section("National goals", t.Goals)
	section("Programmes", t.Programmes)
	section("Use cases", t.UseCases)
	section("Workflows", t.Workflows)
	section("Building blocks", t.Blocks)
}

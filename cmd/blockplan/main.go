// Command blockplan traces a government's digital investment portfolio from
// SDG targets and national goals down to shared ICT building blocks, and
// computes what reuse saves. Configuration, flags and wiring live only in
// this package; the work is done by model, catalog, store, importers,
// reports and web.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"blockplan/model"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a command gets: its streams and the global options.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dbPath         string
}

// command is one subcommand. run gets the arguments after its name.
type command struct {
	name, summary string
	run           func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"catalog", "browse or export the built-in reference catalogue", runCatalog},
		{"validate", "check a portfolio file and list every error and warning", runValidate},
		{"import", "validate a portfolio file (JSON, xlsx, CSV folder or zip) and store it", asCLI(runImport)},
		{"list", "list the stored portfolios", runList},
		{"export", "print a stored portfolio as JSON", runExport},
		{"delete", "delete a stored portfolio", asCLI(runDelete)},
		{"trace", "show the line from a node up to SDG targets and down to blocks", runTrace},
		{"savings", "compute reuse savings and the investment appraisal", runSavings},
		{"report", "write a PDF, Excel workbook, HTML page or Archi export of a portfolio", runReport},
		{"template", "write an empty portfolio workbook for analysts", runTemplate},
		{"roadmap", "choose the building blocks to fund first under a budget", runRoadmap},
		{"serve", "serve the web app (planners, donors, analysts) on ADDR", runServe},
		{"user", "add, list, remove users of the web server; set their password or role", asCLI(runUser)},
		{"token", "make, list and revoke API tokens", asCLI(runToken)},
		{"backup", "copy the live database consistently to a file", runBackup},
		{"restore", "check a backup and replace the database with it", asCLI(runRestore)},
	}
}

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errSilent is a failure that the command has already explained.
var errSilent = errors.New("failed")

// exitCode maps an error to the process exit status, in one place: 0 ok,
// 2 usage, 1 anything else.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue), errors.Is(err, flag.ErrHelp):
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, dbPath: os.Getenv("BLOCKPLAN_DB")}
	if e.dbPath == "" {
		e.dbPath = "blockplan.db"
	}
	// Global flags before the command name.
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch a := args[0]; {
		case a == "--db" || a == "-db":
			if len(args) < 2 {
				fmt.Fprintln(stderr, "blockplan: --db needs a path")
				return 2
			}
			e.dbPath, args = args[1], args[2:]
		case strings.HasPrefix(a, "--db="):
			e.dbPath, args = strings.TrimPrefix(a, "--db="), args[1:]
		case a == "-h" || a == "--help" || a == "-help":
			printUsage(stdout)
			return 0
		default:
			fmt.Fprintf(stderr, "blockplan: unknown flag %s\n", a)
			printUsage(stderr)
			return 2
		}
	}
	if len(args) == 0 {
		printUsage(stderr)
		return 2
	}
	name := args[0]
	if name == "help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "--help"}, stdin, stdout, stderr)
		}
		printUsage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, e, args[1:])
			if err != nil && !errors.Is(err, errSilent) && !errors.Is(err, flag.ErrHelp) {
				printError(stderr, err)
				var ue *usageError
				if errors.As(err, &ue) {
					fmt.Fprintf(stderr, "Run 'blockplan %s --help' for usage.\n", name)
				}
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return exitCode(err)
		}
	}
	fmt.Fprintf(stderr, "blockplan: unknown command %q\n", name)
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "blockplan: trace digital investments from SDG targets to shared building blocks, and cost their reuse.")
	fmt.Fprintln(w, "\nUsage: blockplan [--db PATH] COMMAND [ARGS]")
	fmt.Fprintln(w, "\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nThe database is ./blockplan.db unless --db or $BLOCKPLAN_DB says otherwise; it is created, with a demo portfolio, on first use.")
	fmt.Fprintln(w, "Run 'blockplan COMMAND --help' for a command's flags.")
}

// printError writes err for a person: the message, then each problem it
// carries on its own line.
func printError(w io.Writer, err error) {
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(w, "blockplan: %s\n", ue.msg)
		return
	}
	details := model.ErrorDetails(err)
	if len(details) == 0 {
		fmt.Fprintf(w, "blockplan: %s\n", errorText(err))
		return
	}
	errs := details.Errors()
	fmt.Fprintf(w, "blockplan: %d error(s):\n", len(errs))
	for _, p := range details {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

// errorText is the message for an error: a domain error's safe message, or
// the full chain for internal errors (this is the operator's own terminal).
func errorText(err error) string {
	var de *model.Error
	if errors.As(err, &de) && de.Message != "" {
		return de.Message
	}
	return err.Error()
}

// newFlags makes a flag set for a subcommand whose errors go back to the
// caller as usage errors.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: blockplan %s\n", usage)
		var has bool
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprintln(e.stdout, "\nFlags:")
			fs.SetOutput(e.stdout)
			fs.PrintDefaults()
			fs.SetOutput(e.stderr)
		}
	}
	return fs
}

// parseArgs parses flags that may stand before, between or after the
// positional arguments ("validate FILE --json" as well as "validate --json
// FILE") and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// wantArgs checks the number of positional arguments.
func wantArgs(pos []string, n int, what string) error {
	if len(pos) != n {
		return usagef("expected %s, got %d argument(s)", what, len(pos))
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"blockplan/catalog"
	"blockplan/importers"
)

func runTemplate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "template", "template FILE.xlsx [--lang fr|en]\n\n"+
		"Writes an empty portfolio workbook for analysts: one sheet per kind (Settings, Agencies, Goals,\n"+
		"Programmes, UseCases, Workflows, Blocks), an Instructions sheet, drop-down lists of references\n"+
		"and catalogue entries, and an example row. Fill it in, then: blockplan import FILE.xlsx")
	lang := fs.String("lang", "en", "language of headers and instructions: en or fr")
	force := fs.Bool("force", false, "overwrite FILE if it exists")
	pos, err := parseExactly(fs, args, 1, "one FILE.xlsx")
	if err != nil {
		return err
	}
	if *lang != "en" && *lang != "fr" {
		return usagef("--lang must be en or fr, not %q", *lang)
	}
	if filepath.Ext(pos[0]) != ".xlsx" {
		return usagef("the template is an Excel workbook: name it FILE.xlsx, not %s", pos[0])
	}
	if err := writeFileAtomic(pos[0], *force, func(w io.Writer) error {
		return importers.WriteTemplate(w, *lang, catalog.Default())
	}); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", pos[0])
	return nil
}

// writeFileAtomic writes path through a temporary file in the same folder
// and renames it into place, so that a failure leaves nothing half-written
// (and an existing file untouched). Without overwrite an existing path is
// an error.
func writeFileAtomic(path string, overwrite bool, write func(io.Writer) error) (err error) {
	if !overwrite {
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s already exists (add --force to overwrite it)", path)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

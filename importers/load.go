package importers

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"blockplan/catalog"
	"blockplan/model"
)

// Options tune an import.
type Options struct {
	// Ref is the reference catalogue that names are matched against and that
	// validation uses; nil is catalog.Default().
	Ref *catalog.Catalog
	// Progress receives a progress bar for large files; nil is silent. The
	// CLI passes stderr only when it is a terminal.
	Progress io.Writer
	// MaxProblems caps the problems reported (0 is DefaultMaxProblems);
	// beyond it one problem says how many more there are.
	MaxProblems int
}

// Load imports the portfolio at path: a workbook (.xlsx), a zip of CSV
// files, a folder of CSV files, a single CSV file named after its sheet
// (programmes.csv), or a portfolio JSON document. The kind is told by the
// content, the name only breaking ties.
//
// The error is for a file that cannot be read at all (missing, damaged,
// not a portfolio in any form): an EINVALID *model.Error with a message for
// the user. Everything wrong inside a readable file, each cell and each
// validation rule, is a problem, all at once (up to Options.MaxProblems).
// The portfolio is returned even when the problems hold errors, so that a
// dry run can show it (it is nil only for a JSON document that cannot be
// decoded, the problems saying why); a caller must write nothing when
// problems.HasErrors().
//
// The portfolio is as written, not resolved: references hold ids (names
// found in cells are replaced by the ids they name), catalogue entries are
// not copied in, defaults are not filled in. model.Resolve does that.
func Load(ctx context.Context, path string, opt Options) (*model.Portfolio, model.Problems, error) {
	name := filepath.Base(path)
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, invalidf(name, "no such file or folder")
		}
		return nil, nil, &model.Error{Code: model.EINVALID, Message: name + ": cannot be read", Err: err}
	}
	if fi.IsDir() {
		return loadDir(ctx, path, opt)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &model.Error{Code: model.EINVALID, Message: name + ": cannot be read", Err: err}
	}
	defer f.Close()
	return Read(ctx, f, fi.Size(), name, opt)
}

// Read is Load for a file held by the caller, such as an upload: r holds
// size bytes, name is the file's name (its extension breaks ties between
// kinds). A folder of CSV files comes as a zip.
func Read(ctx context.Context, r io.ReaderAt, size int64, name string, opt Options) (p *model.Portfolio, ps model.Problems, err error) {
	if opt.Ref == nil {
		opt.Ref = catalog.Default()
	}
	if size > MaxFileSize {
		return nil, nil, invalidf(name, "the file is %d MiB, more than the %d MiB an import takes", size>>20, MaxFileSize>>20)
	}
	if size == 0 {
		return nil, nil, invalidf(name, "the file is empty")
	}
	head := make([]byte, min(size, 512))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, nil, &model.Error{Code: model.EINVALID, Message: name + ": cannot be read", Err: err}
	}
	ext := strings.ToLower(path.Ext(name))
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		zr, err := zip.NewReader(r, size)
		if err != nil {
			return nil, nil, invalidf(name, "the file is a damaged or truncated zip archive (an .xlsx workbook is one): %v; save or download it again", err)
		}
		if err := checkZip(name, zr); err != nil {
			return nil, nil, err
		}
		switch zipKind(zr) {
		case "xlsx":
			return readXLSX(ctx, name, r, size, zr, opt)
		case "csv":
			return readTables(ctx, name, zipTables(zr), true, opt)
		}
		if ext == ".xlsx" || ext == ".xlsm" {
			return nil, nil, invalidf(name, "the file is a zip archive but not an Excel workbook (it has no xl/workbook.xml): save it from the spreadsheet program as .xlsx")
		}
		return nil, nil, invalidf(name, "the zip archive holds neither an Excel workbook nor CSV files")
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return nil, nil, invalidf(name, "the file is an old Excel 97–2003 workbook (.xls) or a password-protected one: save it as an Excel workbook (.xlsx) without a password")
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".ods":
		what := "binary data"
		if _, _, err := decodeText(head); err == nil {
			what = "text"
		}
		return nil, nil, invalidf(name, "the file is not an Excel workbook: it holds %s, not the zip structure of an .xlsx (is it a CSV file renamed .xlsx?)", what)
	case ext == ".json" || (looksJSON(head) && ext != ".csv" && ext != ".tsv" && ext != ".txt"):
		return readJSON(name, io.NewSectionReader(r, 0, size), opt)
	case ext == ".zip":
		return nil, nil, invalidf(name, "the file is not a zip archive")
	}
	if lookupSheet(name) == nil {
		if ext == ".csv" || ext == ".txt" || ext == ".tsv" {
			return nil, nil, invalidf(name, "a single CSV file must be named after its sheet (settings.csv, agencies.csv, goals.csv, programmes.csv, use_cases.csv, workflows.csv or blocks.csv); put a portfolio's CSV files in one folder or .zip")
		}
		return nil, nil, invalidf(name, "unknown kind of file: expected an Excel workbook (.xlsx), a zip or folder of CSV files, or a portfolio .json")
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, nil, &model.Error{Code: model.EINVALID, Message: name + ": cannot be read", Err: err}
	}
	return readTables(ctx, name, []table{csvTable(name, data)}, true, opt)
}

func looksJSON(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// readJSON reads a portfolio document; its problems (syntax, unknown keys,
// types) are problems of the import, like a spreadsheet's.
func readJSON(name string, r io.Reader, opt Options) (*model.Portfolio, model.Problems, error) {
	ps := newSink(opt.MaxProblems)
	p, err := model.DecodePortfolio(r)
	if err != nil {
		details := model.ErrorDetails(err)
		if details == nil {
			return nil, nil, &model.Error{Code: model.EINVALID, Message: name + ": cannot be read", Err: err}
		}
		for _, d := range details {
			ps.add(d)
		}
		return nil, ps.problems(), nil
	}
	for _, d := range model.Validate(p, opt.Ref) {
		ps.add(d)
	}
	return p, ps.problems(), nil
}

// readTables builds a portfolio from the tables of a workbook or of CSV
// files.
func readTables(ctx context.Context, name string, tables []table, fromCSV bool, opt Options) (p *model.Portfolio, ps model.Problems, err error) {
	if opt.Ref == nil {
		opt.Ref = catalog.Default()
	}
	defer func() {
		// The parsers below are ours and excelize's; a panic in them on a
		// hostile file must be a refused file, not a crashed server.
		if r := recover(); r != nil {
			p, ps, err = nil, nil, &model.Error{Code: model.EINVALID,
				Message: name + ": the file is damaged and cannot be read", Err: fmt.Errorf("panic: %v", r)}
		}
	}()
	sink := newSink(opt.MaxProblems)
	pr := newProgress(opt.Progress, name, len(tables))
	b := newBuilder(ctx, opt.Ref, sink, pr)
	b.csv = fromCSV
	for _, t := range tables {
		if err := b.readTable(t); err != nil {
			pr.finish()
			return nil, nil, importErr(name, err)
		}
	}
	if len(b.seen) == 0 {
		pr.finish()
		return nil, nil, invalidf(name, "no sheet of the portfolio format was found (Settings, Agencies, Goals, Programmes, UseCases, Workflows, Blocks, or their French names)")
	}
	p = b.finish()
	pr.finish()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return p, sink.problems(), nil
}

func importErr(name string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var me *model.Error
	if errors.As(err, &me) {
		return err
	}
	return &model.Error{Code: model.EINVALID, Message: fmt.Sprintf("%s: cannot be read: %v", name, err), Err: err}
}

// zipTables are the CSV files of a zip, read one at a time.
func zipTables(zr *zip.Reader) []table {
	var out []table
	for _, f := range zr.File {
		if !csvPart(f.Name) || f.FileInfo().IsDir() {
			continue
		}
		f := f
		base := path.Base(strings.ReplaceAll(f.Name, "\\", "/"))
		out = append(out, lazyCSV(base, func() ([]byte, error) { return readZipPart(f, MaxCSVBytes) }))
	}
	return out
}

// lazyCSV is a CSV table whose bytes are read only when its rows are.
func lazyCSV(name string, read func() ([]byte, error)) table {
	return table{name: name, rows: func(ctx context.Context, add func(model.Problem), fn func(int, []string) error) error {
		data, err := read()
		if err != nil {
			add(model.Problem{Severity: model.SeverityError, Code: "unreadable", Sheet: name, Message: "the file cannot be read: " + err.Error()})
			return nil
		}
		return csvTable(name, data).rows(ctx, add, fn)
	}}
}

// loadDir reads a folder of CSV files.
func loadDir(ctx context.Context, dir string, opt Options) (*model.Portfolio, model.Problems, error) {
	name := filepath.Base(dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, &model.Error{Code: model.EINVALID, Message: name + ": cannot read the folder", Err: err}
	}
	var tables []table
	for _, e := range entries {
		if e.IsDir() || !csvPart(e.Name()) {
			continue
		}
		full := filepath.Join(dir, e.Name())
		tables = append(tables, lazyCSV(e.Name(), func() ([]byte, error) {
			f, err := os.Open(full)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, MaxCSVBytes+1))
			if err == nil && len(b) > MaxCSVBytes {
				err = fmt.Errorf("the file is larger than %d MiB", MaxCSVBytes>>20)
			}
			return b, err
		}))
	}
	if len(tables) == 0 {
		return nil, nil, invalidf(name, "the folder holds no CSV files")
	}
	slices.SortFunc(tables, func(a, b table) int { return sheetOrder(a.name) - sheetOrder(b.name) })
	return readTables(ctx, name, tables, true, opt)
}

// sheetOrder orders CSV files as the workbook orders its sheets, so that
// problems come in a stable order.
func sheetOrder(name string) int {
	d := lookupSheet(name)
	for i, s := range sheets {
		if s == d {
			return i
		}
	}
	return len(sheets)
}

// Package importers reads portfolios as analysts send them, an Excel
// workbook (.xlsx), a folder or .zip of CSV files, or a portfolio JSON
// document, into a model.Portfolio, and writes the workbook and CSV forms
// back (the template, and "export as spreadsheet").
//
// It follows the spreadsheet contract of portfolio-format.md: one sheet per
// kind, headers matched without regard to case, accents, spaces or
// underscores, in English or French; references by id, name or alias (of the
// workbook or the catalogue); lists separated by ';' or ','; numbers as
// people type them, refusing what is ambiguous ("1,234"). Every problem in a
// file is reported at once, each with its sheet, row, column, value and the
// closest matches, and validation problems found by model.Resolve are mapped
// back to the row and column they come from.
//
// Files come from outside: every reader is bounded (file, part and inflated
// sizes, rows, columns, cell lengths) and checked before anything is
// inflated, and a damaged or hostile file is an EINVALID error, never a
// panic. The readers are fuzzed (FuzzParseNumber, FuzzReadCSV,
// FuzzReadXLSX).
//
// importers imports model and catalog, the standard library, excelize and
// golang.org/x/text. It must not import store, reports, web or cmd: the
// flow is file -> importers -> model.Portfolio, and the caller decides what
// to do with it (the CLI saves it, the web shows it).
package importers

package importers

import (
	"archive/zip"
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"blockplan/model"
)

// readXLSX reads a workbook whose zip directory checkZip has passed. Sheets
// are read with excelize's streaming row iterator, one at a time, with raw
// cell values (numbers as stored, not as displayed).
func readXLSX(ctx context.Context, name string, r io.ReaderAt, size int64, zr *zip.Reader, opt Options) (p *model.Portfolio, ps model.Problems, err error) {
	// Parts excelize holds in memory (all but large worksheets, which it
	// spills to temporary files) must be sane too.
	for _, f := range zr.File {
		if f.UncompressedSize64 > MaxPart {
			return nil, nil, invalidf(name, "the part %q is too large", f.Name)
		}
	}
	var file *excelize.File
	func() {
		defer func() {
			if rec := recover(); rec != nil {
				err = &model.Error{Code: model.EINVALID, Message: name + ": the workbook is damaged and cannot be read", Err: fmt.Errorf("panic: %v", rec)}
			}
		}()
		file, err = excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
			RawCellValue:      true,
			UnzipSizeLimit:    MaxUnzipped,
			UnzipXMLSizeLimit: 16 << 20,
		})
	}()
	if err != nil {
		if _, ok := err.(*model.Error); ok {
			return nil, nil, err
		}
		return nil, nil, &model.Error{Code: model.EINVALID, Message: fmt.Sprintf("%s: the workbook cannot be read (%v); open it in a spreadsheet program and save it again as .xlsx", name, err), Err: err}
	}
	defer file.Close()
	var tables []table
	for _, sheet := range file.GetSheetList() {
		tables = append(tables, xlsxTable(file, sheet))
	}
	return readTables(ctx, name, tables, false, opt)
}

// xlsxTable streams one worksheet's rows.
func xlsxTable(f *excelize.File, sheet string) table {
	return table{name: sheet, rows: func(ctx context.Context, add func(model.Problem), fn func(int, []string) error) error {
		rows, err := f.Rows(sheet)
		if err != nil {
			add(model.Problem{Severity: model.SeverityError, Code: "unreadable-sheet", Sheet: sheet, Message: "the sheet cannot be read: " + err.Error()})
			return nil
		}
		defer rows.Close()
		row := 0
		for rows.Next() {
			row++
			if row%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			cells, err := rows.Columns()
			if err != nil {
				add(model.Problem{Severity: model.SeverityError, Code: "unreadable-sheet", Sheet: sheet, Row: row, Message: "the row cannot be read: " + err.Error()})
				return nil
			}
			if len(cells) == 0 {
				continue
			}
			if row > MaxRows+1 {
				add(model.Problem{Severity: model.SeverityError, Code: "too-many-rows", Sheet: sheet, Row: row,
					Message: fmt.Sprintf("the sheet has more than %d rows; split the portfolio", MaxRows)})
				return nil
			}
			if err := fn(row, cells); err != nil {
				return err
			}
		}
		if err := rows.Error(); err != nil {
			add(model.Problem{Severity: model.SeverityError, Code: "unreadable-sheet", Sheet: sheet, Row: row, Message: "the sheet cannot be read past this row: " + err.Error()})
		}
		return nil
	}}
}

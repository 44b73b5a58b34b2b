package web

import "blockplan/reports"

// reportFiles are the reports a portfolio can be downloaded as, each
// written by package reports from the same input.
func reportFiles() []reportFile {
	return []reportFile{
		{File: "report.pdf", Key: "download.pdf", CType: "application/pdf", Write: reports.PDF},
		{File: "report.xlsx", Key: "download.xlsx", CType: xlsxType, Write: reports.Workbook},
		{File: "report.html", Key: "download.html", CType: "text/html; charset=utf-8", Write: reports.HTML},
		{File: "archi.zip", Key: "download.archi", CType: "application/zip", Write: reports.Archi},
	}
}

package web

import "blockplan/reports"

// reportFiles are the reports a portfolio can be downloaded as.
func reportFiles() []reportFile {
	return []reportFile{
		{File: "report.pdf", Key: "download.pdf", CType: "application/pdf", Write: reports.PDF},
	}
}

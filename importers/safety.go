package importers

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strings"

	"blockplan/model"
)

// Limits on what an import reads. They are far above any real plan (the
// benchmark's 20,000-programme workbook is about 3 MiB, 25 MiB unzipped) and
// far below what would hurt the server that takes uploads.
const (
	// MaxFileSize bounds a file as uploaded: a workbook, a zip or a JSON file.
	MaxFileSize = 64 << 20
	// MaxUnzipped bounds the sum of the uncompressed sizes of a zip's parts,
	// and MaxPart any one part; checked on the zip's central directory before
	// anything is inflated, and again while inflating.
	MaxUnzipped = 512 << 20
	MaxPart     = 256 << 20
	// MaxParts bounds the number of files in a zip.
	MaxParts = 4096
	// MaxCSVBytes bounds one CSV file (in a folder or a zip).
	MaxCSVBytes = 64 << 20
	// MaxRows bounds the data rows of one sheet.
	MaxRows = 200_000
	// MaxColumns bounds the columns of one sheet.
	MaxColumns = 256
	// MaxCellChars is Excel's own limit on the text of one cell.
	MaxCellChars = 32767
)

// invalidf is an import error of the file as a whole: EINVALID, with a
// message that names the file.
func invalidf(name, format string, args ...any) error {
	return &model.Error{Code: model.EINVALID, Message: name + ": " + fmt.Sprintf(format, args...)}
}

// checkZip inspects a zip's central directory, before anything is inflated:
// refuses too many parts, a part or a sum of parts that would inflate beyond
// the limits, and names that climb out of the archive.
func checkZip(name string, zr *zip.Reader) error {
	if len(zr.File) > MaxParts {
		return invalidf(name, "the archive holds %d files, more than the %d allowed", len(zr.File), MaxParts)
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > MaxPart {
			return invalidf(name, "the part %q would inflate to %d MiB, more than the %d MiB allowed: refused before reading it", clip(f.Name, 80), f.UncompressedSize64>>20, MaxPart>>20)
		}
		total += f.UncompressedSize64
		if total > MaxUnzipped {
			return invalidf(name, "the archive would inflate to more than %d MiB: refused before reading it", MaxUnzipped>>20)
		}
		if f.Flags&0x1 != 0 {
			return invalidf(name, "the archive is encrypted (password-protected): save it without a password")
		}
	}
	return nil
}

// readZipPart inflates one part, never more than its declared size (which
// checkZip bounded) and never more than limit.
func readZipPart(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%s is larger than %d MiB", f.Name, limit>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// archive/zip itself fails a part that inflates past its declared size;
	// the LimitReader is a second guard, in case of a lying directory.
	b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil {
		return nil, err
	}
	if uint64(len(b)) > f.UncompressedSize64 {
		return nil, fmt.Errorf("%s inflates beyond its declared size", f.Name)
	}
	return b, nil
}

// zipKind says what a zip holds: "xlsx" for a workbook, "csv" for CSV files,
// "" for neither.
func zipKind(zr *zip.Reader) string {
	hasCSV := false
	for _, f := range zr.File {
		n := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if n == "xl/workbook.xml" {
			return "xlsx"
		}
		if csvPart(n) {
			hasCSV = true
		}
	}
	if hasCSV {
		return "csv"
	}
	return ""
}

// csvPart reports whether a zip entry is a CSV file to read (not a folder,
// not macOS's resource forks, not a hidden file).
func csvPart(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
	base := path.Base(n)
	return strings.HasSuffix(n, ".csv") && !strings.HasPrefix(n, "__macosx/") && !strings.HasPrefix(base, ".")
}

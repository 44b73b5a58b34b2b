package reports

import (
	"go/build"
	"strings"
	"testing"
)

// TestImportArrows keeps reports a leaf of the domain: model and outside
// libraries only, never catalog, store, importers or web (STYLE.md).
func TestImportArrows(t *testing.T) {
	pkg, err := build.Default.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "blockplan/") && imp != "blockplan/model" && imp != "blockplan/reports/assets" {
			t.Errorf("reports imports %s: only blockplan/model (and reports/assets) are allowed", imp)
		}
	}
}

// Package assets embeds the third-party JavaScript that charts need
// (ECharts, from the npm package pinned in package.json), so that the HTML
// report and the web app work with no network. The files are fetched by
// `make assets`; a binary built without that step still builds and runs,
// and says plainly where a chart would be that it was built without them.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// EChartsFile is the name under which the ECharts bundle is served.
const EChartsFile = "echarts.min.js"

// ECharts returns the ECharts bundle, and false when the binary was built
// without it (run `make assets` before building).
func ECharts() ([]byte, bool) {
	b, err := fs.ReadFile(dist, "dist/"+EChartsFile)
	if err != nil || len(b) == 0 {
		return nil, false
	}
	return b, true
}

// MissingMessage is what a page or report shows where a chart would be
// when the binary was built without the chart library.
const MissingMessage = "Charts are unavailable: this blockplan binary was built without its JavaScript assets. Run `make assets` (npm ci) and rebuild."

// MissingMessageFR is MissingMessage in French.
const MissingMessageFR = "Graphiques indisponibles : ce binaire blockplan a été compilé sans ses ressources JavaScript. Lancez `make assets` (npm ci) puis recompilez."

// Command gen writes the embedded catalogue, catalog/data/catalog.json, from
// the shared source data and catalog/data/curation.json. Run it through
// `go generate ./catalog`; see package blockplan/catalog/internal/build.
package main

import (
	"flag"
	"fmt"
	"os"

	"blockplan/catalog/internal/build"
)

func main() {
	shared := flag.String("shared", "", "the shared folder (holding data/sdg and data/dial)")
	curation := flag.String("curation", "data/curation.json", "the hand-written curation file")
	out := flag.String("out", "data/catalog.json", "the catalogue file to write")
	flag.Parse()
	if *shared == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gen -shared DIR [-curation FILE] [-out FILE]")
		os.Exit(2)
	}
	if err := build.Generate(*shared, *curation, *out, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

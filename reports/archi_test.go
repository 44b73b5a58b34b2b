package reports

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// archiExport reads the three files of an Archi zip.
func archiExport(t *testing.T, in Input) map[string][]byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Archi(&buf, in); err != nil {
		t.Fatalf("Archi: %v", err)
	}
	keep(t, "archi-"+in.Lang+".zip", buf.Bytes())
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = b
	}
	return files
}

func readCSV(t *testing.T, name string, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

var archiIDRule = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)

// checkArchi applies the rules of Archi's CSV importer to an export.
func checkArchi(t *testing.T, files map[string][]byte) (elems, rels, props [][]string) {
	t.Helper()
	for name, header := range map[string]string{
		ArchiElementsFile:   `"ID","Type","Name","Documentation","Specialization"`,
		ArchiRelationsFile:  `"ID","Type","Name","Documentation","Source","Target","Specialization"`,
		ArchiPropertiesFile: `"ID","Key","Value"`,
	} {
		b, ok := files[name]
		if !ok {
			t.Fatalf("%s missing from the export", name)
		}
		if !bytes.HasPrefix(b, []byte(header+"\r\n")) {
			t.Errorf("%s header %q, want exactly %q", name, strings.SplitN(string(b), "\n", 2)[0], header)
		}
	}
	elems = readCSV(t, ArchiElementsFile, files[ArchiElementsFile])
	rels = readCSV(t, ArchiRelationsFile, files[ArchiRelationsFile])
	props = readCSV(t, ArchiPropertiesFile, files[ArchiPropertiesFile])

	allowedTypes := []string{ArchiGoal, ArchiOutcome, ArchiWorkPackage, ArchiService, ArchiProcess, ArchiComponent}
	typeOf := map[string]string{}
	if len(elems) < 2 || elems[1][1] != ArchiModel {
		t.Errorf("the first element is not the model: %v", elems[1])
	}
	for i, e := range elems[1:] {
		if len(e) != 5 {
			t.Fatalf("element row %d has %d fields", i+2, len(e))
		}
		if !archiIDRule.MatchString(e[0]) {
			t.Errorf("element id %q has characters Archi refuses", e[0])
		}
		if _, dup := typeOf[e[0]]; dup {
			t.Errorf("duplicate element id %s", e[0])
		}
		typeOf[e[0]] = e[1]
		if i > 0 && !slices.Contains(allowedTypes, e[1]) {
			t.Errorf("element %s has type %q", e[0], e[1])
		}
		if strings.TrimSpace(e[2]) == "" {
			t.Errorf("element %s has no name", e[0])
		}
	}
	relIDs := map[string]bool{}
	for i, r := range rels[1:] {
		if len(r) != 7 {
			t.Fatalf("relation row %d has %d fields", i+2, len(r))
		}
		if !archiIDRule.MatchString(r[0]) || relIDs[r[0]] || typeOf[r[0]] != "" {
			t.Errorf("relation id %q invalid or not unique", r[0])
		}
		relIDs[r[0]] = true
		src, ok1 := typeOf[r[4]]
		dst, ok2 := typeOf[r[5]]
		if !ok1 || !ok2 {
			t.Errorf("relation %s: source %q or target %q is not an element", r[0], r[4], r[5])
			continue
		}
		if !slices.Contains(ArchiAllowed[[2]string{src, dst}], r[1]) {
			t.Errorf("relation %s: %s from %s to %s is not allowed by ArchiMate", r[0], r[1], src, dst)
		}
	}
	for i, p := range props[1:] {
		if len(p) != 3 {
			t.Fatalf("property row %d has %d fields", i+2, len(p))
		}
		if _, ok := typeOf[p[0]]; !ok && !relIDs[p[0]] {
			t.Errorf("property %q refers to %q, which is not in the export", p[1], p[0])
		}
		if strings.ContainsAny(p[1], "\r\n\t") {
			t.Errorf("property key %q has a line break", p[1])
		}
	}
	return elems, rels, props
}

func TestArchiDemo(t *testing.T) {
	for _, lang := range []string{LangEN, LangFR} {
		t.Run(lang, func(t *testing.T) {
			in := demoInput(t, lang)
			elems, rels, props := checkArchi(t, archiExport(t, in))
			count := map[string]int{}
			for _, e := range elems[1:] {
				count[e[1]]++
			}
			p := in.Portfolio
			for typ, want := range map[string]int{ArchiGoal: len(p.Goals), ArchiWorkPackage: len(p.Programmes),
				ArchiService: len(p.UseCases), ArchiProcess: len(p.Workflows), ArchiComponent: len(p.Blocks), ArchiModel: 1} {
				if count[typ] != want {
					t.Errorf("%d %s elements, want %d", count[typ], typ, want)
				}
			}
			if count[ArchiOutcome] == 0 {
				t.Error("no SDG target exported")
			}
			used := map[string]int{}
			for _, r := range rels[1:] {
				used[r[1]]++
			}
			for _, typ := range []string{ArchiInfluence, ArchiRealization, ArchiServing} {
				if used[typ] == 0 {
					t.Errorf("no %s in the demo export", typ)
				}
			}
			// Figures from the result are properties, formatted per language.
			want := FormatNumber(in.Result.Totals.Savings, 0, lang)
			found := false
			for _, pr := range props[1:] {
				if pr[2] == want {
					found = true
				}
			}
			if !found {
				t.Errorf("portfolio savings %s not among the properties", want)
			}
			// Names are in the report's language.
			if lang == LangFR && !strings.Contains(string(archiExport(t, in)[ArchiElementsFile]), in.Portfolio.Goals[0].NameFR) {
				t.Error("French goal names missing")
			}
		})
	}
}

func TestArchiHostileAndOddIDs(t *testing.T) {
	in := hostileInput(t)
	// Ids Archi would refuse as they are.
	in.Portfolio.Goals[0].ID = "G 1/é"
	in.Portfolio.Programmes[0].Goals = []string{"G 1/é"}
	files := archiExport(t, in)
	checkArchi(t, files)
	if !bytes.Contains(files[ArchiElementsFile], []byte(`"=HYPERLINK(""http://evil.example"",""click"")"`)) {
		t.Error("a name with quotes is not quoted as CSV")
	}
}

func TestArchiFiles(t *testing.T) {
	in := workedInput(t, LangEN)
	dir := filepath.Join(t.TempDir(), "archi")
	if err := ArchiFiles(dir, in); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in the folder, want 3", len(entries))
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	checkArchi(t, files)
	zipped := archiExport(t, in)
	for name, b := range zipped {
		if !bytes.Equal(b, files[name]) {
			t.Errorf("%s differs between the zip and the folder", name)
		}
	}
}

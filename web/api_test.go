package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"blockplan/fixtures"
	"blockplan/importers"
	"blockplan/model"
)

func TestHealthz(t *testing.T) {
	a := newApp(t)
	r := a.api(http.MethodGet, "/healthz", nil)
	if r.Status != 200 || !strings.Contains(r.Body, `"ok"`) {
		t.Fatalf("healthz: %d %s", r.Status, r.Body)
	}
}

// TestAPIPortfolioLifecycle walks the portfolio API: list, create, read,
// replace (with and without a stale version), compute, trace, delete.
func TestAPIPortfolioLifecycle(t *testing.T) {
	a := newApp(t)
	r := a.api(http.MethodGet, "/api/v1/portfolios", nil)
	var infos []model.PortfolioInfo
	if err := json.Unmarshal([]byte(r.Body), &infos); err != nil || r.Status != 200 || len(infos) != 1 || infos[0].ID != demoID {
		t.Fatalf("list: %d %v %s", r.Status, err, r.Body)
	}

	r = a.api(http.MethodPost, "/api/v1/portfolios", bytes.NewReader(fixtures.WorkedExample), "Content-Type", "application/json")
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var made struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal([]byte(r.Body), &made); err != nil || made.ID == "" {
		t.Fatalf("create answered %s", r.Body)
	}
	if loc := r.Header.Get("Location"); loc != "/api/v1/portfolios/"+made.ID {
		t.Errorf("Location %q", loc)
	}
	r = a.api(http.MethodPost, "/api/v1/portfolios", bytes.NewReader(fixtures.WorkedExample), "Content-Type", "application/json")
	if r.Status != http.StatusConflict || decodeError(t, r).Error.Code != "conflict" {
		t.Errorf("second create: %d %s", r.Status, r.Body)
	}

	r = a.api(http.MethodGet, "/api/v1/portfolios/"+made.ID, nil)
	if r.Status != 200 {
		t.Fatalf("get: %d", r.Status)
	}
	got, err := model.DecodePortfolioBytes([]byte(r.Body))
	if err != nil {
		t.Fatalf("get: not a portfolio: %v", err)
	}
	etag := r.Header.Get("ETag")
	if etag != strconv.Quote(strconv.Itoa(made.Version)) {
		t.Errorf("ETag %s, want version %d", etag, made.Version)
	}

	// Replace at a stale version: 409; at the current one: 200.
	got.Name = "Renamed"
	var doc bytes.Buffer
	model.EncodePortfolio(&doc, got)
	r = a.api(http.MethodPut, "/api/v1/portfolios/"+made.ID, bytes.NewReader(doc.Bytes()), "If-Match", `"999"`)
	if r.Status != http.StatusConflict {
		t.Errorf("stale PUT: %d %s", r.Status, r.Body)
	}
	r = a.api(http.MethodPut, "/api/v1/portfolios/"+made.ID, bytes.NewReader(doc.Bytes()), "If-Match", etag)
	if r.Status != 200 {
		t.Fatalf("PUT: %d %s", r.Status, r.Body)
	}

	// Savings: the cost model's JSON (§9), with Monte Carlo on request.
	r = a.api(http.MethodGet, "/api/v1/portfolios/"+made.ID+"/savings", nil)
	var res map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.Body), &res); err != nil || r.Status != 200 {
		t.Fatalf("savings: %d %v", r.Status, err)
	}
	for _, k := range []string{"currency", "settings", "totals", "appraisal", "years", "blocks", "programmes", "goals", "sdg_targets", "warnings"} {
		if _, ok := res[k]; !ok {
			t.Errorf("savings lacks %q", k)
		}
	}
	if _, ok := res["monte_carlo"]; ok {
		t.Error("monte_carlo without ?mc=")
	}
	r = a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/savings?mc=500&seed=7", nil)
	var mc model.Result
	if err := json.Unmarshal([]byte(r.Body), &mc); err != nil || mc.MonteCarlo == nil || mc.MonteCarlo.Iterations != 500 || mc.MonteCarlo.Seed != 7 || len(mc.Tornado) == 0 {
		t.Errorf("savings?mc=500&seed=7: %v %.300s", err, r.Body)
	}
	r2 := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/savings?mc=500&seed=7", nil)
	if r2.Body != r.Body {
		t.Error("the same mc and seed gave different answers")
	}
	for _, q := range []string{"mc=0", "mc=abc", "seed=x", "discount_rate=abc", "mc=1000000"} {
		if r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/savings?"+q, nil); r.Status != 400 {
			t.Errorf("savings?%s: %d, want 400", q, r.Status)
		}
	}
	if r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/savings?discount_rate=5", nil); r.Status != 422 {
		t.Errorf("savings with discount rate 5 (500 %%): %d, want 422", r.Status)
	}

	// Trace.
	r = a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/trace?node=payments", nil)
	var tr model.Trace
	if err := json.Unmarshal([]byte(r.Body), &tr); err != nil || r.Status != 200 || tr.Node.ID != "payments" || len(tr.Programmes) == 0 || len(tr.Goals) == 0 {
		t.Errorf("trace payments: %d %v %.200s", r.Status, err, r.Body)
	}
	if r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/trace", nil); r.Status != 400 {
		t.Errorf("trace without node: %d", r.Status)
	}
	if r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/trace?node=nothing-here", nil); r.Status != 404 {
		t.Errorf("trace of nothing: %d", r.Status)
	}

	r = a.api(http.MethodDelete, "/api/v1/portfolios/"+made.ID, nil)
	if r.Status != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.Status, r.Body)
	}
	r = a.api(http.MethodGet, "/api/v1/portfolios/"+made.ID, nil)
	if r.Status != 404 || decodeError(t, r).Error.Code != "not_found" {
		t.Errorf("get after delete: %d %s", r.Status, r.Body)
	}
}

// badWorkbook is the demo as a workbook with errors in two sheets: a goal
// no one defined and a negative cost.
func badWorkbook(t testing.TB) []byte {
	t.Helper()
	p, err := model.DecodePortfolioBytes(fixtures.Demo)
	if err != nil {
		t.Fatal(err)
	}
	p.ID = "broken"
	p.Programmes[1].Goals = append(p.Programmes[1].Goals, "NG-NOPE")
	p.Blocks[2].BuildCost = model.Point(-5000)
	var buf bytes.Buffer
	if err := importers.WriteWorkbook(&buf, p, "en"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAPICreateErrors(t *testing.T) {
	a := newApp(t)
	tests := []struct {
		name, body string
		status     int
	}{
		{"syntax", `{"format": "blockplan.portfolio/v1", "name": `, 400},
		{"not an object", `[1, 2]`, 400},
		{"invalid", `{"format": "blockplan.portfolio/v1", "id": "x", "programmes": [{"id": "P1", "goals": ["G9"], "use_cases": ["no_such_case"]}],
			"blocks": [{"id": "payments", "build_cost": -1}]}`, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.api(http.MethodPost, "/api/v1/portfolios", strings.NewReader(tt.body), "Content-Type", "application/json")
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			e := decodeError(t, r)
			if e.Error.Code != "invalid" || len(e.Error.Details) == 0 {
				t.Errorf("error %+v", e.Error)
			}
			if tt.status == 422 && len(e.Error.Details.Errors()) < 3 {
				t.Errorf("want every problem (3 errors), got %v", e.Error.Details)
			}
		})
	}

	// A workbook as multipart: every problem, by sheet and row.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "broken.xlsx")
	fw.Write(badWorkbook(t))
	mw.Close()
	r := a.api(http.MethodPost, "/api/v1/portfolios", &buf, "Content-Type", mw.FormDataContentType())
	if r.Status != 422 {
		t.Fatalf("bad workbook: %d %s", r.Status, r.Body)
	}
	e := decodeError(t, r)
	sheets := map[string]bool{}
	for _, p := range e.Error.Details.Errors() {
		if p.Sheet == "" || p.Row == 0 {
			t.Errorf("workbook problem without sheet and row: %+v", p)
		}
		sheets[p.Sheet] = true
	}
	if len(sheets) < 2 {
		t.Errorf("want problems in two sheets, got %v", e.Error.Details)
	}
}

// TestAPIEntity edits one entity with versions: 409 with the current state
// on a stale write, 422 with the field on an invalid one.
func TestAPIEntity(t *testing.T) {
	a := newApp(t)
	base := "/api/v1/portfolios/" + demoID + "/blocks/payments"
	r := a.api(http.MethodGet, base, nil)
	var st struct {
		Kind, ID string
		Version  int
		Data     json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.Body), &st); err != nil || r.Status != 200 || st.Version == 0 {
		t.Fatalf("get entity: %d %v %s", r.Status, err, r.Body)
	}
	var b model.Block
	json.Unmarshal(st.Data, &b)
	b.BuildCost = model.Point(123456)
	put := func(version int, blk model.Block) response {
		data, _ := json.Marshal(blk)
		body, _ := json.Marshal(map[string]any{"version": version, "data": json.RawMessage(data)})
		return a.api(http.MethodPut, base, bytes.NewReader(body), "Content-Type", "application/json")
	}
	r = put(st.Version, b)
	if r.Status != 200 {
		t.Fatalf("put: %d %s", r.Status, r.Body)
	}
	r = put(st.Version, b) // the same, stale, version
	if r.Status != 409 {
		t.Fatalf("stale put: %d %s", r.Status, r.Body)
	}
	e := decodeError(t, r)
	var cur struct {
		Version int
		Data    model.Block
	}
	if err := json.Unmarshal(e.Error.Current, &cur); err != nil || cur.Data.BuildCost.Likely != 123456 || cur.Version <= st.Version {
		t.Errorf("409 without the current state: %s", e.Error.Current)
	}
	b.BuildCost = model.Point(-1)
	r = put(cur.Version, b)
	if r.Status != 422 {
		t.Fatalf("negative cost: %d %s", r.Status, r.Body)
	}
	if e := decodeError(t, r); e.Error.Details[0].Field != "build_cost" {
		t.Errorf("problem %+v, want field build_cost", e.Error.Details)
	}
	if r := a.api(http.MethodDelete, base+"?version=1", nil); r.Status != 409 {
		t.Errorf("stale delete: %d", r.Status)
	}
	if r := a.api(http.MethodGet, "/api/v1/portfolios/"+demoID+"/nonsense/x", nil); r.Status != 404 {
		t.Errorf("unknown kind: %d", r.Status)
	}
}

func TestAPICatalogAndOpenAPI(t *testing.T) {
	a := newApp(t)
	r := a.api(http.MethodGet, "/api/v1/catalog", nil)
	var doc map[string][]json.RawMessage
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil || len(doc["sdg_targets"]) != 169 || len(doc["blocks"]) == 0 {
		t.Fatalf("catalog: %d %v", r.Status, err)
	}

	r = a.api(http.MethodGet, "/api/v1/openapi.json", nil)
	var spec struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(r.Body), &spec); err != nil || !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Fatalf("openapi.json: %v", err)
	}
	documented := map[string]bool{}
	for path, ops := range spec.Paths {
		for m := range ops {
			switch m {
			case "get", "put", "post", "delete", "patch":
				documented[strings.ToUpper(m)+" "+path] = true
			}
		}
	}
	served := map[string]bool{}
	for _, rt := range a.app.Routes() {
		if rt.Path != "/healthz" && !strings.HasPrefix(rt.Path, "/api/") {
			continue
		}
		var segs []string
		for _, s := range strings.Split(rt.Path, "/") {
			if strings.HasPrefix(s, ":") {
				s = "{" + s[1:] + "}"
			}
			segs = append(segs, s)
		}
		key := rt.Method + " " + strings.Join(segs, "/")
		served[key] = true
		if !documented[key] {
			t.Errorf("%s is served but not in openapi.json", key)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("%s is in openapi.json but not served", k)
		}
	}
}

// TestDownloads fetches every report, the exports and the templates.
func TestDownloads(t *testing.T) {
	a := newApp(t)
	base := "/portfolios/" + demoID
	tests := []struct {
		path, ctype, magic string
	}{
		{base + "/reports/report.pdf?lang=fr", "application/pdf", "%PDF"},
		{base + "/reports/report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		{base + "/reports/report.html", "text/html", "<!"},
		{base + "/reports/archi.zip", "application/zip", "PK"},
		{base + "/export.json", "application/json", "{"},
		{base + "/export.xlsx?lang=fr", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		{"/template.xlsx?lang=fr", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
	}
	for _, tt := range tests {
		r := a.get(tt.path)
		if r.Status != 200 {
			t.Errorf("%s: %d %.200s", tt.path, r.Status, r.Body)
			continue
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
			t.Errorf("%s: Content-Type %q", tt.path, ct)
		}
		if !strings.HasPrefix(strings.TrimSpace(r.Body), tt.magic) {
			t.Errorf("%s: starts %.20q", tt.path, r.Body)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
			t.Errorf("%s: Content-Disposition %q: a download must not open in the app's origin", tt.path, cd)
		}
	}
	// The JSON export is the stored document: importing it gives it back.
	r := a.get(base + "/export.json")
	if _, err := model.DecodePortfolioBytes([]byte(r.Body)); err != nil {
		t.Errorf("export.json does not decode: %v", err)
	}
	if r := a.get(base + "/reports/nothing.doc"); r.Status != 404 {
		t.Errorf("unknown report: %d", r.Status)
	}
}

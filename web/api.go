package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// The JSON API at /api/v1/: the same services as the pages, answered as
// JSON. Errors are {"error": {"code", "message", "details"}} (see fail).

//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) apiOpenAPI(c *gin.Context) error {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDocument)
	return nil
}

func (s *Server) apiCatalog(c *gin.Context) error {
	writeJSON(c, http.StatusOK, s.cat.Export())
	return nil
}

func (s *Server) apiListPortfolios(c *gin.Context) error {
	infos, err := s.store.ListPortfolios(c.Request.Context())
	if err != nil {
		return err
	}
	if infos == nil {
		infos = []model.PortfolioInfo{}
	}
	writeJSON(c, http.StatusOK, infos)
	return nil
}

// created is the answer to a successful create or replace.
type created struct {
	ID       string          `json:"id"`
	Version  int             `json:"version"`
	Warnings []model.Warning `json:"warnings"`
}

// malformedCodes are the import problems that mean the body could not be
// read as a portfolio at all (400 rather than 422).
var malformedCodes = map[string]bool{"syntax": true, "not-json": true, "not-object": true, "empty-file": true, "bad-type": true, "too-large": true}

// importError is the error for an import whose problems hold errors: 400
// when the body could not be read, 422 when it broke the model's rules. The
// details list every problem, warnings included.
func importError(what string, ps model.Problems) error {
	err := ps.Err(what)
	if err == nil {
		return nil
	}
	for _, p := range ps.Errors() {
		if !malformedCodes[p.Code] {
			return err
		}
	}
	return malformed(model.ErrorMessage(err), ps)
}

// readBody is the request's portfolio: a JSON body, or the file of a
// multipart upload (field "file"), read with importers.Read. A document
// without an id gets defaultID, or one made from its name.
func (s *Server) readBody(c *gin.Context, defaultID string) (*model.Portfolio, model.Problems, error) {
	name, data := "portfolio.json", []byte(nil)
	if strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		fh, err := c.FormFile("file")
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, nil, err
			}
			return nil, nil, malformed("a multipart upload needs the portfolio in the field \"file\"", nil)
		}
		if data, err = readUpload(fh, s.maxUpload); err != nil {
			return nil, nil, err
		}
		name = fh.Filename
	} else {
		var err error
		if data, err = io.ReadAll(c.Request.Body); err != nil {
			return nil, nil, err
		}
	}
	p, ps, err := s.importUpload(c.Request.Context(), name, data, defaultID)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			return nil, nil, malformed(model.ErrorMessage(err), model.ErrorDetails(err))
		}
		return nil, nil, err
	}
	if err := importError("portfolio", ps); err != nil {
		return nil, nil, err
	}
	return p, ps, nil
}

func (s *Server) apiCreatePortfolio(c *gin.Context) error {
	p, ps, err := s.readBody(c, "")
	if err != nil {
		return err
	}
	replace := c.Query("replace") == "true"
	info, err := s.store.SavePortfolio(c.Request.Context(), p, model.SaveOptions{Replace: replace})
	if model.ErrorCode(err) == model.ECONFLICT {
		return model.Errorf(model.ECONFLICT, "portfolio %s already exists; PUT /api/v1/portfolios/%s replaces it", p.ID, p.ID)
	}
	if err != nil {
		return err
	}
	s.cache.forget(p.ID)
	c.Header("Location", "/api/v1/portfolios/"+pathEscape(p.ID))
	writeJSON(c, http.StatusCreated, created{ID: info.ID, Version: info.Version, Warnings: model.WarningsFrom(ps)})
	return nil
}

func (s *Server) apiGetPortfolio(c *gin.Context) error {
	sn, _, err := s.snapshot(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := model.EncodePortfolio(&buf, sn.Raw); err != nil {
		return err
	}
	c.Header("ETag", strconv.Quote(strconv.Itoa(sn.Info.Version)))
	c.Data(http.StatusOK, "application/json; charset=utf-8", buf.Bytes())
	return nil
}

// ifMatch is the version an If-Match header names ("3" or W/"3"), 0 when
// there is none.
func ifMatch(c *gin.Context) (int, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.Atoi(h)
	if err != nil || v <= 0 {
		return 0, malformed("If-Match must be a version the API gave as ETag, such as \"3\"", nil)
	}
	return v, nil
}

// apiPutPortfolio stores the body as portfolio :id, replacing it if it
// exists (at the If-Match version, when given).
func (s *Server) apiPutPortfolio(c *gin.Context) error {
	id := c.Param("id")
	expect, err := ifMatch(c)
	if err != nil {
		return err
	}
	p, ps, err := s.readBody(c, id)
	if err != nil {
		return err
	}
	if p.ID != id {
		return (model.Problems{{Severity: model.SeverityError, Code: "id-mismatch", Field: "id", Value: p.ID,
			Message: fmt.Sprintf("the document's id %q is not the URL's %q", p.ID, id)}}).Err("portfolio")
	}
	_, _, lookupErr := s.portfolioInfo(c.Request.Context(), id)
	isNew := model.ErrorCode(lookupErr) == model.ENOTFOUND
	info, err := s.store.SavePortfolio(c.Request.Context(), p, model.SaveOptions{Replace: true, ExpectVersion: expect})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if isNew {
		status = http.StatusCreated
	}
	c.Header("ETag", strconv.Quote(strconv.Itoa(info.Version)))
	writeJSON(c, status, created{ID: info.ID, Version: info.Version, Warnings: model.WarningsFrom(ps)})
	return nil
}

func (s *Server) apiDeletePortfolio(c *gin.Context) error {
	id := c.Param("id")
	if err := s.store.DeletePortfolio(c.Request.Context(), id); err != nil {
		return err
	}
	s.cache.forget(id)
	c.Status(http.StatusNoContent)
	return nil
}

// savingsQuery is the savings endpoint's query: Monte Carlo draws and seed
// (cost-model.md §9), and the scenario panel's what-ifs (rates as
// fractions, as in the portfolio's settings).
type savingsQuery struct {
	MC           string   `form:"mc"`
	Seed         string   `form:"seed"`
	DiscountRate string   `form:"discount_rate"`
	HorizonYears string   `form:"horizon_years"`
	OptimismBias string   `form:"optimism_bias"`
	Siloed       []string `form:"siloed"`
}

func (s *Server) apiSavings(c *gin.Context) error {
	var q savingsQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		return malformed(err.Error(), nil)
	}
	sn, _, err := s.snapshot(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	var sc scenario
	var ps model.Problems
	bad := func(field, value, msg string) {
		ps = append(ps, model.Problem{Severity: model.SeverityError, Code: "bad-parameter", Field: field, Value: value, Message: msg})
	}
	if q.MC != "" {
		n, err := strconv.Atoi(q.MC)
		if err != nil || n < 1 || n > maxIterations {
			bad("mc", q.MC, fmt.Sprintf("mc is the number of Monte Carlo draws, from 1 to %d", maxIterations))
		}
		sc.MonteCarlo, sc.Seed = n, model.DefaultSeed
	}
	if q.Seed != "" {
		n, err := strconv.ParseInt(q.Seed, 10, 64)
		if err != nil {
			bad("seed", q.Seed, "seed must be a whole number")
		}
		sc.Seed = n
	}
	float := func(field, v string) *float64 {
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			bad(field, v, field+" must be a number (a rate is a fraction: 0.035 for 3.5 %)")
			return nil
		}
		return &x
	}
	sc.DiscountRate = float("discount_rate", q.DiscountRate)
	sc.OptimismBias = float("optimism_bias", q.OptimismBias)
	if q.HorizonYears != "" {
		n, err := strconv.Atoi(q.HorizonYears)
		if err != nil {
			bad("horizon_years", q.HorizonYears, "horizon_years must be a whole number")
		}
		sc.HorizonYears = &n
	}
	sc.Siloed = sortedUnique(q.Siloed)
	if len(ps) > 0 {
		return malformed(fmt.Sprintf("%d bad parameter(s)", len(ps)), ps)
	}
	r, err := s.compute(sn, sc)
	if err != nil {
		return err
	}
	data, err := r.JSON()
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", data)
	return nil
}

func (s *Server) apiTrace(c *gin.Context) error {
	node := strings.TrimSpace(c.Query("node"))
	if node == "" {
		return malformed("give the node to trace: ?node=ID or ?node=kind:id (kinds: sdg_target, goal, programme, use_case, workflow, block, agency)", nil)
	}
	sn, _, err := s.snapshot(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	nodes := sn.Graph.Lookup(node)
	switch len(nodes) {
	case 0:
		return model.Errorf(model.ENOTFOUND, "no node %q in portfolio %s", node, sn.Info.ID)
	case 1:
	default:
		var names []string
		for _, n := range nodes {
			names = append(names, n.String())
		}
		return malformed(fmt.Sprintf("%q names several nodes: %s; write kind:id", node, strings.Join(names, ", ")), nil)
	}
	t, err := sn.Graph.Trace(nodes[0].Kind, nodes[0].ID)
	if err != nil {
		return err
	}
	writeJSON(c, http.StatusOK, t)
	return nil
}

func (s *Server) apiGaps(c *gin.Context) error {
	sn, _, err := s.snapshot(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	writeJSON(c, http.StatusOK, struct {
		model.Gaps
		Errors   model.Problems `json:"errors"`
		Warnings model.Problems `json:"warnings"`
	}{sn.Gaps, orEmpty(sn.Problems.Errors()), orEmpty(sn.Problems.Warnings())})
	return nil
}

func orEmpty(ps model.Problems) model.Problems {
	if ps == nil {
		return model.Problems{}
	}
	return ps
}

// apiKind is the kind an API path segment names ("programmes", "use-cases"
// or "use_cases").
func apiKind(c *gin.Context) (kindInfo, error) {
	seg := strings.ReplaceAll(c.Param("kind"), "_", "-")
	k, ok := kindBySegment(seg)
	if !ok {
		return kindInfo{}, model.Errorf(model.ENOTFOUND, "no entity kind %q: use agencies, goals, programmes, use-cases, workflows or blocks", c.Param("kind"))
	}
	return k, nil
}

func (s *Server) apiGetEntity(c *gin.Context) error {
	k, err := apiKind(c)
	if err != nil {
		return err
	}
	sn, versions, err := s.freshSnapshot(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	st := stateOf(sn, versions, k.Kind, c.Param("eid"))
	if st == nil {
		return model.Errorf(model.ENOTFOUND, "portfolio %s defines no %s %q", sn.Info.ID, strings.ReplaceAll(k.Kind, "_", " "), c.Param("eid"))
	}
	c.Header("ETag", strconv.Quote(strconv.Itoa(st.Version)))
	writeJSON(c, http.StatusOK, st)
	return nil
}

// entityPut is the body of an entity PUT: the version the edit is based on
// (0 to create) and the entity as the portfolio document writes it.
type entityPut struct {
	Version *int            `json:"version"`
	Data    json.RawMessage `json:"data"`
}

func (s *Server) apiPutEntity(c *gin.Context) error {
	k, err := apiKind(c)
	if err != nil {
		return err
	}
	var body entityPut
	if err := c.ShouldBindJSON(&body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return malformed("the body must be {\"version\": N, \"data\": {…}}: "+err.Error(), nil)
	}
	if body.Version == nil || len(body.Data) == 0 {
		return malformed("the body must be {\"version\": N, \"data\": {…}}; version 0 creates the entity", nil)
	}
	pid, id := c.Param("id"), c.Param("eid")
	e, err := decodeEntity(k.Kind, body.Data)
	if err != nil {
		return malformed(fmt.Sprintf("data is not a %s: %v", strings.ReplaceAll(k.Kind, "_", " "), err), nil)
	}
	if entityID(e) == "" {
		e = withID(e, id)
	}
	oldID := id
	if *body.Version == 0 {
		oldID = ""
		if entityID(e) != id {
			return malformed(fmt.Sprintf("a new entity's id (%q) must be the URL's (%q)", entityID(e), id), nil)
		}
	}
	newID, version, err := s.saveEntity(c.Request.Context(), entityEdit{Portfolio: pid, Kind: k.Kind, OldID: oldID, Entity: e, Version: *body.Version})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if *body.Version == 0 {
		status = http.StatusCreated
	}
	data, _ := json.Marshal(e)
	c.Header("ETag", strconv.Quote(strconv.Itoa(version)))
	writeJSON(c, status, entityState{Kind: k.Kind, ID: newID, Version: version, Data: data})
	return nil
}

func (s *Server) apiDeleteEntity(c *gin.Context) error {
	k, err := apiKind(c)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(c.Query("version"))
	if err != nil || v <= 0 {
		if v, err = ifMatch(c); err != nil || v <= 0 {
			return malformed("give the version the delete is based on: ?version=N or If-Match", nil)
		}
	}
	if _, _, err := s.saveEntity(c.Request.Context(), entityEdit{Portfolio: c.Param("id"), Kind: k.Kind, OldID: c.Param("eid"), Version: v}); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// withID is e with its ID set.
func withID(e any, id string) any {
	switch x := e.(type) {
	case model.Agency:
		x.ID = id
		return x
	case model.Goal:
		x.ID = id
		return x
	case model.Programme:
		x.ID = id
		return x
	case model.UseCase:
		x.ID = id
		return x
	case model.Workflow:
		x.ID = id
		return x
	case model.Block:
		x.ID = id
		return x
	}
	return e
}

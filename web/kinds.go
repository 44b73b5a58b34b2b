package web

import (
	"blockplan/model"
)

// kindInfo is how pages and URLs name one kind of entity.
type kindInfo struct {
	Kind    string // model.KindGoal, …
	Segment string // URL segment: "goals", "use-cases"
}

// kinds are the editable entity kinds, in menu order (top of the line to
// the bottom, then agencies).
var kinds = []kindInfo{
	{model.KindGoal, "goals"},
	{model.KindProgramme, "programmes"},
	{model.KindUseCase, "use-cases"},
	{model.KindWorkflow, "workflows"},
	{model.KindBlock, "blocks"},
	{model.KindAgency, "agencies"},
}

// newSegment is the path segment of an entity's "new" form. It starts with
// an underscore so that it does not hide an entity with id "new".
const newSegment = "_new"

func kindBySegment(seg string) (kindInfo, bool) {
	for _, k := range kinds {
		if k.Segment == seg {
			return k, true
		}
	}
	return kindInfo{}, false
}

func kindByName(kind string) (kindInfo, bool) {
	for _, k := range kinds {
		if k.Kind == kind {
			return k, true
		}
	}
	return kindInfo{}, false
}

// entityURL is the page of one entity.
func entityURL(pid, kind, id string) string {
	k, ok := kindByName(kind)
	if !ok {
		if kind == model.KindSDGTarget {
			return u("catalog", "sdg-targets", id)
		}
		return ""
	}
	return u("portfolios", pid, k.Segment, id)
}

// fieldSpec describes one field of an entity: its JSON name and how a form
// edits it. The forms, their parsing and the API share these.
type fieldSpec struct {
	Name     string
	Type     string // see the field types below
	Target   string // the kind a ref or refs field names
	Required bool
}

// Field types.
const (
	ftID       = "id"       // the entity's own id
	ftText     = "text"     // one line of text
	ftTextarea = "textarea" // a description
	ftInt      = "int"      // a year or a priority
	ftNumber   = "number"   // beneficiaries
	ftAmount   = "amount"   // money, a point or a low/likely/high range
	ftRef      = "ref"      // one reference (a programme's agency)
	ftRefs     = "refs"     // a list of references
	ftCodes    = "codes"    // SDG target codes, typed "3.1; 3.2"
	ftStatus   = "status"   // planned or existing
)

// entityFields are the fields of each kind, in form order. They follow the
// portfolio format (portfolio-format.md); the JSON names are the fields'.
var entityFields = map[string][]fieldSpec{
	model.KindGoal: {
		{Name: "id", Type: ftID, Required: true},
		{Name: "name", Type: ftText, Required: true},
		{Name: "name_fr", Type: ftText},
		{Name: "sdg_targets", Type: ftCodes},
		{Name: "priority", Type: ftInt},
	},
	model.KindProgramme: {
		{Name: "id", Type: ftID, Required: true},
		{Name: "name", Type: ftText, Required: true},
		{Name: "name_fr", Type: ftText},
		{Name: "agency", Type: ftRef, Target: model.KindAgency},
		{Name: "goals", Type: ftRefs, Target: model.KindGoal},
		{Name: "use_cases", Type: ftRefs, Target: model.KindUseCase},
		{Name: "blocks", Type: ftRefs, Target: model.KindBlock},
		{Name: "start_year", Type: ftInt},
		{Name: "end_year", Type: ftInt},
		{Name: "beneficiaries", Type: ftNumber},
		{Name: "own_build_cost", Type: ftAmount},
		{Name: "own_annual_cost", Type: ftAmount},
		{Name: "annual_benefit", Type: ftAmount},
		{Name: "benefit_start_year", Type: ftInt},
	},
	model.KindUseCase: {
		{Name: "id", Type: ftID, Required: true},
		{Name: "name", Type: ftText, Required: true},
		{Name: "name_fr", Type: ftText},
		{Name: "description", Type: ftTextarea},
		{Name: "description_fr", Type: ftTextarea},
		{Name: "sector", Type: ftText},
		{Name: "sdg_targets", Type: ftCodes},
		{Name: "workflows", Type: ftRefs, Target: model.KindWorkflow},
		{Name: "blocks", Type: ftRefs, Target: model.KindBlock},
	},
	model.KindWorkflow: {
		{Name: "id", Type: ftID, Required: true},
		{Name: "name", Type: ftText, Required: true},
		{Name: "name_fr", Type: ftText},
		{Name: "description", Type: ftTextarea},
		{Name: "description_fr", Type: ftTextarea},
		{Name: "blocks", Type: ftRefs, Target: model.KindBlock},
	},
	model.KindBlock: {
		{Name: "id", Type: ftID, Required: true},
		{Name: "name", Type: ftText, Required: true},
		{Name: "name_fr", Type: ftText},
		{Name: "description", Type: ftTextarea},
		{Name: "description_fr", Type: ftTextarea},
		{Name: "status", Type: ftStatus},
		{Name: "build_cost", Type: ftAmount},
		{Name: "annual_run_cost", Type: ftAmount},
		{Name: "integration_cost", Type: ftAmount},
		{Name: "per_consumer_run_cost", Type: ftAmount},
	},
	model.KindAgency: {
		{Name: "id", Type: ftID, Required: true},
		{Name: "name", Type: ftText, Required: true},
		{Name: "name_fr", Type: ftText},
	},
}

// inCatalog reports whether the catalogue has an entry of kind with id: such
// an entity may be used without being defined, and a portfolio entity with
// its id inherits what it leaves out.
func (s *Server) inCatalog(kind, id string) bool {
	switch kind {
	case model.KindBlock:
		_, ok := s.cat.Block(id)
		return ok
	case model.KindWorkflow:
		_, ok := s.cat.Workflow(id)
		return ok
	case model.KindUseCase:
		_, ok := s.cat.UseCase(id)
		return ok
	}
	return false
}

// catalogEntity is the catalogue's entry of kind with id as a portfolio
// entity, nil when there is none.
func (s *Server) catalogEntity(kind, id string) any {
	switch kind {
	case model.KindBlock:
		if b, ok := s.cat.Block(id); ok {
			return b
		}
	case model.KindWorkflow:
		if w, ok := s.cat.Workflow(id); ok {
			return w
		}
	case model.KindUseCase:
		if x, ok := s.cat.UseCase(id); ok {
			return x
		}
	}
	return nil
}

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"blockplan/model"
)

// This file is the entity editor's service, shared by the HTML forms and the
// JSON API: read one entity with its version, and create, change, rename or
// delete one with the model's validation and optimistic concurrency.

// entityState is one stored entity and its version: what an editor starts
// from, and what a 409 returns as "the current value".
type entityState struct {
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Version int             `json:"version"`
	Data    json.RawMessage `json:"data"`
}

// freshSnapshot reads the entity versions and the snapshot of that same
// portfolio version, for an editor: the snapshot the page shows and the
// versions it sends back must belong together.
func (s *Server) freshSnapshot(ctx context.Context, pid string) (*snapshot, map[model.EntityKey]int, error) {
	pv, versions, err := s.store.EntityVersions(ctx, pid)
	if err != nil {
		return nil, nil, err
	}
	sn, err := s.snapshotAt(ctx, model.PortfolioInfo{ID: pid, Version: pv})
	if err != nil {
		return nil, nil, err
	}
	if sn.Info.Version != pv {
		// Changed between the two reads: read the versions of what we hold.
		// (The snapshot is never older than pv.)
		if pv, versions, err = s.store.EntityVersions(ctx, pid); err != nil {
			return nil, nil, err
		}
		if pv != sn.Info.Version {
			if sn, err = s.snapshotAt(ctx, model.PortfolioInfo{ID: pid, Version: pv}); err != nil {
				return nil, nil, err
			}
		}
	}
	return sn, versions, nil
}

// rawEntity is the stored entity of kind with id, nil when the portfolio
// does not define it (it may still come from the catalogue).
func rawEntity(p *model.Portfolio, idx map[model.EntityKey]int, kind, id string) any {
	i, ok := idx[model.EntityKey{Kind: kind, ID: id}]
	if !ok {
		return nil
	}
	switch kind {
	case model.KindAgency:
		return p.Agencies[i]
	case model.KindGoal:
		return p.Goals[i]
	case model.KindProgramme:
		return p.Programmes[i]
	case model.KindUseCase:
		return p.UseCases[i]
	case model.KindWorkflow:
		return p.Workflows[i]
	case model.KindBlock:
		return p.Blocks[i]
	}
	return nil
}

// resolvedEntity is the entity as the model computes with it (catalogue
// fields filled in), nil when there is none.
func resolvedEntity(sn *snapshot, kind, id string) any {
	return rawEntity(sn.Resolved, sn.resIndex, kind, id)
}

// entityState is the stored entity of kind with id and its version, nil when
// the portfolio does not define it.
func stateOf(sn *snapshot, versions map[model.EntityKey]int, kind, id string) *entityState {
	e := rawEntity(sn.Raw, sn.rawIndex, kind, id)
	if e == nil {
		return nil
	}
	data, err := json.Marshal(e)
	if err != nil {
		return nil
	}
	return &entityState{Kind: kind, ID: id, Version: versions[model.EntityKey{Kind: kind, ID: id}], Data: data}
}

// decodeEntity reads an entity of kind from its JSON object, strictly
// (unknown keys are errors), as the portfolio format does.
func decodeEntity(kind string, data []byte) (any, error) {
	var v any
	switch kind {
	case model.KindAgency:
		v = new(model.Agency)
	case model.KindGoal:
		v = new(model.Goal)
	case model.KindProgramme:
		v = new(model.Programme)
	case model.KindUseCase:
		v = new(model.UseCase)
	case model.KindWorkflow:
		v = new(model.Workflow)
	case model.KindBlock:
		v = new(model.Block)
	default:
		return nil, fmt.Errorf("unknown kind %q", kind)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, err
	}
	return reflect.ValueOf(v).Elem().Interface(), nil
}

func entityID(e any) string {
	return reflect.ValueOf(e).FieldByName("ID").String()
}

// withEntity is a copy of p (lists copied, entities shared) in which the
// entity of kind oldID is replaced by e (appended when oldID is "" or not
// found), or removed when e is nil.
func withEntity(p *model.Portfolio, kind, oldID string, e any) *model.Portfolio {
	q := *p
	q.Agencies = slices.Clone(p.Agencies)
	q.Goals = slices.Clone(p.Goals)
	q.Programmes = slices.Clone(p.Programmes)
	q.UseCases = slices.Clone(p.UseCases)
	q.Workflows = slices.Clone(p.Workflows)
	q.Blocks = slices.Clone(p.Blocks)
	switch kind {
	case model.KindAgency:
		q.Agencies = replaceIn(q.Agencies, oldID, e, func(x model.Agency) string { return x.ID })
	case model.KindGoal:
		q.Goals = replaceIn(q.Goals, oldID, e, func(x model.Goal) string { return x.ID })
	case model.KindProgramme:
		q.Programmes = replaceIn(q.Programmes, oldID, e, func(x model.Programme) string { return x.ID })
	case model.KindUseCase:
		q.UseCases = replaceIn(q.UseCases, oldID, e, func(x model.UseCase) string { return x.ID })
	case model.KindWorkflow:
		q.Workflows = replaceIn(q.Workflows, oldID, e, func(x model.Workflow) string { return x.ID })
	case model.KindBlock:
		q.Blocks = replaceIn(q.Blocks, oldID, e, func(x model.Block) string { return x.ID })
	}
	return &q
}

func replaceIn[T any](xs []T, oldID string, e any, id func(T) string) []T {
	i := -1
	if oldID != "" {
		i = slices.IndexFunc(xs, func(x T) bool { return id(x) == oldID })
	}
	switch {
	case e == nil && i >= 0:
		return slices.Delete(xs, i, i+1)
	case e == nil:
		return xs
	case i >= 0:
		xs[i] = e.(T)
		return xs
	}
	return append(xs, e.(T))
}

// referrer is an entity that names another, with its changed self.
type referrer struct {
	Kind, ID string
	Entity   any
}

// retarget finds the portfolio's own entities that refer to the entity of
// kind with id from, and returns them with that reference changed to to, or
// removed when to is "". Catalogue entries pulled in by reference are not
// the portfolio's and are not changed.
func retarget(p *model.Portfolio, kind, from, to string) []referrer {
	var out []referrer
	swap := func(ids []string) ([]string, bool) {
		if !slices.Contains(ids, from) {
			return ids, false
		}
		var next []string
		for _, x := range ids {
			switch {
			case x != from:
				next = append(next, x)
			case to != "" && !slices.Contains(next, to):
				next = append(next, to)
			}
		}
		if next == nil {
			next = []string{}
		}
		return next, true
	}
	for _, pr := range p.Programmes {
		changed := false
		switch kind {
		case model.KindAgency:
			if pr.Agency == from {
				pr.Agency, changed = to, true
			}
		case model.KindGoal:
			pr.Goals, changed = swap(pr.Goals)
		case model.KindUseCase:
			pr.UseCases, changed = swap(pr.UseCases)
		case model.KindBlock:
			pr.Blocks, changed = swap(pr.Blocks)
		}
		if changed {
			out = append(out, referrer{model.KindProgramme, pr.ID, pr})
		}
	}
	for _, uc := range p.UseCases {
		changed := false
		switch kind {
		case model.KindWorkflow:
			uc.Workflows, changed = swap(uc.Workflows)
		case model.KindBlock:
			uc.Blocks, changed = swap(uc.Blocks)
		}
		if changed {
			out = append(out, referrer{model.KindUseCase, uc.ID, uc})
		}
	}
	if kind == model.KindBlock {
		for _, w := range p.Workflows {
			var changed bool
			if w.Blocks, changed = swap(w.Blocks); changed {
				out = append(out, referrer{model.KindWorkflow, w.ID, w})
			}
		}
	}
	return out
}

// newErrors is the errors of after that before did not have: an edit is
// refused for what it breaks, not for what was already broken.
func newErrors(before, after model.Problems) model.Problems {
	seen := map[string]bool{}
	key := func(p model.Problem) string {
		return p.Code + "\x00" + p.Kind + "\x00" + p.ID + "\x00" + p.Field + "\x00" + p.Value
	}
	for _, p := range before.Errors() {
		seen[key(p)] = true
	}
	var out model.Problems
	for _, p := range after.Errors() {
		if !seen[key(p)] {
			out = append(out, p)
		}
	}
	return out
}

// entityEdit is one requested change of one entity.
type entityEdit struct {
	Portfolio string
	Kind      string
	OldID     string // the entity edited; "" to create one
	Entity    any    // the new entity (a model.Goal, …); nil to delete
	Version   int    // the version the edit is based on (0 to create)
}

// saveEntity validates and stores an edit. A rename changes the references
// to the entity in the same transaction, and a delete removes them (unless
// the catalogue still defines the id, which then takes over). Every
// reference changed must still be at the version the caller saw.
//
// The errors are: EINVALID with the problems the edit would introduce;
// conflictError (ECONFLICT) when the entity or a referring one changed
// since; ENOTFOUND for an unknown portfolio. It returns the entity's id and
// new version.
func (s *Server) saveEntity(ctx context.Context, ed entityEdit) (string, int, error) {
	sn, versions, err := s.freshSnapshot(ctx, ed.Portfolio)
	if err != nil {
		return "", 0, err
	}
	if ed.OldID != "" && ed.Version > 0 && rawEntity(sn.Raw, sn.rawIndex, ed.Kind, ed.OldID) == nil {
		return "", 0, s.conflict(ctx, ed.Portfolio, ed.Kind, ed.OldID)
	}
	candidate := withEntity(sn.Raw, ed.Kind, ed.OldID, ed.Entity)
	newID := ""
	if ed.Entity != nil {
		newID = entityID(ed.Entity)
	}
	var refs []referrer
	switch {
	case ed.Entity == nil && !s.inCatalog(ed.Kind, ed.OldID):
		refs = retarget(candidate, ed.Kind, ed.OldID, "")
	case ed.Entity != nil && ed.OldID != "" && newID != ed.OldID && !s.inCatalog(ed.Kind, ed.OldID):
		refs = retarget(candidate, ed.Kind, ed.OldID, newID)
	}
	for _, r := range refs {
		candidate = withEntity(candidate, r.Kind, r.ID, r.Entity)
	}
	_, ps := model.Resolve(candidate, s.cat)
	if bad := newErrors(sn.Problems, ps); len(bad) > 0 {
		return "", 0, bad.Err(strings.ReplaceAll(ed.Kind, "_", " ") + " " + firstNonEmpty(newID, ed.OldID))
	}

	change := model.EntityChange{Kind: ed.Kind, ID: firstNonEmpty(ed.OldID, newID), ExpectVersion: ed.Version}
	if ed.Entity != nil && ed.Version == 0 {
		change.ID = newID // a create, perhaps of an entity that overrides its catalogue entry
	}
	if ed.Entity != nil {
		if change.Data, err = json.Marshal(ed.Entity); err != nil {
			return "", 0, fmt.Errorf("encode %s: %w", ed.Kind, err)
		}
	}
	var version int
	if len(refs) == 0 && ed.Entity != nil {
		version, err = s.store.PutEntity(ctx, ed.Portfolio, ed.Kind, change.ID, change.Data, ed.Version)
	} else if len(refs) == 0 {
		err = s.store.DeleteEntity(ctx, ed.Portfolio, ed.Kind, change.ID, ed.Version)
	} else {
		changes := []model.EntityChange{change}
		for _, r := range refs {
			data, err := json.Marshal(r.Entity)
			if err != nil {
				return "", 0, fmt.Errorf("encode %s: %w", r.Kind, err)
			}
			changes = append(changes, model.EntityChange{Kind: r.Kind, ID: r.ID, Data: data,
				ExpectVersion: versions[model.EntityKey{Kind: r.Kind, ID: r.ID}]})
		}
		version, err = s.store.ApplyEntityChanges(ctx, ed.Portfolio, changes)
	}
	if model.ErrorCode(err) == model.ECONFLICT {
		return "", 0, s.conflict(ctx, ed.Portfolio, ed.Kind, firstNonEmpty(ed.OldID, newID))
	}
	if err != nil {
		return "", 0, err
	}
	return newID, version, nil
}

// conflict is the ECONFLICT error of a stale edit, carrying the entity as it
// is stored now.
func (s *Server) conflict(ctx context.Context, pid, kind, id string) error {
	e := &conflictError{err: model.Errorf(model.ECONFLICT,
		"%s %s was changed by someone else since you opened it; here is the current value", strings.ReplaceAll(kind, "_", " "), id)}
	if sn, versions, err := s.freshSnapshot(ctx, pid); err == nil {
		e.Current = stateOf(sn, versions, kind, id)
	}
	if e.Current == nil {
		e.err.Message = fmt.Sprintf("%s %s was deleted by someone else since you opened it", strings.ReplaceAll(kind, "_", " "), id)
	}
	return e
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// referrersOf lists the portfolio's entities that refer to kind id, for the
// delete confirmation ("deleting this goal removes it from …").
func referrersOf(p *model.Portfolio, kind, id string) []referrer {
	return retarget(p, kind, id, "")
}

package model

import (
	"context"
	"encoding/json"
)

// Entity kinds: the six lists of a portfolio, as a store keys them and as
// problems and API paths name them.
const (
	KindAgency    = "agency"
	KindGoal      = "goal"
	KindProgramme = "programme"
	KindUseCase   = "use_case"
	KindWorkflow  = "workflow"
	KindBlock     = "block"
)

// EntityKinds lists the kinds in the order a portfolio document gives them.
var EntityKinds = []string{KindAgency, KindGoal, KindProgramme, KindUseCase, KindWorkflow, KindBlock}

// EntityKey names one entity of a portfolio.
type EntityKey struct {
	Kind string
	ID   string
}

// EntityChange is one edit of one entity, for EntityStore.ApplyEntityChanges.
type EntityChange struct {
	Kind string
	// ID is the entity's id as stored (for a new entity, its id).
	ID string
	// Data is the entity's new JSON, as the portfolio document writes it;
	// nil deletes the entity. An id in Data other than ID renames the
	// entity in place (it keeps its place in the list).
	Data json.RawMessage
	// ExpectVersion is the version the edit is based on: the stored entity
	// must be at exactly that version, else ECONFLICT. 0 means "based on
	// nothing": the entity must not exist yet (a create).
	ExpectVersion int
}

// EntityStore edits single entities of a stored portfolio, for the web
// editor: each entity carries a version, and an edit based on a stale version
// fails with ECONFLICT. Versions are portfolio revisions: an entity's version
// is the portfolio version at which it last changed, so a version is never
// reused, even for an entity deleted and made again. Every edit bumps the
// portfolio version too, so a whole-portfolio save with ExpectVersion sees it.
//
// The store checks only that each entity is well formed on its own;
// references between entities (and renames) are the model's to validate
// before writing.
type EntityStore interface {
	// PutEntity creates (expectVersion 0) or replaces one entity and
	// returns its new version.
	PutEntity(ctx context.Context, portfolioID, kind, id string, data json.RawMessage, expectVersion int) (version int, err error)
	// DeleteEntity deletes one entity that must be at expectVersion (> 0).
	DeleteEntity(ctx context.Context, portfolioID, kind, id string, expectVersion int) error
	// ApplyEntityChanges makes several edits in one transaction, all or
	// nothing (a rename and the references to it, say), and returns the new
	// portfolio version, which is the version of every changed entity.
	ApplyEntityChanges(ctx context.Context, portfolioID string, changes []EntityChange) (version int, err error)
	// EntityVersions is the version of every entity, read in one snapshot
	// together with the portfolio version: when that equals the
	// PortfolioInfo.Version of a GetPortfolio, the versions belong to the
	// portfolio it returned.
	EntityVersions(ctx context.Context, portfolioID string) (portfolioVersion int, versions map[EntityKey]int, err error)
}

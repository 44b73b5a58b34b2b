package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"blockplan/model"
)

// PutEntity creates (expectVersion 0) or replaces one entity of portfolio
// portfolioID and returns the entity's version afterwards. data is the
// entity's JSON as the portfolio document writes it; an id left out of it is
// id, and an id other than id renames the entity in place.
func (db *DB) PutEntity(ctx context.Context, portfolioID, kind, id string, data json.RawMessage, expectVersion int) (int, error) {
	if data == nil {
		return 0, model.Errorf(model.EINVALID, "%s %s: no data to store", kind, id)
	}
	_, versions, err := db.applyEntityChanges(ctx, portfolioID,
		[]model.EntityChange{{Kind: kind, ID: id, Data: data, ExpectVersion: expectVersion}})
	if err != nil {
		return 0, err
	}
	return versions[0], nil
}

// DeleteEntity deletes one entity, which must be at expectVersion.
func (db *DB) DeleteEntity(ctx context.Context, portfolioID, kind, id string, expectVersion int) error {
	_, _, err := db.applyEntityChanges(ctx, portfolioID,
		[]model.EntityChange{{Kind: kind, ID: id, ExpectVersion: expectVersion}})
	return err
}

// ApplyEntityChanges makes every change in one transaction and returns the
// portfolio version afterwards (unchanged if no change changed anything).
func (db *DB) ApplyEntityChanges(ctx context.Context, portfolioID string, changes []model.EntityChange) (int, error) {
	v, _, err := db.applyEntityChanges(ctx, portfolioID, changes)
	return v, err
}

// preparedChange is an EntityChange checked and encoded: data is the
// canonical JSON (nil for a delete) and newID the id the entity will have.
type preparedChange struct {
	model.EntityChange
	newID string
	data  []byte
}

// prepareChanges checks every change on its own and against the others,
// before any lock is taken, and reports every problem at once.
func prepareChanges(changes []model.EntityChange) ([]preparedChange, error) {
	var problems model.Problems
	bad := func(c model.EntityChange, code, format string, args ...any) {
		problems = append(problems, model.Problem{Severity: model.SeverityError, Code: code,
			Kind: c.Kind, ID: c.ID, Message: fmt.Sprintf(format, args...)})
	}
	touched := map[model.EntityKey]bool{}
	out := make([]preparedChange, 0, len(changes))
	for _, c := range changes {
		pc := preparedChange{EntityChange: c, newID: c.ID}
		switch {
		case !knownKind(c.Kind):
			bad(c, "unknown_kind", "unknown entity kind %q", c.Kind)
			continue
		case c.ID == "":
			bad(c, "missing_id", "a %s to change needs an id", c.Kind)
			continue
		case c.ExpectVersion < 0:
			bad(c, "bad_version", "version %d is not a version", c.ExpectVersion)
			continue
		case c.Data == nil && c.ExpectVersion == 0:
			bad(c, "missing_version", "deleting %s %s needs the version it is based on", c.Kind, c.ID)
			continue
		}
		if c.Data != nil {
			var err error
			pc.data, pc.newID, err = canonicalEntity(c.Kind, c.ID, c.Data)
			if err != nil {
				bad(c, "invalid_entity", "%s %s: %v", c.Kind, c.ID, err)
				continue
			}
			if pc.newID != c.ID && c.ExpectVersion == 0 {
				bad(c, "id_mismatch", "new %s %s has id %s in its data", c.Kind, c.ID, pc.newID)
				continue
			}
		}
		keys := []model.EntityKey{{Kind: c.Kind, ID: c.ID}}
		if pc.newID != c.ID {
			keys = append(keys, model.EntityKey{Kind: c.Kind, ID: pc.newID})
		}
		twice := false
		for _, k := range keys {
			if touched[k] && !twice {
				bad(c, "changed_twice", "%s %s is changed twice in one request", k.Kind, k.ID)
				twice = true
			}
			touched[k] = true
		}
		if twice {
			continue
		}
		out = append(out, pc)
	}
	if err := problems.Err("entity changes"); err != nil {
		return nil, err
	}
	return out, nil
}

func knownKind(kind string) bool {
	for _, k := range model.EntityKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// canonicalEntity decodes data strictly as an entity of kind and encodes it
// again, so that the store holds exactly what SavePortfolio would store for
// the same entity. It returns the encoding and the entity's id (id when the
// data gives none).
func canonicalEntity(kind, id string, data []byte) ([]byte, string, error) {
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return nil, "", errors.New("data must be a JSON object")
	}
	var v any
	var idp *string
	switch kind {
	case model.KindAgency:
		e := new(model.Agency)
		v, idp = e, &e.ID
	case model.KindGoal:
		e := new(model.Goal)
		v, idp = e, &e.ID
	case model.KindProgramme:
		e := new(model.Programme)
		v, idp = e, &e.ID
	case model.KindUseCase:
		e := new(model.UseCase)
		v, idp = e, &e.ID
	case model.KindWorkflow:
		e := new(model.Workflow)
		v, idp = e, &e.ID
	case model.KindBlock:
		e := new(model.Block)
		v, idp = e, &e.ID
	default:
		return nil, "", fmt.Errorf("unknown entity kind %q", kind)
	}
	if err := decodeStrict(data, v); err != nil {
		return nil, "", err
	}
	if *idp == "" {
		*idp = id
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, "", err
	}
	return out, *idp, nil
}

// applyEntityChanges applies changes in one transaction. It returns the
// portfolio version afterwards and, for each change, the entity's version
// afterwards (0 for a delete).
func (db *DB) applyEntityChanges(ctx context.Context, portfolioID string, changes []model.EntityChange) (int, []int, error) {
	prepared, err := prepareChanges(changes)
	if err != nil {
		return 0, nil, fmt.Errorf("edit portfolio %s: %w", portfolioID, err)
	}
	var portfolioVersion int
	versions := make([]int, len(prepared))
	err = db.write(ctx, func(tx *sql.Tx) error {
		r, found, err := getPortfolioRow(ctx, tx, portfolioID)
		if err != nil {
			return err
		} else if !found {
			return notFound(portfolioID)
		}
		next := r.version + 1
		changed := false
		for i, c := range prepared {
			v, did, before, err := applyChange(ctx, tx, r.pk, c, next)
			if err != nil {
				return err
			}
			versions[i] = v
			changed = changed || did
			if did {
				if err := db.insertAudit(ctx, tx, changeAudit(portfolioID, c, before, next)); err != nil {
					return err
				}
			}
			if err := db.hook("entity change"); err != nil {
				return err
			}
		}
		portfolioVersion = r.version
		if !changed {
			return nil
		}
		portfolioVersion = next
		const q = `UPDATE portfolios SET version = ?, updated_at = ? WHERE pk = ?`
		_, err = tx.ExecContext(ctx, q, next, formatTime(db.now()), r.pk)
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("edit portfolio %s: %w", portfolioID, err)
	}
	return portfolioVersion, versions, nil
}

// changeAudit is the audit entry of a change that changed something; before
// is the entity's stored JSON before it (nil for a create).
func changeAudit(portfolioID string, c preparedChange, before []byte, version int) model.AuditEntry {
	e := model.AuditEntry{Action: model.ActionUpdate, PortfolioID: portfolioID, Kind: c.Kind, EntityID: c.ID,
		Version: version, Before: before, After: c.data}
	switch {
	case before == nil:
		e.Action = model.ActionCreate
	case c.data == nil:
		e.Action = model.ActionDelete
	case c.newID != c.ID:
		e.Action, e.Detail = model.ActionRename, "renamed to "+c.newID
	}
	return e
}

// applyChange applies one checked change to portfolio pk; next is the
// version a changed entity gets. It returns the entity's version afterwards,
// whether anything changed, and the entity's JSON before the change (nil if
// it did not exist).
func applyChange(ctx context.Context, tx *sql.Tx, pk int64, c preparedChange, next int) (int, bool, []byte, error) {
	var stored storedEntity
	const get = `SELECT position, data, version FROM entities WHERE portfolio_pk = ? AND kind = ? AND id = ?`
	err := tx.QueryRowContext(ctx, get, pk, c.Kind, c.ID).Scan(&stored.position, &stored.data, &stored.version)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil, err
	}

	if c.ExpectVersion == 0 {
		if exists {
			return 0, false, nil, model.Errorf(model.ECONFLICT, "%s %s already exists", c.Kind, c.ID)
		}
		const ins = `INSERT INTO entities (portfolio_pk, kind, id, position, data, version)
VALUES (?, ?, ?, (SELECT coalesce(max(position), -1) + 1 FROM entities WHERE portfolio_pk = ? AND kind = ?), ?, ?)`
		if _, err := tx.ExecContext(ctx, ins, pk, c.Kind, c.ID, pk, c.Kind, string(c.data), next); err != nil {
			return 0, false, nil, err
		}
		return next, true, nil, nil
	}

	switch {
	case !exists:
		return 0, false, nil, model.Errorf(model.ENOTFOUND, "no %s %s", c.Kind, c.ID)
	case stored.version != c.ExpectVersion:
		return 0, false, nil, model.Errorf(model.ECONFLICT, "%s %s was changed since it was loaded (version %d, expected %d)",
			c.Kind, c.ID, stored.version, c.ExpectVersion)
	case c.data == nil:
		const del = `DELETE FROM entities WHERE portfolio_pk = ? AND kind = ? AND id = ?`
		_, err := tx.ExecContext(ctx, del, pk, c.Kind, c.ID)
		return 0, err == nil, stored.data, err
	case c.newID != c.ID:
		var n int
		const taken = `SELECT count(*) FROM entities WHERE portfolio_pk = ? AND kind = ? AND id = ?`
		if err := tx.QueryRowContext(ctx, taken, pk, c.Kind, c.newID).Scan(&n); err != nil {
			return 0, false, nil, err
		}
		if n > 0 {
			return 0, false, nil, model.Errorf(model.ECONFLICT, "cannot rename %s %s to %s: %s %s already exists",
				c.Kind, c.ID, c.newID, c.Kind, c.newID)
		}
	case bytes.Equal(stored.data, c.data):
		return stored.version, false, stored.data, nil
	}
	const upd = `UPDATE entities SET id = ?, data = ?, version = ? WHERE portfolio_pk = ? AND kind = ? AND id = ?`
	if _, err := tx.ExecContext(ctx, upd, c.newID, string(c.data), next, pk, c.Kind, c.ID); err != nil {
		return 0, false, nil, err
	}
	return next, true, stored.data, nil
}

// EntityVersions reads, in one snapshot, the portfolio version and the
// version of each of its entities.
func (db *DB) EntityVersions(ctx context.Context, portfolioID string) (int, map[model.EntityKey]int, error) {
	var portfolioVersion int
	versions := map[model.EntityKey]int{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		r, found, err := getPortfolioRow(ctx, tx, portfolioID)
		if err != nil {
			return err
		} else if !found {
			return notFound(portfolioID)
		}
		portfolioVersion = r.version
		rows, err := tx.QueryContext(ctx, `SELECT kind, id, version FROM entities WHERE portfolio_pk = ?`, r.pk)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key model.EntityKey
			var v int
			if err := rows.Scan(&key.Kind, &key.ID, &v); err != nil {
				return err
			}
			versions[key] = v
		}
		return rows.Err()
	})
	if err != nil {
		return 0, nil, fmt.Errorf("entity versions of portfolio %s: %w", portfolioID, err)
	}
	return portfolioVersion, versions, nil
}

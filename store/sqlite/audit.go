package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"blockplan/model"
)

var _ model.AuditLog = (*DB)(nil)

// The audit log is written by each write operation inside its own
// transaction (see insertAudit), so that no change is ever committed without
// its entry, and no entry survives a change rolled back.

// insertAudit writes e in tx. At is the store's clock and Actor, when e has
// none, the actor of ctx (model.ActorUnknown when ctx carries none).
func (db *DB) insertAudit(ctx context.Context, tx *sql.Tx, e model.AuditEntry) error {
	if e.Actor == "" {
		e.Actor = model.Actor(ctx)
	}
	if e.Action == "" {
		return errors.New("audit entry without an action")
	}
	const q = `INSERT INTO audit_log (at, actor, action, portfolio_id, kind, entity_id, version, detail, before_data, after_data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	_, err := tx.ExecContext(ctx, q, formatTime(db.now()), e.Actor, e.Action, e.PortfolioID, e.Kind, e.EntityID,
		e.Version, e.Detail, jsonArg(e.Before), jsonArg(e.After))
	return err
}

// jsonArg binds JSON as text (a []byte would be a BLOB, which a STRICT TEXT
// column refuses), and empty or null JSON as NULL.
func jsonArg(b json.RawMessage) any {
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	return string(b)
}

// mustJSON marshals v, which is built by this package from plain values and
// cannot fail to encode.
func auditJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("audit: encode %T: %v", v, err))
	}
	return b
}

// RecordAudit records an event that changes nothing stored, such as a failed
// sign-in. Changes made through the store are recorded by the store.
func (db *DB) RecordAudit(ctx context.Context, e model.AuditEntry) error {
	if e.Action == "" {
		return model.Errorf(model.EINVALID, "an audit entry needs an action")
	}
	for _, b := range []json.RawMessage{e.Before, e.After} {
		if len(b) > 0 && !json.Valid(b) {
			return model.Errorf(model.EINVALID, "audit entry %s: before and after must be JSON", e.Action)
		}
	}
	err := db.write(ctx, func(tx *sql.Tx) error { return db.insertAudit(ctx, tx, e) })
	if err != nil {
		return fmt.Errorf("record audit entry: %w", err)
	}
	return nil
}

const auditColumns = `id, at, actor, action, portfolio_id, kind, entity_id, version, detail`

// ListAudit lists audit entries, newest first.
func (db *DB) ListAudit(ctx context.Context, f model.AuditFilter) ([]model.AuditEntry, error) {
	switch {
	case f.Limit < 0 || f.Offset < 0 || f.BeforeID < 0:
		return nil, model.Errorf(model.EINVALID, "audit list: limit, offset and before must not be negative")
	case f.Limit == 0:
		f.Limit = 100
	case f.Limit > 1000:
		f.Limit = 1000
	}
	cols := auditColumns
	if f.Bodies {
		cols += `, before_data, after_data`
	}
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.PortfolioID != "" {
		add("portfolio_id = ?", f.PortfolioID)
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	q := `SELECT ` + cols + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY id DESC LIMIT ? OFFSET ?`
	args = append(args, f.Limit, f.Offset)

	rows, err := db.ro.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", dbError(err))
	}
	defer rows.Close()
	entries := []model.AuditEntry{}
	for rows.Next() {
		e, err := scanAudit(rows, f.Bodies)
		if err != nil {
			return nil, fmt.Errorf("list audit log: %w", err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit log: %w", dbError(err))
	}
	return entries, nil
}

// GetAudit reads one audit entry with its before and after.
func (db *DB) GetAudit(ctx context.Context, id int64) (model.AuditEntry, error) {
	row := db.ro.QueryRowContext(ctx, `SELECT `+auditColumns+`, before_data, after_data FROM audit_log WHERE id = ?`, id)
	e, err := scanAudit(row, true)
	if errors.Is(err, sql.ErrNoRows) {
		return model.AuditEntry{}, model.Errorf(model.ENOTFOUND, "no audit entry %d", id)
	} else if err != nil {
		return model.AuditEntry{}, fmt.Errorf("get audit entry %d: %w", id, err)
	}
	return e, nil
}

func scanAudit(s interface{ Scan(...any) error }, bodies bool) (model.AuditEntry, error) {
	var e model.AuditEntry
	var at string
	var before, after sql.NullString
	dest := []any{&e.ID, &at, &e.Actor, &e.Action, &e.PortfolioID, &e.Kind, &e.EntityID, &e.Version, &e.Detail}
	if bodies {
		dest = append(dest, &before, &after)
	}
	if err := s.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return e, err
		}
		return e, dbError(err)
	}
	var err error
	if e.At, err = parseTime(at); err != nil {
		return e, err
	}
	if before.Valid {
		e.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		e.After = json.RawMessage(after.String)
	}
	return e, nil
}

// portfolioState is what the audit entry of a save that replaced a portfolio
// holds before and after: the head of the document (id, name, settings, …,
// without the entity lists) when it changed, and the entities that changed,
// by kind and id. An entity only in After was created, only in Before
// deleted. (Creating a portfolio records the whole document as After, and
// deleting one the whole document as Before; see documentJSON.)
type portfolioState struct {
	Head     json.RawMessage                       `json:"head,omitempty"`
	Entities map[string]map[string]json.RawMessage `json:"entities,omitempty"`
}

func (s *portfolioState) addEntity(kind, id string, data []byte) {
	if s.Entities == nil {
		s.Entities = map[string]map[string]json.RawMessage{}
	}
	if s.Entities[kind] == nil {
		s.Entities[kind] = map[string]json.RawMessage{}
	}
	s.Entities[kind][id] = data
}

func (s *portfolioState) empty() bool { return s.Head == nil && len(s.Entities) == 0 }

// json is s as JSON, or nil when s holds nothing.
func (s *portfolioState) json() json.RawMessage {
	if s.empty() {
		return nil
	}
	return auditJSON(s)
}

// headDoc is the head of portfolio row r as one JSON object: the stored head
// with the id, name, country and currency columns put back. Keys come out
// sorted, so that two heads compare by their bytes.
func headDoc(r portfolioRow) (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(r.head, &m); err != nil {
		return nil, fmt.Errorf("stored head of %s: %w", r.id, err)
	}
	for k, v := range map[string]string{"id": r.id, "name": r.name, "country": r.country, "currency": r.currency} {
		if v == "" {
			delete(m, k)
		} else {
			m[k] = auditJSON(v)
		}
	}
	return auditJSON(m), nil
}

// entityDiff counts what a whole-portfolio save did to the entities.
type entityDiff struct {
	created, updated, deleted, moved int
}

func (d entityDiff) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{d.created, "created"}, {d.updated, "updated"}, {d.deleted, "deleted"}, {d.moved, "moved"}} {
		if p.n > 0 {
			parts = append(parts, strconv.Itoa(p.n)+" "+p.what)
		}
	}
	if len(parts) == 0 {
		return "no entity changed"
	}
	return "entities: " + strings.Join(parts, ", ")
}

// listField is the portfolio document's field for each entity kind.
var listField = map[string]string{
	model.KindAgency:    "agencies",
	model.KindGoal:      "goals",
	model.KindProgramme: "programmes",
	model.KindUseCase:   "use_cases",
	model.KindWorkflow:  "workflows",
	model.KindBlock:     "blocks",
}

// documentJSON is the whole portfolio document, as import reads it, made
// from its head (see headDoc) and its entities in document order, without
// decoding them again: the audit entry of a created or deleted portfolio,
// from which it can be imported back.
func documentJSON(head json.RawMessage, entities []encodedEntity) (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(head, &m); err != nil {
		return nil, err
	}
	lists := map[string][][]byte{}
	for _, e := range entities {
		lists[e.kind] = append(lists[e.kind], e.data)
	}
	for kind, items := range lists {
		field, ok := listField[kind]
		if !ok {
			return nil, fmt.Errorf("unknown entity kind %q", kind)
		}
		var b strings.Builder
		b.WriteByte('[')
		for i, item := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(item)
		}
		b.WriteByte(']')
		m[field] = json.RawMessage(b.String())
	}
	return auditJSON(m), nil
}

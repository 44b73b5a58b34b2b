package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"blockplan/model"
)

// ListPortfolios describes every stored portfolio, ordered by id.
func (db *DB) ListPortfolios(ctx context.Context) ([]model.PortfolioInfo, error) {
	const q = `SELECT p.id, p.name, coalesce(json_extract(p.head, '$.name_fr'), ''), p.country, p.currency, p.version, p.created_at, p.updated_at,
       (SELECT count(*) FROM entities e WHERE e.portfolio_pk = p.pk AND e.kind = ?),
       (SELECT count(*) FROM entities e WHERE e.portfolio_pk = p.pk AND e.kind = ?)
FROM portfolios p
ORDER BY p.id`
	rows, err := db.ro.QueryContext(ctx, q, model.KindProgramme, model.KindBlock)
	if err != nil {
		return nil, fmt.Errorf("list portfolios: %w", dbError(err))
	}
	defer rows.Close()
	infos := []model.PortfolioInfo{}
	for rows.Next() {
		var info model.PortfolioInfo
		var created, updated string
		if err := rows.Scan(&info.ID, &info.Name, &info.NameFR, &info.Country, &info.Currency, &info.Version,
			&created, &updated, &info.Programmes, &info.Blocks); err != nil {
			return nil, fmt.Errorf("list portfolios: %w", dbError(err))
		}
		if info.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("list portfolios: %w", err)
		}
		if info.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, fmt.Errorf("list portfolios: %w", err)
		}
		infos = append(infos, info)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list portfolios: %w", dbError(err))
	}
	return infos, nil
}

// GetPortfolio loads the portfolio with id as it was saved.
func (db *DB) GetPortfolio(ctx context.Context, id string) (*model.Portfolio, model.PortfolioInfo, error) {
	var p *model.Portfolio
	var info model.PortfolioInfo
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		p, info, _, err = loadPortfolio(ctx, tx, id, nil)
		return err
	})
	if err != nil {
		return nil, model.PortfolioInfo{}, fmt.Errorf("get portfolio %s: %w", id, err)
	}
	return p, info, nil
}

// portfolioRow is what the portfolios table holds about one portfolio.
type portfolioRow struct {
	pk                          int64
	id, name, country, currency string
	head                        []byte
	version                     int
	created, updated            string
}

// getPortfolioRow reads the row of portfolio id; found is false when there
// is none.
func getPortfolioRow(ctx context.Context, tx *sql.Tx, id string) (r portfolioRow, found bool, err error) {
	const q = `SELECT pk, id, name, country, currency, head, version, created_at, updated_at
FROM portfolios WHERE id = ?`
	err = tx.QueryRowContext(ctx, q, id).Scan(&r.pk, &r.id, &r.name, &r.country, &r.currency,
		&r.head, &r.version, &r.created, &r.updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	} else if err != nil {
		return r, false, dbError(err)
	}
	return r, true, nil
}

func notFound(id string) error {
	return model.Errorf(model.ENOTFOUND, "no portfolio %s", id)
}

func (r portfolioRow) info() (model.PortfolioInfo, error) {
	info := model.PortfolioInfo{ID: r.id, Name: r.name, Country: r.country, Currency: r.currency, Version: r.version}
	// The French title is not a column: it lives in the head with the
	// other fields that lists do not need to filter on.
	var head struct {
		NameFR string `json:"name_fr"`
	}
	if err := json.Unmarshal(r.head, &head); err != nil {
		return info, fmt.Errorf("stored head of %s: %w", r.id, err)
	}
	info.NameFR = head.NameFR
	var err error
	if info.CreatedAt, err = parseTime(r.created); err != nil {
		return info, err
	}
	info.UpdatedAt, err = parseTime(r.updated)
	return info, err
}

// loadPortfolio reads portfolio id in tx. When versions is not nil, it also
// records there the version of every entity.
func loadPortfolio(ctx context.Context, tx *sql.Tx, id string, versions map[model.EntityKey]int) (*model.Portfolio, model.PortfolioInfo, portfolioRow, error) {
	r, found, err := getPortfolioRow(ctx, tx, id)
	if err != nil {
		return nil, model.PortfolioInfo{}, r, err
	} else if !found {
		return nil, model.PortfolioInfo{}, r, notFound(id)
	}
	p := new(model.Portfolio)
	if err := decodeStrict(r.head, p); err != nil {
		return nil, model.PortfolioInfo{}, r, fmt.Errorf("stored head: %w", err)
	}
	p.ID, p.Name, p.Country, p.Currency = r.id, r.name, r.country, r.currency

	const q = `SELECT kind, id, data, version FROM entities WHERE portfolio_pk = ? ORDER BY kind, position`
	rows, err := tx.QueryContext(ctx, q, r.pk)
	if err != nil {
		return nil, model.PortfolioInfo{}, r, dbError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, eid string
		var data []byte
		var version int
		if err := rows.Scan(&kind, &eid, &data, &version); err != nil {
			return nil, model.PortfolioInfo{}, r, dbError(err)
		}
		if err := appendEntity(p, kind, data); err != nil {
			return nil, model.PortfolioInfo{}, r, fmt.Errorf("stored %s %s: %w", kind, eid, err)
		}
		if versions != nil {
			versions[model.EntityKey{Kind: kind, ID: eid}] = version
		}
	}
	if err := rows.Err(); err != nil {
		return nil, model.PortfolioInfo{}, r, dbError(err)
	}
	info, err := r.info()
	if err != nil {
		return nil, model.PortfolioInfo{}, r, err
	}
	info.Programmes, info.Blocks = len(p.Programmes), len(p.Blocks)
	return p, info, r, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and
// trailing data: a field this build does not know must fail loudly rather
// than be dropped by the next save.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// appendEntity decodes data as an entity of kind and appends it to its list.
func appendEntity(p *model.Portfolio, kind string, data []byte) error {
	switch kind {
	case model.KindAgency:
		return appendDecoded(&p.Agencies, data)
	case model.KindGoal:
		return appendDecoded(&p.Goals, data)
	case model.KindProgramme:
		return appendDecoded(&p.Programmes, data)
	case model.KindUseCase:
		return appendDecoded(&p.UseCases, data)
	case model.KindWorkflow:
		return appendDecoded(&p.Workflows, data)
	case model.KindBlock:
		return appendDecoded(&p.Blocks, data)
	}
	return fmt.Errorf("unknown entity kind %q", kind)
}

func appendDecoded[T any](list *[]T, data []byte) error {
	var v T
	if err := decodeStrict(data, &v); err != nil {
		return err
	}
	*list = append(*list, v)
	return nil
}

// encodedEntity is one entity ready to store. JSON is always bound as a
// string: a []byte would be bound as a BLOB, which a STRICT TEXT column
// refuses and json_valid would take for JSONB.
type encodedEntity struct {
	kind, id string
	data     []byte
}

// encodePortfolio splits p into the head JSON and its entities' JSON, in
// document order. Entity ids must be non-empty and unique within their kind;
// every problem is reported at once.
func encodePortfolio(p *model.Portfolio) (head []byte, entities []encodedEntity, err error) {
	h := *p
	h.ID, h.Name, h.Country, h.Currency = "", "", "", ""
	// A list with entries is stored as entity rows; a list given empty stays
	// in the head as [], so that it comes back empty rather than missing.
	if len(h.Agencies) > 0 {
		h.Agencies = nil
	}
	if len(h.Goals) > 0 {
		h.Goals = nil
	}
	if len(h.Programmes) > 0 {
		h.Programmes = nil
	}
	if len(h.UseCases) > 0 {
		h.UseCases = nil
	}
	if len(h.Workflows) > 0 {
		h.Workflows = nil
	}
	if len(h.Blocks) > 0 {
		h.Blocks = nil
	}
	if head, err = json.Marshal(h); err != nil {
		return nil, nil, model.Errorf(model.EINVALID, "portfolio %s: %v", p.ID, err)
	}

	var problems model.Problems
	n := len(p.Agencies) + len(p.Goals) + len(p.Programmes) + len(p.UseCases) + len(p.Workflows) + len(p.Blocks)
	entities = make([]encodedEntity, 0, n)
	seen := make(map[model.EntityKey]bool, n)
	add := func(kind, id string, v any) {
		key := model.EntityKey{Kind: kind, ID: id}
		switch {
		case id == "":
			problems = append(problems, model.Problem{Severity: model.SeverityError, Code: "missing_id",
				Kind: kind, Field: "id", Message: fmt.Sprintf("a %s has no id", kind)})
			return
		case seen[key]:
			problems = append(problems, model.Problem{Severity: model.SeverityError, Code: "duplicate_id",
				Kind: kind, ID: id, Field: "id", Value: id, Message: fmt.Sprintf("%s id %s is used twice", kind, id)})
			return
		}
		seen[key] = true
		data, err := json.Marshal(v)
		if err != nil {
			problems = append(problems, model.Problem{Severity: model.SeverityError, Code: "unencodable",
				Kind: kind, ID: id, Message: err.Error()})
			return
		}
		entities = append(entities, encodedEntity{kind: kind, id: id, data: data})
	}
	for _, e := range p.Agencies {
		add(model.KindAgency, e.ID, e)
	}
	for _, e := range p.Goals {
		add(model.KindGoal, e.ID, e)
	}
	for _, e := range p.Programmes {
		add(model.KindProgramme, e.ID, e)
	}
	for _, e := range p.UseCases {
		add(model.KindUseCase, e.ID, e)
	}
	for _, e := range p.Workflows {
		add(model.KindWorkflow, e.ID, e)
	}
	for _, e := range p.Blocks {
		add(model.KindBlock, e.ID, e)
	}
	if err := problems.Err("portfolio " + p.ID); err != nil {
		return nil, nil, err
	}
	return head, entities, nil
}

// SavePortfolio stores p in one transaction. Entities whose JSON is unchanged
// keep their version; changed and new ones get the new portfolio version;
// those no longer in p are deleted. The same transaction records the save in
// the audit log, with the head and the entities that changed, before and
// after.
func (db *DB) SavePortfolio(ctx context.Context, p *model.Portfolio, opt model.SaveOptions) (model.PortfolioInfo, error) {
	if p == nil || p.ID == "" {
		return model.PortfolioInfo{}, model.Errorf(model.EINVALID, "a portfolio to save needs an id")
	}
	if opt.ExpectVersion < 0 {
		return model.PortfolioInfo{}, model.Errorf(model.EINVALID, "expected version %d is not a version", opt.ExpectVersion)
	}
	// Encode before taking the write lock: it is the slow part, and an
	// unencodable portfolio fails without touching the database.
	head, entities, err := encodePortfolio(p)
	if err != nil {
		return model.PortfolioInfo{}, fmt.Errorf("save portfolio %s: %w", p.ID, err)
	}
	var info model.PortfolioInfo
	err = db.write(ctx, func(tx *sql.Tx) error {
		r, found, err := getPortfolioRow(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		switch {
		case found && !opt.Replace:
			return model.Errorf(model.ECONFLICT, "portfolio %s already exists; use --replace", p.ID)
		case !found && opt.ExpectVersion > 0:
			return model.Errorf(model.ECONFLICT, "portfolio %s was expected at version %d but no longer exists", p.ID, opt.ExpectVersion)
		case found && opt.ExpectVersion > 0 && r.version != opt.ExpectVersion:
			return model.Errorf(model.ECONFLICT, "portfolio %s was changed since it was loaded (version %d, expected %d)", p.ID, r.version, opt.ExpectVersion)
		}
		now := formatTime(db.now())
		var before, after portfolioState
		var oldHead json.RawMessage
		if found {
			if oldHead, err = headDoc(r); err != nil {
				return err
			}
			r.version++
			const q = `UPDATE portfolios SET name = ?, country = ?, currency = ?, head = ?, version = ?, updated_at = ? WHERE pk = ?`
			if _, err := tx.ExecContext(ctx, q, p.Name, p.Country, p.Currency, string(head), r.version, now, r.pk); err != nil {
				return err
			}
		} else {
			r = portfolioRow{id: p.ID, version: 1, created: now}
			const q = `INSERT INTO portfolios (id, name, country, currency, head, version, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			res, err := tx.ExecContext(ctx, q, p.ID, p.Name, p.Country, p.Currency, string(head), r.version, now, now)
			if err != nil {
				return err
			}
			if r.pk, err = res.LastInsertId(); err != nil {
				return err
			}
		}
		r.name, r.country, r.currency, r.head, r.updated = p.Name, p.Country, p.Currency, head, now
		newHead, err := headDoc(r)
		if err != nil {
			return err
		}
		if !bytes.Equal(oldHead, newHead) {
			before.Head, after.Head = oldHead, newHead
		}
		if err := db.hook("portfolio row"); err != nil {
			return err
		}
		diff, err := db.writeEntities(ctx, tx, r, entities, found, &before, &after)
		if err != nil {
			return err
		}
		entry := model.AuditEntry{Action: model.ActionUpdate, PortfolioID: p.ID, Kind: model.KindPortfolio,
			EntityID: p.ID, Version: r.version, Detail: diff.String(), Before: before.json(), After: after.json()}
		if !found {
			entry.Action = model.ActionCreate
			if entry.After, err = documentJSON(newHead, entities); err != nil {
				return err
			}
		}
		if err := db.insertAudit(ctx, tx, entry); err != nil {
			return err
		}
		if info, err = r.info(); err != nil {
			return err
		}
		info.Programmes, info.Blocks = len(p.Programmes), len(p.Blocks)
		return nil
	})
	if err != nil {
		return model.PortfolioInfo{}, fmt.Errorf("save portfolio %s: %w", p.ID, err)
	}
	return info, nil
}

// storedEntity is what the entities table holds about one entity.
type storedEntity struct {
	position int
	data     []byte
	version  int
}

// writeEntities makes the entity rows of portfolio r be exactly entities, in
// that order, at version r.version where they changed. It adds what it
// changed to before and after, for the audit log, and counts it.
func (db *DB) writeEntities(ctx context.Context, tx *sql.Tx, r portfolioRow, entities []encodedEntity, existed bool, before, after *portfolioState) (entityDiff, error) {
	var diff entityDiff
	old := map[model.EntityKey]storedEntity{}
	if existed {
		var err error
		if old, err = storedEntities(ctx, tx, r.pk); err != nil {
			return diff, err
		}
	}
	insert, err := tx.PrepareContext(ctx, `INSERT INTO entities (portfolio_pk, kind, id, position, data, version) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return diff, err
	}
	defer insert.Close()
	update, err := tx.PrepareContext(ctx, `UPDATE entities SET position = ?, data = ?, version = ? WHERE portfolio_pk = ? AND kind = ? AND id = ?`)
	if err != nil {
		return diff, err
	}
	defer update.Close()
	move, err := tx.PrepareContext(ctx, `UPDATE entities SET position = ? WHERE portfolio_pk = ? AND kind = ? AND id = ?`)
	if err != nil {
		return diff, err
	}
	defer move.Close()

	position := map[string]int{}
	for i, e := range entities {
		pos := position[e.kind]
		position[e.kind]++
		key := model.EntityKey{Kind: e.kind, ID: e.id}
		s, ok := old[key]
		delete(old, key)
		switch {
		case !ok:
			_, err = insert.ExecContext(ctx, r.pk, e.kind, e.id, pos, string(e.data), r.version)
			if existed { // a new portfolio is recorded whole, by documentJSON
				after.addEntity(e.kind, e.id, e.data)
			}
			diff.created++
		case !bytes.Equal(s.data, e.data):
			_, err = update.ExecContext(ctx, pos, string(e.data), r.version, r.pk, e.kind, e.id)
			before.addEntity(e.kind, e.id, s.data)
			after.addEntity(e.kind, e.id, e.data)
			diff.updated++
		case s.position != pos:
			_, err = move.ExecContext(ctx, pos, r.pk, e.kind, e.id)
			diff.moved++
		}
		if err != nil {
			return diff, err
		}
		if i == len(entities)/2 {
			if err := db.hook("half the entities"); err != nil {
				return diff, err
			}
		}
	}
	if len(old) > 0 {
		del, err := tx.PrepareContext(ctx, `DELETE FROM entities WHERE portfolio_pk = ? AND kind = ? AND id = ?`)
		if err != nil {
			return diff, err
		}
		defer del.Close()
		for key, s := range old {
			if _, err := del.ExecContext(ctx, r.pk, key.Kind, key.ID); err != nil {
				return diff, err
			}
			before.addEntity(key.Kind, key.ID, s.data)
			diff.deleted++
		}
	}
	return diff, nil
}

// storedEntities reads every entity row of portfolio pk.
func storedEntities(ctx context.Context, tx *sql.Tx, pk int64) (map[model.EntityKey]storedEntity, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, id, position, data, version FROM entities WHERE portfolio_pk = ?`, pk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[model.EntityKey]storedEntity{}
	for rows.Next() {
		var key model.EntityKey
		var s storedEntity
		if err := rows.Scan(&key.Kind, &key.ID, &s.position, &s.data, &s.version); err != nil {
			return nil, err
		}
		m[key] = s
	}
	return m, rows.Err()
}

// DeletePortfolio deletes portfolio id and, by cascade, its entities. The
// audit entry keeps the whole portfolio as Before, so that an admin can
// bring back one deleted by mistake.
func (db *DB) DeletePortfolio(ctx context.Context, id string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		r, found, err := getPortfolioRow(ctx, tx, id)
		if err != nil {
			return err
		} else if !found {
			return notFound(id)
		}
		head, err := headDoc(r)
		if err != nil {
			return err
		}
		stored, err := storedEntities(ctx, tx, r.pk)
		if err != nil {
			return err
		}
		entities := make([]encodedEntity, 0, len(stored))
		for key, s := range stored {
			entities = append(entities, encodedEntity{kind: key.Kind, id: key.ID, data: s.data})
		}
		kindOrder := map[string]int{}
		for i, k := range model.EntityKinds {
			kindOrder[k] = i
		}
		sort.Slice(entities, func(i, j int) bool {
			a, b := entities[i], entities[j]
			if a.kind != b.kind {
				return kindOrder[a.kind] < kindOrder[b.kind]
			}
			return stored[model.EntityKey{Kind: a.kind, ID: a.id}].position < stored[model.EntityKey{Kind: b.kind, ID: b.id}].position
		})
		doc, err := documentJSON(head, entities)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM portfolios WHERE pk = ?`, r.pk); err != nil {
			return err
		}
		return db.insertAudit(ctx, tx, model.AuditEntry{Action: model.ActionDelete, PortfolioID: id,
			Kind: model.KindPortfolio, EntityID: id, Version: r.version,
			Detail: fmt.Sprintf("%d entities", len(stored)), Before: doc})
	})
	if err != nil {
		return fmt.Errorf("delete portfolio %s: %w", id, err)
	}
	return nil
}

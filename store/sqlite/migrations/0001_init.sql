-- 0001_init: portfolios and their entities.
--
-- A portfolio is stored as one row for the document's head plus one row per
-- entity. Entity rows hold the entity's JSON exactly as model marshals it, so
-- that loading gives back the same document (every field, ranges, pointers,
-- empty versus missing lists) without a column per field, and a new optional
-- field in the format needs no migration. References between entities are
-- validated by the model, not by foreign keys here.

-- portfolios: pk is a surrogate key so that child tables (entities today;
-- memberships, tokens, audit entries later) refer to a small integer and a
-- portfolio's id can change without touching them. id, name, country and
-- currency are columns so that listing needs no JSON. head is the rest of the
-- document as JSON: format, settings, lists given empty ("goals": []) and any
-- later top-level field. version is bumped by every change.
CREATE TABLE portfolios (
    pk         INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE CHECK (id <> ''),
    name       TEXT    NOT NULL DEFAULT '',
    country    TEXT    NOT NULL DEFAULT '',
    currency   TEXT    NOT NULL DEFAULT '',
    head       TEXT    NOT NULL CHECK (json_valid(head)),
    version    INTEGER NOT NULL CHECK (version > 0),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;

-- entities: one row per agency, goal, programme, use case, workflow or block.
-- kind is checked by the Go code, not by a CHECK, so that a new kind needs no
-- table rebuild. position orders the entities of one kind as the document
-- gives them. version is the portfolio version at which the entity last
-- changed (optimistic concurrency of single-entity edits).
CREATE TABLE entities (
    portfolio_pk INTEGER NOT NULL REFERENCES portfolios (pk) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    id           TEXT    NOT NULL CHECK (id <> ''),
    position     INTEGER NOT NULL,
    data         TEXT    NOT NULL CHECK (json_valid(data)),
    version      INTEGER NOT NULL CHECK (version > 0),
    PRIMARY KEY (portfolio_pk, kind, id)
) STRICT;

CREATE INDEX entities_by_position ON entities (portfolio_pk, kind, position);

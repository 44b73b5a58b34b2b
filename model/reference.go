package model

// SDGTarget is a UN SDG target ("3.2", "17.19", "1.a").
type SDGTarget struct {
	Code   string // "3.2"
	Goal   int    // 3
	Name   string // English text
	NameFR string
}

// Label is the target's text in lang.
func (t SDGTarget) Label(lang string) string { return Localized(lang, t.Name, t.NameFR) }

// Reference is the built-in reference catalogue as the model sees it: the
// package catalog implements it. Entities come back fully filled in (names in
// both languages, descriptions, links), with no costs.
type Reference interface {
	Block(id string) (Block, bool)
	Workflow(id string) (Workflow, bool)
	UseCase(id string) (UseCase, bool)
	SDGTarget(code string) (SDGTarget, bool)
}

// NoReference is an empty catalogue, for tests and for portfolios that must
// stand alone.
type NoReference struct{}

func (NoReference) Block(string) (Block, bool)         { return Block{}, false }
func (NoReference) Workflow(string) (Workflow, bool)   { return Workflow{}, false }
func (NoReference) UseCase(string) (UseCase, bool)     { return UseCase{}, false }
func (NoReference) SDGTarget(string) (SDGTarget, bool) { return SDGTarget{}, false }

package model

import (
	"context"
	"time"
)

// PortfolioInfo describes a stored portfolio without loading it.
type PortfolioInfo struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	NameFR     string    `json:"name_fr,omitempty"`
	Country    string    `json:"country,omitempty"`
	Currency   string    `json:"currency,omitempty"`
	Programmes int       `json:"programmes"`
	Blocks     int       `json:"blocks"`
	Version    int       `json:"version"` // bumped by every save
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Label is the portfolio's title in lang, as Portfolio.Label.
func (i PortfolioInfo) Label(lang string) string { return Localized(lang, i.Name, i.NameFR) }

// SaveOptions say how SavePortfolio treats an existing portfolio.
type SaveOptions struct {
	// Replace allows overwriting a portfolio with the same id; without it an
	// existing id is an ECONFLICT error.
	Replace bool
	// ExpectVersion, when > 0, makes the save fail with ECONFLICT unless the
	// stored portfolio is at that version (optimistic concurrency).
	ExpectVersion int
}

// PortfolioStore keeps portfolios. Implementations: store/sqlite. Every save
// is one transaction: all of the portfolio or nothing. Errors are *Error with
// ENOTFOUND or ECONFLICT where those apply.
type PortfolioStore interface {
	ListPortfolios(ctx context.Context) ([]PortfolioInfo, error)
	GetPortfolio(ctx context.Context, id string) (*Portfolio, PortfolioInfo, error)
	// SavePortfolio stores p (whose ID must be set) and returns its new info.
	SavePortfolio(ctx context.Context, p *Portfolio, opt SaveOptions) (PortfolioInfo, error)
	DeletePortfolio(ctx context.Context, id string) error
}

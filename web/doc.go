// Package web serves blockplan in a browser and over a JSON API: the
// portfolio list, a dashboard per portfolio, traceability pages from SDG
// targets down to building blocks, a scenario panel, editing for planners,
// uploads and downloads, and the built-in catalogue, in English and French.
// HTML pages live at /… and JSON at /api/v1/…, over the same services.
//
// Everything a page needs is embedded (templates, CSS, JavaScript, the
// ECharts bundle from reports/assets), so the tool works on a ministry
// network with no internet. Pages are server-rendered with html/template and
// work without JavaScript; the static scripts only draw charts and add small
// conveniences. No page carries inline script or style, so the
// Content-Security-Policy forbids both.
//
// Every figure comes from model.Compute (after model.Resolve against the
// catalogue); web formats figures with reports' formatters, it never
// computes one. Each stored portfolio version is resolved and computed once
// (service.go), and read pages are rendered once per version (pagecache.go).
//
// Everyone signs in: a session cookie from the login page, or an API token
// (Authorization: Bearer). Users, tokens and sessions are kept by the store
// and checked by web/auth (Accounts adapts it); roles are viewer (read,
// export, reports), planner (edit) and admin (users, tokens, the audit log).
// Every write is recorded in the audit log under the signed-in user's name
// (model.WithActor on each request's context).
//
// Every route is declared in one table with the role it needs; the
// middleware chain (recovery, request log, security headers, body limit,
// language, session cookie, current user, then per route role and CSRF
// checks) is built explicitly in buildEngine. Model error codes map to HTTP
// statuses in one table (errors.go), and fail is the one place that answers
// an error, as the API's JSON error object or an HTML page in the user's
// language.
//
// web imports model, catalog, importers, reports (and reports/assets),
// web/auth and gin. It must not import store/sqlite or any other storage
// package: it gets the store through the interfaces declared in model (see
// Store), and cmd/blockplan wires the two.
package web

// Package reports turns the cost model's figures into what each reader of a
// portfolio expects: a PDF for donors, an Excel workbook whose cells are live
// formulas for finance officers, a self-contained HTML page of charts for
// planners, and Archi's CSV exchange files for enterprise architects.
//
// Every figure printed comes from model.Compute (and, for uncertainty, from
// model.MonteCarlo and model.Tornado; for the investment roadmap, from
// model.Roadmap) through an Input; nothing here recomputes one. The texts of
// SDG targets come in through Input.Targets, filled by the caller from the
// catalogue. The workbook's formulas re-express the model so that a
// donor can change an input and see the totals move, and the tests check
// that, as delivered, they give the model's figures.
//
// Numbers are formatted per language in one place (FormatNumber,
// FormatMoney, FormatPercent) and every label comes from one EN/FR table
// (Label), so the web app can reuse both, the warnings as translated
// sentences (WarningText), and the go-echarts chart builders (SankeyChart,
// SavingsByBlockChart, YearlyChart, FrontierChart, TornadoChart, …) with
// ChartJSON.
//
// reports imports model and its libraries (fpdf, excelize, go-echarts,
// golang.org/x/image fonts, reports/assets) only: never catalog, store,
// importers or web. It writes to an io.Writer and never reaches the network.
package reports

package reports

import (
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// This file is the PDF's drawing kit: fonts, colours, running text, tables
// that wrap and break across pages, and vector charts (bars, grouped bars
// with a line, tornado), all drawn with fpdf primitives so that they stay
// sharp at any zoom and print well.

type rgb struct{ r, g, b int }

var (
	colInk      = rgb{33, 37, 41}
	colMuted    = rgb{108, 117, 125}
	colHeading  = rgb{23, 50, 77}
	colRule     = rgb{206, 212, 218}
	colHeadFill = rgb{228, 235, 242}
	colZebra    = rgb{247, 248, 250}
	colSiloed   = rgb{231, 111, 81}
	colShared   = rgb{42, 157, 143}
	colOwn      = rgb{160, 168, 176}
	colBenefit  = rgb{38, 70, 83}
	colNegative = rgb{192, 57, 43}
	colSavings  = rgb{42, 157, 143}
	colAccent   = rgb{233, 196, 106}
)

const (
	fontFamily = "go"
	sizeBody   = 9.5
	sizeSmall  = 8
	sizeTable  = 7.8
	lineBody   = 4.6
	lineTable  = 3.7
)

// pdfKit wraps an fpdf document with the page geometry of the report.
type pdfKit struct {
	f                        *fpdf.Fpdf
	pageW, pageH             float64
	left, right, top, bottom float64
	width                    float64 // between the margins
}

func newPDFKit() *pdfKit {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "I", goitalic.TTF)
	k := &pdfKit{f: f, left: 18, right: 18, top: 20, bottom: 18}
	k.pageW, k.pageH = f.GetPageSize()
	k.width = k.pageW - k.left - k.right
	f.SetMargins(k.left, k.top, k.right)
	f.SetAutoPageBreak(true, k.bottom)
	f.SetCellMargin(1.2)
	return k
}

func (k *pdfKit) text(c rgb) { k.f.SetTextColor(c.r, c.g, c.b) }
func (k *pdfKit) fill(c rgb) { k.f.SetFillColor(c.r, c.g, c.b) }
func (k *pdfKit) draw(c rgb) { k.f.SetDrawColor(c.r, c.g, c.b) }
func (k *pdfKit) font(style string, size float64) {
	k.f.SetFont(fontFamily, style, size)
}

// room is the height left on the page.
func (k *pdfKit) room() float64 { return k.pageH - k.bottom - k.f.GetY() }

// need starts a new page unless h millimetres are left.
func (k *pdfKit) need(h float64) {
	if k.room() < h {
		k.f.AddPage()
	}
}

// heading writes a section title (level 0) or a sub-title (level 1), with a
// bookmark, keeping at least keep millimetres after it on the same page.
func (k *pdfKit) heading(title string, level int, keep float64) {
	size, gap := 15.0, 9.0
	if level > 0 {
		size, gap = 11.5, 7.0
	}
	k.need(gap + keep)
	if k.f.GetY() > k.top+1 {
		k.f.Ln(float64(level) + 3)
	}
	k.f.Bookmark(title, level, -1)
	k.font("B", size)
	k.text(colHeading)
	k.f.MultiCell(k.width, size*0.45, title, "", "L", false)
	if level == 0 {
		k.draw(colAccent)
		k.f.SetLineWidth(0.6)
		y := k.f.GetY() + 0.8
		k.f.Line(k.left, y, k.left+28, y)
		k.f.SetLineWidth(0.2)
		k.f.Ln(3.5)
	} else {
		k.f.Ln(1.2)
	}
	k.text(colInk)
}

// para writes running text.
func (k *pdfKit) para(s string) {
	k.font("", sizeBody)
	k.text(colInk)
	k.f.MultiCell(k.width, lineBody, s, "", "L", false)
	k.f.Ln(1.5)
}

// note writes small muted text.
func (k *pdfKit) note(s string) {
	k.font("I", sizeSmall)
	k.text(colMuted)
	k.f.MultiCell(k.width, 3.6, s, "", "L", false)
	k.text(colInk)
	k.f.Ln(1.2)
}

// bullet writes one item of a list.
func (k *pdfKit) bullet(s string) {
	k.font("", sizeBody)
	k.text(colInk)
	x := k.f.GetX()
	k.f.CellFormat(5, lineBody, "•", "", 0, "L", false, 0, "")
	k.f.MultiCell(k.width-5, lineBody, s, "", "L", false)
	k.f.SetX(x)
	k.f.Ln(0.8)
}

// column of a table: width in mm (the last column with width 0 takes what is
// left), and alignment "L" (text, wrapped) or "R" (numbers).
type column struct {
	head  string
	w     float64
	align string
}

// tableRow is one row; bold rows are totals. indent shifts the first cell.
type tableRow struct {
	cells []string
	bold  bool
}

// table draws rows under a header that is repeated on every page the table
// runs onto. Text cells wrap; a right-aligned cell starting with "-" is a
// negative amount and is printed in red.
func (k *pdfKit) table(cols []column, rows []tableRow) {
	f := k.f
	cols = append([]column(nil), cols...)
	used := 0.0
	for _, c := range cols {
		used += c.w
	}
	for i := range cols {
		if cols[i].w == 0 {
			cols[i].w = k.width - used
		}
	}
	header := func() {
		k.font("B", sizeTable-0.4)
		k.fill(colHeadFill)
		k.text(colHeading)
		// Header cells wrap too: measure the tallest.
		lines := 1
		split := make([][]string, len(cols))
		for i, c := range cols {
			split[i] = f.SplitText(c.head, c.w)
			lines = max(lines, len(split[i]))
		}
		h := float64(lines)*lineTable + 1.6
		x0, y0 := f.GetX(), f.GetY()
		f.Rect(x0, y0, k.width, h, "F")
		x := x0
		for i, c := range cols {
			for j, line := range split[i] {
				f.SetXY(x, y0+0.8+float64(j)*lineTable)
				f.CellFormat(c.w, lineTable, line, "", 0, c.align, false, 0, "")
			}
			x += c.w
		}
		f.SetXY(x0, y0+h)
		k.text(colInk)
	}
	k.need(14)
	header()
	for n, r := range rows {
		style := ""
		if r.bold {
			style = "B"
		}
		k.font(style, sizeTable)
		split := make([][]string, len(cols))
		lines := 1
		for i, c := range cols {
			s := ""
			if i < len(r.cells) {
				s = r.cells[i]
			}
			switch {
			case c.align == "L":
				split[i] = f.SplitText(s, c.w)
				if len(split[i]) == 0 {
					split[i] = []string{""}
				}
			case strings.Contains(s, "\n"):
				split[i] = strings.Split(s, "\n")
			case f.GetStringWidth(s) > c.w-2*f.GetCellMargin() && strings.Contains(s, " / "):
				// A range "low / likely / high" too wide for its column.
				split[i] = strings.SplitAfter(s, " / ")
			default:
				split[i] = []string{s}
			}
			lines = max(lines, len(split[i]))
		}
		h := float64(lines)*lineTable + 1.2
		if k.room() < h {
			f.AddPage()
			header()
			k.font(style, sizeTable)
		}
		x0, y0 := f.GetX(), f.GetY()
		if r.bold {
			k.draw(colHeading)
			f.SetLineWidth(0.3)
			f.Line(x0, y0, x0+k.width, y0)
			f.SetLineWidth(0.2)
		} else if n%2 == 1 {
			k.fill(colZebra)
			f.Rect(x0, y0, k.width, h, "F")
		}
		x := x0
		for i, c := range cols {
			neg := c.align == "R" && strings.HasPrefix(split[i][0], "-")
			if neg {
				k.text(colNegative)
			}
			for j, line := range split[i] {
				f.SetXY(x, y0+0.6+float64(j)*lineTable)
				f.CellFormat(c.w, lineTable, line, "", 0, c.align, false, 0, "")
			}
			if neg {
				k.text(colInk)
			}
			x += c.w
		}
		f.SetXY(x0, y0+h)
	}
	k.draw(colRule)
	f.Line(k.left, f.GetY(), k.left+k.width, f.GetY())
	f.Ln(3)
}

// keyValue draws a two-column list of label and value.
func (k *pdfKit) keyValue(pairs [][2]string, labelW float64) {
	f := k.f
	for _, p := range pairs {
		k.font("", sizeBody)
		k.text(colMuted)
		lines := f.SplitText(p[0], labelW)
		k.font("B", sizeBody)
		vl := f.SplitText(p[1], k.width-labelW)
		h := float64(max(len(lines), len(vl), 1)) * lineBody
		k.need(h + 1)
		x0, y0 := f.GetX(), f.GetY()
		k.font("", sizeBody)
		k.text(colMuted)
		for j, l := range lines {
			f.SetXY(x0, y0+float64(j)*lineBody)
			f.CellFormat(labelW, lineBody, l, "", 0, "L", false, 0, "")
		}
		k.font("B", sizeBody)
		k.text(colInk)
		for j, l := range vl {
			f.SetXY(x0+labelW, y0+float64(j)*lineBody)
			f.CellFormat(k.width-labelW, lineBody, l, "", 0, "L", false, 0, "")
		}
		f.SetXY(x0, y0+h+0.8)
	}
	k.font("", sizeBody)
}

// fit shortens s with an ellipsis until it is at most w millimetres wide in
// the current font.
func (k *pdfKit) fit(s string, w float64) string {
	if k.f.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && k.f.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// clampLines shortens s, in the current font, to at most n lines of a
// column w millimetres wide (as tables and MultiCell wrap it), cut at a word
// and ended with an ellipsis.
func (k *pdfKit) clampLines(s string, w float64, n int) string {
	lines := k.f.SplitText(s, w)
	if len(lines) <= n {
		return s
	}
	r := []rune(strings.TrimSpace(strings.Join(lines[:n], " ")))
	for len(r) > 0 && len(k.f.SplitText(string(r)+"…", w)) > n {
		r = r[:len(r)-1]
	}
	out := strings.TrimSpace(string(r))
	if i := strings.LastIndexByte(out, ' '); i > 0 && len(out)-i < 24 {
		out = out[:i]
	}
	return strings.TrimRight(out, " ,;:") + "…"
}

// Charts.

// niceTicks is a round step and the ticks covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(max(n, 1))
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step) * step
	var ticks []float64
	for t := start; t <= hi+step*1e-9; t += step {
		ticks = append(ticks, t)
		if len(ticks) > 50 {
			break
		}
	}
	if ticks[len(ticks)-1] < hi {
		ticks = append(ticks, ticks[len(ticks)-1]+step)
	}
	return ticks
}

// FormatCompact writes a chart axis value briefly: "1.5bn", "250m", "20k" in
// English; "1,5 Md", "250 M", "20 k" in French.
func FormatCompact(v float64, lang string) string {
	a := math.Abs(v)
	type unit struct {
		div    float64
		en, fr string
	}
	for _, u := range []unit{{1e12, "tn", NBSP + "Bn"}, {1e9, "bn", NBSP + "Md"}, {1e6, "m", NBSP + "M"}, {1e3, "k", NBSP + "k"}} {
		if a >= u.div {
			x := v / u.div
			d := 0
			if math.Abs(x) < 10 && x != math.Trunc(x) {
				d = 1
			}
			s := FormatNumber(x, d, lang)
			if lang == LangFR {
				return s + u.fr
			}
			return s + u.en
		}
	}
	d := 0
	if a < 10 && v != math.Trunc(v) {
		d = 1
	}
	return FormatNumber(v, d, lang)
}

// barItem is one bar of a horizontal bar chart.
type barItem struct {
	label string
	value float64
	color rgb
}

// hbarHeight is the height hbarChart takes for n bars of height barH.
func hbarHeight(n int, barH float64) float64 { return float64(n)*barH*1.45 + 11 }

// tornadoHeight is the height tornadoChart takes for n rows, legend included.
func tornadoHeight(n int) float64 { return float64(n)*6 + 16 }

// valueGrid draws the value axis of the horizontal bar and tornado charts:
// a thin light line from top to bottom at each tick, its value centred
// under it. One place, so that both charts' scales look alike.
func (k *pdfKit) valueGrid(ticks []float64, xOf func(float64) float64, top, bottom float64, lang string) {
	f := k.f
	k.font("", 6.5)
	k.text(colMuted)
	k.draw(colRule)
	f.SetLineWidth(0.1)
	for _, t := range ticks {
		x := xOf(t)
		f.Line(x, top, x, bottom)
		f.SetXY(x-12, bottom+0.5)
		f.CellFormat(24, 3, FormatCompact(t, lang), "", 0, "C", false, 0, "")
	}
}

// hbarChart draws horizontal bars with their labels on the left and values
// at the bar ends; negative values go left of the zero line.
func (k *pdfKit) hbarChart(items []barItem, barH float64, format func(float64) string, lang string) {
	if len(items) == 0 {
		return
	}
	f := k.f
	labelW := 52.0
	valueW := 24.0
	plotW := k.width - labelW - valueW
	lo, hi := 0.0, 0.0
	for _, it := range items {
		lo, hi = min(lo, it.value), max(hi, it.value)
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = min(lo, ticks[0]), max(hi, ticks[len(ticks)-1])
	xOf := func(v float64) float64 { return k.left + labelW + (v-lo)/(hi-lo)*plotW }
	gap := barH * 0.45
	h := float64(len(items))*(barH+gap) + 8
	k.need(h + 2)
	y0 := f.GetY() + 1
	k.valueGrid(ticks, xOf, y0, y0+h-7, lang)
	// Zero line.
	k.draw(colInk)
	f.SetLineWidth(0.3)
	f.Line(xOf(0), y0, xOf(0), y0+h-7)
	f.SetLineWidth(0.2)
	y := y0 + gap/2
	for _, it := range items {
		k.fill(it.color)
		x1, x2 := xOf(0), xOf(it.value)
		if x2 < x1 {
			x1, x2 = x2, x1
		}
		f.Rect(x1, y, math.Max(x2-x1, 0.2), barH, "F")
		k.font("", 7)
		k.text(colInk)
		f.SetXY(k.left, y+barH/2-1.7)
		f.CellFormat(labelW-2, 3.4, k.fit(it.label, labelW-3), "", 0, "R", false, 0, "")
		k.font("", 6.5)
		if it.value < 0 {
			k.text(colNegative)
		}
		s := format(it.value)
		if it.value < 0 {
			f.SetXY(x1-f.GetStringWidth(s)-3, y+barH/2-1.7)
		} else {
			f.SetXY(x2+0.8, y+barH/2-1.7)
		}
		f.CellFormat(f.GetStringWidth(s)+2.4, 3.4, s, "", 0, "L", false, 0, "")
		k.text(colInk)
		y += barH + gap
	}
	f.SetXY(k.left, y0+h+1)
}

// series is one series of a grouped bar chart.
type series struct {
	name   string
	values []float64
	color  rgb
	line   bool // drawn as a line with markers over the bars
}

// groupedBars draws one group of vertical bars per category (plan years),
// with line series on top, a y axis of compact values and a legend.
func (k *pdfKit) groupedBars(cats []string, ss []series, height float64, lang string) {
	f := k.f
	axisW := 16.0
	plotW := k.width - axisW
	lo, hi := 0.0, 0.0
	for _, s := range ss {
		for _, v := range s.values {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	k.need(height + 14)
	y0 := f.GetY() + 2
	yOf := func(v float64) float64 { return y0 + height - (v-lo)/(hi-lo)*height }
	x0 := k.left + axisW
	k.font("", 6.5)
	k.draw(colRule)
	f.SetLineWidth(0.1)
	for _, t := range ticks {
		y := yOf(t)
		f.Line(x0, y, x0+plotW, y)
		k.text(colMuted)
		f.SetXY(k.left, y-1.5)
		f.CellFormat(axisW-1.5, 3, FormatCompact(t, lang), "", 0, "R", false, 0, "")
	}
	k.draw(colInk)
	f.SetLineWidth(0.3)
	f.Line(x0, yOf(0), x0+plotW, yOf(0))
	f.SetLineWidth(0.2)
	groupW := plotW / float64(max(len(cats), 1))
	var bars []series
	for _, s := range ss {
		if !s.line {
			bars = append(bars, s)
		}
	}
	barW := groupW * 0.7 / float64(max(len(bars), 1))
	for i, c := range cats {
		gx := x0 + float64(i)*groupW
		bx := gx + groupW*0.15
		for _, s := range bars {
			v := s.values[i]
			k.fill(s.color)
			ya, yb := yOf(0), yOf(v)
			if yb > ya {
				ya, yb = yb, ya
			}
			f.Rect(bx, yb, barW, math.Max(ya-yb, 0.15), "F")
			bx += barW
		}
		k.text(colInk)
		k.font("", 7)
		f.SetXY(gx, y0+height+1)
		f.CellFormat(groupW, 3.5, c, "", 0, "C", false, 0, "")
	}
	for _, s := range ss {
		if !s.line {
			continue
		}
		k.draw(s.color)
		k.fill(s.color)
		f.SetLineWidth(0.6)
		for i := range cats {
			x := x0 + (float64(i)+0.5)*groupW
			y := yOf(s.values[i])
			if i > 0 {
				f.Line(x-groupW, yOf(s.values[i-1]), x, y)
			}
			f.Circle(x, y, 0.9, "F")
		}
		f.SetLineWidth(0.2)
	}
	f.SetXY(k.left, y0+height+6)
	k.legend(ss)
}

// legend draws coloured keys in a row.
func (k *pdfKit) legend(ss []series) {
	f := k.f
	k.font("", 7)
	k.text(colInk)
	x, y := k.left+16, f.GetY()
	for _, s := range ss {
		k.fill(s.color)
		if s.line {
			k.draw(s.color)
			f.SetLineWidth(0.6)
			f.Line(x, y+1.7, x+5, y+1.7)
			f.SetLineWidth(0.2)
		} else {
			f.Rect(x, y+0.4, 4, 2.6, "F")
		}
		f.SetXY(x+6, y)
		w := f.GetStringWidth(s.name) + 3
		f.CellFormat(w, 3.4, s.name, "", 0, "L", false, 0, "")
		x += 6 + w + 4
	}
	f.SetXY(k.left, y+6)
}

// tornadoRow is one bar of a tornado chart: the savings with one range at its
// low and at its high value.
type tornadoBar struct {
	label     string
	low, high float64
}

// tornadoChart draws bars from each row's low to its high value around the
// base (savings at likely values), the part below the base in one colour and
// above it in another.
func (k *pdfKit) tornadoChart(rows []tornadoBar, base float64, lowName, highName string, lang string) {
	if len(rows) == 0 {
		return
	}
	f := k.f
	labelW, plotW := 62.0, k.width-62.0-4
	lo, hi := base, base
	for _, r := range rows {
		lo = min(lo, r.low, r.high)
		hi = max(hi, r.low, r.high)
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	xOf := func(v float64) float64 { return k.left + labelW + (v-lo)/(hi-lo)*plotW }
	barH, gap := 4.2, 1.8
	h := float64(len(rows))*(barH+gap) + 8
	k.need(h + 10)
	y0 := f.GetY() + 1
	k.valueGrid(ticks, xOf, y0, y0+h-7, lang)
	y := y0 + gap/2
	for _, r := range rows {
		// Low side (the savings when the amount is at its low value).
		for _, part := range []struct {
			v float64
			c rgb
		}{{r.low, colSiloed}, {r.high, colShared}} {
			x1, x2 := xOf(base), xOf(part.v)
			if x2 < x1 {
				x1, x2 = x2, x1
			}
			k.fill(part.c)
			f.Rect(x1, y, math.Max(x2-x1, 0.2), barH, "F")
		}
		k.font("", 7)
		k.text(colInk)
		f.SetXY(k.left, y+barH/2-1.7)
		f.CellFormat(labelW-2, 3.4, k.fit(r.label, labelW-3), "", 0, "R", false, 0, "")
		y += barH + gap
	}
	k.draw(colInk)
	f.SetLineWidth(0.35)
	f.Line(xOf(base), y0, xOf(base), y0+h-7)
	f.SetLineWidth(0.2)
	f.SetXY(k.left, y0+h+1)
	k.legend([]series{{name: lowName, color: colSiloed}, {name: highName, color: colShared}})
}

// stepPoint is one corner of a step chart.
type stepPoint struct{ x, y float64 }

// stepChart is what stepChart draws: a rising step line through points
// (sorted by x), each holding its y until the next point's x.
type stepChart struct {
	points []stepPoint
	// full is the y of 100 % on the right-hand scale (0: no such scale).
	full                       float64
	xTitle, yTitle, rightTitle string
	// budget, when set, is drawn as a dashed vertical line labelled
	// budgetLabel; marker is a point to ring (the chosen set).
	budget      *float64
	budgetLabel string
	marker      *stepPoint
}

// colFrontierFill is the area under a step chart.
var colFrontierFill = rgb{221, 240, 237}

// stepChart draws a step line with a compact value axis on the left, a
// percentage scale of c.full on the right and value ticks along the bottom.
func (k *pdfKit) stepChart(c stepChart, lang string) {
	if len(c.points) == 0 {
		return
	}
	f := k.f
	const height = 70.0
	axisW, rightW := 17.0, 13.0
	plotW := k.width - axisW - rightW
	last := c.points[len(c.points)-1]
	xmax := last.x * 1.04
	if c.budget != nil {
		xmax = max(xmax, *c.budget*1.04)
	}
	ymax := max(c.full, last.y)
	for _, p := range c.points {
		ymax = max(ymax, p.y)
	}
	xt := niceTicks(0, max(xmax, 1e-9), 6)
	yt := niceTicks(0, max(ymax, 1e-9), 5)
	xmax, ymax = xt[len(xt)-1], yt[len(yt)-1]
	k.need(height + 24)
	top := f.GetY() + 6
	x0 := k.left + axisW
	xOf := func(v float64) float64 { return x0 + max(v, 0)/xmax*plotW }
	yOf := func(v float64) float64 { return top + height - max(v, 0)/ymax*height }

	// Axis titles above the plot.
	k.font("", 6.5)
	k.text(colMuted)
	f.SetXY(k.left, top-5.5)
	f.CellFormat(plotW, 3, c.yTitle, "", 0, "L", false, 0, "")
	if c.full > 0 {
		w := f.GetStringWidth(c.rightTitle) + 3
		f.SetXY(k.left+k.width-w, top-5.5)
		f.CellFormat(w, 3, c.rightTitle, "", 0, "R", false, 0, "")
	}
	// Grid and the left scale.
	k.draw(colRule)
	f.SetLineWidth(0.1)
	for _, t := range yt {
		y := yOf(t)
		f.Line(x0, y, x0+plotW, y)
		f.SetXY(k.left, y-1.5)
		f.CellFormat(axisW-1.5, 3, FormatCompact(t, lang), "", 0, "R", false, 0, "")
	}
	for _, t := range xt {
		x := xOf(t)
		f.Line(x, top, x, top+height)
		f.SetXY(x-12, top+height+1)
		f.CellFormat(24, 3, FormatCompact(t, lang), "", 0, "C", false, 0, "")
	}
	// The right scale: shares of the possible savings.
	if c.full > 0 {
		k.draw(colMuted)
		for _, s := range []float64{0, 0.25, 0.5, 0.75, 1} {
			y := yOf(s * c.full)
			f.Line(x0+plotW, y, x0+plotW+1.2, y)
			f.SetXY(x0+plotW+1.5, y-1.5)
			f.CellFormat(rightW-1.5, 3, FormatPercent(s, 0, lang), "", 0, "L", false, 0, "")
		}
		f.Line(x0+plotW, yOf(0), x0+plotW, yOf(c.full))
	}
	k.draw(colInk)
	f.SetLineWidth(0.3)
	f.Line(x0, yOf(0), x0+plotW, yOf(0))
	f.Line(x0, top, x0, top+height)

	// The steps, merging points closer than a tenth of a millimetre (a
	// thinned frontier of 65,000 points draws as it looks).
	var corners []fpdf.PointType
	px, py := xOf(c.points[0].x), yOf(c.points[0].y)
	corners = append(corners, fpdf.PointType{X: px, Y: py})
	for _, p := range c.points[1:] {
		x, y := xOf(p.x), yOf(p.y)
		if x-px < 0.1 {
			corners[len(corners)-1].Y = y
			py = y
			continue
		}
		corners = append(corners, fpdf.PointType{X: x, Y: py}, fpdf.PointType{X: x, Y: y})
		px, py = x, y
	}
	corners = append(corners, fpdf.PointType{X: x0 + plotW, Y: py})
	area := append([]fpdf.PointType{{X: corners[0].X, Y: yOf(0)}}, corners...)
	area = append(area, fpdf.PointType{X: x0 + plotW, Y: yOf(0)})
	k.fill(colFrontierFill)
	f.Polygon(area, "F")
	k.draw(colShared)
	f.SetLineWidth(0.55)
	for i := 1; i < len(corners); i++ {
		f.Line(corners[i-1].X, corners[i-1].Y, corners[i].X, corners[i].Y)
	}
	if len(c.points) <= 120 {
		k.fill(colShared)
		for _, p := range c.points {
			f.Circle(xOf(p.x), yOf(p.y), 0.6, "F")
		}
	}
	// The budget and the set chosen within it.
	if c.budget != nil {
		x := xOf(*c.budget)
		k.draw(colSiloed)
		f.SetLineWidth(0.35)
		f.SetDashPattern([]float64{1.2, 0.9}, 0)
		f.Line(x, top, x, top+height)
		f.SetDashPattern([]float64{}, 0)
		k.font("B", 6.5)
		k.text(colSiloed)
		w := f.GetStringWidth(c.budgetLabel) + 2.4
		lx := x + 0.6
		if lx+w > x0+plotW {
			lx = x - 0.6 - w
		}
		f.SetXY(lx, top+0.5)
		f.CellFormat(w, 3, c.budgetLabel, "", 0, "L", false, 0, "")
	}
	if c.marker != nil {
		k.draw(colSiloed)
		k.fill(colSiloed)
		f.SetLineWidth(0.4)
		f.Circle(xOf(c.marker.x), yOf(c.marker.y), 1.1, "F")
		f.Circle(xOf(c.marker.x), yOf(c.marker.y), 2.0, "D")
	}
	f.SetLineWidth(0.2)
	// The x axis title under the ticks.
	k.font("", 6.5)
	k.text(colMuted)
	f.SetXY(x0, top+height+4.5)
	f.CellFormat(plotW, 3, c.xTitle, "", 0, "C", false, 0, "")
	k.text(colInk)
	f.SetXY(k.left, top+height+10)
}

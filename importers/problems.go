package importers

import (
	"fmt"
	"io"
	"strings"
	"time"

	"blockplan/model"
)

// DefaultMaxProblems is how many problems an import reports when
// Options.MaxProblems is 0.
const DefaultMaxProblems = 200

// sink collects problems. It keeps a bounded number (a file with a million
// bad cells must not make a million problems) and counts the rest.
type sink struct {
	max      int // problems reported
	keep     int // problems held before sorting and cutting
	ps       model.Problems
	dropped  int
	dropErrs int
}

func newSink(max int) *sink {
	if max <= 0 {
		max = DefaultMaxProblems
	}
	return &sink{max: max, keep: max * 10}
}

func (s *sink) add(p model.Problem) {
	if len(s.ps) >= s.keep {
		s.dropped++
		if p.Severity == model.SeverityError {
			s.dropErrs++
		}
		return
	}
	s.ps = append(s.ps, p)
}

// problems is every problem, errors first and in file order, cut at max
// with one closing problem that counts what was left out.
func (s *sink) problems() model.Problems {
	ps := s.ps
	ps.Sort()
	more, moreErrs := s.dropped, s.dropErrs
	if len(ps) > s.max {
		for _, p := range ps[s.max:] {
			more++
			if p.Severity == model.SeverityError {
				moreErrs++
			}
		}
		ps = ps[:s.max:s.max]
	}
	if more > 0 {
		sev := model.SeverityWarning
		if moreErrs > 0 {
			sev = model.SeverityError
		}
		ps = append(ps, model.Problem{Severity: sev, Code: "too-many-problems",
			Message: fmt.Sprintf("… and %d more problems (%d errors, %d warnings) not shown: fix the ones above and import again", more, moreErrs, more-moreErrs)})
	}
	return ps
}

// progress draws a one-line progress bar on a terminal: the sheets read and
// the rows of the current one. A nil *progress does nothing.
type progress struct {
	w      io.Writer
	name   string
	total  int // sheets to read
	done   int
	rows   int
	last   time.Time
	drawn  bool
	ticker int
}

func newProgress(w io.Writer, name string, total int) *progress {
	if w == nil {
		return nil
	}
	return &progress{w: w, name: name, total: max(total, 1)}
}

func (p *progress) row() {
	if p == nil {
		return
	}
	p.rows++
	p.ticker++
	if p.ticker < 500 || (!p.drawn && p.rows < 5000) { // small files stay quiet
		return
	}
	p.ticker = 0
	if time.Since(p.last) > 100*time.Millisecond {
		p.draw()
	}
}

func (p *progress) sheetDone() {
	if p == nil {
		return
	}
	p.done++
	if p.drawn || p.rows > 5000 {
		p.draw()
	}
}

func (p *progress) draw() {
	const width = 24
	n := min(p.done*width/p.total, width)
	fmt.Fprintf(p.w, "\rimporting %s [%s%s] %d/%d sheets, %d rows ", clip(p.name, 30), strings.Repeat("#", n), strings.Repeat("-", width-n), min(p.done, p.total), p.total, p.rows)
	p.last = time.Now()
	p.drawn = true
}

// finish ends the line, if a bar was drawn.
func (p *progress) finish() {
	if p == nil || !p.drawn {
		return
	}
	p.draw()
	fmt.Fprintln(p.w)
}

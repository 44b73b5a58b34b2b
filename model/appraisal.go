package model

import "math"

// This file is the investment appraisal of cost-model.md §5: for each
// scenario, the programmes' own costs and benefits are added to the block
// costs and the usual appraisal figures are taken.

// Appraisals are the appraisal of the two scenarios.
type Appraisals struct {
	Shared Appraisal `json:"shared"`
	Siloed Appraisal `json:"siloed"`
}

// Appraisal is one scenario's investment appraisal. The pointers are nil
// (JSON null) where the figure does not exist: no cost, no sign change of the
// net flows, no payback within the plan, no beneficiaries.
type Appraisal struct {
	PVCost             float64  `json:"pv_cost"`
	NPV                float64  `json:"npv"`
	BCR                *float64 `json:"bcr"`
	ROI                *float64 `json:"roi"`
	IRR                *float64 `json:"irr"`
	PaybackYear        *int     `json:"payback_year"`
	CostPerBeneficiary *float64 `json:"cost_per_beneficiary"`
}

// appraise computes both scenarios from the yearly totals of res.
func (pl *plan) appraise(res *Result) Appraisals {
	beneficiaries := 0.0
	for i := range pl.progs {
		if pp := &pl.progs[i]; pp.active() && pp.p.Beneficiaries != nil {
			beneficiaries += *pp.p.Beneficiaries
		}
	}
	scenario := func(blockCost func(YearFigures) float64) Appraisal {
		cost := make([]float64, len(res.Years))
		net := make([]float64, len(res.Years))
		for t, y := range res.Years {
			cost[t] = blockCost(y) + y.Own
			net[t] = y.Benefits - cost[t]
		}
		a := Appraisal{PVCost: pl.pv(cost)}
		a.NPV = res.Totals.PVBenefits - a.PVCost
		a.BCR = quotient(res.Totals.PVBenefits, a.PVCost)
		a.ROI = quotient(a.NPV, a.PVCost)
		if irr, ok := IRR(net); ok {
			a.IRR = &irr
		}
		if t, ok := Payback(net); ok {
			a.PaybackYear = new(pl.opt.StartYear + t)
		}
		a.CostPerBeneficiary = quotient(a.PVCost, beneficiaries)
		return a
	}
	return Appraisals{
		Shared: scenario(func(y YearFigures) float64 { return y.Shared }),
		Siloed: scenario(func(y YearFigures) float64 { return y.Siloed }),
	}
}

// IRR bracket and tolerance of §5.
const (
	irrLow  = -0.99
	irrHigh = 10.0
)

// NPVAt is Σ_t net[t]·(1+rate)^−t: the net present value of yearly flows
// whose first year is t = 0.
func NPVAt(net []float64, rate float64) float64 {
	s := 0.0
	for t, v := range net {
		s += v * math.Pow(1+rate, -float64(t))
	}
	return s
}

// IRR is the internal rate of return of yearly net flows (t = 0, 1, …): the
// rate ρ in [−0.99, 10] with NPVAt(net, ρ) = 0, found by bisection. The spec
// asks for 1e-9; the bisection goes on until the bracket cannot shrink (a few
// more halvings than the 34 that 1e-9 needs), so the result is the root to the last bit rather than a
// point somewhere in a 1e-9 bracket, and no caller depends on how the loop
// stops. ok is false when the NPV has the same sign (or is 0) at both ends:
// no root, or an even number of them, in the bracket.
func IRR(net []float64) (rate float64, ok bool) {
	lo, hi := irrLow, irrHigh
	fLo, fHi := NPVAt(net, lo), NPVAt(net, hi)
	switch {
	case math.IsNaN(fLo) || math.IsNaN(fHi):
		return 0, false
	case fLo == 0 && fHi == 0:
		return 0, false
	case fLo == 0:
		return lo, true
	case fHi == 0:
		return hi, true
	case (fLo > 0) == (fHi > 0):
		return 0, false
	}
	for {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break // lo and hi are adjacent floats, far below irrTol apart
		}
		f := NPVAt(net, mid)
		if f == 0 {
			return mid, true
		}
		if (f > 0) == (fLo > 0) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2, true
}

// Payback is the index of the first year whose cumulative undiscounted net
// flow is ≥ 0; ok is false when there is none.
func Payback(net []float64) (t int, ok bool) {
	cum := 0.0
	for t, v := range net {
		cum += v
		if cum >= 0 {
			return t, true
		}
	}
	return 0, false
}

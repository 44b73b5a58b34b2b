package model

import (
	"math"
	"testing"
)

func TestIRR(t *testing.T) {
	tests := []struct {
		name   string
		net    []float64
		want   float64
		wantOK bool
	}{
		{"one year at 10 %", []float64{-100, 110}, 0.10, true},
		{"two years, 20 %", []float64{-100, 0, 144}, 0.20, true},
		// The worked example's net flows (cost-model.md §10).
		{"worked example, shared", []float64{-434, 463, 528}, 0.758610626878008, true},
		{"worked example, siloed", []float64{-515, 345, 495}, 0.37098115020394945, true},
		{"negative rate", []float64{-100, 50}, -0.5, true},
		{"losses recovered in part: a negative rate", []float64{-100, 10, 10}, 2/(math.Sqrt(41)-1) - 1, true},
		{"only costs", []float64{-100, -10}, 0, false},
		{"all gains", []float64{10, 10}, 0, false},
		{"nothing", []float64{0, 0, 0}, 0, false},
		{"no flows", nil, 0, false},
		{"root beyond the bracket", []float64{-1, 20}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := IRR(tt.net)
			if ok != tt.wantOK {
				t.Fatalf("IRR(%v) ok = %v, want %v (rate %v)", tt.net, ok, tt.wantOK, got)
			}
			if ok && !closeTo(got, tt.want, 1e-9, 1e-9) {
				t.Errorf("IRR(%v) = %.17g, want %.17g", tt.net, got, tt.want)
			}
			if ok && math.Abs(NPVAt(tt.net, got)) > 1e-9*math.Abs(tt.net[0]) {
				t.Errorf("NPV at the IRR = %v, want 0", NPVAt(tt.net, got))
			}
		})
	}
}

func TestPayback(t *testing.T) {
	tests := []struct {
		name   string
		net    []float64
		want   int
		wantOK bool
	}{
		{"second year", []float64{-434, 463, 528}, 1, true},
		{"third year", []float64{-515, 345, 495}, 2, true},
		{"exactly zero counts", []float64{-10, 10}, 1, true},
		{"first year", []float64{5, -1}, 0, true},
		{"never", []float64{-10, 5, 4}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Payback(tt.net)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Payback(%v) = %d, %v; want %d, %v", tt.net, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// The nulls of the appraisal: no cost, no benefit, no beneficiaries.
func TestAppraisalNulls(t *testing.T) {
	y0, h := 2026, 3
	p := &Portfolio{Format: Format, Settings: Settings{StartYear: &y0, HorizonYears: &h},
		Programmes: []Programme{{ID: "P1"}}}
	res := Compute(p, optionsOf(p))
	a := res.Appraisal.Shared
	if a.BCR != nil || a.ROI != nil || a.IRR != nil || a.CostPerBeneficiary != nil || res.Totals.SavingsRatio != nil {
		t.Errorf("want nulls with nothing to appraise, got %+v, savings ratio %v", a, deref(res.Totals.SavingsRatio))
	}
	if a.PaybackYear == nil || *a.PaybackYear != 2026 {
		t.Errorf("payback = %v, want 2026 (a cumulative net of 0 is ≥ 0)", deref(a.PaybackYear))
	}
}

package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// Amount is a money amount (or an annual benefit) that may be uncertain: a
// point value, or a triangular range Low ≤ Likely ≤ High. Point figures use
// Likely. Set is false for an amount that was left out (which counts as 0
// and is not written back); Range remembers that the amount was written as a
// range so that it is written back the same way.
type Amount struct {
	Low, Likely, High float64
	Range             bool
	Set               bool
}

// Point is a certain amount.
func Point(v float64) Amount { return Amount{Low: v, Likely: v, High: v, Set: true} }

// Triangle is a range amount.
func Triangle(low, likely, high float64) Amount {
	return Amount{Low: low, Likely: likely, High: high, Range: true, Set: true}
}

// IsZero reports whether the amount was left out (json omitzero uses it).
func (a Amount) IsZero() bool { return !a.Set }

// Uncertain reports whether the amount has a spread to sample.
func (a Amount) Uncertain() bool { return a.Set && a.Range && a.Low != a.High }

// Mean is the mean of the triangular distribution (L+M+H)/3.
func (a Amount) Mean() float64 {
	if !a.Uncertain() {
		return a.Likely
	}
	return (a.Low + a.Likely + a.High) / 3
}

// Scale multiplies every value by k.
func (a Amount) Scale(k float64) Amount {
	a.Low *= k
	a.Likely *= k
	a.High *= k
	return a
}

type amountJSON struct {
	Low    *float64 `json:"low"`
	Likely *float64 `json:"likely"`
	High   *float64 `json:"high"`
}

// MarshalJSON writes a number, or {"low","likely","high"} for a range.
func (a Amount) MarshalJSON() ([]byte, error) {
	for _, v := range []float64{a.Low, a.Likely, a.High} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("amount %v is not a finite number", v)
		}
	}
	if !a.Range {
		return json.Marshal(a.Likely)
	}
	return json.Marshal(amountJSON{Low: &a.Low, Likely: &a.Likely, High: &a.High})
}

// UnmarshalJSON reads a number or a complete {"low","likely","high"} object;
// anything else (a string, a missing or unknown key) is an error.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var r amountJSON
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return fmt.Errorf("a range must be {\"low\", \"likely\", \"high\"}: %v", err)
		}
		if r.Low == nil || r.Likely == nil || r.High == nil {
			return fmt.Errorf("a range needs all of low, likely and high")
		}
		*a = Triangle(*r.Low, *r.Likely, *r.High)
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("an amount must be a number or a {\"low\", \"likely\", \"high\"} range")
	}
	*a = Point(v)
	return nil
}

package model

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// syntheticTargets are real SDG target codes, so that a synthetic portfolio
// passes validation against the built-in catalogue.
var syntheticTargets = []string{"1.3", "1.4", "2.1", "3.1", "3.2", "3.3", "3.8", "4.1", "5.5", "8.10", "9.c",
	"10.2", "16.6", "16.9", "17.8"}

// Synthetic makes a large, valid, self-contained (already resolved) portfolio
// for benchmarks and property tests: the given numbers of programmes, blocks,
// workflows and use cases, a plan of horizon years from 2026 at 3.5 %, and
// roughly len/40 goals. It exercises every rule of the cost model: ranges on
// most amounts, existing blocks, use cases with their own block lists,
// direct (untraced) block links, programmes started before the plan, outside
// it or open-ended, programmes without goals, goals without SDG targets. The
// same arguments give the same portfolio.
func Synthetic(programmes, blocks, workflows, useCases, horizon int, seed int64) *Portfolio {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_b10c))
	const y0 = 2026
	blocks, workflows, useCases = max(blocks, 1), max(workflows, 1), max(useCases, 1)
	chance := func(p float64) bool { return rng.Float64() < p }
	between := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	amount := func(likely, rangeProb float64) Amount {
		likely = math.Round(likely)
		if !chance(rangeProb) {
			return Point(likely)
		}
		return Triangle(math.Round(likely*between(0.6, 0.95)), likely, math.Round(likely*between(1.05, 1.8)))
	}
	pick := func(n, lo, hi int) []int { // lo..hi distinct indices of n
		k := min(n, lo+rng.IntN(hi-lo+1))
		return rng.Perm(n)[:k]
	}
	id := func(prefix string, n, i int) string { return fmt.Sprintf("%s%0*d", prefix, len(fmt.Sprint(n)), i+1) }

	h := max(horizon, 1)
	p := &Portfolio{
		Format: Format, ID: fmt.Sprintf("synthetic-%d", seed), Name: fmt.Sprintf("Synthetic portfolio %d", seed),
		Country: "XXX", Currency: "USD",
		Settings: Settings{StartYear: new(y0), HorizonYears: new(h), DiscountRate: new(0.035), OptimismBias: new(0.0)},
		Agencies: []Agency{{ID: "moh", Name: "Ministry of Health"}, {ID: "mosa", Name: "Ministry of Social Affairs"},
			{ID: "moi", Name: "Ministry of the Interior"}, {ID: "mof", Name: "Ministry of Finance"}},
	}

	for i := range blocks {
		build := between(50_000, 2_000_000)
		b := Block{ID: id("b", blocks, i), Name: fmt.Sprintf("Block %d", i+1), Status: StatusPlanned,
			BuildCost: amount(build, 0.7), AnnualRunCost: amount(build*between(0.08, 0.25), 0.6),
			IntegrationCost: amount(build*between(0.02, 0.12), 0.6), PerConsumerRunCost: amount(build*between(0.002, 0.02), 0.5)}
		if chance(0.1) {
			b.Status = StatusExisting
		}
		if chance(0.1) {
			b.IntegrationCost, b.PerConsumerRunCost = Amount{}, Amount{}
		}
		p.Blocks = append(p.Blocks, b)
	}
	for i := range workflows {
		w := Workflow{ID: id("w", workflows, i), Name: fmt.Sprintf("Workflow %d", i+1)}
		for _, j := range pick(blocks, 1, 4) {
			w.Blocks = append(w.Blocks, p.Blocks[j].ID)
		}
		p.Workflows = append(p.Workflows, w)
	}
	for i := range useCases {
		u := UseCase{ID: id("uc", useCases, i), Name: fmt.Sprintf("Use case %d", i+1)}
		for _, j := range pick(len(syntheticTargets), 0, 2) {
			u.SDGTargets = append(u.SDGTargets, syntheticTargets[j])
		}
		for _, j := range pick(workflows, 1, 3) {
			u.Workflows = append(u.Workflows, p.Workflows[j].ID)
		}
		if chance(0.15) {
			for _, j := range pick(blocks, 1, 4) {
				u.Blocks = append(u.Blocks, p.Blocks[j].ID)
			}
		}
		p.UseCases = append(p.UseCases, u)
	}
	nGoals := max(3, programmes/40)
	for i := range nGoals {
		g := Goal{ID: id("G", nGoals, i), Name: fmt.Sprintf("National goal %d", i+1), Priority: new(1 + i%5)}
		if !chance(0.1) {
			for _, j := range pick(len(syntheticTargets), 1, 3) {
				g.SDGTargets = append(g.SDGTargets, syntheticTargets[j])
			}
		}
		p.Goals = append(p.Goals, g)
	}
	for i := range programmes {
		pr := Programme{ID: id("P", programmes, i), Name: fmt.Sprintf("Programme %d", i+1),
			Agency: p.Agencies[rng.IntN(len(p.Agencies))].ID}
		switch r := rng.Float64(); {
		case r < 0.05:
		case r < 0.75:
			pr.Goals = []string{p.Goals[rng.IntN(nGoals)].ID}
		default:
			for _, j := range pick(nGoals, 2, 2) {
				pr.Goals = append(pr.Goals, p.Goals[j].ID)
			}
		}
		if !chance(0.03) {
			for _, j := range pick(useCases, 1, 3) {
				pr.UseCases = append(pr.UseCases, p.UseCases[j].ID)
			}
		}
		if len(pr.UseCases) == 0 || chance(0.05) {
			for _, j := range pick(blocks, 1, 2) {
				pr.Blocks = append(pr.Blocks, p.Blocks[j].ID)
			}
		}
		start := y0 - 2 + rng.IntN(h+2)
		switch r := rng.Float64(); {
		case r < 0.03: // over before the plan starts
			start = y0 - 3 - rng.IntN(3)
			pr.EndYear = new(start + rng.IntN(2))
		case r < 0.05: // starts after the plan
			start = y0 + h + rng.IntN(3)
		case r < 0.45:
			pr.EndYear = new(start + 1 + rng.IntN(h))
		}
		if !chance(0.1) || start != y0 {
			pr.StartYear = new(start)
		}
		if chance(0.8) {
			b := math.Round(between(1_000, 1_000_000))
			pr.Beneficiaries = &b
		}
		build := between(20_000, 800_000)
		if chance(0.8) {
			pr.OwnBuildCost = amount(build, 0.5)
		}
		if chance(0.8) {
			pr.OwnAnnualCost = amount(build*between(0.05, 0.2), 0.3)
		}
		if chance(0.9) {
			pr.AnnualBenefit = amount(build*between(0.2, 1.2), 0.8)
			if chance(0.7) {
				pr.BenefitStartYear = new(start + 1)
			}
		}
		p.Programmes = append(p.Programmes, pr)
	}
	return p
}

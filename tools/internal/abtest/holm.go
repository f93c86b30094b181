package abtest

import (
	"math"
	"sort"
)

// Holm returns Holm–Bonferroni adjusted p-values for a family of tests,
// in the order given: sorting the m p-values ascending, the i-th smallest
// (from 0) becomes max over j ≤ i of min(1, (m-j)·p_j). Rejecting where
// the adjusted value is below α keeps the family-wise error rate at α.
// NaN counts as 1.
func Holm(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	val := func(i int) float64 {
		if math.IsNaN(p[i]) {
			return 1
		}
		return p[i]
	}
	sort.SliceStable(idx, func(a, b int) bool { return val(idx[a]) < val(idx[b]) })
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range idx {
		v := math.Min(1, float64(m-rank)*val(i))
		running = math.Max(running, v)
		adj[i] = running
	}
	return adj
}

// MinUTestP returns the smallest two-sided p-value an exact Mann-Whitney
// U test can give for samples of n1 and n2 values, 2/C(n1+n2, n1): the
// p-value of two completely separated samples. If it is not below α, no
// difference however large can be detected.
func MinUTestP(n1, n2 int) float64 {
	if n1 <= 0 || n2 <= 0 {
		return 1
	}
	lg := func(n int) float64 { v, _ := math.Lgamma(float64(n) + 1); return v }
	logC := lg(n1+n2) - lg(n1) - lg(n2)
	return math.Min(1, 2*math.Exp(-logC))
}

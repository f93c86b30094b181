package quantile

import (
	"cmp"
	"math"
)

// NearestRank returns the nearest-rank q-quantile (0 ≤ q ≤ 1) of sorted
// samples: the smallest sample with at least q·n samples at or below it
// (q = 0 gives the smallest, q = 1 the largest). ok is false, and v the
// zero value, when there are no samples.
func NearestRank[T cmp.Ordered](sorted []T, q float64) (v T, ok bool) {
	n := len(sorted)
	if n == 0 {
		return v, false
	}
	// The tolerance keeps a q·n that rounding lifts just above an integer
	// (0.07·100 = 7.000000000000001) at that rank.
	k := int(math.Ceil(q*float64(n)-1e-9)) - 1
	return sorted[min(max(k, 0), n-1)], true
}

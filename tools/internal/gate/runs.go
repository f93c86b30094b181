package gate

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// constant reports whether every value equals the first.
func constant(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}

// singletons reports whether every run has exactly one sample: then the
// samples are per-run values already.
func singletons(runs [][]float64) bool {
	for _, r := range runs {
		if len(r) != 1 {
			return false
		}
	}
	return true
}

// medians returns each run's median.
func medians(runs [][]float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		s := slices.Clone(r)
		slices.Sort(s)
		n := len(s)
		out[i] = s[n/2]
		if n%2 == 0 {
			out[i] = (s[n/2-1] + s[n/2]) / 2
		}
	}
	return out
}

// withinCV returns the pooled standard deviation of the samples around
// their runs' means, over both sides, divided by the mean of all
// samples: how much a metric varies from sample to sample inside one
// process. NaN when no run has two samples.
func withinCV(sides [2][][]float64) float64 {
	var ss, sum float64
	df, n := 0, 0
	for _, runs := range sides {
		for _, r := range runs {
			m := stat.Mean(r, nil)
			for _, v := range r {
				ss += (v - m) * (v - m)
				sum += v
			}
			df += len(r) - 1
			n += len(r)
		}
	}
	if df == 0 {
		return math.NaN()
	}
	mean := sum / float64(n)
	if mean == 0 {
		if ss == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return math.Sqrt(ss/float64(df)) / math.Abs(mean)
}

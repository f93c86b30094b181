package changepoint

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Options configure Detect.
type Options struct {
	// Alpha is the significance level of each permutation test.
	Alpha float64
	// Permutations is the number of shuffles per test; the smallest
	// p-value it can give is 1/(Permutations+1).
	Permutations int
	// MinSize is the fewest points a segment may have (at least 2).
	MinSize int
	// Seed seeds the permutations.
	Seed uint64
}

// DefaultOptions are calibrated in the package's tests.
var DefaultOptions = Options{Alpha: 0.01, Permutations: 499, MinSize: 3, Seed: 1}

// ErrOption reports invalid options.
var ErrOption = errors.New("changepoint: invalid option")

// Change is one accepted change point.
type Change struct {
	// Index is the first point of the new segment.
	Index int
	// Q is the E-divisive statistic of the split when it was found.
	Q float64
	// P is the permutation p-value with which it was accepted.
	P float64
	// Permutations is how many shuffles the test ran.
	Permutations int
}

func (o Options) validate() error {
	switch {
	case !(o.Alpha > 0 && o.Alpha < 1):
		return fmt.Errorf("%w: alpha %v must be in (0, 1)", ErrOption, o.Alpha)
	case o.Permutations < 1:
		return fmt.Errorf("%w: permutations %d must be positive", ErrOption, o.Permutations)
	case o.MinSize < 2:
		return fmt.Errorf("%w: minimum segment size %d must be at least 2", ErrOption, o.MinSize)
	case maxExceed(o.Alpha, o.Permutations) < 0:
		return fmt.Errorf("%w: %d permutations cannot give a p-value of at most alpha %v (need %d)", ErrOption, o.Permutations, o.Alpha, MinPermutations(o.Alpha))
	}
	return nil
}

// MinPermutations returns the fewest permutations with which a test at
// level alpha can reject: 1/(P+1) ≤ alpha.
func MinPermutations(alpha float64) int {
	p := 1
	for maxExceed(alpha, p) < 0 {
		p++
	}
	return p
}

// maxExceed is the most permutations that may reach the observed statistic
// with the p-value (1+e)/(P+1) still at most alpha; negative if none.
func maxExceed(alpha float64, perms int) int {
	return int(math.Floor(alpha*float64(perms+1)+1e-9)) - 1
}

// Detect returns the change points of x in increasing order of Index.
// Non-finite values are an error.
func Detect(x []float64, o Options) ([]Change, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("changepoint: value %d is %v", i, v)
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	bounds := []int{0, len(x)} // segment boundaries, sorted
	var changes []Change
	buf := make([]float64, len(x))
	for {
		tau, q := best(x, bounds, o.MinSize)
		if tau < 0 {
			break
		}
		// Permutation test: shuffle within every current segment.
		limit := maxExceed(o.Alpha, o.Permutations)
		exceed, ran := 0, 0
		for ran < o.Permutations && exceed <= limit {
			copy(buf, x)
			for i := 0; i+1 < len(bounds); i++ {
				seg := buf[bounds[i]:bounds[i+1]]
				rng.Shuffle(len(seg), func(a, b int) { seg[a], seg[b] = seg[b], seg[a] })
			}
			ran++
			if _, qp := best(buf, bounds, o.MinSize); qp >= q {
				exceed++
			}
		}
		p := float64(exceed+1) / float64(o.Permutations+1)
		if exceed > limit {
			break // p > Alpha (the loop may have stopped early)
		}
		changes = append(changes, Change{Index: tau, Q: q, P: p, Permutations: ran})
		bounds = append(bounds, tau)
		slices.Sort(bounds)
	}
	slices.SortFunc(changes, func(a, b Change) int { return a.Index - b.Index })
	return changes, nil
}

// best returns the split with the largest statistic over all segments
// delimited by bounds, or -1 when no segment can be split.
func best(x []float64, bounds []int, minSize int) (int, float64) {
	tau, q := -1, math.Inf(-1)
	for i := 0; i+1 < len(bounds); i++ {
		t, v := split(x[bounds[i]:bounds[i+1]], minSize)
		if t >= 0 && v > q {
			tau, q = bounds[i]+t, v
		}
	}
	return tau, q
}

// split returns the best split of one segment and its statistic, or -1.
// It updates the three distance sums incrementally as the split moves
// right, O(n²) in all.
func split(z []float64, minSize int) (int, float64) {
	n := len(z)
	if n < 2*minSize {
		return -1, 0
	}
	// Start with everything on the right: C is the sum over all pairs.
	var a, b, c float64
	for j := 0; j < n; j++ {
		for k := j + 1; k < n; k++ {
			c += math.Abs(z[j] - z[k])
		}
	}
	tau, q := -1, math.Inf(-1)
	for t := 0; t < n-minSize; t++ {
		// Move z[t] from the right side to the left.
		var rowL, rowR float64
		for i := 0; i < t; i++ {
			rowL += math.Abs(z[t] - z[i])
		}
		for j := t + 1; j < n; j++ {
			rowR += math.Abs(z[t] - z[j])
		}
		b += rowL
		c -= rowR
		a += rowR - rowL
		m, k := float64(t+1), float64(n-t-1)
		if t+1 < minSize {
			continue
		}
		e := 2 * a / (m * k)
		if m > 1 {
			e -= b / (m * (m - 1) / 2)
		}
		if k > 1 {
			e -= c / (k * (k - 1) / 2)
		}
		if v := m * k / float64(n) * e; v > q {
			tau, q = t+1, v
		}
	}
	return tau, q
}

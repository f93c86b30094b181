package abtest

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// uTestEfficiency is the asymptotic relative efficiency of the
// Mann-Whitney U test against the t-test for normal samples, 3/π: the U
// test needs about π/3 times as many values for the same power.
const uTestEfficiency = 3 / math.Pi

// MDE returns the minimum detectable effect of a two-sided Mann-Whitney U
// test of x (old) against y (new) at level alpha with the given power
// (0.8 for the usual 80%), in the units of the values: the smallest
// shift of the mean that the test would detect with that probability
// given the samples' sizes and spread. It uses the normal-theory formula
// with Welch's degrees of freedom,
//
//	MDE = (t(1-α/2, ν) + t(power, ν)) · √(s²x/nx + s²y/ny) · √(π/3),
//
// where the last factor converts the t-test's power into the U test's
// (their asymptotic relative efficiency). It is +Inf when the exact U
// test cannot reach p < alpha at these sizes at all (MinUTestP), and
// ErrTooFew when a side has fewer than two values. Two samples without
// spread give 0: any shift would be seen.
func MDE(x, y []float64, alpha, power float64) (float64, error) {
	if len(x) < 2 || len(y) < 2 {
		return math.NaN(), fmt.Errorf("minimum detectable effect: n=%d+%d: %w", len(x), len(y), ErrTooFew)
	}
	if MinUTestP(len(x), len(y)) >= alpha {
		return math.Inf(1), nil
	}
	se, df := welchSE(x, y)
	if se == 0 {
		return 0, nil
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	return (st.Quantile(1-alpha/2) + st.Quantile(power)) * se / math.Sqrt(uTestEfficiency), nil
}

// welchSE returns the standard error of the difference of the means of
// x and y and its Welch–Satterthwaite degrees of freedom; both samples
// need two values or more.
func welchSE(x, y []float64) (se, df float64) {
	nx, ny := float64(len(x)), float64(len(y))
	vx, vy := stat.Variance(x, nil), stat.Variance(y, nil)
	ex, ey := vx/nx, vy/ny
	if ex+ey == 0 {
		return 0, nx + ny - 2
	}
	return math.Sqrt(ex + ey), (ex + ey) * (ex + ey) / (ex*ex/(nx-1) + ey*ey/(ny-1))
}

// TOST returns the p-value of Schuirmann's two one-sided tests (Welch
// form) of equivalence of the means of x (old) and y (new) within
// ±margin: the larger of the p-values of "mean(y) − mean(x) ≤ −margin"
// and "mean(y) − mean(x) ≥ +margin". A p-value below α shows the means
// equivalent within the margin; equivalently, the 1−2α confidence
// interval of the difference lies inside ±margin. Samples without spread
// give 0 when the difference is 0 or strictly inside the margin, else 1:
// identical constants are equivalent under any margin, even 0.
func TOST(x, y []float64, margin float64) (float64, error) {
	if len(x) < 2 || len(y) < 2 {
		return math.NaN(), fmt.Errorf("equivalence test: n=%d+%d: %w", len(x), len(y), ErrTooFew)
	}
	if !(margin >= 0) {
		return math.NaN(), fmt.Errorf("equivalence test: margin %v must be ≥ 0", margin)
	}
	diff := stat.Mean(y, nil) - stat.Mean(x, nil)
	se, df := welchSE(x, y)
	if se == 0 {
		if diff == 0 || math.Abs(diff) < margin {
			return 0, nil
		}
		return 1, nil
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	pLower := st.Survival((diff + margin) / se) // H0: diff ≤ −margin
	pUpper := st.CDF((diff - margin) / se)      // H0: diff ≥ +margin
	return math.Max(pLower, pUpper), nil
}

// Heterogeneity tests whether groups (the samples of several runs) share
// one mean, with the one-way analysis of variance F test, and returns its
// p-value: a small one says the groups differ by more than their
// within-group noise explains, so their values are not independent
// draws of one distribution. It needs two groups or more and more values
// than groups; otherwise it returns ErrTooFew. Groups without any spread
// give 0 when their means differ and 1 when they do not.
func Heterogeneity(groups [][]float64) (float64, error) {
	k, n := 0, 0
	var grand float64
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		k++
		n += len(g)
		for _, v := range g {
			grand += v
		}
	}
	if k < 2 || n <= k {
		return math.NaN(), fmt.Errorf("heterogeneity: %d groups, %d values: %w", k, n, ErrTooFew)
	}
	grand /= float64(n)
	var between, within float64
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		m := stat.Mean(g, nil)
		between += float64(len(g)) * (m - grand) * (m - grand)
		for _, v := range g {
			within += (v - m) * (v - m)
		}
	}
	if within == 0 {
		if between == 0 {
			return 1, nil
		}
		return 0, nil
	}
	f := (between / float64(k-1)) / (within / float64(n-k))
	return distuv.F{D1: float64(k - 1), D2: float64(n - k)}.Survival(f), nil
}

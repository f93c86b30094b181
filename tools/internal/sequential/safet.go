package sequential

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/stat"
)

// moments returns the mean and the sample standard deviation of x (0
// for a single value).
func moments(x []float64) (mean, sd float64) {
	if len(x) < 2 {
		return stat.Mean(x, nil), 0
	}
	return stat.MeanStdDev(x, nil)
}

// tStat returns the one-sample t statistic of x against the mean c:
// ±Inf when x has no spread but a mean other than c, 0 when it equals c.
func tStat(x []float64, c float64) float64 {
	mean, sd := moments(x)
	switch {
	case mean == c:
		return 0
	case sd == 0:
		return math.Copysign(math.Inf(1), mean-c)
	}
	return (mean - c) / (sd / math.Sqrt(float64(len(x))))
}

// BayesFactor returns the e-value of the one-sample t-test of n ≥ 2
// observations with t statistic t: the Bayes factor of "the mean is not
// the null's" against "it is", with a normal prior of variance g on the
// standardized effect (mean minus null, over the standard deviation) and
// the scale-invariant prior 1/σ on the standard deviation:
//
//	BF = (1+n·g)^(-1/2) · ((1 + t²/ν) / (1 + t²/(ν·(1+n·g))))^(n/2),  ν = n−1
//
// (Rouder et al. 2009, eq. 1 with a fixed g). Because the prior on σ is
// the right Haar measure of the scale group, the sequence of these
// factors over n is a nonnegative martingale with mean 1 under the null,
// whatever σ (Pérez-Ortiz, Lardy, de Heide and Grünwald, "E-statistics,
// group invariance and anytime-valid testing", 2024): by Ville's
// inequality it exceeds 1/a at some n with probability at most a.
func BayesFactor(t float64, n int, g float64) float64 {
	if n < 2 {
		return 1
	}
	nu := float64(n - 1)
	k := 1 + float64(n)*g
	if math.IsInf(t, 0) {
		// The limit t → ∞: ((t²/ν)/(t²/(ν k)))^(n/2) = k^(n/2).
		return math.Exp((float64(n)/2 - 0.5) * math.Log(k))
	}
	t2 := t * t
	return math.Exp(-0.5*math.Log(k) + float64(n)/2*(math.Log1p(t2/nu)-math.Log1p(t2/(nu*k))))
}

type critKey struct {
	n    int
	g, e float64
}

// crit caches criticalT: a comparison asks for the same few values at
// every round.
var crit sync.Map // critKey → float64

// criticalT returns the |t| at which n observations' Bayes factor
// reaches e, or +Inf when no t reaches it at this n.
func criticalT(n int, g, e float64) float64 {
	k := critKey{n, g, e}
	if v, ok := crit.Load(k); ok {
		return v.(float64)
	}
	c := solveT(n, g, e)
	crit.Store(k, c)
	return c
}

func solveT(n int, g, e float64) float64 {
	if n < 2 || BayesFactor(math.Inf(1), n, g) < e {
		return math.Inf(1)
	}
	lo, hi := 0.0, 1.0
	for BayesFactor(hi, n, g) < e {
		hi *= 2
	}
	for range 100 {
		mid := (lo + hi) / 2
		if BayesFactor(mid, n, g) < e {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

package abtest

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ErrTooFew reports samples too small for the statistic.
var ErrTooFew = errors.New("too few samples")

// Welch is the result of Welch's t-test.
type Welch struct {
	T  float64 // t statistic, new minus old
	DF float64 // Welch–Satterthwaite degrees of freedom
	P  float64 // two-sided p-value
}

// WelchTTest tests whether x (old) and y (new) have equal means without
// assuming equal variances. Both samples need at least two values. When
// both variances are zero the test degenerates: equal means give T=0 and
// P=1, different means T=±Inf and P=0.
func WelchTTest(x, y []float64) (Welch, error) {
	nx, ny := float64(len(x)), float64(len(y))
	if len(x) < 2 || len(y) < 2 {
		return Welch{}, fmt.Errorf("welch t-test: n=%d+%d: %w", len(x), len(y), ErrTooFew)
	}
	mx, vx := stat.MeanVariance(x, nil)
	my, vy := stat.MeanVariance(y, nil)
	ex, ey := vx/nx, vy/ny
	se2 := ex + ey
	df := se2 * se2 / (ex*ex/(nx-1) + ey*ey/(ny-1))
	if se2 == 0 {
		df = nx + ny - 2
		if mx == my {
			return Welch{T: 0, DF: df, P: 1}, nil
		}
		return Welch{T: math.Copysign(math.Inf(1), my-mx), DF: df, P: 0}, nil
	}
	t := (my - mx) / math.Sqrt(se2)
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	p := math.Min(1, 2*st.Survival(math.Abs(t)))
	return Welch{T: t, DF: df, P: p}, nil
}

// CohenD returns Cohen's d of y (new) against x (old): the difference of
// the means in units of the pooled standard deviation. With no spread to
// measure against (zero pooled variance, or one value per sample) it
// returns 0 for equal means and ±Inf otherwise. Empty samples give NaN
// and ErrTooFew.
func CohenD(x, y []float64) (float64, error) {
	if len(x) == 0 || len(y) == 0 {
		return math.NaN(), fmt.Errorf("cohen's d: n=%d+%d: %w", len(x), len(y), ErrTooFew)
	}
	mx, my := stat.Mean(x, nil), stat.Mean(y, nil)
	sd := PooledSD(x, y)
	if sd == 0 {
		if mx == my {
			return 0, nil
		}
		return math.Copysign(math.Inf(1), my-mx), nil
	}
	return (my - mx) / sd, nil
}

// PooledSD returns the pooled standard deviation of x and y, the square
// root of their summed squared deviations over nx+ny−2; 0 when there are
// not three values or more, or no spread.
func PooledSD(x, y []float64) float64 {
	df := len(x) + len(y) - 2
	if df <= 0 {
		return 0
	}
	var ss float64
	if len(x) > 1 {
		ss += stat.Variance(x, nil) * float64(len(x)-1)
	}
	if len(y) > 1 {
		ss += stat.Variance(y, nil) * float64(len(y)-1)
	}
	return math.Sqrt(ss / float64(df))
}

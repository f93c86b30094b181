package abtest_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/aclements/go-moremath/stats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/inferbench/inferbench/tools/internal/abtest"
)

func TestMDEFormula(t *testing.T) {
	x := []float64{-1.5, -1, -0.5, 0, 0.5, 1, 1.5, -0.25, 0.25, 0} // any ten values
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = v + 7 // same spread, shifted: the shift does not matter
	}
	got, err := abtest.MDE(x, y, 0.05, 0.8)
	require.NoError(t, err)
	sd := math.Sqrt(variance(x))
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 18} // equal variances: Welch's ν is n1+n2−2
	want := (st.Quantile(0.975) + st.Quantile(0.8)) * sd * math.Sqrt(0.2) * math.Sqrt(math.Pi/3)
	assert.InDelta(t, want, got, 1e-9)

	inf, err := abtest.MDE([]float64{1, 2, 3}, []float64{1, 2, 3}, 0.05, 0.8)
	require.NoError(t, err)
	assert.True(t, math.IsInf(inf, 1), "3+3 values cannot reach p < 0.05")

	zero, err := abtest.MDE([]float64{2, 2, 2, 2, 2}, []float64{3, 3, 3, 3, 3}, 0.05, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 0.0, zero)

	_, err = abtest.MDE([]float64{1}, []float64{1, 2, 3, 4, 5}, 0.05, 0.8)
	assert.ErrorIs(t, err, abtest.ErrTooFew)
}

func variance(x []float64) float64 {
	var m, ss float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return ss / float64(len(x)-1)
}

// A shift of the minimum detectable effect must be detected by the U
// test in about 80% of seeded trials: the formula is calibrated.
func TestMDEPowerIsEighty(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const trials = 2000
	for _, n := range []int{8, 10, 20} {
		ref := make([]float64, n)
		for i := range ref {
			ref[i] = distuv.UnitNormal.Quantile((float64(i) + 0.5) / float64(n))
		}
		mde, err := abtest.MDE(ref, ref, 0.05, 0.8)
		require.NoError(t, err)
		mde *= 1 / math.Sqrt(variance(ref)) // per unit standard deviation
		hits := 0
		for range trials {
			x, y := make([]float64, n), make([]float64, n)
			for i := range x {
				x[i], y[i] = r.NormFloat64(), r.NormFloat64()+mde
			}
			res, err := stats.MannWhitneyUTest(x, y, stats.LocationDiffers)
			require.NoError(t, err)
			if res.P < 0.05 {
				hits++
			}
		}
		power := float64(hits) / trials
		t.Logf("n=%d+%d: MDE %.3f sd, U-test power at the MDE %.3f", n, n, mde, power)
		assert.InDelta(t, 0.8, power, 0.05, "n=%d", n)
	}
}

// TOST rejects exactly when the 1−2α Welch confidence interval of the
// difference lies inside ±margin.
func TestTOSTMatchesConfidenceInterval(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		n1, n2 := 3+r.IntN(15), 3+r.IntN(15)
		x, y := make([]float64, n1), make([]float64, n2)
		shift := r.NormFloat64() * 0.5
		for i := range x {
			x[i] = r.NormFloat64()
		}
		for i := range y {
			y[i] = shift + 1.5*r.NormFloat64()
		}
		margin := r.Float64() * 2
		p, err := abtest.TOST(x, y, margin)
		require.NoError(t, err)
		w, err := abtest.WelchTTest(x, y)
		require.NoError(t, err)
		diff := mean(y) - mean(x)
		se := diff / w.T
		half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: w.DF}.Quantile(0.95) * math.Abs(se)
		inside := diff-half > -margin && diff+half < margin
		assert.Equal(t, inside, p < 0.05, "diff %v ± %v, margin %v, p %v", diff, half, margin, p)
	}
	p, err := abtest.TOST([]float64{1, 1}, []float64{1, 1}, 0.1)
	require.NoError(t, err)
	assert.Equal(t, 0.0, p)
	p, err = abtest.TOST([]float64{0, 0}, []float64{0, 0}, 0) // zero allocations, both sides
	require.NoError(t, err)
	assert.Equal(t, 0.0, p)
	p, err = abtest.TOST([]float64{1, 1}, []float64{2, 2}, 0.1)
	require.NoError(t, err)
	assert.Equal(t, 1.0, p)
	_, err = abtest.TOST([]float64{1}, []float64{2, 2}, 0.1)
	assert.ErrorIs(t, err, abtest.ErrTooFew)
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// With two groups of equal size, one-way ANOVA's F is Student's t
// squared: the p-values agree with the t-test's.
func TestHeterogeneity(t *testing.T) {
	a, b := []float64{1, 2, 3}, []float64{4, 5, 6}
	p, err := abtest.Heterogeneity([][]float64{a, b})
	require.NoError(t, err)
	w, err := abtest.WelchTTest(a, b)
	require.NoError(t, err)
	assert.InDelta(t, w.P, p, 1e-9)
	assert.InDelta(t, 0.0213, p, 1e-4)

	p, err = abtest.Heterogeneity([][]float64{{1, 2, 3}, {1, 2, 3}, {2, 1, 3}})
	require.NoError(t, err)
	assert.Equal(t, 1.0, p)
	p, err = abtest.Heterogeneity([][]float64{{5, 5}, {6, 6}})
	require.NoError(t, err)
	assert.Equal(t, 0.0, p)
	_, err = abtest.Heterogeneity([][]float64{{1}, {2}})
	assert.ErrorIs(t, err, abtest.ErrTooFew)
	_, err = abtest.Heterogeneity([][]float64{{1, 2, 3}})
	assert.ErrorIs(t, err, abtest.ErrTooFew)
}

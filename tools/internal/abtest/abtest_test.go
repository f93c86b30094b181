package abtest_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/aclements/go-moremath/stats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/abtest"
)

// Welch's worked example 1 from Wikipedia ("Welch's t-test"): t = -2.46,
// ν ≈ 24.99, p = 0.021 (with the samples in the order old, new reversed,
// so the sign is flipped here).
func TestWelchTTestReference(t *testing.T) {
	a1 := []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4}
	a2 := []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4}
	w, err := abtest.WelchTTest(a1, a2)
	require.NoError(t, err)
	assert.InDelta(t, 2.46, w.T, 0.005)
	assert.InDelta(t, 24.99, w.DF, 0.01)
	assert.InDelta(t, 0.021, w.P, 0.0005)

	back, err := abtest.WelchTTest(a2, a1)
	require.NoError(t, err)
	assert.InDelta(t, -w.T, back.T, 1e-12)
	assert.InDelta(t, w.P, back.P, 1e-12)
}

// With many degrees of freedom Student's t approaches the normal
// distribution: compare against the normal two-sided p-value.
func TestWelchTTestLargeSampleIsNormal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y := make([]float64, 5000), make([]float64, 5000)
	for i := range x {
		x[i] = r.NormFloat64()
		y[i] = r.NormFloat64()*2 + 0.05
	}
	w, err := abtest.WelchTTest(x, y)
	require.NoError(t, err)
	normalP := math.Erfc(math.Abs(w.T) / math.Sqrt2)
	assert.InDelta(t, normalP, w.P, 1e-3)
}

func TestWelchTTestDegenerate(t *testing.T) {
	tests := []struct {
		name    string
		x, y    []float64
		wantT   float64
		wantP   float64
		wantErr error
	}{
		{"constant equal", []float64{3, 3, 3}, []float64{3, 3}, 0, 1, nil},
		{"constant larger", []float64{3, 3, 3}, []float64{4, 4}, math.Inf(1), 0, nil},
		{"constant smaller", []float64{3, 3, 3}, []float64{2, 2}, math.Inf(-1), 0, nil},
		{"one value", []float64{3}, []float64{2, 2}, 0, 0, abtest.ErrTooFew},
		{"empty", nil, []float64{2, 2}, 0, 0, abtest.ErrTooFew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := abtest.WelchTTest(tt.x, tt.y)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantT, w.T)
			assert.Equal(t, tt.wantP, w.P)
		})
	}
}

func TestCohenD(t *testing.T) {
	tests := []struct {
		name    string
		x, y    []float64
		want    float64
		wantErr bool
	}{
		{"unit variance", []float64{1, 2, 3}, []float64{4, 5, 6}, 3, false},
		{"negative", []float64{4, 5, 6}, []float64{1, 2, 3}, -3, false},
		// pooled variance ((2·1)+(3·(5/3)))/5 = 7/5
		{"unequal sizes", []float64{1, 2, 3}, []float64{2, 3, 4, 5}, 1.5 / math.Sqrt(7.0/5), false},
		{"no spread, equal", []float64{2, 2}, []float64{2}, 0, false},
		{"no spread, larger", []float64{2, 2}, []float64{3, 3}, math.Inf(1), false},
		{"single values", []float64{2}, []float64{1}, math.Inf(-1), false},
		{"empty", []float64{2}, nil, math.NaN(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := abtest.CohenD(tt.x, tt.y)
			if tt.wantErr {
				require.ErrorIs(t, err, abtest.ErrTooFew)
				assert.True(t, math.IsNaN(d))
				return
			}
			require.NoError(t, err)
			if math.IsInf(tt.want, 0) {
				assert.Equal(t, tt.want, d)
			} else {
				assert.InDelta(t, tt.want, d, 1e-12)
			}
		})
	}
}

func TestHolm(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		want []float64
	}{
		{"empty", nil, []float64{}},
		{"single", []float64{0.03}, []float64{0.03}},
		// sorted 0.005·4, 0.01·3, 0.03·2, max(0.04·1, 0.06)
		{"monotone", []float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}},
		{"capped", []float64{0.5, 0.6}, []float64{1, 1}},
		{"nan is one", []float64{math.NaN(), 0.01}, []float64{1, 0.02}},
		{"ties keep order", []float64{0.01, 0.01, 0.2}, []float64{0.03, 0.03, 0.2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := abtest.Holm(tt.p)
			require.Len(t, got, len(tt.want))
			for i := range got {
				assert.InDelta(t, tt.want[i], got[i], 1e-12, "index %d", i)
			}
		})
	}
}

// MinUTestP must match an exact U test on completely separated samples,
// and benchmath's table of minimum p-values for equal sizes.
func TestMinUTestP(t *testing.T) {
	benchmathTable := map[int]float64{1: 1, 2: 1.0 / 3, 3: 0.1, 4: 0.02857142857142857, 9: 4.113533525298231e-05}
	for n, want := range benchmathTable {
		assert.InDelta(t, want, abtest.MinUTestP(n, n), want*1e-9, "n=%d", n)
	}
	for _, n := range [][2]int{{3, 5}, {4, 4}, {5, 7}, {6, 6}, {10, 10}, {2, 12}} {
		x, y := make([]float64, n[0]), make([]float64, n[1])
		for i := range x {
			x[i] = float64(i)
		}
		for i := range y {
			y[i] = float64(100 + i)
		}
		res, err := stats.MannWhitneyUTest(x, y, stats.LocationDiffers)
		require.NoError(t, err)
		assert.InDelta(t, res.P, abtest.MinUTestP(n[0], n[1]), res.P*1e-9, "n=%v", n)
	}
	assert.Equal(t, 1.0, abtest.MinUTestP(0, 5))
}

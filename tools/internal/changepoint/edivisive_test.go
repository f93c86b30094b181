package changepoint_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/changepoint"
)

// noisy returns n points of mean 1 (times level(i)) with a coefficient of
// variation cv, from a seeded generator.
func noisy(seed uint64, n int, cv float64, level func(i int) float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 42))
	x := make([]float64, n)
	for i := range x {
		x[i] = level(i) * (1 + cv*rng.NormFloat64())
	}
	return x
}

func flat(int) float64 { return 1 }

// A +3% step after 25 of 40 commits at CV 1% is found at commit 25 ± 1,
// for every one of 50 seeds, and nothing else is reported in most.
func TestStep(t *testing.T) {
	step := func(i int) float64 {
		if i >= 25 {
			return 1.03
		}
		return 1
	}
	extra := 0
	for seed := range uint64(50) {
		x := noisy(seed, 40, 0.01, step)
		cps, err := changepoint.Detect(x, changepoint.DefaultOptions)
		require.NoError(t, err)
		found := false
		for _, c := range cps {
			if math.Abs(float64(c.Index-25)) <= 1 {
				found = true
			} else {
				extra++
			}
		}
		assert.True(t, found, "seed %d: change points %+v, want one at 25±1", seed, cps)
	}
	assert.LessOrEqual(t, extra, 5, "spurious change points beside the step over 50 seeds")
}

// Pure noise gives no change point in at least 95% of seeds.
func TestNoise(t *testing.T) {
	const seeds = 200
	clean := 0
	for seed := range uint64(seeds) {
		cps, err := changepoint.Detect(noisy(1000+seed, 40, 0.01, flat), changepoint.DefaultOptions)
		require.NoError(t, err)
		if len(cps) == 0 {
			clean++
		}
	}
	t.Logf("no change point in %d of %d noise series", clean, seeds)
	assert.GreaterOrEqual(t, float64(clean), 0.95*seeds)
}

// A creep of 1% per commit over the last 10 of 40 commits (CV 1%) is
// reported: some change point falls inside the creep, and the last
// segment is higher than the first.
func TestCreep(t *testing.T) {
	creep := func(i int) float64 { return 1 + 0.01*float64(max(0, i-29)) }
	for seed := range uint64(50) {
		x := noisy(2000+seed, 40, 0.01, creep)
		cps, err := changepoint.Detect(x, changepoint.DefaultOptions)
		require.NoError(t, err)
		require.NotEmpty(t, cps, "seed %d: creep not reported", seed)
		last := cps[len(cps)-1].Index
		assert.GreaterOrEqual(t, last, 28, "seed %d: last change %d before the creep", seed, last)
	}
}

// The same input gives the same answer; a different seed may not change
// a clear result.
func TestDeterministic(t *testing.T) {
	x := noisy(7, 40, 0.01, func(i int) float64 { return 1 + 0.02*float64(i/20) })
	a, err := changepoint.Detect(x, changepoint.DefaultOptions)
	require.NoError(t, err)
	b, err := changepoint.Detect(x, changepoint.DefaultOptions)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	o := changepoint.DefaultOptions
	o.Seed = 99
	c, err := changepoint.Detect(x, o)
	require.NoError(t, err)
	require.Len(t, c, len(a))
	for i := range a {
		assert.Equal(t, a[i].Index, c[i].Index)
	}
}

// Scale does not matter: the statistic is homogeneous.
func TestScaleInvariant(t *testing.T) {
	x := noisy(8, 30, 0.01, func(i int) float64 { return 1 + 0.05*float64(i/15) })
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = 1e6*v + 3
	}
	a, err := changepoint.Detect(x, changepoint.DefaultOptions)
	require.NoError(t, err)
	b, err := changepoint.Detect(y, changepoint.DefaultOptions)
	require.NoError(t, err)
	require.Len(t, b, len(a))
	require.NotEmpty(t, a)
	for i := range a {
		assert.Equal(t, a[i].Index, b[i].Index)
		assert.Equal(t, a[i].P, b[i].P)
		assert.InEpsilon(t, 1e6*a[i].Q, b[i].Q, 1e-9)
	}
}

func TestEdges(t *testing.T) {
	for _, x := range [][]float64{nil, {1}, {1, 2, 3, 4, 5}, {5, 5, 5, 5, 5, 5, 5, 5}} {
		cps, err := changepoint.Detect(x, changepoint.DefaultOptions)
		require.NoError(t, err)
		assert.Empty(t, cps, "%v", x)
	}
	_, err := changepoint.Detect([]float64{1, math.NaN()}, changepoint.DefaultOptions)
	assert.ErrorContains(t, err, "value 1 is NaN")
}

func TestOptions(t *testing.T) {
	for _, o := range []changepoint.Options{
		{Alpha: 0, Permutations: 99, MinSize: 3},
		{Alpha: 0.05, Permutations: 0, MinSize: 3},
		{Alpha: 0.05, Permutations: 99, MinSize: 1},
		{Alpha: 0.001, Permutations: 99, MinSize: 3},
	} {
		_, err := changepoint.Detect([]float64{1, 2}, o)
		assert.ErrorIs(t, err, changepoint.ErrOption, "%+v", o)
	}
	assert.Equal(t, 999, changepoint.MinPermutations(0.001))
	assert.Equal(t, 19, changepoint.MinPermutations(0.05))
}

func ExampleDetect() {
	// Twelve commits at 100 ns/op, then twelve at 110 ns/op, with a
	// little deterministic jitter.
	var x []float64
	for i := range 24 {
		v := 100.0
		if i >= 12 {
			v = 110
		}
		x = append(x, v+float64(i%3)-1)
	}
	cps, _ := changepoint.Detect(x, changepoint.DefaultOptions)
	for _, c := range cps {
		fmt.Printf("change at %d, p=%.3f\n", c.Index, c.P)
	}
	// Output:
	// change at 12, p=0.002
}

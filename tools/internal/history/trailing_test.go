package history_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/history"
)

// analyze loads and analyzes a seeded history.
func analyze(t *testing.T, seed uint64, n int, cv float64, level func(int) float64) *history.Result {
	t.Helper()
	d, err := history.Load(writeHistory(t, seed, n, cv, level))
	require.NoError(t, err)
	res, err := history.Analyze(d, history.DefaultOptions)
	require.NoError(t, err)
	return res
}

// lastChange returns the series' last change, or nil.
func lastChange(s *history.Series) *history.Change {
	if len(s.Changes) == 0 {
		return nil
	}
	return &s.Changes[len(s.Changes)-1]
}

// When the last two of 40 commits are 20% slower, every seed reports an
// unconfirmed regression at or after the first of them, never at their
// parent (E-divisive alone, whose segments have at least 3 commits, blamed
// the parent in every seed).
func TestLastTwoSlower(t *testing.T) {
	const n, seeds = 40, 20
	for seed := range uint64(seeds) {
		res := analyze(t, 200+seed, n, 0.01, func(i int) float64 {
			if i >= n-2 {
				return 1.2
			}
			return 1
		})
		require.Len(t, res.Regressions(), 2, "seed %d", seed)
		for _, s := range res.Series {
			c := lastChange(s)
			require.NotNil(t, c, "seed %d %s", seed, s.Unit)
			assert.True(t, c.Unconfirmed, "seed %d %s", seed, s.Unit)
			assert.Equal(t, n-2, c.Index, "seed %d %s: at or after %s", seed, s.Unit, c.Commit)
		}
	}
}

// A 2× slowdown at HEAD alone is an unconfirmed regression at HEAD in
// every seed (it used to exit 0: E-divisive cannot end a segment with one
// commit).
func TestHeadTwiceAsSlow(t *testing.T) {
	const n, seeds = 40, 20
	for seed := range uint64(seeds) {
		res := analyze(t, 300+seed, n, 0.01, func(i int) float64 {
			if i == n-1 {
				return 2
			}
			return 1
		})
		require.Len(t, res.Regressions(), 2, "seed %d", seed)
		for _, s := range res.Series {
			c := lastChange(s)
			require.NotNil(t, c)
			assert.True(t, c.Unconfirmed && c.TailTest, "seed %d %s", seed, s.Unit)
			assert.Equal(t, n-1, c.Index, "seed %d %s", seed, s.Unit)
		}
	}
}

// Calibration of the trailing test under noise only: over 200 seeded
// histories of 40 commits (two series each, tested at α/2), the tail
// test reports a change in at most 10% of them (its nominal family-wise
// rate is 5%), and none fails the 5% threshold or is inconclusive.
func TestTrailingNoiseCalibration(t *testing.T) {
	const seeds = 200
	found, failed := 0, 0
	for seed := range uint64(seeds) {
		res := analyze(t, 1000+seed, 40, 0.01, func(int) float64 { return 1 })
		tail := false
		for _, s := range res.Series {
			if c := lastChange(s); c != nil && c.TailTest {
				tail = true
			}
		}
		if tail {
			found++
		}
		if len(res.Regressions()) > 0 || len(res.Inconclusive()) > 0 {
			failed++
		}
	}
	t.Logf("noise only: the tail test reported a change in %d of %d histories; %d failed or were inconclusive", found, seeds, failed)
	assert.LessOrEqual(t, found, seeds/10)
	assert.Zero(t, failed)
}

// What the tail test can detect: a slowdown at HEAD alone of 1.2× the
// minimum detectable effect it reports is found in at least 70% of seeds
// (nominally more than 80%).
func TestTrailingMDE(t *testing.T) {
	base := analyze(t, 7, 40, 0.02, func(int) float64 { return 1 })
	var mde float64
	for _, s := range base.Series {
		if s.Unit == "sec/op" {
			mde = s.Trailing.MDE
		}
	}
	require.Greater(t, mde, 0.0)
	t.Logf("detectable at HEAD alone (CV 2%% per run, 5 runs per commit): %.2f%%", 100*mde)
	const seeds = 40
	found := 0
	for seed := range uint64(seeds) {
		res := analyze(t, 500+seed, 40, 0.02, func(i int) float64 {
			if i == 39 {
				return 1 + 1.2*mde
			}
			return 1
		})
		for _, s := range res.Series {
			if c := lastChange(s); s.Unit == "sec/op" && c != nil && c.Unconfirmed && c.Index == 39 {
				found++
			}
		}
	}
	t.Logf("found in %d of %d seeds", found, seeds)
	assert.GreaterOrEqual(t, found, seeds*7/10)
}

// A worse last commit beyond the threshold that the series' noise can
// explain is inconclusive (exit 3), never a pass: commits alternating
// between two levels 10% apart, then HEAD 9.5% above their mean.
func TestTrailingInconclusive(t *testing.T) {
	dir := writeHistory(t, 11, 12, 0, func(i int) float64 {
		if i == 11 {
			return 1.15
		}
		return 1 + 0.1*float64(i%2)
	})
	code, out := run(t, dir)
	assert.Equal(t, history.ExitInconclusive, code, out)
	assert.Contains(t, out, "INCONCLUSIVE")
	assert.Contains(t, out, "too noisy to tell")
	assert.Contains(t, out, "would need a change of")
}

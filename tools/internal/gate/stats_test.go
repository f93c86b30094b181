package gate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

const trials = 1000

// A 10% slowdown with n=10 and a 3% coefficient of variation must be
// caught: in every one of the first seeds, and in ≥ 99% of all trials.
func TestCatchesTenPercentSlowdown(t *testing.T) {
	row := synth{name: "Prefill-8", unit: "ns/op", n: [2]int{10, 10}, mean: [2]float64{1e6, 1.1e6}, cv: 0.03}
	caught := 0
	for seed := range uint64(trials) {
		old, new := pair(seed, "", []synth{row})
		rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
		require.NoError(t, err)
		r := rep.Rows[0]
		if rep.Failed() {
			caught++
			assert.Equal(t, gate.Slower, r.Verdict)
			assert.Greater(t, r.Delta, 5.0)
		} else if seed < 10 {
			t.Errorf("seed %d: 10%% slowdown not caught: %+v", seed, r)
		}
	}
	rate := float64(caught) / trials
	t.Logf("10%% slowdown, n=10, CV 3%%: caught in %d of %d trials (%.1f%%)", caught, trials, 100*rate)
	assert.GreaterOrEqual(t, rate, 0.99)
}

// Identical distributions must be called significant (and failing) in at
// most α of the trials, for one comparison per run and, thanks to Holm's
// correction, for twenty comparisons per run as a family.
func TestFalsePositiveRate(t *testing.T) {
	alpha := gate.DefaultOptions.Alpha
	one := []synth{{name: "A-8", unit: "ns/op", n: [2]int{10, 10}, mean: [2]float64{1e6, 1e6}, cv: 0.03}}
	var twenty []synth
	for i := range 20 {
		twenty = append(twenty, synth{name: "B/i=" + string(rune('a'+i)) + "-8", unit: "ns/op", n: [2]int{10, 10}, mean: [2]float64{1e6, 1e6}, cv: 0.03})
	}
	tests := []struct {
		name string
		rows []synth
		opts gate.Options
	}{
		{"one comparison", one, gate.DefaultOptions},
		{"one comparison, no effect or threshold filter", one, gate.Options{Alpha: alpha, Confidence: 0.95}},
		{"twenty comparisons", twenty, gate.DefaultOptions},
		{"twenty comparisons, no effect or threshold filter", twenty, gate.Options{Alpha: alpha, Confidence: 0.95}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			significant, failed, rawAny := 0, 0, 0
			for seed := range uint64(trials) {
				old, new := pair(1e6+seed, "", tt.rows)
				rep, err := evaluate(t, tt.opts, benchdata.Options{}, old, new)
				require.NoError(t, err)
				sig, raw := false, false
				for _, r := range rep.Rows {
					sig = sig || r.Verdict == gate.Slower || r.Verdict == gate.Faster
					raw = raw || r.P < alpha
				}
				if sig {
					significant++
				}
				if raw {
					rawAny++
				}
				if rep.Failed() {
					failed++
				}
			}
			t.Logf("identical distributions, %d rows/run: significant in %d/%d runs (%.1f%%), failed %d/%d; uncorrected p<α somewhere in %d/%d",
				len(tt.rows), significant, trials, 100*float64(significant)/trials, failed, trials, rawAny, trials)
			assert.LessOrEqual(t, float64(significant)/trials, alpha)
			assert.LessOrEqual(t, failed, significant)
		})
	}
}

// Without the correction twenty comparisons would raise a false alarm in
// most runs; this guards the test above against being vacuous.
func TestUncorrectedFamilyWouldFail(t *testing.T) {
	var rows []synth
	for i := range 20 {
		rows = append(rows, synth{name: "B/i=" + string(rune('a'+i)) + "-8", unit: "ns/op", n: [2]int{10, 10}, mean: [2]float64{1e6, 1e6}, cv: 0.03})
	}
	rawAny := 0
	for seed := range uint64(200) {
		old, new := pair(1e6+seed, "", rows)
		rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
		require.NoError(t, err)
		for _, r := range rep.Rows {
			if r.P < gate.DefaultOptions.Alpha {
				rawAny++
				break
			}
		}
	}
	assert.Greater(t, float64(rawAny)/200, 0.3)
}

package gate_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

// The calibration simulations of the package documentation. Every case is
// seeded; the rates are properties of the code, not of a machine.

// lognormal draws standardised lognormal noise: mean 0, standard
// deviation 1, skewed like timing noise with CV 3%.
func lognormal(r *rand.Rand) float64 {
	const cv = 0.03
	s := math.Sqrt(math.Log(1 + cv*cv))
	return (math.Exp(s*r.NormFloat64()-s*s/2) - 1) / cv
}

// bimodal draws noise from two modes 8% apart (30% of the samples in the
// slow one, as a CPU that sometimes runs at a lower clock), each with 1%
// noise, in units of the 3% CV the case declares.
func bimodal(r *rand.Rand) float64 {
	v := 0.01 * r.NormFloat64()
	if r.Float64() < 0.3 {
		v += 0.08
	}
	return v / 0.03
}

type calCase struct {
	name string
	row  synth
}

// calibrationCases are the A/A cases: identical old and new distributions,
// with 1 run of 10 samples and 5 runs of 5 samples per side.
func calibrationCases() []calCase {
	var out []calCase
	for _, layout := range []struct {
		name    string
		n, per  int
		perRuns string
	}{{"1 run", 10, 10, "1x10"}, {"5 runs", 25, 5, "5x5"}} {
		base := synth{name: "A-8", unit: "ns/op", n: [2]int{layout.n, layout.n}, perRun: layout.per, mean: [2]float64{1e6, 1e6}, cv: 0.03}
		normal, logn, bim, offsets := base, base, base, base
		logn.noise, bim.noise = lognormal, bimodal
		offsets.unit, offsets.mean, offsets.cv, offsets.runCV = "peak-RSS-bytes", [2]float64{1.2e8, 1.2e8}, 0.005, 0.05
		out = append(out,
			calCase{"normal CV 3%, " + layout.perRuns, normal},
			calCase{"lognormal CV 3%, " + layout.perRuns, logn},
			calCase{"bimodal, " + layout.perRuns, bim},
			calCase{"run offsets N(0,5%) + 0.5% noise, " + layout.perRuns, offsets},
		)
	}
	return out
}

// outcomes evaluates trials seeded pairs of row and counts exit statuses.
func outcomes(t *testing.T, seed uint64, row synth, trials int) [4]int {
	t.Helper()
	var n [4]int
	for i := range uint64(trials) {
		old, new := pair(seed+i, "", []synth{row})
		rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
		require.NoError(t, err)
		n[rep.Outcome()]++
	}
	return n
}

func rates(n [4]int, trials int) string {
	f := func(i int) float64 { return 100 * float64(n[i]) / float64(trials) }
	return fmt.Sprintf("exit 0 %5.1f%%, exit 1 %5.1f%%, exit 3 %5.1f%%", f(0), f(1), f(3))
}

// Identical distributions must fail the gate (exit 1) in at most α of the
// trials, for normal, skewed and bimodal noise and for run-level offsets
// far above the within-run noise, with one and with five runs per side.
func TestCalibrationFalseAlarms(t *testing.T) {
	const trials = 1000
	alpha := gate.DefaultOptions.Alpha
	for i, c := range calibrationCases() {
		t.Run(c.name, func(t *testing.T) {
			n := outcomes(t, 1e7+uint64(i)*trials, c.row, trials)
			t.Logf("A/A %-42s %s", c.name, rates(n, trials))
			assert.LessOrEqual(t, float64(n[gate.ExitRegression])/trials, alpha, "false-alarm rate")
		})
	}
}

// make compare's defaults (10 rounds: 10 runs of one sample per side,
// threshold 5%) catch a 10% slowdown at CV 3% in at least 90% of trials,
// counting the confirm stage: a second, independent comparison of the
// flagged benchmark must fail too.
func TestCalibrationPower(t *testing.T) {
	const trials = 1000
	row := synth{name: "A-8", unit: "ns/op", n: [2]int{10, 10}, mean: [2]float64{1e6, 1.1e6}, cv: 0.03}
	stage1, confirmed := 0, 0
	for i := range uint64(trials) {
		old, new := pair(2e7+2*i, "", []synth{row})
		rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
		require.NoError(t, err)
		if rep.Outcome() != gate.ExitRegression {
			continue
		}
		stage1++
		old, new = pair(2e7+2*i+1, "", []synth{row})
		rep, err = evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
		require.NoError(t, err)
		if rep.Outcome() == gate.ExitRegression {
			confirmed++
		}
	}
	t.Logf("+10%% at CV 3%%, 10+10 runs: stage 1 fails %.1f%%, confirmed %.1f%%", 100*float64(stage1)/trials, 100*float64(confirmed)/trials)
	assert.GreaterOrEqual(t, float64(confirmed)/trials, 0.90)
}

// A doubling seen in 3+3 samples is a regression or inconclusive, never
// a pass, whether the samples are three processes or one.
func TestCalibrationDoublingNeverPasses(t *testing.T) {
	const trials = 1000
	for _, per := range []int{1, 3} {
		row := synth{name: "A-8", unit: "ns/op", n: [2]int{3, 3}, perRun: per, mean: [2]float64{1e6, 2e6}, cv: 0.03}
		n := outcomes(t, 3e7, row, trials)
		t.Logf("+100%%, 3+3 samples in runs of %d: %s", per, rates(n, trials))
		assert.Zero(t, n[gate.ExitPass], "runs of %d", per)
	}
}

// A family of rows: each must be judged, so the chance that some row is
// inconclusive grows with the family. With 24 identical rows (three
// backends × eight units, say) at CV 3%, 20 runs per side pass in at least
// 90% of trials; at 10 most trials are inconclusive, the reason CI runs 20
// rounds. Neither raises false alarms above α.
func TestCalibrationFamily(t *testing.T) {
	const trials = 200
	for _, runs := range []int{10, 20} {
		var rows []synth
		for i := range 24 {
			rows = append(rows, synth{name: fmt.Sprintf("R/i=%d-8", i), unit: "ns/op", n: [2]int{runs, runs}, mean: [2]float64{1e6, 1e6}, cv: 0.03})
		}
		var n [4]int
		for i := range uint64(trials) {
			old, new := pair(4e7+i, "", rows)
			rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
			require.NoError(t, err)
			n[rep.Outcome()]++
		}
		t.Logf("A/A, 24 rows, %d+%d runs, CV 3%%: %s", runs, runs, rates(n, trials))
		assert.LessOrEqual(t, float64(n[gate.ExitRegression])/trials, gate.DefaultOptions.Alpha)
		if runs == 20 {
			assert.GreaterOrEqual(t, float64(n[gate.ExitPass])/trials, 0.9)
		}
	}
}

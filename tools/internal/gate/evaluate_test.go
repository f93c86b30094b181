package gate_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

func TestVerdicts(t *testing.T) {
	ten := [2]int{10, 10}
	tests := []struct {
		name        string
		header      string
		rows        []synth
		wantVerdict map[string]gate.Verdict // name+" "+unit → verdict
		wantFail    bool
		wantWarn    []string
	}{
		{
			name:        "higher is better: fewer tok/s is slower",
			rows:        []synth{{name: "A", unit: "tok/s", n: ten, mean: [2]float64{1000, 900}, cv: 0.02}},
			wantVerdict: map[string]gate.Verdict{"A tok/s": gate.Slower},
			wantFail:    true,
		},
		{
			name:        "higher is better: more tok/s is faster",
			rows:        []synth{{name: "A", unit: "tok/s", n: ten, mean: [2]float64{1000, 1100}, cv: 0.02}},
			wantVerdict: map[string]gate.Verdict{"A tok/s": gate.Faster},
		},
		{
			name:        "metadata declares a unit higher-is-better",
			header:      "Unit score better=higher\n",
			rows:        []synth{{name: "A", unit: "score", n: ten, mean: [2]float64{10, 12}, cv: 0.02}},
			wantVerdict: map[string]gate.Verdict{"A score": gate.Faster},
		},
		{
			name:        "unknown unit is assumed lower-is-better, with a warning",
			rows:        []synth{{name: "A", unit: "widgets", n: ten, mean: [2]float64{10, 12}, cv: 0.02}},
			wantVerdict: map[string]gate.Verdict{"A widgets": gate.Slower},
			wantFail:    true,
			wantWarn:    []string{"unit widgets: direction unknown, assuming lower is better"},
		},
		{
			name:        "significant but within threshold",
			rows:        []synth{{name: "A", unit: "ns/op", n: [2]int{20, 20}, mean: [2]float64{1000, 1030}, cv: 0.005}},
			wantVerdict: map[string]gate.Verdict{"A sec/op": gate.Slower},
		},
		{
			name:        "too few samples never passes as a test",
			rows:        []synth{{name: "A", unit: "ns/op", n: [2]int{3, 3}, mean: [2]float64{1000, 2000}, cv: 0.01}},
			wantVerdict: map[string]gate.Verdict{"A sec/op": gate.TooFewSamples},
			wantWarn:    []string{"A sec/op: too few runs (3+3): a Mann-Whitney U test cannot reach p < 0.05"},
		},
		{
			name:        "too few samples within one process",
			rows:        []synth{{name: "A", unit: "ns/op", n: [2]int{3, 3}, perRun: 3, mean: [2]float64{1000, 2000}, cv: 0.03}},
			wantVerdict: map[string]gate.Verdict{"A sec/op": gate.TooFewSamples},
			wantWarn:    []string{"A sec/op: too few samples (n=3+3): a Mann-Whitney U test cannot reach p < 0.05"},
		},
		{
			name:        "one process per side: a noisy metric is judged within it",
			rows:        []synth{{name: "A", unit: "ns/op", n: ten, perRun: 10, mean: [2]float64{1000, 1200}, cv: 0.03}},
			wantVerdict: map[string]gate.Verdict{"A sec/op": gate.Slower},
			wantFail:    true,
		},
		{
			name:        "one process per side: a metric constant within it is never judged",
			rows:        []synth{{name: "A", unit: "peak-RSS-bytes", n: ten, perRun: 10, mean: [2]float64{1e8, 1.1e8}, cv: 0.005}},
			wantVerdict: map[string]gate.Verdict{"A peak-RSS-bytes": gate.Inconclusive},
			wantWarn:    []string{"A peak-RSS-bytes: inconclusive: constant within a process (within-run variation"},
		},
		{
			name:        "runs that differ beyond their noise are not pooled",
			rows:        []synth{{name: "A", unit: "ns/op", n: [2]int{30, 30}, perRun: 10, mean: [2]float64{1000, 1000}, cv: 0.02, runCV: 0.2}},
			wantVerdict: map[string]gate.Verdict{"A sec/op": gate.Inconclusive},
			wantWarn:    []string{"A sec/op: inconclusive: the 3 old runs differ by more than their within-run noise"},
		},
		{
			name:        "enough runs: tested on run medians",
			rows:        []synth{{name: "A", unit: "peak-RSS-bytes", n: [2]int{50, 50}, perRun: 5, mean: [2]float64{1e8, 1e8}, cv: 0.005, runCV: 0.01}},
			wantVerdict: map[string]gate.Verdict{"A peak-RSS-bytes": gate.Equivalent},
		},
		{
			name: "mismatched benchmark sets",
			rows: []synth{
				{name: "Gone", unit: "ns/op", n: [2]int{10, 0}, mean: [2]float64{1000, 0}, cv: 0.01},
				{name: "Kept", unit: "ns/op", n: ten, mean: [2]float64{1000, 1000}, cv: 0.01},
				{name: "Added", unit: "ns/op", n: [2]int{0, 10}, mean: [2]float64{0, 1000}, cv: 0.01},
			},
			wantVerdict: map[string]gate.Verdict{"Gone sec/op": gate.OnlyOld, "Kept sec/op": gate.Equivalent, "Added sec/op": gate.OnlyNew},
			wantWarn:    []string{"Gone sec/op: only in old", "Added sec/op: only in new"},
		},
		{
			name:   "degraded never counts as an improvement",
			header: "degraded: tensorrt unavailable, cuda fallback\n",
			rows: []synth{
				{name: "Fast", unit: "ns/op", n: ten, mean: [2]float64{1000, 500}, cv: 0.01},
				{name: "Slow", unit: "ns/op", n: ten, mean: [2]float64{1000, 2000}, cv: 0.01},
			},
			wantVerdict: map[string]gate.Verdict{"Fast sec/op": gate.Degraded, "Slow sec/op": gate.Slower},
			wantFail:    true,
			wantWarn:    []string{"Fast sec/op: degraded ([old: tensorrt unavailable, cuda fallback new: tensorrt unavailable, cuda fallback]): not counted as an improvement"},
		},
		{
			name:        "assume=exact compares single values",
			header:      "Unit onnx-bytes assume=exact\n",
			rows:        []synth{{name: "Build", unit: "onnx-bytes", n: [2]int{1, 1}, mean: [2]float64{1000, 1100}}},
			wantVerdict: map[string]gate.Verdict{"Build onnx-bytes": gate.Slower},
			wantFail:    true,
		},
		{
			name:        "assume=exact, unchanged",
			header:      "Unit onnx-bytes assume=exact\n",
			rows:        []synth{{name: "Build", unit: "onnx-bytes", n: [2]int{2, 2}, mean: [2]float64{1000, 1000}}},
			wantVerdict: map[string]gate.Verdict{"Build onnx-bytes": gate.Equivalent},
		},
		{
			name: "few samples cannot survive a large family",
			rows: func() []synth {
				rows := []synth{{name: "Slow", unit: "ns/op", n: [2]int{5, 5}, mean: [2]float64{1000, 2000}, cv: 0.01}}
				for _, c := range "abcdefghijklmnopqrstuvwxyz" {
					rows = append(rows, synth{name: "Same/" + string(c), unit: "ns/op", n: [2]int{5, 5}, mean: [2]float64{1000, 1000}, cv: 0.01})
				}
				return rows
			}(),
			// Holm's α/27 is out of reach of 5+5 values: the doubling is
			// inconclusive, never a pass.
			wantVerdict: map[string]gate.Verdict{"Slow sec/op": gate.Inconclusive},
			wantWarn: []string{
				"27 of 27 tested rows have too few values to be significant after Holm correction over 27 comparisons unless other rows are; 7 per side would suffice",
				"Slow sec/op: inconclusive: could not have seen a 5% change (minimum detectable effect ∞ at α/27",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := pair(42, tt.header, tt.rows)
			rep, err := evaluate(t, allowMissing, benchdata.Options{}, old, new)
			require.NoError(t, err)
			got := rowsByName(rep)
			for name, want := range tt.wantVerdict {
				require.Contains(t, got, name)
				assert.Equal(t, want, got[name].Verdict, "%s: %+v", name, got[name])
			}
			assert.Equal(t, tt.wantFail, rep.Failed())
			var warnings []string
			for _, w := range rep.Warnings {
				warnings = append(warnings, w.Error())
			}
			for _, w := range tt.wantWarn {
				assert.True(t, containsPrefix(warnings, w), "want warning %q in %q", w, warnings)
			}
		})
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestRowStatistics(t *testing.T) {
	old := "BenchmarkA 1 10 ns/op\nBenchmarkA 1 11 ns/op\nBenchmarkA 1 12 ns/op\nBenchmarkA 1 13 ns/op\nBenchmarkA 1 14 ns/op\n"
	new := "BenchmarkA 1 20 ns/op\nBenchmarkA 1 21 ns/op\nBenchmarkA 1 22 ns/op\nBenchmarkA 1 23 ns/op\nBenchmarkA 1 24 ns/op\n"
	rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
	require.NoError(t, err)
	require.Len(t, rep.Rows, 1)
	r := rep.Rows[0]
	assert.Equal(t, "sec/op", r.Unit)
	assert.Equal(t, 5, r.Old.N)
	assert.InDelta(t, 12e-9, r.Old.Center, 1e-18)
	assert.InDelta(t, 22e-9, r.New.Center, 1e-18)
	assert.InDelta(t, 100*(22.0/12-1), r.Delta, 1e-9)
	assert.InDelta(t, 2.0/252, r.P, 1e-12, "exact U test, completely separated 5+5")
	assert.Equal(t, r.P, r.PHolm)
	assert.InDelta(t, 10/math.Sqrt(2.5), r.D, 1e-9)
	assert.InDelta(t, 10, r.Welch.T, 1e-9) // (22-12)/sqrt(2.5/5+2.5/5)
	assert.InDelta(t, 8, r.Welch.DF, 1e-9)
	assert.Less(t, r.Welch.P, 1e-4)
	assert.Equal(t, gate.Slower, r.Verdict)
	assert.True(t, r.Fail)
	assert.Equal(t, 1, rep.Tests)
	// n=5 is too few for a finite 95% interval of the median.
	assert.True(t, math.IsInf(r.Old.Lo, -1))
	assert.True(t, containsPrefix([]string{rep.Warnings[0].Error()}, "A sec/op: old: need >= 6 samples for confidence interval at level 0.95"))
}

func TestEvaluateErrors(t *testing.T) {
	in := "BenchmarkA 1 1 ns/op\n"
	_, err := evaluate(t, gate.Options{Alpha: 0, Confidence: 0.95}, benchdata.Options{}, in, in)
	assert.ErrorIs(t, err, gate.ErrOption)
	_, err = evaluate(t, gate.Options{Alpha: 0.05, Confidence: 1}, benchdata.Options{}, in, in)
	assert.ErrorIs(t, err, gate.ErrOption)
	_, err = evaluate(t, gate.Options{Alpha: 0.05, Confidence: 0.9, Threshold: -1}, benchdata.Options{}, in, in)
	assert.ErrorIs(t, err, gate.ErrOption)

	_, err = evaluate(t, gate.DefaultOptions, benchdata.Options{Filter: ".name:B"}, in, in)
	assert.ErrorIs(t, err, gate.ErrNoSeries)

	_, err = evaluate(t, gate.DefaultOptions, benchdata.Options{}, in, "BenchmarkB 1 1 ns/op\n")
	require.ErrorIs(t, err, gate.ErrNothingInCommon)
	assert.Contains(t, err.Error(), "1 only in old, 1 only in new")
}

func TestUnitDirection(t *testing.T) {
	tests := []struct {
		unit  string
		meta  string
		want  gate.Direction
		known bool
	}{
		{"sec/op", "", gate.LowerIsBetter, true},
		{"B/op", "", gate.LowerIsBetter, true},
		{"allocs/op", "", gate.LowerIsBetter, true},
		{"B/s", "", gate.HigherIsBetter, true},
		{"tok/s", "", gate.HigherIsBetter, true},
		{"p50-ms", "", gate.LowerIsBetter, true},
		{"p99-sec", "", gate.LowerIsBetter, true},
		{"ttft-us", "", gate.LowerIsBetter, true},
		{"peak-RSS-bytes", "", gate.LowerIsBetter, true},
		{"rss", "", gate.LowerIsBetter, true},
		{"heap-MiB", "", gate.LowerIsBetter, true},
		{"overhead-%", "", gate.LowerIsBetter, false},
		{"overhead-%", "Unit overhead-% better=lower\n", gate.LowerIsBetter, true},
		{"hit-ratio", "Unit hit-ratio better=higher\n", gate.HigherIsBetter, true},
		{"tok/s", "Unit tok/s better=lower\n", gate.LowerIsBetter, true},
		{"widgets", "", gate.LowerIsBetter, false},
	}
	for _, tt := range tests {
		t.Run(tt.unit+tt.meta, func(t *testing.T) {
			c, err := benchdata.NewCollection(benchdata.Options{})
			require.NoError(t, err)
			require.NoError(t, c.Read(benchdata.Old, strings.NewReader(tt.meta+"BenchmarkA 1 1 "+tt.unit+"\n"), "x"))
			got, known := gate.UnitDirection(c.Units, tt.unit)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.known, known)
		})
	}
}

func TestVerdictText(t *testing.T) {
	for v := gate.NoChange; v <= gate.Inconclusive; v++ {
		tok, err := v.MarshalText()
		require.NoError(t, err)
		assert.NotContains(t, string(tok), " ")
		assert.NotEmpty(t, v.String())
	}
	_, err := gate.Verdict(99).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "Verdict(99)", gate.Verdict(99).String())
	for b := gate.NotJudged; b <= gate.Exact; b++ {
		tok, err := b.MarshalText()
		require.NoError(t, err)
		assert.NotContains(t, string(tok), " ")
	}
	assert.Equal(t, "within one process", gate.WithinProcess.String())
	_, err = gate.Basis(-1).MarshalText()
	assert.Error(t, err)
}

// A warning shared by many rows is reported once with the row count; the
// rows keep their own copies.
func TestRepeatedWarningsCollapse(t *testing.T) {
	var rows []synth
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		rows = append(rows, synth{name: name, unit: "ns/op", n: [2]int{4, 4}, mean: [2]float64{1000, 1000}, cv: 0.01})
	}
	old, new := pair(1, "", rows[:3])
	rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
	require.NoError(t, err)
	assert.Equal(t, "A sec/op: old: need >= 6 samples for confidence interval at level 0.95", rep.Warnings[0].Error())

	old, new = pair(1, "", rows)
	rep, err = evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
	require.NoError(t, err)
	var got []string
	for _, w := range rep.Warnings {
		got = append(got, w.Error())
	}
	assert.Contains(t, got, "5 rows (A sec/op, …): old: need >= 6 samples for confidence interval at level 0.95")
	assert.Contains(t, got, "5 rows (A sec/op, …): new: need >= 6 samples for confidence interval at level 0.95")
	for _, r := range rep.Rows {
		assert.Len(t, r.Warnings, 2, r.Name)
	}
}

// assume=exact rows make no statistical test and stay out of the Holm
// family: they neither count towards m nor take its first ranks.
func TestExactRowsOutsideFamily(t *testing.T) {
	rows := []synth{
		{name: "A", unit: "ns/op", n: [2]int{10, 10}, mean: [2]float64{1000, 1200}, cv: 0.01},
		{name: "A", unit: "rss", n: [2]int{10, 10}, mean: [2]float64{1000, 1000}},
		{name: "B", unit: "rss", n: [2]int{10, 10}, mean: [2]float64{1000, 1000}},
	}
	old, new := pair(3, "Unit rss assume=exact\n", rows)
	rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Tests)
	got := rowsByName(rep)
	assert.Equal(t, got["A sec/op"].P, got["A sec/op"].PHolm)
	assert.Equal(t, 0.0, got["A rss"].PHolm)
	assert.Equal(t, gate.Equivalent, got["B rss"].Verdict)
}

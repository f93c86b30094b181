package gate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

func TestOutcomeAndConfirm(t *testing.T) {
	ten := [2]int{10, 10}
	slow := synth{name: "Slow", unit: "ns/op", n: ten, mean: [2]float64{1000, 1200}, cv: 0.02}
	same := synth{name: "Slow", unit: "ns/op", n: ten, mean: [2]float64{1000, 1000}, cv: 0.02}
	few := synth{name: "Few", unit: "ns/op", n: [2]int{3, 3}, mean: [2]float64{1000, 1000}, cv: 0.02}
	slowFew := synth{name: "Slow", unit: "ns/op", n: [2]int{3, 3}, mean: [2]float64{1000, 1200}, cv: 0.02}
	rep := func(o gate.Options, rows ...synth) *gate.Report {
		old, new := pair(5, "", rows)
		r, err := evaluate(t, o, benchdata.Options{}, old, new)
		require.NoError(t, err)
		return r
	}
	lenient := gate.DefaultOptions
	lenient.InconclusivePass = true
	tests := []struct {
		name          string
		first, second *gate.Report
		outcome, code int
	}{
		{"pass needs no confirmation", rep(gate.DefaultOptions, same), nil, gate.ExitPass, gate.ExitPass},
		{"inconclusive", rep(gate.DefaultOptions, same, few), nil, gate.ExitInconclusive, gate.ExitInconclusive},
		{"inconclusive allowed", rep(lenient, same, few), nil, gate.ExitPass, gate.ExitPass},
		{"confirmed", rep(gate.DefaultOptions, slow), rep(gate.DefaultOptions, slow), gate.ExitRegression, gate.ExitRegression},
		{"not confirmed", rep(gate.DefaultOptions, slow), rep(gate.DefaultOptions, same), gate.ExitRegression, gate.ExitPass},
		{"confirm stage inconclusive", rep(gate.DefaultOptions, slow), rep(gate.DefaultOptions, few, slowFew), gate.ExitRegression, gate.ExitInconclusive},
		{"confirm stage lacks the row", rep(gate.DefaultOptions, slow), rep(gate.DefaultOptions, few), gate.ExitRegression, gate.ExitInconclusive},
		{"confirm stage: only the flagged rows count", rep(gate.DefaultOptions, slow), rep(gate.DefaultOptions, same, few), gate.ExitRegression, gate.ExitPass},
		{"first stage's other rows inconclusive", rep(gate.DefaultOptions, slow, few), rep(gate.DefaultOptions, same), gate.ExitRegression, gate.ExitInconclusive},
		{"first stage's other rows inconclusive, allowed", rep(lenient, slow, few), rep(lenient, same), gate.ExitRegression, gate.ExitPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.outcome, tt.first.Outcome())
			assert.Equal(t, tt.code, gate.Confirm(tt.first, tt.second))
		})
	}
}

func TestEnvironment(t *testing.T) {
	in := func(cfg string) string { return cfg + "BenchmarkA 1 1 ns/op\n" }
	tests := []struct {
		name        string
		old, new    string
		allow       bool
		wantErr     string
		wantRuntime []string
		wantMachine []string
		wantWarn    string
	}{
		{"same", in("cpu: x\ngo-version: go1\n"), in("cpu: x\ngo-version: go1\n"), false, "", nil, nil, ""},
		{"machine", in("cpu: x\ncores: 2\n"), in("cpu: y\ncores: 4\n"), false, "old and new ran on different machines: cores: 2 → 4; cpu: x → y (pass -allow-env-diff", nil, nil, ""},
		{"machine allowed", in("cpu: x\n"), in("cpu: y\n"), true, "", nil, []string{"cpu: x → y"}, ""},
		{"gpu driver", in("nvidia-driver: 550\n"), in("nvidia-driver: 560\n"), false, "nvidia-driver: 550 → 560", nil, nil, ""},
		{"runtime", in("go-version: go1.26.8\nort-version: 1.30.0\nmodel-weights-sha256: aa\n"), in("go-version: go1.26.9\nort-version: 1.30.0\nmodel-weights-sha256: bb\n"), false, "",
			[]string{"go-version: go1.26.8 → go1.26.9", "model-weights-sha256: aa → bb"}, nil, ""},
		{"other", in("label: a\n"), in(""), false, "", nil, nil, "old and new configurations differ in [label]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := gate.DefaultOptions
			o.AllowEnvDiff = tt.allow
			rep, err := evaluate(t, o, benchdata.Options{}, tt.old, tt.new)
			if tt.wantErr != "" {
				require.ErrorIs(t, err, gate.ErrMachineDiff)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			var runtime, machine []string
			for _, d := range rep.Runtime {
				runtime = append(runtime, d.String())
			}
			for _, d := range rep.Machine {
				machine = append(machine, d.String())
			}
			assert.Equal(t, tt.wantRuntime, runtime)
			assert.Equal(t, tt.wantMachine, machine)
			if tt.wantWarn != "" {
				require.NotEmpty(t, rep.Warnings)
				assert.Contains(t, rep.Warnings[0].Error(), tt.wantWarn)
			}
		})
	}
}

func TestMinRuns(t *testing.T) {
	assert.Equal(t, 4, gate.DefaultOptions.Runs())
	o := gate.DefaultOptions
	o.Alpha = 0.01
	assert.Equal(t, 5, o.Runs())
	o.MinRuns = 8
	assert.Equal(t, 8, o.Runs())
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withEnv rewrites a testdata file: extra header lines after the
// testing package's header, and env appended to the metrics of the result
// lines for which disturb returns true (by index among result lines).
func withEnv(t *testing.T, src string, header string, env func(i int) string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	var out []string
	i := 0
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "Benchmark") {
			line += env(i)
			i++
		}
		out = append(out, line)
		if strings.HasPrefix(line, "cpu:") && header != "" {
			out = append(out, header)
		}
	}
	p := filepath.Join(t.TempDir(), filepath.Base(src))
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(out, "\n")+"\n"), 0o644))
	return p
}

const quietEnv = " \t 1980 gpu-sm-MHz \t 0 gpu-power-cap-% \t 0 gpu-thermal-% \t 0 gpu-hw-slowdown-% \t 0 gpu-other-procs \t 0.4 cpu-steal-% \t 1.2 load1"

func TestEnvironment(t *testing.T) {
	const old, new = "testdata/regression.old.txt", "testdata/regression.new.txt"
	quiet := func(int) string { return quietEnv }
	policy := func(p string) string { return "gpu0-clock-policy: " + p + "\ncpu-governor: performance" }
	unlocked, locked := policy("default applications clocks sm=1980 mem=3201 MHz"), policy("applications clocks set sm=1410 mem=3201 MHz")
	tests := []struct {
		name      string
		args      []string
		exit      int
		out, diag []string // substrings of stdout and stderr
	}{
		{"quiet environment: still a regression, no env series",
			[]string{withEnv(t, old, unlocked, quiet), withEnv(t, new, unlocked, quiet)},
			exitFail, []string{"slower"}, nil},
		{"new partly throttled: inconclusive, not a regression",
			[]string{withEnv(t, old, unlocked, quiet), withEnv(t, new, unlocked, func(i int) string {
				if i%3 == 0 {
					return " \t 1410 gpu-sm-MHz \t 40 gpu-power-cap-% \t 0 gpu-thermal-% \t 0 gpu-hw-slowdown-% \t 0 gpu-other-procs \t 0.4 cpu-steal-% \t 1 env-disturbed"
				}
				return quietEnv
			})},
			exitInconclusive, []string{"environment disturbed"}, []string{"gpu power cap in 40% of samples"}},
		{"json names the disturbed side",
			[]string{"-format", "json", withEnv(t, old, unlocked, quiet), withEnv(t, new, unlocked, func(int) string { return " \t 2 gpu-hw-slowdown-%" })},
			exitInconclusive, []string{`"disturbed": [`, `"new: 10 of 10 results (gpu hw slowdown in 2% of samples)"`, `"reason": "environment disturbed"`}, nil},
		{"old shared the GPU: inconclusive",
			[]string{withEnv(t, old, unlocked, func(int) string { return " \t 1 gpu-other-procs \t 1073741824 gpu-other-mem-bytes" }), withEnv(t, new, unlocked, quiet)},
			exitInconclusive, []string{"environment disturbed"}, []string{"1 other process(es) on the gpu holding 1024 MiB"}},
		{"cpu steal above 5%: inconclusive",
			[]string{withEnv(t, old, "", quiet), withEnv(t, new, "", func(int) string { return " \t 12 cpu-steal-%" })},
			exitInconclusive, nil, []string{"cpu steal 12.0% > 5%"}},
		{"locked vs unlocked clocks: different machines",
			[]string{withEnv(t, old, unlocked, quiet), withEnv(t, new, locked, quiet)},
			exitUnusable, nil, []string{"different machines", "gpu0-clock-policy"}},
		{"different governor: different machines",
			[]string{withEnv(t, old, "cpu-governor: powersave", quiet), withEnv(t, new, "cpu-governor: performance", quiet)},
			exitUnusable, nil, []string{"cpu-governor: powersave → performance"}},
		{"clock policy differs, allowed",
			[]string{"-allow-env-diff", withEnv(t, old, unlocked, quiet), withEnv(t, new, locked, quiet)},
			exitFail, []string{"gpu0-clock-policy"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			assert.Equal(t, tt.exit, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
			for _, s := range tt.out {
				assert.Contains(t, stdout.String(), s)
			}
			for _, s := range tt.diag {
				assert.Contains(t, stdout.String()+stderr.String(), s)
			}
			for _, unit := range []string{"gpu-sm-MHz", "cpu-steal-%", "env-disturbed"} {
				assert.NotContains(t, stdout.String(), " "+unit, "environment metrics are not compared as benchmarks")
			}
		})
	}
}

// Old and new at different SM clocks: a warning that names the clocks.
func TestClockWarning(t *testing.T) {
	const old, new = "testdata/regression.old.txt", "testdata/regression.new.txt"
	at := func(mhz string) func(int) string { return func(int) string { return " \t " + mhz + " gpu-sm-MHz" } }
	var stdout, stderr bytes.Buffer
	run([]string{withEnv(t, old, "", at("1980")), withEnv(t, new, "", at("1755"))}, &stdout, &stderr)
	assert.Contains(t, stdout.String()+stderr.String(), "old and new ran at different clocks: gpu-sm-MHz median 1980 → 1755 (-11.4%)")
	stdout.Reset()
	stderr.Reset()
	run([]string{withEnv(t, old, "", at("1980")), withEnv(t, new, "", at("1965"))}, &stdout, &stderr)
	assert.NotContains(t, stdout.String()+stderr.String(), "different clocks", "within 2%")
}

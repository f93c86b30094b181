package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// envBench rewrites the fixture with the clock policy after every header
// block, quiet environment metrics on every result, and env (if not "")
// instead on the n-th result (from 0) of each benchmark named in disturb.
func envBench(t *testing.T, extra string, disturb map[string][]int, env string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/bench.txt")
	require.NoError(t, err)
	seen := make(map[string]int)
	var out []string
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "Benchmark") {
			m := " \t 1980 gpu-sm-MHz \t 1965 gpu-sm-min-MHz \t 0 gpu-power-cap-% \t 0 gpu-thermal-% \t 0 gpu-hw-slowdown-% \t 61 gpu-temp-C \t 0 gpu-other-procs \t 0.2 cpu-steal-% \t 3 cpu-other-busy-% \t 1.5 load1"
			for _, n := range disturb[f[0]] {
				if n == seen[f[0]] {
					m = env
				}
			}
			seen[f[0]]++
			line += m
		}
		out = append(out, line)
		if strings.HasPrefix(line, "cpu:") {
			out = append(out, "gpu0-clock-policy: default applications clocks sm=1980 mem=3201 MHz", "cpu-governor: performance")
		}
	}
	out = append(out, extra)
	p := filepath.Join(t.TempDir(), "env.txt")
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(out, "\n")+"\n"), 0o644))
	return p
}

func TestEnvironment(t *testing.T) {
	const int8 = "BenchmarkPrefill/backend=ort-cpu-int8/scenario=single_micro-16"
	const throttled = " \t 1410 gpu-sm-MHz \t 990 gpu-sm-min-MHz \t 30 gpu-power-cap-% \t 10 gpu-thermal-% \t 0 gpu-hw-slowdown-% \t 84 gpu-temp-C \t 0 gpu-other-procs \t 0.2 cpu-steal-% \t 1 env-disturbed"
	// A scenario the baseline did not run: no comparison.
	lone := "BenchmarkPrefill/backend=ort-cpu-int8/scenario=lone-16 \t 100 \t 37921 ns/op \t 0.0361 p50-ms \t 2 gpu-other-procs \t 4294967296 gpu-other-mem-bytes"

	t.Run("quiet", func(t *testing.T) {
		a := analyze(t, []string{envBench(t, "", nil, "")}, nil)
		assert.Empty(t, a.Invalid)
		var b bytes.Buffer
		require.NoError(t, a.WriteMarkdown(&b))
		assert.Contains(t, b.String(), "**VALID**")
		assert.Contains(t, b.String(), "| clock policy | gpu0-clock-policy default applications clocks sm=1980 mem=3201 MHz; cpu-governor performance |")
		assert.Contains(t, b.String(), "| during the loops | GPU SM clock median 1980 MHz, lowest 1965 MHz, hottest 61 °C; CPU steal median 0.2% (max 0.2%); other processes' CPU share median 3%; load average median 1.5 |")
		assert.NotContains(t, b.String(), "disturbed")
	})
	t.Run("compared cell throttled", func(t *testing.T) {
		a := analyze(t, []string{envBench(t, "", map[string][]int{int8: {2, 5}}, throttled)}, nil)
		var b bytes.Buffer
		require.NoError(t, a.WriteMarkdown(&b))
		assert.Contains(t, b.String(), "**INVALID**")
		assert.Contains(t, b.String(), "- ort-cpu-int8 at single_micro: 2 of 8 results measured while the machine was disturbed (gpu power cap in 30% of samples; gpu thermal slowdown in 10% of samples): its comparison cannot tell the backend from the machine")
		assert.Contains(t, b.String(), "⚠ disturbed")
		assert.Contains(t, b.String(), "lowest 990 MHz, hottest 84 °C")
	})
	t.Run("baseline cell shared the GPU", func(t *testing.T) {
		base := "BenchmarkPrefill/backend=ort-cpu/scenario=batch_short-16"
		a := analyze(t, []string{envBench(t, "", map[string][]int{base: {0}}, " \t 1 gpu-other-procs \t 1073741824 gpu-other-mem-bytes")}, nil)
		require.Len(t, a.Invalid, 1)
		assert.Contains(t, a.Invalid[0], "ort-cpu at batch_short: 1 of 8 results measured while the machine was disturbed (1 other process(es) on the gpu holding 1024 MiB)")
	})
	t.Run("uncompared cell: a warning", func(t *testing.T) {
		a := analyze(t, []string{envBench(t, lone, nil, "")}, nil)
		assert.Empty(t, a.Invalid)
		assert.Contains(t, strings.Join(a.Warnings, "\n"), "ort-cpu-int8 at lone: 1 of 1 results measured while the machine was disturbed (2 other process(es) on the gpu holding 4096 MiB)")
	})
	t.Run("busy CPU: a warning", func(t *testing.T) {
		p := envBench(t, "", nil, "")
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(p, []byte(strings.ReplaceAll(string(data), "3 cpu-other-busy-%", "80 cpu-other-busy-%")), 0o644))
		a := analyze(t, []string{p}, nil)
		assert.Empty(t, a.Invalid)
		assert.Contains(t, strings.Join(a.Warnings, "\n"), "other processes used 80% of the machine's CPU time during the timed loops")
	})
}

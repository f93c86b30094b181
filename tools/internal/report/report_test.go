package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/chart"
	"github.com/inferbench/inferbench/tools/internal/report"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.md")

func analyze(t *testing.T, bench, acc []string) *report.Analysis {
	t.Helper()
	d, err := report.Load(bench, acc)
	require.NoError(t, err)
	a, err := report.Analyze(d, report.DefaultOptions)
	require.NoError(t, err)
	return a
}

// The report of a fixed input matches the golden file, is VALID, and
// its figures decode and are not blank.
func TestGolden(t *testing.T) {
	a := analyze(t, []string{"testdata/bench.txt"}, []string{"testdata/accuracy.json"})
	assert.Empty(t, a.Invalid)
	var b bytes.Buffer
	require.NoError(t, a.WriteMarkdown(&b))
	golden := filepath.Join("testdata", "golden.md")
	if *update {
		require.NoError(t, os.WriteFile(golden, b.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), b.String())

	dir := t.TempDir()
	paths, err := a.Write(dir)
	require.NoError(t, err)
	assert.Len(t, paths, 3)
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	assert.Equal(t, b.String(), string(md))
	for _, name := range []string{report.LatencyPNG, report.ThroughputPNG} {
		assert.NoError(t, chart.Verify(filepath.Join(dir, name)))
		assert.Contains(t, string(md), "("+name+")", "report.md links the figure")
	}
}

// The fixed input's statistics: int8 is significantly faster, fp16 is
// degraded and never ranked, the reference is slower.
func TestRanking(t *testing.T) {
	a := analyze(t, []string{"testdata/bench.txt"}, nil)
	assert.Equal(t, "ort-cpu", a.Baseline)
	for _, s := range []string{"single_micro", "batch_short"} {
		r := a.Ranking(s)
		require.Len(t, r, 1, s)
		assert.Equal(t, "ort-cpu-int8", r[0].Backend)
		fp16 := a.Cell("ort-cpu-fp16", s)
		assert.True(t, fp16.Significant && fp16.Degraded && !fp16.Faster(), "fp16 is faster but degraded: not ranked")
		ref := a.Cell("reference", s)
		assert.True(t, ref.Significant && ref.Speedup < 1)
		assert.Equal(t, -1.0, ref.Delta)
	}
	assert.Equal(t, 44.0, a.Tokens["batch_short"])
	require.NotEmpty(t, a.BreakEven)
	for _, be := range a.BreakEven {
		assert.Equal(t, "ort-cpu-int8", be.Backend)
		assert.Greater(t, be.Calls, 0, "int8 creates its session more slowly: break-even after some calls")
	}
}

// edit returns a copy of the fixture with replacements applied, written to
// a temporary file.
func edit(t *testing.T, src string, pairs ...string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	s := string(data)
	for i := 0; i+1 < len(pairs); i += 2 {
		require.Contains(t, s, pairs[i])
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	p := filepath.Join(t.TempDir(), filepath.Base(src))
	require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	return p
}

// keepRuns keeps the first n results of every benchmark.
func keepRuns(t *testing.T, n int) string {
	data, err := os.ReadFile("testdata/bench.txt")
	require.NoError(t, err)
	seen := make(map[string]int)
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "Benchmark") {
			seen[f[0]]++
			if seen[f[0]] > n {
				continue
			}
		}
		out = append(out, line)
	}
	p := filepath.Join(t.TempDir(), "few.txt")
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(out, "\n")), 0o644))
	return p
}

// oneProcess rewrites the fixture's eight processes as one: the header
// block the testing package prints once per process appears only once, so
// the eight results per benchmark are -count repeats of one run.
func oneProcess(t *testing.T) string {
	data, err := os.ReadFile("testdata/bench.txt")
	require.NoError(t, err)
	seen := make(map[string]bool)
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok && (k == "goos" || k == "goarch" || k == "pkg" || k == "cpu") {
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, line)
	}
	p := filepath.Join(t.TempDir(), "one.txt")
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(out, "\n")), 0o644))
	return p
}

// Every INVALID case gives its own reason.
func TestInvalid(t *testing.T) {
	bench := "testdata/bench.txt"
	acc := "testdata/accuracy.json"
	for _, tc := range []struct {
		name       string
		bench, acc []string
		reason     string
	}{
		{"seeded accuracy", []string{bench}, []string{edit(t, acc, `"Weights": "trained"`, `"Weights": "seeded"`)},
			"accuracy claimed for seeded weights"},
		{"accuracy of another model", []string{bench}, []string{edit(t, acc, `"WeightsSHA256": "cb52`, `"WeightsSHA256": "ffff`)},
			"not the benchmarked model"},
		{"declared architecture", []string{edit(t, bench, "model-arch: gpt2-tiny", "model-arch: gpt2-124m")}, nil,
			"declares architecture gpt2-124m (124439808 parameters) but has 3449280 parameters"},
		{"configuration vs parameters", []string{edit(t, bench, "model-params: 3449280", "model-params: 3449281")}, nil,
			"implies 3449280 parameters but model-params says 3449281"},
		{"mixed machines", []string{bench, edit(t, bench, "cpu: Example CPU @ 3.0GHz", "cpu: Other CPU")}, nil,
			"results from different machines in one report: cpu is"},
		{"mixed models", []string{bench, edit(t, bench, "model: gpt2-tiny\n", "model: gpt2-tiny-seeded\n")}, nil,
			"results of different models or corpora in one report: model is"},
		{"too few runs", []string{keepRuns(t, 3)}, nil,
			"too few runs: 6 of 6 comparisons (as few as 3 run(s), that is processes, a side) cannot reach significance"},
		{"one process, many -count", []string{oneProcess(t)}, nil,
			"(as few as 1 run(s), that is processes, a side)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := analyze(t, tc.bench, tc.acc)
			var b bytes.Buffer
			require.NoError(t, a.WriteMarkdown(&b))
			assert.Contains(t, b.String(), "**INVALID**")
			found := false
			for _, r := range a.Invalid {
				found = found || strings.Contains(r, tc.reason)
			}
			assert.True(t, found, "reasons %q lack %q", a.Invalid, tc.reason)
			assert.Contains(t, b.String(), tc.reason)
		})
	}
}

func TestBadInput(t *testing.T) {
	_, err := report.Load([]string{"testdata/missing.txt"}, nil)
	assert.ErrorContains(t, err, "missing.txt")
	notJSON := filepath.Join(t.TempDir(), "x.json")
	require.NoError(t, os.WriteFile(notJSON, []byte("{"), 0o644))
	_, err = report.Load([]string{"testdata/bench.txt"}, []string{notJSON})
	assert.ErrorContains(t, err, "x.json: not an -accuracy-out report")
	noPrefill := filepath.Join(t.TempDir(), "b.txt")
	require.NoError(t, os.WriteFile(noPrefill, []byte("BenchmarkX 1 1 ns/op\n"), 0o644))
	_, err = report.Load([]string{noPrefill}, nil)
	assert.ErrorContains(t, err, "no BenchmarkPrefill")
	d, err := report.Load([]string{"testdata/bench.txt"}, nil)
	require.NoError(t, err)
	_, err = report.Analyze(d, report.Options{Baseline: "nope", Alpha: 0.05})
	assert.ErrorIs(t, err, report.ErrBaseline)
}

// The harness prints each backend's session options under the backend's
// name ("ort-cpu.ort-version: 1.30.0"): the report still finds the ONNX
// Runtime version, and warns when backends or runs carry different ones.
func TestPerBackendSoftwareKeys(t *testing.T) {
	var b bytes.Buffer
	a := analyze(t, []string{edit(t, "testdata/bench.txt", "ort-version: 1.30.0", "ort-cpu.ort-version: 1.30.0")}, nil)
	require.NoError(t, a.WriteMarkdown(&b))
	assert.Contains(t, b.String(), "ONNX Runtime 1.30.0")
	assert.Empty(t, a.Warnings)

	data, err := os.ReadFile("testdata/bench.txt")
	require.NoError(t, err)
	mixed := strings.Replace(string(data), "ort-version: 1.30.0", "ort-cpu-int8.ort-version: 1.29.0", 1)
	mixed = strings.ReplaceAll(mixed, "\nort-version: 1.30.0", "\nort-cpu.ort-version: 1.30.0")
	p := filepath.Join(t.TempDir(), "mixed.txt")
	require.NoError(t, os.WriteFile(p, []byte(mixed), 0o644))
	a = analyze(t, []string{p}, nil)
	assert.Contains(t, strings.Join(a.Warnings, "\n"), "ort-version is")
}

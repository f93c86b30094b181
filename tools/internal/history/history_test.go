package history_test

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/chart"
	"github.com/inferbench/inferbench/tools/internal/history"
)

// writeHistory writes n commits of BenchmarkPrefill with 5 runs each at
// CV cv around 100µs × level(i), in shuffled file order, and returns the
// directory.
func writeHistory(t testing.TB, seed uint64, n int, cv float64, level func(int) float64) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(seed, 3))
	for _, i := range rng.Perm(n) {
		var b strings.Builder
		fmt.Fprintf(&b, "commit: %s\ncommit-seq: %d\nUnit tok/s better=higher\ncpu: %s\n", hash(i), 500+i, cpu(i))
		for range 5 {
			ns := 100e3 * level(i) * (1 + cv*rng.NormFloat64())
			fmt.Fprintf(&b, "BenchmarkPrefill/backend=ort-cpu/scenario=single_micro-8 100 %.1f ns/op %.1f tok/s\n", ns, 8/(ns*1e-9))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%02d.txt", rng.IntN(100))+fmt.Sprint(i)+".txt"), []byte(b.String()), 0o644))
	}
	return dir
}

// hash is commit i's made-up hash, "c07…" for commit 7.
func hash(i int) string { return fmt.Sprintf("c%02d%037x", i, i) }

// cpu is the machine of commit i: the runner was replaced at commit 30.
func cpu(i int) string {
	if i >= 30 {
		return "New CPU"
	}
	return "Old CPU"
}

func run(t *testing.T, args ...string) (int, string) {
	var out, errb bytes.Buffer
	code := history.Command(args, &out, &errb)
	return code, out.String() + errb.String()
}

// A +3% step after 25 of 40 commits is found at commit 25 ± 1 in both
// units, and fails a 2% threshold but not the 5% default.
func TestStep(t *testing.T) {
	dir := writeHistory(t, 1, 40, 0.01, func(i int) float64 {
		if i >= 25 {
			return 1.03
		}
		return 1
	})
	d, err := history.Load(dir)
	require.NoError(t, err)
	res, err := history.Analyze(d, history.DefaultOptions)
	require.NoError(t, err)
	require.Len(t, res.Series, 2)
	for _, s := range res.Series {
		require.NotEmpty(t, s.Changes, "%s %s", s.Name, s.Unit)
		c := s.Changes[len(s.Changes)-1]
		assert.InDelta(t, 25, c.Index, 1, "%s", s.Unit)
		assert.Equal(t, hash(c.Index), c.Commit)
		assert.True(t, c.Worse, "%s: +3%% time is worse", s.Unit)
		assert.InDelta(t, 0.03, abs(c.Rel), 0.01, s.Unit)
		assert.False(t, s.Regression, "3%% is within the 5%% default threshold")
	}
	code, out := run(t, "-threshold", "0.02", dir)
	assert.Equal(t, history.ExitRegression, code, out)
	assert.Contains(t, out, "REGRESSION: Prefill/backend=ort-cpu/scenario=single_micro-8 sec/op")
	code, out = run(t, dir)
	assert.Equal(t, history.ExitOK, code, out)
}

func abs(x float64) float64 { return max(x, -x) }

// A creep of 1% per commit over the last 10 commits is reported and fails
// the default threshold.
func TestCreep(t *testing.T) {
	dir := writeHistory(t, 2, 40, 0.01, func(i int) float64 { return 1 + 0.01*float64(max(0, i-29)) })
	png := t.TempDir()
	code, out := run(t, "-png", png, dir)
	assert.Equal(t, history.ExitRegression, code, out)
	assert.Contains(t, out, "REGRESSION")
	d, err := history.Load(dir)
	require.NoError(t, err)
	res, err := history.Analyze(d, history.DefaultOptions)
	require.NoError(t, err)
	for _, s := range res.Series {
		// The whole creep counts, not only its last step: +10% at the
		// end, less the part inside the final segment's median.
		assert.Greater(t, abs(s.Drift), 0.05, "%s: drift %v over changes %+v", s.Unit, s.Drift, s.Changes)
		assert.True(t, s.Regression, s.Unit)
	}
	assert.Contains(t, out, `warning: the machine changed: cpu is "Old CPU" from c000000, "New CPU" from c300000`)
	figs, err := filepath.Glob(filepath.Join(png, "*.png"))
	require.NoError(t, err)
	require.Len(t, figs, 2, out)
	for _, f := range figs {
		assert.NoError(t, chart.Verify(f))
	}
}

// Noise reports nothing and passes.
func TestNoise(t *testing.T) {
	dir := writeHistory(t, 3, 40, 0.01, func(int) float64 { return 1 })
	code, out := run(t, dir)
	assert.Equal(t, history.ExitOK, code, out)
	assert.Contains(t, out, "no change point in any series")
}

func TestLayoutErrors(t *testing.T) {
	write := func(dir, name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	const res = "BenchmarkA 1 10 ns/op\n"
	for name, files := range map[string]map[string]string{
		"no commit":       {"a.txt": "commit-seq: 1\n" + res},
		"no order":        {"a.txt": "commit: abc\n" + res},
		"two commits":     {"a.txt": "commit: abc\ncommit-seq: 1\n" + res + "commit: def\n" + res},
		"same position":   {"a.txt": "commit: abc\ncommit-seq: 1\n" + res, "b.txt": "commit: def\ncommit-seq: 1\n" + res},
		"bad seq":         {"a.txt": "commit: abc\ncommit-seq: x\n" + res},
		"mixed order":     {"a.txt": "commit: abc\ncommit-seq: 1\n" + res, "b.txt": "commit: def\ncommit-time: 2026-01-01T00:00:00Z\n" + res},
		"malformed input": {"a.txt": "commit: abc\ncommit-seq: 1\nBenchmarkA x 10 ns/op\n"},
		"empty":           {},
	} {
		dir := t.TempDir()
		for n, b := range files {
			write(dir, n, b)
		}
		code, out := run(t, dir)
		assert.Equal(t, history.ExitUnusable, code, "%s: %s", name, out)
		if len(files) > 0 {
			assert.Contains(t, out, "a.txt", name)
		}
	}
	// Re-runs of one commit pool; ordering by time works.
	dir := t.TempDir()
	for i := range 8 {
		body := fmt.Sprintf("commit: c%d\ncommit-time: 2026-01-0%dT00:00:00Z\n%s", i, i+1, res)
		write(dir, fmt.Sprintf("%d.txt", i), body)
		write(dir, fmt.Sprintf("%d-rerun.txt", i), body)
	}
	d, err := history.Load(dir)
	require.NoError(t, err)
	require.Len(t, d.Commits, 8)
	assert.Equal(t, "c0", d.Commits[0].Commit)
	assert.Len(t, d.Commits[7].Recs, 2)
}

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// The command's output for a fixed, seeded history matches the golden file.
func TestGolden(t *testing.T) {
	dir := writeHistory(t, 1, 40, 0.01, func(i int) float64 {
		if i >= 25 {
			return 1.03
		}
		return 1
	})
	code, out := run(t, "-threshold", "0.02", dir)
	assert.Equal(t, history.ExitRegression, code)
	golden := filepath.Join("testdata", "step.golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), out)
}

// Over many seeds, a creep of 1% per commit for the last 10 of 40 commits
// fails the default 5% threshold: the drift is measured from before the
// first worse change point, however many steps the creep was split into.
func TestCreepFailsThreshold(t *testing.T) {
	const seeds = 20
	failed := 0
	for seed := range uint64(seeds) {
		dir := writeHistory(t, 100+seed, 40, 0.01, func(i int) float64 { return 1 + 0.01*float64(max(0, i-29)) })
		d, err := history.Load(dir)
		require.NoError(t, err)
		res, err := history.Analyze(d, history.DefaultOptions)
		require.NoError(t, err)
		if len(res.Regressions()) > 0 {
			failed++
		}
	}
	t.Logf("creep failed the 5%% threshold in %d of %d seeds", failed, seeds)
	assert.Equal(t, seeds, failed)
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/interleave/interleavetest"
)

// Sequential rounds stop as soon as the new revision's threefold work
// is flagged and confirmed, well before the round limit.
func TestSequentialCatchesSlowdown(t *testing.T) {
	repo := interleavetest.NewRepo(t, 100000, 300000)
	out := t.TempDir()
	summary := filepath.Join(t.TempDir(), "summary.md")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{
		"-C", repo, "-base", "HEAD", "-pkg", interleavetest.Pkg, "-bench", "Work", "-benchtime", "100x",
		"-budget", "5m", "-max-rounds", "30", "-threads", "1", "-benchstat", "", "-out", out, "-summary", summary,
	}, &stdout, &stderr)
	require.Equal(t, exitFail, code, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	got := stdout.String()
	assert.Contains(t, got, "sequential gate: primary sec/op, threshold 5%, α 0.05 (anytime-valid; Holm over 1 benchmarks)")
	assert.Contains(t, got, "compare-threads: 1")
	assert.Contains(t, got, "compare-affinity: not pinned")
	assert.Regexp(t, `Work\s+\d+ \(flagged after \d+, confirm \d+: \+\d+\.\d%\)\s+\+\d+\.\d%\s+\[[-+]\d+\.\d%, \+\d+\.\d%\]\s+regression`, got)
	assert.Contains(t, got, "FAIL (exit 1): a regression beyond 5% in sec/op, confirmed on fresh rounds")
	data, err := os.ReadFile(filepath.Join(out, "new.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "compare-threads: 1\n")
	assert.Less(t, strings.Count(string(data), "\nBenchmarkWork"), 30, "stops before the round limit")
	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	assert.Contains(t, string(md), "### sequential gate ❌ FAIL")
}

// Identical revisions never fail; with a round limit too small to show
// equivalence they end inconclusive (exit 3), saying why each row is open.
func TestSequentialOpenRowsAreInconclusive(t *testing.T) {
	repo := interleavetest.NewRepo(t, 10000, 10000)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{
		"-C", repo, "-base", "HEAD", "-pkg", interleavetest.Pkg, "-bench", "Work", "-benchtime", "10x",
		"-budget", "5m", "-max-rounds", "2", "-benchstat", "", "-out", out, "-format", "json",
	}, &stdout, &stderr)
	require.Equal(t, exitInconclusive, code, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	var v struct {
		Exit    int
		Verdict string
		Rows    []struct {
			Name, Verdict string
			Rounds        int
			WhyOpen       string   `json:"why_open"`
			LoPct         *float64 `json:"lo_pct"`
		}
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &v), stdout.String())
	assert.Equal(t, exitInconclusive, v.Exit)
	assert.Equal(t, "INCONCLUSIVE (exit 3): 1 of 1 benchmarks still open when the -max-rounds 2 reached; inconclusive is not a pass", v.Verdict)
	require.Len(t, v.Rows, 1)
	assert.Equal(t, "open", v.Rows[0].Verdict)
	assert.Equal(t, 2, v.Rows[0].Rounds)
	assert.Equal(t, "2 of the 3 rounds needed before a decision", v.Rows[0].WhyOpen)
	assert.Nil(t, v.Rows[0].LoPct, "no bound from 2 rounds")
	assert.Contains(t, stderr.String(), "compare: round 2 (")
}

// Results of different machines are refused (exit 2), as by benchgate.
func TestSequentialRefusesOtherMachine(t *testing.T) {
	repo := interleavetest.NewRepo(t, 1000, 1000)
	// The new revision claims another CPU in its configuration.
	src, err := os.ReadFile(filepath.Join(repo, "bench", "bench_test.go"))
	require.NoError(t, err)
	interleavetest.WriteFile(t, filepath.Join(repo, "bench", "bench_test.go"),
		strings.Replace(string(src), `os.Exit(m.Run())`, `fmt.Println("mem-total-bytes: 1"); os.Exit(m.Run())`, 1))
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{
		"-C", repo, "-base", "HEAD", "-pkg", interleavetest.Pkg, "-bench", "Work", "-benchtime", "10x",
		"-budget", "5m", "-max-rounds", "3", "-benchstat", "", "-out", t.TempDir(),
	}, &stdout, &stderr)
	require.Equal(t, exitError, code, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	assert.Contains(t, stderr.String(), "old and new ran on different machines")
}

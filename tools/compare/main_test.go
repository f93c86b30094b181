package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/interleave/interleavetest"
)

// A new revision doing three times the work per iteration (0.1 ms → 0.3 ms,
// long enough that a loaded 2-core machine's preemptions average out) must be
// reported by benchstat and fail benchgate's gate.
func TestCompareCatchesSlowdown(t *testing.T) {
	repo := interleavetest.NewRepo(t, 100000, 300000)
	out := t.TempDir()
	summary := filepath.Join(t.TempDir(), "summary.md")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{
		"-C", repo, "-base", "HEAD", "-pkg", interleavetest.Pkg, "-bench", "Work", "-benchtime", "100x", "-count", "6", "-budget", "0",
		"-out", out, "-summary", summary, "--", "-label", "x",
	}, &stdout, &stderr)
	require.Equal(t, exitFail, code, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	status, err := os.ReadFile(filepath.Join(out, "exit-status"))
	require.NoError(t, err)
	assert.Equal(t, "1\n", string(status))

	// benchstat's table, from the real benchstat.
	assert.Contains(t, stdout.String(), "vs base")
	assert.Regexp(t, `Work\S*\s+\S+ ± \S+\s+\S+ ± \S+\s+\+\d+\.\d+% \(p=0\.\d+ n=6\)`, stdout.String())
	// benchgate's verdict.
	assert.Regexp(t, `Work\S*\s+.*6\+6\s+6\+6\s+run medians\s+slower FAIL`, stdout.String())
	assert.Contains(t, stdout.String(), "FAIL (exit 1): 1 regression(s) beyond 5%")
	// Both stages are reported: the confirm stage re-ran only Work.
	assert.Contains(t, stdout.String(), "compare: confirm stage: re-running the 1 flagged benchmark row(s) (-bench ^(BenchmarkWork)$)")
	assert.Equal(t, 2, strings.Count(stdout.String(), "FAIL (exit 1)"), stdout.String())
	assert.Contains(t, stdout.String(), "compare: the confirm stage confirmed the regression (exit 1)")

	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	assert.Contains(t, string(md), "### benchgate ❌ FAIL")
	assert.Contains(t, string(md), "## confirm stage")

	for _, f := range []string{"old.txt", "new.txt", "confirm/old.txt", "confirm/new.txt"} {
		data, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assert.Equal(t, 6, strings.Count(string(data), "\nBenchmarkWork"), f)
		assert.Contains(t, string(data), "label: x\n", f)
		assert.Contains(t, string(data), "run: 6/", f)
	}
	assert.Contains(t, stderr.String(), "round 6/6: old")
}

func TestCompareExitStatus(t *testing.T) {
	repo := interleavetest.NewRepo(t, 10, 10)
	tests := []struct {
		name   string
		args   []string
		code   int
		want   string // in stderr
		status bool   // written to exit-status
	}{
		{"base without the package", []string{"-base", "HEAD~1"}, exitPass, "nothing to compare: ./bench at HEAD~1", true},
		{"one round cannot judge", []string{"-base", "HEAD"}, exitInconclusive, "round 1/1: new", true},
		{"missing -base", nil, exitError, "-base is required", false},
		{"unknown base", []string{"-base", "nope"}, exitError, `base "nope"`, true},
		{"bad format", []string{"-base", "HEAD", "-format", "yaml"}, exitError, `-format "yaml"`, false},
		{"bad flag", []string{"-base", "HEAD", "-count", "x"}, exitError, "invalid value", false},
		{"benchmark failure", []string{"-base", "HEAD", "--", "-label", "fail"}, exitError, "benchmark run failed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"-C", repo, "-pkg", interleavetest.Pkg, "-benchtime", "1x", "-count", "1", "-budget", "0", "-benchstat", "", "-out", out}, tt.args...)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			assert.Equal(t, tt.code, code, "stderr: %s", &stderr)
			assert.Contains(t, stderr.String(), tt.want)
			status, err := os.ReadFile(filepath.Join(out, "exit-status"))
			if !tt.status {
				assert.ErrorIs(t, err, os.ErrNotExist)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("%d\n", tt.code), string(status))
		})
	}
}

// The Makefile fragment passes its variables through to this command.
func TestMakeFragment(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed")
	}
	cmd := exec.Command(mk, "-n", "-f", "compare.mk", "compare", "BASE=origin/main", "COMPARE_DEPS=",
		"COMPARE_BENCH=Prefill", "COMPARE_COUNT=20", "COMPARE_TAGS=cuda,tensorrt", "COMPARE_ARGS=-model gpt2-tiny",
		"COMPARE_FLAGS=-format markdown")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	got := strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\\\n", " ")), " ")
	assert.Contains(t, got, "go build -o 'bin/compare' ./tools/compare")
	assert.Contains(t, got, "'bin/compare' -base 'origin/main' -pkg './benchmarks' -bench 'Prefill' -benchtime '' -count '20' -budget '10m' -tags 'cuda,tensorrt' -out 'out/compare' -format markdown -- -model gpt2-tiny")
	assert.Contains(t, got, "raise COMPARE_BUDGET")

	cmd = exec.Command(mk, "-f", "compare.mk", "compare", "COMPARE_DEPS=")
	out, err = cmd.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "usage: make compare BASE=<git ref>")
}

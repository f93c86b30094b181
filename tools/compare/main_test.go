package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/interleave/interleavetest"
)

// A new revision doing three times the work per iteration must be
// reported by benchstat and fail benchgate's gate.
func TestCompareCatchesSlowdown(t *testing.T) {
	repo := interleavetest.NewRepo(t, 2000, 6000)
	out := t.TempDir()
	summary := filepath.Join(t.TempDir(), "summary.md")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{
		"-C", repo, "-base", "HEAD", "-pkg", interleavetest.Pkg, "-bench", "Work", "-benchtime", "200x", "-count", "6",
		"-out", out, "-summary", summary, "--", "-label", "x",
	}, &stdout, &stderr)
	require.Equal(t, exitFail, code, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)

	// benchstat's table, from the real benchstat.
	assert.Contains(t, stdout.String(), "vs base")
	assert.Regexp(t, `Work\S*\s+\S+ ± \S+\s+\S+ ± \S+\s+\+\d+\.\d+% \(p=0\.\d+ n=6\)`, stdout.String())
	// benchgate's verdict.
	assert.Regexp(t, `Work\S*\s+.*slower FAIL`, stdout.String())
	assert.Contains(t, stdout.String(), "FAIL: 1 regression(s) beyond 5%")

	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	assert.Contains(t, string(md), "### benchgate ❌ FAIL")

	for _, f := range []string{"old.txt", "new.txt"} {
		data, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assert.Equal(t, 6, strings.Count(string(data), "\nBenchmarkWork"), f)
		assert.Contains(t, string(data), "label: x\n", f)
	}
	assert.Contains(t, stderr.String(), "round 6/6: old")
}

func TestCompareExitStatus(t *testing.T) {
	repo := interleavetest.NewRepo(t, 10, 10)
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"base without the package", []string{"-base", "HEAD~1"}, exitPass, "nothing to compare: ./bench at HEAD~1"},
		{"missing -base", nil, exitError, "-base is required"},
		{"unknown base", []string{"-base", "nope"}, exitError, `base "nope"`},
		{"bad format", []string{"-base", "HEAD", "-format", "yaml"}, exitError, `-format "yaml"`},
		{"bad flag", []string{"-base", "HEAD", "-count", "x"}, exitError, "invalid value"},
		{"benchmark failure", []string{"-base", "HEAD", "--", "-label", "fail"}, exitError, "benchmark run failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-C", repo, "-pkg", interleavetest.Pkg, "-benchtime", "1x", "-count", "1", "-benchstat", "", "-out", t.TempDir()}, tt.args...)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			assert.Equal(t, tt.code, code, "stderr: %s", &stderr)
			assert.Contains(t, stderr.String(), tt.want)
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
	assert.Contains(t, got, "go run ./tools/compare -base 'origin/main' -pkg './benchmarks' -bench 'Prefill' -benchtime '' -count '20' -tags 'cuda,tensorrt' -out 'out/compare' -format markdown -- -model gpt2-tiny")

	cmd = exec.Command(mk, "-f", "compare.mk", "compare", "COMPARE_DEPS=")
	out, err = cmd.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "usage: make compare BASE=<git ref>")
}

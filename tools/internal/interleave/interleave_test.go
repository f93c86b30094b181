package interleave_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/interleave"
	"github.com/inferbench/inferbench/tools/internal/interleave/interleavetest"
)

func TestRunInterleaves(t *testing.T) {
	repo := interleavetest.NewRepo(t, 100, 100)
	out := t.TempDir()
	order := filepath.Join(t.TempDir(), "order")
	var log bytes.Buffer
	res, err := interleave.Run(context.Background(), interleave.Options{
		Dir: repo, Base: "HEAD", Pkg: interleavetest.Pkg, Bench: "Work", Benchtime: "10x", Count: 4,
		OutDir: out, Args: []string{"-label", "hello", "-order", order}, Log: &log,
	})
	require.NoError(t, err, log.String())
	assert.Equal(t, interleavetest.Git(t, repo, "rev-parse", "HEAD"), res.BaseRev)

	got, err := os.ReadFile(order)
	require.NoError(t, err)
	assert.Equal(t, "old\nnew\nnew\nold\nold\nnew\nnew\nold\n", string(got), "A B B A rounds")

	for _, path := range []string{res.Old, res.New} {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, 4, strings.Count(string(data), "\nBenchmarkWork"), path)
		assert.Equal(t, 4, strings.Count(string(data), "label: hello\n"), path)
		side := strings.TrimSuffix(filepath.Base(path), ".txt")
		for round := 1; round <= 4; round++ {
			assert.Contains(t, string(data), fmt.Sprintf("run: %d/%s\n", round, side), path)
		}
	}
	assert.Equal(t, filepath.Join(out, "old.txt"), res.Old)
	assert.Contains(t, log.String(), "round 4/4")

	// The temporary worktree is gone again.
	assert.Equal(t, 1, strings.Count(interleavetest.Git(t, repo, "worktree", "list"), "\n")+1)
}

// One build, two stages: the second runs a subset into its own directory.
func TestBuildStages(t *testing.T) {
	repo := interleavetest.NewRepo(t, 10, 10)
	b, err := interleave.Build(context.Background(), interleave.Options{Dir: repo, Base: "HEAD", Pkg: interleavetest.Pkg, Benchtime: "1x", Count: 2, OutDir: t.TempDir()})
	require.NoError(t, err)
	defer b.Close()
	first, err := b.Run(context.Background(), interleave.Stage{})
	require.NoError(t, err)
	confirm := filepath.Join(t.TempDir(), "confirm")
	second, err := b.Run(context.Background(), interleave.Stage{Bench: "^BenchmarkWork$", Count: 3, OutDir: confirm})
	require.NoError(t, err)
	assert.NotEqual(t, first.Old, second.Old)
	data, err := os.ReadFile(second.New)
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(string(data), "\nBenchmarkWork"))
	assert.Contains(t, string(data), "run: 3/new\n")
}

func TestRunErrors(t *testing.T) {
	repo := interleavetest.NewRepo(t, 10, 10)
	broken := interleavetest.NewRepo(t, 10, 10)
	interleavetest.WriteFile(t, filepath.Join(broken, "bench", "bench_test.go"), "package bench\n\nfunc broken( {\n")
	base := interleave.Options{Base: "HEAD", Pkg: interleavetest.Pkg, Benchtime: "1x", Count: 1}
	tests := []struct {
		name    string
		edit    func(*interleave.Options)
		wantErr error
		want    string
	}{
		{"no package at base", func(o *interleave.Options) { o.Dir, o.Base = repo, "HEAD~1" }, interleave.ErrNoBasePackage, "./bench at HEAD~1"},
		{"unknown base", func(o *interleave.Options) { o.Dir, o.Base = repo, "no-such-ref" }, interleave.ErrGit, `base "no-such-ref"`},
		{"not a repository", func(o *interleave.Options) { o.Dir = t.TempDir() }, interleave.ErrGit, "rev-parse --show-toplevel"},
		{"build failure", func(o *interleave.Options) { o.Dir = broken }, interleave.ErrBuild, "new: go test -c"},
		{"run failure", func(o *interleave.Options) { o.Dir, o.Args = repo, []string{"-label", "fail"} }, interleave.ErrRun, "FAIL: told to"},
		{"import path", func(o *interleave.Options) { o.Dir, o.Pkg = repo, "bench" }, nil, "want a relative directory"},
		{"no base", func(o *interleave.Options) { o.Dir, o.Base = repo, "" }, nil, "no base revision"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			o.OutDir = t.TempDir()
			tt.edit(&o)
			_, err := interleave.Run(context.Background(), o)
			require.Error(t, err)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestBenchRegexp(t *testing.T) {
	tests := []struct {
		names []string
		want  string
	}{
		{[]string{"Work-8"}, "^(BenchmarkWork)$"},
		{[]string{"Work"}, "^(BenchmarkWork)$"},
		{[]string{"Prefill/backend=ort-cpu/scenario=batch_short-2", "Prefill/backend=reference/scenario=batch_short-2", "SessionCreate/backend=ort-cpu-2"},
			"^(BenchmarkPrefill|BenchmarkSessionCreate)$/^(backend=ort-cpu|backend=reference)$/^(scenario=batch_short)$"},
		{[]string{"A/x=1.5"}, `^(BenchmarkA)$/^(x=1\.5)$`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, interleave.BenchRegexp(tt.names), "%v", tt.names)
	}
}

package workflowlint_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/workflowlint"
)

// TestWorkflows lints the repository's own workflows.
func TestWorkflows(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	var out bytes.Buffer
	errs, err := workflowlint.Lint(&out, repo)
	require.NoError(t, err)
	assert.Empty(t, errs, "actionlint:\n%s", out.String())
}

// The linter must catch what it is there for: an unknown runner label, an
// undefined job dependency and a mistyped expression.
func TestCatchesMistakes(t *testing.T) {
	repo := t.TempDir()
	write := func(path, content string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	write(filepath.Join(repo, ".github", "actionlint.yaml"), "self-hosted-runner:\n  labels: [cpu]\n")
	write(filepath.Join(repo, ".github", "workflows", "bad.yml"), `on: push
jobs:
  a:
    runs-on: [self-hosted, gpu-nvidia]
    steps:
      - run: echo ${{ github.event.pull_request.nonexistent.sha }}
  b:
    needs: c
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ matrix.runner }}
`)
	var out bytes.Buffer
	errs, err := workflowlint.Lint(&out, repo)
	require.NoError(t, err)
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Message)
	}
	all := strings.Join(msgs, "\n")
	assert.Contains(t, all, `label "gpu-nvidia" is unknown`)
	assert.Contains(t, all, `job "b" needs job "c" which does not exist`)
	assert.Contains(t, all, `property "runner" is not defined`)
}

func TestNoWorkflows(t *testing.T) {
	_, err := workflowlint.Lint(&bytes.Buffer{}, t.TempDir())
	assert.ErrorIs(t, err, os.ErrNotExist)
}

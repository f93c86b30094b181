package gate_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

// allowMissing are the default options with -allow-missing: tests that
// show rows only in old.
var allowMissing = func() gate.Options { o := gate.DefaultOptions; o.AllowMissing = true; return o }()

// A benchmark of the old input that the new one lacks is ErrVanished,
// naming it and its old file:line; -allow-missing reports it as only in
// old and compares the rest.
func TestVanished(t *testing.T) {
	old := strings.Repeat("goos: linux\nBenchmarkA 1 100 ns/op\nBenchmarkGone 1 200 ns/op 3 allocs/op\n", 5)
	new := strings.Repeat("goos: linux\nBenchmarkA 1 100 ns/op\n", 5)
	_, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
	require.ErrorIs(t, err, gate.ErrVanished)
	assert.Contains(t, err.Error(), "BenchmarkGone sec/op (old.txt:3)")
	assert.Contains(t, err.Error(), "BenchmarkGone allocs/op (old.txt:3)")
	assert.Contains(t, err.Error(), "-allow-missing")

	rep, err := evaluate(t, allowMissing, benchdata.Options{}, old, new)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Count(gate.OnlyOld))

	// Only in new is an addition, not lost evidence.
	_, err = evaluate(t, gate.DefaultOptions, benchdata.Options{}, new, old)
	assert.NoError(t, err)
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/chart"
)

const fixtures = "../internal/report/testdata/"

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run([]string{"-o", dir, fixtures + "bench.txt", fixtures + "accuracy.json"}, &out, &errb)
	assert.Equal(t, 0, code, "%s%s", out.String(), errb.String())
	assert.Contains(t, out.String(), "VALID")
	assert.FileExists(t, filepath.Join(dir, "report.md"))
	assert.NoError(t, chart.Verify(filepath.Join(dir, "latency.png")))

	// INVALID: the report is written, the exit status says so.
	acc, err := os.ReadFile(fixtures + "accuracy.json")
	require.NoError(t, err)
	seeded := filepath.Join(t.TempDir(), "seeded.json")
	require.NoError(t, os.WriteFile(seeded, bytes.Replace(acc, []byte(`"trained"`), []byte(`"seeded"`), 1), 0o644))
	out.Reset()
	code = run([]string{"-o", dir, "-baseline", "reference", fixtures + "bench.txt", seeded}, &out, &errb)
	assert.Equal(t, 1, code, out.String())
	assert.Contains(t, out.String(), "accuracy claimed for seeded weights")

	for _, args := range [][]string{{fixtures + "bench.txt"}, {"-o", dir}, {"-o", dir, "missing.txt"}, {"-o", dir, "-baseline", "nope", fixtures + "bench.txt"}} {
		errb.Reset()
		assert.Equal(t, 2, run(args, &out, &errb), "%v", args)
	}
}

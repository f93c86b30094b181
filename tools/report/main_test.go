package main

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

var update = flag.Bool("update", false, "regenerate testdata/example")

// The README's example stays what the tool makes of its inputs: eight real
// benchmark processes and an accuracy gate run on the development machine.
func TestExample(t *testing.T) {
	const ex = "testdata/example/"
	dir := t.TempDir()
	if *update {
		dir = ex
	}
	var out, errb bytes.Buffer
	code := run([]string{"-o", dir, ex + "runs.txt", ex + "acc.json"}, &out, &errb)
	require.Equal(t, 0, code, "%s%s", out.String(), errb.String())
	got, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	// The committed report names its inputs relative to the example.
	stripped := strings.ReplaceAll(string(got), ex, "")
	if *update {
		require.NoError(t, os.WriteFile(ex+"report.md", []byte(stripped), 0o644))
	}
	want, err := os.ReadFile(ex + "report.md")
	require.NoError(t, err)
	assert.Equal(t, string(want), stripped)
	for _, png := range []string{"latency.png", "throughput.png"} {
		assert.NoError(t, chart.Verify(filepath.Join(dir, png)))
		assert.NoError(t, chart.Verify(ex+png))
	}
}

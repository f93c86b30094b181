package benchdata_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

func TestReadRecords(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	require.NoError(t, os.WriteFile(a, []byte(`cpu: X
Unit tok/s better=higher
# skip BenchmarkPrefill/backend=gpu: no GPU here
BenchmarkPrefill/backend=cpu/scenario=s-8 10 100 ns/op 5 tok/s
degraded: fell back to fp32
BenchmarkPrefill/backend=fp16/scenario=s-8 10 90 ns/op 1 degraded
`), 0o644))
	rs, err := benchdata.ReadRecords(a)
	require.NoError(t, err)
	require.Len(t, rs.Records, 2)
	assert.Equal(t, "X", rs.Records[0].GetConfig("cpu"))
	assert.Empty(t, rs.Records[0].Degraded)
	assert.Equal(t, []string{"fell back to fp32", "metric degraded=1"}, rs.Records[1].Degraded)
	assert.Equal(t, []benchdata.Skip{{File: a, Benchmark: "Prefill/backend=gpu", Reason: "no GPU here"}}, rs.Skips)
	assert.Equal(t, 1, rs.Units.GetBetter("tok/s"))

	bad := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte("BenchmarkA 1 NaN ns/op\nBenchmarkB x 1 ns/op\n"), 0o644))
	_, err = benchdata.ReadRecords(bad)
	assert.ErrorIs(t, err, benchdata.ErrSyntax)
	assert.ErrorContains(t, err, "bad.txt:1")
	assert.ErrorContains(t, err, "bad.txt:2")

	empty := filepath.Join(dir, "empty.txt")
	require.NoError(t, os.WriteFile(empty, []byte("cpu: X\n"), 0o644))
	_, err = benchdata.ReadRecords(empty)
	assert.ErrorIs(t, err, benchdata.ErrNoResults)
	_, err = benchdata.ReadRecords(filepath.Join(dir, "missing.txt"))
	assert.ErrorContains(t, err, "missing.txt")
}

// FuzzReadRecords: any file content is either rejected with an error or
// read into records whose values are all finite.
func FuzzReadRecords(f *testing.F) {
	f.Add([]byte("cpu: X\n# skip BenchmarkA/backend=b: why\nBenchmarkA/backend=b-8 1 2 ns/op 3 tok/s\n"))
	f.Add([]byte("# skip \n# skip BenchmarkB\nBenchmarkA 1 NaN ns/op\n"))
	f.Add([]byte("degraded: x\nBenchmarkA/degraded=y 1 1 degraded\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// ParseRecords, not ReadRecords: files per input slow the
		// fuzzing workers to a crawl.
		rs, err := benchdata.ParseRecords("in.txt", data)
		if err != nil {
			return
		}
		for _, r := range rs.Records {
			for _, v := range r.Values {
				if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
					t.Fatalf("non-finite value accepted: %v", v)
				}
			}
		}
	})
}

// Records tell runs apart as Collection.Read does: by header block, or by
// "run:" stamps.
func TestReadRecordsRuns(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "runs.txt")
	const block = "goos: linux\ncpu: X\nBenchmarkA 1 1 ns/op\nBenchmarkA 1 2 ns/op\n"
	require.NoError(t, os.WriteFile(p, []byte(block+block+"run: r9\nBenchmarkA 1 3 ns/op\n"), 0o644))
	rs, err := benchdata.ReadRecords(p)
	require.NoError(t, err)
	var runs []int
	for _, r := range rs.Records {
		runs = append(runs, r.Run)
	}
	assert.Equal(t, []int{0, 0, 1, 1, 2}, runs)
	require.Len(t, rs.Runs, 3)
	assert.Equal(t, "r9", rs.Runs[2].Label)
	assert.True(t, benchdata.IsMachineKey("cpu"))
	assert.False(t, benchdata.IsMachineKey("commit"))
}

package benchdata_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

// Degenerate values and truncated last lines are errors naming file and
// line; whole last lines without a newline, zero counts and tiny but
// normal values are read.
func TestDegenerateAndTruncated(t *testing.T) {
	const ok = "BenchmarkA 1 5 ns/op 64 B/op\n"
	tests := []struct {
		input string
		want  error  // nil: accepted
		where string // file:line in the message
	}{
		{"BenchmarkA 1 1e-320 ns/op\n", benchdata.ErrDegenerate, "in.txt:1"},
		{ok + "BenchmarkA 1 1e-300 ns/op\n", benchdata.ErrDegenerate, "in.txt:2"},
		{"BenchmarkA 1 1e305 MB/s\n", benchdata.ErrDegenerate, "in.txt:1"},
		{"BenchmarkA 1 1e200 ns/op\n", benchdata.ErrDegenerate, "in.txt:1"},
		{"BenchmarkA 1 0 ns/op\n", benchdata.ErrDegenerate, "in.txt:1"},
		{"BenchmarkA 1 0 p50-ms\n", benchdata.ErrDegenerate, "in.txt:1"},
		{ok + ok + "BenchmarkA 1 5 ns/o", benchdata.ErrTruncated, "in.txt:3"},
		{ok + "BenchmarkA 1 5 ns/op", benchdata.ErrTruncated, "in.txt:2"},
		{ok + "BenchmarkA 1 5", benchdata.ErrTruncated, "in.txt:2"},
		{"BenchmarkA 1 5 ns/op", benchdata.ErrTruncated, "in.txt:1"},
		{ok + "BenchmarkA 1 5 ns/op 64 B/op", nil, ""},
		{ok + "PASS", nil, ""},
		{"BenchmarkA 1 0.0001 ns/op 0 B/op 0 allocs/op\n", nil, ""},
		{"BenchmarkA 1 5 ns/op -2 overhead-%\n", nil, ""},
	}
	for _, tt := range tests {
		c, err := benchdata.NewCollection(benchdata.Options{})
		require.NoError(t, err)
		err = c.Read(benchdata.Old, strings.NewReader(tt.input), "in.txt")
		if tt.want == nil {
			assert.NoError(t, err, "%q", tt.input)
			continue
		}
		require.ErrorIs(t, err, tt.want, "%q", tt.input)
		assert.ErrorIs(t, err, benchdata.ErrSyntax)
		assert.Contains(t, err.Error(), tt.where, "%q", tt.input)
		_, err = benchdata.ParseRecords("in.txt", []byte(tt.input))
		assert.ErrorIs(t, err, tt.want, "records: %q", tt.input)
	}
}

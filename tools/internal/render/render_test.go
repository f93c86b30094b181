package render_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
	"github.com/inferbench/inferbench/tools/internal/render"
)

func report(t testing.TB, old, new string) (*gate.Report, error) {
	c, err := benchdata.NewCollection(benchdata.Options{})
	require.NoError(t, err)
	if err := errors.Join(c.Read(benchdata.Old, strings.NewReader(old), "old"), c.Read(benchdata.New, strings.NewReader(new), "new")); err != nil {
		return nil, err
	}
	o := gate.DefaultOptions
	o.AllowMissing = true // the tests render rows only in old
	return gate.Evaluate(c, o)
}

// Zero old values make Δ infinite and constant samples make d infinite;
// missing sides leave statistics undefined. JSON must stay valid. Each
// header block is one process: five runs per side.
func TestJSONNonFinite(t *testing.T) {
	old := strings.Repeat("goos: linux\nBenchmarkZero 1 0 allocs/op\nBenchmarkConst 1 5 B/op\nBenchmarkOld 1 1 ns/op\n", 5)
	new := strings.Repeat("goos: linux\nBenchmarkZero 1 2 allocs/op\nBenchmarkConst 1 6 B/op\n", 5)
	rep, err := report(t, old, new)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, render.JSON(&buf, rep))
	var got struct {
		Failed bool
		Exit   int
		Rows   []map[string]any
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got), buf.String())
	require.Len(t, got.Rows, 3)
	byName := map[string]map[string]any{}
	for _, r := range got.Rows {
		byName[r["name"].(string)] = r
	}
	assert.Equal(t, "+Inf", byName["Zero"]["delta_pct"])
	assert.Equal(t, "+Inf", byName["Const"]["cohen_d"])
	assert.Nil(t, byName["Old"]["p"])
	assert.Nil(t, byName["Old"]["new"])
	assert.Equal(t, "only_old", byName["Old"]["verdict"])
	assert.True(t, got.Failed)
	assert.Equal(t, 1, got.Exit)
	assert.EqualValues(t, 5, byName["Const"]["old"].(map[string]any)["runs"])
	assert.Equal(t, "run_medians", byName["Const"]["basis"])
	assert.True(t, math.IsInf(rep.Rows[0].Delta, 1))
}

// written evaluates old against new and writes the report with write.
func written(t *testing.T, write func(io.Writer, *gate.Report) error, old, new string) string {
	t.Helper()
	rep, err := report(t, old, new)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, write(&buf, rep))
	return buf.String()
}

func TestMarkdownEscapes(t *testing.T) {
	in := strings.Repeat("BenchmarkA/x=a|b_c 1 1 ns/op\n", 4)
	out := written(t, render.Markdown, in, in)
	assert.Contains(t, out, `| A/x=a\|b\_c |`)
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| A") {
			assert.Equal(t, 13, strings.Count(line, "|")-strings.Count(line, `\|`), line)
		}
	}
}

func TestDurations(t *testing.T) {
	old := strings.Repeat("goos: linux\nBenchmarkA 1 5342000 ns/op 812 p50-us 0.5 p99-sec\n", 5)
	out := written(t, render.Text, old, old)
	for _, want := range []string{"5.342 ms ± ", "812.0 µs ± ", "500.0 ms ± "} {
		assert.Contains(t, out, want)
	}
}

// FuzzParseAndRender runs arbitrary input through reading, evaluation and
// every output format: errors are fine, panics and invalid JSON are not.
func FuzzParseAndRender(f *testing.F) {
	f.Add([]byte("BenchmarkA 1 1 ns/op\nBenchmarkA 1 2 ns/op\nBenchmarkA 1 3 ns/op\nBenchmarkA 1 4 ns/op\n"), []byte("BenchmarkA 1 9 ns/op\n"))
	f.Add([]byte("Unit x assume=exact\nBenchmarkA 1 0 x\n"), []byte("Unit x assume=exact\nBenchmarkA 1 -1 x\ndegraded: y\nBenchmarkB 1 1e300 x\n"))
	f.Add([]byte("BenchmarkA 1 1 ns/op 1 degraded\n"), []byte("BenchmarkA/degraded 1 -0 ns/op\n"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		rep, err := report(t, string(old), string(new))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := render.Text(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if err := render.Markdown(&buf, rep); err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		if err := render.JSON(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(buf.Bytes()) {
			t.Fatalf("invalid JSON: %s", buf.Bytes())
		}
	})
}

package benchdata_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

func read(t *testing.T, o benchdata.Options, old, new string) *benchdata.Collection {
	t.Helper()
	c, err := benchdata.NewCollection(o)
	require.NoError(t, err)
	require.NoError(t, c.Read(benchdata.Old, strings.NewReader(old), "old.txt"))
	require.NoError(t, c.Read(benchdata.New, strings.NewReader(new), "new.txt"))
	return c
}

func TestReadMalformed(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string // each error names file and line
	}{
		{"missing measurements", "BenchmarkA 10\n", []string{"bad.txt:1: missing measurements"}},
		{"bad iteration count", "goos: linux\nBenchmarkA x 1 ns/op\n", []string{"bad.txt:2: parsing iteration count"}},
		{"missing unit", "BenchmarkA 1 2 ns/op 3\n", []string{"bad.txt:1: missing units"}},
		{"bad value", "BenchmarkA 1 2x ns/op\n", []string{"bad.txt:1: parsing measurement"}},
		{"bad unit metadata", "Unit ns/op better\nBenchmarkA 1 2 ns/op\n", []string{"bad.txt:1: expected key=value"}},
		{"nan", "BenchmarkA 1 2 ns/op\nBenchmarkA 1 NaN ns/op\n", []string{"bad.txt:2: BenchmarkA: non-finite value NaN ns/op"}},
		{"inf", "BenchmarkA 1 +Inf tok/s\n", []string{"bad.txt:1: BenchmarkA: non-finite value +Inf tok/s"}},
		{"every error", "BenchmarkA 1 1 ns/op\nBenchmarkA 10\nok\nBenchmarkA 1 2 ns/op 3\n",
			[]string{"bad.txt:2: missing measurements", "bad.txt:4: missing units"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := benchdata.NewCollection(benchdata.Options{})
			require.NoError(t, err)
			err = c.Read(benchdata.Old, strings.NewReader(tt.input), "bad.txt")
			require.ErrorIs(t, err, benchdata.ErrSyntax)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Equal(t, len(tt.want), strings.Count(err.Error(), "bad.txt:"))
		})
	}
}

func TestReadNoResults(t *testing.T) {
	c, err := benchdata.NewCollection(benchdata.Options{})
	require.NoError(t, err)
	err = c.Read(benchdata.New, strings.NewReader("goos: linux\nPASS\nok  \tpkg\t0.1s\n"), "empty.txt")
	require.ErrorIs(t, err, benchdata.ErrNoResults)
	assert.Contains(t, err.Error(), "empty.txt")
}

func TestReadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	bad := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(good, []byte("BenchmarkA 1 2 ns/op\n"), 0o644))
	require.NoError(t, os.WriteFile(bad, []byte("BenchmarkA 1 2 ns/op\nBenchmarkA 1\n"), 0o644))

	c, err := benchdata.ReadFiles(benchdata.Options{}, []string{good}, []string{good})
	require.NoError(t, err)
	assert.Len(t, c.Series(), 1)

	_, err = benchdata.ReadFiles(benchdata.Options{}, []string{good}, []string{bad})
	require.ErrorIs(t, err, benchdata.ErrSyntax)
	assert.Contains(t, err.Error(), bad+":2: missing measurements")

	_, err = benchdata.ReadFiles(benchdata.Options{}, []string{filepath.Join(dir, "missing.txt")}, []string{good})
	require.ErrorIs(t, err, os.ErrNotExist)

	_, err = benchdata.ReadFiles(benchdata.Options{}, []string{good}, nil)
	require.ErrorIs(t, err, benchdata.ErrNoResults)
}

// Several files per side add up, and each starts with a fresh
// configuration: a key of the first file does not leak into the second.
func TestReadFilesPairs(t *testing.T) {
	dir := t.TempDir()
	paths := map[string]string{}
	for name, content := range map[string]string{
		"cpu-old": "runner: cpu\ngpu-driver: none\nBenchmarkA 1 1 ns/op\n",
		"cpu-new": "runner: cpu\ngpu-driver: none\nBenchmarkA 1 2 ns/op\n",
		"gpu-old": "runner: gpu\nBenchmarkA 1 3 ns/op\n",
		"gpu-new": "runner: gpu\nBenchmarkA 1 4 ns/op\n",
		"empty":   "PASS\n",
	} {
		paths[name] = filepath.Join(dir, name+".txt")
		require.NoError(t, os.WriteFile(paths[name], []byte(content), 0o644))
	}
	c, err := benchdata.ReadFiles(benchdata.Options{Table: "runner"}, []string{paths["cpu-old"], paths["gpu-old"]}, []string{paths["cpu-new"], paths["gpu-new"]})
	require.NoError(t, err)
	assert.Equal(t, []string{paths["cpu-old"], paths["gpu-old"]}, c.Files[benchdata.Old])
	var got []string
	for _, s := range c.Series() {
		got = append(got, s.Table())
		assert.Empty(t, s.Varies(benchdata.Old), "gpu-driver leaked from the cpu file")
	}
	assert.Equal(t, []string{"runner:cpu", "runner:gpu"}, got)

	_, err = benchdata.ReadFiles(benchdata.Options{}, []string{paths["cpu-old"], paths["empty"]}, []string{paths["cpu-new"]})
	require.ErrorIs(t, err, benchdata.ErrNoResults)
	assert.Contains(t, err.Error(), paths["empty"])
}

func TestOptionsErrors(t *testing.T) {
	for _, o := range []benchdata.Options{
		{Table: "/x@("},
		{Row: ".unit"},
		{Filter: "a:("},
	} {
		_, err := benchdata.NewCollection(o)
		assert.ErrorIs(t, err, benchdata.ErrOption, "%+v", o)
	}
}

const twoBackends = `goos: linux
commit: %s
BenchmarkPrefill/backend=cpu/scenario=short-8  10  100 ns/op  80 tok/s  4 allocs/op
BenchmarkPrefill/backend=gpu/scenario=short-8  10   50 ns/op 160 tok/s  4 allocs/op
BenchmarkPrefill/backend=cpu/scenario=long-8   10  900 ns/op  70 tok/s  4 allocs/op
BenchmarkSessionCreate/backend=cpu-8           10 5000 ns/op
`

func TestGrouping(t *testing.T) {
	old := strings.ReplaceAll(twoBackends, "%s", "aaa")
	new := strings.ReplaceAll(twoBackends, "%s", "bbb")
	tests := []struct {
		name string
		o    benchdata.Options
		want []string // table|row|unit
	}{
		{"default", benchdata.Options{Ignore: []string{"commit"}}, []string{
			"|Prefill/backend=cpu/scenario=short-8|sec/op", "|Prefill/backend=gpu/scenario=short-8|sec/op",
			"|Prefill/backend=cpu/scenario=long-8|sec/op", "|SessionCreate/backend=cpu-8|sec/op",
			"|Prefill/backend=cpu/scenario=short-8|tok/s", "|Prefill/backend=gpu/scenario=short-8|tok/s",
			"|Prefill/backend=cpu/scenario=long-8|tok/s",
			"|Prefill/backend=cpu/scenario=short-8|allocs/op", "|Prefill/backend=gpu/scenario=short-8|allocs/op",
			"|Prefill/backend=cpu/scenario=long-8|allocs/op",
		}},
		{"table and row keys", benchdata.Options{Table: "/backend", Row: "/scenario", Bench: regexp.MustCompile(`^Prefill`), Unit: regexp.MustCompile(`^ns/op$`)}, []string{
			"/backend:cpu|short|sec/op", "/backend:cpu|long|sec/op", "/backend:gpu|short|sec/op",
		}},
		{"filter and tidied unit", benchdata.Options{Filter: "/backend:gpu", Unit: regexp.MustCompile(`sec/op|tok`)}, []string{
			"|Prefill/backend=gpu/scenario=short-8|sec/op", "|Prefill/backend=gpu/scenario=short-8|tok/s",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := read(t, tt.o, old, new)
			var got []string
			for _, s := range c.Series() {
				got = append(got, s.Table()+"|"+s.Name()+"|"+s.Key.Unit)
				assert.Len(t, s.Values[benchdata.Old], 1)
				assert.Len(t, s.Values[benchdata.New], 1)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, 4, c.Results(benchdata.Old))
		})
	}
}

func TestVariesAndConfigDiff(t *testing.T) {
	old := "model: a\nrunner: x\nBenchmarkA 1 1 ns/op\nrunner: y\nBenchmarkA 1 2 ns/op\n"
	new := "model: b\nrunner: x\nBenchmarkA 1 1 ns/op\nBenchmarkA 1 2 ns/op\n"
	c := read(t, benchdata.Options{}, old, new)
	s := c.Series()
	require.Len(t, s, 1)
	assert.Equal(t, []string{"runner"}, s[0].Varies(benchdata.Old))
	assert.Empty(t, s[0].Varies(benchdata.New))
	assert.Equal(t, []string{"model", "runner"}, c.ConfigDiff())

	c = read(t, benchdata.Options{Table: "runner", Ignore: []string{"model"}}, old, new)
	assert.Len(t, c.Series(), 2)
	assert.Equal(t, []string{"runner"}, c.ConfigDiff())
}

func TestDegraded(t *testing.T) {
	in := `BenchmarkA 1 1 ns/op
degraded: fp16 fallback
BenchmarkB 1 1 ns/op
degraded:
BenchmarkC/degraded=cpu-fallback 1 1 ns/op
BenchmarkD/degraded 1 1 ns/op
BenchmarkE 1 1 ns/op 1 degraded
BenchmarkF 1 1 ns/op 0 degraded
`
	c := read(t, benchdata.Options{}, in, "BenchmarkA 1 1 ns/op\n")
	got := map[string][]string{}
	for _, s := range c.Series() {
		assert.Equal(t, "sec/op", s.Key.Unit, "the degraded marker is no series")
		got[s.Name()] = s.Degraded[benchdata.Old]
	}
	assert.Equal(t, map[string][]string{
		"A":                       nil,
		"B":                       {"fp16 fallback"},
		"C/degraded=cpu-fallback": {"cpu-fallback"},
		"D/degraded":              {"degraded"},
		"E":                       {"metric degraded=1"},
		"F":                       nil,
	}, got)
}

func TestUnitMetadataConflict(t *testing.T) {
	c := read(t, benchdata.Options{}, "Unit x better=higher\nBenchmarkA 1 1 x\n", "Unit x better=lower\nBenchmarkA 1 1 x\n")
	require.Len(t, c.Warnings, 1)
	assert.Contains(t, c.Warnings[0].Error(), "new.txt:1: unit x: better=lower overrides better=higher from old.txt:1")
	assert.Equal(t, "lower", c.Units.Get("x", "better").Value)
}

func TestReadBadSide(t *testing.T) {
	c, err := benchdata.NewCollection(benchdata.Options{})
	require.NoError(t, err)
	err = c.Read(benchdata.Side(2), strings.NewReader(""), "x")
	assert.True(t, errors.Is(err, benchdata.ErrOption))
}

func TestRuns(t *testing.T) {
	tests := []struct {
		name  string
		input string
		runs  []string // Run.String() of each run
		byRun [][]float64
	}{
		{"one process", "goos: linux\npkg: p\nBenchmarkA 1 1 B/op\nBenchmarkA 1 2 B/op\nPASS\n",
			[]string{"in.txt:3"}, [][]float64{{1, 2}}},
		{"header blocks", "goos: linux\npkg: p\nBenchmarkA 1 1 B/op\nPASS\ngoos: linux\npkg: p\ncpu: x\nBenchmarkA 1 2 B/op\nBenchmarkA 1 3 B/op\n",
			[]string{"in.txt:3", "in.txt:8"}, [][]float64{{1}, {2, 3}}},
		{"no header", "BenchmarkA 1 1 B/op\nBenchmarkA 1 2 B/op\n",
			[]string{"in.txt:1"}, [][]float64{{1, 2}}},
		{"other configuration starts no run", "goos: linux\nort-version: 1\nBenchmarkA 1 1 B/op\nort-version: 2\nBenchmarkA 1 2 B/op\n",
			[]string{"in.txt:3"}, [][]float64{{1, 2}}},
		{"stamped", "run: 1/old\ngoos: linux\nBenchmarkA 1 1 B/op\nrun: 2/old\ngoos: linux\nBenchmarkA 1 2 B/op\nrun: 1/old\nBenchmarkA 1 3 B/op\n",
			[]string{"in.txt run 1/old", "in.txt run 2/old"}, [][]float64{{1, 3}, {2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := benchdata.NewCollection(benchdata.Options{})
			require.NoError(t, err)
			require.NoError(t, c.Read(benchdata.Old, strings.NewReader(tt.input), "in.txt"))
			var got []string
			for _, r := range c.Runs[benchdata.Old] {
				got = append(got, r.String())
			}
			assert.Equal(t, tt.runs, got)
			s := c.Series()
			require.Len(t, s, 1)
			assert.Equal(t, tt.byRun, s[0].ByRun(benchdata.Old))
			assert.Equal(t, len(tt.runs), s[0].Runs(benchdata.Old))
			assert.NotContains(t, s[0].Varies(benchdata.Old), benchdata.RunKey, "the run stamp is no configuration difference")
		})
	}
}

// Runs of different files are different runs, even with equal stamps.
func TestRunsPerFile(t *testing.T) {
	c, err := benchdata.NewCollection(benchdata.Options{})
	require.NoError(t, err)
	in := "run: 1/new\nBenchmarkA 1 1 ns/op\n"
	require.NoError(t, c.Read(benchdata.New, strings.NewReader(in), "a.txt"))
	require.NoError(t, c.Read(benchdata.New, strings.NewReader(in), "b.txt"))
	assert.Len(t, c.Runs[benchdata.New], 2)
	assert.Equal(t, 2, c.Series()[0].Runs(benchdata.New))
	assert.Empty(t, c.ConfigDiff())
}

func TestReadNegative(t *testing.T) {
	tests := []struct {
		input string
		want  string // "" when accepted
	}{
		{"BenchmarkA 1 -5 ns/op\n", "in.txt:1: BenchmarkA: negative value -5 ns/op: a duration cannot be negative"},
		{"BenchmarkA 1 5 ns/op -1 B/op\n", "in.txt:1: BenchmarkA: negative value -1 B/op: a count per operation cannot be negative"},
		{"BenchmarkA 1 1 ns/op\nBenchmarkA 1 -3 tok/s\n", "in.txt:2: BenchmarkA: negative value -3 tok/s: a rate cannot be negative"},
		{"BenchmarkA 1 -3 peak-RSS-bytes\n", "in.txt:1: BenchmarkA: negative value -3 peak-RSS-bytes: a size cannot be negative"},
		{"BenchmarkA 1 -2 p50-ms\n", "in.txt:1: BenchmarkA: negative value -2 p50-ms: a duration cannot be negative"},
		{"BenchmarkA 1 -2 overhead-%\n", ""},
		{"BenchmarkA 1 5 ns/op -0 B/op\n", ""}, // -0 is zero, not negative (a zero duration is ErrDegenerate)
	}
	for _, tt := range tests {
		c, err := benchdata.NewCollection(benchdata.Options{})
		require.NoError(t, err)
		err = c.Read(benchdata.Old, strings.NewReader(tt.input), "in.txt")
		if tt.want == "" {
			assert.NoError(t, err, tt.input)
			continue
		}
		require.ErrorIs(t, err, benchdata.ErrNegative, tt.input)
		assert.ErrorIs(t, err, benchdata.ErrSyntax)
		assert.Contains(t, err.Error(), tt.want)
	}
}

func TestConfigValues(t *testing.T) {
	c := read(t, benchdata.Options{}, "cpu: a\nBenchmarkA 1 1 ns/op\ncpu: b\nBenchmarkA 1 1 ns/op\n", "BenchmarkA 1 1 ns/op\n")
	assert.Equal(t, []string{"a", "b"}, c.ConfigValues(benchdata.Old, "cpu"))
	assert.Nil(t, c.ConfigValues(benchdata.New, "cpu"))
}

func TestUnits(t *testing.T) {
	for unit, want := range map[string][3]any{ // seconds per unit, cost, non-negative
		"sec/op":         {1.0, true, true},
		"p50-ms":         {1e-3, true, true},
		"ttft-us":        {1e-6, true, true},
		"peak-RSS-bytes": {0.0, true, true},
		"B/op":           {0.0, false, true},
		"tok/s":          {0.0, false, true},
		"overhead-%":     {0.0, false, false},
	} {
		f, _ := benchdata.Seconds(unit)
		assert.Equal(t, want[0], f, unit)
		assert.Equal(t, want[1], benchdata.IsCost(unit), unit)
		assert.Equal(t, want[2], benchdata.NonNegative(unit), unit)
	}
}

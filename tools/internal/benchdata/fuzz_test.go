package benchdata_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

// FuzzParse feeds arbitrary input to the reading path: it may reject the
// input, but never panic, and whatever it accepts must group into
// series with values on the sides that were read.
func FuzzParse(f *testing.F) {
	f.Add([]byte("goos: linux\nUnit tok/s better=higher\nBenchmarkA/b=1-8 10 100 ns/op 3 tok/s\n"))
	f.Add([]byte("BenchmarkA 1\nBenchmark\nBenchmarkB 1 NaN ns/op\nUnit x\n"))
	f.Add([]byte("degraded: x\nBenchmarkA/degraded=y 1 1 degraded 2 MB/s\ndegraded:\n"))
	f.Add([]byte("BenchmarkA 1 1e309 ns/op\nBenchmarkA -1 -0 ns/op\n"))
	f.Add([]byte("BenchmarkA 1 1e-320 ns/op\nBenchmarkA 1 0 ns/op 0 B/op\nBenchmarkA 1 1e305 MB/s\nBenchmarkA 1 1e200 ns/op\n"))
	f.Add([]byte("BenchmarkA 1 5 ns/op 3 B/op\nBenchmarkA 1 5 ns/op"))
	f.Add([]byte("BenchmarkA 1 5 ns/op\nBenchmarkA 1 5 ns/o"))
	f.Add([]byte("run: 1/old\ngoos: linux\nBenchmarkA 1 1 ns/op\nrun: 2/old\ngoos: linux\npkg: p\nBenchmarkA 1 2 ns/op 3 B/op\nrun:\nBenchmarkA 1 -1 tok/s\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, o := range []benchdata.Options{{}, {Table: "/b", Row: ".name", Ignore: []string{"goos"}}} {
			c, err := benchdata.NewCollection(o)
			if err != nil {
				t.Fatal(err)
			}
			errOld := c.Read(benchdata.Old, bytes.NewReader(data), "old")
			_ = c.Read(benchdata.New, bytes.NewReader(data), "new")
			for _, s := range c.Series() {
				for side := range 2 {
					for _, v := range s.Values[side] {
						// Accepted values are measurements the
						// statistics can use (see ErrDegenerate).
						if a := math.Abs(v); math.IsNaN(v) || a > benchdata.MaxMagnitude || (a != 0 && a < 0x1p-1022) {
							t.Fatalf("accepted degenerate value %v %s", v, s.Key.Unit)
						}
					}
				}
				if errOld == nil && len(s.Values[benchdata.Old]) != len(s.Values[benchdata.New]) {
					t.Fatalf("same input, different sides: %d vs %d values", len(s.Values[benchdata.Old]), len(s.Values[benchdata.New]))
				}
				for side := range 2 {
					if len(s.Run[side]) != len(s.Values[side]) {
						t.Fatalf("%d values, %d run indices", len(s.Values[side]), len(s.Run[side]))
					}
					for _, r := range s.Run[side] {
						if r < 0 || r >= len(c.Runs[side]) {
							t.Fatalf("run index %d of %d runs", r, len(c.Runs[side]))
						}
					}
					if n := s.Runs(benchdata.Side(side)); n > len(c.Runs[side]) {
						t.Fatalf("%d runs in a series, %d read", n, len(c.Runs[side]))
					}
				}
				_ = s.Varies(benchdata.Old)
				_ = s.Name() + s.Table()
			}
			_ = c.ConfigDiff()
		}
	})
}

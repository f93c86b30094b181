package history_test

import (
	"bytes"
	"fmt"
	"math"
	"testing"
	"testing/fstest"

	"github.com/inferbench/inferbench/tools/internal/history"
)

// FuzzHistory feeds arbitrary benchmark files to the history layout
// (the input is split at each 0xff byte into up to four commit files):
// Load and Analyze may reject them, never panic, and what they accept is
// ordered strictly, with finite commit values.
func FuzzHistory(f *testing.F) {
	commit := func(i int, v string) string {
		return fmt.Sprintf("commit: c%d\ncommit-seq: %d\nBenchmarkA 1 %s ns/op\nBenchmarkA 1 %s ns/op\n", i, i, v, v)
	}
	var all []byte
	for i := range 4 {
		all = append(all, commit(i, fmt.Sprint(100+i))...)
		all = append(all, 0xff)
	}
	f.Add(all)
	f.Add([]byte("commit: a\ncommit-time: 2026-01-01T00:00:00Z\nBenchmarkA 1 1 ns/op\n\xffcommit: a\ncommit-seq: 1\nBenchmarkA 1 1 ns/o"))
	f.Add([]byte("commit: a\ncommit-seq: 9223372036854775807\nBenchmarkA 1 1e-320 ns/op\n\xffcommit: b\ncommit-seq: -1\nUnit ns/op better=higher\nBenchmarkA 1 2 ns/op\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// In memory (LoadFS): files per input slow the fuzzing workers
		// to a crawl.
		fsys := fstest.MapFS{}
		for i, part := range bytes.SplitN(data, []byte{0xff}, 4) {
			fsys[fmt.Sprintf("c%d.txt", i)] = &fstest.MapFile{Data: part}
		}
		d, err := history.LoadFS(fsys)
		if err != nil {
			return
		}
		for i := 1; i < len(d.Commits); i++ {
			a, b := d.Commits[i-1], d.Commits[i]
			if a.HasSeq && b.HasSeq && a.Seq >= b.Seq || !a.HasSeq && !a.Time.Before(b.Time) {
				t.Fatalf("commits %s and %s out of order", a.Commit, b.Commit)
			}
		}
		o := history.DefaultOptions
		o.MinSize = 2
		res, err := history.Analyze(d, o)
		if err != nil {
			return
		}
		for _, s := range res.Series {
			for _, v := range s.Values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s %s: commit value %v", s.Name, s.Unit, v)
				}
			}
		}
		var out bytes.Buffer
		res.WriteText(&out)
		_ = res.Inconclusive()
	})
}

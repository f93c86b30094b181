package ort_test

import (
	"slices"
	"testing"
	"time"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
)

// BenchmarkOverhead compares, on one session and one shape, a bare
// onnxruntime_go Run on prepared tensors with Prefill (validation, token
// copy, bound run). "tiny" is almost all overhead; "wide" (a 512 × 8192
// head over 128 tokens, ~1 GFLOP) is closer to a real forward pass. The
// interleaved variant alternates both in one loop and reports the median
// per-iteration overhead, which is what to read on a noisy machine.
func BenchmarkOverhead(b *testing.B) {
	models := []struct {
		name       string
		m          func(testing.TB) *model.Model
		batch, seq int
	}{
		{"tiny", orttest.Tiny, 2, 8},
		{"wide", func(tb testing.TB) *model.Model { return orttest.Wide(tb, 8192, 512, 128) }, 1, 128},
	}
	for _, mm := range models {
		b.Run("model="+mm.name, func(b *testing.B) {
			orttest.Require(b)
			m := mm.m(b)
			// One intra-op thread: the overhead is Go-side, and a single
			// thread is least disturbed by neighbours on a shared box.
			s := open(b, m, testOptions())
			tokens := make([]int64, mm.batch*mm.seq)
			for i := range tokens {
				tokens[i] = int64(i*31) % int64(m.Vocab)
			}
			logits := make([]float32, m.LogitsLen(mm.batch, mm.seq))
			run, err := s.BareRunner(tokens, mm.batch, mm.seq, logits)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("run=bare", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := run(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("run=prefill", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := s.Prefill(tokens, mm.batch, mm.seq, logits); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("run=interleaved", func(b *testing.B) {
				interleave(b, run, func() error { return s.Prefill(tokens, mm.batch, mm.seq, logits) })
			})
		})
	}
}

// interleave times bare and prefill alternately (swapping which goes
// first) in the same iteration, so drift and noisy neighbours hit both
// alike, and reports their medians and the median per-iteration overhead of
// prefill over bare, in percent.
func interleave(b *testing.B, bare, prefill func() error) {
	tb := make([]float64, b.N)
	tp := make([]float64, b.N)
	ratio := make([]float64, b.N)
	b.ResetTimer()
	for i := range b.N {
		fs := [2]func() error{bare, prefill}
		ds := [2]*float64{&tb[i], &tp[i]}
		for k := range 2 {
			j := (i + k) % 2
			t0 := time.Now()
			if err := fs[j](); err != nil {
				b.Fatal(err)
			}
			*ds[j] = float64(time.Since(t0).Nanoseconds())
		}
		ratio[i] = tp[i]/tb[i] - 1
	}
	b.StopTimer()
	b.ReportMetric(median(tb), "bare-ns")
	b.ReportMetric(median(tp), "prefill-ns")
	b.ReportMetric(100*median(ratio), "overhead-%")
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}

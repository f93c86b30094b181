package benchmarks

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/benchmarks/harness"
	"github.com/inferbench/inferbench/fixtures/model"
	"github.com/inferbench/inferbench/fixtures/workload"
)

// warmup runs before timing: first runs pay for lazy initialisation.
const warmup = 3

// BenchmarkPrefill times one forward pass over batch × seq tokens for every
// backend × scenario.
func BenchmarkPrefill(b *testing.B) {
	f := load(b)
	for _, be := range selected(b) {
		b.Run("backend="+be.Name(), func(b *testing.B) {
			s := open(b, be, f.model)
			defer s.Close()
			cfg := harness.Config(s.Config())
			degraded := backends.DegradedReason(s)
			if degraded != "" {
				b.Logf("%s is degraded: %s", be.Name(), degraded)
				cfg.Add("degraded", degraded)
			}
			cfg.Write(os.Stdout)
			defer cfg.Clear(os.Stdout)
			for _, sc := range scenarios(b) {
				b.Run("scenario="+sc.Name, func(b *testing.B) {
					skipUnfit(b, be, f.model, sc)
					prefill(b, s, f, sc)
					if degraded != "" {
						b.ReportMetric(1, "degraded")
					}
				})
			}
		})
	}
}

// skipUnfit skips scenarios a model or backend cannot run, with the reason.
func skipUnfit(b *testing.B, be backends.Backend, m *model.Model, sc workload.Scenario) {
	b.Helper()
	if m.Positions > 0 && sc.Seq > m.Positions {
		skip(b, "scenario %s: sequence %d exceeds %s's n_positions %d", sc, sc.Seq, m.Identity.Name, m.Positions)
	}
	if be.Name() == "reference" {
		gflop := 2 * float64(m.Identity.Params) * float64(sc.Tokens()) / 1e9
		if gflop > *flagRefGFLOP {
			skip(b, "scenario %s: the pure-Go reference would need ~%.0f GFLOP per op (limit -reference-max-gflop=%g)", sc, gflop, *flagRefGFLOP)
		}
	}
}

func prefill(b *testing.B, s backends.Session, f *fixture, sc workload.Scenario) {
	tokens, err := workload.Inputs(f.tokens, sc)
	if err != nil {
		b.Fatal(err)
	}
	logits := make([]float32, f.model.LogitsLen(sc.Batch, sc.Seq))
	harness.ReleaseMemory()
	harness.ResetPeakRSS()
	for range warmup {
		if err := s.Prefill(tokens, sc.Batch, sc.Seq, logits); err != nil {
			b.Fatal(err)
		}
	}
	if err := finite(logits); err != nil {
		b.Fatal(err)
	}
	var t harness.Timer
	t.Reset(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		t.Start()
		err := s.Prefill(tokens, sc.Batch, sc.Seq, logits)
		t.Stop()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	report(b, &t, sc.Tokens())
}

// report adds the throughput, latency-percentile and memory metrics.
func report(b *testing.B, t *harness.Timer, tokensPerOp int) {
	sum := t.Summarize()
	if el := b.Elapsed().Seconds(); el > 0 {
		b.ReportMetric(float64(tokensPerOp*b.N)/el, "tok/s")
	}
	b.ReportMetric(sum.P50, "p50-ms")
	b.ReportMetric(sum.P95, "p95-ms")
	b.ReportMetric(sum.P99, "p99-ms")
	if rss, err := harness.PeakRSS(); err == nil {
		b.ReportMetric(float64(rss), "peak-RSS-bytes")
	}
}

// finite fails on NaN or Inf logits: a backend that returns garbage fast
// must not produce a benchmark number.
func finite(logits []float32) error {
	for i, v := range logits {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("logits not finite: element %d is %v", i, v)
		}
	}
	return nil
}

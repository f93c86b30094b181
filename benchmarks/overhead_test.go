package benchmarks

import (
	"os"
	"slices"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/benchmarks/harness"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// BenchmarkOverhead measures what the harness adds to ONNX Runtime: each
// iteration runs a bare onnxruntime_go Run on prepared tensors and then the
// harness' Prefill on the same session and shape, in alternating order, so
// machine drift and cache warmth hit both equally. overhead-% is the difference of the medians
// relative to the bare median (target: ≤ 2% at single_micro on gpt2-tiny).
// Both paths' last logits must be equal, and are checked against the
// baseline as every benchmark's outputs are (harness.NewOutputCheck); the
// bare runner's inputs are bound once, so this loop cannot cycle inputs.
func BenchmarkOverhead(b *testing.B) {
	p := plan(b)
	harness.PrintConfig(os.Stdout, p)
	f := p.Fixture
	be, err := backends.Lookup(cpu.Name)
	if err != nil {
		b.Fatal(err)
	}
	sc := workload.Report[0] // single_micro
	tokens, err := workload.Inputs(f.Tokens, sc)
	if err != nil {
		b.Fatal(err)
	}
	check, done := harness.NewOutputCheck(p, be, sc, [][]int64{tokens})
	defer done()
	var block harness.Blocks
	block.Start(os.Stdout, check.Config())
	defer block.Start(os.Stdout, nil)
	name := "backend=" + be.Name() + "/scenario=" + sc.Name
	defer check.Judge(b, b.Name()+"/"+name)
	b.Run(name, func(b *testing.B) {
		s := suite.Open(b, be, f.Model, p.Options)
		defer s.Close()
		osess, ok := s.(*ort.Session)
		if !ok {
			b.Fatalf("%s session is %T, not *ort.Session", be.Name(), s)
		}
		bareOut := make([]float32, f.Model.LogitsLen(sc.Batch, sc.Seq))
		out := make([]float32, len(bareOut))
		bare, err := osess.BareRunner(tokens, sc.Batch, sc.Seq, bareOut)
		if err != nil {
			b.Fatal(err)
		}
		for range harness.Warmup {
			if err := bare(); err != nil {
				b.Fatal(err)
			}
			if err := osess.Prefill(tokens, sc.Batch, sc.Seq, out); err != nil {
				b.Fatal(err)
			}
		}
		var tb, tp harness.Timer
		tb.Reset(b.N)
		tp.Reset(b.N)
		b.ReportAllocs()
		b.ResetTimer()
		runBare := func() error { tb.Start(); err := bare(); tb.Stop(); return err }
		runPrefill := func() error {
			tp.Start()
			err := osess.Prefill(tokens, sc.Batch, sc.Seq, out)
			tp.Stop()
			return err
		}
		for i := range b.N {
			// Alternate which goes first, so cache warmth favours neither.
			first, second := runBare, runPrefill
			if i%2 == 1 {
				first, second = runPrefill, runBare
			}
			if err := first(); err != nil {
				b.Fatal(err)
			}
			if err := second(); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if !slices.Equal(bareOut, out) {
			b.Fatal("bare Run and Prefill produced different logits on the same input")
		}
		check.Start()
		if err := check.Logits(0, out, f.Model.Vocab); err != nil {
			b.Fatal(err)
		}
		check.Report(b)
		mb, mp := tb.Summarize().P50, tp.Summarize().P50
		b.ReportMetric(mb, "bare-p50-ms")
		b.ReportMetric(mp, "prefill-p50-ms")
		if mb > 0 {
			b.ReportMetric(100*(mp-mb)/mb, "overhead-%")
		}
	})
}

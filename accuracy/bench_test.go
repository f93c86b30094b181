package accuracy

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/accuracy/eval"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/benchmarks/harness"
	"github.com/inferbench/inferbench/internal/lm/zoo"
	"github.com/inferbench/inferbench/internal/metrics"
)

var (
	flagBenchModels  = flag.String("bench-models", "gpt2-tiny,gpt2-124m-arch", "comma-separated models BenchmarkPerplexity evaluates (seeded models are fine for throughput)")
	flagBenchWindows = flag.Int("bench-windows", 2, "windows per BenchmarkPerplexity evaluation")
	flagBenchWith    = flag.String("bench-with", "", "comma-separated candidate backends BenchmarkPerplexity also runs against each backend, as the gate does (e.g. ort-cpu-fp16,ort-cpu-int8)")

	unitsOnce sync.Once
	// benchBlocks prints each backend and model's configuration before
	// its results.
	benchBlocks harness.Blocks
)

// BenchmarkPerplexity measures perplexity-evaluation throughput (scored
// tokens per second, forward passes and float64 log-softmax included) for
// each backend (default ort-cpu; -backends picks) and model, over the
// first -bench-windows windows of the corpus; with -bench-with, also the
// gate's whole pass: that backend as the baseline with those candidates
// compared at every position (sub-benchmark with=C1+C2). Before each
// model's result it prints the model identity, corpus and session options
// as benchfmt configuration lines.
func BenchmarkPerplexity(b *testing.B) {
	in, err := sharedInputs()
	if err != nil {
		b.Fatal(err)
	}
	unitsOnce.Do(func() { fmt.Println("Unit tok/s better=higher") })
	names := []string{FallbackBaseline}
	if n := suite.Flags.BackendNames(); n != nil {
		names = n
	}
	for _, bn := range names {
		be, err := backends.Lookup(strings.TrimSpace(bn))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("backend="+be.Name(), func(b *testing.B) {
			for _, mn := range strings.Split(*flagBenchModels, ",") {
				m, err := zoo.Resolve(strings.TrimSpace(mn), zoo.Options{})
				if err != nil {
					b.Fatal(err)
				}
				benchModel(b, be, m, in)
			}
		})
	}
}

// benchModel opens the session and prints the configuration outside the
// timed sub-benchmark, so that its result line carries them.
func benchModel(b *testing.B, be backends.Backend, m *model.Model, in *inputs) {
	window, err := eval.WindowFor(m, *flagWindow)
	if err != nil {
		b.Fatal(err)
	}
	n := min(len(in.tokens), window+(max(*flagBenchWindows, 1)-1)*metrics.Stride(window))
	toks := in.tokens[:n]
	s := suite.Open(b, be, m, evalOptions())
	defer s.Close()
	cfg := harness.Config(m.Identity.ConfigLines())
	cfg = append(cfg, in.corpus.ConfigLines()...)
	cfg.Add("eval-tokens", fmt.Sprint(n))
	cfg.Add("eval-window", fmt.Sprint(window))
	cfg = append(cfg, s.Config()...)
	benchBlocks.Start(os.Stdout, cfg)

	run := eval.Run{Name: be.Name(), Session: s}
	opt := eval.Options{Window: window, Batch: *flagBatch}
	b.Run("model="+m.Identity.Name, func(b *testing.B) { benchEval(b, m, toks, run, nil, opt) })
	if *flagBenchWith == "" {
		return
	}
	var cands []eval.Run
	var names []string
	for _, cn := range strings.Split(*flagBenchWith, ",") {
		cb, err := backends.Lookup(strings.TrimSpace(cn))
		if err != nil {
			b.Fatal(err)
		}
		cs := suite.Open(b, cb, m, evalOptions())
		defer cs.Close()
		cands = append(cands, eval.Run{Name: cb.Name(), Session: cs})
		names = append(names, cb.Name())
	}
	b.Run("model="+m.Identity.Name+"/with="+strings.Join(names, "+"), func(b *testing.B) { benchEval(b, m, toks, run, cands, opt) })
}

// evalOptions are the session options of the flags, for an evaluation:
// scoring overlaps the forward passes.
func evalOptions() backends.Options {
	o := suite.Flags.Options()
	o.Overlapped = true
	return o
}

// benchEval times eval.Evaluate after one warm-up run, in scored tokens per
// second.
func benchEval(b *testing.B, m *model.Model, toks []int64, base eval.Run, cands []eval.Run, opt eval.Options) {
	if _, err := eval.Evaluate(m, toks, base, cands, opt); err != nil { // warm-up
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := eval.Evaluate(m, toks, base, cands, opt); err != nil {
			b.Fatal(err)
		}
	}
	if el := b.Elapsed().Seconds(); el > 0 {
		b.ReportMetric(float64((len(toks)-1)*b.N)/el, "tok/s")
	}
}

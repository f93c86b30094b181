package accuracy

import (
	"flag"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/accuracy/eval"
	"github.com/inferbench/inferbench/accuracy/metrics"
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/fixtures/zoo"
)

var (
	flagBenchModels  = flag.String("bench-models", "gpt2-tiny,gpt2-124m-arch", "comma-separated models BenchmarkPerplexity evaluates (seeded models are fine for throughput)")
	flagBenchWindows = flag.Int("bench-windows", 2, "windows per BenchmarkPerplexity evaluation")
)

// BenchmarkPerplexity measures perplexity-evaluation throughput (scored
// tokens per second, forward passes and log-softmax included) for each
// backend (default ort-cpu; -backends picks) and model, over the first
// -bench-windows windows of the corpus.
func BenchmarkPerplexity(b *testing.B) {
	names := []string{FallbackBaseline}
	if *flagBackends != "" {
		names = strings.Split(*flagBackends, ",")
	}
	for _, bn := range names {
		b.Run("backend="+strings.TrimSpace(bn), func(b *testing.B) {
			be, err := backends.Lookup(strings.TrimSpace(bn))
			if err != nil {
				b.Fatal(err)
			}
			for _, mn := range strings.Split(*flagBenchModels, ",") {
				b.Run("model="+strings.TrimSpace(mn), func(b *testing.B) {
					benchPerplexity(b, be, strings.TrimSpace(mn))
				})
			}
		})
	}
}

func benchPerplexity(b *testing.B, be backends.Backend, name string) {
	m, err := zoo.Resolve(name, zoo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	in, err := sharedInputs()
	if err != nil {
		b.Fatal(err)
	}
	window, err := eval.WindowFor(m, *flagWindow)
	if err != nil {
		b.Fatal(err)
	}
	n := min(len(in.tokens), window+(max(*flagBenchWindows, 1)-1)*metrics.Stride(window))
	toks := in.tokens[:n]
	s, err := be.Open(m, backends.Options{Threads: *flagThreads})
	if err != nil {
		if r := backends.Reason(err); r != "" {
			b.Skipf("skipping %s: %s", be.Name(), r)
		}
		b.Fatal(err)
	}
	defer s.Close()
	opt := eval.Options{Window: window, Batch: *flagBatch}
	if _, err := eval.Evaluate(m, toks, eval.Run{Name: be.Name(), Session: s}, nil, opt); err != nil { // warm-up
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := eval.Evaluate(m, toks, eval.Run{Name: be.Name(), Session: s}, nil, opt); err != nil {
			b.Fatal(err)
		}
	}
	if el := b.Elapsed().Seconds(); el > 0 {
		b.ReportMetric(float64((n-1)*b.N)/el, "tok/s")
	}
}

package harness

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// Generate runs b.Run("backend=B/scenario=S") for every backend ×
// generation scenario of p: greedy generation with a KV cache, one op being
// one generation, a prefill of the prompts and then one step per further
// token, each followed by the argmax of every sequence's logits, a fixed
// number of new tokens with no stopping at end-of-text. Metrics, with
// vLLM's definitions:
//
//   - ttft-p50-ms, ttft-p99-ms: time to first token (prefill plus argmax)
//     over the run's generations;
//   - tpot-p50-ms, tpot-p99-ms: time per output token after the first,
//     (e2e − ttft)/(new − 1), over the run's generations;
//   - itl-p99-ms: the 99th percentile of every inter-token latency (one
//     step plus argmax) of the run;
//   - e2e-ms: mean time of a whole generation; tok/s: generated tokens
//     (batch × new) per second;
//   - kv-cache-bytes: what the decoder holds for its cache (both buffers of
//     a double-buffered one); peak-RSS-bytes: the whole process' high-water
//     mark from the decoder's creation on, which besides the decoder holds
//     the backend's prefill session (for ORT backends a second copy of the
//     weights: the decoder is a second graph) and a zoo model's Go weights.
//
// Backends whose sessions cannot generate (no backends.Generator, or a
// model without a KV-cache decoder) and scenarios longer than the model's
// n_positions are skipped with the reason. p.Unfit is asked about a
// generation as about the prefill of its whole sequences (batch ×
// prompt + new tokens), which costs the same arithmetic.
func Generate(b *testing.B, p Plan) {
	PrintConfig(os.Stdout, p)
	v := newVerifier(p)
	defer v.close()
	var decoders Blocks // each decoder's configuration and output check, before its result
	defer decoders.Start(os.Stdout, nil)
	for _, be := range p.Backends {
		b.Run("backend="+be.Name(), func(b *testing.B) {
			s, degraded, done := p.open(b, be, canGenerate)
			defer done()
			for _, sc := range p.GenScenarios {
				p.generateScenario(b, be, s, sc, degraded, &decoders, v)
			}
		})
	}
}

// canGenerate says why s cannot generate ("" if it can).
func canGenerate(s backends.Session) string {
	if _, ok := s.(backends.Generator); !ok {
		return backends.NoGeneration
	}
	return ""
}

// generateScenario runs one scenario's sub-benchmark. The decoder is made
// (and its configuration printed) outside the sub-benchmark: the testing
// package prints a sub-benchmark's name before running it, so lines it
// printed would land inside the result line, and it would remake the
// decoder for the extra run it starts with.
func (p Plan) generateScenario(b *testing.B, be backends.Backend, s backends.Session, sc workload.GenScenario, degraded string, decoders *Blocks, v *verifier) {
	why := p.unfitGeneration(be, sc)
	var prompts [][]int64
	c := &Check{Why: why}
	if why == "" {
		var err error
		if prompts, err = workload.Batches(p.Fixture.Tokens, sc.PromptScenario(), VerifyBatches); err != nil {
			b.Fatal(err)
		}
		c = v.generateCheck(be, sc, prompts)
	}
	var dec backends.Decoder
	if why == "" {
		ReleaseMemory()
		ResetPeakRSS()
		var err error
		if dec, err = backends.NewDecoder(be.Name(), s, sc.Batch, sc.Positions()); err != nil {
			if why = backends.Reason(err); why == "" {
				b.Fatal(err)
			}
		}
	}
	if dec != nil {
		defer dec.Close()
		decoders.Start(os.Stdout, append(Config(dec.Config()), c.Config()...))
	} else {
		decoders.Start(os.Stdout, nil)
	}
	b.Run("scenario="+sc.Name, func(b *testing.B) {
		if why != "" {
			suite.Skip(b, "%s", why)
		}
		generate(b, dec, p.Fixture, sc, prompts, c)
		if degraded != "" {
			b.ReportMetric(1, "degraded")
		}
	})
	c.Judge(b, b.Name()+"/scenario="+sc.Name)
}

// unfitGeneration says why the model or backend cannot run a scenario
// ("" if it can).
func (p Plan) unfitGeneration(be backends.Backend, sc workload.GenScenario) string {
	m := p.Fixture.Model
	if m.Positions > 0 && sc.Positions() > m.Positions {
		return fmt.Sprintf("scenario %s: %d positions exceed %s's n_positions %d", sc, sc.Positions(), m.Identity.Name, m.Positions)
	}
	if p.Unfit != nil {
		if why := p.Unfit(be, workload.Scenario{Name: sc.Name, Batch: sc.Batch, Seq: sc.Positions()}); why != "" {
			return fmt.Sprintf("scenario %s: %s", sc, why)
		}
	}
	return ""
}

// generate times greedy generations, cycling through the prompt batches,
// and checks the tokens of the first, the middle and the last timed
// generation (Checked) with the benchmark's timer stopped right after
// each (c); a checked generation records its tokens as it picks them, a
// store per sequence and step.
func generate(b *testing.B, dec backends.Decoder, f *suite.Fixture, sc workload.GenScenario, prompts [][]int64, c *Check) {
	g := greedy{dec: dec, sc: sc, prompt: prompts[0], next: make([]int64, sc.Batch), vocab: f.Model.Vocab}
	logits, err := g.run() // warm-up: the first calls pay for lazy initialisation
	if err != nil {
		b.Fatal(err)
	}
	if err := Finite(logits); err != nil {
		b.Fatal(err)
	}
	c.start()
	checked := Checked(b.N)
	out := make([]int64, sc.Batch*sc.New)
	var ttft, tpot, itl Timer
	ttft.Reset(b.N)
	tpot.Reset(b.N)
	itl.Reset(b.N * (sc.New - 1))
	e2e := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	env := StartEnv()
	cpu := startCPUTime()
	b.ResetTimer()
	for n := range b.N {
		in := (1 + n) % len(prompts)
		g.prompt = prompts[in]
		check := c.greedy != nil && len(checked) > 0 && n == checked[0]
		if check {
			g.out = out
		}
		start := time.Now()
		ttft.Start()
		if _, err := g.first(); err != nil {
			b.Fatal(err)
		}
		ttft.Stop()
		first := time.Now()
		if _, err := g.rest(&itl); err != nil {
			b.Fatal(err)
		}
		end := time.Now()
		e2e = append(e2e, end.Sub(start))
		tpot.Record(end.Sub(first) / time.Duration(max(sc.New-1, 1)))
		if check {
			checked, g.out = checked[1:], nil
			b.StopTimer()
			cpu.pause()
			if err := c.generated(in, sc, g.prompt, out); err != nil {
				b.Fatal(err)
			}
			cpu.resume()
			b.StartTimer()
		}
	}
	b.StopTimer()
	cpu.pause()
	ReportEnv(b, env.Stop())
	cpu.report(b)
	c.Report(b)

	var total time.Duration
	for _, d := range e2e {
		total += d
	}
	if el := b.Elapsed().Seconds(); el > 0 {
		b.ReportMetric(float64(sc.Batch*sc.New*b.N)/el, "tok/s")
	}
	t, pt, i := ttft.Summarize(), tpot.Summarize(), itl.Summarize()
	b.ReportMetric(t.P50, "ttft-p50-ms")
	b.ReportMetric(t.P99, "ttft-p99-ms")
	if sc.New > 1 {
		b.ReportMetric(pt.P50, "tpot-p50-ms")
		b.ReportMetric(pt.P99, "tpot-p99-ms")
		b.ReportMetric(i.P99, "itl-p99-ms")
	}
	b.ReportMetric(float64(total)/float64(len(e2e))/float64(time.Millisecond), "e2e-ms")
	b.ReportMetric(float64(dec.CacheBytes()), "kv-cache-bytes")
	if rss, err := PeakRSS(); err == nil {
		b.ReportMetric(float64(rss), "peak-RSS-bytes")
	}
}

// greedy is one greedy generation's state: the decoder, the prompts and
// the tokens chosen last.
type greedy struct {
	dec    backends.Decoder
	sc     workload.GenScenario
	prompt []int64
	next   []int64 // [batch]: the last chosen token of every sequence
	vocab  int
	out    []int64 // if set, [batch, new]: every chosen token
}

// first prefills the prompts and picks every sequence's first new token.
func (g *greedy) first() ([]float32, error) {
	logits, err := g.dec.Prefill(g.prompt, g.sc.Prompt)
	if err != nil {
		return nil, err
	}
	for r := range g.sc.Batch {
		g.next[r] = backends.Argmax(logits[((r+1)*g.sc.Prompt-1)*g.vocab:][:g.vocab])
	}
	g.record(0)
	return logits, nil
}

// rest steps through the remaining New−1 tokens, timing each step and
// argmax in itl (nil: untimed).
func (g *greedy) rest(itl *Timer) ([]float32, error) {
	var logits []float32
	for k := range g.sc.New - 1 {
		if itl != nil {
			itl.Start()
		}
		var err error
		if logits, err = g.dec.Step(g.next); err != nil {
			return nil, err
		}
		for r := range g.sc.Batch {
			g.next[r] = backends.Argmax(logits[r*g.vocab:][:g.vocab])
		}
		g.record(k + 1)
		if itl != nil {
			itl.Stop()
		}
	}
	return logits, nil
}

// record stores the tokens just chosen as new token k, if g records.
func (g *greedy) record(k int) {
	if g.out != nil {
		for r, t := range g.next {
			g.out[r*g.sc.New+k] = t
		}
	}
}

// run is a whole untimed generation; it returns the last logits.
func (g *greedy) run() ([]float32, error) {
	logits, err := g.first()
	if err != nil {
		return nil, err
	}
	if g.sc.New > 1 {
		return g.rest(nil)
	}
	return logits, nil
}

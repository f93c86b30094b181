package harness

import (
	"fmt"
	"io"
	"math"
	"os"
	"sync"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/ort"
	"github.com/inferbench/inferbench/backends/suite"
	"github.com/inferbench/inferbench/fixtures/workload"
)

// Warmup is how many prefills run before timing: first runs pay for lazy
// initialisation.
const Warmup = 3

// Plan is what a benchmark runs: every backend on every scenario (prefill
// shapes for Prefill, generation shapes for Generate) of a fixture's
// model, with the fixture's tokens as inputs.
type Plan struct {
	Fixture      *suite.Fixture
	Backends     []backends.Backend
	Scenarios    []workload.Scenario
	GenScenarios []workload.GenScenario
	Options      backends.Options
	// Unfit, if set, returns why a backend cannot run a scenario ("" if
	// it can): the scenario is skipped with that reason.
	Unfit func(be backends.Backend, sc workload.Scenario) string
}

// FromFlags is the plan of the suite's settings (suite.Flags): -model,
// -corpus, -backends, -scenarios, -gen-scenarios, -threads. It fails tb on
// bad settings.
func FromFlags(tb testing.TB) Plan {
	tb.Helper()
	return FromSettings(tb, suite.Flags)
}

// FromSettings is the plan of s, failing tb on bad settings and skipping
// it where the default corpus is not installed (suite.Settings.Require).
func FromSettings(tb testing.TB, s *suite.Settings) Plan {
	tb.Helper()
	f := s.Require(tb)
	bs, err := s.SelectBackends()
	if err != nil {
		tb.Fatal(err)
	}
	sc, err := s.SelectScenarios()
	if err != nil {
		tb.Fatal(err)
	}
	gen, err := s.SelectGenScenarios()
	if err != nil {
		tb.Fatal(err)
	}
	return Plan{Fixture: f, Backends: bs, Scenarios: sc, GenScenarios: gen, Options: s.Options()}
}

// Prefill runs b.Run("backend=B/scenario=S") for every backend × scenario
// of p: one forward pass over batch × seq tokens per iteration, reporting
// tok/s, p50-ms, p95-ms, p99-ms and peak-RSS-bytes besides ns/op. Each
// backend's session configuration precedes its results (and is cleared
// after them); a degraded session is marked by a "degraded" line and
// metric. The configuration of the fixture and the machine is printed once
// per process and model (PrintConfig).
func Prefill(b *testing.B, p Plan) {
	PrintConfig(os.Stdout, p.Fixture)
	for _, be := range p.Backends {
		b.Run("backend="+be.Name(), func(b *testing.B) {
			s, degraded, done := p.open(b, be, nil)
			defer done()
			for _, sc := range p.Scenarios {
				b.Run("scenario="+sc.Name, func(b *testing.B) {
					p.skipUnfit(b, be, sc)
					prefill(b, s, p.Fixture, sc)
					if degraded != "" {
						b.ReportMetric(1, "degraded")
					}
				})
			}
		})
	}
}

// open opens be's session on the fixture's model, skipping b with the
// reason when be cannot run here or when need, if set, gives one for the
// session, and prints the session's configuration lines (with a
// "degraded" line and a log when it is degraded). done clears the lines
// and closes the session.
func (p Plan) open(b *testing.B, be backends.Backend, need func(backends.Session) string) (s backends.Session, degraded string, done func()) {
	b.Helper()
	s = suite.Open(b, be, p.Fixture.Model, p.Options)
	if need != nil {
		if why := need(s); why != "" {
			s.Close()
			suite.Skip(b, "%s", why)
		}
	}
	cfg := Config(s.Config())
	degraded = backends.DegradedReason(s)
	if degraded != "" {
		b.Logf("%s is degraded: %s", be.Name(), degraded)
		cfg.Add("degraded", degraded)
	}
	cfg.Write(os.Stdout)
	return s, degraded, func() {
		cfg.Clear(os.Stdout)
		s.Close()
	}
}

// SessionCreate runs b.Run("backend=B") for every backend of p, timing
// the creation and closing of a session on the fixture's model (load,
// graph optimisation, allocation).
func SessionCreate(b *testing.B, p Plan) {
	PrintConfig(os.Stdout, p.Fixture)
	for _, be := range p.Backends {
		b.Run("backend="+be.Name(), func(b *testing.B) {
			suite.Open(b, be, p.Fixture.Model, p.Options).Close() // skips with the reason if unavailable
			b.ResetTimer()
			for range b.N {
				s, err := be.Open(p.Fixture.Model, p.Options)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// skipUnfit skips scenarios a model or backend cannot run, with the reason.
func (p Plan) skipUnfit(b *testing.B, be backends.Backend, sc workload.Scenario) {
	b.Helper()
	m := p.Fixture.Model
	if m.Positions > 0 && sc.Seq > m.Positions {
		suite.Skip(b, "scenario %s: sequence %d exceeds %s's n_positions %d", sc, sc.Seq, m.Identity.Name, m.Positions)
	}
	if p.Unfit != nil {
		if why := p.Unfit(be, sc); why != "" {
			suite.Skip(b, "scenario %s: %s", sc, why)
		}
	}
}

func prefill(b *testing.B, s backends.Session, f *suite.Fixture, sc workload.Scenario) {
	tokens, err := workload.Inputs(f.Tokens, sc)
	if err != nil {
		b.Fatal(err)
	}
	logits := make([]float32, f.Model.LogitsLen(sc.Batch, sc.Seq))
	ReleaseMemory()
	ResetPeakRSS()
	for range Warmup {
		if err := s.Prefill(tokens, sc.Batch, sc.Seq, logits); err != nil {
			b.Fatal(err)
		}
	}
	if err := Finite(logits); err != nil {
		b.Fatal(err)
	}
	var t Timer
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
	Report(b, &t, sc.Tokens())
}

// Report adds the throughput, latency-percentile and memory metrics of
// the iterations t recorded.
func Report(b *testing.B, t *Timer, tokensPerOp int) {
	sum := t.Summarize()
	if el := b.Elapsed().Seconds(); el > 0 {
		b.ReportMetric(float64(tokensPerOp*b.N)/el, "tok/s")
	}
	b.ReportMetric(sum.P50, "p50-ms")
	b.ReportMetric(sum.P95, "p95-ms")
	b.ReportMetric(sum.P99, "p99-ms")
	if rss, err := PeakRSS(); err == nil {
		b.ReportMetric(float64(rss), "peak-RSS-bytes")
	}
}

// Finite fails on NaN or Inf logits: a backend that returns garbage fast
// must not produce a benchmark number.
func Finite(logits []float32) error {
	for i, v := range logits {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("logits not finite: element %d is %v", i, v)
		}
	}
	return nil
}

var (
	printedMu sync.Mutex
	printed   *suite.Fixture // whose lines are in force
	lines     Config         // the lines printed for it
)

// PrintConfig writes the configuration lines that precede a fixture's
// results: the machine, the model's identity, the corpus, ONNX Runtime's
// state when it cannot load, and the units of the custom metrics. It
// writes nothing when f's lines are already in force; before another
// fixture's lines it clears the previous ones, so that no identity entry
// of one model is read as another's.
func PrintConfig(w io.Writer, f *suite.Fixture) {
	printedMu.Lock()
	defer printedMu.Unlock()
	if printed == f {
		return
	}
	if printed != nil {
		lines.Clear(w)
	}
	printed = f
	lines = nil
	lines = append(lines, Machine()...)
	lines = append(lines, f.ConfigLines()...)
	lines = append(lines, runtimeConfig()...)
	lines.Write(w)
	for _, u := range Units {
		fmt.Fprintln(w, u)
	}
}

// runtimeConfig says when ONNX Runtime could not be loaded, and why; when
// it loads, each ORT session's configuration records its version and
// library.
func runtimeConfig() Config {
	var c Config
	if err := ort.Init(); err != nil {
		c.Add("onnxruntime", "unavailable: "+backends.Reason(err))
	}
	return c
}

package harness

import (
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/isolate"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/workload"
	"github.com/inferbench/inferbench/internal/perfcount"
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
	// Logits is where Prefill's timed loop leaves the logits: LogitsHost
	// ("" too: the caller's host buffer, Prefill's contract) or
	// LogitsDevice (sessions that implement backends.DeviceLogits keep
	// them on the device, so the device-to-host copy is not timed; other
	// sessions skip with the reason).
	Logits string
	// WarmUp says how many untimed prefills precede timing; the zero
	// value runs Warmup.
	WarmUp WarmUp
	// Isolate, if positive, bounds an isolation probe: before an Isolated
	// backend is opened, it is probed once per process in a child process
	// (package isolate), and a crash, hang or failed load there skips it
	// with the reason instead of ending the run. The binary's TestMain
	// must serve probes (Main). Zero opens backends directly.
	Isolate time.Duration
}

// Where Prefill leaves the logits (Plan.Logits).
const (
	LogitsHost   = "host"
	LogitsDevice = "device"
)

// CheckLogits rejects a Plan.Logits value other than "", LogitsHost and
// LogitsDevice.
func CheckLogits(where string) error {
	switch where {
	case "", LogitsHost, LogitsDevice:
		return nil
	}
	return fmt.Errorf("logits %q: want %s or %s", where, LogitsHost, LogitsDevice)
}

func (p Plan) logits() string {
	if p.Logits == "" {
		return LogitsHost
	}
	return p.Logits
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
// tok/s, p50-ms, p95-ms, p99-ms and peak-RSS-bytes besides ns/op, and, in
// builds with an accelerator tag where NVML answers, J/tok, gpu-mean-W and
// gpu-peak-mem-bytes (GPUMeter). The configuration of the machine, the
// fixture, the logits placement (Plan.Logits) and every backend's session
// is printed once per process and model (PrintConfig); a degraded
// session's results also carry a "degraded" metric, and a session whose
// placement proof counted compute kernels off its provider
// ("placement-fallback-nodes") reports that count as the fallback-nodes
// metric.
func Prefill(b *testing.B, p Plan) {
	if err := CheckLogits(p.Logits); err != nil {
		b.Fatal(err)
	}
	PrintConfig(os.Stdout, p)
	v := newVerifier(p)
	defer v.close()
	var checks Blocks // each result's output check, before it
	defer checks.Start(os.Stdout, nil)
	for _, be := range p.Backends {
		b.Run("backend="+be.Name(), func(b *testing.B) {
			s, degraded, done := p.open(b, be, nil)
			defer done()
			fallbacks, hasFallbacks := FallbackNodes(s.Config())
			for _, sc := range p.Scenarios {
				batches, err := workload.Batches(p.Fixture.Tokens, sc, VerifyBatches)
				c := &Check{Why: fmt.Sprint(err)}
				if err == nil {
					c = v.prefillCheck(be, sc, batches)
				}
				checks.Start(os.Stdout, c.Config())
				name := b.Name() + "/scenario=" + sc.Name
				b.Run("scenario="+sc.Name, func(b *testing.B) {
					p.skipUnfit(b, be, sc)
					if err != nil {
						b.Fatal(err)
					}
					prefill(b, s, p.Fixture, sc, batches, p.logits(), c, p.WarmUp)
					if degraded != "" {
						b.ReportMetric(1, "degraded")
					}
					if hasFallbacks {
						b.ReportMetric(fallbacks, "fallback-nodes")
					}
				})
				c.Judge(b, name)
			}
		})
	}
}

// FallbackNodes is the placement proof's count of compute kernels that ran
// outside the session's execution provider ("placement-fallback-nodes",
// recorded by the GPU backends), if cfg has one.
func FallbackNodes(cfg [][2]string) (float64, bool) {
	for _, kv := range cfg {
		if kv[0] == "placement-fallback-nodes" {
			n, err := strconv.Atoi(kv[1])
			return float64(n), err == nil
		}
	}
	return 0, false
}

// open opens be's session on the fixture's model, skipping b with the
// reason when be cannot run here or when need, if set, gives one for the
// session, and logs why it is degraded, if it is (its configuration is in
// PrintConfig's header, BackendConfig). done closes the session.
func (p Plan) open(b *testing.B, be backends.Backend, need func(backends.Session) string) (s backends.Session, degraded string, done func()) {
	b.Helper()
	s = p.openIsolated(b, be)
	if need != nil {
		if why := need(s); why != "" {
			s.Close()
			suite.Skip(b, "%s", why)
		}
	}
	degraded = backends.DegradedReason(s)
	if degraded != "" {
		b.Logf("%s is degraded: %s", be.Name(), degraded)
	}
	return s, degraded, func() { s.Close() }
}

// SessionCreate runs b.Run("backend=B") for every backend of p, timing
// the creation and closing of a session on the fixture's model (load,
// graph optimisation, allocation).
func SessionCreate(b *testing.B, p Plan) {
	PrintConfig(os.Stdout, p)
	for _, be := range p.Backends {
		b.Run("backend="+be.Name(), func(b *testing.B) {
			p.openIsolated(b, be).Close() // skips with the reason if unavailable
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

// prefill times s's forward passes, cycling through the input batches,
// and checks the logits of the first, the middle and the last timed call
// (Checked) with the benchmark's timer stopped right after each (c).
func prefill(b *testing.B, s backends.Session, f *suite.Fixture, sc workload.Scenario, batches [][]int64, where string, c *Check, warm WarmUp) {
	logits := make([]float32, f.Model.LogitsLen(sc.Batch, sc.Seq))
	run := func(tokens []int64) error { return s.Prefill(tokens, sc.Batch, sc.Seq, logits) }
	var dl backends.DeviceLogits
	if where == LogitsDevice {
		var ok bool
		if dl, ok = s.(backends.DeviceLogits); !ok {
			suite.Skip(b, "-logits device: the session cannot leave its logits on a device")
		}
		run = func(tokens []int64) error { return dl.PrefillDevice(tokens, sc.Batch, sc.Seq) }
	}
	fetch := func() error { // the last call's logits into logits
		if dl != nil {
			return dl.CopyLogits(logits)
		}
		return nil
	}
	ReleaseMemory()
	ResetPeakRSS()
	next := 0 // the next batch
	warmRun := func() error {
		err := run(batches[next%len(batches)])
		next++
		return err
	}
	if _, _, err := warm.Run(warmRun); err != nil {
		b.Fatal(err)
	}
	if err := fetch(); err != nil { // the warm-up's logits, checked below
		b.Fatal(err)
	}
	if err := Finite(logits); err != nil {
		b.Fatal(err)
	}
	c.start()
	checked := Checked(b.N)
	var t Timer
	t.Reset(b.N)
	fw := newForwardTimes(s, b.N)
	b.ReportAllocs()
	gpu := StartGPUMeter()
	env := StartEnv()
	ins := startInstructions() // after the warm-up: the session's threads exist
	cpu := startCPUTime()
	b.ResetTimer()
	for i := range b.N {
		in := (next + i) % len(batches)
		t.Start()
		err := run(batches[in])
		t.Stop()
		if err != nil {
			b.Fatal(err)
		}
		fw.record()
		if c.want != nil && len(checked) > 0 && i == checked[0] {
			checked = checked[1:]
			b.StopTimer()
			cpu.pause()
			if err := fetch(); err != nil {
				b.Fatal(err)
			}
			if err := c.logits(in, logits, f.Model.Vocab); err != nil {
				b.Fatal(err)
			}
			cpu.resume()
			b.StartTimer()
		}
	}
	b.StopTimer()
	cpu.pause()
	g := gpu.Stop()
	ReportEnv(b, env.Stop())
	ins.report(b)
	cpu.report(b)
	Report(b, &t, sc.Tokens())
	fw.report(b, &t)
	c.Report(b)
	if g.OK {
		b.ReportMetric(g.Joules/float64(sc.Tokens()*b.N), "J/tok")
		b.ReportMetric(g.MeanWatts, "gpu-mean-W")
		b.ReportMetric(float64(g.PeakMemUsed), "gpu-peak-mem-bytes")
	}
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
	header    Blocks         // the lines in force
)

// PrintConfig writes the configuration lines that precede the results of
// p's fixture: the machine, the model's identity, the corpus, ONNX
// Runtime's state when it cannot load, every session option of p's
// backends (BackendConfig), and the units of the custom metrics. It writes
// nothing when the fixture's lines are already in force; for another
// fixture it prints only the lines that change and clears those it does
// not set, so that no identity entry of one model is read as another's.
func PrintConfig(w io.Writer, p Plan) {
	printedMu.Lock()
	defer printedMu.Unlock()
	if printed == p.Fixture {
		return
	}
	first := printed == nil
	printed = p.Fixture
	var lines Config
	lines = append(lines, Machine()...)
	lines = append(lines, p.Fixture.ConfigLines()...)
	lines = append(lines, runtimeConfig()...)
	lines.Add("logits", p.logits())
	lines.Add("warmup", p.WarmUp.String())
	lines.Add("instructions", perfcount.Probe())
	lines.Add("cpu-time", cpuTimeLine())
	lines = append(lines, BackendConfig(p)...)
	header.Start(w, lines)
	if first {
		for _, u := range Units {
			fmt.Fprintln(w, u)
		}
	}
}

// BackendConfig opens each of p's backends that the -bench pattern can
// select once, and ort-cpu when the pattern can select BenchmarkOverhead
// (which uses it whatever -backends says), and returns every
// session option under keys named by the backend
// ("ort-cpu.ort-intra-op-threads: 2"), with a degraded session's reason
// ("ort-cpu-fp16.degraded: …"). Printed once before all results, they
// apply to every result, BenchmarkOverhead's and BenchmarkSessionCreate's
// included: no backend's lines need resetting for the next one, benchstat
// prints them once, and its default tables do not split by backend, so
// -col /backend compares backends side by side. A backend that cannot open
// contributes no lines, nor does an isolated one whose probe failed
// (openIsolated): its benchmarks say why.
func BackendConfig(p Plan) Config {
	if p.Fixture == nil || p.Fixture.Model == nil {
		return nil
	}
	pattern := benchPattern()
	var bes []backends.Backend
	for _, be := range p.Backends {
		if selectsBackend(pattern, be.Name()) {
			bes = append(bes, be)
		}
	}
	if len(p.Backends) > 0 && selects(pattern, "BenchmarkOverhead", "backend="+cpu.Name) {
		if c, err := backends.Lookup(cpu.Name); err == nil && !slices.Contains(bes, c) {
			bes = append(bes, c)
		}
	}
	var c Config
	for _, be := range bes {
		if p.Isolate > 0 && Isolated(be) && isolate.Check(be.Name(), p.Isolate) != nil {
			continue // its benchmarks say why
		}
		s, err := be.Open(p.Fixture.Model, p.Options)
		if err != nil {
			continue
		}
		for _, kv := range s.Config() {
			c.Add(be.Name()+"."+kv[0], kv[1])
		}
		if d := backends.DegradedReason(s); d != "" {
			c.Add(be.Name()+".degraded", d)
		}
		s.Close()
	}
	return c
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

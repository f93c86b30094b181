package inferbench

import (
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/accuracy"
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/benchmarks/harness"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// Option adjusts a run. A setting comes from, in this order: its flag
// given on the command line (RegisterFlags), the Option in code, its
// INFERBENCH_* variable, its default.
type Option func(*run)

type run struct {
	suite.Settings
	baseline       string
	window         int
	maxTokens      int
	allowUntrained bool
	strict         bool
}

// setting returns an Option that sets the flag name's setting unless the
// flag was given on the command line.
func setting(name string, set func(*run)) Option {
	return func(r *run) {
		if !r.OnCommandLine(name) {
			set(r)
		}
	}
}

// RegisterFlags defines the run settings' flags on fs: -model -arch
// -corpus -threads -backends -scenarios -gen-scenarios, each defaulting to
// its INFERBENCH_* variable (INFERBENCH_MODEL, …). A flag given on the
// command line wins over an Option in code. Call it once, before fs is
// parsed; in a test package:
//
//	func TestMain(m *testing.M) {
//		inferbench.RegisterFlags(flag.CommandLine)
//		os.Exit(m.Run())
//	}
//
// Importing the package registers nothing: without RegisterFlags, Options
// and INFERBENCH_* variables configure the runs, and a module whose tests
// define a -model flag of their own keeps it.
func RegisterFlags(fs *flag.FlagSet) { suite.Flags.Register(fs, os.Getenv) }

// Model selects the model: a zoo name ("gpt2-tiny") or "file:PATH", an
// .onnx file or a Hugging Face GPT-2 directory.
func Model(spec string) Option { return setting("model", func(r *run) { r.Model = spec }) }

// Arch declares the architecture of a file: model (e.g. "gpt2-124m"): a
// parameter count that contradicts it is an error, so a small checkpoint
// is never reported as a large one.
func Arch(name string) Option { return setting("arch", func(r *run) { r.Arch = name }) }

// Corpus selects the UTF-8 text whose tokens are the inputs (default: the
// held-out part of Go's Opticks).
func Corpus(path string) Option { return setting("corpus", func(r *run) { r.Corpus = path }) }

// Backends selects the backends by registry name (Registered lists them);
// none means every registered backend.
func Backends(names ...string) Option {
	return setting("backends", func(r *run) { r.Backends = strings.Join(names, ",") })
}

// Scenarios selects the prefill shapes by name (KnownScenarios lists
// them), or "report", "long", "all".
func Scenarios(names ...string) Option {
	return setting("scenarios", func(r *run) { r.Scenarios = strings.Join(names, ",") })
}

// GenScenarios selects the generation shapes by name (KnownGenScenarios
// lists them), or "all".
func GenScenarios(names ...string) Option {
	return setting("gen-scenarios", func(r *run) { r.GenScenarios = strings.Join(names, ",") })
}

// Threads sets the intra-op threads of every session (0: all cores).
func Threads(n int) Option { return setting("threads", func(r *run) { r.Threads = n }) }

// Baseline names the gates' baseline backend (default: the pure-Go
// reference where it can afford the corpus, else ort-cpu checked by the
// reference on the first windows).
func Baseline(name string) Option { return func(r *run) { r.baseline = name } }

// Window sets the gates' sliding-window length in tokens, capped at the
// model's n_positions (default: n_positions; an ONNX file whose context
// length is unknown needs it); the stride is half of it.
func Window(tokens int) Option { return func(r *run) { r.window = tokens } }

// MaxTokens evaluates at most n corpus tokens in the gates (0: all).
func MaxTokens(n int) Option { return func(r *run) { r.maxTokens = n } }

// Strict fails, instead of skipping, a gate in which no candidate ran
// against the baseline (as -strict does).
func Strict() Option { return func(r *run) { r.strict = true } }

// AllowUntrained skips, instead of failing, the gates of an untrained or
// seeded model. It never makes them pass.
func AllowUntrained() Option { return func(r *run) { r.allowUntrained = true } }

// apply resolves the options over the process' settings.
func apply(opts []Option) *run { return applyTo(suite.Flags, opts) }

// applyTo resolves the options over settings s.
func applyTo(s *suite.Settings, opts []Option) *run {
	r := &run{Settings: *s}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Fixture is a resolved model with the corpus and tokens its runs use.
type Fixture = suite.Fixture

// Identity is what produced a number: the model's name, architecture,
// parameter count, weights and file digests, precision, trained or seeded.
type Identity = model.Identity

// Load resolves the options' model and corpus, as Prefill and
// PerplexityGate do, without running anything: a quick check that a model
// file loads and what identity its results will carry.
func Load(opts ...Option) (*Fixture, error) { return apply(opts).Load() }

// Registered returns the names of every backend the test binary has
// (accelerator backends are present, and skipped with their reason, on
// builds or machines that cannot run them).
func Registered() []string { return backends.Names() }

// KnownScenarios returns every prefill shape, the report's first.
func KnownScenarios() []workload.Scenario { return workload.All() }

// KnownGenScenarios returns every generation shape.
func KnownGenScenarios() []workload.GenScenario { return workload.Generation }

// plan resolves the options into a benchmark plan, failing tb on bad
// options and skipping it where the default corpus is not installed.
func (r *run) plan(tb testing.TB) harness.Plan {
	tb.Helper()
	return harness.FromSettings(tb, &r.Settings)
}

// Prefill runs the prefill benchmarks, b.Run("backend=B/scenario=S") for
// every selected backend × scenario: one forward pass over batch × seq
// corpus tokens per iteration.
func Prefill(b *testing.B, opts ...Option) {
	b.Helper()
	r := apply(opts)
	harness.Prefill(b, r.plan(b))
}

// SessionCreate runs b.Run("backend=B") for every selected backend,
// timing the creation and closing of a session on the model.
func SessionCreate(b *testing.B, opts ...Option) {
	b.Helper()
	r := apply(opts)
	harness.SessionCreate(b, r.plan(b))
}

// Generate runs the generation benchmarks, b.Run("backend=B/scenario=S")
// for every selected backend × generation scenario: greedy generation with
// a KV cache from corpus prompts, reporting time to first token, time per
// output token, inter-token latency, tok/s and the cache's size. Backends
// that cannot generate are skipped with the reason.
func Generate(b *testing.B, opts ...Option) {
	b.Helper()
	r := apply(opts)
	harness.Generate(b, r.plan(b))
}

// PerplexityGate evaluates the model with a baseline and every selected
// candidate backend and judges each candidate in a subtest backend=B:
// relative perplexity delta, mean and p99 KL and top-1 agreement within
// the bounds of its precision (Thresholds). A FAIL fails the subtest; a
// backend that cannot run here is skipped with its reason; a seeded or
// untrained model fails the gate as INVALID (skipped with AllowUntrained),
// never passes it. A baseline that cannot run skips the test.
func PerplexityGate(t *testing.T, opts ...Option) {
	t.Helper()
	r := apply(opts)
	f := r.Require(t)
	toks := f.Tokens
	if r.maxTokens > 0 && len(toks) > r.maxTokens {
		toks = toks[:r.maxTokens]
	}
	run, err := accuracy.RunGates(f.Model, f.Corpus, toks, accuracy.Gates{
		Config:     accuracy.Config{Window: r.window, Options: r.Options(), Progress: os.Stderr},
		Baseline:   r.baseline,
		Candidates: r.BackendNames(),
	})
	switch {
	case errors.Is(err, accuracy.ErrSeeded):
		accuracy.Refuse(t, r.allowUntrained, err.Error())
	case errors.Is(err, backends.ErrUnavailable):
		suite.Skip(t, "baseline unavailable: %v", err)
	case err != nil:
		t.Fatal(err)
	}
	run.Test(t, r.allowUntrained, r.strict)
}

// Thresholds are the bounds a candidate of a precision must meet.
type Thresholds = accuracy.Thresholds

// ThresholdsFor returns the bounds for a candidate computing in precision
// ("fp32", "fp16" or "int8").
func ThresholdsFor(precision string) (Thresholds, error) {
	return accuracy.ThresholdsFor(model.Precision(precision))
}

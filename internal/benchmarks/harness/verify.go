package harness

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/workload"
	"github.com/inferbench/inferbench/internal/metrics"
)

// VerifyBatches is how many distinct input batches of the corpus a timed
// loop cycles through (workload.Batches), so that a backend replaying an
// earlier call's outputs gives the wrong logits for the batch it was
// given.
const VerifyBatches = 4

// Reference is the baseline of choice: the pure-Go float64 forward pass.
const Reference = "reference"

// ReferenceBudget bounds parameters × tokens that the reference computes
// as a baseline (about 5 s on two cores), as the accuracy gates' default
// budget does; above it ort-cpu is the baseline.
const ReferenceBudget = 1e10

// Metric units of the output check (Check.Report).
const (
	UnitVerified = "verified-calls"
	UnitTop1     = "top1-agree-%"
	UnitKL       = "worst-kl"
	UnitRelL2    = "worst-rel-l2"
	UnitTokens   = "token-agree-%"
	// InvalidPrefix starts the unit of a broken bound ("invalid:kl"),
	// whose value is the number of checked calls that broke it.
	InvalidPrefix = "invalid:"
)

// verifier holds the baselines of one benchmark function: their sessions
// and their outputs for every scenario and input batch, computed once,
// untimed, and dropped when the benchmark ends.
type verifier struct {
	p        Plan
	sessions map[string]backends.Session // by backend name; nil: cannot open
	why      map[string]string           // why a baseline cannot open
	logits   map[prefillKey][]float32
	greedy   map[genKey][]int64
}

type prefillKey struct {
	baseline, scenario string
	batch              int
}

type genKey struct {
	baseline, scenario string
	batch              int
}

func newVerifier(p Plan) *verifier {
	return &verifier{p: p, sessions: map[string]backends.Session{}, why: map[string]string{},
		logits: map[prefillKey][]float32{}, greedy: map[genKey][]int64{}}
}

// close closes the baselines' sessions.
func (v *verifier) close() {
	for _, s := range v.sessions {
		if s != nil {
			s.Close()
		}
	}
}

// session opens (once) the baseline backend name, or says why it cannot.
func (v *verifier) session(name string) (backends.Session, string) {
	if s, ok := v.sessions[name]; ok {
		return s, v.why[name]
	}
	be, err := backends.Lookup(name)
	var s backends.Session
	if err == nil {
		s, err = be.Open(v.p.Fixture.Model, v.p.Options)
	}
	if err != nil {
		why := backends.Reason(err)
		if why == "" {
			why = err.Error()
		}
		v.why[name] = name + ": " + why
	}
	v.sessions[name] = s
	return s, v.why[name]
}

// baseline picks the baseline of backend cand for work of tokens
// positions: the reference where the model has Go weights and the work
// fits ReferenceBudget, else ort-cpu, never cand itself while another can
// run. A baseline backend with no other to check it is checked against a
// fresh session of its own, so named: that still shows a replay, not a
// systematic error. It returns why when no baseline can run.
func (v *verifier) baseline(cand string, tokens int) (name, label string, s backends.Session, why string) {
	m := v.p.Fixture.Model
	var order, whys []string
	if _, ok := gpt2.Of(m); ok && float64(m.Identity.Params)*float64(tokens) <= ReferenceBudget {
		order = append(order, Reference)
	} else {
		whys = append(whys, fmt.Sprintf("%s: model %s has no Go weights, or %d params × %d tokens exceed its budget %g",
			Reference, m.Identity.Name, m.Identity.Params, tokens, ReferenceBudget))
	}
	order = append(order, cpu.Name)
	for _, n := range order {
		if n == cand {
			continue
		}
		s, why := v.session(n)
		if s != nil {
			return n, n, s, ""
		}
		whys = append(whys, why)
	}
	if slices.Contains(order, cand) {
		s, why := v.session(cand)
		if s != nil {
			return cand, cand + " (itself, a fresh session: shows replays, not systematic errors)", s, ""
		}
		whys = append(whys, why)
	}
	return "", "", nil, "no baseline can run: " + strings.Join(whys, "; ")
}

// Check is one backend's output check on one scenario: what it is judged
// against and what the checked calls showed.
type Check struct {
	Baseline string // the baseline's label; "" when it cannot verify
	Why      string // why it cannot verify ("" when it can)
	bounds   metrics.Thresholds
	relL2    float64
	want     func(i int) ([]float32, error) // baseline logits of batch i
	greedy   func(i int) ([]int64, error)   // baseline continuation of prompt batch i
	lastRow  func(seq []int64) ([]float32, error)

	// Per run of the benchmark function.
	calls, agree, positions int
	worstKL, worstL2        float64
	compared, sameTokens    int
	ran                     bool           // a run started: there is a result
	failed                  map[string]int // this run's checked calls that broke each bound
	runReasons              []string
	// Sticky over the runs of the benchmark function (the testing
	// package's ramp-up, -count): the bounds an earlier run broke mark
	// the result even where the last run broke none.
	earlier        map[string]bool
	earlierReasons []string
}

// Config is the check's configuration lines, printed before its result:
// "verify-baseline: <backend> (<precision> bounds)" or "verified: no
// (<reason>)".
func (c *Check) Config() Config {
	var cfg Config
	if c.Why != "" {
		cfg.Add("verified", "no ("+c.Why+")")
		return cfg
	}
	cfg.Add("verify-baseline", c.Baseline)
	return cfg
}

// start resets the per-run counts.
func (c *Check) start() {
	c.ran = true
	c.calls, c.agree, c.positions, c.worstKL, c.worstL2, c.compared, c.sameTokens = 0, 0, 0, 0, 0, 0, 0
	if len(c.failed) > 0 {
		if c.earlier == nil {
			c.earlier = map[string]bool{}
		}
		for slug := range c.failed {
			c.earlier[slug] = true
		}
		c.earlierReasons = c.runReasons
	}
	c.failed, c.runReasons = map[string]int{}, nil
}

// fail records a broken bound of one checked call.
func (c *Check) fail(what string, vs []metrics.Violation) {
	var texts []string
	seen := map[string]bool{}
	for _, v := range vs {
		if !seen[v.Slug] {
			c.failed[v.Slug]++
			seen[v.Slug] = true
		}
		texts = append(texts, v.Text)
	}
	c.runReasons = append(c.runReasons, what+": "+strings.Join(texts, "; "))
}

// Invalid says why the checked outputs are wrong ("" if none was): the
// last run's broken bounds, else an earlier run's.
func (c *Check) Invalid() string {
	if len(c.runReasons) > 0 {
		return strings.Join(c.runReasons, " | ")
	}
	if len(c.earlierReasons) > 0 {
		return "in an earlier run of the benchmark function: " + strings.Join(c.earlierReasons, " | ")
	}
	return ""
}

// NewOutputCheck prepares the check of backend be's prefill outputs on
// input batches of scenario sc against p's baseline, for a benchmark with
// a timed loop of its own (BenchmarkOverhead): print its Config before
// the result, call Start and then Logits for each checked call inside the
// sub-benchmark (timer stopped), Report there, and Judge after it. done
// closes the baseline's session.
func NewOutputCheck(p Plan, be backends.Backend, sc workload.Scenario, batches [][]int64) (c *Check, done func()) {
	v := newVerifier(p)
	return v.prefillCheck(be, sc, batches), v.close
}

// Start begins a run of the benchmark function: the counts start from
// zero, the bounds broken by earlier runs stay.
func (c *Check) Start() { c.start() }

// Logits checks one timed call's logits, got, for input batch i, rows of
// vocab values (a check that cannot verify does nothing). Call it with
// the benchmark's timer stopped.
func (c *Check) Logits(i int, got []float32, vocab int) error {
	if c.want == nil {
		return nil
	}
	return c.logits(i, got, vocab)
}

// prefillCheck prepares the check of backend be's prefill outputs on
// scenario sc with input batches (K of them).
func (v *verifier) prefillCheck(be backends.Backend, sc workload.Scenario, batches [][]int64) *Check {
	c := &Check{}
	name, s := c.choose(v, be, len(batches)*sc.Tokens())
	if s == nil {
		return c
	}
	m := v.p.Fixture.Model
	c.want = func(i int) ([]float32, error) {
		k := prefillKey{name, sc.Name, i}
		if l, ok := v.logits[k]; ok {
			return l, nil
		}
		l := make([]float32, m.LogitsLen(sc.Batch, sc.Seq))
		if err := s.Prefill(batches[i], sc.Batch, sc.Seq, l); err != nil {
			return nil, fmt.Errorf("baseline %s on input batch %d: %w", name, i, err)
		}
		v.logits[k] = l
		return l, nil
	}
	return c
}

// choose sets the bounds of be's precision and its baseline for work of
// tokens positions, or says why it has none (c.Why, a nil session).
func (c *Check) choose(v *verifier, be backends.Backend, tokens int) (string, backends.Session) {
	th, ok := metrics.ThresholdsFor(string(be.Precision()))
	if !ok {
		c.Why = fmt.Sprintf("no bounds for precision %q", be.Precision())
		return "", nil
	}
	name, label, s, why := v.baseline(be.Name(), tokens)
	if s == nil {
		c.Why = why
		return "", nil
	}
	c.bounds = th
	c.relL2 = metrics.RelL2Bound(string(be.Precision()), !strings.HasPrefix(be.Device(), "cpu"))
	c.Baseline = fmt.Sprintf("%s, %s bounds", label, be.Precision())
	return name, s
}

// logits checks one timed call's logits, got, for input batch i, rows of
// vocab values. Called with the benchmark's timer stopped.
func (c *Check) logits(i int, got []float32, vocab int) error {
	want, err := c.want(i)
	if err != nil {
		return err
	}
	c.calls++
	what := fmt.Sprintf("timed call %d (input batch %d)", c.calls, i)
	if len(got) != len(want) {
		c.fail(what, []metrics.Violation{{Slug: "shape", Text: fmt.Sprintf("%d logits, baseline %d", len(got), len(want))}})
		return nil
	}
	var d metrics.Divergence
	var base metrics.Baseline
	for r := 0; r+vocab <= len(want); r += vocab {
		if err := base.Set(want[r : r+vocab]); err != nil {
			return fmt.Errorf("baseline row %d: %w", r/vocab, err)
		}
		row, err := base.Compare(got[r:r+vocab], base.Argmax)
		if err != nil {
			c.fail(what, []metrics.Violation{{Slug: "nonfinite", Text: fmt.Sprintf("row %d: %v", r/vocab, err)}})
			return nil
		}
		d.Add(row)
	}
	s := d.Summary()
	c.positions += s.Positions
	c.agree += s.Positions - metrics.Flips(s)
	c.worstKL = max(c.worstKL, s.KLMax)
	c.worstL2 = max(c.worstL2, s.RelL2)
	if vs := metrics.OutputBounds(s, c.bounds, c.relL2); len(vs) > 0 {
		c.fail(what, vs)
	}
	return nil
}

// Report adds the check's metrics to b's result: verified-calls (0 when
// it cannot verify), top1-agree-%, worst-kl and worst-rel-l2 for logits,
// token-agree-% for generated tokens, and an invalid:<bound> metric per
// broken bound: the number of this run's checked calls that broke it, 1
// where only an earlier run of the benchmark function did.
func (c *Check) Report(b *testing.B) {
	b.ReportMetric(float64(c.calls), UnitVerified)
	if c.positions > 0 {
		b.ReportMetric(100*float64(c.agree)/float64(c.positions), UnitTop1)
		b.ReportMetric(c.worstKL, UnitKL)
		b.ReportMetric(c.worstL2, UnitRelL2)
	}
	if c.compared > 0 {
		b.ReportMetric(100*float64(c.sameTokens)/float64(c.compared), UnitTokens)
	}
	for slug, n := range c.failed {
		b.ReportMetric(float64(n), InvalidPrefix+slug)
	}
	for slug := range c.earlier {
		if c.failed[slug] == 0 {
			b.ReportMetric(1, InvalidPrefix+slug)
		}
	}
}

// Judge tells, once the result named name is printed, what its check
// found: an invalid result fails parent (the result stays printed, marked)
// with every reason; one that could not verify is logged with the reason.
func (c *Check) Judge(parent *testing.B, name string) {
	parent.Helper()
	if why := c.Invalid(); why != "" {
		parent.Errorf("INVALID %s: its timed outputs are wrong against %s: %s", name, c.Baseline, why)
		return
	}
	if c.Why != "" && c.ran {
		parent.Logf("UNVERIFIED %s: verified=no (%s)", name, c.Why)
	}
}

// Checked lists the iterations of an n-iteration loop whose outputs are
// checked: the first, the middle one and the last.
func Checked(n int) []int {
	out := []int{0}
	for _, i := range []int{n / 2, n - 1} {
		if i > out[len(out)-1] {
			out = append(out, i)
		}
	}
	return out
}

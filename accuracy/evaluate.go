package accuracy

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/accuracy/eval"
	"github.com/inferbench/inferbench/internal/lm/corpus"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/metrics"
)

const (
	// Reference names the pure-Go backend, the default baseline for models
	// it can run over the corpus within ReferenceBudget.
	Reference = "reference"
	// FallbackBaseline is the baseline for larger models.
	FallbackBaseline = "ort-cpu"
	// DefaultReferenceBudget bounds parameters × tokens that the pure-Go
	// reference evaluates. It forwards about 2·10⁹ parameter·tokens per
	// second on two cores (gpt2-tiny: ~530 tokens/s), and the sliding
	// window feeds every token about twice, so the budget is about 10 s of
	// forward passes: gpt2-tiny's 3.45M parameters over ~2,900 tokens. The
	// held-out corpus (~14k tokens) exceeds it, so by default ort-cpu is
	// the baseline and the reference checks it on the first 5 windows.
	DefaultReferenceBudget = 1e10
	// MinCheckWindows is the fewest windows the reference judges when its
	// budget limits it to a prefix of the corpus.
	MinCheckWindows = 2
)

// Config configures Evaluate.
type Config struct {
	Window int // window length (0: the model's n_positions)
	Batch  int // windows per forward pass (0: eval.DefaultBatch)
	// Options open every session.
	Options backends.Options
	// Progress receives progress lines of long evaluations (nil: none).
	Progress io.Writer
	// ReferenceBudget bounds parameters × tokens of the reference when it
	// is a candidate (0: DefaultReferenceBudget).
	ReferenceBudget float64
}

func (c Config) budget() float64 {
	if c.ReferenceBudget > 0 {
		return c.ReferenceBudget
	}
	return DefaultReferenceBudget
}

// ChooseBaseline returns the default baseline for evaluating tokens tokens
// of m: the reference when m has Go weights and params × tokens fits the
// budget, else FallbackBaseline (fp32 ONNX Runtime on the CPU), which the
// reference then checks on the first windows.
func ChooseBaseline(m *model.Model, tokens int, budget float64) string {
	if budget <= 0 {
		budget = DefaultReferenceBudget
	}
	if _, ok := gpt2.Of(m); ok && float64(m.Identity.Params)*float64(tokens) <= budget {
		return Reference
	}
	return FallbackBaseline
}

// ReferenceTokens returns how many of n tokens the reference evaluates as a
// candidate: all within the budget, else the first k windows with k as many
// as the budget allows, at least MinCheckWindows.
func ReferenceTokens(m *model.Model, n, window int, budget float64) int {
	if budget <= 0 {
		budget = DefaultReferenceBudget
	}
	params := float64(m.Identity.Params)
	if params*float64(n) <= budget {
		return n
	}
	k := max(MinCheckWindows, int(budget/(params*float64(window))))
	return min(n, window+(k-1)*metrics.Stride(window))
}

// Evaluate runs the baseline and every candidate over tokens of c and
// judges each candidate with the thresholds of its precision. It refuses a
// model failing CheckIdentity, and tokens failing CheckCorpus, before
// opening anything; it marks every
// verdict INVALID when the baseline's perplexity fails CheckTrained.
// Candidates that cannot run here are SKIP with their reason; an
// unavailable baseline is an error wrapping backends.ErrUnavailable.
func Evaluate(m *model.Model, c *corpus.Corpus, tokens []int64, base backends.Backend, cands []backends.Backend, cfg Config) (*Report, error) {
	if err := CheckIdentity(m.Identity); err != nil {
		return nil, err
	}
	name := "(tokens)"
	if c != nil {
		name = c.Name
	}
	if err := CheckCorpus(name, len(tokens)); err != nil {
		return nil, err
	}
	window, err := eval.WindowFor(m, cfg.Window)
	if errors.Is(err, eval.ErrNoWindow) {
		return nil, fmt.Errorf("accuracy: %w: pass -window N", err)
	}
	if err != nil {
		return nil, fmt.Errorf("accuracy: %w", err)
	}
	rep := &Report{Model: m.Identity, Tokens: len(tokens), Window: window, Stride: metrics.Stride(window), Batch: cfg.Batch}
	if rep.Batch <= 0 {
		rep.Batch = eval.DefaultBatch
	}
	if c != nil {
		rep.Corpus = CorpusInfo{Name: c.Name, Bytes: c.Bytes, SHA256: c.SHA256}
	}
	// Scoring overlaps the next group's forward pass (package eval).
	cfg.Options.Overlapped = true
	bs, err := base.Open(m, cfg.Options)
	if err != nil {
		return nil, fmt.Errorf("accuracy: baseline %s: %w", base.Name(), err)
	}
	defer bs.Close()
	rep.Baseline = BaselineResult{Backend: base.Name(), Precision: string(base.Precision()), Device: base.Device(), Config: bs.Config(), Degraded: backends.DegradedReason(bs)}

	// Open the candidates and group them by how many tokens they run.
	byTokens := map[int][]eval.Run{}
	for _, b := range cands {
		if b.Name() == base.Name() {
			continue // a backend does not judge itself
		}
		res := Result{Backend: b.Name(), Precision: string(b.Precision()), Device: b.Device()}
		th, err := ThresholdsFor(b.Precision())
		if err != nil {
			res.Verdict = Verdict{Status: Fail, Reasons: []string{err.Error()}}
			rep.Backends = append(rep.Backends, res)
			continue
		}
		res.Thresholds = th
		s, err := b.Open(m, cfg.Options)
		if err != nil {
			res.Verdict = openVerdict(err)
			rep.Backends = append(rep.Backends, res)
			continue
		}
		defer s.Close()
		res.Config, res.Tokens, res.Degraded = s.Config(), len(tokens), backends.DegradedReason(s)
		if b.Name() == Reference {
			if n := ReferenceTokens(m, len(tokens), window, cfg.budget()); n < len(tokens) {
				res.Tokens = n
				res.Note = fmt.Sprintf("first %d of %d tokens: the pure-Go reference over %d parameters × %d tokens exceeds its budget of %.3g parameter·tokens",
					n, len(tokens), m.Identity.Params, len(tokens), cfg.budget())
			}
		}
		rep.Backends = append(rep.Backends, res)
		byTokens[res.Tokens] = append(byTokens[res.Tokens], eval.Run{Name: b.Name(), Session: s})
	}

	// The baseline over every token first, with the candidates that run
	// them all; then each shorter prefix with its candidates.
	lengths := []int{len(tokens)}
	for n := range byTokens {
		if n != len(tokens) {
			lengths = append(lengths, n)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(lengths)))
	for _, n := range lengths {
		opt := eval.Options{Window: window, Batch: rep.Batch, Progress: cfg.Progress, Label: label(base.Name(), byTokens[n], n)}
		out, err := eval.Evaluate(m, tokens[:n], eval.Run{Name: base.Name(), Session: bs}, byTokens[n], opt)
		if err != nil {
			return nil, fmt.Errorf("accuracy: %w", err)
		}
		if n == len(tokens) {
			p := out.Baseline.Perplexity
			rep.Baseline.PPL, rep.Baseline.MeanNLL, rep.Baseline.Scored = p.PPL(), p.MeanNLL(), p.Tokens
			rep.Baseline.ForwardSeconds = out.Baseline.Forward.Seconds()
			rep.Baseline.Warnings = errStrings(out.Baseline.Warnings)
		}
		for _, sc := range out.Candidates {
			fill(rep.Result(sc.Name), out.Baseline.Perplexity, sc)
		}
	}
	if err := CheckTrained(m.Identity.Name, rep.Baseline.PPL, m.Vocab); err != nil {
		rep.Invalid = err.Error()
		for i := range rep.Backends {
			if r := &rep.Backends[i]; r.Verdict.Status != Skip {
				r.Verdict = Verdict{Status: Invalid, Reasons: []string{rep.Invalid}}
			}
		}
	}
	return rep, nil
}

// fill records a candidate's scores and verdict.
func fill(r *Result, base metrics.Perplexity, sc eval.Score) {
	p := sc.Perplexity
	r.Scored, r.PPL, r.MeanNLL, r.BaselinePPL = p.Tokens, p.PPL(), p.MeanNLL(), base.PPL()
	r.DeltaRel = metrics.RelDelta(base.PPL(), p.PPL())
	r.Divergence = sc.Divergence
	r.ForwardSeconds = sc.Forward.Seconds()
	r.Warnings = errStrings(sc.Warnings)
	r.Verdict = Judge(base, p, sc.Divergence, r.Thresholds)
}

// openVerdict is SKIP for a backend that cannot run here and FAIL for one
// that should but does not open.
func openVerdict(err error) Verdict {
	if errors.Is(err, backends.ErrUnavailable) {
		reason := backends.Reason(err)
		if reason == "" {
			reason = err.Error()
		}
		return Verdict{Status: Skip, Reasons: []string{reason}}
	}
	return Verdict{Status: Fail, Reasons: []string{"open: " + err.Error()}}
}

func label(base string, runs []eval.Run, tokens int) string {
	s := base
	for _, r := range runs {
		s += "+" + r.Name
	}
	return fmt.Sprintf("%s over %d tokens", s, tokens)
}

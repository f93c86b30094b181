package accuracy

import (
	"errors"
	"fmt"
	"math"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/metrics"
)

var (
	// ErrSeeded refuses a model whose weights are a seeded random
	// initialisation: its perplexity means nothing.
	ErrSeeded = errors.New("seeded weights: accuracy gates refuse them")
	// ErrUntrained reports a model whose measured perplexity shows that it
	// predicts no better than chance.
	ErrUntrained = errors.New("model is untrained")
	// ErrPrecision reports a precision without thresholds.
	ErrPrecision = errors.New("no accuracy thresholds for precision")
	// ErrCorpusTooShort reports an evaluation text with fewer than
	// MinScoredTokens scored tokens.
	ErrCorpusTooShort = errors.New("corpus too short")
)

// MinScoredTokens is the fewest scored tokens (corpus tokens minus one) an
// evaluation needs before it says anything about the model. A trained
// model's per-token NLL spreads over 2–3 nats, so over 100 tokens its mean
// is known to about ±0.3 nats: far enough from GPT-2's untrained limit
// ln(50257/2) ≈ 10.1 nats for CheckTrained to tell a trained model (4–6
// nats) from an untrained one. Over fewer, a trained model can look
// untrained (a 10-byte text scores 2 tokens). Between this and
// metrics.MinTokens the results carry weak-statistics warnings.
const MinScoredTokens = 100

// CheckCorpus refuses an evaluation of tokens tokens that scores fewer
// than MinScoredTokens.
func CheckCorpus(name string, tokens int) error {
	if scored := max(tokens-1, 0); scored < MinScoredTokens {
		return fmt.Errorf("accuracy: %w: %d tokens scored, need %d (corpus %s: %d tokens; give a longer -corpus, or a larger -max-tokens)",
			ErrCorpusTooShort, scored, MinScoredTokens, name, tokens)
	}
	return nil
}

// Status is a gate's outcome.
type Status string

const (
	Pass Status = "PASS"
	Fail Status = "FAIL"
	// Invalid: the gate cannot judge (untrained or seeded model).
	Invalid Status = "INVALID"
	// Skip: the backend cannot run here.
	Skip Status = "SKIP"
)

// Thresholds bound a candidate's deviation from the baseline
// (metrics.Thresholds: the benchmarks check the outputs they time against
// the same bounds).
type Thresholds = metrics.Thresholds

// ThresholdsFor returns the bounds for a candidate computing in p
// (metrics.ThresholdsFor says why they are what they are).
func ThresholdsFor(p model.Precision) (Thresholds, error) {
	th, ok := metrics.ThresholdsFor(string(p))
	if !ok {
		return Thresholds{}, fmt.Errorf("accuracy: %w %q", ErrPrecision, p)
	}
	return th, nil
}

// Verdict is a gate's outcome and every reason for it.
type Verdict struct {
	Status  Status   `json:"status"`
	Reasons []string `json:"reasons,omitempty"`
}

// Judge compares a candidate's perplexity and divergence with the
// baseline's perplexity over the same positions. Every bound is checked,
// so a failing verdict lists all violations; NaN fails every bound.
func Judge(base, cand metrics.Perplexity, d metrics.Summary, th Thresholds) Verdict {
	var reasons []string
	fail := func(format string, args ...any) { reasons = append(reasons, fmt.Sprintf(format, args...)) }
	if base.Tokens == 0 || cand.Tokens != base.Tokens || d.Positions != base.Tokens {
		fail("scored %d baseline tokens, %d candidate tokens and %d compared positions: nothing to judge consistently",
			base.Tokens, cand.Tokens, d.Positions)
	}
	delta := metrics.RelDelta(base.PPL(), cand.PPL())
	if !(math.Abs(delta) <= th.PPLRel) {
		fail("PPL %.4f vs baseline %.4f: Δ %+.4f%% exceeds ±%.3g%%", cand.PPL(), base.PPL(), 100*delta, 100*th.PPLRel)
	}
	if !(d.KLMean <= th.KLMean) {
		fail("mean KL %.3g nats exceeds %.3g", d.KLMean, th.KLMean)
	}
	if !(d.KLP99 <= th.KLP99) {
		fail("p99 KL %.3g nats exceeds %.3g", d.KLP99, th.KLP99)
	}
	if !(d.Top1 >= th.Top1Min) {
		fail("top-1 agreement %.3f%% below %.3g%%", 100*d.Top1, 100*th.Top1Min)
	}
	if len(reasons) > 0 {
		return Verdict{Status: Fail, Reasons: reasons}
	}
	return Verdict{Status: Pass}
}

// CheckIdentity refuses models whose identity makes accuracy meaningless:
// an architecture that does not match the weights (model.ErrIdentityMismatch)
// or seeded weights (ErrSeeded).
func CheckIdentity(id model.Identity) error {
	if err := id.Validate(); err != nil {
		return fmt.Errorf("accuracy: %w", err)
	}
	if id.Weights == model.Seeded {
		return fmt.Errorf("accuracy: model %s: %w: its weights (%s) are a random initialisation, valid for latency and memory only; evaluate trained weights, e.g. -model file:DIR with a Hugging Face GPT-2 checkpoint",
			id.Name, ErrSeeded, id.Extra["weights-source"])
	}
	return nil
}

// UntrainedPPL is the perplexity above which a model over vocab tokens
// counts as untrained: half the vocabulary. A uniform guess scores exactly
// vocab; a randomly initialised GPT-2 scores about that.
func UntrainedPPL(vocab int) float64 { return float64(vocab) / 2 }

// CheckTrained reports ErrUntrained when the baseline perplexity ppl of a
// model over vocab tokens is above UntrainedPPL (or NaN).
func CheckTrained(name string, ppl float64, vocab int) error {
	if limit := UntrainedPPL(vocab); !(ppl <= limit) {
		return fmt.Errorf("accuracy: %w: %s has perplexity %.1f on the evaluation text, above half its vocabulary (%d/2 = %.1f; a uniform guess scores %d): its weights predict nothing, so no accuracy delta measured on it means anything",
			ErrUntrained, name, ppl, vocab, limit, vocab)
	}
	return nil
}

package accuracy

import (
	"errors"
	"fmt"
	"math"

	"github.com/inferbench/inferbench/accuracy/metrics"
	"github.com/inferbench/inferbench/fixtures/model"
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
)

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

// Thresholds bound a candidate's deviation from the baseline.
type Thresholds struct {
	PPLRel  float64 `json:"ppl_rel"`  // max |PPL_c − PPL_b| / PPL_b
	KLMean  float64 `json:"kl_mean"`  // max mean KL(P‖Q), nats
	KLP99   float64 `json:"kl_p99"`   // max p99 KL(P‖Q), nats
	Top1Min float64 `json:"top1_min"` // min top-1 agreement
}

// thresholds per precision; see ThresholdsFor for the reasoning.
var thresholds = map[model.Precision]Thresholds{
	model.FP32: {PPLRel: 0.001, KLMean: 1e-3, KLP99: 1e-2, Top1Min: 0.99},
	model.FP16: {PPLRel: 0.005, KLMean: 5e-3, KLP99: 5e-2, Top1Min: 0.98},
	model.INT8: {PPLRel: 0.02, KLMean: 2e-2, KLP99: 2e-1, Top1Min: 0.95},
}

// ThresholdsFor returns the bounds for a candidate computing in p.
//
// The perplexity bound τ is the project's: 0.1% for fp32, 0.5% for fp16,
// 2% for int8. A relative perplexity change τ is a mean NLL change of
// ln(1+τ) ≈ τ nats per token. If the baseline's distributions P were the
// text's, the candidate's expected NLL increase would be exactly the mean
// KL(P‖Q); so the mean-KL bound is that same NLL budget, ln(1+τ) rounded:
// 1e-3, 5e-3 and 2e-2 nats. Unlike ΔPPL, KL is non-negative at every
// position, so errors that raise some NLLs and lower others cannot cancel.
//
// The p99 bound is ten times the mean bound. Benign rounding noise of
// logit size δ gives per-position KL ≈ ½·Var_P(δ), spread roughly like a
// scaled χ² whose p99 is under seven times its mean; an error confined to
// a few positions (a window edge, a late position embedding, a masking
// bug) is diluted in the mean but shows in the tail.
//
// Top-1 agreement flips only where the baseline's two best logits are
// closer than the candidate's error; the floors (99%, 98%, 95%) admit the
// flip rates that noise at the KL budget causes on near-ties.
func ThresholdsFor(p model.Precision) (Thresholds, error) {
	th, ok := thresholds[p]
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
		return fmt.Errorf("accuracy: model %s has %w (%s); they are valid for latency and memory only: use a trained model, e.g. -model gpt2-tiny or -model file:DIR",
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

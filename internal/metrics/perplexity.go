package metrics

import (
	"errors"
	"fmt"
	"math"
)

// ErrWeak marks statistics resting on too few observations to be stable.
// Warnings wrapping it are reported, never turned into failures.
var ErrWeak = errors.New("weak statistics")

// MinTokens is the number of scored tokens below which a perplexity is
// reported with a warning: its per-token NLL spread makes the estimate
// move by several percent from one text to the next.
const MinTokens = 1000

// Perplexity accumulates negative log-likelihoods, in nats, of scored
// tokens.
type Perplexity struct {
	SumNLL float64 // Σ −log p(target)
	Tokens int     // targets scored
}

// Add accumulates one target's negative log-likelihood.
func (p *Perplexity) Add(nll float64) {
	p.SumNLL += nll
	p.Tokens++
}

// MeanNLL is the mean negative log-likelihood per token in nats (NaN when
// nothing was scored).
func (p Perplexity) MeanNLL() float64 {
	if p.Tokens == 0 {
		return math.NaN()
	}
	return p.SumNLL / float64(p.Tokens)
}

// PPL is the perplexity, exp(MeanNLL).
func (p Perplexity) PPL() float64 { return math.Exp(p.MeanNLL()) }

// Warnings reports weak statistics.
func (p Perplexity) Warnings() []error {
	if p.Tokens < MinTokens {
		return []error{fmt.Errorf("perplexity over %d tokens (< %d): %w", p.Tokens, MinTokens, ErrWeak)}
	}
	return nil
}

// RelDelta is the relative change (cand − base) / base.
func RelDelta(base, cand float64) float64 { return (cand - base) / base }

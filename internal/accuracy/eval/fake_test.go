package eval

import (
	"errors"
	"fmt"
	"math"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// bigram is a fake session whose logits at a row depend only on the token
// at that row: bigram(prev)[v]. Its perplexity therefore does not depend on
// windows or batches, and equals Σ −log softmax(bigram(tokens[t-1]))[tokens[t]]
// over t = 1…n-1, computed independently of any window.
type bigram struct {
	vocab int
	noise float64 // candidate perturbation: added to logit v as noise·cos(…)
	shift float32 // added to every logit: changes no probability
	calls [][2]int
	fail  error
	nan   bool
}

func (b *bigram) logit(prev int64, v int) float32 {
	x := math.Sin(float64(prev)*1.7+float64(v)*0.9) * 3
	x += b.noise * math.Cos(float64(prev)*0.3+float64(v)*2.1)
	return float32(x) + b.shift
}

func (b *bigram) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	b.calls = append(b.calls, [2]int{batch, seq})
	if b.fail != nil {
		return b.fail
	}
	if len(tokens) != batch*seq || len(logits) != batch*seq*b.vocab {
		return fmt.Errorf("fake: bad shapes: %d tokens, %d logits for %d×%d: %w", len(tokens), len(logits), batch, seq, model.ErrBadShape)
	}
	for i, t := range tokens {
		for v := range b.vocab {
			logits[i*b.vocab+v] = b.logit(t, v)
		}
	}
	if b.nan {
		logits[0] = float32(math.NaN()) // row 0 always predicts a scored target
	}
	return nil
}

func (b *bigram) Config() [][2]string { return [][2]string{{"fake", "bigram"}} }
func (b *bigram) Close() error        { return nil }

// directNLL scores tokens under the bigram without windows.
func (b *bigram) directNLL(tokens []int64) float64 {
	var sum float64
	for t := 1; t < len(tokens); t++ {
		m := math.Inf(-1)
		for v := range b.vocab {
			m = max(m, float64(b.logit(tokens[t-1], v)))
		}
		var s float64
		for v := range b.vocab {
			s += math.Exp(float64(b.logit(tokens[t-1], v)) - m)
		}
		sum += math.Log(s) - (float64(b.logit(tokens[t-1], int(tokens[t]))) - m)
	}
	return sum
}

func fakeModel(vocab, positions int) *model.Model {
	return &model.Model{
		Identity:  model.Identity{Name: "fake", Params: 1, Weights: model.Trained, Precision: model.FP32},
		Vocab:     vocab,
		Positions: positions,
	}
}

// fakeTokens is a deterministic pseudo-random token sequence.
func fakeTokens(n, vocab int) []int64 {
	out := make([]int64, n)
	x := uint32(12345)
	for i := range out {
		x = x*1664525 + 1013904223
		out[i] = int64(x>>8) % int64(vocab)
	}
	return out
}

var errFake = errors.New("fake failure")

// rowBigram is a bigram that also implements backends.RowPrefiller,
// recording each call's first row (−1 for Prefill).
type rowBigram struct {
	bigram
	froms       []int
	unavailable bool // PrefillRows fails with backends.ErrUnavailable
}

func (b *rowBigram) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	b.froms = append(b.froms, -1)
	return b.bigram.Prefill(tokens, batch, seq, logits)
}

func (b *rowBigram) PrefillRows(tokens []int64, batch, seq, from int, logits []float32) error {
	if b.unavailable {
		return backends.Unavailable("fake", "no row-prefill graph")
	}
	b.froms = append(b.froms, from)
	if from < 0 || from >= seq || len(logits) != batch*(seq-from)*b.vocab {
		return fmt.Errorf("fake: bad rows: from %d of %d, %d logits for batch %d: %w", from, seq, len(logits), batch, model.ErrBadShape)
	}
	full := make([]float32, batch*seq*b.vocab)
	if err := b.bigram.Prefill(tokens, batch, seq, full); err != nil {
		return err
	}
	rows := (seq - from) * b.vocab
	for i := range batch {
		copy(logits[i*rows:][:rows], full[(i*seq+from)*b.vocab:][:rows])
	}
	return nil
}

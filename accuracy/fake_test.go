package accuracy

import (
	"fmt"
	"math"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// fakeVocab is the vocabulary of the fake model: its untrained threshold
// is 16.
const fakeVocab = 32

// predicted is the fake language's rule: after token a comes (5a+3) mod V,
// except at every seventh position.
func predicted(a int64) int64 { return (5*a + 3) % fakeVocab }

// fakeTokens is text in the fake language.
func fakeTokens(n int) []int64 {
	out := make([]int64, n)
	out[0] = 1
	for i := 1; i < n; i++ {
		out[i] = predicted(out[i-1])
		if i%7 == 0 {
			out[i] = (out[i] + int64(i)) % fakeVocab
		}
	}
	return out
}

// fakeSession predicts the fake language: logit 4 on predicted(token),
// 0 elsewhere, plus noise·sin(…) on every logit; uniform predicts nothing.
type fakeSession struct {
	noise   float64
	uniform bool
}

func (s *fakeSession) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	if len(logits) != batch*seq*fakeVocab {
		return fmt.Errorf("fake: %d logits for %d×%d: %w", len(logits), batch, seq, model.ErrBadShape)
	}
	for i, t := range tokens {
		row := logits[i*fakeVocab:][:fakeVocab]
		for v := range row {
			x := s.noise * math.Sin(float64(t)*1.3+float64(v)*2.9+float64(i%seq)*0.7)
			if !s.uniform && int64(v) == predicted(t) {
				x += 4
			}
			row[v] = float32(x)
		}
	}
	return nil
}

func (s *fakeSession) Config() [][2]string { return [][2]string{{"fake-noise", fmt.Sprint(s.noise)}} }
func (s *fakeSession) Close() error        { return nil }

// fakeBackend opens fakeSessions, or fails as told; it counts opens.
type fakeBackend struct {
	name      string
	precision model.Precision
	session   fakeSession
	reason    string // unavailable
	openErr   error
	degraded  string
	opened    int
	opts      backends.Options // of the last Open
}

func (b *fakeBackend) Name() string               { return b.name }
func (b *fakeBackend) Precision() model.Precision { return b.precision }
func (b *fakeBackend) Device() string             { return "fake" }

func (b *fakeBackend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	b.opened++
	b.opts = opts
	if b.reason != "" {
		return nil, backends.Unavailable(b.name, "%s", b.reason)
	}
	if b.openErr != nil {
		return nil, b.openErr
	}
	s := b.session
	if b.degraded != "" {
		return &degradedSession{s, b.degraded}, nil
	}
	return &s, nil
}

// degradedSession reports that it does not run as its backend claims.
type degradedSession struct {
	fakeSession
	why string
}

func (s *degradedSession) Degraded() string { return s.why }

func fakeModel(kind model.WeightsKind) *model.Model {
	return &model.Model{
		Identity:  model.Identity{Name: "fake-lm", Architecture: "fake", Params: 1000, Weights: kind, Precision: model.FP32},
		Vocab:     fakeVocab,
		Positions: 64,
	}
}

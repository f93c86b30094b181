package reference

import (
	"fmt"
	"strconv"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// Name is the registry key of the reference backend.
const Name = "reference"

func init() { backends.Register(backend{}) }

type backend struct{}

func (backend) Name() string               { return Name }
func (backend) Precision() model.Precision { return model.FP32 }
func (backend) Device() string             { return "cpu-go" }

// Open needs the model's Go weights: foreign ONNX files have none.
func (backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	if err := opts.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	src, ok := gpt2.Of(m)
	if !ok {
		return nil, backends.Unavailable(Name, "model %s has no Go weights (foreign ONNX file)", m.Identity.Name)
	}
	if err := src.Weights.Check(src.Config); err != nil {
		return nil, err
	}
	return &session{m: m, src: src, threads: opts.EffectiveThreads()}, nil
}

var _ backends.RowPrefiller = (*session)(nil)

type session struct {
	m       *model.Model
	src     *gpt2.Source
	threads int
}

func (s *session) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	if err := s.m.CheckInput(tokens, batch, seq); err != nil {
		return err
	}
	if err := backends.CheckLogits(s.m, batch, seq, logits); err != nil {
		return err
	}
	return forward(s.src.Config, s.src.Weights, tokens, nil, batch, seq, logits, s.threads)
}

// PrefillRows implements backends.RowPrefiller: the LM head runs over
// positions from … seq−1 only.
func (s *session) PrefillRows(tokens []int64, batch, seq, from int, logits []float32) error {
	if err := s.m.CheckInput(tokens, batch, seq); err != nil {
		return err
	}
	if err := backends.CheckRowLogits(s.m, batch, seq, from, logits); err != nil {
		return err
	}
	return forwardRows(s.src.Config, s.src.Weights, tokens, batch, seq, from, logits, s.threads)
}

func (s *session) Config() [][2]string {
	return [][2]string{
		{"reference-accumulate", "float64"},
		{"reference-threads", strconv.Itoa(s.threads)},
	}
}

func (s *session) Close() error { return nil }

package backendtest

import (
	"slices"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// echo's sessions write each token id into every logit of its row.
type echo struct{}

func (echo) Name() string               { return "echo" }
func (echo) Precision() model.Precision { return model.FP32 }
func (echo) Device() string             { return "cpu" }
func (echo) Open(*model.Model, backends.Options) (backends.Session, error) {
	return echoSession{}, nil
}

type echoSession struct{}

func (echoSession) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	for i := range logits {
		logits[i] = float32(tokens[i/2])
	}
	return nil
}
func (echoSession) Config() [][2]string { return nil }
func (echoSession) Close() error        { return nil }

// After its third call a stale session returns the third call's logits,
// whatever its inputs; an honest one (after 0) never does.
func TestStale(t *testing.T) {
	m := &model.Model{Vocab: 2}
	for _, after := range []int{3, 0} {
		s, err := Stale("s", echo{}, after).Open(m, backends.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float32, 2)
		for call := int64(1); call <= 6; call++ {
			if err := s.Prefill([]int64{call}, 1, 1, out); err != nil {
				t.Fatal(err)
			}
			want := float32(call)
			if after > 0 && call > int64(after) {
				want = float32(after)
			}
			if !slices.Equal(out, []float32{want, want}) {
				t.Errorf("after %d, call %d: logits %v, want %v", after, call, out, want)
			}
		}
	}
}

package reference

import (
	"errors"
	"slices"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

func testModel() *model.Model {
	c := smallConfig
	return &model.Model{
		Identity: model.Identity{Name: "test-small"},
		Vocab:    c.VocabSize, Positions: c.NPositions,
		Source: &gpt2.Source{Config: c, Weights: perturbed(c, 11)},
	}
}

func TestBackend(t *testing.T) {
	b, err := backends.Lookup(Name)
	if err != nil {
		t.Fatal(err)
	}
	if b.Precision() != model.FP32 || b.Device() != "cpu-go" {
		t.Errorf("precision %s, device %s", b.Precision(), b.Device())
	}
	m := testModel()
	s, err := b.Open(m, backends.Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !slices.Contains(s.Config(), [2]string{"reference-accumulate", "float64"}) {
		t.Errorf("Config() = %v lacks reference-accumulate", s.Config())
	}
	tokens := []int64{1, 2, 3, 4, 5, 6}
	got := make([]float32, m.LogitsLen(2, 3))
	if err := s.Prefill(tokens, 2, 3, got); err != nil {
		t.Fatal(err)
	}
	want := make([]float32, len(got))
	src, _ := gpt2.Of(m)
	if err := Forward(src.Config, src.Weights, tokens, nil, 2, 3, want); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Prefill differs from Forward")
	}

	for _, tt := range []struct {
		name   string
		tokens []int64
		logits int
		want   error
	}{
		{"short logits", tokens, len(got) - 1, model.ErrBadShape},
		{"bad token", []int64{1, 2, 3, 4, 5, 99}, len(got), model.ErrBadToken},
		{"bad shape", tokens[:5], len(got), model.ErrBadShape},
	} {
		if err := s.Prefill(tt.tokens, 2, 3, make([]float32, tt.logits)); !errors.Is(err, tt.want) {
			t.Errorf("%s: Prefill = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestOpenForeign(t *testing.T) {
	b, err := backends.Lookup(Name)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Open(&model.Model{Identity: model.Identity{Name: "file:x.onnx"}, Vocab: 10}, backends.Options{})
	if !errors.Is(err, backends.ErrUnavailable) {
		t.Fatalf("Open(foreign) = %v, want ErrUnavailable", err)
	}
	if r := backends.Reason(err); r == "" {
		t.Errorf("no reason in %v", err)
	}
}

// TestPrefillRows: PrefillRows writes exactly Prefill's logits of rows
// from … seq−1 of every sequence, and refuses a first row outside the
// sequence or a buffer of the wrong size.
func TestPrefillRows(t *testing.T) {
	m := testModel()
	b, err := backends.Lookup(Name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Open(m, backends.Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rp, ok := s.(backends.RowPrefiller)
	if !ok {
		t.Fatal("reference session is not a backends.RowPrefiller")
	}
	const batch, seq = 3, 7
	tokens := make([]int64, batch*seq)
	for i := range tokens {
		tokens[i] = int64(i*7+3) % int64(m.Vocab)
	}
	full := make([]float32, m.LogitsLen(batch, seq))
	if err := s.Prefill(tokens, batch, seq, full); err != nil {
		t.Fatal(err)
	}
	v := m.Vocab
	for _, from := range []int{0, 1, 3, seq - 1} {
		got := make([]float32, m.LogitsLen(batch, seq-from))
		if err := rp.PrefillRows(tokens, batch, seq, from, got); err != nil {
			t.Fatalf("from %d: %v", from, err)
		}
		for i := range batch {
			want := full[(i*seq+from)*v : (i+1)*seq*v]
			if !slices.Equal(got[i*(seq-from)*v:][:len(want)], want) {
				t.Errorf("from %d: sequence %d's rows differ from Prefill's", from, i)
			}
		}
	}
	for _, c := range []struct{ from, rows int }{{-1, seq}, {seq, 1}, {2, seq}} {
		err := rp.PrefillRows(tokens, batch, seq, c.from, make([]float32, m.LogitsLen(batch, c.rows)))
		if !errors.Is(err, model.ErrBadShape) {
			t.Errorf("from %d with %d rows: error %v, want ErrBadShape", c.from, c.rows, err)
		}
	}
}

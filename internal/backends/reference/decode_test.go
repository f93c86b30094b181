package reference

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// TestDecodeMatchesForward decodes greedily with the KV cache and checks
// that the prefill's logits and every step's equal Forward's over the whole
// prefix, bit for bit (the cached pass does the same arithmetic in the same
// order), under 1, 2, 3, 16 and 64 workers.
func TestDecodeMatchesForward(t *testing.T) {
	for _, threads := range []int{1, 2, 3, 16, 64} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) { checkDecode(t, threads) })
	}
}

func checkDecode(t *testing.T, threads int) {
	m := testModel()
	src, _ := gpt2.Of(m)
	c := src.Config
	s := &session{m: m, src: src, threads: threads}
	const batch, prompt, steps = 2, 5, 6
	d, err := s.NewDecoder(batch, prompt+steps)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	seqs := make([][]int64, batch)
	r := rand.New(rand.NewPCG(1, 2))
	tokens := randomTokens(r, batch*prompt, c.VocabSize)
	for b := range batch {
		seqs[b] = append([]int64(nil), tokens[b*prompt:(b+1)*prompt]...)
	}
	logits, err := d.Prefill(tokens, prompt)
	if err != nil {
		t.Fatal(err)
	}
	last := func(l []float32, seq int) [][]float32 { // last row of each sequence
		out := make([][]float32, batch)
		for b := range batch {
			out[b] = l[((b+1)*seq-1)*c.VocabSize:][:c.VocabSize]
		}
		return out
	}
	rows := last(logits, prompt)
	for i := range steps + 1 {
		seq := prompt + i
		flat := make([]int64, 0, batch*seq)
		for b := range batch {
			flat = append(flat, seqs[b]...)
		}
		want := make([]float32, m.LogitsLen(batch, seq))
		if err := Forward(c, src.Weights, flat, nil, batch, seq, want); err != nil {
			t.Fatal(err)
		}
		for b, row := range last(want, seq) {
			for j := range row {
				if rows[b][j] != row[j] {
					t.Fatalf("length %d, sequence %d: cached logit %d = %v, Forward %v", seq, b, j, rows[b][j], row[j])
				}
			}
		}
		if i == steps {
			break
		}
		next := make([]int64, batch)
		for b := range batch {
			next[b] = backends.Argmax(rows[b])
			seqs[b] = append(seqs[b], next[b])
		}
		step, err := d.Step(next)
		if err != nil {
			t.Fatal(err)
		}
		if d.Len() != seq+1 {
			t.Fatalf("Len = %d after %d positions", d.Len(), seq+1)
		}
		rows = last(step, 1)
	}
	// The cache is full: one more step is refused.
	if _, err := d.Step(make([]int64, batch)); !errors.Is(err, model.ErrTooLong) {
		t.Errorf("step past maxLen: %v, want ErrTooLong", err)
	}
	// Prefill starts over.
	if _, err := d.Prefill(tokens, prompt); err != nil || d.Len() != prompt {
		t.Errorf("second Prefill: %v, Len %d", err, d.Len())
	}
}

func TestDecoderErrors(t *testing.T) {
	m := testModel()
	src, _ := gpt2.Of(m)
	s := &session{m: m, src: src, threads: 1}
	if _, err := s.NewDecoder(1, src.Config.NPositions+1); !errors.Is(err, model.ErrTooLong) {
		t.Errorf("decoder beyond n_positions: %v", err)
	}
	if _, err := s.NewDecoder(0, 4); !errors.Is(err, model.ErrBadShape) {
		t.Errorf("batch 0: %v", err)
	}
	d, err := s.NewDecoder(2, 4)
	if err != nil {
		t.Fatal(err)
	}
	v := src.Config.VocabSize
	for _, tt := range []struct {
		name   string
		run    func() error
		target error
	}{
		{"tokens", func() error { _, err := d.Prefill([]int64{1, 2, 3}, 2); return err }, model.ErrBadShape},
		{"token", func() error { _, err := d.Prefill([]int64{1, 2, 3, int64(v)}, 2); return err }, model.ErrBadToken},
		{"too long", func() error { _, err := d.Prefill(make([]int64, 10), 5); return err }, model.ErrTooLong},
		{"step batch", func() error { _, err := d.Step([]int64{1}); return err }, model.ErrBadShape},
	} {
		if err := tt.run(); !errors.Is(err, tt.target) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.target)
		}
	}
	var _ backends.Generator = s
}

package backends_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

func TestArgmax(t *testing.T) {
	for _, tt := range []struct {
		row  []float32
		want int64
	}{
		{[]float32{1}, 0},
		{[]float32{0, 3, 2}, 1},
		{[]float32{-5, -1, -1}, 1}, // the first of a tie
		{[]float32{2, 1, 7}, 2},
	} {
		if got := backends.Argmax(tt.row); got != tt.want {
			t.Errorf("Argmax(%v) = %d, want %d", tt.row, got, tt.want)
		}
	}
}

type prefillOnly struct{ backends.Session }

func TestNewDecoderWithoutGenerator(t *testing.T) {
	_, err := backends.NewDecoder("x", prefillOnly{}, 1, 8)
	if !errors.Is(err, backends.ErrUnavailable) || backends.Reason(err) != backends.NoGeneration {
		t.Errorf("NewDecoder on a prefill-only session = %v, want unavailable: %s", err, backends.NoGeneration)
	}
}

func TestCheckDecode(t *testing.T) {
	m := &model.Model{Identity: model.Identity{Name: "m"}, Vocab: 10, Positions: 8}
	for _, tt := range []struct {
		name                    string
		tokens                  []int64
		batch, seq, past, limit int
		want                    error
	}{
		{"ok", []int64{1, 2}, 2, 1, 3, 8, nil},
		{"tokens", []int64{1}, 2, 1, 0, 8, model.ErrBadShape},
		{"decoder full", []int64{1}, 1, 1, 4, 4, model.ErrTooLong},
		{"n_positions", []int64{1, 2}, 1, 2, 7, 16, model.ErrTooLong},
		{"vocabulary", []int64{10}, 1, 1, 0, 8, model.ErrBadToken},
	} {
		if err := backends.CheckDecode(m, tt.tokens, tt.batch, tt.seq, tt.past, tt.limit); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: CheckDecode = %v, want %v", tt.name, err, tt.want)
		}
	}
}

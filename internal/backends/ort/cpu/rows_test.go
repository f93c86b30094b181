package cpu_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
)

// TestPrefillRows: at every precision, PrefillRows (the row-prefill
// graph) gives Prefill's logits of rows from … seq−1 of every sequence, to
// float32 rounding (relative L2 ≤ 1e-6; the graphs differ only by a Slice
// before the final LayerNorm), for a first row at the start, inside and at
// the last position, on two batch shapes in turn (the bound I/O sets).
func TestPrefillRows(t *testing.T) {
	orttest.Require(t)
	m := smallModel(t)
	const seq = 12
	for _, p := range []model.Precision{model.FP32, model.FP16, model.INT8} {
		t.Run(string(p), func(t *testing.T) {
			var s backends.Session
			if p == model.INT8 {
				s = openINT8(t, m)
			} else {
				var err error
				if s, err = cpu.New(p).Open(m, backends.Options{Threads: 2}); err != nil {
					t.Fatal(err)
				}
				defer s.Close()
			}
			rp, ok := s.(backends.RowPrefiller)
			if !ok {
				t.Fatalf("%T is not a backends.RowPrefiller", s)
			}
			v := m.Vocab
			for _, batch := range []int{2, 1} {
				tokens := make([]int64, batch*seq)
				for i := range tokens {
					tokens[i] = int64(i*37+11) % int64(v)
				}
				full := make([]float32, m.LogitsLen(batch, seq))
				if err := s.Prefill(tokens, batch, seq, full); err != nil {
					t.Fatal(err)
				}
				for _, from := range []int{0, 5, seq - 1} {
					got := make([]float32, m.LogitsLen(batch, seq-from))
					if err := rp.PrefillRows(tokens, batch, seq, from, got); err != nil {
						t.Fatalf("batch %d from %d: %v", batch, from, err)
					}
					var want []float32
					for i := range batch {
						want = append(want, full[(i*seq+from)*v:(i+1)*seq*v]...)
					}
					if rel := relL2(got, want); !(rel <= 1e-6) {
						t.Errorf("batch %d from %d: relative L2 %.3g to Prefill's rows", batch, from, rel)
					}
				}
			}
			err := rp.PrefillRows(make([]int64, seq), 1, seq, seq, make([]float32, 0))
			if !errors.Is(err, model.ErrBadShape) {
				t.Errorf("first row past the sequence: %v, want ErrBadShape", err)
			}
		})
	}
}

// TestPrefillRowsForeign: a foreign ONNX file has no row-prefill graph;
// PrefillRows says so with an error wrapping backends.ErrUnavailable (the
// evaluation then prefills whole windows).
func TestPrefillRowsForeign(t *testing.T) {
	orttest.Require(t)
	m := orttest.Tiny(t)
	s, err := cpu.Backend{}.Open(m, backends.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.(backends.RowPrefiller).PrefillRows(make([]int64, 4), 1, 4, 2, make([]float32, m.LogitsLen(1, 2)))
	if !errors.Is(err, backends.ErrUnavailable) {
		t.Errorf("PrefillRows on a foreign file: %v, want unavailable", err)
	}
}

//go:build cuda

package cuda_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/ort/cuda"
	"github.com/inferbench/inferbench/backends/ort/orttest"
)

func TestOptions(t *testing.T) {
	o := cuda.Options(backends.Options{Threads: 2})
	if !o.RebindInputs {
		t.Error("RebindInputs off: ORT copies bound inputs to the GPU at bind time")
	}
	if len(o.Providers) != 1 || o.Providers[0].Name != cuda.ProviderName {
		t.Fatalf("providers %+v, want CUDA alone", o.Providers)
	}
}

// TestOpen opens ort-cuda on the tiny model. With ORT's CPU build (the
// pinned npm library) it must end unavailable with ORT's message, never
// crash; where a CUDA build and a GPU are present it must compute the
// tiny model's logits.
func TestOpen(t *testing.T) {
	orttest.Require(t)
	m := orttest.Tiny(t)
	s, err := cuda.Backend{}.Open(m, backends.Options{})
	if err != nil {
		if !errors.Is(err, backends.ErrUnavailable) {
			t.Fatalf("Open: %v; want a session or an unavailable error", err)
		}
		r := backends.Reason(err)
		if r == "" || r == "built without -tags cuda" {
			t.Fatalf("reason %q does not carry ORT's error", r)
		}
		t.Logf("unavailable, as expected without an ORT CUDA build: %s", r)
		return
	}
	defer s.Close()
	logits := make([]float32, m.LogitsLen(2, 3))
	for _, tokens := range [][]int64{{6, 0, 5, 1, 4, 2}, {0, 1, 2, 3, 4, 5}} {
		if err := s.Prefill(tokens, 2, 3, logits); err != nil {
			t.Fatal(err)
		}
		want := orttest.TinyLogits(tokens)
		for i := range want {
			if logits[i] != want[i] {
				t.Fatalf("tokens %v: logits[%d] = %v, want %v", tokens, i, logits[i], want[i])
			}
		}
	}
}

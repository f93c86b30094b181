//go:build cuda

package cuda_test

import (
	"errors"
	"math"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
)

func TestOptions(t *testing.T) {
	for _, graph := range []bool{false, true} {
		if o := cuda.Options(backends.Options{Threads: 2}, graph, false); (o.Decoder != nil) == graph {
			t.Errorf("graph %v: decoder set %v; graph sessions must not generate, others must", graph, o.Decoder != nil)
		}
	}
	for _, noFallback := range []bool{false, true} {
		o := cuda.Options(backends.Options{Threads: 2}, true, noFallback)
		if !o.RebindInputs {
			t.Error("RebindInputs off: the probe binds host tensors, which ORT copies to the GPU at bind time")
		}
		if len(o.Providers) != 1 || o.Providers[0].Name != cuda.ProviderName {
			t.Fatalf("providers %+v, want CUDA alone", o.Providers)
		}
		has := false
		for _, e := range o.Entries {
			has = has || e == [2]string{cuda.EntryNoCPUFallback, "1"}
		}
		if has != noFallback {
			t.Errorf("noFallback %v: entries %v", noFallback, o.Entries)
		}
	}
}

// TestOpen opens every CUDA backend on the tiny model. Without a GPU
// build, a GPU or the NVIDIA libraries each must end unavailable with a
// reason, never crash; where they are present it must compute the tiny
// model's logits, with host and device logits alike, and (graph backend)
// through the replayed graphs.
func TestOpen(t *testing.T) {
	orttest.Require(t)
	m := orttest.Tiny(t)
	for _, b := range cuda.All() {
		t.Run(b.Name(), func(t *testing.T) {
			if b.Precision() != "fp32" || b.Fused() {
				t.Skip("the tiny hand-built model has no Go weights for precision variants or a fused graph")
			}
			s, err := b.Open(m, backends.Options{})
			if err != nil {
				if !errors.Is(err, backends.ErrUnavailable) {
					t.Fatalf("Open: %v; want a session or an unavailable error", err)
				}
				r := backends.Reason(err)
				if r == "" || r == "built without -tags cuda" {
					t.Fatalf("reason %q does not say what is missing", r)
				}
				t.Logf("unavailable: %s", r)
				return
			}
			defer s.Close()
			for _, kv := range s.Config() {
				t.Logf("%s: %s", kv[0], kv[1])
			}
			logits := make([]float32, m.LogitsLen(2, 3))
			for run := range 4 { // graphs are captured after the first runs
				for _, tokens := range [][]int64{{6, 0, 5, 1, 4, 2}, {0, 1, 2, 3, 4, 5}} {
					for i := range logits {
						logits[i] = float32(math.NaN())
					}
					if err := s.Prefill(tokens, 2, 3, logits); err != nil {
						t.Fatal(err)
					}
					want := orttest.TinyLogits(tokens)
					for i := range want {
						if math.Abs(float64(logits[i]-want[i])) > 1e-5*max(1, math.Abs(float64(want[i]))) {
							t.Fatalf("run %d, tokens %v: logits[%d] = %v, want %v", run, tokens, i, logits[i], want[i])
						}
					}
					dl := s.(backends.DeviceLogits)
					if err := dl.PrefillDevice(tokens, 2, 3); err != nil {
						t.Fatal(err)
					}
					clear(logits)
					if err := dl.CopyLogits(logits); err != nil {
						t.Fatal(err)
					}
					if logits[7] != want[7] {
						t.Fatalf("device logits[7] = %v, want %v", logits[7], want[7])
					}
				}
			}
			if r := backends.DegradedReason(s); r != "" {
				t.Logf("degraded: %s", r)
			}
			tokens := []int64{0, 1, 2, 3, 4, 5}
			allocs := testing.AllocsPerRun(10, func() {
				if err := s.Prefill(tokens, 2, 3, logits); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("Prefill allocates %v times per call, want 0", allocs)
			}
		})
	}
}

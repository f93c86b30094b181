//go:build cuda

package cuda_test

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/backends/suite"
)

// openDecoder opens backend b on the default model and a decoder of
// batch × maxLen positions on it, skipping with the reason when the
// backend (no GPU, no GPU build) or its generation is unavailable.
func openDecoder(t *testing.T, b backends.Backend, batch, maxLen int) (backends.Decoder, *suite.Fixture) {
	t.Helper()
	f := suite.Flags.Require(t)
	s := backendtest.Open(t, b, f.Model, backends.Options{Threads: 2})
	d, err := backends.NewDecoder(b.Name(), s, batch, maxLen)
	if r := backends.Reason(err); r != "" {
		suite.Skip(t, "%s", r)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("closing decoder: %v", err)
		}
	})
	return d, f
}

// TestDecoderMatchesReference decodes teacher-forced with every
// generating CUDA backend's device-resident decoder and the reference's,
// two sequences at once, and compares the prefill's and every step's
// logits; a second prefill of another length must start a fresh cache
// (the buffers swap roles every call, so this exercises both parities).
func TestDecoderMatchesReference(t *testing.T) {
	const batch, maxLen = 2, 20
	for _, b := range cuda.All() {
		t.Run("backend="+b.Name(), func(t *testing.T) {
			tol := MaxRelL2
			switch {
			case b.Graph():
				t.Skip("graph sessions do not generate (TestGraphDoesNotGenerate)")
			case b.Precision() == model.FP16:
				tol = MaxRelL2FP16
			case b.Precision() == model.INT8:
				t.Skip("int8 is gated by accuracy's KL bounds, not a logits tolerance")
			}
			cand, f := openDecoder(t, b, batch, maxLen)
			be, _ := backends.Lookup(reference.Name)
			base, _ := openDecoder(t, be, batch, maxLen)
			for _, prompt := range []int{7, 4} {
				backendtest.CompareDecoders(t, cand, base, f.Tokens, prompt, maxLen, tol)
			}
		})
	}
}

// TestDecoderStepAllocs proves that a decoding step on ort-cuda allocates
// nothing on the Go heap once the decoder exists (the cache, its views
// and the bindings of every length are made up front), and that its
// cache is the device-resident one.
func TestDecoderStepAllocs(t *testing.T) {
	const batch, prompt, runs = 2, 4, 20
	d, f := openDecoder(t, cuda.All()[0], batch, prompt+runs+2)
	placement := ""
	for _, kv := range d.Config() {
		if kv[0] == "kv-cache-placement" {
			placement = kv[1]
		}
	}
	if placement != "cuda:0" {
		t.Errorf("kv-cache-placement %q, want cuda:0", placement)
	}
	if _, err := d.Prefill(f.Tokens[:batch*prompt], prompt); err != nil {
		t.Fatal(err)
	}
	if allocs := backendtest.StepAllocs(t, d, f.Tokens[:batch], runs); allocs != 0 {
		t.Errorf("%v allocations per step, want 0", allocs)
	}
}

// TestGraphDoesNotGenerate: ort-cuda-graph refuses a decoder with the
// reason, never a fake one.
func TestGraphDoesNotGenerate(t *testing.T) {
	f := suite.Flags.Require(t)
	s := backendtest.Open(t, cuda.All()[1], f.Model, backends.Options{Threads: 2})
	d, err := backends.NewDecoder(cuda.NameGraph, s, 1, 8)
	if err == nil {
		d.Close()
		t.Fatal("ort-cuda-graph made a decoder")
	}
	if r := backends.Reason(err); r != backends.NoGeneration {
		t.Errorf("reason %q (%v), want %q", r, err, backends.NoGeneration)
	}
}

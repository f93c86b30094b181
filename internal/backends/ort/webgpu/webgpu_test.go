//go:build webgpu

package webgpu_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/ort/webgpu"
)

func TestOptions(t *testing.T) {
	o := webgpu.Options(backends.Options{Threads: 2})
	if !o.RebindInputs {
		t.Error("RebindInputs off: ORT copies bound inputs to the GPU at bind time, so repeated prefills would reuse stale tokens")
	}
	if len(o.Providers) != 1 || o.Providers[0].Name != webgpu.ProviderName || o.Providers[0].Append == nil {
		t.Fatalf("providers %+v, want WebGPU alone", o.Providers)
	}
	if !slices.Contains(o.Providers[0].Config, [2]string{"ort-webgpu-provider-options", "{}"}) {
		t.Errorf("provider config %v does not record the provider options", o.Providers[0].Config)
	}
	if o.IntraOpThreads != 2 || o.InterOpThreads != 1 {
		t.Errorf("threads %d/%d, want 2/1", o.IntraOpThreads, o.InterOpThreads)
	}
}

// open opens ort-webgpu on the tiny model, skipping with ORT's reason
// where WebGPU cannot run.
func open(t *testing.T) backends.Session {
	t.Helper()
	orttest.Require(t)
	return backendtest.Open(t, webgpu.Backend{}, orttest.Tiny(t), backends.Options{})
}

// TestUnavailableCarriesORTMessage checks, on a machine without a WebGPU
// adapter, that Open says so in ORT's words instead of failing.
func TestUnavailableCarriesORTMessage(t *testing.T) {
	orttest.Require(t)
	s, err := webgpu.Backend{}.Open(orttest.Tiny(t), backends.Options{})
	if err == nil {
		s.Close()
		t.Skip("WebGPU runs here")
	}
	if !errors.Is(err, backends.ErrUnavailable) {
		t.Fatalf("Open: %v; want an unavailable error", err)
	}
	if r := backends.Reason(err); !strings.Contains(r, "WebGPU") {
		t.Errorf("reason %q does not carry ORT's WebGPU message", r)
	}
	t.Logf("unavailable: %s", backends.Reason(err))
}

// TestPrefillFollowsTokens runs the same shape and buffer with different
// tokens: the logits must follow the tokens (ORT copies bound inputs to the
// device at bind time, so a session that did not re-bind them would repeat
// the first call's logits).
func TestPrefillFollowsTokens(t *testing.T) {
	s := open(t)
	c := map[string]string{}
	for _, kv := range s.Config() {
		c[kv[0]] = kv[1]
	}
	if c["ort-providers"] != "WebGPU,CPUExecutionProvider" || c["ort-rebind-inputs"] != "on" {
		t.Errorf("config providers %q rebind %q", c["ort-providers"], c["ort-rebind-inputs"])
	}
	if _, ok := s.(*ort.Session); !ok {
		t.Errorf("session is %T, want *ort.Session", s)
	}
	logits := make([]float32, orttest.Tiny(t).LogitsLen(2, 3))
	for _, tokens := range [][]int64{
		{6, 0, 5, 1, 4, 2},
		{0, 1, 2, 3, 4, 5},
		{6, 0, 5, 1, 4, 2},
		{3, 3, 3, 3, 3, 3},
	} {
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

package cpu_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// TestFusedConfig: ort-cpu-fused on the default model records its fusion
// and the fused graph's contrib-op counts, and its probe ran every fused
// node as its contrib kernel (not degraded): a graph or an ONNX Runtime
// that silently stops fusing fails here.
func TestFusedConfig(t *testing.T) {
	f := suite.Flags.Require(t)
	src, ok := gpt2.Of(f.Model)
	if !ok {
		t.Skipf("model %s has no Go weights to fuse", f.Model.Identity.Name)
	}
	s := backendtest.Open(t, cpu.Fused(), f.Model, backends.Options{Threads: 2})
	cfg := map[string]string{}
	for _, kv := range s.Config() {
		cfg[kv[0]] = kv[1]
	}
	want := graph.FormatOps(graph.WantContribOps(src.Config))
	for _, key := range []string{"fused-kernels", "variant-graph-fused-ops"} {
		if cfg[key] != want {
			t.Errorf("%s: %q, want %q", key, cfg[key], want)
		}
	}
	if cfg["variant-graph-fusion"] != "ort-contrib" {
		t.Errorf("variant-graph-fusion %q", cfg["variant-graph-fusion"])
	}
	if d, ok := s.(backends.Degrader); !ok || d.Degraded() != "" {
		t.Errorf("session degraded: %v", s)
	}
}

// TestFusedMatchesReference: ort-cpu-fused computes the reference's logits
// on the default model for every scenario (relative L2 ≤ 1e-5).
func TestFusedMatchesReference(t *testing.T) {
	f := suite.Flags.Require(t)
	base, _ := backends.Lookup(reference.Name)
	backendtest.Run(t, backendtest.Case{
		Candidate: cpu.Fused(),
		Baseline:  base,
		Model:     f.Model,
		Tokens:    f.Tokens,
		Options:   suite.Flags.Options(),
		Scenarios: workload.Report,
		MaxRelL2:  1e-5,
	})
}

// TestFusedDecoderMatchesUnfused decodes teacher-forced with the fused and
// the unfused decoders (Attention with past/present against the Concat
// cache) and compares the prefill's and every step's logits.
func TestFusedDecoderMatchesUnfused(t *testing.T) {
	f := suite.Flags.Require(t)
	const batch, prompt, steps = 2, 7, 6
	open := func(be backends.Backend) backends.Decoder {
		s := backendtest.Open(t, be, f.Model, backends.Options{Threads: 2})
		d, err := backends.NewDecoder(be.Name(), s, batch, prompt+steps)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	backendtest.CompareDecoders(t, open(cpu.Fused()), open(cpu.New("")), f.Tokens, prompt, prompt+steps, 1e-5)
}

// TestFusedForeignFileUnavailable: a model without Go weights (a foreign
// ONNX file) has no fused graph, so ort-cpu-fused is unavailable with that
// reason (suites skip it), not an error.
func TestFusedForeignFileUnavailable(t *testing.T) {
	orttest.Require(t)
	s, err := cpu.Fused().Open(orttest.Tiny(t), backends.Options{Threads: 1})
	if err == nil {
		s.Close()
		t.Fatal("ort-cpu-fused opened a model without Go weights")
	}
	if !errors.Is(err, backends.ErrUnavailable) || !strings.Contains(backends.Reason(err), "no Go weights") {
		t.Errorf("Open = %v (reason %q), want unavailable: no Go weights", err, backends.Reason(err))
	}
}

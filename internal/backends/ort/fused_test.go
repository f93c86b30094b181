package ort_test

import (
	"math/rand/v2"
	"testing"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// TestFusedMatchesUnfused runs the fused graph (ONNX Runtime's contrib
// Attention, SkipLayerNormalization and FastGelu; package graph, fused.go)
// on the CPU provider and checks its logits against the unfused graph's
// and package reference's: relative L2 ≤ 1e-5 for both, every output
// written, with and without padding, at both optimization levels.
func TestFusedMatchesUnfused(t *testing.T) {
	orttest.Require(t)
	w := ortWeights()
	fused, err := graph.Build(ortConfig, w, graph.Options{Precision: model.FP32, Fused: true})
	if err != nil {
		t.Fatal(err)
	}
	unfused, err := graph.Build(ortConfig, w, graph.Options{Precision: model.FP32})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, level := range optLevels {
		t.Run(level.name, func(t *testing.T) {
			fs := newSession(t, fused.Marshal(), level.level)
			us := newSession(t, unfused.Marshal(), level.level)
			for _, tt := range maskCases {
				t.Run(tt.name, func(t *testing.T) {
					tokens, mask := tt.inputs(r)
					got := runORT(t, fs, tokens, mask, tt.batch, tt.seq)
					base := runORT(t, us, tokens, mask, tt.batch, tt.seq)
					ref := make([]float32, len(tokens)*ortConfig.VocabSize)
					if err := reference.Forward(ortConfig, w, tokens, mask, tt.batch, tt.seq, ref); err != nil {
						t.Fatal(err)
					}
					for _, want := range []struct {
						name string
						v    []float32
					}{{"unfused graph", base}, {"reference", ref}} {
						rel, err := relL2(got, want.v)
						if err != nil {
							t.Fatal(err)
						}
						t.Logf("relative L2 to the %s %.3g", want.name, rel)
						if rel > 1e-5 {
							t.Errorf("relative L2 to the %s %.3g > 1e-5", want.name, rel)
						}
					}
				})
			}
		})
	}
}

// TestFusedFP16RunsOnCPU builds the fused fp16 graph (float16 weights and
// contrib ops, no Casts around LayerNorm and softmax) and runs it on the
// CPU provider, which runs the contrib ops in float16 where it has the
// kernel and inserts Casts to float32 where not: the wiring (types,
// shapes, attributes) must be accepted and the logits must be within
// 2e-3 of the reference and of the unfused fp16 graph at the real
// positions (measured: 5.7e-4 and 4.3e-4, the unfused fp16 graph's own
// error 3.2e-4; the CUDA fp16 conformance bound is 2e-2), with left
// padding, whose fully masked queries must not turn into NaN.
func TestFusedFP16RunsOnCPU(t *testing.T) {
	orttest.Require(t)
	w := ortWeights()
	fused, err := graph.Build(ortConfig, w, graph.Options{Precision: model.FP16, Fused: true})
	if err != nil {
		t.Fatal(err)
	}
	unfused, err := graph.Build(ortConfig, w, graph.Options{Precision: model.FP16})
	if err != nil {
		t.Fatal(err)
	}
	fs := newSession(t, fused.Marshal(), ortgo.GraphOptimizationLevelEnableAll)
	us := newSession(t, unfused.Marshal(), ortgo.GraphOptimizationLevelEnableAll)
	left := maskCase{"4x19 left padding", 4, 19, func(b, s int) int64 { return b2i(s >= 2*b) }}
	batch, seq := left.batch, left.seq
	tokens, mask := left.inputs(rand.New(rand.NewPCG(5, 6)))
	got := runORT(t, fs, tokens, mask, batch, seq)
	base := runORT(t, us, tokens, mask, batch, seq)
	ref := make([]float32, batch*seq*ortConfig.VocabSize)
	if err := reference.Forward(ortConfig, w, tokens, mask, batch, seq, ref); err != nil {
		t.Fatal(err)
	}
	// Queries at padded positions attend nothing: the fp32 graphs attend
	// uniformly, the fp16 fused one by score (FusedMaskFilter is finite);
	// nobody reads their logits, so only real positions are compared.
	real := func(v []float32) []float32 {
		var out []float32
		for i, m := range mask {
			if m != 0 {
				out = append(out, v[i*ortConfig.VocabSize:(i+1)*ortConfig.VocabSize]...)
			}
		}
		return out
	}
	if rel, err := relL2(real(base), real(ref)); err == nil {
		t.Logf("unfused fp16 graph: relative L2 to the reference %.3g", rel)
	}
	for _, want := range []struct {
		name string
		v    []float32
	}{{"unfused fp16 graph", base}, {"reference", ref}} {
		if _, err := relL2(got, want.v); err != nil {
			t.Fatal(err)
		}
		rel, _ := relL2(real(got), real(want.v))
		t.Logf("relative L2 to the %s %.3g", want.name, rel)
		if rel > 2e-3 {
			t.Errorf("relative L2 to the %s %.3g > 2e-3", want.name, rel)
		}
	}
}

package ort_test

import (
	"math/rand/v2"
	"testing"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends/ort/orttest"
	"github.com/inferbench/inferbench/backends/reference"
	"github.com/inferbench/inferbench/fixtures/gpt2/graph"
	"github.com/inferbench/inferbench/fixtures/model"
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
	tests := []struct {
		name       string
		batch, seq int
		mask       func(b, s int) int64 // nil: all ones
	}{
		{"1x1", 1, 1, nil},
		{"1x8", 1, 8, nil},
		{"4x19", 4, 19, nil},
		{"4x11 left padding", 4, 11, func(b, s int) int64 { return b2i(s >= 3*b) }},
		{"4x11 right padding", 4, 11, func(b, s int) int64 { return b2i(s < 11-2*b) }},
		{"3x7 holes", 3, 7, func(b, s int) int64 { return b2i((s+b)%3 != 0) }},
		{"2x32 full context", 2, 32, nil},
	}
	for _, level := range []struct {
		name  string
		level ortgo.GraphOptimizationLevel
	}{{"opt-all", ortgo.GraphOptimizationLevelEnableAll}, {"opt-none", ortgo.GraphOptimizationLevelDisableAll}} {
		t.Run(level.name, func(t *testing.T) {
			fs := newSession(t, fused.Marshal(), level.level)
			us := newSession(t, unfused.Marshal(), level.level)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					n := tt.batch * tt.seq
					tokens := make([]int64, n)
					mask := make([]int64, n)
					for i := range tokens {
						tokens[i] = r.Int64N(int64(ortConfig.VocabSize))
						mask[i] = 1
						if tt.mask != nil {
							mask[i] = tt.mask(i/tt.seq, i%tt.seq)
						}
					}
					got := runORT(t, fs, tokens, mask, tt.batch, tt.seq)
					base := runORT(t, us, tokens, mask, tt.batch, tt.seq)
					ref := make([]float32, n*ortConfig.VocabSize)
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
	const batch, seq = 4, 19
	r := rand.New(rand.NewPCG(5, 6))
	tokens := make([]int64, batch*seq)
	mask := make([]int64, batch*seq)
	for i := range tokens {
		tokens[i] = r.Int64N(int64(ortConfig.VocabSize))
		mask[i] = b2i(i%seq >= 2*(i/seq))
	}
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

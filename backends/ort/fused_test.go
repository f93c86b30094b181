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

package ort_test

import (
	"math/rand/v2"
	"testing"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// minMaxRanges runs the calibration graph of w on tokens and returns each
// quantization point's min/max (package calib does this at scale).
func minMaxRanges(t *testing.T, w *gpt2.Weights, tokens, mask []int64, batch, seq int) map[string]graph.Range {
	t.Helper()
	cal, err := graph.Build(ortConfig, w, graph.Options{ExposeActivations: true})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range cal.Graph.Outputs[1:] {
		names = append(names, o.Name)
	}
	sess, err := ortgo.NewDynamicAdvancedSessionWithONNXData(cal.Marshal(),
		[]string{model.InputIDs, model.AttentionMask}, names, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Destroy()
	outs := make([]ortgo.Value, len(names))
	if err := sess.Run(inputTensors(t, tokens, mask, batch, seq), outs); err != nil {
		t.Fatal(err)
	}
	r := map[string]graph.Range{}
	for i, o := range outs {
		d := o.(*ortgo.Tensor[float32]).GetData()
		rr := graph.Range{Min: d[0], Max: d[0]}
		for _, v := range d {
			rr.Min, rr.Max = min(rr.Min, v), max(rr.Max, v)
		}
		r[names[i]] = rr
		o.Destroy()
	}
	return r
}

// TestORTPrecisions runs the fp16 and int8 graphs in ONNX Runtime against
// the float64 reference. fp16 must stay within relative L2 1e-2; int8 must
// differ measurably (≥ 1e-4: a smaller error means nothing was quantized)
// but stay within 0.1. With 7-bit weights, ONNX Runtime's fused int8
// kernels (all optimisations) must compute what the unfused QDQ graph
// computes in float (no optimisation): nothing saturates.
func TestORTPrecisions(t *testing.T) {
	orttest.Require(t)
	w := ortWeights()
	const batch, seq = 4, 16
	r := rand.New(rand.NewPCG(5, 6))
	tokens, mask := make([]int64, batch*seq), make([]int64, batch*seq)
	for i := range tokens {
		tokens[i], mask[i] = r.Int64N(int64(ortConfig.VocabSize)), 1
	}
	want := make([]float32, batch*seq*ortConfig.VocabSize)
	if err := reference.Forward(ortConfig, w, tokens, mask, batch, seq, want); err != nil {
		t.Fatal(err)
	}
	ranges := minMaxRanges(t, w, tokens, mask, batch, seq)
	tests := []struct {
		name     string
		opt      graph.Options
		min, max float64
		agree    float64 // max relative L2 between fused and unfused runs
	}{
		{"fp16", graph.Options{Precision: model.FP16}, 0, 1e-2, 1e-3},
		{"int8-w8", graph.Options{Precision: model.INT8, Ranges: ranges, WeightBits: 8}, 1e-4, 0.1, 1},
		{"int8-w7", graph.Options{Precision: model.INT8, Ranges: ranges, WeightBits: 7}, 1e-4, 0.1, 1e-4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := graph.Build(ortConfig, w, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			var runs [][]float32
			for _, level := range []ortgo.GraphOptimizationLevel{ortgo.GraphOptimizationLevelEnableAll, ortgo.GraphOptimizationLevelDisableAll} {
				got := runORT(t, newSession(t, m.Marshal(), level), tokens, mask, batch, seq)
				rel, err := relL2(got, want)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("optimization level %d: relative L2 %.3g", level, rel)
				if !(rel >= tt.min && rel <= tt.max) {
					t.Errorf("optimization level %d: relative L2 %.3g outside [%g, %g]", level, rel, tt.min, tt.max)
				}
				runs = append(runs, got)
			}
			d, _ := relL2(runs[0], runs[1])
			t.Logf("fused vs unfused: relative L2 %.3g", d)
			if d > tt.agree {
				t.Errorf("fused and unfused runs differ by relative L2 %.3g > %g", d, tt.agree)
			}
		})
	}
}

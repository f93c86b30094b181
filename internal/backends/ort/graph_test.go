package ort_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// ortConfig is small but has several heads and layers, a vocabulary that is
// no power of two and room for the longest test sequence.
var ortConfig = gpt2.Config{NLayer: 2, NHead: 4, NEmbd: 64, NPositions: 32, VocabSize: 97, LayerNormEpsilon: 1e-5}

// ortWeights are seeded weights with LayerNorm gains and every bias made
// non-trivial, so that no parameter goes unchecked.
func ortWeights() *gpt2.Weights {
	w := gpt2.Seeded(ortConfig, 42)
	r := rand.New(rand.NewPCG(42, 43))
	for _, nt := range w.Tensors() {
		if len(nt.T.Shape) == 1 {
			for i := range nt.T.Data {
				nt.T.Data[i] += float32(0.1 * r.NormFloat64())
			}
		}
	}
	return w
}

// The builder's graphs (package graph in internal/lm/gpt2) are checked here,
// next to the ONNX Runtime layer, so that fixtures never import a backend.

// TestORTMatchesReference runs the built graph in ONNX Runtime and checks
// its logits against package reference: relative L2 error ≤ 1e-5, every
// output written.
func TestORTMatchesReference(t *testing.T) {
	orttest.Require(t)
	w := ortWeights()
	m, err := graph.Build(ortConfig, w, graph.Options{Precision: model.FP32})
	if err != nil {
		t.Fatal(err)
	}
	data := m.Marshal()

	r := rand.New(rand.NewPCG(1, 2))
	for _, level := range optLevels {
		t.Run(level.name, func(t *testing.T) {
			sess := newSession(t, data, level.level)
			for _, tt := range maskCases {
				t.Run(tt.name, func(t *testing.T) {
					tokens, mask := tt.inputs(r)
					got := runORT(t, sess, tokens, mask, tt.batch, tt.seq)
					want := make([]float32, len(tokens)*ortConfig.VocabSize)
					if err := reference.Forward(ortConfig, w, tokens, mask, tt.batch, tt.seq, want); err != nil {
						t.Fatal(err)
					}
					rel, err := relL2(got, want)
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("relative L2 %.3g", rel)
					if rel > 1e-5 {
						t.Errorf("relative L2 error %.3g > 1e-5", rel)
					}
				})
			}
		})
	}
}

// maskCase is a batch shape and its attention mask.
type maskCase struct {
	name       string
	batch, seq int
	mask       func(b, s int) int64 // nil: all ones
}

// maskCases cover single tokens, batches, padding on either side, holes
// and the full context.
var maskCases = []maskCase{
	{"1x1", 1, 1, nil},
	{"1x8", 1, 8, nil},
	{"4x11", 4, 11, nil},
	{"4x19", 4, 19, nil},
	{"4x11 left padding", 4, 11, func(b, s int) int64 { return b2i(s >= 3*b) }},
	{"4x11 right padding", 4, 11, func(b, s int) int64 { return b2i(s < 11-2*b) }},
	{"3x7 holes", 3, 7, func(b, s int) int64 { return b2i((s+b)%3 != 0) }},
	{"2x32 full context", 2, 32, nil},
}

// inputs draws random token ids and builds the case's mask.
func (c maskCase) inputs(r *rand.Rand) (tokens, mask []int64) {
	n := c.batch * c.seq
	tokens, mask = make([]int64, n), make([]int64, n)
	for i := range tokens {
		tokens[i] = r.Int64N(int64(ortConfig.VocabSize))
		mask[i] = 1
		if c.mask != nil {
			mask[i] = c.mask(i/c.seq, i%c.seq)
		}
	}
	return tokens, mask
}

// optLevels are ORT's graph optimisation extremes: a graph must compute
// the same whether ORT rewrites it or not.
var optLevels = []struct {
	name  string
	level ortgo.GraphOptimizationLevel
}{{"opt-all", ortgo.GraphOptimizationLevelEnableAll}, {"opt-none", ortgo.GraphOptimizationLevelDisableAll}}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func newSession(t *testing.T, data []byte, level ortgo.GraphOptimizationLevel) *ortgo.DynamicAdvancedSession {
	t.Helper()
	opts, err := ortgo.NewSessionOptions()
	if err != nil {
		t.Fatal(err)
	}
	defer opts.Destroy()
	if err := opts.SetGraphOptimizationLevel(level); err != nil {
		t.Fatal(err)
	}
	if err := opts.SetIntraOpNumThreads(2); err != nil {
		t.Fatal(err)
	}
	sess, err := ortgo.NewDynamicAdvancedSessionWithONNXData(data,
		[]string{model.InputIDs, model.AttentionMask}, []string{model.Logits}, opts)
	if err != nil {
		t.Fatalf("ONNX Runtime rejects the graph: %v", err)
	}
	t.Cleanup(func() { sess.Destroy() })
	return sess
}

// inputTensors makes the input_ids and attention_mask tensors [batch, seq],
// destroyed when t ends.
func inputTensors(t *testing.T, tokens, mask []int64, batch, seq int) []ortgo.Value {
	t.Helper()
	shape := ortgo.NewShape(int64(batch), int64(seq))
	var in []ortgo.Value
	for _, v := range [][]int64{tokens, mask} {
		x, err := ortgo.NewTensor(shape, v)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Destroy() })
		in = append(in, x)
	}
	return in
}

// runORT runs the session into an output poisoned with NaN.
func runORT(t *testing.T, sess *ortgo.DynamicAdvancedSession, tokens, mask []int64, batch, seq int) []float32 {
	t.Helper()
	in := inputTensors(t, tokens, mask, batch, seq)
	poison := make([]float32, batch*seq*ortConfig.VocabSize)
	for i := range poison {
		poison[i] = float32(math.NaN())
	}
	out, err := ortgo.NewTensor(ortgo.NewShape(int64(batch), int64(seq), int64(ortConfig.VocabSize)), poison)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Destroy()
	if err := sess.Run(in, []ortgo.Value{out}); err != nil {
		t.Fatal(err)
	}
	return append([]float32(nil), out.GetData()...)
}

var errNaN = errors.New("NaN in ONNX Runtime output (element not written, or computed as NaN)")

// relL2 is ‖got − want‖₂ / ‖want‖₂, failing on any NaN in got.
func relL2(got, want []float32) (float64, error) {
	var num, den float64
	for i := range got {
		if math.IsNaN(float64(got[i])) {
			return 0, errNaN
		}
		d := float64(got[i]) - float64(want[i])
		num += d * d
		den += float64(want[i]) * float64(want[i])
	}
	return math.Sqrt(num / den), nil
}

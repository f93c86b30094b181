package graph_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

var small = gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 11, LayerNormEpsilon: 1e-5}

func TestBuildDeterministic(t *testing.T) {
	w := gpt2.Seeded(small, 1)
	m1, err := graph.Build(small, w, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A fresh copy of the same weights gives the same bytes.
	m2, err := graph.Build(small, gpt2.Seeded(small, 1), graph.Options{Precision: model.FP32})
	if err != nil {
		t.Fatal(err)
	}
	b1, b2 := m1.Marshal(), m2.Marshal()
	if !bytes.Equal(b1, b2) {
		t.Fatal("two builds of the same weights differ")
	}
	m3, err := graph.Build(small, gpt2.Seeded(small, 2), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b1, m3.Marshal()) {
		t.Fatal("different weights give the same bytes")
	}
	back, err := onnx.Unmarshal(b1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Marshal(), b1) {
		t.Fatal("Marshal(Unmarshal(b)) != b")
	}
}

func TestBuildSignature(t *testing.T) {
	m, err := graph.Build(small, gpt2.Seeded(small, 1), graph.Options{ProducerVersion: "test-1"})
	if err != nil {
		t.Fatal(err)
	}
	info, err := m.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if info.IRVersion != 8 || !slices.Equal(info.Opsets, []onnx.OpsetID{{Version: 17}}) {
		t.Errorf("IR version %d, opsets %v; want 8, [ai.onnx 17]", info.IRVersion, info.Opsets)
	}
	if info.Producer != graph.ProducerName || info.ProducerVersion != "test-1" {
		t.Errorf("producer %s %s", info.Producer, info.ProducerVersion)
	}
	dims := func(vs []onnx.ValueInfo) string {
		var s []string
		for _, v := range vs {
			s = append(s, fmt.Sprintf("%s %v %v", v.Name, v.ElemType, v.Dims))
		}
		return strings.Join(s, "; ")
	}
	if got, want := dims(info.Inputs), "input_ids INT64 [batch sequence]; attention_mask INT64 [batch sequence]"; got != want {
		t.Errorf("inputs %s, want %s", got, want)
	}
	if got, want := dims(info.Outputs), "logits FLOAT [batch sequence 11]"; got != want {
		t.Errorf("outputs %s, want %s", got, want)
	}
	// Initializers are exactly the parameters, under their Hugging Face names.
	if info.Params != small.ParamCount() {
		t.Errorf("initializers hold %d values, the config %d parameters", info.Params, small.ParamCount())
	}
	var names []string
	for _, init := range m.Graph.Initializers {
		names = append(names, init.Name)
	}
	var want []string
	for _, nt := range gpt2.NewWeights(small).Tensors() {
		want = append(want, nt.Name)
	}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("initializers %v, want %v", names, want)
	}
}

// Every node input is defined before use, names are unique and
// descriptive, and only opset-17 ops of the default domain appear, in the
// prefill graph and in the decoder with a KV cache.
func TestBuildNodes(t *testing.T) {
	for _, past := range []bool{false, true} {
		t.Run(fmt.Sprintf("with-past=%v", past), func(t *testing.T) { checkNodes(t, graph.Options{WithPast: past}) })
	}
}

func checkNodes(t *testing.T, opt graph.Options) {
	m, err := graph.Build(small, gpt2.Seeded(small, 1), opt)
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	for _, in := range m.Graph.Inputs {
		defined[in.Name] = true
	}
	for _, init := range m.Graph.Initializers {
		defined[init.Name] = true
	}
	names := map[string]bool{}
	for _, n := range m.Graph.Nodes {
		if names[n.Name] || n.Name == "" {
			t.Errorf("node name %q empty or repeated", n.Name)
		}
		names[n.Name] = true
		if n.Domain != "" {
			t.Errorf("node %s in domain %q", n.Name, n.Domain)
		}
		for _, in := range n.Inputs {
			if !defined[in] {
				t.Errorf("node %s reads %q before it is defined", n.Name, in)
			}
		}
		for _, out := range n.Outputs {
			if defined[out] {
				t.Errorf("node %s redefines %q", n.Name, out)
			}
			defined[out] = true
		}
	}
	for _, out := range m.Graph.Outputs {
		if !defined[out.Name] {
			t.Errorf("no node writes output %s", out.Name)
		}
	}
	for _, want := range []string{"h.0/ln_1", "h.1/attn/qkv_matmul", "h.1/attn/softmax", "h.0/mlp/gelu_tanh", "mask/bias", "ln_f", "embed/wte_gather"} {
		if !names[want] {
			t.Errorf("no node %s", want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	w := gpt2.Seeded(small, 1)
	other := small
	other.NLayer = 3
	tests := []struct {
		name string
		c    gpt2.Config
		opt  graph.Options
		want error
	}{
		{"bf16", small, graph.Options{Precision: "bf16"}, graph.ErrPrecision},
		{"int8 uncalibrated", small, graph.Options{Precision: model.INT8}, graph.ErrCalibration},
		{"weights", other, graph.Options{}, gpt2.ErrWeights},
		{"config", gpt2.Config{}, graph.Options{}, gpt2.ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := graph.Build(tt.c, w, tt.opt); !errors.Is(err, tt.want) {
				t.Errorf("Build = %v, want %v", err, tt.want)
			}
		})
	}
}

func ExampleBuild() {
	c := gpt2.Config{NLayer: 1, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 11, LayerNormEpsilon: 1e-5}
	m, err := graph.Build(c, gpt2.Seeded(c, 1), graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range m.Graph.Nodes {
		if strings.HasPrefix(n.Name, "h.0/attn/") {
			fmt.Printf("%-24s %s\n", n.Name, n.OpType)
		}
	}
	// Output:
	// h.0/attn/qkv_matmul      MatMul
	// h.0/attn/qkv_add         Add
	// h.0/attn/qkv_split       Split
	// h.0/attn/q_reshape       Reshape
	// h.0/attn/q_transpose     Transpose
	// h.0/attn/k_reshape       Reshape
	// h.0/attn/k_transpose     Transpose
	// h.0/attn/v_reshape       Reshape
	// h.0/attn/v_transpose     Transpose
	// h.0/attn/scores_matmul   MatMul
	// h.0/attn/scores_scale    Mul
	// h.0/attn/scores_mask     Add
	// h.0/attn/softmax         Softmax
	// h.0/attn/context_matmul  MatMul
	// h.0/attn/context_transpose Transpose
	// h.0/attn/context_reshape Reshape
	// h.0/attn/proj_matmul     MatMul
	// h.0/attn/proj_add        Add
	// h.0/attn/residual        Add
}

// TestBuildNoShapeOps: the prefill graphs (plain and row-prefill, unfused
// and fused, fp32 and fp16) compute positions on the
// device: no Shape, Size, Range or ConstantOfShape node, so no Gather on
// a shape either. ONNX Runtime places such shape computations on the CPU
// provider next to the CUDA one, and a graph with a node off CUDA cannot
// be captured in a CUDA graph whose correctness we vouch for
// (ort-cuda-graph refuses it). Decoders take position_ids as an input
// and compute the mask from the cache's shape; they are not captured.
func TestBuildNoShapeOps(t *testing.T) {
	var opts []graph.Options
	for _, fused := range []bool{false, true} {
		for _, prec := range []model.Precision{model.FP32, model.FP16} {
			for _, rows := range []bool{false, true} {
				opts = append(opts, graph.Options{Precision: prec, LogitsFrom: rows, Fused: fused})
			}
		}
	}
	for _, opt := range opts {
		t.Run(fmt.Sprintf("%s rows=%v fused=%v", opt.Precision, opt.LogitsFrom, opt.Fused), func(t *testing.T) {
			m, err := graph.Build(small, gpt2.Seeded(small, 1), opt)
			if err != nil {
				t.Fatal(err)
			}
			ops := map[string]int{}
			for _, n := range m.Graph.Nodes {
				ops[n.OpType]++
				if slices.Contains([]string{"Shape", "Size", "Range", "ConstantOfShape"}, n.OpType) {
					t.Errorf("node %s is a shape operator (%s)", n.Name, n.OpType)
				}
			}
			if ops["CumSum"] != 1 {
				t.Errorf("%d CumSum nodes, want 1 (the positions)", ops["CumSum"])
			}
		})
	}
}

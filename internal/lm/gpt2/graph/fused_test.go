package graph_test

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// TestFusedStructure checks the fused graph in every form it is built in
// (prefill, decoder, row-prefill; fp32 and fp16): exactly
// WantContribOps' contrib nodes with their attributes, none of the
// operators they replace, the unfused graph's signature and
// initializers, and only the Casts at the graph's edges (and the
// positions' ones) in fp16. A graph that silently stops fusing fails
// here.
func TestFusedStructure(t *testing.T) {
	w := gpt2.Seeded(small, 1)
	for _, p := range []model.Precision{model.FP32, model.FP16} {
		for _, form := range []struct {
			name string
			opt  graph.Options
		}{{"prefill", graph.Options{}}, {"with-past", graph.Options{WithPast: true}}, {"rows", graph.Options{LogitsFrom: true}}} {
			t.Run(fmt.Sprintf("%s/%s", p, form.name), func(t *testing.T) {
				opt := form.opt
				opt.Precision = p
				base, err := graph.Build(small, w, opt)
				if err != nil {
					t.Fatal(err)
				}
				opt.Fused = true
				m, err := graph.Build(small, w, opt)
				if err != nil {
					t.Fatal(err)
				}
				checkFused(t, m, base, p, form.opt.WithPast)
			})
		}
	}
}

func checkFused(t *testing.T, m, base *onnx.Model, p model.Precision, past bool) {
	t.Helper()
	if got, want := graph.ContribOps(m), graph.WantContribOps(small); !maps.Equal(got, want) {
		t.Errorf("contrib ops %s, want %s", graph.FormatOps(got), graph.FormatOps(want))
	}
	if got := graph.ContribOps(base); len(got) != 0 {
		t.Errorf("unfused graph has contrib ops %s", graph.FormatOps(got))
	}
	if !slices.Contains(m.Opsets, onnx.OpsetID{Domain: graph.ContribDomain, Version: graph.ContribOpset}) {
		t.Errorf("opsets %v import no %s", m.Opsets, graph.ContribDomain)
	}
	ops := map[string]int{}
	defined := map[string]bool{}
	for _, in := range m.Graph.Inputs {
		defined[in.Name] = true
	}
	for _, init := range m.Graph.Initializers {
		defined[init.Name] = true
	}
	for _, n := range m.Graph.Nodes {
		ops[n.OpType]++
		for _, in := range n.Inputs {
			if in != "" && !defined[in] {
				t.Errorf("node %s reads %q before it is defined", n.Name, in)
			}
		}
		for _, out := range n.Outputs {
			defined[out] = true
		}
		if n.OpType == "Attention" {
			checkAttentionAttrs(t, n, p, past)
		}
	}
	for _, gone := range []string{"LayerNormalization", "Softmax", "Tanh", "Pow", "Where"} {
		if ops[gone] != 0 {
			t.Errorf("%d %s nodes left in the fused graph", ops[gone], gone)
		}
	}
	// Casts: the mask to int32, outside the decoder the positions' ones
	// (bool to int64), and in fp16 the logits to float32 and, in the
	// decoder, each cache tensor in and out.
	wantCasts := 1
	if !past {
		wantCasts++
	}
	if p == model.FP16 {
		wantCasts++
		if past {
			wantCasts += 4 * small.NLayer
		}
	}
	if ops["Cast"] != wantCasts {
		t.Errorf("%d Casts, want %d", ops["Cast"], wantCasts)
	}
	if ops["MatMul"] != 3*small.NLayer+1 {
		t.Errorf("%d MatMuls, want %d (attention projection, fc, MLP projection per layer, LM head)", ops["MatMul"], 3*small.NLayer+1)
	}
	sig := func(vs []onnx.ValueInfo) string { return fmt.Sprint(vs) }
	if sig(m.Graph.Inputs) != sig(base.Graph.Inputs) || sig(m.Graph.Outputs) != sig(base.Graph.Outputs) {
		t.Errorf("signature %v → %v, unfused %v → %v", m.Graph.Inputs, m.Graph.Outputs, base.Graph.Inputs, base.Graph.Outputs)
	}
	names := func(g *onnx.Model) []string {
		var s []string
		for _, in := range g.Graph.Initializers {
			s = append(s, fmt.Sprintf("%s %v %v", in.Name, in.DataType, in.Dims))
		}
		slices.Sort(s)
		return s
	}
	got, want := names(m), names(base)
	if p == model.FP16 {
		// The fused fp16 graph's LayerNorm parameters are float16 too.
		want = names(mustFP16Norms(t, base))
	}
	if !slices.Equal(got, want) {
		t.Errorf("initializers\n%v\nwant\n%v", got, want)
	}
}

func checkAttentionAttrs(t *testing.T, n onnx.Node, p model.Precision, past bool) {
	t.Helper()
	attrs := map[string]onnx.Attr{}
	for _, a := range n.Attrs {
		attrs[a.Name] = a
	}
	filter := float32(-math.MaxFloat32)
	if p == model.FP16 {
		filter = graph.FusedMaskFilter
	}
	if attrs["num_heads"].I != int64(small.NHead) || attrs["unidirectional"].I != 1 || attrs["mask_filter_value"].F != filter {
		t.Errorf("%s attributes %v", n.Name, n.Attrs)
	}
	wantIn, wantOut := 4, 1
	if past {
		wantIn, wantOut = 5, 2
	}
	if len(n.Inputs) != wantIn || len(n.Outputs) != wantOut || n.Inputs[3] != "mask/int32" {
		t.Errorf("%s reads %v, writes %v", n.Name, n.Inputs, n.Outputs)
	}
}

// mustFP16Norms is base with its float32 LayerNorm parameters described
// as float16, as the fused fp16 graph stores them.
func mustFP16Norms(t *testing.T, base *onnx.Model) *onnx.Model {
	t.Helper()
	c := *base
	c.Graph.Initializers = slices.Clone(base.Graph.Initializers)
	for i, in := range c.Graph.Initializers {
		if in.DataType == onnx.Float {
			c.Graph.Initializers[i].DataType = onnx.Float16
		}
	}
	return &c
}

func TestFusedErrors(t *testing.T) {
	w := gpt2.Seeded(small, 1)
	for _, opt := range []graph.Options{
		{Fused: true, Precision: model.INT8, Ranges: map[string]graph.Range{}},
		{Fused: true, ExposeActivations: true},
	} {
		if _, err := graph.Build(small, w, opt); !errors.Is(err, graph.ErrPrecision) {
			t.Errorf("Build(%+v) = %v, want %v", opt, err, graph.ErrPrecision)
		}
	}
}

func ExampleContribOps() {
	c := gpt2.Config{NLayer: 1, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 11, LayerNormEpsilon: 1e-5}
	m, err := graph.Build(c, gpt2.Seeded(c, 1), graph.Options{Fused: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(graph.FormatOps(graph.ContribOps(m)))
	for _, n := range m.Graph.Nodes {
		if n.Domain == graph.ContribDomain || n.OpType == "MatMul" {
			fmt.Printf("%-22s %-22s %v\n", n.Name, n.OpType, n.Inputs)
		}
	}
	// Output:
	// Attention=1,FastGelu=1,SkipLayerNormalization=3
	// h.0/ln_1               SkipLayerNormalization [embed/wte_gather embed/wpe_gather h.0.ln_1.weight h.0.ln_1.bias]
	// h.0/attn               Attention              [h.0/ln_1 h.0.attn.c_attn.weight h.0.attn.c_attn.bias mask/int32]
	// h.0/attn/proj_matmul   MatMul                 [h.0/attn h.0.attn.c_proj.weight]
	// h.0/ln_2               SkipLayerNormalization [h.0/attn/proj_matmul h.0/ln_1/sum h.0.ln_2.weight h.0.ln_2.bias h.0.attn.c_proj.bias]
	// h.0/mlp/fc_matmul      MatMul                 [h.0/ln_2 h.0.mlp.c_fc.weight]
	// h.0/mlp/gelu           FastGelu               [h.0/mlp/fc_matmul h.0.mlp.c_fc.bias]
	// h.0/mlp/proj_matmul    MatMul                 [h.0/mlp/gelu h.0.mlp.c_proj.weight]
	// ln_f                   SkipLayerNormalization [h.0/mlp/proj_matmul h.0/ln_2/sum ln_f.weight ln_f.bias h.0.mlp.c_proj.bias]
	// lm_head/matmul         MatMul                 [ln_f lm_head/wte_transpose]
}

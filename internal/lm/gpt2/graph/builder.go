package graph

import (
	"fmt"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// builder accumulates a graph's nodes and initializers. Every node's
// (first) output is named after the node, so names double as tensor names;
// constants (scalars, shapes) are Constant nodes under "const/", never
// initializers, so a graph's initializers are exactly the model's
// parameters (for INT8, the quantized parameters with their scales and zero
// points).
//
// The precision hooks live in fp16.go (compute dtype, casts around
// LayerNormalization and the masked softmax) and qdq.go (quantized weights,
// Q/DQ pairs at the quantization points, calibration outputs); at FP32
// every hook is the identity, so the fp32 graph is what it always was.
type builder struct {
	g      onnx.Graph
	names  map[string]bool   // node and tensor names in use
	consts map[string]string // constant name → output

	prec    model.Precision  // FP32, FP16 or INT8
	ranges  map[string]Range // INT8: calibrated range per quantization point
	expose  bool             // add every quantization point as a graph output
	points  []onnx.ValueInfo // quantization points, in graph order
	missing []string         // INT8 quantization points without a range
	rows    map[string]int64 // linear weight (or its DequantizeLinear) → input width
	// weightBits is 8 or 7: INT8 weights in [−127, 127] or [−63, 63].
	weightBits int
	// past: the graph takes and returns a KV cache (see kv.go).
	past bool
}

func newBuilder(name string, prec model.Precision) *builder {
	return &builder{
		g:      onnx.Graph{Name: name},
		names:  map[string]bool{},
		consts: map[string]string{},
		prec:   prec,
		rows:   map[string]int64{},
	}
}

// claim reserves a tensor or node name. A duplicate is a bug in this
// package, not an input error, so it panics.
func (b *builder) claim(name string) {
	if b.names[name] {
		panic("graph: duplicate name " + name)
	}
	b.names[name] = true
}

// node appends a node of type op with a single output named name, and
// returns that output.
func (b *builder) node(name, op string, inputs []string, attrs ...onnx.Attr) string {
	return b.nodeOut(name, op, inputs, []string{name}, attrs...)[0]
}

// nodeOut appends a node with explicit output names.
func (b *builder) nodeOut(name, op string, inputs, outputs []string, attrs ...onnx.Attr) []string {
	b.claim(name)
	for _, o := range outputs {
		if o != name && o != "" { // "" leaves an optional output out
			b.claim(o)
		}
	}
	b.g.Nodes = append(b.g.Nodes, onnx.Node{
		Name:    name,
		OpType:  op,
		Inputs:  inputs,
		Outputs: outputs,
		Attrs:   attrs,
	})
	return outputs
}

// weight adds t as an initializer under its Hugging Face name, in the
// compute dtype: FLOAT, or FLOAT16 in an fp16 graph.
func (b *builder) weight(name string, t gpt2.Tensor) string {
	b.claim(name)
	if b.prec == model.FP16 {
		b.g.Initializers = append(b.g.Initializers, onnx.Float16Tensor(name, dims(t), t.Data))
		return name
	}
	return b.floatWeight(name, t)
}

// normWeight adds a LayerNorm gain or bias. LayerNormalization always runs
// in float32 (see fp16.go), so its parameters stay FLOAT.
func (b *builder) normWeight(name string, t gpt2.Tensor) string {
	b.claim(name)
	return b.floatWeight(name, t)
}

// linearWeight adds a Conv1D weight [in, out]. In an INT8 graph it is
// stored quantized and the returned name is its DequantizeLinear output.
func (b *builder) linearWeight(name string, t gpt2.Tensor) string {
	if b.prec == model.INT8 {
		out := b.quantizedWeight(name, t)
		b.rows[out] = int64(t.Shape[0])
		return out
	}
	out := b.weight(name, t)
	b.rows[out] = int64(t.Shape[0])
	return out
}

func (b *builder) floatWeight(name string, t gpt2.Tensor) string {
	b.g.Initializers = append(b.g.Initializers, onnx.FloatTensor(name, dims(t), t.Data))
	return name
}

func dims(t gpt2.Tensor) []int64 {
	d := make([]int64, len(t.Shape))
	for i, n := range t.Shape {
		d[i] = int64(n)
	}
	return d
}

// constant returns the output of the Constant node "const/<name>" holding
// t, adding the node on first use.
func (b *builder) constant(name string, t onnx.Tensor) string {
	name = "const/" + name
	if out, ok := b.consts[name]; ok {
		return out
	}
	t.Name = name
	out := b.node(name, "Constant", nil, onnx.AttrTensor("value", t))
	b.consts[name] = out
	return out
}

// scalar is a float32 scalar constant.
func (b *builder) scalar(name string, v float32) string {
	return b.constant(name, onnx.FloatTensor("", nil, []float32{v}))
}

// int64Scalar is an int64 scalar constant.
func (b *builder) int64Scalar(name string, v int64) string {
	return b.constant(name, onnx.Int64Tensor("", nil, []int64{v}))
}

// int64s is a 1-D int64 constant, such as a shape or an axes list.
func (b *builder) int64s(name string, v ...int64) string {
	return b.constant(name, onnx.Int64Tensor("", []int64{int64(len(v))}, v))
}

// linear is Hugging Face's Conv1D, x·W + bias with W [in, out], as the
// nodes <name>_matmul and <name>_add.
// Its input x is a quantization point (see quantPoint).
func (b *builder) linear(name, x, w, bias string) string {
	x = b.quantPoint(name, x, w)
	y := b.node(name+"_matmul", "MatMul", []string{x, w})
	return b.node(name+"_add", "Add", []string{y, bias})
}

// layerNorm normalises the last axis of x, in float32 whatever the graph's
// compute dtype (see fp16.go).
func (b *builder) layerNorm(name, x, scale, bias string, eps float64) string {
	x = b.toFloat32(name+"_to_fp32", x)
	y := b.node(name, "LayerNormalization", []string{x, scale, bias},
		onnx.AttrInt("axis", -1), onnx.AttrFloat("epsilon", float32(eps)))
	return b.toCompute(name+"_to_fp16", y)
}

func (b *builder) String() string {
	return fmt.Sprintf("graph %s: %d nodes, %d initializers", b.g.Name, len(b.g.Nodes), len(b.g.Initializers))
}

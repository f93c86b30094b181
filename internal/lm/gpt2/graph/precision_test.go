package graph_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/floatbits"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// index maps a graph's tensors to their producers and initializers.
type index struct {
	producer map[string]*onnx.Node
	init     map[string]*onnx.Tensor
}

func indexOf(g *onnx.Graph) index {
	x := index{producer: map[string]*onnx.Node{}, init: map[string]*onnx.Tensor{}}
	for i := range g.Nodes {
		for _, o := range g.Nodes[i].Outputs {
			x.producer[o] = &g.Nodes[i]
		}
	}
	for i := range g.Initializers {
		x.init[g.Initializers[i].Name] = &g.Initializers[i]
	}
	return x
}

func attr(n *onnx.Node, name string) (onnx.Attr, bool) {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a, true
		}
	}
	return onnx.Attr{}, false
}

// constValue returns the tensor of a Constant node's output.
func (x index) constValue(t *testing.T, name string) *onnx.Tensor {
	t.Helper()
	n := x.producer[name]
	if n == nil || n.OpType != "Constant" {
		t.Fatalf("%s is not a Constant output", name)
	}
	a, _ := attr(n, "value")
	return a.T
}

// isLinear reports whether a MatMul node is one of a block's four Conv1D
// MatMuls (the ones the int8 graph quantizes).
func isLinear(n *onnx.Node) bool {
	for _, s := range []string{"/attn/qkv_matmul", "/attn/proj_matmul", "/mlp/fc_matmul", "/mlp/proj_matmul"} {
		if strings.HasSuffix(n.Name, s) {
			return true
		}
	}
	return false
}

func TestFP16Graph(t *testing.T) {
	w := gpt2.Seeded(small, 1)
	m, err := graph.Build(small, w, graph.Options{Precision: model.FP16})
	if err != nil {
		t.Fatal(err)
	}
	data := m.Marshal()
	back, err := onnx.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Marshal(), data) {
		t.Fatal("fp16 graph: Marshal(Unmarshal(b)) != b")
	}
	info, err := back.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Outputs[0]; got.Name != model.Logits || got.ElemType != onnx.Float {
		t.Errorf("output %s %v, want logits FLOAT", got.Name, got.ElemType)
	}
	if info.Params != small.ParamCount() {
		t.Errorf("fp16 initializers hold %d values, want the %d parameters", info.Params, small.ParamCount())
	}
	want := map[string][]float32{}
	for _, nt := range w.Tensors() {
		want[nt.Name] = nt.T.Data
	}
	for _, init := range back.Graph.Initializers {
		norm := strings.Contains(init.Name, "ln_")
		if wantType := map[bool]onnx.DataType{true: onnx.Float, false: onnx.Float16}[norm]; init.DataType != wantType {
			t.Errorf("initializer %s is %v, want %v", init.Name, init.DataType, wantType)
		}
		got, err := init.Floats()
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range want[init.Name] {
			r := v
			if !norm {
				r = floatbits.Float16ToFloat32(floatbits.Float16Bits(v))
			}
			if got[i] != r {
				t.Fatalf("%s[%d] = %v, want %v (%v rounded)", init.Name, i, got[i], r, v)
			}
		}
	}
	// LayerNormalization and the masked softmax run in float32: their
	// inputs are casts to FLOAT.
	x := indexOf(&back.Graph)
	castToFloat := func(name string) bool {
		n := x.producer[name]
		a, ok := attr(n, "to")
		return n != nil && n.OpType == "Cast" && ok && a.I == int64(onnx.Float)
	}
	var ln, sm int
	for i := range back.Graph.Nodes {
		n := &back.Graph.Nodes[i]
		switch n.OpType {
		case "LayerNormalization":
			ln++
			if !castToFloat(n.Inputs[0]) {
				t.Errorf("%s reads %s, not a cast to float32", n.Name, n.Inputs[0])
			}
		case "Softmax":
			sm++
			masked := x.producer[n.Inputs[0]]      // scores + bias
			scaled := x.producer[masked.Inputs[0]] // scores · 1/√d
			if !castToFloat(scaled.Inputs[0]) || masked.Inputs[1] != "mask/bias" {
				t.Errorf("%s: scores %s are not cast to float32 before the mask %s", n.Name, scaled.Inputs[0], masked.Inputs[1])
			}
		}
	}
	if ln != 2*small.NLayer+1 || sm != small.NLayer {
		t.Errorf("%d LayerNormalization and %d Softmax nodes", ln, sm)
	}
	if v := back.Metadata[1]; v.Key != "inferbench.precision" || v.Value != "fp16" {
		t.Errorf("metadata %v", back.Metadata)
	}
}

// ranges returns a plausible range for every quantization point of c.
func ranges(t *testing.T, c gpt2.Config) map[string]graph.Range {
	t.Helper()
	cal, err := graph.Build(c, gpt2.Seeded(c, 1), graph.Options{ExposeActivations: true})
	if err != nil {
		t.Fatal(err)
	}
	r := map[string]graph.Range{}
	for i, o := range cal.Graph.Outputs[1:] {
		r[o.Name] = graph.Range{Min: -1 - float32(i), Max: 2}
	}
	return r
}

func TestExposeActivations(t *testing.T) {
	m, err := graph.Build(small, gpt2.Seeded(small, 1), graph.Options{ExposeActivations: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range m.Graph.Outputs[1:] {
		got = append(got, o.Name)
		if o.ElemType != onnx.Float || len(o.Dims) != 3 {
			t.Errorf("output %s %v %v", o.Name, o.ElemType, o.Dims)
		}
	}
	want := "h.0/ln_1 h.0/attn/context_reshape h.0/ln_2 h.0/mlp/gelu_mul h.1/ln_1 h.1/attn/context_reshape h.1/ln_2 h.1/mlp/gelu_mul"
	if strings.Join(got, " ") != want {
		t.Errorf("exposed %v, want %s", got, want)
	}
	if _, err := graph.Build(small, gpt2.Seeded(small, 1), graph.Options{Precision: model.FP16, ExposeActivations: true}); !errors.Is(err, graph.ErrPrecision) {
		t.Errorf("fp16 calibration graph: %v, want ErrPrecision", err)
	}
}

// TestQDQGraph checks the int8 graph's structure: every Conv1D MatMul reads
// a per-channel symmetric int8 weight and a per-tensor uint8 activation
// through DequantizeLinear; no other MatMul is quantized.
func TestQDQGraph(t *testing.T) {
	for _, bits := range []int{8, 7} {
		t.Run(fmt.Sprintf("weight-bits=%d", bits), func(t *testing.T) { testQDQGraph(t, bits) })
	}
}

func testQDQGraph(t *testing.T, bits int) {
	w := gpt2.Seeded(small, 1)
	r := ranges(t, small)
	m, err := graph.Build(small, w, graph.Options{Precision: model.INT8, Ranges: r, WeightBits: bits})
	if err != nil {
		t.Fatal(err)
	}
	qmax := int8(1<<(bits-1) - 1)
	back, err := onnx.Unmarshal(m.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	// Quantized weights are parameters; their scales and zero points are not.
	info, err := back.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if info.Params != small.ParamCount() {
		t.Errorf("int8 graph counts %d parameters, want the checkpoint's %d", info.Params, small.ParamCount())
	}
	want := map[string][]float32{}
	for _, nt := range w.Tensors() {
		want[nt.Name] = nt.T.Data
	}
	x := indexOf(&back.Graph)
	var quantized int
	for i := range back.Graph.Nodes {
		n := &back.Graph.Nodes[i]
		if n.OpType != "MatMul" {
			continue
		}
		a, b := x.producer[n.Inputs[0]], x.producer[n.Inputs[1]]
		if !isLinear(n) {
			if (a != nil && a.OpType == "DequantizeLinear") || (b != nil && b.OpType == "DequantizeLinear") {
				t.Errorf("%s is quantized; only Conv1D MatMuls should be", n.Name)
			}
			continue
		}
		quantized++
		// Weight: DQ(int8 [in, out], scale [out] > 0, zero point [out] = 0, axis 1).
		if b == nil || b.OpType != "DequantizeLinear" || len(b.Inputs) != 3 {
			t.Fatalf("%s weight %s is not dequantized", n.Name, n.Inputs[1])
		}
		if ax, ok := attr(b, "axis"); !ok || ax.I != 1 {
			t.Errorf("%s: weight DequantizeLinear axis %v, want 1 (output channel)", n.Name, ax.I)
		}
		q, s, z := x.init[b.Inputs[0]], x.init[b.Inputs[1]], x.init[b.Inputs[2]]
		if q == nil || s == nil || z == nil || q.DataType != onnx.Int8 || s.DataType != onnx.Float || z.DataType != onnx.Int8 {
			t.Fatalf("%s: weight %v, scale %v, zero point %v not INT8/FLOAT/INT8 initializers", n.Name, q, s, z)
		}
		if len(q.Dims) != 2 || len(s.Dims) != 1 || s.Dims[0] != q.Dims[1] || len(z.Dims) != 1 || z.Dims[0] != q.Dims[1] {
			t.Errorf("%s: weight %v, scale %v, zero point %v: want [in, out], [out], [out]", n.Name, q.Dims, s.Dims, z.Dims)
		}
		scales, _ := s.Floats()
		for j, v := range scales {
			if !(v > 0) {
				t.Errorf("%s: scale[%d] = %v", n.Name, j, v)
			}
		}
		if bytes.Count(z.Raw, []byte{0}) != len(z.Raw) {
			t.Errorf("%s: non-zero weight zero point", n.Name)
		}
		orig, cols := want[q.Name], int(q.Dims[1])
		for k, v := range q.Raw {
			deq := float32(int8(v)) * scales[k%cols]
			if d := math.Abs(float64(deq - orig[k])); d > float64(scales[k%cols])/2*1.0001 || int8(v) < -qmax || int8(v) > qmax {
				t.Fatalf("%s[%d] = %d·%v = %v, original %v", q.Name, k, int8(v), scales[k%cols], deq, orig[k])
			}
		}
		// Activation: DQ(Q(x, s, zp), s, zp), scalar FLOAT scale, UINT8 zero point.
		if a == nil || a.OpType != "DequantizeLinear" {
			t.Fatalf("%s activation %s is not dequantized", n.Name, n.Inputs[0])
		}
		qa := x.producer[a.Inputs[0]]
		if qa == nil || qa.OpType != "QuantizeLinear" || qa.Inputs[1] != a.Inputs[1] || qa.Inputs[2] != a.Inputs[2] {
			t.Fatalf("%s: activation DequantizeLinear does not read a QuantizeLinear with the same parameters", n.Name)
		}
		as, az := x.constValue(t, a.Inputs[1]), x.constValue(t, a.Inputs[2])
		sv, _ := as.Floats()
		if len(as.Dims) != 0 || len(sv) != 1 || !(sv[0] > 0) || az.DataType != onnx.Uint8 || len(az.Dims) != 0 {
			t.Errorf("%s: activation scale %v %v, zero point %v %v: want a positive FLOAT and a UINT8 scalar", n.Name, as.Dims, sv, az.DataType, az.Dims)
		}
		rr := r[qa.Inputs[0]]
		scale, zp, _ := graph.ActivationParams(rr)
		if sv[0] != scale || az.Raw[0] != zp {
			t.Errorf("%s: activation %s scale %v zp %d, range %v gives %v %d", n.Name, qa.Inputs[0], sv[0], az.Raw[0], rr, scale, zp)
		}
	}
	if quantized != 4*small.NLayer {
		t.Errorf("%d quantized MatMuls, want %d", quantized, 4*small.NLayer)
	}
	// Embeddings, LayerNorm parameters and biases stay FLOAT.
	for _, init := range back.Graph.Initializers {
		if _, ok := want[init.Name]; ok && init.DataType != onnx.Float && init.DataType != onnx.Int8 {
			t.Errorf("%s is %v", init.Name, init.DataType)
		}
		if strings.HasPrefix(init.Name, "wte") || strings.Contains(init.Name, "ln_") || strings.HasSuffix(init.Name, ".bias") {
			if init.DataType != onnx.Float {
				t.Errorf("%s is %v, want FLOAT", init.Name, init.DataType)
			}
		}
	}
}

func TestQDQGraphErrors(t *testing.T) {
	w := gpt2.Seeded(small, 1)
	partial := ranges(t, small)
	delete(partial, "h.1/mlp/gelu_mul")
	bad := ranges(t, small)
	bad["h.0/ln_1"] = graph.Range{Min: 1, Max: -1}
	tests := []struct {
		name   string
		ranges map[string]graph.Range
	}{
		{"none", nil},
		{"missing", partial},
		{"inverted", bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := graph.Build(small, w, graph.Options{Precision: model.INT8, Ranges: tt.ranges})
			if !errors.Is(err, graph.ErrCalibration) {
				t.Errorf("Build = %v, want ErrCalibration", err)
			}
		})
	}
}

func TestActivationParams(t *testing.T) {
	tests := []struct {
		r     graph.Range
		scale float32
		zp    uint8
	}{
		{graph.Range{Min: -1.28, Max: 1.27}, 0.01, 128},
		{graph.Range{Min: 0, Max: 2.55}, 0.01, 0},
		{graph.Range{Min: 1, Max: 2.55}, 0.01, 0},      // widened to hold 0
		{graph.Range{Min: -2.55, Max: -1}, 0.01, 255},  // widened to hold 0
		{graph.Range{Min: -0.51, Max: 2.04}, 0.01, 51}, // asymmetric
		{graph.Range{}, 1, 0},                          // only zeros
	}
	for _, tt := range tests {
		s, zp, err := graph.ActivationParams(tt.r)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(float64(s-tt.scale)) > 1e-7 || zp != tt.zp {
			t.Errorf("ActivationParams(%v) = %v, %d; want %v, %d", tt.r, s, zp, tt.scale, tt.zp)
		}
	}
	for _, r := range []graph.Range{{Min: 2, Max: 1}, {Min: float32(math.NaN()), Max: 1}, {Min: 0, Max: float32(math.Inf(1))}} {
		if _, _, err := graph.ActivationParams(r); !errors.Is(err, graph.ErrCalibration) {
			t.Errorf("ActivationParams(%v) = %v, want ErrCalibration", r, err)
		}
	}
}

func TestQuantizeWeight(t *testing.T) {
	// [3, 2]: column 0 max |w| 127/64 → scale 1/64 (binary-exact values,
	// so halves are halves); column 1 all zero → scale 1.
	q, s, err := graph.QuantizeWeight(gpt2.Tensor{Shape: []int{3, 2}, Data: []float32{
		127.0 / 64, 0,
		-50.5 / 64, 0, // −50.5 rounds to even: −50
		1.5 / 64, 0, // 1.5 rounds to even: 2
	}}, 8)
	if err != nil {
		t.Fatal(err)
	}
	if s[0] != 1.0/64 || s[1] != 1 {
		t.Errorf("scales %v, want [1/64 1]", s)
	}
	want := []int8{127, 0, -50, 0, 2, 0}
	for i := range want {
		if q[i] != want[i] {
			t.Errorf("q = %v, want %v", q, want)
			break
		}
	}
	if _, _, err := graph.QuantizeWeight(gpt2.Tensor{Shape: []int{4}, Data: make([]float32, 4)}, 8); err == nil {
		t.Error("a vector quantized as a matrix")
	}
	// 7 bits: column max 63/64 → scale 1/64.
	q, s, err = graph.QuantizeWeight(gpt2.Tensor{Shape: []int{2, 1}, Data: []float32{63.0 / 64, -0.5 / 64}}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if s[0] != 1.0/64 || q[0] != 63 || q[1] != 0 {
		t.Errorf("7 bits: q %v, scale %v; want [63 0], 1/64", q, s)
	}
	if _, _, err := graph.QuantizeWeight(gpt2.Tensor{Shape: []int{1, 1}, Data: []float32{1}}, 4); !errors.Is(err, graph.ErrPrecision) {
		t.Errorf("4 bits: %v, want ErrPrecision", err)
	}
}

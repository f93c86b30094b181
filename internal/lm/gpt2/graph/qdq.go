package graph

import (
	"fmt"
	"math"
	"sort"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// The int8 graph is explicitly quantized (QDQ): around every Conv1D MatMul
// (qkv, attention projection, MLP fc and projection of every block),
//
//   - the weight [in, out] is stored as INT8, symmetric (zero point 0),
//     per output channel (scale [out], DequantizeLinear axis 1), in
//     [−127, 127] (WeightBits 8) or [−63, 63] (WeightBits 7, "reduce
//     range"; see below);
//   - the float activation input x passes through QuantizeLinear and
//     DequantizeLinear with a per-tensor UINT8 scale and zero point from
//     the calibrated range of x (asymmetric, the range widened to hold 0
//     so that 0 is exact).
//
// uint8 activations with int8 weights (U8S8) is ONNX Runtime's preferred
// format on x86-64: its CPU provider fuses DQ(x)·DQ(W) with no Q after the
// MatMul into MatMulIntegerToFloat, which multiplies the integers with
// MLAS's u8×s8 kernels and scales the int32 sums to float once.
//
// On x86-64 CPUs without VNNI (AVX2, AVX-512 before VNNI), MLAS's u8×s8
// kernel adds pairs of u8·s8 products in int16 (vpmaddubsw), which
// saturates when a pair exceeds 32767: 255·127·2 does. Measured on an AVX2
// AMD EPYC with seeded weights, 8-bit weights through the int8 kernels
// gave 4× the logit error of the same QDQ graph computed in float (0.69%
// vs 0.17% relative L2); 7-bit weights cannot saturate (255·63·2 < 32767)
// and the kernels then match the float computation exactly (0.29% both).
// WeightBits 7 is ONNX Runtime's own quantizer's "reduce_range" for this
// case.
//
// The bias
// Add, the residual stream, embeddings, LayerNorm, the attention score
// MatMuls, softmax, gelu_new and the tied output projection stay float32:
//
//   - q·kᵀ and p·v multiply two activations that change with every input;
//     quantizing them would need per-call ranges, and a per-tensor uint8
//     grid (step 1/255) rounds most attention probabilities of a long
//     context to zero. They are a small share of the FLOPs (seq/(6·n_embd)
//     of the Conv1D ones: 0.6% at 27 tokens and 11% at 512 on GPT-2 small).
//   - wte is shared by the embedding Gather and the output projection; an
//     int8 copy for the projection would add a second table to the file.
//   - LayerNorm, softmax and gelu_new are cheap element-wise operations.

// Range is a calibrated [Min, Max] of an activation tensor.
type Range struct {
	Min, Max float32
}

// ActivationLevels is the number of uint8 activation steps.
const ActivationLevels = 255

// weightMax is the largest quantized weight magnitude for bits 7 or 8.
func weightMax(bits int) (float64, error) {
	switch bits {
	case 7, 8:
		return float64(int(1)<<(bits-1) - 1), nil
	}
	return 0, fmt.Errorf("graph: %w: %d-bit weights (want 7 or 8)", ErrPrecision, bits)
}

// ActivationParams returns the uint8 scale and zero point for an activation
// in r: the range is widened to hold 0, scale = (hi − lo)/255 and zero point
// round(−lo/scale), so x ↦ clamp(round(x/scale) + zp, 0, 255) maps lo to 0,
// hi to 255 and 0 to zp exactly. A range of only zeros gets scale 1.
func ActivationParams(r Range) (scale float32, zeroPoint uint8, err error) {
	if !finite(r.Min) || !finite(r.Max) || r.Min > r.Max {
		return 0, 0, fmt.Errorf("graph: %w: range [%v, %v]", ErrCalibration, r.Min, r.Max)
	}
	lo, hi := math.Min(float64(r.Min), 0), math.Max(float64(r.Max), 0)
	if hi == lo {
		return 1, 0, nil
	}
	s := float32((hi - lo) / ActivationLevels)
	zp := math.RoundToEven(-lo / float64(s))
	return s, uint8(math.Max(0, math.Min(ActivationLevels, zp))), nil
}

// QuantizeWeight quantizes a Conv1D weight [in, out] (row-major)
// symmetrically per output channel to bits (8 or 7) bits: with M = 127 or
// 63, scale[j] = max_i |w[i, j]| / M (1 for an all-zero column) and
// q[i, j] = round(w[i, j] / scale[j]), rounding half to even as
// QuantizeLinear does, clamped to [−M, M].
func QuantizeWeight(t gpt2.Tensor, bits int) (q []int8, scale []float32, err error) {
	qmax, err := weightMax(bits)
	if err != nil {
		return nil, nil, err
	}
	if len(t.Shape) != 2 || t.Shape[0]*t.Shape[1] != len(t.Data) {
		return nil, nil, fmt.Errorf("graph: quantize weight: shape %v with %d values is not a matrix", t.Shape, len(t.Data))
	}
	rows, cols := t.Shape[0], t.Shape[1]
	amax := make([]float64, cols)
	for i := range rows {
		for j, v := range t.Data[i*cols : (i+1)*cols] {
			if !finite(v) {
				return nil, nil, fmt.Errorf("graph: quantize weight: element [%d, %d] is %v", i, j, v)
			}
			amax[j] = math.Max(amax[j], math.Abs(float64(v)))
		}
	}
	scale = make([]float32, cols)
	for j, a := range amax {
		scale[j] = 1
		if a > 0 {
			scale[j] = float32(a / qmax)
		}
	}
	q = make([]int8, len(t.Data))
	for i := range rows {
		for j := range cols {
			k := i*cols + j
			v := math.RoundToEven(float64(t.Data[k]) / float64(scale[j]))
			q[k] = int8(math.Max(-qmax, math.Min(qmax, v)))
		}
	}
	return q, scale, nil
}

// quantizedWeight adds the INT8 weight under name with its scale and zero
// point initializers (name + "_scale", name + "_zero_point") and the
// DequantizeLinear node name + "_dequantize", whose output it returns.
func (b *builder) quantizedWeight(name string, t gpt2.Tensor) string {
	q, scale, err := QuantizeWeight(t, b.weightBits)
	if err != nil {
		// Build checked the weights; a non-finite one is a caller's bug
		// that w.Check does not catch, so report it through missing.
		b.missing = append(b.missing, name+": "+err.Error())
		q, scale = make([]int8, len(t.Data)), ones(t.Shape[1])
	}
	cols := int64(t.Shape[1])
	b.claim(name)
	b.claim(name + "_scale")
	b.claim(name + "_zero_point")
	b.g.Initializers = append(b.g.Initializers,
		int8Tensor(name, dims(t), q),
		onnx.FloatTensor(name+"_scale", []int64{cols}, scale),
		int8Tensor(name+"_zero_point", []int64{cols}, make([]int8, cols)),
	)
	return b.node(name+"_dequantize", "DequantizeLinear",
		[]string{name, name + "_scale", name + "_zero_point"}, onnx.AttrInt("axis", 1))
}

// quantPoint handles the float input x of the Conv1D MatMul name whose
// weight is w. A calibration graph records x to expose it as an output; an
// INT8 graph returns x through QuantizeLinear and DequantizeLinear with the
// parameters of x's calibrated range; other graphs return x unchanged.
func (b *builder) quantPoint(name, x, w string) string {
	if !b.expose && b.prec != model.INT8 {
		return x
	}
	b.points = append(b.points, onnx.TensorInfo(x, onnx.Float, "batch", "sequence", b.rows[w]))
	if b.prec != model.INT8 {
		return x
	}
	r, ok := b.ranges[x]
	if !ok {
		b.missing = append(b.missing, x)
		return x
	}
	scale, zp, err := ActivationParams(r)
	if err != nil {
		b.missing = append(b.missing, x+": "+err.Error())
		return x
	}
	s := b.constant(name+"_input_scale", onnx.FloatTensor("", nil, []float32{scale}))
	z := b.constant(name+"_input_zero_point", onnx.Tensor{DataType: onnx.Uint8, Raw: []byte{zp}})
	q := b.node(name+"_input_quantize", "QuantizeLinear", []string{x, s, z})
	return b.node(name+"_input_dequantize", "DequantizeLinear", []string{q, s, z})
}

// checkRanges rejects unusable ranges up front, naming them in order.
func checkRanges(ranges map[string]Range) error {
	if len(ranges) == 0 {
		return fmt.Errorf("graph: %w: an %s graph needs the calibrated range of every quantization point (Options.Ranges)", ErrCalibration, model.INT8)
	}
	names := make([]string, 0, len(ranges))
	for n := range ranges {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, _, err := ActivationParams(ranges[n]); err != nil {
			return fmt.Errorf("%w (tensor %s)", err, n)
		}
	}
	return nil
}

func int8Tensor(name string, dims []int64, v []int8) onnx.Tensor {
	raw := make([]byte, len(v))
	for i, x := range v {
		raw[i] = byte(x)
	}
	return onnx.Tensor{Name: name, DataType: onnx.Int8, Dims: dims, Raw: raw}
}

func ones(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

func finite(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }

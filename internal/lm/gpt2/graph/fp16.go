package graph

import (
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// The fp16 graph stores every parameter but the LayerNorm gains and biases
// as FLOAT16 and computes in float16, except where float16 is not safe:
//
//   - LayerNormalization runs in float32 between Casts. Its variance sums
//     squares of the residual stream, whose outliers on GPT-2 reach the
//     hundreds to thousands: one square of 256 already overflows float16's
//     range (65504).
//   - Attention scores are cast to float32 right after q·kᵀ, then scaled,
//     masked and normalised in float32 and cast back for p·v. The shared
//     mask bias thus stays MaskedScore (float32's lowest value, which has
//     no float16 counterpart), so masking is exactly the fp32 graph's, and
//     Softmax's exp-sum cannot overflow.
//   - logits are cast to float32, so callers see the fp32 signature.
//
// Everything else (embeddings, Conv1D MatMuls and bias Adds, gelu_new,
// residual Adds, the tied output projection) is float16. gelu_new's x³
// overflows to ±Inf for |x| > 40.3; tanh then saturates to ±1, which is
// the function's limit, so the result stays finite and correct.

// toFloat32 casts x to float32 in an fp16 graph, as the node name; in other
// graphs x already is float32 and is returned unchanged.
func (b *builder) toFloat32(name, x string) string {
	if b.prec != model.FP16 {
		return x
	}
	return b.node(name, "Cast", []string{x}, onnx.AttrInt("to", int64(onnx.Float)))
}

// toCompute casts float32 x back to the compute dtype: float16 in an fp16
// graph, nothing otherwise.
func (b *builder) toCompute(name, x string) string {
	if b.prec != model.FP16 {
		return x
	}
	return b.node(name, "Cast", []string{x}, onnx.AttrInt("to", int64(onnx.Float16)))
}

// cscalar is a scalar constant in the compute dtype: scalar(name, v) in
// fp32 and int8 graphs, a FLOAT16 "const/<name>_fp16" in fp16 graphs.
func (b *builder) cscalar(name string, v float32) string {
	if b.prec != model.FP16 {
		return b.scalar(name, v)
	}
	return b.constant(name+"_fp16", onnx.Float16Tensor("", nil, []float32{v}))
}

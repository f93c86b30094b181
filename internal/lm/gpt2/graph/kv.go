package graph

import (
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// KVVersion identifies the decoder with a KV cache that Build emits with
// Options.WithPast (this file's additions to the prefill graph). Caches of
// decoders key on it as well as on Version and VariantVersion.
const KVVersion = "1"

// The decoder with a KV cache (Options.WithPast) is one graph for prefill
// and decode, in Hugging Face/optimum's naming:
//
//   - inputs input_ids [batch, sequence], attention_mask [batch,
//     past_sequence + sequence], position_ids [batch, sequence] and, per
//     layer N, past_key_values.N.key and .value [batch, n_head,
//     past_sequence, head_dim], float32;
//   - outputs logits [batch, sequence, vocab] and present.N.key and .value
//     [batch, n_head, past_sequence + sequence, head_dim], float32: the past
//     with this call's keys and values appended (Concat on axis 2).
//
// A prefill passes a past of length 0; each step then passes the previous
// call's present and one token per sequence. One graph rather than
// optimum's older pair (decoder_model + decoder_with_past_model, or their
// If-merged form) keeps one set of weights per file and one session per
// generation; the past-0 prefill costs nothing but an empty Concat. The
// prefill-only graph stays what it was, since prefill benchmarks and
// accuracy gates need no cache outputs.
//
// Query i of a call sits at index past_sequence + i of the sequence and may
// attend key j if j ≤ past_sequence + i and attention_mask[j] ≠ 0: the
// causal mask counts indices, as Hugging Face's does, and position_ids only
// select position embeddings (past_sequence + i when nothing is padded).
//
// The cache is float32 in every precision, so one session code serves all
// variants: an fp16 graph casts the new keys and values to float32 before
// the Concat and the grown cache back to float16 for its MatMuls (an
// fp16 cache would halve its bytes, at the price of float16 tensors on
// the Go side); an int8 graph quantizes only the Conv1D MatMuls, whose
// quantization points are the prefill graph's, with the same names, so the
// prefill calibration's ranges apply unchanged.

// pastSignature declares the decoder's inputs and outputs and returns the
// positions to embed (position_ids) and the attention bias.
func (b *builder) pastSignature(c gpt2.Config) (positions, bias string) {
	b.declarePast(c)
	return model.PositionIDs, b.pastBias()
}

// declarePast declares the decoder's inputs and outputs.
func (b *builder) declarePast(c gpt2.Config) {
	heads, hd := c.NHead, c.NEmbd/c.NHead
	b.g.Inputs = []onnx.ValueInfo{
		onnx.TensorInfo(model.InputIDs, onnx.Int64, "batch", "sequence"),
		onnx.TensorInfo(model.AttentionMask, onnx.Int64, "batch", "past_sequence + sequence"),
		onnx.TensorInfo(model.PositionIDs, onnx.Int64, "batch", "sequence"),
	}
	b.g.Outputs = []onnx.ValueInfo{
		onnx.TensorInfo(model.Logits, onnx.Float, "batch", "sequence", c.VocabSize),
	}
	for n := range c.NLayer {
		b.g.Inputs = append(b.g.Inputs,
			onnx.TensorInfo(model.PastKey(n), onnx.Float, "batch", heads, "past_sequence", hd),
			onnx.TensorInfo(model.PastValue(n), onnx.Float, "batch", heads, "past_sequence", hd))
		b.g.Outputs = append(b.g.Outputs,
			onnx.TensorInfo(model.PresentKey(n), onnx.Float, "batch", heads, "past_sequence + sequence", hd),
			onnx.TensorInfo(model.PresentValue(n), onnx.Float, "batch", heads, "past_sequence + sequence", hd))
	}
}

// pastBias is the decoder's attention bias: queries are indices past …
// past+sequence−1, keys 0 … total−1, where past is the cache's length and
// total the attention mask's.
func (b *builder) pastBias() string {
	one := b.int64Scalar("one", 1)
	past := b.node("mask/past_shape", "Shape", []string{model.PastKey(0)})
	past = b.node("mask/past_length", "Gather", []string{past, b.int64Scalar("two", 2)}, onnx.AttrInt("axis", 0))
	seq := b.node("mask/input_shape", "Shape", []string{model.InputIDs})
	seq = b.node("mask/sequence", "Gather", []string{seq, one}, onnx.AttrInt("axis", 0))
	end := b.node("mask/query_end", "Add", []string{past, seq})
	queries := b.node("mask/query_indices", "Range", []string{past, end, one})
	total := b.node("mask/mask_shape", "Shape", []string{model.AttentionMask})
	total = b.node("mask/total", "Gather", []string{total, one}, onnx.AttrInt("axis", 0))
	keys := b.node("mask/key_indices", "Range", []string{b.int64Scalar("zero", 0), total, one})
	return b.attentionBias(queries, keys)
}

// cache appends layer n's new keys k and values v ([batch, heads,
// sequence, head_dim], compute dtype) to its past, outputs the results as
// present.n.key and .value, and returns the keys transposed for q·kᵀ
// ([batch, heads, head_dim, past + sequence]) and the values, both in the
// compute dtype.
func (b *builder) cache(n int, p, k, v string) (kT, vAll string) {
	k = b.toFloat32(p+"/k_to_fp32", k)
	v = b.toFloat32(p+"/v_to_fp32", v)
	key := b.nodeOut(p+"/present_key", "Concat", []string{model.PastKey(n), k}, []string{model.PresentKey(n)}, onnx.AttrInt("axis", 2))[0]
	val := b.nodeOut(p+"/present_value", "Concat", []string{model.PastValue(n), v}, []string{model.PresentValue(n)}, onnx.AttrInt("axis", 2))[0]
	key = b.toCompute(p+"/present_key_to_fp16", key)
	vAll = b.toCompute(p+"/present_value_to_fp16", val)
	kT = b.node(p+"/present_key_transpose", "Transpose", []string{key}, onnx.AttrInts("perm", 0, 1, 3, 2))
	return kT, vAll
}

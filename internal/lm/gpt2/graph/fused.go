package graph

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// FusedVersion identifies the fused graph Build emits with Options.Fused
// (this file's rewrite of the blocks). Caches of fused graphs key on it as
// well as on Version, VariantVersion, KVVersion and RowsVersion.
const FusedVersion = "1"

// ContribDomain is the operator domain of ONNX Runtime's contrib operators.
const ContribDomain = "com.microsoft"

// ContribOpset is the version of ContribDomain the fused graph imports.
const ContribOpset = 1

// FusedMaskFilter is the fp16 fused graph's additive score of a masked key:
// ONNX Runtime's default mask_filter_value. float32's lowest value (the
// fp32 graphs' MaskedScore) becomes −Inf in float16, and a query whose keys
// are all masked would then compute NaN.
const FusedMaskFilter = -10000

// The fused graph (Options.Fused) computes what the prefill graph, the
// decoder with a KV cache (with WithPast) or the row-prefill graph (with
// LogitsFrom) computes, with the same inputs, outputs and initializers, but
// each block's chains of standard operators replaced by the contrib
// operators (domain com.microsoft) that ONNX Runtime's CUDA and CPU
// providers run as single kernels, as ONNX Runtime's own transformers
// optimizer does for GPT-2 (model_type gpt2):
//
//   - Attention (unidirectional=1: causal) does the qkv Conv1D, the split
//     into heads, q·kᵀ scaled by 1/√head_dim, the mask, Softmax and p·v in
//     one node. Its mask_index is attention_mask cast to int32 [batch,
//     past + sequence] (the "raw" 2-D mask), and mask_filter_value is
//     MaskedScore in fp32, so every query attends exactly the keys the
//     unfused graph lets it. A query with no attendable key (a padded
//     position, whose logits nobody reads) attends all keys uniformly on
//     the CPU provider, as in the unfused graph; CUDA's kernel gives its
//     future keys −Inf instead, so it attends its past keys uniformly.
//     fp16 uses FusedMaskFilter: such a query then attends by score.
//   - SkipLayerNormalization adds the residual, the previous Conv1D's bias
//     and the sub-layer output and normalises the sum in one node; its
//     optional fourth output, the sum, is the residual stream. Every
//     LayerNorm of the model is one: the first adds the token and position
//     embeddings (fusing the embedding sum into ln_1 of block 0; the
//     position embeddings [sequence, n_embd] broadcast over the batch), the
//     last is ln_f.
//   - FastGelu adds the MLP's fc bias and applies gelu_new (its tanh form
//     is gelu_new exactly).
//
// The attention projection, fc and MLP projection stay MatMuls (cuBLAS
// GEMMs), their biases folded into the next contrib node. A GPT-2 of L
// layers thus has L Attention, 2L+1 SkipLayerNormalization and L FastGelu
// nodes (WantContribOps), and no LayerNormalization, Softmax or Tanh.
//
// The decoder passes each layer's past as Attention's single past input
// [2, batch, n_head, past, head_dim], the Concat of past_key_values.N.key
// and .value, and splits the op's present back into present.N.key and
// .value: the signature stays Hugging Face's, at the cost of one copy of
// the cache in and one out per layer and step (a shared fixed-capacity
// buffer, GroupQueryAttention's or MultiHeadAttention's
// past_present_share_buffer, would avoid them and needs its own session
// code).
//
// fp16: the contrib ops take float16 tensors and accumulate in float32
// internally (LayerNorm sums, Softmax), so the fused fp16 graph has no
// Casts but those at its edges (logits out, and in the decoder the float32
// cache in and out), unlike the unfused fp16 graph (fp16.go), which casts
// around every LayerNorm and softmax: its LayerNorm gains and biases are
// float16, as the contrib ops require. ONNX Runtime 1.30's CPU provider
// has float32 kernels of all three ops (fp16 ones for some), so the fp32
// fused graph runs, and is tested, on the CPU; fp16 targets the CUDA
// provider. int8 (Q/DQ) graphs are not fused.

// WantContribOps is how many nodes of each contrib operator the fused
// graph of c has.
func WantContribOps(c gpt2.Config) map[string]int {
	return map[string]int{
		"Attention":              c.NLayer,
		"SkipLayerNormalization": 2*c.NLayer + 1,
		"FastGelu":               c.NLayer,
	}
}

// ContribOps counts the nodes of m's graph per contrib operator (domain
// com.microsoft): empty for an unfused graph.
func ContribOps(m *onnx.Model) map[string]int {
	n := map[string]int{}
	for _, nd := range m.Graph.Nodes {
		if nd.Domain == ContribDomain {
			n[nd.OpType]++
		}
	}
	return n
}

// FormatOps formats operator counts as "A=1,B=2", sorted by name.
func FormatOps(counts map[string]int) string {
	parts := make([]string, 0, len(counts))
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, k+"="+strconv.Itoa(counts[k]))
	}
	return strings.Join(parts, ",")
}

// buildFused emits the fused graph's body: the signature (declared by the
// caller) is the unfused graph's.
func (b *builder) buildFused(c gpt2.Config, w *gpt2.Weights, positions string, rows bool) {
	wte := b.weight("wte.weight", w.WTE)
	wpe := b.weight("wpe.weight", w.WPE)
	tok := b.node("embed/wte_gather", "Gather", []string{wte, model.InputIDs}, onnx.AttrInt("axis", 0))
	pos := b.node("embed/wpe_gather", "Gather", []string{wpe, positions}, onnx.AttrInt("axis", 0))
	mask := b.node("mask/int32", "Cast", []string{model.AttentionMask}, onnx.AttrInt("to", int64(onnx.Int32)))

	// x is the residual stream; pending the last MLP projection's MatMul
	// output and bias, not yet added to it.
	x, pending, bias := pos, tok, ""
	for i := range w.Blocks {
		blk := &w.Blocks[i]
		p := fmt.Sprintf("h.%d", i)
		wt := func(name string, t gpt2.Tensor) string { return b.weight(p+"."+name, t) }
		var a string
		a, x = b.skipLayerNorm(p+"/ln_1", pending, x, wt("ln_1.weight", blk.LN1W), wt("ln_1.bias", blk.LN1B), bias, c.Eps(), true)

		ctx := b.fusedAttention(c, i, p+"/attn", a, mask, wt("attn.c_attn.weight", blk.AttnW), wt("attn.c_attn.bias", blk.AttnB))
		proj := b.node(p+"/attn/proj_matmul", "MatMul", []string{ctx, wt("attn.c_proj.weight", blk.AttnPW)})
		a, x = b.skipLayerNorm(p+"/ln_2", proj, x, wt("ln_2.weight", blk.LN2W), wt("ln_2.bias", blk.LN2B),
			wt("attn.c_proj.bias", blk.AttnPB), c.Eps(), true)

		h := b.node(p+"/mlp/fc_matmul", "MatMul", []string{a, wt("mlp.c_fc.weight", blk.FCW)})
		h = b.contrib(p+"/mlp/gelu", "FastGelu", []string{h, wt("mlp.c_fc.bias", blk.FCB)}, []string{p + "/mlp/gelu"})[0]
		pending = b.node(p+"/mlp/proj_matmul", "MatMul", []string{h, wt("mlp.c_proj.weight", blk.MLPPW)})
		bias = wt("mlp.c_proj.bias", blk.MLPPB)
	}
	out, _ := b.skipLayerNorm("ln_f", pending, x, b.weight("ln_f.weight", w.LNFW), b.weight("ln_f.bias", w.LNFB), bias, c.Eps(), false)
	if rows {
		out = b.node("rows/slice", "Slice", []string{out, model.LogitsFrom, b.int64s("rows/end", math.MaxInt64), b.int64s("rows/axis", 1)})
	}
	b.lmHead(out, wte)
}

// contrib appends a node of a contrib operator.
func (b *builder) contrib(name, op string, inputs, outputs []string, attrs ...onnx.Attr) []string {
	out := b.nodeOut(name, op, inputs, outputs, attrs...)
	b.g.Nodes[len(b.g.Nodes)-1].Domain = ContribDomain
	return out
}

// skipLayerNorm is SkipLayerNormalization: LayerNorm(input + skip + bias)
// with gain gamma and bias beta (bias "" for none). With sum it also
// returns input + skip + bias, the residual stream, as "<name>/sum".
func (b *builder) skipLayerNorm(name, input, skip, gamma, beta, bias string, eps float64, sum bool) (norm, residual string) {
	outs := []string{name}
	if sum {
		residual = name + "/sum"
		outs = []string{name, "", "", residual}
	}
	ins := []string{input, skip, gamma, beta}
	if bias != "" {
		ins = append(ins, bias)
	}
	b.contrib(name, "SkipLayerNormalization", ins, outs, onnx.AttrFloat("epsilon", float32(eps)))
	return name, residual
}

// fusedAttention is the Attention node of layer n over the normalised
// stream a ([batch, sequence, n_embd]) with the qkv Conv1D weight and bias
// and the int32 mask [batch, past + sequence]; in the decoder it also reads
// the layer's past and writes its present (see the file comment). It
// returns the context [batch, sequence, n_embd], before the projection.
func (b *builder) fusedAttention(c gpt2.Config, n int, p, a, mask, qkvW, qkvB string) string {
	filter := float32(MaskedScore)
	if b.prec == model.FP16 {
		filter = FusedMaskFilter
	}
	attrs := []onnx.Attr{
		onnx.AttrFloat("mask_filter_value", filter),
		onnx.AttrInt("num_heads", int64(c.NHead)),
		onnx.AttrInt("unidirectional", 1),
	}
	if !b.past {
		return b.contrib(p, "Attention", []string{a, qkvW, qkvB, mask}, []string{p}, attrs...)[0]
	}
	axes := b.int64s("axes_0", 0)
	k := b.toCompute(p+"/past_key_to_fp16", model.PastKey(n))
	v := b.toCompute(p+"/past_value_to_fp16", model.PastValue(n))
	k = b.node(p+"/past_key_unsqueeze", "Unsqueeze", []string{k, axes})
	v = b.node(p+"/past_value_unsqueeze", "Unsqueeze", []string{v, axes})
	past := b.node(p+"/past", "Concat", []string{k, v}, onnx.AttrInt("axis", 0))
	outs := b.contrib(p, "Attention", []string{a, qkvW, qkvB, mask, past}, []string{p, p + "/present"}, attrs...)
	kv := b.nodeOut(p+"/present_split", "Split", []string{outs[1]}, []string{p + "/present_k", p + "/present_v"},
		onnx.AttrInt("axis", 0))
	b.presentOut(p+"/present_key", kv[0], model.PresentKey(n), axes)
	b.presentOut(p+"/present_value", kv[1], model.PresentValue(n), axes)
	return outs[0]
}

// presentOut squeezes a half of Attention's present [1, batch, n_head,
// total, head_dim] into the graph output out, float32 in every precision.
func (b *builder) presentOut(p, x, out, axes string) {
	if b.prec != model.FP16 {
		b.nodeOut(p+"_squeeze", "Squeeze", []string{x, axes}, []string{out})
		return
	}
	x = b.node(p+"_squeeze", "Squeeze", []string{x, axes})
	b.nodeOut(p+"_to_fp32", "Cast", []string{x}, []string{out}, onnx.AttrInt("to", int64(onnx.Float)))
}

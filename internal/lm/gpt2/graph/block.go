package graph

import (
	"fmt"
	"math"

	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// block emits transformer layer i, h.i/…, and returns its output.
func (b *builder) block(c gpt2.Config, i int, blk *gpt2.Block, x, bias string) string {
	p := fmt.Sprintf("h.%d", i)
	w := func(name string, t gpt2.Tensor) string { return b.weight(p+"."+name, t) }
	nw := func(name string, t gpt2.Tensor) string { return b.normWeight(p+"."+name, t) }
	lw := func(name string, t gpt2.Tensor) string { return b.linearWeight(p+"."+name, t) }

	a := b.layerNorm(p+"/ln_1", x, nw("ln_1.weight", blk.LN1W), nw("ln_1.bias", blk.LN1B), c.Eps())
	attn := b.attention(c, i, p+"/attn", a, bias,
		lw("attn.c_attn.weight", blk.AttnW), w("attn.c_attn.bias", blk.AttnB),
		lw("attn.c_proj.weight", blk.AttnPW), w("attn.c_proj.bias", blk.AttnPB))
	x = b.node(p+"/attn/residual", "Add", []string{x, attn})

	a = b.layerNorm(p+"/ln_2", x, nw("ln_2.weight", blk.LN2W), nw("ln_2.bias", blk.LN2B), c.Eps())
	h := b.linear(p+"/mlp/fc", a, lw("mlp.c_fc.weight", blk.FCW), w("mlp.c_fc.bias", blk.FCB))
	h = b.geluNew(p+"/mlp/gelu", h)
	h = b.linear(p+"/mlp/proj", h, lw("mlp.c_proj.weight", blk.MLPPW), w("mlp.c_proj.bias", blk.MLPPB))
	return b.node(p+"/mlp/residual", "Add", []string{x, h})
}

// attention is causal multi-head self-attention over a [batch, sequence,
// n_embd], with the additive bias [batch, 1, sequence, sequence].
func (b *builder) attention(c gpt2.Config, layer int, p, a, bias, qkvW, qkvB, projW, projB string) string {
	heads, hd := int64(c.NHead), int64(c.NEmbd/c.NHead)
	qkv := b.linear(p+"/qkv", a, qkvW, qkvB)
	split := b.nodeOut(p+"/qkv_split", "Split", []string{qkv},
		[]string{p + "/q", p + "/k", p + "/v"}, onnx.AttrInt("axis", 2))
	// [batch, sequence, n_embd] → [batch, sequence, heads, head_dim], then
	// q, v → [batch, heads, sequence, head_dim] and k → [batch, heads,
	// head_dim, sequence].
	toHeads := b.int64s(fmt.Sprintf("shape_0_0_%d_%d", heads, hd), 0, 0, heads, hd)
	perm := map[string][]int64{"q": {0, 2, 1, 3}, "k": {0, 2, 3, 1}, "v": {0, 2, 1, 3}}
	if b.past {
		perm["k"] = []int64{0, 2, 1, 3} // cached as [batch, heads, sequence, head_dim]
	}
	var qkvHeads [3]string
	for i, n := range []string{"q", "k", "v"} {
		r := b.node(p+"/"+n+"_reshape", "Reshape", []string{split[i], toHeads})
		qkvHeads[i] = b.node(p+"/"+n+"_transpose", "Transpose", []string{r}, onnx.AttrInts("perm", perm[n]...))
	}
	q, kT, v := qkvHeads[0], qkvHeads[1], qkvHeads[2]
	if b.past {
		kT, v = b.cache(layer, p, kT, v)
	}

	// Scores are scaled, masked and normalised in float32 (a no-op cast
	// pair in fp32 and int8 graphs; see fp16.go).
	scores := b.node(p+"/scores_matmul", "MatMul", []string{q, kT})
	scores = b.toFloat32(p+"/scores_to_fp32", scores)
	scale := b.scalar(fmt.Sprintf("attn_scale_%d", hd), float32(1/math.Sqrt(float64(hd))))
	scores = b.node(p+"/scores_scale", "Mul", []string{scores, scale})
	scores = b.node(p+"/scores_mask", "Add", []string{scores, bias})
	probs := b.node(p+"/softmax", "Softmax", []string{scores}, onnx.AttrInt("axis", -1))
	probs = b.toCompute(p+"/probs_to_fp16", probs)

	ctx := b.node(p+"/context_matmul", "MatMul", []string{probs, v})
	ctx = b.node(p+"/context_transpose", "Transpose", []string{ctx}, onnx.AttrInts("perm", 0, 2, 1, 3))
	ctx = b.node(p+"/context_reshape", "Reshape", []string{ctx, b.int64s(fmt.Sprintf("shape_0_0_%d", c.NEmbd), 0, 0, int64(c.NEmbd))})
	return b.linear(p+"/proj", ctx, projW, projB)
}

// geluNew is Hugging Face's gelu_new, spelled out as its export does:
// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
func (b *builder) geluNew(p, x string) string {
	half := b.node(p+"_half", "Mul", []string{x, b.cscalar("half", 0.5)})
	cube := b.node(p+"_pow", "Pow", []string{x, b.cscalar("three", 3)})
	cube = b.node(p+"_cube_scale", "Mul", []string{cube, b.cscalar("gelu_coeff", 0.044715)})
	inner := b.node(p+"_inner_add", "Add", []string{x, cube})
	inner = b.node(p+"_inner_scale", "Mul", []string{inner, b.cscalar("sqrt_2_over_pi", float32(math.Sqrt(2/math.Pi)))})
	t := b.node(p+"_tanh", "Tanh", []string{inner})
	t = b.node(p+"_one_add", "Add", []string{t, b.cscalar("one_float", 1)})
	return b.node(p+"_mul", "Mul", []string{half, t})
}

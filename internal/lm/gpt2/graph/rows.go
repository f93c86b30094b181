package graph

import (
	"math"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// RowsVersion identifies the row-prefill graph that Build emits with
// Options.LogitsFrom (this file's additions to the prefill graph). Caches
// of it key on it as well as on Version and VariantVersion.
const RowsVersion = "1"

// The row-prefill graph is the prefill graph with one more input,
// logits_from (int64 [1]), that outputs the logits of positions
// logits_from … sequence−1 only: [batch, sequence − logits_from, vocab].
// Every position is still embedded and attended (the blocks are
// unchanged); the final LayerNorm's output is sliced on the sequence
// axis (see layerNormRows), so the LM head (hidden × vocabulary, most
// of a small model's FLOPs and all of its output writes) runs over the
// kept rows only. A sliding-window perplexity with stride window/2 scores
// only the last half of every window after the first, so it halves that
// part of the pass. The prefill graph itself stays what it was: prefill
// benchmarks and foreign files keep their signature.

// rowsSignature declares the row-prefill graph's extra input and its
// logits' shape.
func (b *builder) rowsSignature(c gpt2.Config) {
	b.g.Inputs = append(b.g.Inputs, onnx.TensorInfo(model.LogitsFrom, onnx.Int64, 1))
	b.g.Outputs = []onnx.ValueInfo{
		onnx.TensorInfo(model.Logits, onnx.Float, "batch", "sequence - logits_from", c.VocabSize),
	}
}

// layerNormRows is layerNorm keeping positions logits_from … sequence−1
// of its output: the Slice sits between the LayerNormalization and, in an
// fp16 graph, its Cast back to float16, so that ONNX Runtime's fusions
// around the final LayerNorm (the residual Add into it, the Casts around
// the LM head's MatMul) see the prefill graph's node chains and the kept
// rows come out as the prefill graph's (elsewhere, the fp16 rows differed
// by relative L2 2e-4).
func (b *builder) layerNormRows(name, x, scale, bias string, eps float64) string {
	x = b.toFloat32(name+"_to_fp32", x)
	y := b.node(name, "LayerNormalization", []string{x, scale, bias},
		onnx.AttrInt("axis", -1), onnx.AttrFloat("epsilon", float32(eps)))
	y = b.node("rows/slice", "Slice", []string{y, model.LogitsFrom, b.int64s("rows/end", math.MaxInt64), b.int64s("rows/axis", 1)})
	return b.toCompute(name+"_to_fp16", y)
}

package orttest

import (
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// The tiny model's limits.
const (
	TinyVocab     = 7
	TinyPositions = 8
)

// tinyEmbedding is row t of the tiny model's embedding table: the logits it
// produces for token t. Values are exact in float32.
func tinyEmbedding(t, j int) float32 { return float32(10*t+j) + 0.25 }

// TinyLogits returns the logits [len(tokens), TinyVocab] the tiny model
// must produce for tokens (any batch × seq layout, since it has no
// context): row i is tinyEmbedding(tokens[i], ·).
func TinyLogits(tokens []int64) []float32 {
	out := make([]float32, 0, len(tokens)*TinyVocab)
	for _, t := range tokens {
		for j := range TinyVocab {
			out = append(out, tinyEmbedding(int(t), j))
		}
	}
	return out
}

// Tiny is a context-free "language model" of vocabulary 7:
//
//	logits = Gather(E, input_ids) · Unsqueeze(Cast<float>(attention_mask), -1)
//
// so with an all-ones mask, logits[b, s, :] = E[input_ids[b, s], :] exactly
// (see TinyLogits), and the mask is a real input ORT cannot drop.
func Tiny(tb testing.TB) *model.Model {
	tb.Helper()
	return Write(tb, "tiny", gatherModel(model.InputIDs, model.AttentionMask, TinyVocab, nil), TinyVocab, TinyPositions)
}

// Shaped is Tiny plus the position arithmetic exported graphs carry: the
// sequence length read from input_ids' shape (Shape, then Gather), a
// Range of positions, cast, multiplied by zero and added to the logits,
// so its logits are Tiny's (TinyLogits) exactly. On a GPU provider ONNX
// Runtime places such shape computations on the CPU provider, as it does
// in a torch.onnx export of GPT-2; CUDA graphs cannot capture the model.
func Shaped(tb testing.TB) *model.Model {
	tb.Helper()
	g := gatherModel(model.InputIDs, model.AttentionMask, TinyVocab, nil)
	last := &g.Graph.Nodes[len(g.Graph.Nodes)-1]
	last.Outputs[0] = "tiny_logits"
	g.Graph.Nodes = append(g.Graph.Nodes,
		onnx.Node{OpType: "Shape", Name: "ids_shape", Inputs: []string{model.InputIDs}, Outputs: []string{"ids_shape"}},
		onnx.Node{OpType: "Gather", Name: "seq_len", Inputs: []string{"ids_shape", "one"}, Outputs: []string{"seq_len"}, Attrs: []onnx.Attr{onnx.AttrInt("axis", 0)}},
		onnx.Node{OpType: "Range", Name: "positions", Inputs: []string{"zero", "seq_len", "one"}, Outputs: []string{"positions"}},
		onnx.Node{OpType: "Cast", Name: "positions_float", Inputs: []string{"positions"}, Outputs: []string{"positions_f"}, Attrs: []onnx.Attr{onnx.AttrInt("to", int64(onnx.Float))}},
		onnx.Node{OpType: "Mul", Name: "positions_zeroed", Inputs: []string{"positions_f", "zero_f"}, Outputs: []string{"positions_0"}},
		onnx.Node{OpType: "Unsqueeze", Name: "positions_2d", Inputs: []string{"positions_0", "axes"}, Outputs: []string{"positions_2"}},
		onnx.Node{OpType: "Add", Name: "add_positions", Inputs: []string{"tiny_logits", "positions_2"}, Outputs: []string{model.Logits}},
	)
	g.Graph.Initializers = append(g.Graph.Initializers,
		onnx.Int64Tensor("zero", []int64{}, []int64{0}),
		onnx.Int64Tensor("one", []int64{}, []int64{1}),
		onnx.FloatTensor("zero_f", []int64{1}, []float32{0}),
	)
	return Write(tb, "shaped", g, TinyVocab, TinyPositions)
}

// WrongNames is Tiny with its inputs called "ids" and "mask".
func WrongNames(tb testing.TB) *model.Model {
	tb.Helper()
	return Write(tb, "wrong-names", gatherModel("ids", "mask", TinyVocab, nil), TinyVocab, TinyPositions)
}

// Wide is a bigger context-free model for overhead benchmarks: an
// embedding of width d gathered per token, then a [d, vocab] MatMul, so a
// run costs about 2·tokens·d·vocab flops. Weights are a fixed pattern.
func Wide(tb testing.TB, vocab, d, positions int) *model.Model {
	tb.Helper()
	w := make([]float32, d*vocab)
	for i := range w {
		w[i] = float32(i%13-6) / 64
	}
	return Write(tb, "wide", gatherModel(model.InputIDs, model.AttentionMask, d, &head{d: d, vocab: vocab, w: w}), vocab, positions)
}

type head struct {
	d, vocab int
	w        []float32
}

// gatherModel builds Gather(E[rows, width], ids) × mask, optionally followed
// by a MatMul head. rows is the vocabulary: width without a head, h.vocab
// with one.
func gatherModel(ids, mask string, width int, h *head) *onnx.Model {
	rows := width
	if h != nil {
		rows = h.vocab
	}
	emb := make([]float32, rows*width)
	for t := range rows {
		for j := range width {
			if h == nil {
				emb[t*width+j] = tinyEmbedding(t, j)
			} else {
				emb[t*width+j] = float32((t*7+j)%17-8) / 32
			}
		}
	}
	sym := func(names ...string) []onnx.Dim {
		d := make([]onnx.Dim, len(names))
		for i, n := range names {
			d[i] = onnx.Dim{Param: n}
		}
		return d
	}
	vocab := width
	nodes := []onnx.Node{
		{OpType: "Gather", Name: "embed", Inputs: []string{"E", ids}, Outputs: []string{"emb"}, Attrs: []onnx.Attr{onnx.AttrInt("axis", 0)}},
		{OpType: "Cast", Name: "mask_float", Inputs: []string{mask}, Outputs: []string{"maskf"}, Attrs: []onnx.Attr{onnx.AttrInt("to", int64(onnx.Float))}},
		{OpType: "Unsqueeze", Name: "mask_3d", Inputs: []string{"maskf", "axes"}, Outputs: []string{"mask3"}},
		{OpType: "Mul", Name: "apply_mask", Inputs: []string{"emb", "mask3"}, Outputs: []string{"hidden"}},
	}
	inits := []onnx.Tensor{
		onnx.FloatTensor("E", []int64{int64(rows), int64(width)}, emb),
		onnx.Int64Tensor("axes", []int64{1}, []int64{-1}),
	}
	if h != nil {
		vocab = h.vocab
		nodes = append(nodes, onnx.Node{OpType: "MatMul", Name: "lm_head", Inputs: []string{"hidden", "W"}, Outputs: []string{model.Logits}})
		inits = append(inits, onnx.FloatTensor("W", []int64{int64(h.d), int64(h.vocab)}, h.w))
	} else {
		nodes[len(nodes)-1].Outputs[0] = model.Logits
	}
	outDims := append(sym("batch", "seq"), onnx.Dim{Value: int64(vocab)})
	return &onnx.Model{
		IRVersion:    8,
		Opsets:       []onnx.OpsetID{{Version: 17}},
		ProducerName: "inferbench-orttest",
		Graph: onnx.Graph{
			Name:         "orttest",
			Nodes:        nodes,
			Initializers: inits,
			Inputs: []onnx.ValueInfo{
				{Name: ids, ElemType: onnx.Int64, Dims: sym("batch", "seq")},
				{Name: mask, ElemType: onnx.Int64, Dims: sym("batch", "seq")},
			},
			Outputs: []onnx.ValueInfo{{Name: model.Logits, ElemType: onnx.Float, Dims: outDims}},
		},
	}
}

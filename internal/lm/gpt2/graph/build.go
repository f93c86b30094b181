package graph

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// Version identifies the graph Build emits. It changes whenever the same
// weights would give different bytes, so caches keyed on it stay valid.
const Version = "2"

// ONNX versions of the emitted model.
const (
	IRVersion = 8
	Opset     = 17
)

// ProducerName is the model's producer_name.
const ProducerName = "inferbench"

// VariantVersion identifies the fp16 and int8 graphs Build emits (the
// precision hooks in fp16.go and qdq.go). Caches of variants key on it as
// well as on Version, so changing a variant's bytes does not invalidate
// cached fp32 models.
const VariantVersion = "1"

var (
	// ErrPrecision reports a precision Build does not emit.
	ErrPrecision = errors.New("unsupported precision")
	// ErrCalibration reports INT8 activation ranges that are missing or
	// unusable.
	ErrCalibration = errors.New("bad calibration")
)

// MaskedScore is the additive bias of a masked key: float32's most negative
// finite value, as Hugging Face's torch.finfo(torch.float32).min. Added to
// any realistic score it rounds to itself, so a query with every key masked
// sees equal scores and attends uniformly to all positions, like the
// reference.
const MaskedScore = -math.MaxFloat32

// Options configure Build.
type Options struct {
	// Precision of the graph: "" or fp32, fp16 (see fp16.go) or int8 (see
	// qdq.go).
	Precision model.Precision
	// ProducerVersion is recorded as producer_version; "" records
	// "graph-" + Version.
	ProducerVersion string
	// Ranges are the calibrated ranges of the quantization points, keyed
	// by tensor name (the extra outputs of an ExposeActivations graph).
	// INT8 needs one for every point; other precisions ignore them.
	Ranges map[string]Range
	// WeightBits is 8 (0 means 8) or 7 for INT8 weights in [−127, 127] or
	// [−63, 63]; 7 avoids the int16 saturation of u8×s8 kernels on x86-64
	// CPUs without VNNI (see qdq.go).
	WeightBits int
	// ExposeActivations adds every quantization point (the float input of
	// each Conv1D MatMul) as an extra float32 graph output after logits,
	// for calibration. Only fp32 graphs expose them.
	ExposeActivations bool
	// Metadata is appended to the model's metadata_props, e.g. how the
	// ranges were calibrated.
	Metadata []onnx.KV
	// WithPast emits the decoder with a KV cache instead (see kv.go):
	// inputs position_ids and past_key_values.N.key/.value besides
	// input_ids and attention_mask, outputs present.N.key/.value besides
	// logits.
	WithPast bool
	// LogitsFrom emits the row-prefill graph instead (see rows.go): input
	// logits_from (int64 [1]) besides input_ids and attention_mask, and
	// logits [batch, sequence − logits_from, vocab] for the positions
	// logits_from … sequence−1 only.
	LogitsFrom bool
	// Fused emits the graph with ONNX Runtime's contrib operators
	// (Attention, SkipLayerNormalization, FastGelu; see fused.go) in place
	// of each block's standard operators, with the same signature: the
	// prefill graph, or with WithPast the decoder, or with LogitsFrom the
	// row-prefill graph. fp32 and fp16 only.
	Fused bool
}

// Build emits c and w as an ONNX model (IR version 8, opset 17) with inputs
// input_ids and attention_mask (int64 [batch, sequence]) and output logits
// (float32 [batch, sequence, vocab]), computing what package reference
// computes, in the requested precision. The same arguments always give a
// model whose Marshal output is byte-identical.
func Build(c gpt2.Config, w *gpt2.Weights, opt Options) (*onnx.Model, error) {
	prec := opt.Precision
	switch prec {
	case "":
		prec = model.FP32
	case model.FP32, model.FP16, model.INT8:
	default:
		return nil, fmt.Errorf("graph: %w %q: Build emits %s, %s and %s", ErrPrecision, prec, model.FP32, model.FP16, model.INT8)
	}
	if opt.ExposeActivations && prec != model.FP32 {
		return nil, fmt.Errorf("graph: %w %q: only %s graphs expose activations for calibration", ErrPrecision, prec, model.FP32)
	}
	if opt.Fused && (prec == model.INT8 || opt.ExposeActivations) {
		return nil, fmt.Errorf("graph: %w %q: the fused graph (Fused) is emitted in %s and %s, without calibration outputs", ErrPrecision, prec, model.FP32, model.FP16)
	}
	if err := w.Check(c); err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	bits := opt.WeightBits
	if bits == 0 {
		bits = 8
	}
	if prec == model.INT8 {
		if _, err := weightMax(bits); err != nil {
			return nil, err
		}
		if err := checkRanges(opt.Ranges); err != nil {
			return nil, err
		}
	}
	producer := opt.ProducerVersion
	if producer == "" {
		producer = "graph-" + Version
	}

	if opt.WithPast && opt.ExposeActivations {
		return nil, fmt.Errorf("graph: calibration graphs (ExposeActivations) have no KV cache (WithPast)")
	}
	if opt.LogitsFrom && (opt.WithPast || opt.ExposeActivations) {
		return nil, fmt.Errorf("graph: the row-prefill graph (LogitsFrom) is neither a decoder with a KV cache (WithPast) nor a calibration graph (ExposeActivations)")
	}
	b := newBuilder("gpt2", prec)
	b.ranges, b.expose, b.weightBits = opt.Ranges, opt.ExposeActivations, bits
	var positions, bias string
	if opt.WithPast {
		b.g.Name = "gpt2_with_past"
		b.past = true
		if opt.Fused {
			b.declarePast(c)
			positions = model.PositionIDs
		} else {
			positions, bias = b.pastSignature(c)
		}
	} else {
		b.g.Inputs = []onnx.ValueInfo{
			onnx.TensorInfo(model.InputIDs, onnx.Int64, "batch", "sequence"),
			onnx.TensorInfo(model.AttentionMask, onnx.Int64, "batch", "sequence"),
		}
		b.g.Outputs = []onnx.ValueInfo{
			onnx.TensorInfo(model.Logits, onnx.Float, "batch", "sequence", c.VocabSize),
		}
		positions = b.positions()
		if opt.LogitsFrom {
			b.g.Name = "gpt2_rows"
			b.rowsSignature(c)
		}
	}
	if opt.Fused {
		b.g.Name += "_fused"
		b.buildFused(c, w, positions, opt.LogitsFrom)
	} else {
		b.buildBlocks(c, w, positions, bias, opt)
	}
	if len(b.missing) > 0 {
		return nil, fmt.Errorf("graph: %w: no range for %d of %d quantization points, first %s",
			ErrCalibration, len(b.missing), len(b.points), b.missing[0])
	}
	if b.expose {
		b.g.Outputs = append(b.g.Outputs, b.points...)
	}
	meta := []onnx.KV{
		{Key: "inferbench.graph_version", Value: Version},
		{Key: "inferbench.precision", Value: string(prec)},
	}
	if prec != model.FP32 {
		meta = append(meta, onnx.KV{Key: "inferbench.variant_version", Value: VariantVersion})
	}
	if prec == model.INT8 {
		meta = append(meta, onnx.KV{Key: "inferbench.weight_bits", Value: strconv.Itoa(bits)})
	}
	if opt.WithPast {
		meta = append(meta, onnx.KV{Key: "inferbench.kv_cache_version", Value: KVVersion})
	}
	if opt.LogitsFrom {
		meta = append(meta, onnx.KV{Key: "inferbench.rows_version", Value: RowsVersion})
	}
	opsets := []onnx.OpsetID{{Domain: "", Version: Opset}}
	if opt.Fused {
		meta = append(meta, onnx.KV{Key: "inferbench.fused_version", Value: FusedVersion})
		opsets = append(opsets, onnx.OpsetID{Domain: ContribDomain, Version: ContribOpset})
	}
	meta = append(meta, opt.Metadata...)

	return &onnx.Model{
		IRVersion:       IRVersion,
		Opsets:          opsets,
		ProducerName:    ProducerName,
		ProducerVersion: producer,
		Graph:           b.g,
		Metadata:        meta,
	}, nil
}

// buildBlocks emits the unfused graph's body: embeddings, blocks, ln_f and
// the LM head.
func (b *builder) buildBlocks(c gpt2.Config, w *gpt2.Weights, positions, bias string, opt Options) {
	wte := b.weight("wte.weight", w.WTE)
	wpe := b.weight("wpe.weight", w.WPE)

	x := b.embed(wte, wpe, positions)
	if !opt.WithPast {
		bias = b.attentionBias(positions, positions)
	}
	for i := range w.Blocks {
		x = b.block(c, i, &w.Blocks[i], x, bias)
	}
	if opt.LogitsFrom {
		x = b.layerNormRows("ln_f", x, b.normWeight("ln_f.weight", w.LNFW), b.normWeight("ln_f.bias", w.LNFB), c.Eps())
	} else {
		x = b.layerNorm("ln_f", x, b.normWeight("ln_f.weight", w.LNFW), b.normWeight("ln_f.bias", w.LNFB), c.Eps())
	}
	b.lmHead(x, wte)
}

// positions are the position ids 0 … sequence−1 (int64 [sequence]),
// whatever the mask, computed from input_ids' values rather than its
// shape: ones = Cast(Equal(r, r)) for the first row r of input_ids (true
// for every int64), then their exclusive CumSum along the sequence. No
// shape operator (Shape, Gather on a shape, Range) takes part: ONNX
// Runtime places those on the CPU provider next to a GPU one, and a
// CPU node inside a captured CUDA graph replays from host memory the
// graph does not own. Equal, Cast, Gather and CumSum on int64 run on the
// CUDA provider (CumSum's axis is a constant initializer).
func (b *builder) positions() string {
	row := b.node("positions/first_row", "Gather", []string{model.InputIDs, b.int64Scalar("zero", 0)}, onnx.AttrInt("axis", 0))
	ones := b.node("positions/true", "Equal", []string{row, row})
	ones = b.node("positions/ones", "Cast", []string{ones}, onnx.AttrInt("to", int64(onnx.Int64)))
	return b.node("positions/cumsum", "CumSum", []string{ones, b.int64Scalar("zero", 0)}, onnx.AttrInt("exclusive", 1))
}

// embed is wte[input_ids] + wpe[positions]: [batch, sequence, n_embd].
func (b *builder) embed(wte, wpe, positions string) string {
	tok := b.node("embed/wte_gather", "Gather", []string{wte, model.InputIDs}, onnx.AttrInt("axis", 0))
	pos := b.node("embed/wpe_gather", "Gather", []string{wpe, positions}, onnx.AttrInt("axis", 0))
	return b.node("embed/add", "Add", []string{tok, pos})
}

// attentionBias is the additive attention bias [batch, 1, queries, keys]
// shared by every layer: 0 where query q may attend key k (k ≤ q and
// attention_mask[k] ≠ 0), MaskedScore elsewhere. queries and keys are the
// 1-D indices of the queries and keys in the sequence (in the prefill
// graph both are the positions).
func (b *builder) attentionBias(queries, keys string) string {
	q := b.node("mask/query_positions", "Unsqueeze", []string{queries, b.int64s("axes_1", 1)})
	k := b.node("mask/key_positions", "Unsqueeze", []string{keys, b.int64s("axes_0", 0)})
	future := b.node("mask/future", "Greater", []string{k, q})
	pad := b.node("mask/padding", "Equal", []string{model.AttentionMask, b.int64Scalar("zero", 0)})
	pad = b.node("mask/padding_unsqueeze", "Unsqueeze", []string{pad, b.int64s("axes_1_2", 1, 2)})
	masked := b.node("mask/masked", "Or", []string{future, pad})
	return b.node("mask/bias", "Where", []string{masked, b.scalar("masked_score", MaskedScore), b.scalar("zero_float", 0)})
}

// lmHead projects onto the vocabulary with the tied wte (in the compute
// dtype; an fp16 graph casts the result to float32): logits =
// MatMul(x, Transpose(wte)). ONNX Runtime folds the constant Transpose once
// at session creation, and the MatMul writes the output directly; measured
// on 16 CPU cores (GPT-2 small head), this beats Gemm(transB) between
// reshapes by 5-25% for prefill of 128 tokens and more (Gemm wins by 0.2 ms
// for a single token) and matches a pre-transposed copy without storing one.
func (b *builder) lmHead(x, wte string) {
	wteT := b.node("lm_head/wte_transpose", "Transpose", []string{wte}, onnx.AttrInts("perm", 1, 0))
	if b.prec != model.FP16 {
		b.nodeOut("lm_head/matmul", "MatMul", []string{x, wteT}, []string{model.Logits})
		return
	}
	y := b.node("lm_head/matmul", "MatMul", []string{x, wteT})
	b.nodeOut("lm_head/to_fp32", "Cast", []string{y}, []string{model.Logits}, onnx.AttrInt("to", int64(onnx.Float)))
}

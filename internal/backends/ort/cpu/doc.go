// Package cpu registers ONNX Runtime's CPU execution provider in three
// precisions and on the fused graph, declared as the TensorRT backends are (one Backend type per
// provider, one registry entry per precision):
//
//	ort-cpu        fp32, the model itself
//	ort-cpu-fp16   the fp16 variant (zoo.Variant: float16 parameters and
//	               compute, LayerNorm and the masked softmax in float32,
//	               float32 logits; see package graph)
//	ort-cpu-int8   the explicitly quantized (QDQ) int8 variant: Conv1D
//	               weights int8, symmetric per output channel, 7-bit by
//	               default; their activation inputs uint8 per tensor with
//	               ranges calibrated on the train part of Opticks (min/max
//	               over 32 windows of 128 tokens), disjoint from the
//	               evaluation text; everything else float
//	ort-cpu-fused  the fp32 fused graph (zoo.Fused): ONNX Runtime's contrib
//	               Attention, SkipLayerNormalization and FastGelu, as the
//	               GPU fused variants run it; its probe must run every
//	               fused node as its contrib kernel (variant.JudgeFused,
//	               "fused-kernels"), else the session is degraded
//
// Every session option is set explicitly and reported by Session.Config,
// the same for all three: intra-op threads from
// backends.Options.EffectiveThreads (the suite's -threads flag, all cores
// by default), one inter-op thread, sequential execution, all graph
// optimisations (ORT_ENABLE_ALL), the CPU memory arena and memory-pattern
// planning on, and intra-op spinning on (ORT's default, made explicit) but
// for sessions opened with backends.Options.Overlapped (the accuracy pass,
// whose scoring would otherwise share the cores with threads spinning
// between operators).
//
// The variants prove what they ran with a profiled probe prefill
// (package variant). fp16: the CPU provider has float16 kernels for few
// operators on most CPUs; where one is missing ORT inserts Casts and runs
// the float32 kernel. Config reports the MatMul kernels' input types
// ("fp16-matmul-kernels") and the inserted casts ("ort-inserted-casts"),
// and if most MatMuls ran in float32 the session is degraded
// (backends.Degrader): its latency is float32's plus casts, never fp16's.
// Measured on an AVX2 x86-64 CPU with ORT 1.30, every MatMul ran in
// float32. int8: ORT fuses each DequantizeLinear pair and MatMul into
// MatMulIntegerToFloat, fed by a QuantizeLinear; JudgeINT8 counts the
// integer kernels that ran ("int8-kernels: MatMulIntegerToFloat=48,
// QuantizeLinear=48", "int8-matmuls: 48/48"), and fewer integer MatMuls
// than the variant quantized degrade the session. Config also records the
// variant's size (model-onnx-bytes), sha256 and calibration.
//
// Import it for its side effect, or internal/backends/all for every backend:
//
//	import _ "github.com/inferbench/inferbench/internal/backends/ort/cpu"
package cpu

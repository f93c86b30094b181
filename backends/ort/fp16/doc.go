// Package fp16 registers the "ort-cpu-fp16" backend: ONNX Runtime's CPU
// execution provider running the fp16 variant of the model (zoo.Variant:
// float16 parameters and compute, LayerNorm and the masked softmax in
// float32, float32 logits; see package graph), with exactly ort-cpu's
// session options.
//
// The CPU provider has float16 kernels for few operators on most CPUs.
// Where one is missing, ORT inserts Casts and runs the float32 kernel, so
// the model computes in float32 on fp16-rounded weights. Open finds out
// with a profiled probe prefill: Config reports the MatMul kernels' input
// types ("fp16-matmul-kernels") and the inserted casts
// ("ort-inserted-casts"), and if most MatMuls ran in float32 the session
// is degraded (backends.Degrader): its latency is float32's plus casts,
// never fp16's. Measured on an AVX2 x86-64 CPU with ORT 1.30, every MatMul
// ran in float32.
//
// Import it for its side effect:
//
//	import _ "github.com/inferbench/inferbench/backends/ort/fp16"
package fp16

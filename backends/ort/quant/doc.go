// Package quant registers the "ort-cpu-int8" backend: ONNX Runtime's CPU
// execution provider running the explicitly quantized (QDQ) int8 variant
// of the model, with exactly ort-cpu's session options.
//
// The variant comes from zoo.Variant: Conv1D weights int8, symmetric per
// output channel, 7-bit by default; their activation inputs uint8 per
// tensor with ranges calibrated on the train part of Opticks (min/max over
// 32 windows of 128 tokens), disjoint from the evaluation text;
// everything else float (see package graph). ORT fuses each
// DequantizeLinear pair and MatMul into MatMulIntegerToFloat, fed by a
// QuantizeLinear.
//
// Open proves it: a probe session with ORT profiling runs one prefill, and
// Judge counts the integer kernels that ran. The counts appear in Config
// ("int8-kernels: MatMulIntegerToFloat=48,QuantizeLinear=48",
// "int8-matmuls: 48/48"); if fewer integer MatMuls ran than the variant
// quantized, the session is degraded (backends.Degrader) and benchmarks
// mark its results so. Config also records the variant's size
// (model-onnx-bytes), sha256 and calibration.
//
// Import it for its side effect:
//
//	import _ "github.com/inferbench/inferbench/backends/ort/quant"
package quant

// Package variant is what the ORT backends of reduced precision and of
// fused graphs share:
// running a model's fp16 or int8 variant (built and cached by zoo.Variant)
// and proving which kernels ONNX Runtime actually runs for it.
//
// Open resolves the variant of the fp32 model the suites pass, then runs a
// probe: one short prefill in a session with ORT profiling on, whose
// profile (Parse) lists every kernel that ran, its operator type and its
// input element types. A backend's Judge turns that into configuration
// lines and, when the kernels are not what the backend claims (an int8
// model whose MatMuls run in float, an fp16 model whose MatMuls run in
// float32 between inserted Casts), a degradation reason, which the
// Session reports through backends.Degrader so benchmarks mark its results
// degraded. Probes are remembered per file version for the process, so
// reopening a session does not profile again.
//
// OpenFused does the same on the fused graph of the variant (zoo.Fused:
// ONNX Runtime's contrib operators), and JudgeFused adds its proof: the
// probe must have run every fused node as its contrib kernel, in float16
// for an fp16 model, else the session is degraded.
//
// Session.Config adds to the ORT session's lines the variant's precision,
// ONNX sha256 and size (model-onnx-bytes), the base file's size, the
// variant's identity entries (calibration method, samples, corpus sha256,
// quantization scheme) under "variant-", and the probe's kernel counts.
package variant

// Package cuda registers ONNX Runtime's CUDA execution provider backends on
// GPU 0 (device "cuda:0"):
//
//	ort-cuda        fp32 (TF32 off)
//	ort-cuda-graph  fp32, one captured CUDA graph per input shape
//	ort-cuda-fp16   the fp16 variant (see zoo.Variant)
//	ort-cuda-int8   the explicit Q/DQ int8 variant
//	ort-cuda-fused        the fused graph (zoo.Fused: ONNX Runtime's contrib
//	                      Attention, SkipLayerNormalization, FastGelu), fp32
//	ort-cuda-fused-graph  the same, replaying CUDA graphs
//	ort-cuda-fused-fp16   the fused graph of the fp16 variant: float16
//	                      contrib ops, which accumulate LayerNorm and
//	                      softmax in float32 themselves, so no Casts
//
// They are built only with -tags cuda; without the tag each Open returns a
// backends.Unavailable error ("built without -tags cuda").
//
// Library. The backends need ONNX Runtime's GPU build (`make setup
// ORT_FLAVOR=gpu`, see package ortlib; builds with the tag resolve it
// before the npm CPU library). Before ORT loads the CUDA provider,
// Preload finds the NVIDIA libraries the provider needs (cuBLAS, cuBLASLt,
// cuRAND, the CUDA runtime, cuDNN 9; see package gpulib) and loads them;
// a missing one makes the backend unavailable with a reason naming the
// soname. Sessions record the library files actually mapped
// ("ort-loaded-<name>: <path>", from /proc/self/maps).
//
// Options. Sessions use ort-cpu's session options (ORT's CPU provider
// takes the shape nodes) with the intra-op threads not spinning, and the
// CUDA provider with every option explicit (ProviderOptions, recorded as
// "ort-cuda-KEY: VALUE"); use_tf32=0, since the accuracy gates' fp32
// bounds fail with TF32 matmuls.
//
// Placement proof. Open first runs a profiled probe (variant.Open):
// Judge counts the kernels per provider ("placement-kernels-by-provider"),
// lists compute kernels that ran outside the CUDA provider
// ("placement-fallback-nodes", "placement-fallback-list"; benchmarks
// report the count as the fallback-nodes metric) and degrades the session
// if there are any; for fp16 it requires float16 MatMul kernels on the
// CUDA provider, for int8 integer MatMul kernels (MatMulInteger,
// MatMulIntegerToFloat, …), else the session is degraded with the reason.
// ONNX Runtime 1.30's CUDA provider runs the Q/DQ MatMuls dequantized in
// float, so ort-cuda-int8 reports degraded. Each Open first asks ORT to
// refuse any CPU node (session.disable_cpu_ep_fallback=1); ORT refuses
// that for GPT-2 graphs because it places a shape node on the CPU by
// design, so the session is opened with fallback allowed and the refusal
// recorded ("ort-cuda-cpu-ep-fallback"), once per model and process.
//
// I/O. A Session binds device buffers (cudaMalloc) for the token ids,
// the attention mask and the logits once per (batch, seq) shape through
// ORT's C API (package capi): a timed Prefill copies the ids in, runs ORT
// on the binding and copies the logits out to the caller's buffer, and
// allocates nothing. PrefillDevice (backends.DeviceLogits, benchmarks'
// -logits device) leaves the logits on the device. gpulib.CopyIn returns
// only once the ids are in device memory (ORT computes on its own
// non-blocking stream, which does not wait for the legacy stream
// cudaMemcpy uses).
//
// CUDA graphs. ort-cuda-graph gives each shape its own run options with
// its own "gpu_graph_id", so ORT captures one graph per shape at fixed
// device addresses and replays it. ORT keeps captured graphs per OS
// thread, so a graph session makes every ORT call on one goroutine locked
// to one OS thread ("ort-cuda-graph-thread"), whichever goroutine calls
// it. Prefill, PrefillDevice and CopyLogits are its only paths: the paths
// the embedded ort.Session would add on host tensors and other bindings,
// where ORT would replay a graph captured for other addresses, are
// refused with errors wrapping backends.ErrUnavailable (PrefillRows:
// GraphNoRows, so the accuracy pass prefills whole windows, the path the
// benchmarks time; BareRunner: GraphNoBareRunner; NewDecoder and
// DecoderSession: backends.NoGeneration). One rule decides which models
// a graph backend runs (Backend.GraphRule, applied by Open before graphs
// are enabled): a profiled run without graphs must place every node on
// the CUDA provider. Any node on the CPU provider, such as the shape
// arithmetic of a torch.onnx export, makes ort-cuda-graph unavailable for
// the model with those nodes named (CaptureBlockers), even where ORT
// would capture it: a CPU node's output copied to the device inside a
// captured graph is replayed from a host address ORT may reuse. A model
// ORT still refuses to capture (control flow) is unavailable with ORT's
// words. A benchmark skips the backend with the reason.
//
// Fused graphs. The -fused backends open variant.OpenFused: besides the
// placement and precision judges, their probe must run every fused node as
// its contrib kernel ("fused-kernels", "fused-kernel-inputs"; fp16: all
// with float16 inputs), else the session is degraded. Their configuration
// records the fusion and the graph's contrib-op counts
// ("variant-graph-fusion", "variant-graph-fused-ops"). They generate as
// the others do, with the fused decoder (Attention with past/present).
//
// Generation. ort-cuda, ort-cuda-fp16 and ort-cuda-int8 sessions generate
// (backends.Generator) through a second session on the decoder graph
// (ort.Session.DecoderSession) whose KV cache stays on the device
// (decoder.go): two device buffers laid out by ort.KVLayout, the past
// bound from one and the present from the other, swapped every step, with
// bindings precreated per cache length; a step copies only the new token
// ids and positions in and the next-token logits out, and allocates
// nothing in Go. Decoders record "kv-cache-placement: cuda:0".
// ort-cuda-graph does not generate (backends.NoGeneration): its graphs
// replay fixed shapes, and a decoder's cache grows every step.
//
// Import it for its side effect, or internal/backends/all for every backend:
//
//	import _ "github.com/inferbench/inferbench/internal/backends/ort/cuda"
package cuda

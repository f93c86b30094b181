// Package tensorrt registers three backends on ONNX Runtime's TensorRT
// execution provider, GPU 0 (device "cuda:0"):
//
//	ort-tensorrt       fp32 engines
//	ort-tensorrt-fp16  fp16 engines built from the fp32 model (trt_fp16_enable=1)
//	ort-tensorrt-int8  the explicitly quantized (QDQ) int8 variant from
//	                   zoo.Variant, as ort-cpu-int8 runs it (trt_int8_enable=1)
//
// They are built only with -tags tensorrt. Without the tag the package
// still registers them, and their Open returns a backends.Unavailable error
// ("built without -tags tensorrt").
//
// With the tag, sessions use ort-cpu's session options (see cpu.Options),
// the TensorRT provider with every option explicit (ProviderOptions:
// workspace, precision flags, engine and timing caches under the model's
// cache directory, optimisation profiles spanning batch 1-8 and sequence
// 1-n_positions; recorded as "ort-trt-KEY: VALUE"), then the CUDA provider
// of package cuda (TF32 off) for subgraphs TensorRT rejects, then ORT's CPU
// provider; inputs are re-bound before every run (ort.Options.RebindInputs).
// The provider options are created with NewTensorRTProviderOptions, set
// with Update, appended with AppendExecutionProviderTensorRT and destroyed
// right after. ort-tensorrt-int8 checks that the provider can be appended
// before it builds the int8 variant, then opens it through package variant,
// whose profiled probe Judge reads: a session where no kernel ran on
// TensorRT is degraded. (TensorRT fuses subgraphs into one node, so the
// profile cannot show which precision its kernels used.)
//
// Before ORT loads the TensorRT provider (from the GPU build, `make setup
// ORT_FLAVOR=gpu`), Preload loads the CUDA provider's NVIDIA libraries and
// TensorRT's own (libnvinfer.so.10, libnvonnxparser.so.10); a missing one
// makes the backends unavailable with a reason naming the soname.
//
// Running on a GPU is UNTESTED: TensorRT 10 for CUDA 13 is not obtainable
// here. PyPI's tensorrt-cu13-libs 10.x releases are 15 kB source stubs
// whose build step (wheel-stub) downloads the real wheel from NVIDIA's own
// index, which neither the development machine nor the GPU machine can
// reach. So Open ends unavailable naming libnvinfer.so.10. That path, the
// untagged one and the option maps are what the tests check.
//
// Import it for its side effect:
//
//	import _ "github.com/inferbench/inferbench/internal/backends/ort/tensorrt"
package tensorrt

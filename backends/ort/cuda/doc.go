// Package cuda registers the "ort-cuda" backend: ONNX Runtime's CUDA
// execution provider computing in fp32 on GPU 0 (device "cuda:0").
//
// The backend is built only with -tags cuda. Without the tag the package
// still registers "ort-cuda", whose Open returns a backends.Unavailable
// error ("built without -tags cuda").
//
// With the tag, sessions use ort-cpu's session options (see cpu.Options;
// ORT's CPU provider takes the nodes CUDA has no kernel for), the CUDA
// provider with every option explicit (ProviderOptions; recorded in Config
// as "ort-cuda-KEY: VALUE"), and inputs re-bound before every run
// (ort.Options.RebindInputs), since ORT copies a bound CPU input to the
// device when it is bound. TF32 is off (use_tf32=0): the accuracy gates'
// fp32 KL bound is not met with TF32 matmuls. The provider options are
// created with NewCUDAProviderOptions, set with Update, appended with
// AppendExecutionProviderCUDA and destroyed right after.
//
// The pinned ONNX Runtime 1.30.0 from npm is a CPU build: it has no CUDA
// provider, so Open returns backends.Unavailable carrying ORT's error. That
// path, the untagged one and the option maps are what the tests check.
// Running on a GPU is UNTESTED: no ONNX Runtime GPU build was obtainable
// for this project's machines (see /work/shared/GPU-MACHINE.md).
//
// Import it for its side effect:
//
//	import _ "github.com/inferbench/inferbench/backends/ort/cuda"
package cuda

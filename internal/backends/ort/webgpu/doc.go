// Package webgpu registers the "ort-webgpu" backend: ONNX Runtime's WebGPU
// execution provider computing in fp32 on the GPU (device "gpu:webgpu").
//
// The backend is built only with -tags webgpu. Without the tag the package
// still registers "ort-webgpu", whose Open returns a backends.Unavailable
// error ("built without -tags webgpu"), so every run that asks for it says
// why it skipped.
//
// With the tag, sessions use ort-cpu's session options (see cpu.Options)
// plus the WebGPU provider, appended by name with no provider options
// (AppendExecutionProvider("WebGPU", {}): ORT's defaults, recorded as
// "ort-webgpu-provider-options: {}"); ORT's CPU provider takes the nodes
// WebGPU has no kernel for. ORT copies a bound CPU input to the device when
// it is bound, so the session re-binds its inputs before every run
// (ort.Options.RebindInputs); without that a repeated Prefill would compute
// the first call's tokens again. If the library has no WebGPU provider, or
// ORT finds no WebGPU adapter, Open returns backends.Unavailable with ORT's
// message.
//
// The pinned ONNX Runtime 1.30.0 from npm (onnxruntime-node) contains the
// WebGPU provider (Dawn). On Linux it reaches the GPU through Vulkan, so
// the machine needs a Vulkan loader (libvulkan1) and the GPU driver's ICD.
//
// Measured once on an NVIDIA H200 (driver 580, Vulkan, ORT 1.30.0): against
// the float64 reference on gpt2-tiny, relative L2 1.2e-7 to 1.4e-7 in every
// scenario (tolerance 1e-4); the accuracy gate against ort-cpu passed (KL
// mean 1.6e-13, top-1 agreement 100%); inputs re-bound per run cost 2
// allocations (16 B) per Prefill.
//
// Import it for its side effect:
//
//	import _ "github.com/inferbench/inferbench/internal/backends/ort/webgpu"
package webgpu

// Package ort is the ONNX Runtime plumbing every ORT-based backend shares:
// loading the shared library once, checking a model's input/output
// signature, building sessions whose every option is explicit and recorded,
// and an allocation-free prefill path.
//
// The library is found by package ortlib ($ONNXRUNTIME_SHARED_LIBRARY_PATH,
// then the cache `make setup` fills); without one, Init and Open return an
// error wrapping backends.ErrUnavailable whose reason says where it looked.
//
// A backend describes its session with Options (threads, execution mode,
// graph optimisation, arena, memory pattern, execution providers) and calls
// Open. The returned Session caches, for the last few (batch, seq, logits
// buffer) shapes, the input tensors and an output tensor laid directly over
// the caller's logits buffer, bound to the session through an ORT I/O
// binding, so a repeated Prefill copies the tokens and calls Run: no Go
// allocations and no output copy. BareRunner exposes a plain onnxruntime_go
// Run on prepared tensors so benchmarks can measure that overhead.
//
// Open takes one Options value: every session option, the providers and
// the profile directory (backends copy backends.Options.ProfileDir and
// resolve backends.Options.Threads, 0 meaning all cores, into it). With
// ProfileDir set, ORT profiling is enabled; after Close, ProfilePath and
// ProfileOps report which operator kernels ran.
//
// Session also implements backends.Generator: NewDecoder opens a second
// session on the model's decoder with a KV cache (Options.Decoder resolves
// it; package zoo builds it) and preallocates two host cache buffers, the
// views of every cache length and an I/O binding per step, so a decoding
// step allocates nothing in Go (decoder.go). A foreign file that itself has
// the KV-cache signature is accepted: Prefill runs it with an empty past,
// and decoders share its session. KVLayout (where each cache tensor and
// length lives in a buffer, which buffer a call reads and writes) and
// DecoderSession (the decoder's ORT session) serve backends that keep the
// cache in their own memory: ort/cuda's decoders keep it on the GPU.
//
// Session also implements backends.RowPrefiller: the first PrefillRows
// opens a second session on the model's row-prefill graph (Options.Rows
// resolves it; package zoo builds it at the model's precision), which
// runs the LM head over the requested rows only (rows.go). Foreign files
// have none: the error wraps backends.ErrUnavailable. Sessions that embed
// Session but cannot run it the way they run Prefill (ort/cuda's CUDA
// graph sessions) override it with such a refusal.
//
// A provider ORT refuses (a library built without it, no usable device) is
// a *ProviderError, the one such type of every ORT backend, and makes Open
// return an unavailable error with ORT's words (UnavailableReason).
//
// Calibrator runs package calib's int8 calibration graphs in ORT, with the
// int8 backend's resolved thread count.
//
// Sub-package cpu registers "ort-cpu", "ort-cpu-fp16" and "ort-cpu-int8"
// (tensorrt, cuda and webgpu their GPU kin); ortlib installs and locates the
// library; orttest holds test helpers and tiny test models.
package ort

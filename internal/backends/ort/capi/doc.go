// Package capi calls the parts of ONNX Runtime's C API that
// github.com/yalue/onnxruntime_go v1.35.0 does not wrap, on the library
// and the sessions that wrapper created: tensors over device memory
// (CreateTensorWithDataAsOrtValue with a CUDA OrtMemoryInfo), binding
// them, and RunWithBinding with run options (the CUDA provider's
// "gpu_graph_id" selects one captured CUDA graph per input shape).
//
// The OrtApi comes from the library ort.Init loaded (dlopen with
// RTLD_NOLOAD on the same path, then OrtGetApiBase), so both packages use
// one ORT. The raw OrtSession and OrtIoBinding pointers are read out of
// the wrapper's structs (Session, Binding): that depends on v1.35.0's
// struct layout, which go.mod pins; CheckSession verifies the pointer by
// asking ORT for the session's input and output counts, and the tests run
// it on every build.
//
// The struct layout is also checked before any cast (CheckLayout, run by
// Load): onnxruntime_go's version in the build information and, by
// reflection, the name, offset and type of every field read, so another
// onnxruntime_go fails Load with an error instead of corrupting memory.
//
// InstallLogger creates the process' ORT environment with a logger that
// hands ORT's messages to Go (package ort prints them its own way), and
// Quiet keeps the messages of an ORT call expected to fail for its caller.
//
// The C headers are ONNX Runtime's, vendored with their version and source
// in internal/third_party/onnxruntime.
package capi

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
// onnxruntime_c_api.h, onnxruntime_ep_c_api.h and onnxruntime_error_code.h
// are copied from
// onnxruntime_go v1.35.0 (MIT, Microsoft), API version 29.
package capi

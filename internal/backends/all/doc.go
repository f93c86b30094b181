// Package all registers every backend inferbench ships, so that one blank
// import gives a suite the full list:
//
//	import _ "github.com/inferbench/inferbench/internal/backends/all"
//
// Accelerator and worker backends (ort-cuda*, ort-tensorrt*, ort-webgpu,
// torch-*) register under every build; without their build tag they are
// present and unavailable, with the reason, so a run says what it could
// not measure instead of leaving it out.
package all

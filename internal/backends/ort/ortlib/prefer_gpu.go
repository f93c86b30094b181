//go:build cuda || tensorrt

package ortlib

// PreferGPU makes Resolve look for the GPU build (GPUDir) before the CPU
// library: this build has a GPU backend tag.
const PreferGPU = true

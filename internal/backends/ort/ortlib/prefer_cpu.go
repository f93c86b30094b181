//go:build !cuda && !tensorrt

package ortlib

// PreferGPU makes Resolve look for the GPU build (GPUDir) before the CPU
// library; false: this build has no GPU backend tag.
const PreferGPU = false

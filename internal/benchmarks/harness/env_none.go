//go:build !(cuda || tensorrt || webgpu)

package harness

import "github.com/inferbench/inferbench/internal/envstate"

// openGPUReader has no GPU to read in builds without an accelerator tag.
func openGPUReader() (envstate.GPUReader, string) {
	return nil, "not read: CPU-only build (no accelerator build tag)"
}

//go:build !(cuda || tensorrt || webgpu)

package harness

// GPU returns nothing in builds without an accelerator tag: their backends
// run on the CPU.
func GPU() Config { return nil }

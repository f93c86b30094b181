//go:build !(cuda || tensorrt || webgpu)

package harness

// GPU returns nothing in builds without an accelerator tag: their backends
// run on the CPU.
func GPU() Config { return nil }

// GPUMeter measures nothing in builds without an accelerator tag.
type GPUMeter struct{}

// StartGPUMeter returns a meter that measures nothing.
func StartGPUMeter() *GPUMeter { return &GPUMeter{} }

// Stop reports nothing.
func (*GPUMeter) Stop() GPUReading { return GPUReading{} }

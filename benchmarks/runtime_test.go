package benchmarks

import (
	"github.com/inferbench/inferbench/backends/ort"
	"github.com/inferbench/inferbench/benchmarks/harness"

	// Backends register themselves; accelerator backends join under their
	// build tags.
	_ "github.com/inferbench/inferbench/backends/ort/cpu"
	_ "github.com/inferbench/inferbench/backends/ort/fp16"
	_ "github.com/inferbench/inferbench/backends/ort/quant"
	_ "github.com/inferbench/inferbench/backends/ort/webgpu"
	_ "github.com/inferbench/inferbench/backends/reference"
)

// runtimeConfig records the inference runtimes' versions.
func runtimeConfig() harness.Config {
	var c harness.Config
	if err := ort.Init(); err != nil {
		c.Add("onnxruntime", "unavailable")
		return c
	}
	c.Add("onnxruntime-version", ort.Version())
	c.Add("onnxruntime-library", ort.LibraryPath())
	return c
}

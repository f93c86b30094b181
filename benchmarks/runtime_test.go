package benchmarks

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/ort"
	"github.com/inferbench/inferbench/benchmarks/harness"

	// Backends register themselves; accelerator backends join under their
	// build tags.
	_ "github.com/inferbench/inferbench/backends/ort/cpu"
	_ "github.com/inferbench/inferbench/backends/ort/cuda"
	_ "github.com/inferbench/inferbench/backends/ort/fp16"
	_ "github.com/inferbench/inferbench/backends/ort/quant"
	_ "github.com/inferbench/inferbench/backends/ort/tensorrt"
	_ "github.com/inferbench/inferbench/backends/ort/webgpu"
	_ "github.com/inferbench/inferbench/backends/reference"
	_ "github.com/inferbench/inferbench/backends/torch"
)

// runtimeConfig says when ONNX Runtime could not be loaded, and why; when it
// loads, each ORT session's configuration records its version and library.
func runtimeConfig() harness.Config {
	var c harness.Config
	if err := ort.Init(); err != nil {
		c.Add("onnxruntime", "unavailable: "+backends.Reason(err))
	}
	return c
}

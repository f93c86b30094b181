package all

import (
	_ "github.com/inferbench/inferbench/backends/ort/cpu"
	_ "github.com/inferbench/inferbench/backends/ort/cuda"
	_ "github.com/inferbench/inferbench/backends/ort/tensorrt"
	_ "github.com/inferbench/inferbench/backends/ort/webgpu"
	_ "github.com/inferbench/inferbench/backends/reference"
	_ "github.com/inferbench/inferbench/backends/torch"
)

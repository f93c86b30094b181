package all

import (
	_ "github.com/inferbench/inferbench/internal/backends/ort/cpu"
	_ "github.com/inferbench/inferbench/internal/backends/ort/cuda"
	_ "github.com/inferbench/inferbench/internal/backends/ort/tensorrt"
	_ "github.com/inferbench/inferbench/internal/backends/ort/webgpu"
	_ "github.com/inferbench/inferbench/internal/backends/reference"
	_ "github.com/inferbench/inferbench/internal/backends/torch"
)

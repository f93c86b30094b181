package webgpu

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Name is the registry key.
const Name = "ort-webgpu"

// ProviderName is ORT's name for the WebGPU execution provider, as
// AppendExecutionProvider takes it.
const ProviderName = "WebGPU"

func init() { backends.Register(Backend{}) }

// Backend is ONNX Runtime's WebGPU execution provider, fp32. Without
// -tags webgpu its Open reports it unavailable.
type Backend struct{}

// Name implements backends.Backend.
func (Backend) Name() string { return Name }

// Precision implements backends.Backend.
func (Backend) Precision() model.Precision { return model.FP32 }

// Device implements backends.Backend.
func (Backend) Device() string { return "gpu:webgpu" }

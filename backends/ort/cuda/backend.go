package cuda

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/fixtures/model"
)

// Name is the registry key.
const Name = "ort-cuda"

func init() { backends.Register(Backend{}) }

// Backend is ONNX Runtime's CUDA execution provider, fp32, on GPU
// DeviceID. Without -tags cuda its Open reports it unavailable.
type Backend struct{}

// Name implements backends.Backend.
func (Backend) Name() string { return Name }

// Precision implements backends.Backend.
func (Backend) Precision() model.Precision { return model.FP32 }

// Device implements backends.Backend.
func (Backend) Device() string { return "cuda:0" }

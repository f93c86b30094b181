package tensorrt

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
)

// Registry keys.
const (
	NameFP32 = "ort-tensorrt"
	NameFP16 = "ort-tensorrt-fp16"
	NameINT8 = "ort-tensorrt-int8"
)

var names = ort.PrecisionNames{NameFP32, NameFP16, NameINT8}

func init() {
	for _, p := range ort.Precisions {
		backends.Register(Backend{p})
	}
}

// Backend is ONNX Runtime's TensorRT execution provider building engines
// of one precision. Without -tags tensorrt its Open reports it unavailable.
type Backend struct {
	precision model.Precision
}

// New returns the backend of precision p (fp32, fp16 or int8).
func New(p model.Precision) Backend { return Backend{p} }

// Name implements backends.Backend.
func (b Backend) Name() string { return names.For(b.precision) }

// Precision implements backends.Backend.
func (b Backend) Precision() model.Precision { return b.precision }

// Device implements backends.Backend.
func (Backend) Device() string { return "cuda:0" }

package cuda

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Registry keys.
const (
	Name      = "ort-cuda"
	NameGraph = "ort-cuda-graph"
	NameFP16  = "ort-cuda-fp16"
	NameINT8  = "ort-cuda-int8"
	// The fused graph (zoo.Fused: ONNX Runtime's contrib Attention,
	// SkipLayerNormalization and FastGelu) in fp32, fp32 with CUDA graphs,
	// and fp16.
	NameFused      = "ort-cuda-fused"
	NameFusedGraph = "ort-cuda-fused-graph"
	NameFusedFP16  = "ort-cuda-fused-fp16"
)

func init() {
	for _, b := range All() {
		backends.Register(b)
	}
}

// All returns the CUDA backends: fp32, fp32 with CUDA graphs, fp16, int8,
// then the same on the fused graph (fp32, with CUDA graphs, fp16).
func All() []Backend {
	return []Backend{
		{Name, model.FP32, false, false},
		{NameGraph, model.FP32, true, false},
		{NameFP16, model.FP16, false, false},
		{NameINT8, model.INT8, false, false},
		{NameFused, model.FP32, false, true},
		{NameFusedGraph, model.FP32, true, true},
		{NameFusedFP16, model.FP16, false, true},
	}
}

// Backend is ONNX Runtime's CUDA execution provider on GPU DeviceID, at
// one precision, optionally replaying captured CUDA graphs. Without -tags
// cuda its Open reports it unavailable.
type Backend struct {
	name      string
	precision model.Precision
	graph     bool
	fused     bool
}

// Name implements backends.Backend.
func (b Backend) Name() string { return b.name }

// Precision implements backends.Backend.
func (b Backend) Precision() model.Precision { return b.precision }

// Device implements backends.Backend.
func (Backend) Device() string { return "cuda:0" }

// Graph reports whether b captures and replays CUDA graphs.
func (b Backend) Graph() bool { return b.graph }

// Fused reports whether b runs the fused graph (zoo.Fused).
func (b Backend) Fused() bool { return b.fused }

package ort

import "github.com/inferbench/inferbench/backends/model"

// Precisions are the precisions an ONNX Runtime backend family registers
// one backend for each of (the CPU and TensorRT families).
var Precisions = []model.Precision{model.FP32, model.FP16, model.INT8}

// PrecisionNames are a backend family's registry keys: fp32, fp16, int8.
type PrecisionNames [3]string

// For returns the key of precision p; anything but fp16 and int8 is fp32's.
func (n PrecisionNames) For(p model.Precision) string {
	switch p {
	case model.FP16:
		return n[1]
	case model.INT8:
		return n[2]
	}
	return n[0]
}

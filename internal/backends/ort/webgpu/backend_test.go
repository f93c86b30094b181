package webgpu_test

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/webgpu"
)

func TestRegistered(t *testing.T) {
	b, err := backends.Lookup("ort-webgpu")
	if err != nil {
		t.Fatal(err)
	}
	if b.Name() != webgpu.Name || b.Precision() != model.FP32 || b.Device() != "gpu:webgpu" {
		t.Errorf("ort-webgpu is %s/%s/%s, want ort-webgpu/fp32/gpu:webgpu", b.Name(), b.Precision(), b.Device())
	}
}

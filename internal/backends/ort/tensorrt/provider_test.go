package tensorrt_test

import (
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/tensorrt"
)

func TestRegistered(t *testing.T) {
	tests := []struct {
		name string
		p    model.Precision
	}{
		{"ort-tensorrt", model.FP32},
		{"ort-tensorrt-fp16", model.FP16},
		{"ort-tensorrt-int8", model.INT8},
	}
	for _, tt := range tests {
		b, err := backends.Lookup(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if b.Name() != tt.name || b.Precision() != tt.p || b.Device() != "cuda:0" {
			t.Errorf("%s is %s/%s/%s, want %s/%s/cuda:0", tt.name, b.Name(), b.Precision(), b.Device(), tt.name, tt.p)
		}
	}
}

func TestProviderOptions(t *testing.T) {
	const dir = "/cache/models/tensorrt/ort-tensorrt"
	tests := []struct {
		p         model.Precision
		positions int
		want      map[string]string
	}{
		{model.FP32, 1024, map[string]string{
			"device_id":               "0",
			"trt_fp16_enable":         "0",
			"trt_int8_enable":         "0",
			"trt_max_workspace_size":  "4294967296",
			"trt_engine_cache_enable": "1",
			"trt_engine_cache_path":   dir,
			"trt_timing_cache_path":   dir,
			"trt_cuda_graph_enable":   "0",
			"trt_profile_min_shapes":  "input_ids:1x1,attention_mask:1x1",
			"trt_profile_opt_shapes":  "input_ids:1x32,attention_mask:1x32",
			"trt_profile_max_shapes":  "input_ids:8x1024,attention_mask:8x1024",
		}},
		{model.FP16, 1024, map[string]string{"trt_fp16_enable": "1", "trt_int8_enable": "0"}},
		{model.INT8, 1024, map[string]string{"trt_fp16_enable": "0", "trt_int8_enable": "1", "trt_int8_use_native_calibration_table": "0"}},
		{model.FP32, 16, map[string]string{
			"trt_profile_opt_shapes": "input_ids:1x16,attention_mask:1x16",
			"trt_profile_max_shapes": "input_ids:8x16,attention_mask:8x16",
		}},
	}
	for _, tt := range tests {
		got := tensorrt.ProviderOptions(tt.p, 0, dir, tt.positions)
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("%s, %d positions: %s = %q, want %q", tt.p, tt.positions, k, got[k], v)
			}
		}
		if p := tensorrt.Provider(got); len(p.Config) != len(got) || p.Name != tensorrt.ProviderName {
			t.Errorf("%s: provider %q records %d of %d options", tt.p, p.Name, len(p.Config), len(got))
		}
	}
}

func TestCacheDirUnderModelCache(t *testing.T) {
	m := &model.Model{ONNXPath: "/cache/models/gpt2-tiny/model.onnx"}
	if got, want := tensorrt.CacheDir("ort-tensorrt-fp16", m), filepath.FromSlash("/cache/models/gpt2-tiny/tensorrt/ort-tensorrt-fp16"); got != want {
		t.Errorf("CacheDir = %s, want %s", got, want)
	}
}

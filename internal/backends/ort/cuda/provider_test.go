package cuda_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
)

func TestRegistered(t *testing.T) {
	tests := []struct {
		name  string
		prec  model.Precision
		graph bool
	}{
		{"ort-cuda", model.FP32, false},
		{"ort-cuda-graph", model.FP32, true},
		{"ort-cuda-fp16", model.FP16, false},
		{"ort-cuda-int8", model.INT8, false},
		{"ort-cuda-fused", model.FP32, false},
		{"ort-cuda-fused-graph", model.FP32, true},
		{"ort-cuda-fused-fp16", model.FP16, false},
	}
	for _, tt := range tests {
		b, err := backends.Lookup(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		cb, ok := b.(cuda.Backend)
		if !ok || b.Name() != tt.name || b.Precision() != tt.prec || b.Device() != "cuda:0" || cb.Graph() != tt.graph {
			t.Errorf("%s is %s/%s/%s graph=%v", tt.name, b.Name(), b.Precision(), b.Device(), ok && cb.Graph())
		}
		if want := strings.Contains(tt.name, "-fused"); ok && cb.Fused() != want {
			t.Errorf("%s: Fused() = %v, want %v", tt.name, cb.Fused(), want)
		}
	}
}

func TestProviderOptions(t *testing.T) {
	tests := []struct {
		device int
		graph  bool
		key    string
		want   string
	}{
		{0, false, "device_id", "0"},
		{1, false, "device_id", "1"},
		{0, false, "use_tf32", "0"},
		{0, false, "cudnn_conv_algo_search", "EXHAUSTIVE"},
		{0, false, "cudnn_conv_use_max_workspace", "1"},
		{0, false, "arena_extend_strategy", "kNextPowerOfTwo"},
		{0, false, "gpu_mem_limit", "18446744073709551615"},
		{0, false, "do_copy_in_default_stream", "1"},
		{0, false, "enable_cuda_graph", "0"},
		{0, true, "enable_cuda_graph", "1"},
		{0, false, "enable_skip_layer_norm_strict_mode", "0"},
		{0, false, "prefer_nhwc", "0"},
		{0, false, "tunable_op_enable", "0"},
		{0, false, "tunable_op_tuning_enable", "0"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("device=%d/graph=%v/%s", tt.device, tt.graph, tt.key), func(t *testing.T) {
			if got := cuda.ProviderOptions(tt.device, tt.graph)[tt.key]; got != tt.want {
				t.Errorf("%s = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
	if n := len(cuda.ProviderOptions(0, false)); n != 12 {
		t.Errorf("%d options, want 12 (a new option needs a test row)", n)
	}
}

func TestProviderRecordsEveryOption(t *testing.T) {
	opts := cuda.ProviderOptions(0, false)
	p := cuda.Provider(opts)
	if p.Name != cuda.ProviderName || p.Append == nil {
		t.Fatalf("provider %q, append %v", p.Name, p.Append != nil)
	}
	if len(p.Config) != len(opts) {
		t.Fatalf("config %v does not record the %d options", p.Config, len(opts))
	}
	if !slices.IsSortedFunc(p.Config, func(a, b [2]string) int {
		if a[0] < b[0] {
			return -1
		}
		return 1
	}) {
		t.Errorf("config lines not sorted: %v", p.Config)
	}
	for _, kv := range p.Config {
		k := kv[0][len("ort-cuda-"):]
		if opts[k] != kv[1] {
			t.Errorf("%s: %q, want %q", kv[0], kv[1], opts[k])
		}
	}
}

func TestUnavailableReason(t *testing.T) {
	ortErr := errors.New("CUDA execution provider is not enabled in this build")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"provider", fmt.Errorf("ort-cuda: ort: appending CUDAExecutionProvider: %w", &cuda.ProviderError{Provider: cuda.ProviderName, Err: ortErr}),
			"appending CUDAExecutionProvider: CUDA execution provider is not enabled in this build"},
		{"no library", backends.Unavailable("ort", "no libonnxruntime"), "no libonnxruntime"},
		{"other", errors.New("cannot load model"), ""},
	}
	for _, tt := range tests {
		if got := cuda.UnavailableReason(tt.err); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

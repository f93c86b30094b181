package cuda_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/ort/cuda"
	"github.com/inferbench/inferbench/fixtures/model"
)

func TestRegistered(t *testing.T) {
	b, err := backends.Lookup("ort-cuda")
	if err != nil {
		t.Fatal(err)
	}
	if b.Name() != cuda.Name || b.Precision() != model.FP32 || b.Device() != "cuda:0" {
		t.Errorf("ort-cuda is %s/%s/%s, want ort-cuda/fp32/cuda:0", b.Name(), b.Precision(), b.Device())
	}
}

func TestProviderOptions(t *testing.T) {
	tests := []struct {
		device int
		key    string
		want   string
	}{
		{0, "device_id", "0"},
		{1, "device_id", "1"},
		{0, "use_tf32", "0"},
		{0, "cudnn_conv_algo_search", "EXHAUSTIVE"},
		{0, "cudnn_conv_use_max_workspace", "1"},
		{0, "arena_extend_strategy", "kNextPowerOfTwo"},
		{0, "do_copy_in_default_stream", "1"},
		{0, "enable_cuda_graph", "0"},
		{0, "prefer_nhwc", "0"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("device=%d/%s", tt.device, tt.key), func(t *testing.T) {
			if got := cuda.ProviderOptions(tt.device)[tt.key]; got != tt.want {
				t.Errorf("%s = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
	if n := len(cuda.ProviderOptions(0)); n != 8 {
		t.Errorf("%d options, want 8 (a new option needs a test row)", n)
	}
}

func TestProviderRecordsEveryOption(t *testing.T) {
	opts := cuda.ProviderOptions(0)
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

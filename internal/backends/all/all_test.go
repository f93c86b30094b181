package all_test

import (
	"slices"
	"testing"

	"github.com/inferbench/inferbench/backends"
	_ "github.com/inferbench/inferbench/internal/backends/all"
)

// TestRegistersEveryBackend checks the list against the names the
// backends declare, under every build (unavailable ones included).
func TestRegistersEveryBackend(t *testing.T) {
	names := backends.Names()
	for _, want := range []string{"reference", "ort-cpu", "ort-cpu-fp16", "ort-cpu-int8", "ort-cpu-fused", "ort-cuda", "ort-cuda-graph", "ort-cuda-fp16", "ort-cuda-int8", "ort-cuda-fused", "ort-cuda-fused-graph", "ort-cuda-fused-fp16", "ort-webgpu", "torch-eager", "torch-compile"} {
		if !slices.Contains(names, want) {
			t.Errorf("backend %s not registered (have %v)", want, names)
		}
	}
}

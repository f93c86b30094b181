package cuda_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// TestGraphCaptureRefused: ORT's refusals of CUDA graphs (current and
// older wording, wrapped as Open wraps them) are recognised; other
// session errors are not.
func TestGraphCaptureRefused(t *testing.T) {
	tests := []struct {
		msg  string
		want bool
	}{
		{"This session cannot use the graph capture feature as requested by the user as all compute graph nodes have not been partitioned to the CUDAExecutionProvider", true},
		{"This session cannot use the graph capture feature as requested by the user as the model has control flow nodes which can't be supported by CUDAExecutionProvider", true},
		{"This session cannot use the CUDA Graph feature as requested by the user as all the graph nodes have not been assigned to CUDAExecutionProvider", true},
		{"This session contains graph nodes that are assigned to the default CPU EP, but fallback to CPU EP has been explicitly disabled by the user.", false},
		{"Load model from x.onnx failed: Protobuf parsing failed.", false},
	}
	for _, tt := range tests {
		err := fmt.Errorf("probe: ort-cuda-graph: loading model x.onnx: %w", errors.New(tt.msg))
		if got := cuda.GraphCaptureRefused(err); got != tt.want {
			t.Errorf("GraphCaptureRefused(%q) = %v, want %v", tt.msg, got, tt.want)
		}
	}
	if cuda.GraphCaptureRefused(nil) {
		t.Error("GraphCaptureRefused(nil) = true")
	}
}

// TestCaptureBlockers: the kernels outside the CUDA provider are counted
// per operator and the first ones named; a profile all on CUDA has none.
func TestCaptureBlockers(t *testing.T) {
	all := &variant.Profile{Kernels: []variant.Kernel{k("mm", "MatMul", onCUDA, 1e6, "float"), k("copy", "MemcpyToHost", onCUDA, 8)}}
	if got := cuda.CaptureBlockers(all, onCUDA); got != "" {
		t.Errorf("all on CUDA: %q, want empty", got)
	}
	p := &variant.Profile{Kernels: []variant.Kernel{k("mm", "MatMul", onCUDA, 1e6, "float")}}
	for i := range 10 {
		op := "Shape"
		if i%2 == 1 {
			op = "Gather"
		}
		p.Kernels = append(p.Kernels, k(fmt.Sprintf("/h.%d/%s", i, op), op, onCPU, 4, "int64"))
	}
	got := cuda.CaptureBlockers(p, onCUDA)
	for _, want := range []string{
		"10 nodes placed outside " + onCUDA,
		"Gather=5,Shape=5",
		"Shape:/h.0/Shape@" + onCPU,
		"Gather:/h.7/Gather@" + onCPU,
		"… 2 more",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CaptureBlockers = %q, missing %q", got, want)
		}
	}
	if strings.Contains(got, "/h.8/") || strings.Contains(got, "MatMul") {
		t.Errorf("CaptureBlockers = %q names more than the first 8 off-CUDA nodes", got)
	}
}

// TestShapedModel: orttest.Shaped, the model TestGraphCaptureRefusedSkips
// opens on the GPU, computes Tiny's logits (on the CPU provider here), and
// its shape computations survive ORT's graph optimisations (a profiled
// run shows them).
func TestShapedModel(t *testing.T) {
	orttest.Require(t)
	m := orttest.Shaped(t)
	p, err := variant.Probe("ort-cpu", m, cpu.Options(backends.Options{Threads: 1}))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("kernels: %s", variant.FormatCounts(p.Ops()))
	for _, op := range []string{"Shape", "Range"} {
		if p.Count(op) == 0 {
			t.Errorf("no %s kernel ran: ops %s", op, variant.FormatCounts(p.Ops()))
		}
	}
	s, err := cpu.Backend{}.Open(m, backends.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tokens := []int64{6, 0, 5, 1, 4, 2}
	got := make([]float32, m.LogitsLen(2, 3))
	if err := s.Prefill(tokens, 2, 3, got); err != nil {
		t.Fatal(err)
	}
	if d, err := backendtest.Compare(got, orttest.TinyLogits(tokens)); err != nil || d.MaxAbs != 0 {
		t.Errorf("shaped model: %v %v, want Tiny's logits exactly", d, err)
	}
}

//go:build tensorrt

package tensorrt_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/ort/tensorrt"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

func TestOptions(t *testing.T) {
	m := &model.Model{ONNXPath: "/cache/m/model.onnx", Positions: 64}
	o := tensorrt.New(model.FP16).Options(m, backends.Options{})
	if !o.RebindInputs {
		t.Error("RebindInputs off")
	}
	if len(o.Providers) != 2 || o.Providers[0].Name != tensorrt.ProviderName || o.Providers[1].Name != "CUDAExecutionProvider" {
		t.Fatalf("providers %+v, want TensorRT then CUDA", o.Providers)
	}
}

// TestOpen opens each backend on the tiny model. With ORT's CPU build (the
// pinned npm library) each must end unavailable with ORT's message, never
// crash. Where TensorRT runs it must compute the tiny model's logits.
func TestOpen(t *testing.T) {
	orttest.Require(t)
	for _, p := range []model.Precision{model.FP32, model.FP16, model.INT8} {
		b := tensorrt.New(p)
		t.Run(b.Name(), func(t *testing.T) {
			m := orttest.Tiny(t)
			s, err := b.Open(m, backends.Options{})
			if err != nil {
				if !errors.Is(err, backends.ErrUnavailable) {
					t.Fatalf("Open: %v; want a session or an unavailable error", err)
				}
				r := backends.Reason(err)
				if r == "" || r == "built without -tags tensorrt" {
					t.Fatalf("reason %q does not carry ORT's error", r)
				}
				t.Logf("unavailable, as expected without an ORT TensorRT build: %s", r)
				return
			}
			defer s.Close()
			if p == model.INT8 {
				t.Skip("the tiny model has no int8 variant to compare")
			}
			tokens := []int64{6, 0, 5, 1, 4, 2}
			logits := make([]float32, m.LogitsLen(2, 3))
			if err := s.Prefill(tokens, 2, 3, logits); err != nil {
				t.Fatal(err)
			}
			want := orttest.TinyLogits(tokens)
			for i := range want {
				if d := logits[i] - want[i]; d > 0.1 || d < -0.1 {
					t.Fatalf("logits[%d] = %v, want %v", i, logits[i], want[i])
				}
			}
		})
	}
}

func TestJudge(t *testing.T) {
	prof := func(providers ...string) *variant.Profile {
		p := &variant.Profile{}
		for _, pr := range providers {
			p.Kernels = append(p.Kernels, variant.Kernel{Op: "X", Provider: pr})
		}
		return p
	}
	tests := []struct {
		name     string
		p        *variant.Profile
		degraded bool
		line     string
	}{
		{"trt", prof(tensorrt.ProviderName, "CPUExecutionProvider"), false, "CPUExecutionProvider=1,TensorrtExecutionProvider=1"},
		{"cuda only", prof("CUDAExecutionProvider"), true, "CUDAExecutionProvider=1"},
		{"empty", prof(), true, "none"},
	}
	for _, tt := range tests {
		lines, why := tensorrt.Judge(tt.p, nil)
		if (why != "") != tt.degraded {
			t.Errorf("%s: degraded %q, want degraded=%v", tt.name, why, tt.degraded)
		}
		if len(lines) != 1 || lines[0][1] != tt.line {
			t.Errorf("%s: lines %v, want %s", tt.name, lines, tt.line)
		}
	}
}

package cpu_test

import (
	"math"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

var fp16Config = gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 32, NPositions: 64, VocabSize: 211, LayerNormEpsilon: 1e-5}

func TestJudgeFP16(t *testing.T) {
	k := func(op, in string) variant.Kernel { return variant.Kernel{Op: op, Inputs: []string{in}} }
	cast := variant.Kernel{Node: variant.InsertedCastPrefix + "x", Op: "Cast", Inputs: []string{"float16"}}
	tests := []struct {
		name     string
		kernels  []variant.Kernel
		types    string
		degraded bool
	}{
		{"fp16", []variant.Kernel{k("MatMul", "float16"), k("FusedMatMul", "float16"), k("MatMul", "float")}, "float=1,float16=2", false},
		{"fallback", []variant.Kernel{cast, k("MatMul", "float"), k("MatMul", "float"), k("Gemm", "float16")}, "float=2,float16=1", true},
		{"no matmul", []variant.Kernel{k("Add", "float16")}, "none", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, degraded := cpu.JudgeFP16(&variant.Profile{Kernels: tt.kernels}, nil)
			if lines[0][1] != tt.types || (degraded != "") != tt.degraded {
				t.Errorf("lines %v, degraded %q; want types %s, degraded %v", lines, degraded, tt.types, tt.degraded)
			}
		})
	}
}

// TestFP16 runs the fp16 variant against ort-cpu: logits within relative
// L2 1e-2, and the session's degradation agrees with the kernels its probe
// saw.
func TestFP16(t *testing.T) {
	orttest.Require(t)
	m, err := zoo.FromWeights("fp16-test", "", fp16Config, gpt2.Seeded(fp16Config, 5), model.Seeded, zoo.Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := cpu.New(model.FP16).Open(m, backends.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ref, err := cpu.Backend{}.Open(m, backends.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	c := map[string]string{}
	for _, kv := range s.Config() {
		c[kv[0]] = kv[1]
	}
	degraded := backends.DegradedReason(s)
	t.Logf("fp16-matmul-kernels %s, ort-inserted-casts %s, degraded %q", c["fp16-matmul-kernels"], c["ort-inserted-casts"], degraded)
	if c["variant-precision"] != "fp16" {
		t.Errorf("variant-precision %q", c["variant-precision"])
	}
	if onlyFloat := !strings.Contains(c["fp16-matmul-kernels"], "float16"); onlyFloat != (degraded != "") {
		t.Errorf("MatMul kernels %s but degraded %q", c["fp16-matmul-kernels"], degraded)
	}
	const batch, seq = 2, 40
	tokens := make([]int64, batch*seq)
	for i := range tokens {
		tokens[i] = int64(i*31) % int64(fp16Config.VocabSize)
	}
	got, want := make([]float32, m.LogitsLen(batch, seq)), make([]float32, m.LogitsLen(batch, seq))
	if err := s.Prefill(tokens, batch, seq, got); err != nil {
		t.Fatal(err)
	}
	if err := ref.Prefill(tokens, batch, seq, want); err != nil {
		t.Fatal(err)
	}
	var num, den float64
	for i := range got {
		d := float64(got[i]) - float64(want[i])
		num += d * d
		den += float64(want[i]) * float64(want[i])
	}
	rel := math.Sqrt(num / den)
	t.Logf("fp16 vs fp32 relative L2 %.3g", rel)
	if !(rel < 1e-2) || rel == 0 {
		t.Errorf("fp16 vs fp32 relative L2 %.3g, want in (0, 1e-2)", rel)
	}
}

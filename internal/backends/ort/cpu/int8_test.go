package cpu_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
	"github.com/inferbench/inferbench/internal/lm/corpus"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// small is a seeded GPT-2 with GPT-2's vocabulary (so the default
// calibration text tokenizes into it) and little else.
var small = gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 32, NPositions: 64, VocabSize: gpt2.VocabGPT2, LayerNormEpsilon: 1e-5}

func smallModel(t *testing.T) *model.Model {
	t.Helper()
	m, err := zoo.FromWeights("quant-test", "", small, gpt2.Seeded(small, 11), model.Seeded, zoo.Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func openINT8(t *testing.T, m *model.Model) *variant.Session {
	t.Helper()
	b, err := backends.Lookup(cpu.NameINT8)
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Open(m, backends.Options{})
	if err != nil {
		if _, nc := corpus.OpticksPath(); nc != nil {
			t.Skipf("default calibration corpus unavailable: %v", nc)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.(*variant.Session)
}

func config(s backends.Session) map[string]string {
	c := map[string]string{}
	for _, kv := range s.Config() {
		c[kv[0]] = kv[1]
	}
	return c
}

func TestJudgeINT8(t *testing.T) {
	v := &model.Model{Identity: model.Identity{Extra: map[string]string{"quant-matmuls": "2"}}}
	kernels := func(ops ...string) *variant.Profile {
		p := &variant.Profile{}
		for _, op := range ops {
			p.Kernels = append(p.Kernels, variant.Kernel{Op: op})
		}
		return p
	}
	tests := []struct {
		name     string
		p        *variant.Profile
		v        *model.Model
		matmuls  string
		degraded string // substring; "" means not degraded
	}{
		{"fused", kernels("QuantizeLinear", "MatMulIntegerToFloat", "QuantizeLinear", "MatMulIntegerToFloat", "MatMul"), v, "2/2", ""},
		{"qlinear", kernels("QLinearMatMul", "QLinearMatMul"), v, "2/2", ""},
		{"partial", kernels("QuantizeLinear", "MatMulIntegerToFloat", "DequantizeLinear", "DequantizeLinear", "MatMul"), v, "1/2", "only 1 of 2"},
		{"float", kernels("DequantizeLinear", "MatMul", "MatMul"), v, "0/2", "no integer MatMul"},
		{"unrecorded", kernels("MatMul"), &model.Model{}, "0/1", "no integer MatMul"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, degraded := cpu.JudgeINT8(tt.p, tt.v)
			got := map[string]string{}
			for _, kv := range lines {
				got[kv[0]] = kv[1]
			}
			if got["int8-matmuls"] != tt.matmuls {
				t.Errorf("int8-matmuls %q, want %q", got["int8-matmuls"], tt.matmuls)
			}
			if (tt.degraded == "") != (degraded == "") || !strings.Contains(degraded, tt.degraded) {
				t.Errorf("degraded %q, want %q", degraded, tt.degraded)
			}
		})
	}
}

// TestInt8KernelsRan proves the quantized kernels ran: every Conv1D MatMul
// of the variant became an integer MatMul, and the session is not
// degraded.
func TestInt8KernelsRan(t *testing.T) {
	orttest.Require(t)
	s := openINT8(t, smallModel(t))
	c := config(s)
	t.Logf("int8-kernels %s, int8-matmuls %s, model-onnx-bytes %s (fp32 %s)",
		c["int8-kernels"], c["int8-matmuls"], c["model-onnx-bytes"], c["variant-base-onnx-bytes"])
	if d := s.Degraded(); d != "" {
		t.Fatalf("degraded: %s (kernels: %s)", d, c["ort-probe-kernels"])
	}
	if c["int8-matmuls"] != "8/8" || !strings.Contains(c["int8-kernels"], "MatMulIntegerToFloat=8") {
		t.Errorf("int8-kernels %s, int8-matmuls %s; want 8 MatMulIntegerToFloat", c["int8-kernels"], c["int8-matmuls"])
	}
	for k, want := range map[string]string{
		"variant-precision":          "int8",
		"variant-calibration-method": "minmax",
		"variant-quant-weights":      "int8-symmetric-per-channel-7bit",
	} {
		if c[k] != want {
			t.Errorf("%s = %q, want %q", k, c[k], want)
		}
	}
	if c["variant-calibration-corpus-sha256"] == "" {
		t.Error("no calibration corpus sha256")
	}
	size, err1 := strconv.Atoi(c["model-onnx-bytes"])
	base, err2 := strconv.Atoi(c["variant-base-onnx-bytes"])
	if err1 != nil || err2 != nil || size >= base {
		t.Errorf("int8 file %s bytes, fp32 file %s bytes", c["model-onnx-bytes"], c["variant-base-onnx-bytes"])
	}
}

// TestDegradedWithoutQDQ feeds the backend a model without Q/DQ nodes
// (the fp32 file labelled int8): no integer kernel runs, and the session
// says so.
func TestDegradedWithoutQDQ(t *testing.T) {
	orttest.Require(t)
	m := *smallModel(t)
	m.Identity.Precision = model.INT8
	s := openINT8(t, &m)
	if d := s.Degraded(); !strings.Contains(d, "no integer MatMul") {
		t.Errorf("Degraded() = %q, want the float fallback reported", d)
	}
	if got := backends.DegradedReason(s); got == "" {
		t.Error("backends.DegradedReason is empty")
	}
}

// TestLogitsCloseToFP32 compares int8 with ort-cpu's fp32 logits on
// held-out text, on a seeded model and on the trained gpt2-tiny:
// quantization must show (relative L2 ≥ 1e-4; zero would mean nothing was
// quantized) and stay small (≤ 0.1).
func TestLogitsCloseToFP32(t *testing.T) {
	orttest.Require(t)
	held, err := corpus.Heldout()
	if err != nil {
		t.Skipf("default corpus unavailable: %v", err)
	}
	toks, err := held.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		model func(t *testing.T) *model.Model
	}{
		{"seeded", smallModel},
		{"trained gpt2-tiny", func(t *testing.T) *model.Model {
			m, err := zoo.Resolve(zoo.Default, zoo.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !m.Identity.Trained() {
				t.Skipf("%s is not trained: %v", zoo.Default, m.Identity)
			}
			return m
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.model(t)
			s := openINT8(t, m)
			ref, err := cpu.Backend{}.Open(m, backends.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer ref.Close()
			const batch, seq = 2, 48
			tokens := append(append([]int64{}, toks[:seq]...), toks[1000:1000+seq]...)
			got, want := make([]float32, m.LogitsLen(batch, seq)), make([]float32, m.LogitsLen(batch, seq))
			if err := s.Prefill(tokens, batch, seq, got); err != nil {
				t.Fatal(err)
			}
			if err := ref.Prefill(tokens, batch, seq, want); err != nil {
				t.Fatal(err)
			}
			rel := relL2(got, want)
			t.Logf("%s: int8 vs fp32 relative L2 %.3g", m.Identity.Name, rel)
			if !(rel >= 1e-4 && rel <= 0.1) {
				t.Errorf("int8 vs fp32 relative L2 %.3g outside [1e-4, 0.1]", rel)
			}
		})
	}
}

func TestForeignModelUnavailable(t *testing.T) {
	orttest.Require(t)
	_, err := cpu.New(model.INT8).Open(orttest.Tiny(t), backends.Options{})
	if !errors.Is(err, backends.ErrUnavailable) || !errors.Is(err, zoo.ErrNoWeights) {
		t.Errorf("Open(foreign ONNX) = %v, want unavailable (no Go weights)", err)
	}
}

func relL2(got, want []float32) float64 {
	var num, den float64
	for i := range got {
		d := float64(got[i]) - float64(want[i])
		num += d * d
		den += float64(want[i]) * float64(want[i])
	}
	return math.Sqrt(num / den)
}

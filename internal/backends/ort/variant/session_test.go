package variant_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

func TestResolveForeign(t *testing.T) {
	orttest.Require(t)
	m := orttest.Tiny(t) // a hand-built ONNX file: no Go weights
	_, err := variant.Resolve("test", model.INT8, m, 1)
	if !errors.Is(err, backends.ErrUnavailable) || !errors.Is(err, zoo.ErrNoWeights) || backends.Reason(err) == "" {
		t.Errorf("Resolve(foreign) = %v, want an unavailable error wrapping zoo.ErrNoWeights", err)
	}
	same, err := variant.Resolve("test", model.FP32, m, 1)
	if err != nil || same != m {
		t.Errorf("Resolve(fp32 model, fp32) = %v, %v; want the model", same, err)
	}
}

func TestOpenConfig(t *testing.T) {
	orttest.Require(t)
	c := gpt2.Config{NLayer: 1, NHead: 2, NEmbd: 16, NPositions: 32, VocabSize: 101, LayerNormEpsilon: 1e-5}
	m, err := zoo.FromWeights("variant-open", "", c, gpt2.Seeded(c, 4), model.Seeded, zoo.Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	judged := 0
	judge := func(p *variant.Profile, v *model.Model) ([][2]string, string) {
		judged++
		if v.Identity.Precision != model.FP16 || len(p.Kernels) == 0 {
			t.Errorf("judge got %s with %d kernels", v.Identity.Precision, len(p.Kernels))
		}
		return [][2]string{{"judged", "yes"}}, "because"
	}
	for range 2 {
		s, err := variant.Open("test-fp16", model.FP16, m, cpu.Options(backends.Options{Threads: 1}), judge)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, kv := range s.Config() {
			got[kv[0]] = kv[1]
		}
		s.Close()
		for _, k := range []string{"ort-version", "variant-precision", "variant-onnx-sha256", "model-onnx-bytes", "variant-base-onnx-bytes", "variant-base-onnx-sha256", "ort-probe-kernels", "judged"} {
			if got[k] == "" {
				t.Errorf("no %s in %v", k, got)
			}
		}
		if got["variant-precision"] != "fp16" || got["variant-base-onnx-sha256"] != m.Identity.ONNXSHA256 {
			t.Errorf("config %v", got)
		}
		if _, ok := got["variant-weights-source"]; ok {
			t.Error("identity entries the base shares are repeated under variant-")
		}
		if s.Degraded() != "because" {
			t.Errorf("Degraded() = %q", s.Degraded())
		}
	}
	if judged != 2 {
		t.Errorf("judged %d times, want 2", judged)
	}
}

package zoo_test

import (
	"errors"
	"maps"
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// TestFused: the fused graph of an fp32 model and of its fp16 variant is
// cached in its own folder, its identity names the fusion and its
// contrib-op counts, and its decoder and row-prefill graph are fused too;
// foreign files and int8 models are refused.
func TestFused(t *testing.T) {
	c := gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 11, LayerNormEpsilon: 1e-5}
	m, err := zoo.FromWeights("fused-test", "", c, gpt2.Seeded(c, 3), model.Seeded, zoo.Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	fp16, err := zoo.Variant(m, model.FP16, zoo.VariantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := graph.WantContribOps(c)
	for _, base := range []*model.Model{m, fp16} {
		f, err := zoo.Fused(base)
		if err != nil {
			t.Fatal(err)
		}
		if !zoo.IsFused(f) || zoo.IsFused(base) {
			t.Fatalf("IsFused: fused %v, base %v", zoo.IsFused(f), zoo.IsFused(base))
		}
		if filepath.Dir(filepath.Dir(f.ONNXPath)) != filepath.Dir(base.ONNXPath) || f.Identity.ONNXSHA256 == base.Identity.ONNXSHA256 {
			t.Errorf("fused %s (%s), base %s (%s)", f.ONNXPath, f.Identity.ONNXSHA256, base.ONNXPath, base.Identity.ONNXSHA256)
		}
		if got := f.Identity.Extra[zoo.ExtraFusedOps]; got != graph.FormatOps(want) || f.Identity.Precision != base.Identity.Precision {
			t.Errorf("%s: fused ops %q, want %q", f.Identity.Precision, got, graph.FormatOps(want))
		}
		again, err := zoo.Fused(base)
		if err != nil || again.ONNXPath != f.ONNXPath || again.Identity.ONNXSHA256 != f.Identity.ONNXSHA256 {
			t.Errorf("second call %v, %v", again, err)
		}
		if same, err := zoo.Fused(f); err != nil || same != f {
			t.Errorf("Fused of a fused model: %v, %v", same, err)
		}
		d, err := zoo.Decoder(f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := zoo.Rows(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{f.ONNXPath, d.Path, rows} {
			if filepath.Dir(path) != filepath.Dir(f.ONNXPath) {
				t.Errorf("%s not beside %s", path, f.ONNXPath)
			}
			g, err := onnx.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := graph.ContribOps(g); !maps.Equal(got, want) {
				t.Errorf("%s: contrib ops %s, want %s", path, graph.FormatOps(got), graph.FormatOps(want))
			}
		}
		// The unfused decoder is not the fused one.
		if ud, err := zoo.Decoder(base); err != nil || ud.Path == d.Path {
			t.Errorf("unfused decoder %v, %v; fused %s", ud, err, d.Path)
		}
	}
	foreign := &model.Model{Identity: model.Identity{Name: "foreign"}, ONNXPath: m.ONNXPath}
	if _, err := zoo.Fused(foreign); !errors.Is(err, zoo.ErrNoWeights) {
		t.Errorf("Fused(foreign) = %v, want ErrNoWeights", err)
	}
	int8 := *m
	int8.Identity.Precision = model.INT8
	if _, err := zoo.Fused(&int8); !errors.Is(err, graph.ErrPrecision) {
		t.Errorf("Fused(int8) = %v, want ErrPrecision", err)
	}
}

package zoo_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// TestRows: the row-prefill graph is built next to the model's file at
// its precision (an fp16 variant's is fp16), with the logits_from input,
// and a second call reuses the cached file; a model without Go weights
// has none.
func TestRows(t *testing.T) {
	c := gpt2.Config{NLayer: 1, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 11, LayerNormEpsilon: 1e-5}
	m, err := zoo.FromWeights("rows-test", "", c, gpt2.Seeded(c, 3), model.Seeded, zoo.Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	fp16, err := zoo.Variant(m, model.FP16, zoo.VariantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []*model.Model{m, fp16} {
		path, err := zoo.Rows(v)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(path) != filepath.Dir(v.ONNXPath) {
			t.Errorf("%s: row-prefill graph %s not beside %s", v.Identity.Precision, path, v.ONNXPath)
		}
		info, err := onnx.Inspect(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(info.Inputs) != 3 || info.Inputs[2].Name != model.LogitsFrom {
			t.Errorf("%s: inputs %v lack %s", v.Identity.Precision, info.Inputs, model.LogitsFrom)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		again, err := zoo.Rows(v)
		if err != nil || again != path {
			t.Fatalf("second call: %s, %v", again, err)
		}
		if st2, _ := os.Stat(path); !st2.ModTime().Equal(st.ModTime()) {
			t.Errorf("%s: the cached row-prefill graph was rewritten", v.Identity.Precision)
		}
	}
	foreign := &model.Model{Identity: model.Identity{Name: "foreign"}, ONNXPath: m.ONNXPath}
	if _, err := zoo.Rows(foreign); !errors.Is(err, zoo.ErrNoWeights) {
		t.Errorf("Rows(foreign) = %v, want ErrNoWeights", err)
	}
}

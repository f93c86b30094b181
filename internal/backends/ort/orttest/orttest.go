package orttest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// Require skips tb with the reason when ONNX Runtime cannot be loaded, and
// fails it on any other initialisation error.
func Require(tb testing.TB) {
	tb.Helper()
	err := ort.Init()
	if err == nil {
		return
	}
	if r := backends.Reason(err); r != "" {
		tb.Skipf("ONNX Runtime unavailable: %s", r)
	}
	tb.Fatal(err)
}

// Write marshals g into tb's temporary directory as name.onnx and returns a
// Model for it with the given vocabulary and n_positions. The identity is
// marked seeded: these models are for mechanics and latency, never accuracy.
func Write(tb testing.TB, name string, g *onnx.Model, vocab, positions int) *model.Model {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name+".onnx")
	if err := os.WriteFile(path, g.Marshal(), 0o644); err != nil {
		tb.Fatal(err)
	}
	var params int64
	for _, t := range g.Graph.Initializers {
		n := int64(1)
		for _, d := range t.Dims {
			n *= d
		}
		params += n
	}
	return &model.Model{
		Identity: model.Identity{
			Name:         "orttest-" + name,
			Architecture: "orttest-" + name,
			Params:       params,
			Weights:      model.Seeded,
			Precision:    model.FP32,
		},
		ONNXPath:  path,
		Vocab:     vocab,
		Positions: positions,
	}
}

// WriteFile writes raw bytes as name.onnx (for corrupt-file tests) and
// returns a Model for it.
func WriteFile(tb testing.TB, name string, data []byte, vocab, positions int) *model.Model {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name+".onnx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return &model.Model{
		Identity:  model.Identity{Name: "orttest-" + name, Params: 1, Weights: model.Unknown, Precision: model.FP32},
		ONNXPath:  path,
		Vocab:     vocab,
		Positions: positions,
	}
}

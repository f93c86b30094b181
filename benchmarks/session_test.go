package benchmarks

import (
	"testing"

	"github.com/inferbench/inferbench/fixtures/gpt2"
	"github.com/inferbench/inferbench/fixtures/gpt2/graph"
	"github.com/inferbench/inferbench/fixtures/model"
)

// BenchmarkModelBuild times exporting the model's weights to ONNX bytes
// (graph construction and serialisation): the first half of the report's
// "build overhead". Models without Go weights (foreign .onnx files) skip.
func BenchmarkModelBuild(b *testing.B) {
	f := load(b)
	m := f.model
	src, ok := gpt2.Of(m)
	if !ok {
		skip(b, "model %s has no Go weights to build from (foreign ONNX file)", m.Identity.Name)
	}
	b.ReportAllocs()
	var size int
	for range b.N {
		g, err := graph.Build(src.Config, src.Weights, graph.Options{Precision: model.FP32})
		if err != nil {
			b.Fatal(err)
		}
		size = len(g.Marshal())
	}
	b.ReportMetric(float64(size), "onnx-bytes")
}

// BenchmarkSessionCreate times creating and closing a session from the
// built model file (load, graph optimisation, allocation): the second half
// of the build overhead, kept out of the prefill loop.
func BenchmarkSessionCreate(b *testing.B) {
	f := load(b)
	for _, be := range selected(b) {
		b.Run("backend="+be.Name(), func(b *testing.B) {
			open(b, be, f.model).Close() // skips with the reason if unavailable
			b.ResetTimer()
			for range b.N {
				s, err := be.Open(f.model, options())
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

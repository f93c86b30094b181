package benchmarks

import (
	"os"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/benchmarks/harness"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// BenchmarkModelBuild times exporting the model's weights to ONNX bytes
// (graph construction and serialisation): the first half of the report's
// "build overhead". Models without Go weights (foreign .onnx files) skip.
func BenchmarkModelBuild(b *testing.B) {
	p := plan(b)
	harness.PrintConfig(os.Stdout, p)
	m := p.Fixture.Model
	src, ok := gpt2.Of(m)
	if !ok {
		suite.Skip(b, "model %s has no Go weights to build from (foreign ONNX file)", m.Identity.Name)
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
// of the build overhead, kept out of the prefill loop
// (harness.SessionCreate).
func BenchmarkSessionCreate(b *testing.B) { harness.SessionCreate(b, plan(b)) }

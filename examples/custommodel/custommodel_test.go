package custommodel_test

import (
	"testing"

	"github.com/inferbench/inferbench"
)

// myModel is the checkpoint these tests run on unless -model or
// INFERBENCH_MODEL names another: a Hugging Face GPT-2 directory, by path.
const myModel = "file:../../fixtures/gpt2tiny"

// TestMyModelLoads checks what every result on the model will carry.
func TestMyModelLoads(t *testing.T) {
	f, err := inferbench.Load(inferbench.DefaultModel(myModel))
	if err != nil {
		t.Fatal(err)
	}
	id := f.Model.Identity
	t.Logf("model %v; corpus %s (%d tokens)", id, f.Corpus.Name, len(f.Tokens))
	if id.Params <= 0 || len(id.WeightsSHA256) != 64 || id.Precision != "fp32" {
		t.Errorf("identity %+v lacks its parameter count, weights digest or precision", id)
	}
}

// TestMyModelAccuracy gates the CPU backends on the model: fp32 and fp16
// ONNX Runtime against the pure-Go float64 reference, on the first 512
// tokens of the held-out text.
func TestMyModelAccuracy(t *testing.T) {
	inferbench.PerplexityGate(t,
		inferbench.DefaultModel(myModel),
		inferbench.Backends("ort-cpu", "ort-cpu-fp16"),
		inferbench.MaxTokens(512),
		inferbench.Window(128),
	)
}

// BenchmarkMyModel times prefill on the model: ONNX Runtime and the
// reference, on the report's shapes.
func BenchmarkMyModel(b *testing.B) {
	inferbench.Prefill(b,
		inferbench.DefaultModel(myModel),
		inferbench.Backends("ort-cpu", "reference"),
		inferbench.Scenarios("report"),
	)
}

// BenchmarkMyModelSessionCreate times opening a session on the model.
func BenchmarkMyModelSessionCreate(b *testing.B) {
	inferbench.SessionCreate(b, inferbench.DefaultModel(myModel), inferbench.Backends("ort-cpu"))
}

// BenchmarkMyModelGenerate times greedy generation with a KV cache on the
// model: 32 prompt tokens continued by 128, with ONNX Runtime.
func BenchmarkMyModelGenerate(b *testing.B) {
	inferbench.Generate(b,
		inferbench.DefaultModel(myModel),
		inferbench.Backends("ort-cpu"),
		inferbench.GenScenarios("gen_1x32+128"),
	)
}

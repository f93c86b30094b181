package custommodel_test

import (
	"flag"
	"testing"

	"github.com/inferbench/inferbench"
)

// modelFlag is this module's own -model flag, as many test packages have
// one: the checkpoint these tests run on, a Hugging Face GPT-2 directory
// by path. Importing inferbench must leave it alone (TestOwnModelFlag).
var modelFlag = flag.String("model", "file:../../fixtures/gpt2tiny", "the checkpoint these tests run on")

// TestOwnModelFlag: the module's -model flag is its own, and importing
// inferbench registered none of its run settings' flags (it registers them
// only when asked, inferbench.RegisterFlags).
func TestOwnModelFlag(t *testing.T) {
	if f := flag.Lookup("model"); f == nil || f.Usage != "the checkpoint these tests run on" {
		t.Errorf("-model is not this module's flag: %+v", f)
	}
	for _, name := range []string{"backends", "scenarios", "corpus", "threads"} {
		if flag.Lookup(name) != nil {
			t.Errorf("importing inferbench defined -%s", name)
		}
	}
}

// TestMyModelLoads checks what every result on the model will carry.
func TestMyModelLoads(t *testing.T) {
	f, err := inferbench.Load(inferbench.Model(*modelFlag))
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
		inferbench.Model(*modelFlag),
		inferbench.Backends("ort-cpu", "ort-cpu-fp16"),
		inferbench.MaxTokens(512),
		inferbench.Window(128),
	)
}

// BenchmarkMyModel times prefill on the model: ONNX Runtime and the
// reference, on the report's shapes.
func BenchmarkMyModel(b *testing.B) {
	inferbench.Prefill(b,
		inferbench.Model(*modelFlag),
		inferbench.Backends("ort-cpu", "reference"),
		inferbench.Scenarios("report"),
	)
}

// BenchmarkMyModelSessionCreate times opening a session on the model.
func BenchmarkMyModelSessionCreate(b *testing.B) {
	inferbench.SessionCreate(b, inferbench.Model(*modelFlag), inferbench.Backends("ort-cpu"))
}

// BenchmarkMyModelGenerate times greedy generation with a KV cache on the
// model: 32 prompt tokens continued by 128, with ONNX Runtime.
func BenchmarkMyModelGenerate(b *testing.B) {
	inferbench.Generate(b,
		inferbench.Model(*modelFlag),
		inferbench.Backends("ort-cpu"),
		inferbench.GenScenarios("gen_1x32+128"),
	)
}

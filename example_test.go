package inferbench_test

import (
	"fmt"
	"testing"

	"github.com/inferbench/inferbench"
)

// A benchmark of another module's model: every registered backend on
// every scenario (narrowed here to two backends and the report's shapes),
// with identity and configuration lines that benchstat and benchgate read.
func ExamplePrefill() {
	_ = func(b *testing.B) { // func BenchmarkMyModel(b *testing.B)
		inferbench.Prefill(b,
			inferbench.Model("file:testdata/my-gpt2"), // an .onnx file or a Hugging Face GPT-2 directory
			inferbench.Backends("ort-cpu", "ort-cpu-int8"),
			inferbench.Scenarios("report"),
		)
	}
}

// Greedy generation with a KV cache on another module's model: time to
// first token, time per output token and inter-token latency per backend
// and generation shape.
func ExampleGenerate() {
	_ = func(b *testing.B) { // func BenchmarkMyModelGenerate(b *testing.B)
		inferbench.Generate(b,
			inferbench.Model("file:testdata/my-gpt2"),
			inferbench.Backends("ort-cpu"),
			inferbench.GenScenarios("gen_1x32+128", "gen_8x128+128"),
		)
	}
}

// The perplexity gates on another module's model: each candidate backend is
// judged against the baseline in a subtest backend=B.
func ExamplePerplexityGate() {
	_ = func(t *testing.T) { // func TestMyModelAccuracy(t *testing.T)
		inferbench.PerplexityGate(t,
			inferbench.Model("file:/models/my-gpt2"),
			inferbench.Arch("gpt2-124m"), // a parameter count that contradicts it fails
			inferbench.MaxTokens(4096),
		)
	}
}

// Load resolves a model without running it: the identity every result of
// it will carry.
func ExampleLoad() {
	f, err := inferbench.Load(inferbench.Model("gpt2-tiny"))
	if err != nil {
		fmt.Println(err)
		return
	}
	id := f.Model.Identity
	fmt.Println(id.Name, id.Architecture, id.Params, id.Weights, id.Precision)
	// Output: gpt2-tiny gpt2-tiny 3449280 trained fp32
}

// The bounds a candidate must meet, by precision.
func ExampleThresholdsFor() {
	for _, p := range []string{"fp32", "fp16", "int8"} {
		th, err := inferbench.ThresholdsFor(p)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: |ΔPPL| ≤ %g%%, mean KL ≤ %g, p99 KL ≤ %g, top-1 ≥ %g\n", p, 100*th.PPLRel, th.KLMean, th.KLP99, th.Top1Min)
	}
	// Output:
	// fp32: |ΔPPL| ≤ 0.1%, mean KL ≤ 1e-06, p99 KL ≤ 1e-05, top-1 ≥ 0.999
	// fp16: |ΔPPL| ≤ 0.5%, mean KL ≤ 0.001, p99 KL ≤ 0.01, top-1 ≥ 0.99
	// int8: |ΔPPL| ≤ 2%, mean KL ≤ 0.01, p99 KL ≤ 0.1, top-1 ≥ 0.95
}

// The prefill shapes Scenarios selects from.
func ExampleKnownScenarios() {
	for _, s := range inferbench.KnownScenarios() {
		fmt.Println(s)
	}
	// Output:
	// single_micro(1×8)
	// single_short(1×11)
	// single_medium(1×20)
	// single_long(1×27)
	// batch_short(4×11)
	// batch_medium(4×19)
	// single_128(1×128)
	// single_512(1×512)
	// batch_8x128(8×128)
}

// The generation shapes GenScenarios selects from.
func ExampleKnownGenScenarios() {
	for _, s := range inferbench.KnownGenScenarios() {
		fmt.Println(s)
	}
	// Output:
	// gen_1x32+128(1×32+128)
	// gen_1x128+128(1×128+128)
	// gen_8x128+128(8×128+128)
	// gen_1x512+64(1×512+64)
}

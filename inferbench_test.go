package inferbench_test

import (
	"slices"
	"testing"

	"github.com/inferbench/inferbench"
)

// TestPerplexityGate runs the public gate on gpt2-tiny: the reference is
// the baseline over 512 held-out tokens, ort-cpu the candidate. (The
// gates' own failure and refusal cases are package accuracy's tests; this
// one checks the public path end to end.)
func TestPerplexityGate(t *testing.T) {
	inferbench.PerplexityGate(t,
		inferbench.Model("gpt2-tiny"),
		inferbench.Backends("ort-cpu"),
		inferbench.MaxTokens(512),
		inferbench.Window(128),
	)
}

func TestRegistered(t *testing.T) {
	names := inferbench.Registered()
	for _, want := range []string{"reference", "ort-cpu", "ort-cpu-fp16", "ort-cpu-int8"} {
		if !slices.Contains(names, want) {
			t.Errorf("%s not registered: %v", want, names)
		}
	}
}

// BenchmarkPrefill is the public benchmark on the default model.
func BenchmarkPrefill(b *testing.B) {
	inferbench.Prefill(b, inferbench.Backends("ort-cpu", "reference"), inferbench.Scenarios("single_micro"))
}

// BenchmarkGenerate is the public generation benchmark on the default
// model.
func BenchmarkGenerate(b *testing.B) {
	inferbench.Generate(b, inferbench.Backends("ort-cpu", "reference"), inferbench.GenScenarios("gen_1x32+128"))
}

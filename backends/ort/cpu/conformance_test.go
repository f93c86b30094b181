package cpu_test

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/backendtest"
	"github.com/inferbench/inferbench/backends/ort/cpu"
	"github.com/inferbench/inferbench/backends/reference"
	"github.com/inferbench/inferbench/benchmarks/harness"
	"github.com/inferbench/inferbench/fixtures/corpus"
	"github.com/inferbench/inferbench/fixtures/zoo"
)

// TestMatchesReference checks that ort-cpu computes the same logits as the
// pure-Go float64 reference on the default model, for every scenario:
// relative L2 ≤ 1e-5, every element written, no NaN.
func TestMatchesReference(t *testing.T) {
	m, err := zoo.Resolve(zoo.Default, zoo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	held, err := corpus.Heldout()
	if err != nil {
		t.Skipf("default corpus unavailable: %v", err)
	}
	toks, err := held.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	cand, _ := backends.Lookup(cpu.Name)
	base, _ := backends.Lookup(reference.Name)
	t.Logf("model: %v", m.Identity)
	backendtest.Run(t, backendtest.Case{
		Candidate: cand,
		Baseline:  base,
		Model:     m,
		Tokens:    toks,
		Scenarios: harness.All(),
		MaxRelL2:  1e-5,
	})
}

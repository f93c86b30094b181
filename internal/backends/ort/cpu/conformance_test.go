package cpu_test

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// TestMatchesReference checks that ort-cpu computes the same logits as the
// pure-Go float64 reference on the default model, for every scenario:
// relative L2 ≤ 1e-5, every element written, no NaN.
func TestMatchesReference(t *testing.T) {
	f := suite.Flags.Require(t)
	cand, _ := backends.Lookup(cpu.Name)
	base, _ := backends.Lookup(reference.Name)
	backendtest.Run(t, backendtest.Case{
		Candidate: cand,
		Baseline:  base,
		Model:     f.Model,
		Tokens:    f.Tokens,
		Options:   suite.Flags.Options(),
		Scenarios: workload.All(),
		MaxRelL2:  1e-5,
	})
}

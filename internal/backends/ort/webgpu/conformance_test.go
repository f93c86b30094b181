//go:build webgpu

package webgpu_test

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/webgpu"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// MaxRelL2 is ort-webgpu's tolerance against the float64 reference: fp32
// GPU kernels sum in another order than the CPU's, so it is looser than
// ort-cpu's 1e-5.
const MaxRelL2 = 1e-4

// TestMatchesReference checks that ort-webgpu computes the same logits as
// the pure-Go float64 reference on the default model, for every scenario.
func TestMatchesReference(t *testing.T) {
	f := suite.Flags.Require(t) // -corpus or $INFERBENCH_CORPUS where Go's Opticks is not installed
	base, err := backends.Lookup(reference.Name)
	if err != nil {
		t.Fatal(err)
	}
	backendtest.Run(t, backendtest.Case{
		Candidate: webgpu.Backend{},
		Baseline:  base,
		Model:     f.Model,
		Tokens:    f.Tokens,
		Options:   suite.Flags.Options(),
		Scenarios: workload.All(),
		MaxRelL2:  MaxRelL2,
	})
}

package benchmarks

import (
	"flag"
	"fmt"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/reference"
	"github.com/inferbench/inferbench/benchmarks/harness"
	"github.com/inferbench/inferbench/fixtures/workload"
)

// The suite's flags (-model -arch -corpus -threads -backends -scenarios and
// their INFERBENCH_* variables) come from package suite, which also
// registers every backend; this one is the benchmarks' own.
var flagRefGFLOP = flag.Float64("reference-max-gflop", 20, "skip the pure-Go reference on scenarios needing more GFLOP per op than this")

// plan is the suite's plan with the reference's compute limit.
func plan(tb testing.TB) harness.Plan {
	tb.Helper()
	p := harness.FromFlags(tb)
	p.Unfit = func(be backends.Backend, sc workload.Scenario) string {
		if be.Name() != reference.Name {
			return ""
		}
		gflop := 2 * float64(p.Fixture.Model.Identity.Params) * float64(sc.Tokens()) / 1e9
		if gflop > *flagRefGFLOP {
			return fmt.Sprintf("the pure-Go reference would need ~%.0f GFLOP per op (limit -reference-max-gflop=%g)", gflop, *flagRefGFLOP)
		}
		return ""
	}
	return p
}

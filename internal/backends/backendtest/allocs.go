package backendtest

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
)

// StepAllocs returns the average number of Go heap allocations of d.Step
// (testing.AllocsPerRun over runs steps with tokens), failing tb if a
// step fails. d must have been prefilled with room for runs+1 more
// positions (AllocsPerRun makes one warm-up call).
func StepAllocs(tb testing.TB, d backends.Decoder, tokens []int64, runs int) float64 {
	tb.Helper()
	var stepErr error
	allocs := testing.AllocsPerRun(runs, func() {
		if _, err := d.Step(tokens); err != nil && stepErr == nil {
			stepErr = err
		}
	})
	if stepErr != nil {
		tb.Fatal(stepErr)
	}
	return allocs
}

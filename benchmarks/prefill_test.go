package benchmarks

import (
	"testing"

	"github.com/inferbench/inferbench/internal/benchmarks/harness"
)

// BenchmarkPrefill times one forward pass over batch × seq tokens for every
// backend × scenario (harness.Prefill).
func BenchmarkPrefill(b *testing.B) { harness.Prefill(b, plan(b)) }

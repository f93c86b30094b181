package benchmarks

import (
	"testing"

	"github.com/inferbench/inferbench/internal/benchmarks/harness"
)

// BenchmarkGenerate times greedy generation with a KV cache for every
// backend × generation scenario (-gen-scenarios): one op is one
// generation, reported as TTFT, TPOT, ITL, e2e, tok/s, KV-cache bytes and
// peak RSS (harness.Generate).
func BenchmarkGenerate(b *testing.B) { harness.Generate(b, plan(b)) }

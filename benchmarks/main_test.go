package benchmarks

import (
	"flag"
	"testing"

	"github.com/inferbench/inferbench"
	"github.com/inferbench/inferbench/internal/benchmarks/harness"
)

// TestMain registers the run settings' flags as a user's test package does
// (inferbench.RegisterFlags: -model -arch -corpus -threads -backends
// -scenarios -gen-scenarios) and lets this binary serve as its own
// isolation probe (-isolate, harness.Main): a child process started for a
// probe opens the named backend on the embedded gpt2-tiny, runs one
// prefill and exits.
func TestMain(m *testing.M) {
	inferbench.RegisterFlags(flag.CommandLine)
	harness.Main(m)
}

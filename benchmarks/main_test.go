package benchmarks

import (
	"testing"

	"github.com/inferbench/inferbench/internal/benchmarks/harness"
)

// TestMain lets this binary serve as its own isolation probe (-isolate,
// harness.Main): a child process started for a probe opens the named
// backend on the embedded gpt2-tiny, runs one prefill and exits.
func TestMain(m *testing.M) { harness.Main(m) }

package cuda_test

import (
	"testing"

	"github.com/inferbench/inferbench/internal/backends/suite"
)

// TestMain registers the run settings' flags (-model -corpus -threads …,
// package suite) that the conformance tests read.
func TestMain(m *testing.M) { suite.Main(m) }

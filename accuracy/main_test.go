package accuracy

import (
	"testing"

	"github.com/inferbench/inferbench/internal/backends/suite"
)

// TestMain registers the run settings' flags (-model -arch -corpus
// -threads -backends …, package suite); the gates' own are in
// flags_test.go.
func TestMain(m *testing.M) { suite.Main(m) }

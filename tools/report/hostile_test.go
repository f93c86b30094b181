package main

import (
	"testing"

	"github.com/inferbench/inferbench/tools/internal/corpus"
)

// TestHostile runs the hostile-input corpus of tools/report
// (testdata/hostile/*.case): accuracy files whose verdicts the numbers do
// not support, other corpora, malformed inputs and failed reruns into an
// old output directory.
func TestHostile(t *testing.T) {
	corpus.RunMain(t, "testdata/hostile", run)
}

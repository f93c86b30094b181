package main

import (
	"testing"

	"github.com/inferbench/inferbench/tools/internal/corpus"
)

// TestHostile runs the hostile-input corpus of benchgate and benchgate
// history (testdata/hostile/*.case): each case's exit status and the
// words that name its problem (file:line where there is one).
func TestHostile(t *testing.T) {
	corpus.RunMain(t, "testdata/hostile", run)
}

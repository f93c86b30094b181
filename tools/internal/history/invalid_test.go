package history_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/history"
)

// A result whose timed outputs were wrong is left out of the history with
// a warning naming it, and the output check's metrics (verified-calls, …)
// are evidence, not series.
func TestInvalidResultsLeftOut(t *testing.T) {
	dir := writeHistory(t, 4, 12, 0.01, func(int) float64 { return 1 })
	stale := fmt.Sprintf("commit: %s\ncommit-seq: %d\n", hash(12), 512) + // a commit of its own
		"BenchmarkPrefill/backend=ort-cpu/scenario=single_micro-8 100 1.0 ns/op 8e9 tok/s 3 verified-calls 3 invalid:kl\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stale.txt"), []byte(stale), 0o644))
	d, err := history.Load(dir)
	require.NoError(t, err)
	res, err := history.Analyze(d, history.DefaultOptions)
	require.NoError(t, err)
	var warned bool
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.Error(), "stale.txt:3") && strings.Contains(w.Error(), "invalid")
	}
	assert.True(t, warned, "no warning names the invalid result: %v", res.Warnings)
	for _, s := range res.Series {
		assert.NotContains(t, []string{"verified-calls", "invalid:kl"}, s.Unit)
		for _, v := range s.Values { // honest: 100µs, 8e4 tok/s; invalid: 1 ns, 8e9 tok/s
			assert.True(t, v > 1e-6 && v < 1e9, "%s %s: %g: the invalid result reached the series", s.Name, s.Unit, v)
		}
	}
}

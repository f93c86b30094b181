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

// Environment metrics form no history series, and results the machine
// disturbed are left out, with a warning, as degraded ones are.
func TestDisturbedLeftOut(t *testing.T) {
	dir := t.TempDir()
	for i := range 12 {
		var b strings.Builder
		fmt.Fprintf(&b, "commit: %s\ncommit-seq: %d\nUnit tok/s better=higher\ncpu: X\n", hash(i), 500+i)
		for r := range 5 {
			steal := 0.1
			if i == 6 && r < 2 {
				steal = 30
			}
			fmt.Fprintf(&b, "BenchmarkPrefill/backend=ort-cpu/scenario=single_micro-8 100 %d ns/op 1980 gpu-sm-MHz %g cpu-steal-%% 2.5 load1\n", 100000+r, steal)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%02d.txt", i)), []byte(b.String()), 0o644))
	}
	d, err := history.Load(dir)
	require.NoError(t, err)
	res, err := history.Analyze(d, history.DefaultOptions)
	require.NoError(t, err)
	require.Len(t, res.Series, 1, "sec/op only")
	assert.Equal(t, "sec/op", res.Series[0].Unit)
	assert.Equal(t, 2, res.Series[0].Disturbed)
	var ws []string
	for _, w := range res.Warnings {
		ws = append(ws, w.Error())
	}
	assert.Contains(t, strings.Join(ws, "\n"), "2 results measured while the machine was disturbed left out")
}

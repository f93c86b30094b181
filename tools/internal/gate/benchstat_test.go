package gate_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

// buildBenchstat builds golang.org/x/perf/cmd/benchstat at the version
// go.mod pins.
func buildBenchstat(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command builds benchstat for the agreement test")
	bin := filepath.Join(t.TempDir(), "benchstat")
	out, err := exec.Command(goCmd, "build", "-o", bin, "golang.org/x/perf/cmd/benchstat").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// benchstatCalls runs benchstat -format csv and returns, per "name unit",
// whether it reported a change (anything but "~" in the "vs base" column).
func benchstatCalls(t *testing.T, bin, oldPath, newPath string) map[string]bool {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "-format", "csv", "-ignore", benchdata.RunKey, oldPath, newPath)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "%s", stderr.String())
	r := csv.NewReader(&stdout)
	r.FieldsPerRecord = -1
	calls := make(map[string]bool)
	unit := ""
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch {
		case len(rec) == 7 && rec[0] == "" && rec[6] == "P":
			unit = rec[1]
		case len(rec) == 7 && rec[0] != "" && rec[0] != "geomean":
			calls[rec[0]+" "+unit] = rec[5] != "~"
		}
	}
	return calls
}

// benchgate's per-row significance before correction (p < α) must agree
// with benchstat's on the same files: same Mann-Whitney U test, same α,
// same handling of assume=exact units.
func TestAgreesWithBenchstat(t *testing.T) {
	bin := buildBenchstat(t)
	heavy := func(r *rand.Rand) float64 { return r.ExpFloat64() - 1 } // skewed, like timing noise
	var rows []synth
	i := 0
	for _, shift := range []float64{0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, -0.02, -0.05} {
		for _, n := range [][2]int{{5, 5}, {8, 12}, {10, 10}, {20, 20}} {
			for _, noise := range []func(*rand.Rand) float64{nil, heavy} {
				unit := "ns/op"
				if i%3 == 1 {
					unit = "tok/s"
				}
				rows = append(rows, synth{name: fmt.Sprintf("R/i=%d", i), unit: unit, n: n, mean: [2]float64{1000, 1000 * (1 + shift)}, cv: 0.03, noise: noise})
				i++
			}
		}
	}
	rows = append(rows,
		synth{name: "Exact/same", unit: "onnx-bytes", n: [2]int{3, 3}, mean: [2]float64{5000, 5000}},
		synth{name: "Exact/grew", unit: "onnx-bytes", n: [2]int{3, 3}, mean: [2]float64{5000, 5100}},
	)
	header := "goos: linux\nUnit onnx-bytes assume=exact\nUnit tok/s better=higher\n"
	dir := t.TempDir()
	for seed := range uint64(3) {
		old, new := pair(7+seed, header, rows)
		oldPath, newPath := filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt")
		require.NoError(t, os.WriteFile(oldPath, []byte(old), 0o644))
		require.NoError(t, os.WriteFile(newPath, []byte(new), 0o644))

		calls := benchstatCalls(t, bin, oldPath, newPath)
		rep, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
		require.NoError(t, err)
		require.Len(t, calls, len(rep.Rows))
		agree, significant := 0, 0
		for _, r := range rep.Rows {
			key := r.Name + " " + r.Unit
			want, ok := calls[key]
			require.True(t, ok, "benchstat has no row %s", key)
			got := r.P < gate.DefaultOptions.Alpha
			if assert.Equal(t, want, got, "seed %d %s: benchstat significant=%v, benchgate p=%v", seed, key, want, r.P) {
				agree++
			}
			if got {
				significant++
			}
			assert.False(t, math.IsNaN(r.P))
		}
		t.Logf("seed %d: %d/%d rows agree with benchstat (%d significant before correction)", seed, agree, len(rep.Rows), significant)
	}
}
